package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// GetGrantContext reads a token request's client, its domain's pool and
// the client's pool's active key in one statement (see
// store.GrantContext).
//
// On a store opened with OpenSQLiteExclusive the result may come from a
// cache that every write clears; callers must not modify it.
func (s *Store) GetGrantContext(ctx context.Context, domain, clientID, keyUse string) (store.GrantContext, error) {
	if s.grants == nil || s.tx != nil {
		return s.readGrantContext(ctx, domain, clientID, keyUse)
	}
	k := grantKey{domain, clientID, keyUse}
	if g, ok := s.grants.get(k); ok {
		return g, nil
	}
	gen := s.grants.begin()
	g, err := s.readGrantContext(ctx, domain, clientID, keyUse)
	if err == nil {
		s.grants.put(k, g, gen)
	}
	return g, err
}

func (s *Store) readGrantContext(ctx context.Context, domain, clientID, keyUse string) (store.GrantContext, error) {
	var (
		g                    store.GrantContext
		domainPool, servers  sql.NullString
		kPool, kid, use, alg sql.NullString
		jwk, sealed          []byte
		kCreated, kRetire    *time.Time
	)
	c := &g.Client
	err := s.queryRow(ctx, s.q.grantContext, clientID, domain, keyUse).Scan(
		&c.ID, &c.PoolID, &c.Name, blobCol{&c.SecretSealed}, blobCol{&c.Settings}, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt},
		&domainPool, &servers,
		&kPool, &kid, &use, &alg, blobCol{&jwk}, blobCol{&sealed}, nullTimeCol{&kCreated}, nullTimeCol{&kRetire})
	if errors.Is(err, sql.ErrNoRows) {
		return store.GrantContext{}, notFound(fmt.Sprintf("app client %q", clientID))
	}
	if err != nil {
		return store.GrantContext{}, fmt.Errorf("sqlstore: grant context of app client %q: %w", clientID, err)
	}
	g.DomainPoolID = domainPool.String
	if g.DefinedScopes, err = splitServers(servers.String); err != nil {
		return store.GrantContext{}, fmt.Errorf("sqlstore: grant context of app client %q: %w", clientID, err)
	}
	if kid.Valid && kCreated != nil {
		g.ActiveKey = &store.SigningKey{PoolID: kPool.String, KID: kid.String, Use: use.String, Algorithm: alg.String,
			PublicJWK: jwk, PrivateSealed: sealed, CreatedAt: *kCreated, RetireAt: kRetire}
	}
	return g, nil
}

// splitServers turns the aggregated resource servers of a grant context
// into "{identifier}/{scope}" names.
func splitServers(agg string) ([]string, error) {
	if agg == "" {
		return nil, nil
	}
	var out []string
	for _, rec := range strings.Split(agg, string(rune(recordSep))) {
		identifier, scopesJSON, ok := strings.Cut(rec, string(rune(unitSepCode)))
		if !ok {
			return nil, fmt.Errorf("malformed resource server aggregate")
		}
		scopes, err := decodeScopes(scopesJSON)
		if err != nil {
			return nil, err
		}
		for _, sc := range scopes {
			out = append(out, identifier+"/"+sc.Name)
		}
	}
	return out, nil
}

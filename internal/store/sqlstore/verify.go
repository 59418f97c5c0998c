package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// verifyContextQuery reads a store.VerifyContext in one row: the pool and
// client counts (0 or 1) and, left-joined, the key. Arguments: pool ID,
// kid, client ID.
func verifyContextQuery(d *dialect) string {
	a := d.arg
	return "SELECT (SELECT count(*) FROM pools WHERE id = " + a(1) + "), " +
		"(SELECT count(*) FROM clients WHERE id = " + a(3) + " AND pool_id = " + a(1) + "), " +
		"k.kid, k.key_use, k.algorithm, k.public_jwk, k.created_at, k.retire_at " +
		"FROM (SELECT 1 AS one) AS one LEFT JOIN signing_keys k ON k.kid = " + a(2) + " AND k.pool_id = " + a(1)
}

// GetVerifyContext reads whether a pool exists, its key kid and whether it
// has client clientID, in one statement (see store.VerifyContext).
//
// On a store opened with OpenSQLiteExclusive the result may come from a
// cache that every write clears, like GetGrantContext's; callers must not
// modify it. Results that found the key, or found no pool (the pools of
// remote issuers, asked on every request), are cached; a pool's unknown
// kids are not, so tokens with made-up kids cannot crowd out real ones.
func (s *Store) GetVerifyContext(ctx context.Context, poolID, kid, clientID string) (store.VerifyContext, error) {
	if s.grants == nil || s.tx != nil {
		return s.readVerifyContext(ctx, poolID, kid, clientID)
	}
	k := verifyKey{poolID, kid, clientID}
	if v, ok := s.grants.getVerify(k); ok {
		return v, nil
	}
	gen := s.grants.begin()
	v, err := s.readVerifyContext(ctx, poolID, kid, clientID)
	if err == nil && (v.Key != nil || !v.PoolExists) {
		s.grants.putVerify(k, v, gen)
	}
	return v, err
}

func (s *Store) readVerifyContext(ctx context.Context, poolID, kid, clientID string) (store.VerifyContext, error) {
	var (
		v                 store.VerifyContext
		pools, clients    int64
		kKID, kUse, kAlg  sql.NullString
		jwk               []byte
		kCreated, kRetire *time.Time
	)
	err := s.queryRow(ctx, s.q.verifyContext, poolID, kid, clientID).Scan(
		&pools, &clients, &kKID, &kUse, &kAlg, blobCol{&jwk}, nullTimeCol{&kCreated}, nullTimeCol{&kRetire})
	if err != nil {
		return store.VerifyContext{}, fmt.Errorf("sqlstore: verify context of pool %q: %w", poolID, err)
	}
	v.PoolExists = pools > 0
	v.ClientExists = clients > 0
	if kKID.Valid && kCreated != nil {
		v.Key = &store.SigningKey{PoolID: poolID, KID: kKID.String, Use: kUse.String, Algorithm: kAlg.String,
			PublicJWK: jwk, CreatedAt: *kCreated, RetireAt: kRetire}
	}
	return v, nil
}

// verifyKey is the cache key of a verify context.
type verifyKey struct{ poolID, kid, clientID string }

func (c *grantCache) getVerify(k verifyKey) (store.VerifyContext, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.v[k]
	return v, ok
}

// putVerify stores v, read in generation gen, unless a write has ended
// since (see grantCache).
func (c *grantCache) putVerify(k verifyKey, v store.VerifyContext, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.v == nil || len(c.v) >= maxGrantEntries {
		c.v = make(map[verifyKey]store.VerifyContext)
	}
	c.v[k] = v
}

package identity

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"sync"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/cognatehq/cognate/internal/token"
)

// TokenKeys answers, for the API gateway's Cognito authorizer, what
// checking a bearer token of a local pool needs: the issuers the pool's
// tokens may carry, the public key of a kid, and whether an app client
// still exists. Each answer costs one store read (none on an exclusive
// SQLite store, whose cache every write clears), so a deleted client or
// pool is refused on the next request, on every node.
//
// It keeps parsed public keys by (pool, kid): a kid is the SHA-256 of its
// key, so what it names never changes. Create one with Service.TokenKeys;
// it is safe for concurrent use.
type TokenKeys struct {
	svc     *Service
	keys    sync.Map // poolKID -> *rsa.PublicKey
	issuers sync.Map // pool id -> []string, see poolIssuers
}

type poolKID struct{ poolID, kid string }

// TokenKeys returns the service's TokenKeys.
func (s *Service) TokenKeys() *TokenKeys { return &TokenKeys{svc: s} }

// LocalPool reads, in one store query, what checking a token of pool
// poolID, signed with kid, for app client clientID needs:
//
//   - issuers: the iss values the pool's tokens may carry, both
//     {public-url}/{poolId} and https://cognito-idp.{region}.amazonaws.com/{poolId}
//     whatever the configured issuer style (tokens issued before a style
//     change stay valid); nil when no such pool is local; shared
//     between calls, not to be modified;
//   - key: the public key of kid when the pool still publishes it (active,
//     or rotated out but inside its retention), else nil;
//   - clientActive: whether the pool has an app client clientID.
//
// The error is set only when the store fails.
func (k *TokenKeys) LocalPool(ctx context.Context, poolID, kid, clientID string) (issuers []string, key *rsa.PublicKey, clientActive bool, err error) {
	s := k.svc
	v, err := s.store.GetVerifyContext(ctx, poolID, kid, clientID)
	if err != nil {
		return nil, nil, false, internal("read verify context", err)
	}
	if !v.PoolExists {
		return nil, nil, false, nil
	}
	issuers = k.poolIssuers(poolID)
	if rec := v.Key; rec != nil && rec.Algorithm == token.AlgRS256 && (rec.RetireAt == nil || rec.RetireAt.After(s.now())) {
		if key, err = k.publicKey(poolID, kid, rec.PublicJWK); err != nil {
			return nil, nil, false, err
		}
	}
	return issuers, key, v.ClientExists, nil
}

// poolIssuers returns the issuers a local pool's tokens may carry,
// computed once per pool id: they depend only on the id and the
// service's public URL, which never change. The slice is shared between
// callers, who must not modify it. Only ids of pools that existed are
// kept, so the map grows with the pools created, like keys. A cached
// lookup takes 10 ns and no allocation against 464 ns and two to build
// them with the regexp RegionOfPool had (BenchmarkPoolIssuers, -cpu 1,
// 2026-11-25).
func (k *TokenKeys) poolIssuers(poolID string) []string {
	if v, ok := k.issuers.Load(poolID); ok {
		return v.([]string)
	}
	issuers := []string{k.svc.publicURL + "/" + poolID, "https://cognito-idp." + RegionOfPool(poolID) + ".amazonaws.com/" + poolID}
	v, _ := k.issuers.LoadOrStore(poolID, issuers)
	return v.([]string)
}

// publicKey parses a stored public JWK, once per (pool, kid).
func (k *TokenKeys) publicKey(poolID, kid string, jwkJSON []byte) (*rsa.PublicKey, error) {
	ck := poolKID{poolID, kid}
	if v, ok := k.keys.Load(ck); ok {
		return v.(*rsa.PublicKey), nil
	}
	var jwk jose.JSONWebKey
	if err := json.Unmarshal(jwkJSON, &jwk); err != nil {
		return nil, internal("parse public key "+kid, err)
	}
	pub, ok := jwk.Key.(*rsa.PublicKey)
	if !ok {
		return nil, internal("public key "+kid+" is not RSA", nil)
	}
	k.keys.Store(ck, pub)
	return pub, nil
}

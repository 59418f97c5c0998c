package identity

import (
	"context"
	"crypto/rsa"
	"sync/atomic"
	"time"

	"github.com/cognatehq/cognate/internal/store"
	"github.com/cognatehq/cognate/internal/token"
)

// Key uses: Cognito signs access and ID tokens with different keys [doc].
const (
	useAccess = "access"
	useID     = "id"
)

// keyRetention is how long a rotated-out key stays published: the longest
// an access or ID token can live (1 day [doc]) plus five minutes of clock
// skew, so every token it signed has expired before it leaves the JWKS.
const keyRetention = 24*time.Hour + 5*time.Minute

// signingKey is a parsed key pair, cached by kid (a kid's key never changes).
type signingKey struct {
	poolID string
	kid    string
	use    string
	priv   *rsa.PrivateKey
}

func keyAAD(kid string) string { return "signing-key:" + kid }

// spareKeys holds RSA keys generated ahead of time: a 2048-bit key takes
// tens to hundreds of milliseconds to generate, and CreateUserPool needs
// two. They are fresh random keys that no one has seen, so keeping a few in
// memory carries no state that could go stale.
var (
	spareKeys   = make(chan *rsa.PrivateKey, 6)
	refillState atomic.Bool
)

func nextRSAKey() (*rsa.PrivateKey, error) {
	defer refillSpareKeys()
	select {
	case k := <-spareKeys:
		return k, nil
	default:
		return token.GenerateRSAKey()
	}
}

func refillSpareKeys() {
	if !refillState.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer refillState.Store(false)
		for len(spareKeys) < cap(spareKeys) {
			k, err := token.GenerateRSAKey()
			if err != nil {
				return
			}
			select {
			case spareKeys <- k:
			default:
				return
			}
		}
	}()
}

// addKeyPair creates an access key and an ID key for a pool, and retires
// the pool's previous active keys.
func (s *Service) addKeyPair(ctx context.Context, tx store.Store, poolID string, now time.Time) error {
	for _, use := range []string{useAccess, useID} {
		priv, err := nextRSAKey()
		if err != nil {
			return internal("generate signing key", err)
		}
		kid, err := token.KeyID(&priv.PublicKey)
		if err != nil {
			return internal("key id", err)
		}
		jwk, err := token.PublicJWK(&priv.PublicKey, kid)
		if err != nil {
			return internal("public jwk", err)
		}
		der, err := token.MarshalPrivateKey(priv)
		if err != nil {
			return internal("marshal key", err)
		}
		rec := store.SigningKey{PoolID: poolID, KID: kid, Use: use, Algorithm: token.AlgRS256,
			PublicJWK: jwk, PrivateSealed: s.sealer.Seal(der, keyAAD(kid)), CreatedAt: now}
		if err := tx.AddSigningKey(ctx, rec); err != nil {
			return err
		}
		if err := tx.RetireSigningKeys(ctx, poolID, use, kid, now.Add(keyRetention)); err != nil {
			return err
		}
		s.keyCache.Store(kid, &signingKey{poolID: poolID, kid: kid, use: use, priv: priv})
	}
	return nil
}

// parsedKey returns the parsed private key of a stored key, from the cache
// when it has been parsed before (a kid's key never changes).
func (s *Service) parsedKey(k store.SigningKey) (*signingKey, error) {
	if v, ok := s.keyCache.Load(k.KID); ok {
		return v.(*signingKey), nil
	}
	der, err := s.sealer.Open(k.PrivateSealed, keyAAD(k.KID))
	if err != nil {
		return nil, internal("open signing key "+k.KID, err)
	}
	priv, err := token.ParsePrivateKey(der)
	if err != nil {
		return nil, internal("parse signing key "+k.KID, err)
	}
	sk := &signingKey{poolID: k.PoolID, kid: k.KID, use: k.Use, priv: priv}
	s.keyCache.Store(k.KID, sk)
	return sk, nil
}

// RotateSigningKeys adds a new access key and a new ID key to a pool. The
// old keys stop signing at once and stay in the JWKS until every token they
// signed has expired.
func (s *Service) RotateSigningKeys(ctx context.Context, poolID string) ([]KeyInfo, error) {
	region := RegionOfPool(poolID)
	if _, err := s.getPool(ctx, region, poolID); err != nil {
		return nil, err
	}
	if err := s.store.InTx(ctx, func(tx store.Store) error {
		return s.addKeyPair(ctx, tx, poolID, s.now().UTC())
	}); err != nil {
		return nil, storeErr("rotate signing keys", err)
	}
	s.log.InfoContext(ctx, "signing keys rotated", "pool_id", poolID)
	return s.ListSigningKeys(ctx, poolID)
}

// ListSigningKeys lists a pool's published keys, newest first.
func (s *Service) ListSigningKeys(ctx context.Context, poolID string) ([]KeyInfo, error) {
	if _, err := s.getPool(ctx, RegionOfPool(poolID), poolID); err != nil {
		return nil, err
	}
	keys, err := s.publishedKeys(ctx, poolID)
	if err != nil {
		return nil, err
	}
	out := make([]KeyInfo, len(keys))
	for i, k := range keys {
		out[i] = KeyInfo{KID: k.KID, Use: k.Use, CreatedAt: k.CreatedAt, RetireAt: k.RetireAt}
	}
	return out, nil
}

// publishedKeys returns the keys whose tokens may still be valid.
func (s *Service) publishedKeys(ctx context.Context, poolID string) ([]store.SigningKey, error) {
	keys, err := s.store.ListSigningKeys(ctx, poolID)
	if err != nil {
		return nil, internal("list signing keys", err)
	}
	now := s.now()
	out := keys[:0]
	for _, k := range keys {
		if k.RetireAt == nil || k.RetireAt.After(now) {
			out = append(out, k)
		}
	}
	return out, nil
}

// JWKS returns the pool's JSON Web Key Set: every published key, the
// active ones first.
func (s *Service) JWKS(ctx context.Context, poolID string) ([]byte, error) {
	if _, err := s.getPool(ctx, RegionOfPool(poolID), poolID); err != nil {
		return nil, err
	}
	keys, err := s.publishedKeys(ctx, poolID)
	if err != nil {
		return nil, err
	}
	jwks := make([][]byte, len(keys))
	for i, k := range keys {
		jwks[i] = k.PublicJWK
	}
	b, err := token.JWKS(jwks)
	if err != nil {
		return nil, internal("build jwks", err)
	}
	return b, nil
}

// PruneRetiredKeys deletes keys whose retention has passed. A background
// loop calls it; JWKS already hides such keys, so pruning is housekeeping.
func (s *Service) PruneRetiredKeys(ctx context.Context) (int, error) {
	n, err := s.store.DeleteRetiredKeys(ctx, s.now())
	if err != nil {
		return 0, internal("prune retired keys", err)
	}
	return n, nil
}

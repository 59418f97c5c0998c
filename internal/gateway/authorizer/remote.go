package authorizer

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/cognatehq/cognate/internal/token"
)

// ErrJWKSUnavailable is wrapped by the error Verify returns when the JWKS
// of a remote pool cannot be fetched or read; the gateway answers 500 and
// logs the reason jwks_unavailable.
var ErrJWKSUnavailable = errors.New("authorizer: JWKS unavailable")

// maxJWKSBytes bounds a JWKS document read from a remote pool.
const maxJWKSBytes = 1 << 20

// failureBackoff is how long a pool whose JWKS could never be read waits
// before the next attempt, so that a dead endpoint is not fetched once per
// request.
const failureBackoff = time.Second

// remoteKeys fetches and caches the JWKS of pools that are not local
// (real Cognito's). A URL's keys are fetched when first needed and again
// when a token names a kid they lack, at most once per interval; fetches
// of one URL run one at a time and waiters reuse their result (go-oidc's
// lesson, STYLE.md §6).
type remoteKeys struct {
	client   *http.Client
	url      func(region, poolID string) string
	timeout  time.Duration
	interval time.Duration
	now      func() time.Time

	mu   sync.Mutex
	sets map[string]*keySet // by URL; URLs come from configured ARNs only
}

// keySet is one URL's keys.
type keySet struct {
	keys atomic.Pointer[map[string]*rsa.PublicKey] // nil until a fetch succeeds

	mu          sync.Mutex // held while fetching
	lastAttempt time.Time
	lastErr     error
}

func (r *remoteKeys) set(url string) *keySet {
	r.mu.Lock()
	defer r.mu.Unlock()
	ks := r.sets[url]
	if ks == nil {
		ks = &keySet{}
		r.sets[url] = ks
	}
	return ks
}

// key returns the public key kid of a remote pool. An unknown kid after a
// refetch (or with a refetch too recent to repeat) is a *Denial; a JWKS
// that cannot be read is another error.
func (r *remoteKeys) key(ctx context.Context, p pool, kid string) (*rsa.PublicKey, error) {
	url := r.url(p.region, p.id)
	ks := r.set(url)
	if m := ks.keys.Load(); m != nil {
		if k, ok := (*m)[kid]; ok {
			return k, nil
		}
	}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	m := ks.keys.Load()
	if m != nil {
		if k, ok := (*m)[kid]; ok { // another request refetched meanwhile
			return k, nil
		}
	}
	since := r.now().Sub(ks.lastAttempt)
	switch {
	case m != nil && since < r.interval:
		return nil, deny(ReasonUnknownKID, "kid %.64q is not in the JWKS of pool %s (fetched %s ago)", kid, p.id, since.Round(time.Millisecond))
	case m == nil && ks.lastErr != nil && since < failureBackoff:
		return nil, ks.lastErr
	}
	ks.lastAttempt = r.now()
	keys, err := r.fetch(ctx, url)
	if err != nil {
		ks.lastErr = fmt.Errorf("%w: pool %s: %v", ErrJWKSUnavailable, p.id, err)
		return nil, ks.lastErr
	}
	ks.lastErr = nil
	ks.keys.Store(&keys)
	if k, ok := keys[kid]; ok {
		return k, nil
	}
	return nil, deny(ReasonUnknownKID, "kid %.64q is not in the JWKS of pool %s", kid, p.id)
}

// fetch reads a JWKS document and returns its RS256 signing keys by kid.
// The request is bounded by the timeout and does not end when the
// request that needed it does: other requests wait for its result.
func (r *remoteKeys) fetch(ctx context.Context, url string) (map[string]*rsa.PublicKey, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	if len(body) > maxJWKSBytes {
		return nil, fmt.Errorf("GET %s: JWKS larger than %d bytes", url, maxJWKSBytes)
	}
	return parseJWKS(body)
}

// parseJWKS returns the RSA signing keys of a JWKS by kid, skipping keys
// of other types, uses or algorithms (COGNITO.md §6.1: kty RSA, use sig
// when present, alg RS256 when present).
func parseJWKS(body []byte) (map[string]*rsa.PublicKey, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("JWKS is not JSON: %w", err)
	}
	if doc.Keys == nil {
		return nil, errors.New("JWKS has no keys member")
	}
	out := make(map[string]*rsa.PublicKey, len(doc.Keys))
	for _, raw := range doc.Keys {
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(raw); err != nil {
			continue // a key this verifier cannot use
		}
		pub, ok := k.Key.(*rsa.PublicKey)
		if !ok || k.KeyID == "" || (k.Use != "" && k.Use != "sig") || (k.Algorithm != "" && k.Algorithm != token.AlgRS256) {
			continue
		}
		out[k.KeyID] = pub
	}
	return out, nil
}

package authorizer

import (
	"context"
	"crypto/rsa"
	"net/http"
	"sync/atomic"
	"time"
)

// Config is one method's COGNITO_USER_POOLS authorizer, as deployed.
type Config struct {
	// ProviderARNs are the authorizer's user pools
	// (arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}); a token
	// of any of them is accepted [doc].
	ProviderARNs []string
	// Scopes are the method's authorizationScopes. Empty: only ID tokens
	// pass. Otherwise only access tokens carrying at least one of them.
	Scopes []string
	// ValidationExpression is identityValidationExpression, a regular
	// expression matched against the token's aud; "" for none.
	ValidationExpression string
}

// Result is what a token that passed carries.
type Result struct {
	// Claims is the token's payload; numbers are json.Number. It is shared
	// with the cache: callers must not modify it (StringClaims copies).
	Claims map[string]any
	// ClientID is client_id of an access token, aud of an ID token.
	ClientID string
	Subject  string
	JTI      string
	TokenUse string // "id" or "access"
	// Memo keeps one value the caller derives from the token, for as
	// long as the verified token stays cached (the gateway keeps the
	// claims headers it sends upstream there), so that a repeated token
	// costs the caller no lookup of its own. It may be nil.
	Memo *Memo
}

// Memo holds one value derived from a verified token. A token's claims
// never change, so neither does what derives from them. It is safe for
// concurrent use; a nil *Memo holds nothing.
type Memo struct{ v atomic.Value }

// Load returns the value stored, or nil.
func (m *Memo) Load() any {
	if m == nil {
		return nil
	}
	return m.v.Load()
}

// Store keeps v, which must always be of the same concrete type.
func (m *Memo) Store(v any) {
	if m != nil {
		m.v.Store(v)
	}
}

// Keys gives the keys and clients of local pools (identity.TokenKeys
// implements it).
type Keys interface {
	// LocalPool reads, with at most one store query, what checking a token
	// of pool poolID signed with kid for app client clientID needs:
	// issuers, the iss values the pool's tokens may carry
	// ({public-url}/{poolId} and
	// https://cognito-idp.{region}.amazonaws.com/{poolId}), nil when no
	// such pool is local; key, the public key of kid while the pool
	// publishes it, else nil; clientActive, whether the pool still has app
	// client clientID. err is set only when the store fails.
	LocalPool(ctx context.Context, poolID, kid, clientID string) (issuers []string, key *rsa.PublicKey, clientActive bool, err error)
}

// Options configure a Verifier. Zero values take the defaults given.
type Options struct {
	// Keys gives local pools; nil means every pool is remote.
	Keys Keys
	// RemoteJWKS returns the JWKS URL of a pool that is not local; default
	// https://cognito-idp.{region}.amazonaws.com/{poolId}/.well-known/jwks.json.
	RemoteJWKS func(region, poolID string) string
	// HTTPClient fetches remote JWKS; default a new http.Client.
	HTTPClient *http.Client
	// FetchTimeout bounds one JWKS fetch; default 3 s (aws-jwt-verify's
	// response timeout).
	FetchTimeout time.Duration
	// RefetchInterval is the least time between two fetches of one JWKS
	// for an unknown kid; default 1 minute.
	RefetchInterval time.Duration
	// CacheSize bounds the verified-token cache; default 10,000 tokens.
	CacheSize int
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Verifier checks bearer tokens for COGNITO_USER_POOLS authorizers. It is
// safe for concurrent use.
type Verifier struct {
	keys   Keys
	remote *remoteKeys
	cache  *tokenCache
	now    func() time.Time
	exprs  exprCache
}

// New returns a Verifier with o's settings.
func New(o Options) *Verifier {
	if o.RemoteJWKS == nil {
		o.RemoteJWKS = func(region, poolID string) string {
			return "https://cognito-idp." + region + ".amazonaws.com/" + poolID + "/.well-known/jwks.json"
		}
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.FetchTimeout <= 0 {
		o.FetchTimeout = 3 * time.Second
	}
	if o.RefetchInterval <= 0 {
		o.RefetchInterval = time.Minute
	}
	if o.CacheSize <= 0 {
		o.CacheSize = 10000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Verifier{
		keys: o.Keys,
		remote: &remoteKeys{client: o.HTTPClient, url: o.RemoteJWKS, timeout: o.FetchTimeout,
			interval: o.RefetchInterval, now: o.Now, sets: make(map[string]*keySet)},
		cache: newTokenCache(o.CacheSize),
		now:   o.Now,
	}
}

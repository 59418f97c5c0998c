package authorizer_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/authorizer"
	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
	"github.com/cognatehq/cognate/internal/token"
)

const (
	region    = "us-east-1"
	publicURL = "http://127.0.0.1:4566"
	scopeAPI  = "layerless-esbuild/api"
)

// clock is a settable fake clock shared by identity and the verifier.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// poolKeys are a local pool's private signing keys, read back from the
// store so tests can forge tokens with the real keys.
type poolKeys struct {
	accessKID, idKID string
	access, id       *rsa.PrivateKey
}

// env is a local identity service with two pools, and a verifier over it.
type env struct {
	t      testing.TB
	ctx    context.Context
	clk    *clock
	svc    *identity.Service
	v      *authorizer.Verifier
	pool   identity.Pool // the authorizer's pool
	other  identity.Pool // a pool the authorizer does not name
	m2m    identity.Client
	user   identity.Client // a client for ID tokens
	keys   poolKeys
	others poolKeys
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.OpenSQLiteExclusive(ctx, filepath.Join(t.TempDir(), "cognate.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seal, err := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	svc := identity.New(identity.Config{Store: st, Sealer: seal, AccountID: "123456789012", PublicURL: publicURL, Now: clk.Now})
	e := &env{t: t, ctx: ctx, clk: clk, svc: svc}
	e.pool = e.createPool("andmoredev")
	e.other = e.createPool("other")
	if _, err := svc.CreateResourceServer(ctx, region, identity.ResourceServer{PoolID: e.pool.ID, Identifier: "layerless-esbuild",
		Name: "l", Scopes: []identity.Scope{{Name: "api", Description: "a"}, {Name: "echo", Description: "e"}}}); err != nil {
		t.Fatal(err)
	}
	if e.m2m, err = svc.CreateUserPoolClient(ctx, region, e.pool.ID, identity.ClientSettings{ClientName: "m2m",
		AllowedOAuthFlows: []string{"client_credentials"}, AllowedOAuthScopes: []string{scopeAPI, "layerless-esbuild/echo"},
		AllowedOAuthFlowsUserPoolClient: true}, true, ""); err != nil {
		t.Fatal(err)
	}
	if e.user, err = svc.CreateUserPoolClient(ctx, region, e.pool.ID, identity.ClientSettings{ClientName: "web"}, false, ""); err != nil {
		t.Fatal(err)
	}
	e.keys = readKeys(t, st, seal, e.pool.ID)
	e.others = readKeys(t, st, seal, e.other.ID)
	e.v = authorizer.New(authorizer.Options{Keys: svc.TokenKeys(), Now: clk.Now})
	return e
}

func (e *env) createPool(name string) identity.Pool {
	e.t.Helper()
	p, err := e.svc.CreateUserPool(e.ctx, region, identity.PoolSettings{PoolName: name})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.CreateUserPoolDomain(e.ctx, region, p.ID, name+"-dom", nil, 0); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// readKeys opens a pool's active private keys. The AAD format copies
// identity's keyAAD.
func readKeys(t testing.TB, st *sqlstore.Store, seal *sealer.Sealer, poolID string) poolKeys {
	t.Helper()
	recs, err := st.ListSigningKeys(context.Background(), poolID)
	if err != nil {
		t.Fatal(err)
	}
	var k poolKeys
	for _, r := range recs {
		if r.RetireAt != nil {
			continue
		}
		der, err := seal.Open(r.PrivateSealed, "signing-key:"+r.KID)
		if err != nil {
			t.Fatal(err)
		}
		priv, err := token.ParsePrivateKey(der)
		if err != nil {
			t.Fatal(err)
		}
		switch r.Use {
		case "access":
			k.accessKID, k.access = r.KID, priv
		case "id":
			k.idKID, k.id = r.KID, priv
		}
	}
	if k.access == nil || k.id == nil {
		t.Fatalf("pool %s has no active keys", poolID)
	}
	return k
}

// cfg is an authorizer naming e.pool, with scopes.
func (e *env) cfg(scopes ...string) authorizer.Config {
	return authorizer.Config{ProviderARNs: []string{e.pool.Arn}, Scopes: scopes}
}

// accessToken gets a real client_credentials token from identity.
func (e *env) accessToken() string {
	e.t.Helper()
	tok, err := e.svc.IssueClientCredentials(e.ctx, identity.ClientCredentialsRequest{Domain: "andmoredev-dom",
		ClientID: e.m2m.ClientID, ClientSecret: e.m2m.ClientSecret})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok.AccessToken
}

// idClaims are an ID token's claims for e.user, as Cognito writes them.
func (e *env) idClaims() map[string]any {
	now := e.clk.Now().Unix()
	return map[string]any{
		"sub": "5f1c1b8e-0000-4000-8000-000000000001", "email_verified": true,
		"iss": publicURL + "/" + e.pool.ID, "cognito:username": "alice", "cognito:groups": []string{"admin", "users"},
		"aud": e.user.ClientID, "event_id": "e-1", "token_use": "id", "auth_time": now,
		"exp": now + 3600, "iat": now, "jti": "j-1", "email": "alice@example.com",
	}
}

// sign signs claims with RS256 under key and kid, as identity does.
func (e *env) sign(key *rsa.PrivateKey, kid string, claims map[string]any) string {
	e.t.Helper()
	s, err := token.Sign(key, kid, claims)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// idToken is a valid ID token of e.pool, with changes applied to its claims.
func (e *env) idToken(changes map[string]any) string {
	c := e.idClaims()
	for k, v := range changes {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return e.sign(e.keys.id, e.keys.idKID, c)
}

// b64 is base64url without padding of v, JSON-encoded unless it is bytes.
func b64(v any) string {
	b, ok := v.([]byte)
	if !ok {
		b, _ = json.Marshal(v)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

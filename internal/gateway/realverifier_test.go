package gateway

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/authorizer"
	"github.com/cognatehq/cognate/internal/token"
)

const (
	testPoolID = "us-east-1_Abc123"
	testIssuer = "http://127.0.0.1:4566/" + testPoolID
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// signingKey is one RSA key shared by the tests that sign tokens
// (generating one costs tens of milliseconds).
var signingKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return token.GenerateRSAKey() })

// staticKeys is a local pool with one key and one app client.
type staticKeys struct {
	kid string
	pub *rsa.PublicKey
}

// testIssuers is staticKeys' answer, shared as identity.TokenKeys shares
// a pool's issuers between calls.
var testIssuers = []string{testIssuer}

func (k staticKeys) LocalPool(ctx context.Context, poolID, kid, clientID string) ([]string, *rsa.PublicKey, bool, error) {
	if poolID != testPoolID {
		return nil, nil, false, nil
	}
	var key *rsa.PublicKey
	if kid == k.kid {
		key = k.pub
	}
	return testIssuers, key, clientID == "client-123", nil
}

// realVerifier returns the authorizer package's verifier over one local
// pool, and a function that signs access-token claims with its key.
func realVerifier(tb testing.TB) (*authorizer.Verifier, func(overrides map[string]any) string) {
	tb.Helper()
	key, err := signingKey()
	if err != nil {
		tb.Fatal(err)
	}
	kid, err := token.KeyID(&key.PublicKey)
	if err != nil {
		tb.Fatal(err)
	}
	v := authorizer.New(authorizer.Options{Keys: staticKeys{kid: kid, pub: &key.PublicKey}, Now: func() time.Time { return testNow }})
	sign := func(overrides map[string]any) string {
		claims := map[string]any{
			"sub": "client-123", "client_id": "client-123", "token_use": "access", "scope": "stack/api",
			"iss": testIssuer, "exp": testNow.Add(time.Hour).Unix(), "iat": testNow.Unix(), "auth_time": testNow.Unix(),
			"jti": "5a1f0c2e-jti", "version": 2,
		}
		for k, v := range overrides {
			if v == nil {
				delete(claims, k)
			} else {
				claims[k] = v
			}
		}
		tok, err := token.Sign(key, kid, claims)
		if err != nil {
			tb.Fatal(err)
		}
		return tok
	}
	return v, sign
}

// TestRealVerifierDenials drives the security suite's cases through the
// handler with the real verifier: each gets API Gateway's 401, and the
// upstream is never contacted. (The verifier's own tests cover the
// checks in depth.)
func TestRealVerifierDenials(t *testing.T) {
	v, sign := realVerifier(t)
	e := newEnv(t, func(c *Config) { c.Verifier = v })
	good := sign(nil)
	parts := strings.Split(good, ".")
	b64 := base64.RawURLEncoding.EncodeToString
	const unauthorized = `{"message":"Unauthorized"}`
	cases := []struct {
		name, auth, body, reason string
	}{
		{"no header", "", unauthorized, "no_token"},
		{"alg none", b64([]byte(`{"alg":"none","kid":"x"}`)) + "." + parts[1] + ".", unauthorized, ""},
		{"tampered payload", parts[0] + "." + b64([]byte(`{"sub":"admin","iss":"`+testIssuer+`","token_use":"access","exp":9999999999,"scope":"stack/api"}`)) + "." + parts[2], unauthorized, "bad_signature"},
		{"truncated", good[:len(good)-10], unauthorized, ""},
		{"expired", sign(map[string]any{"exp": testNow.Add(-time.Minute).Unix()}), `{"message":"The incoming token has expired"}`, "expired"},
		{"wrong issuer", sign(map[string]any{"iss": "http://127.0.0.1:4566/us-east-1_Other"}), unauthorized, "issuer"},
		{"id token on a scoped route", sign(map[string]any{"token_use": "id", "aud": "client-123", "scope": nil}), unauthorized, "token_use"},
		{"wrong scope", sign(map[string]any{"scope": "stack/other"}), unauthorized, "scope"},
		{"deleted client", sign(map[string]any{"client_id": "gone"}), unauthorized, "deleted_client"},
		{"100 KB header", "Bearer " + strings.Repeat("a", 100<<10), unauthorized, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.post("/echo", tc.auth, "{}")
			if resp.StatusCode != 401 || body != tc.body {
				t.Fatalf("got %d %s, want 401 %s", resp.StatusCode, body, tc.body)
			}
			if got := resp.Header.Get("x-amzn-ErrorType"); got != "UnauthorizedException" {
				t.Errorf("x-amzn-ErrorType = %q", got)
			}
			if got := resp.Header.Get("x-cognate-reason"); got == "" || tc.reason != "" && !strings.HasPrefix(got, tc.reason+": ") {
				t.Errorf("x-cognate-reason = %q, want reason %q", got, tc.reason)
			}
		})
	}
	if n := len(e.up.requests()); n != 0 {
		t.Fatalf("upstream contacted %d times", n)
	}
	for _, auth := range []string{good, "Bearer " + good} {
		if resp, body := e.post("/echo", auth, "{}"); resp.StatusCode != 200 {
			t.Fatalf("valid token (%.10s...): got %d %s", auth, resp.StatusCode, body)
		}
	}
	if got := e.up.requests()[0].Header.Get("X-Cognate-Claims"); !strings.Contains(got, `"exp":"Wed Nov 25 13:00:00 UTC 2026"`) {
		t.Errorf("X-Cognate-Claims = %s", got)
	}
}

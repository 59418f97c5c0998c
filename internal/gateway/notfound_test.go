package gateway

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"testing"
)

// An unknown route requested with a bearer token gets API Gateway's SigV4
// parsing complaint, with the token hashed, never echoed; other
// Authorization headers keep the plain Missing Authentication Token.
func TestMissingRouteWithBearerToken(t *testing.T) {
	e := newEnv(t)
	const tok = "eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0.c2ln"
	sum := sha256.Sum256([]byte(tok))
	hashed := `{"message":"Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '` +
		base64.StdEncoding.EncodeToString(sum[:]) + `'."}`
	cases := []struct {
		name, auth, body, errorType string
	}{
		{"bearer token", "Bearer " + tok, hashed, "IncompleteSignatureException"},
		{"lower-case scheme", "bearer " + tok, hashed, "IncompleteSignatureException"},
		{"raw token", tok, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
		{"key=value pairs", "Custom a=b", `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
		{"no header", "", `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := e.request(http.MethodGet, "/nothing/here", tc.auth, nil)
			resp, body := e.do(req)
			if resp.StatusCode != http.StatusForbidden || body != tc.body {
				t.Fatalf("got %d %s, want 403 %s", resp.StatusCode, body, tc.body)
			}
			if got := resp.Header.Get("x-amzn-ErrorType"); got != tc.errorType {
				t.Errorf("x-amzn-ErrorType = %q, want %q", got, tc.errorType)
			}
		})
	}
}

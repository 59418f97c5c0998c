package oauth_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/token"
)

// BenchmarkClientCredentials measures the token endpoint in process, from
// request parsing to the written response, next to its floor: one RS256
// signature (BenchmarkRS256Floor, run in the same invocation). Compare
// the two ns/op figures; everything but the signature should be small.
func BenchmarkClientCredentials(b *testing.B) {
	f := newFixture(b)
	auth := basic(f.cc30.ClientID, f.cc30.ClientSecret)
	const body = "grant_type=client_credentials&scope=orders%2Fread"
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/_domain/"+domain+"/oauth2/token", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		f.handler.ServeDomain(rec, req, domain, "", "/oauth2/token")
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkRS256Floor is the cost of the one signature a token needs.
func BenchmarkRS256Floor(b *testing.B) {
	key, err := token.GenerateRSAKey()
	if err != nil {
		b.Fatal(err)
	}
	claims := map[string]any{"sub": "x", "scope": "orders/read"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := token.Sign(key, "kid", claims); err != nil {
			b.Fatal(err)
		}
	}
}

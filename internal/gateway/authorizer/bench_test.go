package authorizer_test

import (
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/authorizer"
)

// BenchmarkVerify compares a token seen before (no RSA verification, one
// cached store read) with a token not in the cache, over a real identity
// service on an exclusive SQLite store.
func BenchmarkVerify(b *testing.B) {
	e := newEnv(b)
	toks := []string{e.idToken(map[string]any{"jti": "a"}), e.idToken(map[string]any{"jti": "b"})}
	cfg := e.cfg()
	// identity refills its spare RSA keys in the background after the
	// pools are created; let it finish so it does not share the CPU.
	time.Sleep(2 * time.Second)
	b.Run("cache-hit", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.v.Verify(e.ctx, cfg, toks[0]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cold", func(b *testing.B) {
		// A one-token cache and two alternating tokens: every call misses.
		v := authorizer.New(authorizer.Options{Keys: e.svc.TokenKeys(), Now: e.clk.Now, CacheSize: 1})
		i := 0
		for b.Loop() {
			if _, err := v.Verify(e.ctx, cfg, toks[i&1]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("string-claims", func(b *testing.B) {
		r, err := e.v.Verify(e.ctx, cfg, toks[0])
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			authorizer.StringClaims(r.Claims)
		}
	})
}

package authorizer

import (
	"context"
	"crypto/rsa"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/token"
)

const (
	testPool = "us-east-1_Local1234"
	testARN  = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + testPool
	testIss  = "http://127.0.0.1:4566/" + testPool
	awsIss   = "https://cognito-idp.us-east-1.amazonaws.com/" + testPool
)

// fakeKeys is one local pool whose answers a test changes.
type fakeKeys struct {
	mu     sync.Mutex
	key    *rsa.PublicKey
	active bool
	local  bool
	calls  int
}

func (f *fakeKeys) LocalPool(_ context.Context, poolID, kid, clientID string) ([]string, *rsa.PublicKey, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if !f.local || poolID != testPool {
		return nil, nil, false, nil
	}
	return []string{testIss, awsIss}, f.key, f.active, nil
}

func testKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := token.GenerateRSAKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testToken(t testing.TB, k *rsa.PrivateKey, now time.Time, jti string) string {
	t.Helper()
	return testTokenOf(t, k, now, jti, testIss)
}

func testTokenOf(t testing.TB, k *rsa.PrivateKey, now time.Time, jti, iss string) string {
	t.Helper()
	s, err := token.Sign(k, "kid-1", map[string]any{"sub": "u", "aud": "client1", "token_use": "id",
		"iss": iss, "exp": now.Unix() + 3600, "iat": now.Unix(), "jti": jti})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCacheSkipsSignature shows a repeated token is not verified again:
// after the pool's key for the kid changes, the cached token still passes
// while a new token signed by the old key does not.
func TestCacheSkipsSignature(t *testing.T) {
	k1, k2 := testKey(t), testKey(t)
	keys := &fakeKeys{key: &k1.PublicKey, active: true, local: true}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	v := New(Options{Keys: keys, Now: func() time.Time { return now }})
	cfg := Config{ProviderARNs: []string{testARN}}
	tok := testToken(t, k1, now, "a")
	if _, err := v.Verify(context.Background(), cfg, tok); err != nil {
		t.Fatal(err)
	}
	keys.key = &k2.PublicKey
	if _, err := v.Verify(context.Background(), cfg, tok); err != nil {
		t.Fatalf("cached token: %v", err)
	}
	if _, err := v.Verify(context.Background(), cfg, testToken(t, k1, now, "b")); err == nil {
		t.Fatal("a new token passed without a signature check")
	}
	if keys.calls != 3 {
		t.Errorf("%d store reads for 3 requests, want 3 (one each, cache hit or not)", keys.calls)
	}
	// A pool that stopped being local is checked again, here against a
	// remote JWKS that cannot be reached.
	tok = testTokenOf(t, k1, now, "c", awsIss)
	keys.key = &k1.PublicKey
	if _, err := v.Verify(context.Background(), cfg, tok); err != nil {
		t.Fatal(err)
	}
	keys.local = false
	v.remote.url = func(string, string) string { return "http://127.0.0.1:1/jwks.json" }
	if _, err := v.Verify(context.Background(), cfg, tok); err == nil {
		t.Fatal("a token of a pool no longer local passed from the cache")
	}
	if _, ok := v.cache.get(tok); ok {
		t.Error("the entry of a pool no longer local stayed cached")
	}
}

func TestCacheIsBounded(t *testing.T) {
	k := testKey(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	v := New(Options{Keys: &fakeKeys{key: &k.PublicKey, active: true, local: true}, Now: func() time.Time { return now }, CacheSize: 3})
	cfg := Config{ProviderARNs: []string{testARN}}
	var toks []string
	for i := range 5 {
		tok := testToken(t, k, now, fmt.Sprint(i))
		toks = append(toks, tok)
		if _, err := v.Verify(context.Background(), cfg, tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := v.cache.len(); n != 3 {
		t.Fatalf("cache holds %d tokens, want 3", n)
	}
	for i, tok := range toks {
		if _, ok := v.cache.get(tok); ok != (i >= 2) {
			t.Errorf("token %d cached = %v", i, ok)
		}
	}
}

func TestCacheKeepsNoDeniedToken(t *testing.T) {
	k := testKey(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	v := New(Options{Keys: &fakeKeys{key: &testKey(t).PublicKey, active: true, local: true}, Now: func() time.Time { return now }})
	tok := testToken(t, k, now, "x")
	if _, err := v.Verify(context.Background(), Config{ProviderARNs: []string{testARN}}, tok); err == nil {
		t.Fatal("a token of another key passed")
	}
	if v.cache.len() != 0 {
		t.Error("a token that failed its signature check was cached")
	}
}

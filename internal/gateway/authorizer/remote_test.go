package authorizer_test

import (
	"context"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/authorizer"
	"github.com/cognatehq/cognate/internal/token"
)

const (
	remotePool = "eu-west-1_Remote123"
	remoteARN  = "arn:aws:cognito-idp:eu-west-1:111122223333:userpool/" + remotePool
	remoteIss  = "https://cognito-idp.eu-west-1.amazonaws.com/" + remotePool
)

// noLocalPools is a Keys with no local pool.
type noLocalPools struct{ calls atomic.Int64 }

func (n *noLocalPools) LocalPool(context.Context, string, string, string) ([]string, *rsa.PublicKey, bool, error) {
	n.calls.Add(1)
	return nil, nil, false, nil
}

// jwksServer is a fake Cognito JWKS endpoint.
type jwksServer struct {
	t       *testing.T
	mu      sync.Mutex
	keys    map[string]*rsa.PrivateKey
	status  int
	delay   time.Duration
	fetches atomic.Int64
	srv     *httptest.Server
}

func newJWKSServer(t *testing.T) *jwksServer {
	j := &jwksServer{t: t, keys: map[string]*rsa.PrivateKey{}, status: http.StatusOK}
	j.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		j.fetches.Add(1)
		if r.URL.Path != "/"+remotePool+"/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		j.mu.Lock()
		status, delay := j.status, j.delay
		var jwks [][]byte
		for kid, k := range j.keys {
			b, err := token.PublicJWK(&k.PublicKey, kid)
			if err != nil {
				t.Error(err)
			}
			jwks = append(jwks, b)
		}
		j.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		if status != http.StatusOK {
			w.WriteHeader(status)
			return
		}
		body, _ := token.JWKS(append(jwks, []byte(`{"kty":"EC","kid":"ec","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`)))
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(j.srv.Close)
	return j
}

func (j *jwksServer) addKey(kid string) *rsa.PrivateKey {
	k, err := token.GenerateRSAKey()
	if err != nil {
		j.t.Fatal(err)
	}
	j.mu.Lock()
	j.keys[kid] = k
	j.mu.Unlock()
	return k
}

func (j *jwksServer) set(status int, delay time.Duration) {
	j.mu.Lock()
	j.status, j.delay = status, delay
	j.mu.Unlock()
}

func remoteToken(t *testing.T, key *rsa.PrivateKey, kid string, now time.Time, iss string) string {
	t.Helper()
	s, err := token.Sign(key, kid, map[string]any{"sub": "c", "token_use": "access", "scope": "api/read",
		"iss": iss, "exp": now.Unix() + 3600, "iat": now.Unix(), "client_id": "remoteclient", "jti": "j"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newRemoteVerifier(j *jwksServer, clk *clock, keys authorizer.Keys) *authorizer.Verifier {
	return authorizer.New(authorizer.Options{Keys: keys, Now: clk.Now, FetchTimeout: 200 * time.Millisecond,
		RemoteJWKS: func(region, poolID string) string { return j.srv.URL + "/" + poolID + "/.well-known/jwks.json" }})
}

func TestRemoteJWKS(t *testing.T) {
	j := newJWKSServer(t)
	k1 := j.addKey("kid-1")
	clk := &clock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	local := &noLocalPools{}
	v := newRemoteVerifier(j, clk, local)
	ctx := context.Background()
	cfg := authorizer.Config{ProviderARNs: []string{remoteARN}, Scopes: []string{"api/read"}}
	verify := func(tok string) error {
		_, err := v.Verify(ctx, cfg, tok)
		return err
	}

	if err := verify(remoteToken(t, k1, "kid-1", clk.Now(), remoteIss)); err != nil {
		t.Fatalf("first token: %v", err)
	}
	clk.Advance(time.Second)
	if err := verify(remoteToken(t, k1, "kid-1", clk.Now(), remoteIss)); err != nil {
		t.Fatalf("second token: %v", err)
	}
	if n := j.fetches.Load(); n != 1 {
		t.Fatalf("%d fetches for one kid, want 1", n)
	}
	if local.calls.Load() == 0 {
		t.Error("the verifier never asked whether the pool is local")
	}

	// The issuer of a remote pool is AWS's form only.
	wantDenial(t, verify(remoteToken(t, k1, "kid-1", clk.Now(), "http://127.0.0.1:4566/"+remotePool)), authorizer.ReasonIssuer, authorizer.MessageUnauthorized)
	// A key that is not kid's.
	wantDenial(t, verify(remoteToken(t, j.addKey("kid-x"), "kid-1", clk.Now(), remoteIss)), authorizer.ReasonBadSignature, authorizer.MessageUnauthorized)

	// A new key: not fetched again within the interval ...
	k2 := j.addKey("kid-2")
	wantDenial(t, verify(remoteToken(t, k2, "kid-2", clk.Now(), remoteIss)), authorizer.ReasonUnknownKID, authorizer.MessageUnauthorized)
	if n := j.fetches.Load(); n != 1 {
		t.Fatalf("%d fetches within the refetch interval, want 1", n)
	}
	// ... and fetched once it has passed.
	clk.Advance(time.Minute)
	if err := verify(remoteToken(t, k2, "kid-2", clk.Now(), remoteIss)); err != nil {
		t.Fatalf("new kid after the interval: %v", err)
	}
	wantDenial(t, verify(remoteToken(t, k2, "kid-3", clk.Now(), remoteIss)), authorizer.ReasonUnknownKID, authorizer.MessageUnauthorized)
	if n := j.fetches.Load(); n != 2 {
		t.Fatalf("%d fetches, want 2", n)
	}

	// A failing endpoint does not affect known kids, and an unknown kid
	// after a failed refetch is an error, not a denial.
	j.set(http.StatusInternalServerError, 0)
	clk.Advance(time.Minute)
	err := verify(remoteToken(t, k1, "kid-9", clk.Now(), remoteIss))
	var d *authorizer.Denial
	if !errors.Is(err, authorizer.ErrJWKSUnavailable) || errors.As(err, &d) {
		t.Fatalf("refetch failing: err = %v, want an ErrJWKSUnavailable that is not a denial", err)
	}
	if err := verify(remoteToken(t, k1, "kid-1", clk.Now(), remoteIss)); err != nil {
		t.Fatalf("known kid while the endpoint fails: %v", err)
	}
}

func TestRemoteJWKSUnavailable(t *testing.T) {
	j := newJWKSServer(t)
	k := j.addKey("kid-1")
	clk := &clock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	v := newRemoteVerifier(j, clk, nil)
	cfg := authorizer.Config{ProviderARNs: []string{remoteARN}, Scopes: []string{"api/read"}}
	tok := remoteToken(t, k, "kid-1", clk.Now(), remoteIss)
	var d *authorizer.Denial

	j.set(http.StatusOK, 2*time.Second) // slower than FetchTimeout
	start := time.Now()
	_, err := v.Verify(context.Background(), cfg, tok)
	if !errors.Is(err, authorizer.ErrJWKSUnavailable) || errors.As(err, &d) {
		t.Fatalf("timeout: err = %v, want an ErrJWKSUnavailable that is not a denial", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("a fetch took %v despite the 200 ms timeout", took)
	}
	j.set(http.StatusServiceUnavailable, 0)
	before := j.fetches.Load()
	for range 5 { // within the failure backoff: no new fetch
		if _, err := v.Verify(context.Background(), cfg, tok); !errors.Is(err, authorizer.ErrJWKSUnavailable) || errors.As(err, &d) {
			t.Fatalf("err = %v, want an ErrJWKSUnavailable that is not a denial", err)
		}
	}
	if n := j.fetches.Load() - before; n != 0 {
		t.Errorf("%d fetches within the failure backoff, want 0", n)
	}
	j.set(http.StatusOK, 0)
	clk.Advance(2 * time.Second)
	if _, err := v.Verify(context.Background(), cfg, tok); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

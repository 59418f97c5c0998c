package authorizer

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary Authorization headers to a verifier over one
// local pool. Whatever the input, Verify must not panic, must answer a
// *Denial with one of the two wire messages (nothing else can fail here),
// must keep its detail short, and may pass only the token signed by the
// pool's key.
func FuzzVerify(f *testing.F) {
	k := testKey(f)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	valid := testToken(f, k, now, "j")
	f.Add(valid)
	f.Add("Bearer " + valid)
	f.Add(valid[:len(valid)-3])
	h, rest, _ := strings.Cut(valid, ".")
	f.Add(base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","kid":"kid-1"}`)) + "." + rest)
	f.Add(h + ".e30.")
	f.Add("a.b.c")
	f.Add("")

	v := New(Options{Keys: &fakeKeys{key: &k.PublicKey, active: true, local: true}, Now: func() time.Time { return now }})
	cfg := Config{ProviderARNs: []string{testARN}}
	f.Fuzz(func(t *testing.T, header string) {
		_, err := v.Verify(context.Background(), cfg, header)
		if err == nil {
			if tok, _ := extractToken(header); tok != valid {
				t.Fatalf("passed a token that is not the one signed: %q", header)
			}
			return
		}
		var d *Denial
		if !errors.As(err, &d) {
			t.Fatalf("err = %v, want a denial", err)
		}
		if d.Message != MessageUnauthorized && d.Message != MessageExpired {
			t.Fatalf("message %q", d.Message)
		}
		if len(d.Detail) > 300 {
			t.Fatalf("detail of %d bytes", len(d.Detail))
		}
	})
}

// FuzzParse checks that what parse accepts splits back into the input.
func FuzzParse(f *testing.F) {
	k := testKey(f)
	f.Add(testToken(f, k, time.Unix(1764072000, 0), "j"))
	f.Add("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJpc3MiOiJ4IiwiZXhwIjoxLCJ0b2tlbl91c2UiOiJpZCJ9.AA")
	f.Fuzz(func(t *testing.T, raw string) {
		p, d := parse(raw)
		if (p == nil) == (d == nil) {
			t.Fatalf("parse returned %v and %v", p, d)
		}
		if p == nil {
			return
		}
		if got := p.signed + "." + base64.RawURLEncoding.EncodeToString(p.signature); got != raw {
			t.Fatalf("parts %q do not rebuild the input %q", got, raw)
		}
		if p.kid == "" || p.iss == "" || p.tokenUse == "" {
			t.Fatalf("accepted without kid, iss or token_use: %q", raw)
		}
	})
}

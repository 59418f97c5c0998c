package token

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

func TestSignVerifyHeader(t *testing.T) {
	key, err := GenerateRSAKey()
	if err != nil {
		t.Fatal(err)
	}
	kid, err := KeyID(&key.PublicKey)
	if err != nil || len(kid) != 44 || !strings.HasSuffix(kid, "=") {
		t.Fatalf("kid %q %v", kid, err)
	}
	tok, err := Sign(key, kid, struct {
		Sub string `json:"sub"`
	}{"abc"})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("parts = %d", len(parts))
	}
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var h map[string]any
	if err := json.Unmarshal(hdr, &h); err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h["alg"] != "RS256" || h["kid"] != kid {
		t.Fatalf("header = %s", hdr)
	}
	// Cognito writes kid first: its tokens all start with eyJraWQiOi.
	if !strings.HasPrefix(tok, "eyJraWQiOi") {
		t.Errorf("token starts %q, want Cognito's eyJraWQiOi", tok[:10])
	}
	// go-jose (an independent implementation) accepts the serialisation.
	obj, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := obj.Verify(&key.PublicKey); err != nil {
		t.Fatalf("go-jose rejects the signature: %v", err)
	}
	lookup := func(k string) (*rsa.PublicKey, bool) {
		if k == kid {
			return &key.PublicKey, true
		}
		return nil, false
	}
	gotKid, payload, err := Verify(tok, lookup)
	if err != nil || gotKid != kid || string(payload) != `{"sub":"abc"}` {
		t.Fatalf("Verify = %q %s %v", gotKid, payload, err)
	}
	// Tampered payload with the original signature.
	bad := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"evil"}`)) + "." + parts[2]
	if _, _, err := Verify(bad, lookup); !errors.Is(err, ErrInvalid) {
		t.Fatalf("tampered: %v", err)
	}
	if _, _, err := Verify(tok, func(string) (*rsa.PublicKey, bool) { return nil, false }); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown kid: %v", err)
	}
}

func TestJWKS(t *testing.T) {
	key, _ := GenerateRSAKey()
	kid, _ := KeyID(&key.PublicKey)
	jwk, err := PublicJWK(&key.PublicKey, kid)
	if err != nil {
		t.Fatal(err)
	}
	set, err := JWKS([][]byte{jwk})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(set, &doc); err != nil || len(doc.Keys) != 1 {
		t.Fatalf("%s %v", set, err)
	}
	k := doc.Keys[0]
	for _, m := range []string{"alg", "e", "kid", "kty", "n", "use"} {
		if k[m] == "" {
			t.Errorf("missing %s in %s", m, set)
		}
	}
	if k["e"] != "AQAB" || k["use"] != "sig" || k["kty"] != "RSA" || len(k) != 6 {
		t.Errorf("jwk = %v", k)
	}
}

// BenchmarkRawSign is the floor: the bare RS256 signature of a digest.
func BenchmarkRawSign(b *testing.B) {
	key, _ := GenerateRSAKey()
	digest := sha256.Sum256([]byte("eyJraWQiOiJ4IiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0"))
	for b.Loop() {
		if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSign is a whole token: claims, header, encoding, signature.
func BenchmarkSign(b *testing.B) {
	key, _ := GenerateRSAKey()
	kid, _ := KeyID(&key.PublicKey)
	claims := map[string]any{"sub": "x", "scope": "a/b"}
	for b.Loop() {
		if _, err := Sign(key, kid, claims); err != nil {
			b.Fatal(err)
		}
	}
}

package authorizer_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/authorizer"
)

// wantDenial fails unless err is a *Denial with reason and message.
func wantDenial(t *testing.T, err error, reason authorizer.Reason, message string) *authorizer.Denial {
	t.Helper()
	var d *authorizer.Denial
	if !errors.As(err, &d) {
		t.Fatalf("err = %v, want a denial (%s)", err, reason)
	}
	if d.Reason != reason || d.Message != message {
		t.Fatalf("denial = %s %q (%s), want %s %q", d.Reason, d.Message, d.Detail, reason, message)
	}
	return d
}

// TestSecuritySuite is issue 5's list: each token must be refused as API
// Gateway refuses it.
func TestSecuritySuite(t *testing.T) {
	e := newEnv(t)
	now := e.clk.Now().Unix()
	valid := e.idToken(nil)
	h, p, s := splitJWT(valid)
	pubDER, err := x509.MarshalPKIXPublicKey(&e.keys.id.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hs256 := func(secret []byte) string {
		signed := b64(map[string]any{"alg": "HS256", "kid": e.keys.idKID, "typ": "JWT"}) + "." + p
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(signed))
		return signed + "." + b64(mac.Sum(nil))
	}
	tampered := e.idClaims()
	tampered["cognito:username"] = "root"
	otherClaims := e.idClaims()
	otherClaims["iss"] = publicURL + "/" + e.other.ID

	unauthorized := authorizer.MessageUnauthorized
	for _, tc := range []struct {
		name    string
		header  string
		reason  authorizer.Reason
		message string
	}{
		{"alg none, no signature", b64(map[string]any{"alg": "none", "kid": e.keys.idKID}) + "." + p + ".", authorizer.ReasonBadSignature, unauthorized},
		{"alg none with the original signature", b64(map[string]any{"alg": "none", "kid": e.keys.idKID}) + "." + p + "." + s, authorizer.ReasonBadSignature, unauthorized},
		{"alg None", b64(map[string]any{"alg": "None", "kid": e.keys.idKID}) + "." + p + ".", authorizer.ReasonBadSignature, unauthorized},
		{"HS256 keyed with the public key PEM", hs256(pubPEM), authorizer.ReasonBadSignature, unauthorized},
		{"HS256 keyed with the public key DER", hs256(pubDER), authorizer.ReasonBadSignature, unauthorized},
		{"RS512", b64(map[string]any{"alg": "RS512", "kid": e.keys.idKID}) + "." + p + "." + s, authorizer.ReasonBadSignature, unauthorized},
		{"no alg", b64(map[string]any{"kid": e.keys.idKID}) + "." + p + "." + s, authorizer.ReasonBadSignature, unauthorized},
		{"no kid", b64(map[string]any{"alg": "RS256"}) + "." + p + "." + s, authorizer.ReasonUnknownKID, unauthorized},
		{"unknown kid", e.sign(e.keys.id, "bm90LWEta2lk", e.idClaims()), authorizer.ReasonUnknownKID, unauthorized},
		{"kid and key of another pool, iss of this one", e.sign(e.others.id, e.others.idKID, e.idClaims()), authorizer.ReasonUnknownKID, unauthorized},
		{"token of another pool", e.sign(e.others.id, e.others.idKID, otherClaims), authorizer.ReasonIssuer, unauthorized},
		{"this pool's kid, another pool's key", e.sign(e.others.id, e.keys.idKID, e.idClaims()), authorizer.ReasonBadSignature, unauthorized},
		{"expired", e.idToken(map[string]any{"exp": now - 1, "iat": now - 3601}), authorizer.ReasonExpired, authorizer.MessageExpired},
		{"expires this second", e.idToken(map[string]any{"exp": now}), authorizer.ReasonExpired, authorizer.MessageExpired},
		{"not yet valid", e.idToken(map[string]any{"nbf": now + 3600}), authorizer.ReasonNotYetValid, unauthorized},
		{"future iat", e.idToken(map[string]any{"iat": now + 3600}), authorizer.ReasonNotYetValid, unauthorized},
		{"wrong iss: AWS form of another region", e.idToken(map[string]any{"iss": "https://cognito-idp.eu-west-1.amazonaws.com/" + e.pool.ID}), authorizer.ReasonIssuer, unauthorized},
		{"wrong iss: lookalike host", e.idToken(map[string]any{"iss": "https://evil.example/" + e.pool.ID}), authorizer.ReasonIssuer, unauthorized},
		{"wrong iss: another pool", e.idToken(map[string]any{"iss": publicURL + "/" + e.other.ID}), authorizer.ReasonIssuer, unauthorized},
		{"no iss", e.idToken(map[string]any{"iss": nil}), authorizer.ReasonMalformed, unauthorized},
		{"wrong token_use: access without scopes", e.accessToken(), authorizer.ReasonTokenUse, unauthorized},
		{"wrong token_use: other", e.idToken(map[string]any{"token_use": "refresh"}), authorizer.ReasonTokenUse, unauthorized},
		{"aud of a client of another pool", e.idToken(map[string]any{"aud": "0000000000000000000000other"}), authorizer.ReasonDeletedClient, unauthorized},
		{"tampered payload, original signature", h + "." + b64(tampered) + "." + s, authorizer.ReasonBadSignature, unauthorized},
		{"tampered header, original signature", b64(map[string]any{"kid": e.keys.idKID, "alg": "RS256"}) + "." + p + "." + s, authorizer.ReasonBadSignature, unauthorized},
		{"signature cut short", valid[:len(valid)-10], authorizer.ReasonBadSignature, unauthorized},
		{"no signature", h + "." + p + ".", authorizer.ReasonMalformed, unauthorized},
		{"two parts", h + "." + p, authorizer.ReasonMalformed, unauthorized},
		{"four parts", valid + "." + s, authorizer.ReasonMalformed, unauthorized},
		{"cut in the payload", valid[:len(h)+10], authorizer.ReasonMalformed, unauthorized},
		{"padding", valid + "=", authorizer.ReasonMalformed, unauthorized},
		{"not base64 JSON", "abc.def.ghi", authorizer.ReasonMalformed, unauthorized},
		{"payload an array", h + "." + b64([]any{1}) + "." + s, authorizer.ReasonMalformed, unauthorized},
		{"exp a string", e.idToken(map[string]any{"exp": "tomorrow"}), authorizer.ReasonMalformed, unauthorized},
		{"100 KB header", "Bearer " + strings.Repeat("a", 100<<10), authorizer.ReasonMalformed, unauthorized},
		{"100 KB token of dots", strings.Repeat(".", 100<<10), authorizer.ReasonMalformed, unauthorized},
		{"empty", "", authorizer.ReasonNoToken, unauthorized},
		{"spaces", "   ", authorizer.ReasonNoToken, unauthorized},
		{"Bearer alone", "Bearer", authorizer.ReasonMalformed, unauthorized},
		{"Bearer and a space", "Bearer ", authorizer.ReasonMalformed, unauthorized},
		{"Bearer glued to the token", "Bearer" + valid, authorizer.ReasonMalformed, unauthorized},
		{"Basic scheme", "Basic " + valid, authorizer.ReasonMalformed, unauthorized},
		{"Bearer twice", "Bearer Bearer " + valid, authorizer.ReasonMalformed, unauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.v.Verify(e.ctx, e.cfg(), tc.header)
			d := wantDenial(t, err, tc.reason, tc.message)
			if len(tc.header) > 20 && strings.Contains(d.Detail, tc.header[len(tc.header)-20:]) {
				t.Errorf("detail %q holds the token", d.Detail)
			}
		})
	}
}

func TestBearerPrefixes(t *testing.T) {
	e := newEnv(t)
	tok := e.idToken(nil)
	for _, header := range []string{tok, "Bearer " + tok, "bearer " + tok, "BEARER " + tok, "BeArEr " + tok,
		"Bearer   " + tok, "Bearer\t" + tok, " Bearer " + tok + " ", tok + " "} {
		if _, err := e.v.Verify(e.ctx, e.cfg(), header); err != nil {
			t.Errorf("%.12q…: %v", header, err)
		}
	}
}

func TestValidTokens(t *testing.T) {
	e := newEnv(t)
	id := e.idToken(nil)
	r, err := e.v.Verify(e.ctx, e.cfg(), id)
	if err != nil {
		t.Fatal(err)
	}
	if r.TokenUse != "id" || r.ClientID != e.user.ClientID || r.Subject != "5f1c1b8e-0000-4000-8000-000000000001" || r.JTI != "j-1" || r.Claims["email"] != "alice@example.com" {
		t.Errorf("result = %+v", r)
	}
	// The AWS form of the issuer is accepted for a local pool too.
	if _, err := e.v.Verify(e.ctx, e.cfg(), e.idToken(map[string]any{"iss": "https://cognito-idp.us-east-1.amazonaws.com/" + e.pool.ID})); err != nil {
		t.Errorf("AWS-form iss: %v", err)
	}
	// Among several providers.
	multi := authorizer.Config{ProviderARNs: []string{e.other.Arn, e.pool.Arn}}
	if _, err := e.v.Verify(e.ctx, multi, id); err != nil {
		t.Errorf("second of two providers: %v", err)
	}

	access := e.accessToken()
	r, err = e.v.Verify(e.ctx, e.cfg("other/scope", scopeAPI), access)
	if err != nil {
		t.Fatal(err)
	}
	if r.TokenUse != "access" || r.ClientID != e.m2m.ClientID || r.Subject != e.m2m.ClientID || r.JTI == "" {
		t.Errorf("result = %+v", r)
	}
	_, err = e.v.Verify(e.ctx, e.cfg("layerless-esbuild/missing"), access)
	wantDenial(t, err, authorizer.ReasonScope, authorizer.MessageUnauthorized)
	_, err = e.v.Verify(e.ctx, e.cfg(scopeAPI), id)
	wantDenial(t, err, authorizer.ReasonTokenUse, authorizer.MessageUnauthorized)
}

// TestCacheHonoursChanges checks that a cached token is still refused
// once it expires, its client is deleted, or its pool is.
func TestCacheHonoursChanges(t *testing.T) {
	e := newEnv(t)
	id := e.idToken(nil)
	access := e.accessToken()
	for range 2 { // the second time from the cache
		if _, err := e.v.Verify(e.ctx, e.cfg(), id); err != nil {
			t.Fatal(err)
		}
		if _, err := e.v.Verify(e.ctx, e.cfg(scopeAPI), access); err != nil {
			t.Fatal(err)
		}
	}
	// Configuration is checked against the cached claims on every call.
	_, err := e.v.Verify(e.ctx, e.cfg(scopeAPI), id)
	wantDenial(t, err, authorizer.ReasonTokenUse, authorizer.MessageUnauthorized)
	_, err = e.v.Verify(e.ctx, authorizer.Config{ProviderARNs: []string{e.other.Arn}}, id)
	wantDenial(t, err, authorizer.ReasonIssuer, authorizer.MessageUnauthorized)

	if err := e.svc.DeleteUserPoolClient(e.ctx, region, e.pool.ID, e.m2m.ClientID); err != nil {
		t.Fatal(err)
	}
	_, err = e.v.Verify(e.ctx, e.cfg(scopeAPI), access)
	wantDenial(t, err, authorizer.ReasonDeletedClient, authorizer.MessageUnauthorized)

	e.clk.Advance(time.Hour)
	_, err = e.v.Verify(e.ctx, e.cfg(), id)
	wantDenial(t, err, authorizer.ReasonExpired, authorizer.MessageExpired)
	e.clk.Advance(-time.Minute)
	if _, err := e.v.Verify(e.ctx, e.cfg(), id); err != nil {
		t.Fatalf("a minute before expiry: %v", err)
	}

	if err := e.svc.DeleteUserPool(e.ctx, region, e.pool.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.v.Verify(e.ctx, e.cfg(), id)
	wantDenial(t, err, authorizer.ReasonIssuer, authorizer.MessageUnauthorized)
}

// TestDeletedClient: a token of a client deleted before the token was
// ever seen is refused, as one seen before is (TestCacheHonoursChanges).
func TestDeletedClient(t *testing.T) {
	e := newEnv(t)
	access := e.accessToken()
	id := e.idToken(nil)
	if err := e.svc.DeleteUserPoolClient(e.ctx, region, e.pool.ID, e.m2m.ClientID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteUserPoolClient(e.ctx, region, e.pool.ID, e.user.ClientID); err != nil {
		t.Fatal(err)
	}
	_, err := e.v.Verify(e.ctx, e.cfg(scopeAPI), access)
	wantDenial(t, err, authorizer.ReasonDeletedClient, authorizer.MessageUnauthorized)
	_, err = e.v.Verify(e.ctx, e.cfg(), id)
	wantDenial(t, err, authorizer.ReasonDeletedClient, authorizer.MessageUnauthorized)
}

// TestClockLeeway: nbf and iat may be up to a minute ahead (a remote
// pool's clock), exp gets no leeway.
func TestClockLeeway(t *testing.T) {
	e := newEnv(t)
	now := e.clk.Now().Unix()
	for _, c := range []map[string]any{{"iat": now + 59}, {"nbf": now + 60}} {
		if _, err := e.v.Verify(e.ctx, e.cfg(), e.idToken(c)); err != nil {
			t.Errorf("%v: %v", c, err)
		}
	}
	_, err := e.v.Verify(e.ctx, e.cfg(), e.idToken(map[string]any{"iat": now + 61}))
	wantDenial(t, err, authorizer.ReasonNotYetValid, authorizer.MessageUnauthorized)
}

// TestRotatedKeys: tokens of a rotated-out key pass while it is
// published, and a new key's tokens pass at once.
func TestRotatedKeys(t *testing.T) {
	e := newEnv(t)
	old := e.idToken(nil)
	if _, err := e.svc.RotateSigningKeys(e.ctx, e.pool.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.v.Verify(e.ctx, e.cfg(), old); err != nil {
		t.Fatalf("token of the rotated-out key: %v", err)
	}
	if _, err := e.v.Verify(e.ctx, e.cfg(scopeAPI), e.accessToken()); err != nil {
		t.Fatalf("token of the new key: %v", err)
	}
}

func TestValidationExpression(t *testing.T) {
	e := newEnv(t)
	id := e.idToken(nil)
	cfg := e.cfg()
	cfg.ValidationExpression = e.user.ClientID[:5] + ".*"
	if _, err := e.v.Verify(e.ctx, cfg, id); err != nil {
		t.Fatalf("matching aud: %v", err)
	}
	cfg.ValidationExpression = e.user.ClientID[:5] // must match the whole aud
	_, err := e.v.Verify(e.ctx, cfg, id)
	wantDenial(t, err, authorizer.ReasonValidationExpression, authorizer.MessageUnauthorized)
	// No match answers Unauthorized without further checks, even expired.
	e.clk.Advance(2 * time.Hour)
	_, err = e.v.Verify(e.ctx, cfg, id)
	wantDenial(t, err, authorizer.ReasonValidationExpression, authorizer.MessageUnauthorized)

	cfg.ValidationExpression = "("
	_, err = e.v.Verify(e.ctx, cfg, id)
	var d *authorizer.Denial
	if err == nil || errors.As(err, &d) {
		t.Fatalf("bad expression: err = %v, want a configuration error", err)
	}
}

func TestConfigurationErrors(t *testing.T) {
	e := newEnv(t)
	id := e.idToken(nil)
	for _, arns := range [][]string{nil, {"arn:aws:cognito-idp:us-east-1:123456789012:pool/" + e.pool.ID}} {
		_, err := e.v.Verify(e.ctx, authorizer.Config{ProviderARNs: arns}, id)
		var d *authorizer.Denial
		if err == nil || errors.As(err, &d) {
			t.Errorf("providers %v: err = %v, want a configuration error", arns, err)
		}
	}
}

// splitJWT returns the three parts of a compact JWS.
func splitJWT(s string) (h, p, sig string) {
	parts := strings.SplitN(s, ".", 3)
	return parts[0], parts[1], parts[2]
}

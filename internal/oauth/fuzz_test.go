package oauth_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzTokenRequest drives the token endpoint's form parsing and client
// authentication with arbitrary Content-Type, Authorization and body
// values. The handler must never panic and never answer 500 for client
// input: every answer is 200 with a token or 400 with an RFC 6749 error.
//
// The seeds in testdata/fuzz/FuzzTokenRequest may name the fixture's real
// client with the placeholders $CLIENT_ID and $CLIENT_SECRET, and may write
// "Basic-raw id:secret" to have the fixture base64 the credentials, so that
// the corpus reaches the success path too.
func FuzzTokenRequest(f *testing.F) {
	fx := newFixture(f)
	id, secret := fx.cc30.ClientID, fx.cc30.ClientSecret
	f.Add("application/x-www-form-urlencoded", "", []byte("grant_type=client_credentials&client_id=$CLIENT_ID&client_secret=$CLIENT_SECRET"))
	f.Add("application/x-www-form-urlencoded", "Basic-raw $CLIENT_ID:$CLIENT_SECRET", []byte("grant_type=client_credentials&scope=orders%2Fread"))

	codes := map[string]bool{"invalid_request": true, "invalid_client": true, "invalid_grant": true,
		"unauthorized_client": true, "unsupported_grant_type": true, "invalid_scope": true}
	f.Fuzz(func(t *testing.T, contentType, authorization string, body []byte) {
		expand := func(s string) string {
			return strings.NewReplacer("$CLIENT_ID", id, "$CLIENT_SECRET", secret).Replace(s)
		}
		authorization = expand(authorization)
		if raw, ok := strings.CutPrefix(authorization, "Basic-raw "); ok {
			authorization = "Basic " + base64.StdEncoding.EncodeToString([]byte(raw))
		}
		body = []byte(expand(string(body)))

		req := httptest.NewRequest(http.MethodPost, "/_domain/"+domain+"/oauth2/token", strings.NewReader(string(body)))
		// Header values a real server could hand us: net/http refuses
		// CR, LF and NUL in field values.
		if validHeaderValue(contentType) {
			req.Header.Set("Content-Type", contentType)
		}
		if validHeaderValue(authorization) {
			req.Header.Set("Authorization", authorization)
		}
		rec := httptest.NewRecorder()
		fx.handler.ServeDomain(rec, req, domain, "", "/oauth2/token")

		switch rec.Code {
		case http.StatusOK:
			var tr struct {
				AccessToken string `json:"access_token"`
				ExpiresIn   int64  `json:"expires_in"`
				TokenType   string `json:"token_type"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &tr); err != nil || tr.AccessToken == "" || tr.TokenType != "Bearer" {
				t.Fatalf("200 with body %q", rec.Body)
			}
		case http.StatusBadRequest:
			var e struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || !codes[e.Error] {
				t.Fatalf("400 with body %q", rec.Body)
			}
		default:
			t.Fatalf("status %d for client input (content type %q, authorization %q, body %q): %s",
				rec.Code, contentType, authorization, body, rec.Body)
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Fatalf("Cache-Control %q", got)
		}
	})
}

func validHeaderValue(v string) bool {
	return !strings.ContainsAny(v, "\r\n\x00")
}

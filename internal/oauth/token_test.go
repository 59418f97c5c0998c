package oauth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/oauth"
)

func TestClientCredentialsWithOAuth2Library(t *testing.T) {
	f := newFixture(t)
	for _, style := range []struct {
		name string
		auth oauth2.AuthStyle
	}{{"header", oauth2.AuthStyleInHeader}, {"params", oauth2.AuthStyleInParams}} {
		for _, tc := range []struct {
			name      string
			scopes    []string
			wantScope string
		}{
			{"no scope", nil, "orders/read orders/write"},
			{"one scope", []string{"orders/write"}, "orders/write"},
			{"two scopes", []string{"orders/write", "orders/read"}, "orders/write orders/read"},
		} {
			t.Run(style.name+"/"+tc.name, func(t *testing.T) {
				cfg := clientcredentials.Config{ClientID: f.cc30.ClientID, ClientSecret: f.cc30.ClientSecret,
					TokenURL: f.tokenURL(), Scopes: tc.scopes, AuthStyle: style.auth}
				before := time.Now()
				tok, err := cfg.Token(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if tok.TokenType != "Bearer" || tok.RefreshToken != "" {
					t.Errorf("token_type %q refresh_token %q", tok.TokenType, tok.RefreshToken)
				}
				if got := tok.Extra("expires_in"); got != 1800.0 {
					t.Errorf("expires_in = %v, want 1800 (30 minutes)", got)
				}
				if d := tok.Expiry.Sub(before); d < 29*time.Minute || d > 31*time.Minute {
					t.Errorf("expiry in %v, want 30m", d)
				}
				_, claims := decodeJWT(t, tok.AccessToken)
				if claims["scope"] != tc.wantScope {
					t.Errorf("scope = %v, want %q", claims["scope"], tc.wantScope)
				}
			})
		}
	}
}

// TestBasicFormEncoding checks RFC 6749 §2.3.1: the id and secret inside
// Basic are form-urlencoded first, which golang.org/x/oauth2 does ('+'
// becomes %2B). A client that sends a '+' raw is read as a space, as the RFC
// says, and fails.
func TestBasicFormEncoding(t *testing.T) {
	f := newFixture(t)
	cfg := clientcredentials.Config{ClientID: f.plus.ClientID, ClientSecret: fixedSecret,
		TokenURL: f.tokenURL(), AuthStyle: oauth2.AuthStyleInHeader}
	if _, err := cfg.Token(context.Background()); err != nil {
		t.Fatalf("encoded Basic: %v", err)
	}
	// curl -u and Postman send the secret raw: its "+" stays a "+".
	raw := "Basic " + base64.StdEncoding.EncodeToString([]byte(f.plus.ClientID+":"+fixedSecret))
	resp := f.post(t, "application/x-www-form-urlencoded", raw, "grant_type=client_credentials")
	if body := readBody(t, resp); resp.StatusCode != 200 {
		t.Fatalf("raw Basic with a '+' in the secret: %d %s", resp.StatusCode, body)
	}
	// A "+" read as a space is not the secret.
	spaced := "Basic " + base64.StdEncoding.EncodeToString([]byte(f.plus.ClientID+":"+strings.ReplaceAll(fixedSecret, "+", " ")))
	wantError(t, f.post(t, "application/x-www-form-urlencoded", spaced, "grant_type=client_credentials"), 400, "invalid_client")
}

func TestAccessTokenFormat(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name   string
		client identity.Client
		ttl    int64
	}{
		{"30 minutes", f.cc30, 1800},
		{"5 minutes", f.cc5, 300},
		{"default hour", f.plus, 3600},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.post(t, "application/x-www-form-urlencoded", basic(tc.client.ClientID, tc.client.ClientSecret),
				"grant_type=client_credentials")
			body := readBody(t, resp)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			for h, want := range map[string]string{"Content-Type": "application/json;charset=UTF-8",
				"Cache-Control": "no-store", "Pragma": "no-cache", "Access-Control-Allow-Origin": "*"} {
				if got := resp.Header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			// Exactly Cognito's members, in Cognito's order.
			re := regexp.MustCompile(`^\{"access_token":"[A-Za-z0-9_.-]+","expires_in":` + itoa(tc.ttl) + `,"token_type":"Bearer"\}$`)
			if !re.MatchString(body) {
				t.Fatalf("body %s does not match %s", body, re)
			}
			var tr struct {
				AccessToken string `json:"access_token"`
			}
			if err := json.Unmarshal([]byte(body), &tr); err != nil {
				t.Fatal(err)
			}
			header, claims := decodeJWT(t, tr.AccessToken)
			if len(header) != 2 || header["alg"] != "RS256" || header["kid"] == "" {
				t.Errorf("header = %v, want exactly alg RS256 and kid", header)
			}
			keys := make([]string, 0, len(claims))
			for k := range claims {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			want := []string{"auth_time", "client_id", "exp", "iat", "iss", "jti", "scope", "sub", "token_use", "version"}
			if !slices.Equal(keys, want) {
				t.Errorf("claims %v, want exactly %v", keys, want)
			}
			id := tc.client.ClientID
			if claims["sub"] != id || claims["client_id"] != id {
				t.Errorf("sub %v client_id %v, want %s", claims["sub"], claims["client_id"], id)
			}
			if claims["token_use"] != "access" || claims["iss"] != f.issuer || claims["version"] != 2.0 {
				t.Errorf("token_use %v iss %v version %v", claims["token_use"], claims["iss"], claims["version"])
			}
			if claims["scope"] != strings.Join(tc.client.Settings.AllowedOAuthScopes, " ") {
				t.Errorf("scope %v, want all of the client's scopes", claims["scope"])
			}
			iat, exp, at := claims["iat"].(float64), claims["exp"].(float64), claims["auth_time"].(float64)
			if int64(exp-iat) != tc.ttl || at != iat {
				t.Errorf("exp-iat = %v, auth_time %v iat %v; want %d and auth_time = iat", exp-iat, at, iat, tc.ttl)
			}
			uuid4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
			if jti, _ := claims["jti"].(string); !uuid4.MatchString(jti) {
				t.Errorf("jti %v is not a UUID v4", claims["jti"])
			}
		})
	}
}

func TestTokenSuccessVariants(t *testing.T) {
	f := newFixture(t)
	id, secret := f.cc30.ClientID, f.cc30.ClientSecret
	for _, tc := range []struct {
		name, contentType, auth, body, wantScope string
	}{
		{"charset parameter", "application/x-www-form-urlencoded; charset=UTF-8", basic(id, secret),
			"grant_type=client_credentials&scope=orders%2Fread", "orders/read"},
		{"upper-case media type", "Application/X-WWW-Form-Urlencoded", basic(id, secret),
			"grant_type=client_credentials", "orders/read orders/write"},
		{"header and body agree", "application/x-www-form-urlencoded", basic(id, secret),
			"grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret, "orders/read orders/write"},
		{"header and body client_id agree", "application/x-www-form-urlencoded", basic(id, secret),
			"grant_type=client_credentials&client_id=" + id, "orders/read orders/write"},
		{"empty scope is omitted (RFC 6749 3.1)", "application/x-www-form-urlencoded", basic(id, secret),
			"grant_type=client_credentials&scope=", "orders/read orders/write"},
		{"plus as space in scope", "application/x-www-form-urlencoded", basic(id, secret),
			"grant_type=client_credentials&scope=orders/read+orders/write", "orders/read orders/write"},
		{"unknown parameters ignored", "application/x-www-form-urlencoded", basic(id, secret),
			"grant_type=client_credentials&audience=x&&", "orders/read orders/write"},
		{"lower-case basic scheme, no padding", "application/x-www-form-urlencoded",
			"basic " + strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(id+":"+secret)), "="),
			"grant_type=client_credentials", "orders/read orders/write"},
		{"body credentials", "application/x-www-form-urlencoded", "",
			"client_secret=" + secret + "&grant_type=client_credentials&client_id=" + id, "orders/read orders/write"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.post(t, tc.contentType, tc.auth, tc.body)
			body := readBody(t, resp)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			var tr struct {
				AccessToken string `json:"access_token"`
			}
			if err := json.Unmarshal([]byte(body), &tr); err != nil {
				t.Fatal(err)
			}
			if _, claims := decodeJWT(t, tr.AccessToken); claims["scope"] != tc.wantScope {
				t.Errorf("scope %v, want %q", claims["scope"], tc.wantScope)
			}
		})
	}
}

func TestTokenErrors(t *testing.T) {
	f := newFixture(t)
	const form = "application/x-www-form-urlencoded"
	id, secret := f.cc30.ClientID, f.cc30.ClientSecret
	good := basic(id, secret)
	for _, tc := range []struct {
		name, contentType, auth, body string
		status                        int
		want                          string // exact body
	}{
		{"wrong secret", form, basic(id, wrongFirstChar(secret)), "grant_type=client_credentials", 400, `{"error":"invalid_client"}`},
		{"wrong secret in body", form, "", "grant_type=client_credentials&client_id=" + id + "&client_secret=nope", 400, `{"error":"invalid_client"}`},
		{"unknown client", form, basic("1234567890abcdefghijklmnop", secret), "grant_type=client_credentials", 400, `{"error":"invalid_client"}`},
		{"client of another pool", form, basic(f.otherPool.ClientID, f.otherPool.ClientSecret), "grant_type=client_credentials", 400, `{"error":"invalid_client"}`},
		{"confidential client without secret", form, "", "grant_type=client_credentials&client_id=" + id, 400, `{"error":"invalid_client"}`},
		{"confidential client with empty secret", form, "", "grant_type=client_credentials&client_id=" + id + "&client_secret=", 400, `{"error":"invalid_client"}`},
		{"OAuth not enabled on client", form, basic(f.noOAuth.ClientID, f.noOAuth.ClientSecret), "grant_type=client_credentials", 400, `{"error":"invalid_grant"}`},
		{"client without the flow", form, basic(f.codeClient.ClientID, f.codeClient.ClientSecret), "grant_type=client_credentials", 400, `{"error":"unauthorized_client"}`},
		{"scope not allowed", form, basic(f.cc5.ClientID, f.cc5.ClientSecret), "grant_type=client_credentials&scope=orders%2Fwrite", 400, `{"error":"invalid_scope"}`},
		{"scope undefined", form, good, "grant_type=client_credentials&scope=orders%2Fdelete", 400, `{"error":"invalid_scope"}`},
		{"reserved scope", form, good, "grant_type=client_credentials&scope=openid", 400, `{"error":"invalid_scope"}`},
		{"scope with a tab", form, good, "grant_type=client_credentials&scope=orders%2Fread%09orders%2Fwrite", 400, `{"error":"invalid_scope"}`},
		{"grant_type missing", form, good, "scope=orders%2Fread", 400, `{"error":"invalid_request"}`},
		{"grant_type empty", form, good, "grant_type=", 400, `{"error":"invalid_request"}`},
		{"empty body", form, good, "", 400, `{"error":"invalid_request"}`},
		{"grant_type password", form, good, "grant_type=password&username=u&password=p", 400, `{"error":"unsupported_grant_type"}`},
		{"grant_type case matters", form, good, "grant_type=Client_Credentials", 400, `{"error":"unsupported_grant_type"}`},
		{"authorization_code not built", form, good, "grant_type=authorization_code&code=c&redirect_uri=https%3A%2F%2Fa", 400,
			`{"error":"invalid_request","error_description":"Cognate does not implement the authorization_code grant yet"}`},
		{"refresh_token not built", form, good, "grant_type=refresh_token&refresh_token=r", 400,
			`{"error":"invalid_request","error_description":"Cognate does not implement the refresh_token grant yet"}`},
		{"JSON body", "application/json", good, `{"grant_type":"client_credentials"}`, 400, `{"error":"invalid_request"}`},
		{"no content type", "", good, "grant_type=client_credentials", 400, `{"error":"invalid_request"}`},
		{"multipart", "multipart/form-data; boundary=x", good, "--x--", 400, `{"error":"invalid_request"}`},
		{"malformed content type", "application/x-www-form-urlencoded; charset", good, "grant_type=client_credentials", 400, `{"error":"invalid_request"}`},
		{"repeated grant_type", form, good, "grant_type=client_credentials&grant_type=client_credentials", 400, `{"error":"invalid_request"}`},
		{"repeated scope", form, good, "grant_type=client_credentials&scope=orders%2Fread&scope=orders%2Fwrite", 400, `{"error":"invalid_request"}`},
		{"repeated empty parameter", form, good, "grant_type=client_credentials&scope=&scope=", 400, `{"error":"invalid_request"}`},
		{"repeated client_id", form, "", "grant_type=client_credentials&client_id=" + id + "&client_id=" + id + "&client_secret=" + secret, 400, `{"error":"invalid_request"}`},
		{"non-UTF-8 value", form, good, "grant_type=client_credentials&scope=%FF", 400, `{"error":"invalid_request"}`},
		{"non-UTF-8 name", form, good, "grant_type=client_credentials&%C3%28=x", 400, `{"error":"invalid_request"}`},
		{"raw non-UTF-8 byte", form, good, "grant_type=client_credentials&x=\xff", 400, `{"error":"invalid_request"}`},
		{"bad percent-encoding", form, good, "grant_type=client_credentials&scope=%zz", 400, `{"error":"invalid_request"}`},
		{"header and body disagree on id", form, good, "grant_type=client_credentials&client_id=" + f.cc5.ClientID, 400, `{"error":"invalid_request"}`},
		{"header and body disagree on secret", form, good, "grant_type=client_credentials&client_secret=other", 400, `{"error":"invalid_request"}`},
		{"no client at all", form, "", "grant_type=client_credentials", 400, `{"error":"invalid_request"}`},
		{"Bearer authorization", form, "Bearer abc", "grant_type=client_credentials", 400, `{"error":"invalid_client"}`},
		{"Basic not base64", form, "Basic !!!", "grant_type=client_credentials", 400, `{"error":"invalid_client"}`},
		{"Basic without colon", form, "Basic " + base64.StdEncoding.EncodeToString([]byte(id)), "grant_type=client_credentials", 400, `{"error":"invalid_client"}`},
		{"Basic empty id", form, basic("", secret), "grant_type=client_credentials", 400, `{"error":"invalid_client"}`},
		{"Basic bad percent-encoding", form, "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":%zz")), "grant_type=client_credentials", 400, `{"error":"invalid_client"}`},
		{"Basic non-UTF-8", form, "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":\xff")), "grant_type=client_credentials", 400, `{"error":"invalid_client"}`},
		{"Basic scheme only", form, "Basic", "grant_type=client_credentials", 400, `{"error":"invalid_client"}`},
		{"control character in client_id", form, "", "grant_type=client_credentials&client_id=a%00b&client_secret=s", 400, `{"error":"invalid_client"}`},
		{"oversized body", form, good, "grant_type=client_credentials&pad=" + strings.Repeat("a", oauth.MaxTokenRequestBytes), 400, `{"error":"invalid_request"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.post(t, tc.contentType, tc.auth, tc.body)
			wantExact(t, resp, tc.status, tc.want)
		})
	}

	t.Run("gzip content encoding", func(t *testing.T) {
		req := f.newPost(t, form, good, "grant_type=client_credentials")
		req.Header.Set("Content-Encoding", "gzip")
		wantExact(t, do(t, req), 400, `{"error":"invalid_request"}`)
	})
	t.Run("two Authorization headers", func(t *testing.T) {
		req := f.newPost(t, form, good, "grant_type=client_credentials")
		req.Header.Add("Authorization", good)
		wantExact(t, do(t, req), 400, `{"error":"invalid_client"}`)
	})
	t.Run("query string is not merged", func(t *testing.T) {
		req := f.newPost(t, form, good, "scope=orders%2Fread")
		req.URL.RawQuery = "grant_type=client_credentials"
		wantExact(t, do(t, req), 400, `{"error":"invalid_request"}`)
	})
	t.Run("body just under the limit", func(t *testing.T) {
		b := "grant_type=client_credentials&pad="
		b += strings.Repeat("a", oauth.MaxTokenRequestBytes-len(b))
		resp := f.post(t, form, good, b)
		if body := readBody(t, resp); resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
	})
}

func TestTokenMethodNotAllowed(t *testing.T) {
	f := newFixture(t)
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions} {
		t.Run(m, func(t *testing.T) {
			req, err := http.NewRequest(m, f.tokenURL()+"?grant_type=client_credentials", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp := do(t, req)
			body := readBody(t, resp)
			if resp.StatusCode != 405 || body != "" {
				t.Fatalf("status %d body %q, want 405 and no body", resp.StatusCode, body)
			}
			if got := resp.Header.Get("Allow"); got != "POST" {
				t.Errorf("Allow = %q, want POST", got)
			}
			if got := resp.Header.Get("Cache-Control"); got != "no-cache, no-store, max-age=0, must-revalidate" {
				t.Errorf("Cache-Control = %q", got)
			}
		})
	}
}

func TestHostedDomainPaths(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		method, url string
		status      int
		want        string
	}{
		{"GET", "/_domain/" + domain + "/oauth2/authorize?response_type=code", 501,
			`{"error":"not_implemented","error_description":"Cognate does not implement the /oauth2/authorize endpoint yet"}`},
		{"GET", "/_domain/" + domain + "/oauth2/userInfo", 501,
			`{"error":"not_implemented","error_description":"Cognate does not implement the /oauth2/userInfo endpoint yet"}`},
		{"POST", "/_domain/" + domain + "/oauth2/revoke", 501,
			`{"error":"not_implemented","error_description":"Cognate does not implement the /oauth2/revoke endpoint yet"}`},
		{"GET", "/_domain/" + domain + "/login", 501,
			`{"error":"not_implemented","error_description":"Cognate does not implement the /login endpoint yet"}`},
		{"GET", "/_domain/" + domain + "/logout", 501,
			`{"error":"not_implemented","error_description":"Cognate does not implement the /logout endpoint yet"}`},
		{"GET", "/_domain/" + domain + "/oauth2/userinfo", 404,
			`{"error":"not_found","error_description":"No endpoint at /oauth2/userinfo"}`},
		{"GET", "/_domain/" + domain + "/", 404, `{"error":"not_found","error_description":"No endpoint at /"}`},
		{"POST", "/_domain/" + domain + "/oauth2/token/", 404, `{"error":"not_found","error_description":"No endpoint at /oauth2/token/"}`},
		{"POST", "/_domain/nosuchdomain/oauth2/token", 404, `{"error":"not_found","error_description":"No user pool has the domain \"nosuchdomain\""}`},
		{"GET", "/_domain/nosuchdomain/oauth2/token", 404, `{"error":"not_found","error_description":"No user pool has the domain \"nosuchdomain\""}`},
		{"GET", "/_domain/nosuchdomain/oauth2/authorize", 404, `{"error":"not_found","error_description":"No user pool has the domain \"nosuchdomain\""}`},
		{"GET", "/_domain/nosuchdomain/elsewhere", 404, `{"error":"not_found","error_description":"No user pool has the domain \"nosuchdomain\""}`},
		{"POST", "/_domain/bad%20domain/oauth2/token", 404, `{"error":"not_found","error_description":"No user pool has the domain \"bad domain\""}`},
	} {
		t.Run(tc.method+" "+tc.url, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, f.srv.URL+tc.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			wantExact(t, do(t, req), tc.status, tc.want)
		})
	}
	t.Run("grant not built on an unknown domain", func(t *testing.T) {
		req := f.newPost(t, "application/x-www-form-urlencoded", basic(f.cc30.ClientID, f.cc30.ClientSecret), "grant_type=refresh_token&refresh_token=x")
		req.URL.Path = "/_domain/nosuchdomain/oauth2/token"
		wantExact(t, do(t, req), 404, `{"error":"not_found","error_description":"No user pool has the domain \"nosuchdomain\""}`)
	})
	t.Run("valid token request on an unknown domain", func(t *testing.T) {
		req := f.newPost(t, "application/x-www-form-urlencoded", basic(f.cc30.ClientID, f.cc30.ClientSecret), "grant_type=client_credentials")
		req.URL.Path = "/_domain/nosuchdomain/oauth2/token"
		wantExact(t, do(t, req), 404, `{"error":"not_found","error_description":"No user pool has the domain \"nosuchdomain\""}`)
	})
}

func TestTokenMetricsAndLogs(t *testing.T) {
	f := newFixture(t)
	counter := func() float64 {
		t.Helper()
		mfs, err := f.reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if mf.GetName() == "cognate_tokens_issued_total" {
				if len(mf.GetMetric()) != 1 {
					t.Fatalf("%d series, want 1", len(mf.GetMetric()))
				}
				m := mf.GetMetric()[0]
				if l := m.GetLabel(); len(l) != 1 || l[0].GetName() != "grant" || l[0].GetValue() != "client_credentials" {
					t.Fatalf("labels %v", l)
				}
				return m.GetCounter().GetValue()
			}
		}
		t.Fatal("no cognate_tokens_issued_total")
		return 0
	}
	if got := counter(); got != 0 {
		t.Fatalf("before: %v", got)
	}
	var tokens []string
	for range 3 {
		cfg := clientcredentials.Config{ClientID: f.cc30.ClientID, ClientSecret: f.cc30.ClientSecret,
			TokenURL: f.tokenURL(), Scopes: []string{"orders/read"}}
		tok, err := cfg.Token(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, tok.AccessToken)
	}
	// A failure is not counted.
	wantError(t, f.post(t, "application/x-www-form-urlencoded", basic(f.cc30.ClientID, "wrong"), "grant_type=client_credentials"), 400, "invalid_client")
	if got := counter(); got != 3 {
		t.Fatalf("counter = %v, want 3", got)
	}

	// A second Handler on the same registry shares the counter.
	h2, err := oauth.New(oauth.Config{Identity: f.svc, PublicURL: f.srv.URL, Metrics: f.reg})
	if err != nil || h2 == nil {
		t.Fatalf("second handler: %v", err)
	}

	logs := f.logs.String()
	var issued int
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["msg"] != "token issued" {
			continue
		}
		issued++
		if rec["level"] != "INFO" || rec["client_id"] != f.cc30.ClientID || rec["pool_id"] != f.poolID ||
			rec["scope"] != "orders/read" || rec["jti"] == nil {
			t.Errorf("token issued record %v", rec)
		}
	}
	if issued != 3 {
		t.Errorf("%d token issued records, want 3", issued)
	}
	if !strings.Contains(logs, `"msg":"oauth request rejected"`) || !strings.Contains(logs, `"error":"invalid_client"`) {
		t.Errorf("no rejection record in logs:\n%s", logs)
	}
	for _, secret := range append(tokens, f.cc30.ClientSecret) {
		if strings.Contains(logs, secret) {
			t.Fatalf("logs contain a token or secret")
		}
	}
	// Signatures alone must not be logged either.
	for _, tok := range tokens {
		if sig := tok[strings.LastIndexByte(tok, '.')+1:]; strings.Contains(logs, sig) {
			t.Fatal("logs contain a token signature")
		}
	}
}

// TestServerError: a failure of the store is a 500 server_error whose
// detail reaches the log only, never the client.
func TestServerError(t *testing.T) {
	f := newFixture(t)
	if err := f.store.Close(); err != nil {
		t.Fatal(err)
	}
	resp := f.post(t, "application/x-www-form-urlencoded", basic(f.cc30.ClientID, f.cc30.ClientSecret), "grant_type=client_credentials")
	wantExact(t, resp, 500, `{"error":"server_error"}`)
	if got := resp.Header.Get("X-Amz-Request-Id"); got != "req-_domain/"+domain+"/oauth2/token" {
		t.Errorf("X-Amz-Request-Id = %q", got)
	}
	// An unknown-domain check on an error path fails the same way.
	wantExact(t, do(t, mustGet(t, f.tokenURL())), 500, `{"error":"server_error"}`)
	wantExact(t, do(t, mustGet(t, f.srv.URL+"/"+f.poolID+"/.well-known/jwks.json")), 500, `{"error":"server_error"}`)
	wantExact(t, do(t, mustGet(t, f.srv.URL+"/"+f.poolID+"/.well-known/openid-configuration")), 500, `{"error":"server_error"}`)
	if f.handler.IsCustomDomain(context.Background(), "auth.example.com") {
		t.Error("IsCustomDomain true with the store closed")
	}
	logs := f.logs.String()
	if !strings.Contains(logs, `"level":"ERROR","msg":"oauth request failed"`) || !strings.Contains(logs, "closed") {
		t.Errorf("the failure's detail is not logged:\n%s", logs)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	f := newFixture(t)
	for _, cfg := range []oauth.Config{
		{PublicURL: "http://127.0.0.1:4566"},
		{Identity: f.svc, PublicURL: ""},
		{Identity: f.svc, PublicURL: "127.0.0.1:4566"},
		{Identity: f.svc, PublicURL: "ftp://x"},
		{Identity: f.svc, PublicURL: "http://x/?q=1"},
	} {
		if _, err := oauth.New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded", cfg)
		}
	}
}

// --- helpers -------------------------------------------------------------

func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

func (f *fixture) newPost(t *testing.T, contentType, auth, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.tokenURL(), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return req
}

func (f *fixture) post(t *testing.T, contentType, auth, body string) *http.Response {
	t.Helper()
	return do(t, f.newPost(t, contentType, auth, body))
}

func do(t *testing.T, req *http.Request) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wantExact checks an error answer: status, exact body, and the headers
// every error carries.
func wantExact(t *testing.T, resp *http.Response, status int, body string) {
	t.Helper()
	got := readBody(t, resp)
	if resp.StatusCode != status || got != body {
		t.Fatalf("got %d %s, want %d %s", resp.StatusCode, got, status, body)
	}
	for h, want := range map[string]string{"Content-Type": "application/json;charset=UTF-8",
		"Cache-Control": "no-store", "Pragma": "no-cache"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
}

func wantError(t *testing.T, resp *http.Response, status int, code string) {
	t.Helper()
	wantExact(t, resp, status, `{"error":"`+code+`"}`)
}

// decodeJWT returns the header and claims of a compact JWS, unverified.
func decodeJWT(t *testing.T, jwt string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	for i, dst := range []*map[string]any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatal(err)
		}
	}
	return header, claims
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// wrongFirstChar returns secret with its first character changed (a
// generated secret may itself start with any letter).
func wrongFirstChar(secret string) string {
	if secret[0] == 'x' {
		return "y" + secret[1:]
	}
	return "x" + secret[1:]
}

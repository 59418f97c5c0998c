package oauth_test

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/oauth"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestDiscoveryGolden pins the discovery document byte for byte: Cognito's
// members in Cognito's order [obs], Cognate's URLs.
func TestDiscoveryGolden(t *testing.T) {
	const pub = "http://127.0.0.1:4566"
	for _, tc := range []struct {
		name string
		ep   identity.PoolEndpoints
	}{
		{"discovery_domain", identity.PoolEndpoints{PoolID: "us-east-1_AbCdEfGhI", Region: "us-east-1",
			Issuer: pub + "/us-east-1_AbCdEfGhI", Domain: "andmoredev"}},
		{"discovery_no_domain", identity.PoolEndpoints{PoolID: "us-east-1_AbCdEfGhI", Region: "us-east-1",
			Issuer: pub + "/us-east-1_AbCdEfGhI"}},
		{"discovery_aws_issuer", identity.PoolEndpoints{PoolID: "eu-west-2_Z9y8X7w6V", Region: "eu-west-2",
			Issuer: "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Z9y8X7w6V", Domain: "andmoredev"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.MarshalIndent(oauth.NewDiscovery(pub, tc.ep), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs (run go test -update):\n got %s\nwant %s", path, got, want)
			}
		})
	}
}

func TestDiscoveryServed(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		pool, domain string
	}{{f.poolID, domain}, {f.otherPoolID, ""}} {
		resp := do(t, mustGet(t, f.srv.URL+"/"+tc.pool+"/.well-known/openid-configuration"))
		body := readBody(t, resp)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		wantWellKnownHeaders(t, resp)
		want, _ := json.Marshal(oauth.NewDiscovery(f.srv.URL, identity.PoolEndpoints{PoolID: tc.pool, Region: region,
			Issuer: f.srv.URL + "/" + tc.pool, Domain: tc.domain}))
		if body != string(want) {
			t.Errorf("served\n%s\nwant\n%s", body, want)
		}
	}
}

// TestDiscoveryAWSIssuer: with AWS-style issuers the document names AWS's
// issuer and still points jwks_uri at Cognate.
func TestDiscoveryAWSIssuer(t *testing.T) {
	f := newFixtureStyle(t, identity.IssuerAWS)
	resp := do(t, mustGet(t, f.srv.URL+"/"+f.poolID+"/.well-known/openid-configuration"))
	var d oauth.Discovery
	if err := json.Unmarshal([]byte(readBody(t, resp)), &d); err != nil {
		t.Fatal(err)
	}
	if d.Issuer != "https://cognito-idp.us-east-1.amazonaws.com/"+f.poolID {
		t.Errorf("issuer %s", d.Issuer)
	}
	if d.JWKSURI != f.srv.URL+"/"+f.poolID+"/.well-known/jwks.json" {
		t.Errorf("jwks_uri %s", d.JWKSURI)
	}
	if d.TokenEndpoint != f.tokenURL() {
		t.Errorf("token_endpoint %s, want %s", d.TokenEndpoint, f.tokenURL())
	}
}

// TestGoOIDC discovers the pool with go-oidc, fetches a token from the
// discovered token endpoint and verifies it with the discovered keys.
func TestGoOIDC(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	provider, err := oidc.NewProvider(ctx, f.issuer)
	if err != nil {
		t.Fatal(err)
	}
	if got := provider.Endpoint().TokenURL; got != f.tokenURL() {
		t.Fatalf("discovered token endpoint %q, want %q", got, f.tokenURL())
	}
	cfg := clientcredentials.Config{ClientID: f.cc30.ClientID, ClientSecret: f.cc30.ClientSecret,
		TokenURL: provider.Endpoint().TokenURL, Scopes: []string{"orders/read"}}
	tok, err := cfg.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Access tokens carry no aud [obs], so the client id check is skipped.
	verifier := provider.VerifierContext(ctx, &oidc.Config{SkipClientIDCheck: true})
	idt, err := verifier.Verify(ctx, tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	var claims struct {
		TokenUse string `json:"token_use"`
		Scope    string `json:"scope"`
		ClientID string `json:"client_id"`
	}
	if err := idt.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if idt.Subject != f.cc30.ClientID || idt.Issuer != f.issuer || claims.TokenUse != "access" ||
		claims.Scope != "orders/read" || claims.ClientID != f.cc30.ClientID {
		t.Errorf("verified token: sub %s iss %s claims %+v", idt.Subject, idt.Issuer, claims)
	}
	if d := time.Until(idt.Expiry); d < 29*time.Minute || d > 31*time.Minute {
		t.Errorf("expiry in %v", d)
	}

	// The pool without a domain is discoverable too; a token of the first
	// pool does not verify against its keys.
	other, err := oidc.NewProvider(ctx, f.srv.URL+"/"+f.otherPoolID)
	if err != nil {
		t.Fatal(err)
	}
	if other.Endpoint().TokenURL != "" {
		t.Errorf("pool without a domain has token endpoint %q", other.Endpoint().TokenURL)
	}
	ov := other.VerifierContext(ctx, &oidc.Config{SkipClientIDCheck: true, SkipIssuerCheck: true})
	if _, err := ov.Verify(ctx, tok.AccessToken); err == nil {
		t.Error("token of one pool verified with another pool's keys")
	}
}

func TestJWKS(t *testing.T) {
	f := newFixture(t)
	resp := do(t, mustGet(t, f.srv.URL+"/"+f.poolID+"/.well-known/jwks.json"))
	body := readBody(t, resp)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	wantWellKnownHeaders(t, resp)
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal([]byte(body), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 2 {
		t.Fatalf("%d keys, want 2 (access and id)", len(set.Keys))
	}
	kids := map[string]bool{}
	for _, k := range set.Keys {
		if k["kty"] != "RSA" || k["alg"] != "RS256" || k["use"] != "sig" || k["e"] != "AQAB" || k["n"] == "" {
			t.Errorf("key %v", k)
		}
		kids[k["kid"]] = true
	}
	cfg := clientcredentials.Config{ClientID: f.cc30.ClientID, ClientSecret: f.cc30.ClientSecret, TokenURL: f.tokenURL()}
	tok, err := cfg.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := decodeJWT(t, tok.AccessToken); !kids[h["kid"].(string)] {
		t.Errorf("token kid %v not in the JWKS", h["kid"])
	}

	head, err := http.NewRequest(http.MethodHead, f.srv.URL+"/"+f.poolID+"/.well-known/jwks.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp := do(t, head); resp.StatusCode != 200 {
		t.Errorf("HEAD status %d", resp.StatusCode)
	}
}

func TestWellKnownErrors(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/us-east-1_NoSuchPool/.well-known/jwks.json", 404,
			`{"error":"not_found","error_description":"User pool us-east-1_NoSuchPool does not exist."}`},
		{"GET", "/us-east-1_NoSuchPool/.well-known/openid-configuration", 404,
			`{"error":"not_found","error_description":"User pool us-east-1_NoSuchPool does not exist."}`},
		{"GET", "/not-a-pool-id/.well-known/jwks.json", 404,
			`{"error":"not_found","error_description":"User pool not-a-pool-id does not exist."}`},
		{"GET", "/eu-west-1_NoSuchPool/.well-known/jwks.json", 404,
			`{"error":"not_found","error_description":"User pool eu-west-1_NoSuchPool does not exist."}`},
		{"GET", "/" + f.poolID + "/.well-known/oauth-authorization-server", 404,
			`{"error":"not_found","error_description":"No endpoint at /` + f.poolID + `/.well-known/oauth-authorization-server"}`},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, f.srv.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			wantExact(t, do(t, req), tc.status, tc.want)
		})
	}
	for _, name := range []string{"jwks.json", "openid-configuration"} {
		req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/"+f.poolID+"/.well-known/"+name, strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp := do(t, req)
		if body := readBody(t, resp); resp.StatusCode != 405 || body != "" || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("POST %s: %d %q Allow %q", name, resp.StatusCode, body, resp.Header.Get("Allow"))
		}
	}
}

func TestIsCustomDomain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.CreateUserPoolDomain(ctx, region, f.otherPoolID, "auth.example.com",
		&identity.CustomDomainConfig{CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc"}, 0); err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]bool{"auth.example.com": true, "other.example.com": false, domain: false, "": false, "a b.com": false} {
		if got := f.handler.IsCustomDomain(ctx, host); got != want {
			t.Errorf("IsCustomDomain(%q) = %v, want %v", host, got, want)
		}
	}
}

func mustGet(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func wantWellKnownHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	for h, want := range map[string]string{"Content-Type": "application/json",
		"Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
}

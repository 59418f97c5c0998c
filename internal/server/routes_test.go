package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// fakeDomains records what the router handed it.
type fakeDomains struct {
	got    string
	custom string
}

func (f *fakeDomains) ServeDomain(w http.ResponseWriter, r *http.Request, domain, region, path string) {
	f.got = "domain:" + domain + "|" + region + "|" + path
	if path == "/panic" {
		panic("boom")
	}
	w.WriteHeader(http.StatusTeapot)
}

func (f *fakeDomains) ServeWellKnown(w http.ResponseWriter, r *http.Request, poolID, name string) {
	f.got = "wellknown:" + poolID + "|" + name
}

func (f *fakeDomains) IsCustomDomain(_ context.Context, host string) bool { return host == f.custom }

type fakeAdmin struct {
	ready, resetErr error
	resets          int
}

func (a *fakeAdmin) Ready(context.Context) error { return a.ready }
func (a *fakeAdmin) Reset(context.Context) error { a.resets++; return a.resetErr }
func (a *fakeAdmin) RotateKeys(context.Context, string) (any, error) {
	return map[string]string{"ok": "1"}, nil
}
func (a *fakeAdmin) Authenticate(r *http.Request, _ []byte) error {
	if r.Header.Get("Authorization") != "good" {
		return errors.New("bad signature")
	}
	return nil
}
func (a *fakeAdmin) ErrorResponse(err error) (int, string) { return http.StatusForbidden, err.Error() }

func newTestServer(t *testing.T, allowReset bool) (*Server, *fakeDomains, *fakeAdmin, *string) {
	return newTestServerSigned(t, allowReset, false)
}

func newTestServerSigned(t *testing.T, allowReset, signed bool) (*Server, *fakeDomains, *fakeAdmin, *string) {
	t.Helper()
	d := &fakeDomains{custom: "auth.example.com"}
	a := &fakeAdmin{}
	cognito := new(string)
	s := New(Config{
		SSM: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			*cognito = "ssm:" + r.Header.Get("X-Amz-Target")
		}),
		Logger:   slog.New(slog.DiscardHandler),
		Registry: prometheus.NewRegistry(),
		Cognito: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			*cognito = r.Header.Get("X-Amz-Target")
		}),
		Domains:     d,
		Admin:       a,
		AllowReset:  allowReset,
		SignedAdmin: signed,
		PublicHost:  "cognate.internal",
	})
	return s, d, a, cognito
}

// serve runs r through the server. httptest.NewRequest's default Host,
// example.com, stands for the local server here, as curl's 127.0.0.1 would.
func serve(s *Server, r *http.Request) *httptest.ResponseRecorder {
	if r.Host == "example.com" {
		r.Host = "127.0.0.1:4566"
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

func TestRouting(t *testing.T) {
	s, d, _, cognito := newTestServer(t, false)
	for _, c := range []struct{ method, host, path, want string }{
		{"POST", "andmoredev.auth.us-east-1.localhost:4566", "/oauth2/token", "domain:andmoredev|us-east-1|/oauth2/token"},
		{"POST", "andmoredev.auth.eu-west-1.amazoncognito.com", "/oauth2/token", "domain:andmoredev|eu-west-1|/oauth2/token"},
		{"POST", "AndMoreDev.Auth.us-east-1.localhost", "/oauth2/token", "domain:andmoredev|us-east-1|/oauth2/token"},
		{"GET", "auth.example.com", "/login", "domain:auth.example.com||/login"},
		{"POST", "127.0.0.1:4566", "/_domain/AndMoreDev/oauth2/token", "domain:andmoredev||/oauth2/token"},
		{"GET", "127.0.0.1:4566", "/us-east-1_AbCdEfGhI/.well-known/jwks.json", "wellknown:us-east-1_AbCdEfGhI|jwks.json"},
		{"GET", "127.0.0.1:4566", "/us-east-1_AbCdEfGhI/.well-known/openid-configuration", "wellknown:us-east-1_AbCdEfGhI|openid-configuration"},
	} {
		d.got = ""
		r := httptest.NewRequest(c.method, "http://x"+c.path, nil)
		r.Host = c.host
		serve(s, r)
		if d.got != c.want {
			t.Errorf("%s %s%s routed to %q, want %q", c.method, c.host, c.path, d.got, c.want)
		}
	}

	r := httptest.NewRequest("POST", "/", strings.NewReader("{}"))
	r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools")
	serve(s, r)
	if *cognito != "AWSCognitoIdentityProviderService.ListUserPools" {
		t.Errorf("cognito target not routed: %q", *cognito)
	}

	r = httptest.NewRequest("POST", "/", strings.NewReader("{}"))
	r.Header.Set("X-Amz-Target", "AmazonSSM.GetParameter")
	serve(s, r)
	if *cognito != "ssm:AmazonSSM.GetParameter" {
		t.Errorf("ssm target not routed: %q", *cognito)
	}

	r = httptest.NewRequest("POST", "/", strings.NewReader("{}"))
	r.Header.Set("X-Amz-Target", "Logs_20140328.PutLogEvents")
	w := serve(s, r)
	if w.Code != 400 || w.Header().Get("x-amzn-ErrorType") != "UnknownOperationException" || !strings.Contains(w.Body.String(), "Logs_20140328") {
		t.Errorf("other AWS target: %d %v %s", w.Code, w.Header(), w.Body)
	}

	for _, path := range []string{"/nothing", "/us-east-1_x/.well-known", "/.well-known/jwks.json"} {
		w = serve(s, httptest.NewRequest("GET", path, nil))
		if w.Code != 404 || !strings.Contains(w.Body.String(), "no endpoint") {
			t.Errorf("GET %s: %d %s", path, w.Code, w.Body)
		}
	}
}

func TestHealth(t *testing.T) {
	s, _, a, _ := newTestServer(t, false)
	if w := serve(s, httptest.NewRequest("GET", "/_cognate/health", nil)); w.Code != 200 {
		t.Errorf("healthy: %d", w.Code)
	}
	a.ready = errors.New("database is locked")
	w := serve(s, httptest.NewRequest("GET", "/_cognate/health", nil))
	if w.Code != 503 || strings.Contains(w.Body.String(), "locked") {
		t.Errorf("unhealthy: %d %s (detail must stay in the log)", w.Code, w.Body)
	}
}

// withLocalAddr makes r look as if it arrived on the server address addr.
func withLocalAddr(r *http.Request, addr string) *http.Request {
	tcp, _ := net.ResolveTCPAddr("tcp", addr)
	return r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, tcp))
}

func TestResetOnlyOnLoopbackUnlessAllowed(t *testing.T) {
	s, _, a, _ := newTestServer(t, false)
	if w := serve(s, withLocalAddr(httptest.NewRequest("POST", "/_cognate/reset", nil), "127.0.0.1:4566")); w.Code != 200 || a.resets != 1 {
		t.Fatalf("loopback reset: %d, resets %d", w.Code, a.resets)
	}
	w := serve(s, withLocalAddr(httptest.NewRequest("POST", "/_cognate/reset", nil), "10.1.2.3:4566"))
	if w.Code != 403 || a.resets != 1 || !strings.Contains(w.Body.String(), "--allow-reset") {
		t.Fatalf("non-loopback reset: %d %s, resets %d", w.Code, w.Body, a.resets)
	}
	if w := serve(s, httptest.NewRequest("GET", "/_cognate/reset", nil)); w.Code != 405 {
		t.Fatalf("GET reset: %d", w.Code)
	}
	allowed, _, a2, _ := newTestServer(t, true)
	if w := serve(allowed, withLocalAddr(httptest.NewRequest("POST", "/_cognate/reset", nil), "10.1.2.3:4566")); w.Code != 200 || a2.resets != 1 {
		t.Fatalf("--allow-reset: %d", w.Code)
	}
}

func TestPanicBecomes500AndIsCounted(t *testing.T) {
	s, _, _, _ := newTestServer(t, false)
	r := httptest.NewRequest("GET", "/_domain/d/panic", nil)
	w := serve(s, r)
	if w.Code != 500 || !strings.Contains(w.Body.String(), "request_id") {
		t.Fatalf("panic: %d %s", w.Code, w.Body)
	}
	mw := serve(s, httptest.NewRequest("GET", "/_cognate/metrics", nil))
	body, _ := io.ReadAll(mw.Body)
	if !strings.Contains(string(body), `cognate_http_requests_total{code="500",route="hosted-domain"} 1`) {
		t.Errorf("metrics lack the 500:\n%s", body)
	}
}

func TestAdminGuard(t *testing.T) {
	s, _, a, cognito := newTestServer(t, false)
	call := func(host string, hdr map[string]string) *httptest.ResponseRecorder {
		*cognito = ""
		r := withLocalAddr(httptest.NewRequest("POST", "/", strings.NewReader("{}")), "127.0.0.1:4566")
		r.Host = host
		r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.DescribeUserPoolClient")
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		return serve(s, r)
	}
	for _, host := range []string{"127.0.0.1:4566", "localhost:4566", "[::1]:4566", "cognito.localhost", "cognate.internal:4566"} {
		if call(host, nil); *cognito == "" {
			t.Errorf("Host %s: admin call refused", host)
		}
	}
	// DNS rebinding: an attacker's name that resolves to 127.0.0.1.
	if w := call("rebind.attacker.example:4566", nil); w.Code != 403 || *cognito != "" || !strings.Contains(w.Body.String(), "--access-key-id") {
		t.Errorf("rebinding host: %d %s", w.Code, w.Body)
	}
	for _, hdr := range []map[string]string{{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}} {
		if w := call("127.0.0.1:4566", hdr); w.Code != 403 || *cognito != "" {
			t.Errorf("browser request %v: %d", hdr, w.Code)
		}
	}
	// The same guard covers reset.
	r := withLocalAddr(httptest.NewRequest("POST", "/_cognate/reset", nil), "127.0.0.1:4566")
	r.Header.Set("Origin", "https://evil.example")
	if w := serve(s, r); w.Code != 403 || a.resets != 0 {
		t.Errorf("cross-site reset: %d, resets %d", w.Code, a.resets)
	}
}

func TestSignedAdminRequiresSignatureForReset(t *testing.T) {
	s, _, a, cognito := newTestServerSigned(t, false, true)
	r := withLocalAddr(httptest.NewRequest("POST", "/_cognate/reset", nil), "127.0.0.1:4566")
	if w := serve(s, r); w.Code != 403 || a.resets != 0 {
		t.Fatalf("unsigned reset with credentials configured: %d, resets %d", w.Code, a.resets)
	}
	r = withLocalAddr(httptest.NewRequest("POST", "/_cognate/reset", nil), "127.0.0.1:4566")
	r.Header.Set("Authorization", "good")
	if w := serve(s, r); w.Code != 200 || a.resets != 1 {
		t.Fatalf("signed reset: %d, resets %d", w.Code, a.resets)
	}
	// With credentials, signatures protect the API, so any Host may reach it.
	r = httptest.NewRequest("POST", "/", strings.NewReader("{}"))
	r.Host = "cognate.example.com"
	r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools")
	serve(s, r)
	if *cognito == "" {
		t.Error("signed mode: API call on a public host name not routed")
	}
}

func TestCustomDomainCannotShadowAdminPaths(t *testing.T) {
	s, d, _, cognito := newTestServer(t, false)
	d.custom = "127.0.0.1" // never a candidate, but also try a real name below
	d.custom = "cognate.internal"
	r := httptest.NewRequest("GET", "/_cognate/health", nil)
	r.Host = "cognate.internal"
	if w := serve(s, r); w.Code != 200 {
		t.Errorf("health on a host that is also a custom domain: %d", w.Code)
	}
	r = withLocalAddr(httptest.NewRequest("POST", "/", strings.NewReader("{}")), "127.0.0.1:4566")
	r.Host = "cognate.internal"
	r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools")
	serve(s, r)
	if *cognito == "" {
		t.Error("AWS API on a host that is also a custom domain was shadowed")
	}
	d.got = ""
	r = httptest.NewRequest("POST", "/oauth2/token", nil)
	r.Host = "cognate.internal"
	serve(s, r)
	if d.got != "domain:cognate.internal||/oauth2/token" {
		t.Errorf("custom domain token path: %q", d.got)
	}
}

package gateway

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestRoutingErrors checks the answers for requests that reach no
// method: an unknown API id, stage, path or method.
func TestRoutingErrors(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, method, url string
		status            int
		body, errorType   string
		reason            string
	}{
		{"unknown API", "GET", e.srv.URL + "/restapis/zzzzzzzzzz/prod/_user_request_/echo", 404,
			`{"message":"The API id 'zzzzzzzzzz' does not correspond to a deployed API Gateway API"}`, "NotFoundException", "unknown_api"},
		{"unknown stage", "GET", e.srv.URL + "/restapis/" + testAPIID + "/dev/_user_request_/echo", 403,
			`{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException", "no_stage"},
		{"unknown path", "GET", e.url("/nothing/here"), 403,
			`{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException", "no_route"},
		{"wrong method", "DELETE", e.url("/echo"), 403,
			`{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException", "no_route"},
		{"root without methods", "GET", e.url("/"), 403,
			`{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException", "no_route"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, tc.url, nil)
			resp, body := e.do(req)
			if resp.StatusCode != tc.status || body != tc.body {
				t.Fatalf("got %d %s, want %d %s", resp.StatusCode, body, tc.status, tc.body)
			}
			if got := resp.Header.Get("x-amzn-ErrorType"); got != tc.errorType {
				t.Errorf("x-amzn-ErrorType = %q, want %q", got, tc.errorType)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q", got)
			}
			assertRequestID(t, resp)
			if got := resp.Header.Get("x-cognate-reason"); !strings.HasPrefix(got, tc.reason+": ") {
				t.Errorf("x-cognate-reason = %q, want prefix %q", got, tc.reason)
			}
		})
	}
	if n := len(e.up.requests()); n != 0 {
		t.Errorf("upstream contacted %d times", n)
	}
}

// TestHostStyle routes by the execute-api host name.
func TestHostStyle(t *testing.T) {
	e := newEnv(t)
	for _, host := range []string{testAPIID + ".execute-api.localhost:4566", testAPIID + ".execute-api.eu-west-1.amazonaws.com"} {
		req, _ := http.NewRequest("GET", e.srv.URL+"/prod/open?x=1", nil)
		req.Host = host
		resp, body := e.do(req)
		if resp.StatusCode != 200 || body != "upstream saw /open" {
			t.Fatalf("host %s: got %d %q", host, resp.StatusCode, body)
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/open", nil) // no stage: "open" is taken as the stage
	req.Host = testAPIID + ".execute-api.localhost"
	if resp, _ := e.do(req); resp.StatusCode != 403 {
		t.Fatalf("request without a stage: got %d, want 403", resp.StatusCode)
	}
}

// TestAuthorizerDenials checks that every denial gives 401 with API
// Gateway's exact body and headers, explains itself, and never reaches
// the upstream.
func TestAuthorizerDenials(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, auth, body, reason string
	}{
		{"no token", "", `{"message":"Unauthorized"}`, "no_token"},
		{"bad token", "Bearer tampered", `{"message":"Unauthorized"}`, "bad_signature"},
		{"expired", expiredTok, `{"message":"The incoming token has expired"}`, "expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.post("/echo", tc.auth, `{"a":1}`)
			if resp.StatusCode != 401 || body != tc.body {
				t.Fatalf("got %d %s, want 401 %s", resp.StatusCode, body, tc.body)
			}
			if got := resp.Header.Get("x-amzn-ErrorType"); got != "UnauthorizedException" {
				t.Errorf("x-amzn-ErrorType = %q", got)
			}
			assertRequestID(t, resp)
			if got := resp.Header.Get("x-cognate-reason"); !strings.HasPrefix(got, tc.reason+": ") {
				t.Errorf("x-cognate-reason = %q, want prefix %q", got, tc.reason)
			}
		})
	}
	if n := len(e.up.requests()); n != 0 {
		t.Errorf("upstream contacted %d times", n)
	}
}

// TestAuthorizerConfig checks what the verifier is asked: the method's
// scopes and the authorizer's pools, the header it names.
func TestAuthorizerConfig(t *testing.T) {
	e := newEnv(t)
	if resp, body := e.post("/echo", accessToken, `{}`); resp.StatusCode != 200 {
		t.Fatalf("authorized request: %d %s", resp.StatusCode, body)
	}
	e.verifier.mu.Lock()
	cfg := e.verifier.last
	e.verifier.mu.Unlock()
	if len(cfg.Scopes) != 1 || cfg.Scopes[0] != "stack/api" || len(cfg.ProviderARNs) != 1 || cfg.ProviderARNs[0] != poolARN {
		t.Fatalf("verifier got %+v", cfg)
	}

	// An identity header other than Authorization.
	api := testAPI(e.up.srv.URL)
	for _, r := range api.Resources {
		if r.Path == "/me" {
			r.Methods["GET"].Authorizer.IdentityHeader = "X-Token"
		}
	}
	e.compiler.apis["main"] = api
	e.gw.Invalidate()
	req := e.request("GET", "/me", idToken, nil) // in Authorization: ignored
	if resp, _ := e.do(req); resp.StatusCode != 401 {
		t.Fatalf("token in Authorization with identity header X-Token: %d, want 401", resp.StatusCode)
	}
	req = e.request("GET", "/me", "", nil)
	req.Header.Set("X-Token", idToken)
	if resp, body := e.do(req); resp.StatusCode != 200 {
		t.Fatalf("token in X-Token: %d %s", resp.StatusCode, body)
	}
}

// TestAuthorizerErrors checks the 500 answers: a verifier that cannot
// decide, and authorization types that are not emulated.
func TestAuthorizerErrors(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ name, path, auth, reason string }{
		{"verifier error", "/echo", brokenTok, "authorizer_error"},
		{"AWS_IAM", "/iam", "", "not_emulated"},
		{"CUSTOM", "/custom", "", "not_emulated"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := e.request(map[bool]string{true: "POST", false: "GET"}[tc.path == "/echo"], tc.path, tc.auth, nil)
			resp, body := e.do(req)
			if resp.StatusCode != 500 || body != `{"message": null}` {
				t.Fatalf("got %d %s, want 500 {\"message\": null}", resp.StatusCode, body)
			}
			if got := resp.Header.Get("x-amzn-ErrorType"); got != "AuthorizerConfigurationException" {
				t.Errorf("x-amzn-ErrorType = %q", got)
			}
			if got := resp.Header.Get("x-cognate-reason"); !strings.HasPrefix(got, tc.reason+": ") {
				t.Errorf("x-cognate-reason = %q", got)
			}
		})
	}
	if n := len(e.up.requests()); n != 0 {
		t.Errorf("upstream contacted %d times", n)
	}
}

// TestExplainDenialsOff checks that the reason header can be turned off.
func TestExplainDenialsOff(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.ExplainDenials = false })
	for _, path := range []string{"/echo", "/nothing"} {
		resp, _ := e.post(path, expiredTok, "{}")
		if got := resp.Header.Get("x-cognate-reason"); got != "" {
			t.Fatalf("%s: x-cognate-reason = %q with ExplainDenials off", path, got)
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/restapis/zzzzzzzzzz/prod/_user_request_/", nil)
	if resp, _ := e.do(req); resp.Header.Get("x-cognate-reason") != "" {
		t.Fatal("unknown API answer explains itself with ExplainDenials off")
	}
}

// TestValidationAfterAuthorization checks that a body validator answers
// 400, and that the authorizer runs first.
func TestValidationAfterAuthorization(t *testing.T) {
	e := newEnv(t)
	resp, body := e.post("/validated", "", "")
	if resp.StatusCode != 400 || body != `{"message":"Invalid request body"}` {
		t.Fatalf("empty body: got %d %s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("x-amzn-ErrorType"); got != "BadRequestException" {
		t.Errorf("x-amzn-ErrorType = %q", got)
	}
	if n := len(e.up.requests()); n != 0 {
		t.Fatalf("upstream contacted for an invalid body")
	}
	resp, body = e.post("/validated", "", `{"a":1}`)
	if resp.StatusCode != 200 {
		t.Fatalf("valid body: got %d %s", resp.StatusCode, body)
	}
	if got := e.up.only(t); got.Body != `{"a":1}` {
		t.Errorf("upstream got body %q", got.Body)
	}
	// No token and an invalid body: the authorizer answers.
	resp, body = e.post("/validated-auth", "", "")
	if resp.StatusCode != 401 || body != `{"message":"Unauthorized"}` {
		t.Fatalf("no token, invalid body: got %d %s, want 401", resp.StatusCode, body)
	}
}

// TestRequestIDFromContext checks that a request id the server already
// chose is the one answered.
func TestRequestIDFromContext(t *testing.T) {
	e := newEnv(t)
	resp, _ := e.get("/open", "")
	id := resp.Header.Get("x-amzn-RequestId")
	if id == "" || e.up.only(t).Header.Get("X-Amzn-Requestid") != "" {
		t.Fatalf("request id %q; upstream saw %q", id, e.up.only(t).Header.Get("X-Amzn-Requestid"))
	}
	if !regexp.MustCompile(`^[A-Za-z0-9+/]{15}=$`).MatchString(resp.Header.Get("x-amz-apigw-id")) {
		t.Errorf("x-amz-apigw-id = %q", resp.Header.Get("x-amz-apigw-id"))
	}
}

func assertRequestID(t *testing.T, resp *http.Response) {
	t.Helper()
	id := resp.Header.Get("x-amzn-RequestId")
	if _, err := uuid.Parse(id); err != nil {
		t.Errorf("x-amzn-RequestId = %q, not a UUID", id)
	}
	if n := len(resp.Header.Values("x-amzn-RequestId")); n != 1 {
		t.Errorf("%d x-amzn-RequestId headers", n)
	}
}

// TestUpstreamRequestIDRemapped checks that an upstream's own
// x-amzn-RequestId does not replace or repeat the gateway's.
func TestUpstreamRequestIDRemapped(t *testing.T) {
	e := newEnv(t)
	e.up.handle = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amzn-Requestid", "from-upstream")
	}
	resp, _ := e.get("/open", "")
	assertRequestID(t, resp)
	if got := resp.Header.Get("x-amzn-Remapped-x-amzn-RequestId"); got != "from-upstream" {
		t.Errorf("remapped header = %q", got)
	}
}

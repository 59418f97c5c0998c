package gateway

import (
	"net/http/httptest"
	"testing"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/gateway/route"
)

// TestParamValue checks every source a request parameter mapping may
// name.
func TestParamValue(t *testing.T) {
	r := httptest.NewRequest("GET", "http://x/prod/items/7?q=1&q=2&one=a", nil)
	r.Header.Add("X-Multi", "first")
	r.Header.Add("X-Multi", "last")
	r.Header.Set("User-Agent", "curl/8")
	r.RemoteAddr = "10.1.2.3:5555"
	c := &call{
		r: r, requestID: "req-1", extendedID: "ext=", apiID: "abc", stageName: "prod", path: "/items/7",
		stage:  &stageEntry{Stage: Stage{Variables: map[string]string{"env": "prod"}}},
		match:  route.Match{Resource: &apimodel.Resource{ID: "res1", Path: "/items/{id}"}, PathParams: map[string]string{"id": "7"}},
		claims: map[string]string{"sub": "user-1", "scope": "a/b"},
	}
	c.r.Host = "abc.execute-api.localhost:4566"
	cases := []struct {
		src, want string
		ok        bool
	}{
		{"'static value'", "static value", true},
		{"''", "", true},
		{"method.request.path.id", "7", true},
		{"method.request.path.missing", "", false},
		{"method.request.querystring.q", "2", true}, // the last value
		{"method.request.querystring.none", "", false},
		{"method.request.multivaluequerystring.q", "1,2", true},
		{"method.request.header.X-Multi", "last", true},
		{"method.request.header.x-multi", "last", true},
		{"method.request.header.Absent", "", false},
		{"stageVariables.env", "prod", true},
		{"stageVariables.nope", "", false},
		{"context.authorizer.claims.sub", "user-1", true},
		{"context.authorizer.scope", "a/b", true},
		{"context.requestId", "req-1", true},
		{"context.extendedRequestId", "ext=", true},
		{"context.apiId", "abc", true},
		{"context.stage", "prod", true},
		{"context.resourcePath", "/items/{id}", true},
		{"context.resourceId", "res1", true},
		{"context.httpMethod", "GET", true},
		{"context.path", "/prod/items/7", true},
		{"context.domainName", "abc.execute-api.localhost", true},
		{"context.identity.sourceIp", "10.1.2.3", true},
		{"context.identity.userAgent", "curl/8", true},
		{"context.unknown", "", false},
		{"integration.response.body", "", false},
	}
	for _, tc := range cases {
		got, ok := c.paramValue(tc.src)
		if got != tc.want || ok != tc.ok {
			t.Errorf("paramValue(%q) = %q %v, want %q %v", tc.src, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSubstituteStageVariables(t *testing.T) {
	vars := map[string]string{"host": "svc:8080", "v": "v2"}
	cases := map[string]string{
		"http://x/y":                      "http://x/y",
		"http://${stageVariables.host}/a": "http://svc:8080/a",
		"http://h/${stageVariables.v}/${stageVariables.v}": "http://h/v2/v2",
		"http://h/${stageVariables.undefined}/x":           "http://h//x",
		"http://h/${stageVariables.unclosed":               "http://h/${stageVariables.unclosed",
	}
	for in, want := range cases {
		if got := substituteStageVariables(in, vars); got != want {
			t.Errorf("substituteStageVariables(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPickTemplate(t *testing.T) {
	templates := map[string]string{"application/xml": "<x/>", "text/plain": "plain"}
	cases := []struct{ want, ct, tmpl string }{
		{"text/plain; charset=utf-8", "text/plain", "plain"},
		{"", "application/xml", "<x/>"}, // no JSON: the first by name
		{"image/png", "application/xml", "<x/>"},
	}
	for _, tc := range cases {
		if ct, tmpl := pickTemplate(templates, tc.want); ct != tc.ct || tmpl != tc.tmpl {
			t.Errorf("pickTemplate(%q) = %q %q, want %q %q", tc.want, ct, tmpl, tc.ct, tc.tmpl)
		}
	}
	templates["application/json"] = "{}"
	if ct, _ := pickTemplate(templates, "image/png"); ct != "application/json" {
		t.Errorf("JSON not preferred: %q", ct)
	}
	if ct, tmpl := pickTemplate(nil, "x"); ct != "" || tmpl != "" {
		t.Error("templates from nothing")
	}
}

func TestSelectResponse(t *testing.T) {
	responses := map[string]*apimodel.IntegrationResponse{
		"default": {StatusCode: "200"},
		"4\\d{2}": {StatusCode: "400"},
		"5.*":     {StatusCode: "502"},
		"[":       {StatusCode: "999"}, // does not compile: never selected
	}
	for value, want := range map[string]string{"200": "200", "404": "400", "4040": "200", "503": "502", "[": "200"} {
		if got := selectResponse(responses, value); got == nil || got.StatusCode != want {
			t.Errorf("selectResponse(%q) = %v, want status %s", value, got, want)
		}
	}
	delete(responses, "default")
	if got := selectResponse(responses, "200"); got != nil {
		t.Errorf("no default: got %v", got)
	}
}

func TestStatusClass(t *testing.T) {
	for status, want := range map[int]string{101: "1xx", 200: "2xx", 302: "3xx", 404: "4xx", 504: "5xx"} {
		if got := statusClass(status); got != want {
			t.Errorf("statusClass(%d) = %s", status, got)
		}
	}
}

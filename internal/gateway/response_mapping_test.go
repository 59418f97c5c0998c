package gateway

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

// TestMapResponseNoMatch checks that an HTTP integration whose responses
// neither match the upstream's status nor have a default answers 500,
// and that one without any responses passes the answer through.
func TestMapResponseNoMatch(t *testing.T) {
	it := &apimodel.Integration{Responses: map[string]*apimodel.IntegrationResponse{"2\\d{2}": {StatusCode: "200"}}}
	resp := &http.Response{StatusCode: 500, Header: http.Header{}}
	if err := mapResponse(resp, it); err != errNoIntegrationResponse {
		t.Fatalf("no match: err %v", err)
	}
	resp = &http.Response{StatusCode: 418, Header: http.Header{"X-A": {"1"}}}
	if err := mapResponse(resp, &apimodel.Integration{}); err != nil || resp.StatusCode != 418 || resp.Header.Get("X-A") != "1" {
		t.Fatalf("no responses: %v %d %v", err, resp.StatusCode, resp.Header)
	}

	e := newEnv(t)
	api := testAPI(e.up.srv.URL)
	for _, r := range api.Resources {
		if r.Path == "/http/{code}" {
			delete(r.Methods["POST"].Integration.Responses, "default")
		}
		if r.Path == "/mock" {
			r.Methods["OPTIONS"].Integration.RequestTemplates = map[string]string{"application/json": `{"statusCode": 500}`}
			r.Methods["OPTIONS"].Integration.Responses = map[string]*apimodel.IntegrationResponse{"200": {StatusCode: "200"}}
		}
	}
	e.compiler.apis["main"] = api
	e.gw.Invalidate()
	resp2, body := e.post("/http/503", "", "{}")
	if resp2.StatusCode != 500 || !strings.HasPrefix(resp2.Header.Get("x-cognate-reason"), "no_integration_response: ") {
		t.Fatalf("HTTP without a matching response: %d %s %v", resp2.StatusCode, body, resp2.Header)
	}
	resp2, body = e.do(e.request("OPTIONS", "/mock", "", nil))
	if resp2.StatusCode != 500 || body != `{"message": "Internal server error"}` {
		t.Fatalf("MOCK without a matching response: %d %s", resp2.StatusCode, body)
	}
}

package gateway

import (
	"os"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

// TestCompiledDefinition serves an OpenAPI body through the real
// apimodel.Compile (testdata/echo-api.json): the authorizer, the gateway
// response override, the CORS mock, a path parameter and a stage
// variable. UPSTREAM in the file becomes the test upstream's URL.
func TestCompiledDefinition(t *testing.T) {
	body, err := os.ReadFile("testdata/echo-api.json")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	body = []byte(strings.ReplaceAll(string(body), "UPSTREAM", e.up.srv.URL))
	e.gw.tables.compile = apimodel.Compile
	e.src.set(2, Stage{Region: "us-east-1", APIID: testAPIID, StageName: testStage,
		Variables:  map[string]string{"version": "v1"},
		Definition: apimodel.Definition{Body: body, RootResourceID: "rootid0001"}})
	e.gw.Invalidate()

	resp, got := e.post("/echo", "", `{"a":1}`)
	if resp.StatusCode != 401 || got != `{"message":"Unauthorized"}` || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("no token: %d %s %v", resp.StatusCode, got, resp.Header)
	}
	resp, got = e.post("/echo", accessToken, `{"a":1}`)
	if resp.StatusCode != 200 || got != "upstream saw /echo" {
		t.Fatalf("with token: %d %s", resp.StatusCode, got)
	}
	if h := e.up.only(t).Header; h.Get("X-Cognate-Client-Id") != "client-123" {
		t.Errorf("upstream headers %v", h)
	}
	e.verifier.mu.Lock()
	cfg := e.verifier.last
	e.verifier.mu.Unlock()
	if len(cfg.Scopes) != 1 || cfg.Scopes[0] != "stack/api" {
		t.Errorf("verifier scopes %v", cfg.Scopes)
	}

	resp, got = e.do(e.request("OPTIONS", "/echo", "", nil))
	if resp.StatusCode != 200 || got != "{}" || resp.Header.Get("Access-Control-Allow-Headers") != "Content-Type,Authorization" {
		t.Fatalf("preflight: %d %s %v", resp.StatusCode, got, resp.Header)
	}

	e.up.reset()
	if resp, got = e.get("/items/42", ""); resp.StatusCode != 200 || got != "upstream saw /v1/items/42" {
		t.Fatalf("path parameter: %d %s", resp.StatusCode, got)
	}
}

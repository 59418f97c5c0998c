package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cognatehq/cognate/internal/requestid"
)

// fakeGateway claims the requests for host api.execute-api.localhost and
// writes its own access log record, as the real gateway does.
type fakeGateway struct {
	log    *slog.Logger
	gotID  string
	panics bool
}

func (g *fakeGateway) Accepts(r *http.Request) bool {
	return strings.HasPrefix(r.Host, "api.execute-api.localhost")
}

func (g *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.gotID = requestid.FromContext(r.Context())
	w.Header()[gatewayRequestIDHeader] = []string{"gw-id"}
	g.log.InfoContext(r.Context(), "gateway request", "status", 200)
	if g.panics {
		panic("boom")
	}
	w.WriteHeader(http.StatusOK)
}

// TestGatewayRequestsLogOnce checks that a request to a REST API gets one
// access log record, the gateway's, while other requests keep the
// server's; and that both are counted.
func TestGatewayRequestsLogOnce(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	gw := &fakeGateway{log: log}
	reg := prometheus.NewRegistry()
	s := New(Config{Logger: log, Registry: reg, Domains: &fakeDomains{}, Admin: &fakeAdmin{}, Gateway: gw})

	r := httptest.NewRequest("GET", "/prod/echo", nil)
	r.Host = "api.execute-api.localhost:4566"
	if w := serve(s, r); w.Code != 200 {
		t.Fatalf("gateway request: %d", w.Code)
	}
	if gw.gotID != "" {
		t.Errorf("the server gave the gateway request id %q; the gateway makes its own", gw.gotID)
	}
	serve(s, httptest.NewRequest("GET", "/_cognate/nothing", nil))

	var msgs []string
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		msgs = append(msgs, rec["msg"].(string))
	}
	if strings.Join(msgs, ",") != "gateway request,request" {
		t.Errorf("log records %q, want one gateway record then one server record", msgs)
	}

	mw := serve(s, httptest.NewRequest("GET", "/_cognate/metrics", nil))
	body, _ := io.ReadAll(mw.Body)
	for _, want := range []string{`cognate_http_requests_total{code="200",route="gateway"} 1`,
		`cognate_http_request_duration_seconds_count{route="gateway"} 1`,
		`cognate_http_requests_total{code="404",route="not-found"} 1`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
}

// TestGatewayPanicBecomes500 checks the gateway path's recovery: a 500
// that names the gateway's request id, counted.
func TestGatewayPanicBecomes500(t *testing.T) {
	reg := prometheus.NewRegistry()
	gw := &fakeGateway{log: slog.New(slog.DiscardHandler), panics: true}
	s := New(Config{Logger: slog.New(slog.DiscardHandler), Registry: reg, Domains: &fakeDomains{}, Admin: &fakeAdmin{}, Gateway: gw})
	r := httptest.NewRequest("GET", "/prod/echo", nil)
	r.Host = "api.execute-api.localhost"
	w := serve(s, r)
	if w.Code != 500 || !strings.Contains(w.Body.String(), `"request_id":"gw-id"`) {
		t.Fatalf("panic: %d %s", w.Code, w.Body)
	}
	mw := serve(s, httptest.NewRequest("GET", "/_cognate/metrics", nil))
	body, _ := io.ReadAll(mw.Body)
	if !strings.Contains(string(body), `cognate_http_requests_total{code="500",route="gateway"} 1`) {
		t.Errorf("metrics lack the 500:\n%s", body)
	}
}

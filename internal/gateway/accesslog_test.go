package gateway

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestAccessLog checks the record of each gateway request: who, what,
// and the check that refused it; never the token.
func TestAccessLog(t *testing.T) {
	e := newEnv(t)
	e.post("/echo", accessToken, "{}")
	e.post("/echo", expiredTok, "{}")
	var records []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["msg"] == "gateway request" {
			records = append(records, rec)
		}
	}
	if len(records) != 2 {
		t.Fatalf("%d access records, want 2: %s", len(records), e.logs.String())
	}
	ok, denied := records[0], records[1]
	want := map[string]any{"api": testAPIID, "stage": testStage, "method": "POST", "path": "/echo",
		"resource_path": "/echo", "status": float64(200), "client_id": "client-123", "jti": "jti-1"}
	for k, v := range want {
		if ok[k] != v {
			t.Errorf("authorized record %s = %v, want %v", k, ok[k], v)
		}
	}
	if _, has := ok["latency_ms"]; !has {
		t.Error("no latency_ms")
	}
	if denied["status"] != float64(401) || denied["reason"] != "expired" || denied["detail"] == "" {
		t.Errorf("denied record: %v", denied)
	}
	for _, secret := range []string{"good-access-token", "expired-token"} {
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("the log holds the token %q", secret)
		}
	}
}

// TestMetrics checks the request and denial counters.
func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newEnv(t, func(c *Config) { c.Registerer = reg })
	e.post("/echo", accessToken, "{}")
	e.post("/echo", expiredTok, "{}")
	e.post("/echo", "", "{}")
	e.get("/nothing", "")
	e.do(e.request("GET", "/", "", nil))
	req := e.request("GET", "/", "", nil)
	req.URL.Path = "/restapis/unknown000/prod/_user_request_/"
	e.do(req)

	got := map[string]float64{}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var parts []string
			for _, l := range m.GetLabel() {
				parts = append(parts, l.GetName()+"="+l.GetValue())
			}
			got[mf.GetName()+"{"+strings.Join(parts, ",")+"}"] = m.GetCounter().GetValue()
		}
	}
	want := map[string]float64{
		"cognate_gateway_requests_total{api=" + testAPIID + ",class=2xx,stage=prod}": 1,
		"cognate_gateway_requests_total{api=" + testAPIID + ",class=4xx,stage=prod}": 4,
		"cognate_gateway_requests_total{api=unknown,class=4xx,stage=unknown}":        1,
		"cognate_gateway_authorizer_denials_total{reason=expired}":                   1,
		"cognate_gateway_authorizer_denials_total{reason=no_token}":                  1,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
}

package gateway

import (
	"io"
	"testing"
)

// TestUpstreamConnectionsReused checks that sequential proxied requests
// share one upstream connection (the integration timeout's context must
// not break keep-alive).
func TestUpstreamConnectionsReused(t *testing.T) {
	e := newEnv(t)
	client := e.srv.Client()
	for i := 0; i < 20; i++ {
		resp, err := client.Get(e.url("/open"))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	conns := map[string]bool{}
	for _, r := range e.up.requests() {
		conns[r.RemoteAddr] = true
	}
	if len(conns) != 1 {
		t.Fatalf("%d upstream connections for 20 sequential requests, want 1", len(conns))
	}
}

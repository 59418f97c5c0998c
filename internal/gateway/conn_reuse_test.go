package gateway

import (
	"io"
	"testing"
	"time"
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

// TestUpstreamClosedIdleConnections checks a POST through the gateway
// after the upstream closed its kept-alive connections (an idle timeout
// or a restart, as Node.js does after 5 s): the pooled connection is
// found closed and a new one dialled, so the request is not lost.
func TestUpstreamClosedIdleConnections(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 3; i++ {
		if resp, body := e.post("/echo", accessToken, `{"n":1}`); resp.StatusCode != 200 {
			t.Fatalf("POST %d: %d %s", i, resp.StatusCode, body)
		}
		e.up.srv.CloseClientConnections()
		time.Sleep(30 * time.Millisecond) // the close arrives; the connection idles past the check threshold
	}
}

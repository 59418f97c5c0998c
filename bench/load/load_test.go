package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRunAgainstLocalServer runs a short load against a tiny server that
// checks the method, headers and body, and fails every fifth request.
func TestRunAgainstLocalServer(t *testing.T) {
	var n, conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || string(body) != "grant_type=client_credentials" ||
			r.Header.Get("Authorization") != "Basic YTpi" || r.Host != "bench.example" {
			http.Error(w, "bad request: "+r.Method+" "+string(body)+" "+r.Host, http.StatusBadRequest)
			return
		}
		if n.Add(1)%5 == 0 {
			http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
			return
		}
		io.WriteString(w, `{"access_token":"x"}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	cfg, _, err := parseFlags([]string{"-url", srv.URL + "/oauth2/token", "-c", "4", "-d", "300ms", "-warmup", "50ms",
		"-body", "grant_type=client_credentials",
		"-header", "Authorization: Basic YTpi", "-header", "Host: bench.example"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests < 5 {
		t.Fatalf("only %d requests in 300ms", res.Requests)
	}
	if res.Errors == 0 || res.Statuses["401"] != int(res.Errors) || res.Statuses["200"] != int(res.Requests-res.Errors) {
		t.Errorf("requests %d errors %d statuses %v: want every 401 counted as an error", res.Requests, res.Errors, res.Statuses)
	}
	if len(res.ErrorSamples) != min(int(res.Errors), maxErrorSamples) || !strings.Contains(res.ErrorSamples[0], "invalid_client") {
		t.Errorf("error samples %q", res.ErrorSamples)
	}
	if res.RPS <= 0 || res.Latency.P50 <= 0 || res.Latency.P50 > res.Latency.P99 || res.Latency.P99 > res.Latency.Max {
		t.Errorf("rps %v latency %+v", res.RPS, res.Latency)
	}
	// Without keep-alive every request would dial. Go's transport may
	// rarely dial one spare connection, so allow some slack.
	if c := conns.Load(); c > 8 {
		t.Errorf("%d connections for 4 workers and %d requests: keep-alive not reused", c, res.Requests)
	}
}

// TestRunMaxRequests checks that -n bounds the measured requests exactly.
func TestRunMaxRequests(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	cfg, _, err := parseFlags([]string{"-url", srv.URL, "-method", "get", "-c", "3", "-n", "50", "-d", "10s"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 50 || res.Errors != 0 || res.Method != "GET" {
		t.Errorf("requests %d errors %d method %s, want 50, 0, GET", res.Requests, res.Errors, res.Method)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("-n 50 took %v", time.Since(start))
	}
}

func TestParseFlagsRejects(t *testing.T) {
	for _, args := range [][]string{
		{},                               // no -url
		{"-url", "127.0.0.1:8080"},       // not absolute
		{"-url", "http://h", "-c", "0"},  // no workers
		{"-url", "http://h", "-d", "5m"}, // unbounded-ish
		{"-url", "http://h", "-header", "NoColon"},
		{"-url", "http://h", "-expect", "42"},
	} {
		if _, _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

// TestRawSenderReconnects checks the raw connection's keep-alive rules:
// a response with Connection: close, and a server that closes idle
// connections between requests, cost a new connection, not an error.
func TestRawSenderReconnects(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%3 == 0 {
			w.Header().Set("Connection", "close")
		}
		io.WriteString(w, "ok")
	}))
	srv.Config.IdleTimeout = 20 * time.Millisecond
	srv.Start()
	defer srv.Close()
	cfg, _, err := parseFlags([]string{"-url", srv.URL + "/x", "-method", "GET"})
	if err != nil {
		t.Fatal(err)
	}
	s := newRawSender(cfg)
	defer s.close()
	for i := 0; i < 12; i++ {
		if i%4 == 3 {
			time.Sleep(60 * time.Millisecond) // past the server's idle timeout
		}
		if _, status, failure := s.send(context.Background()); failure != "" || status != "200" {
			t.Fatalf("request %d: status %s, failure %q", i, status, failure)
		}
	}
	if got := n.Load(); got != 12 {
		t.Errorf("server saw %d requests, want 12", got)
	}
}

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// start serves the mode given by args on 127.0.0.1:0 and returns its URL.
func start(t *testing.T, args ...string) string {
	t.Helper()
	h, _, err := parseArgs(append(args, "-listen", "127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, "127.0.0.1:0", h, pw) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve %v: %v", args, err)
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "ready http://127.0.0.1:") {
		t.Fatalf("serve %v said %q, %v", args, line, err)
	}
	go io.Copy(io.Discard, pr)
	return strings.TrimSpace(strings.TrimPrefix(line, "ready "))
}

func post(t *testing.T, url, body string) (int, string, string) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// The proxy passes POST /echo to the upstream, which echoes the body.
func TestUpstreamAndProxy(t *testing.T) {
	up := start(t, "upstream")
	proxy := start(t, "proxy", "-upstream", up)
	lean := start(t, "proxy", "-upstream", up, "-client", "lean")
	for _, base := range []string{up, proxy, lean} {
		code, ct, body := post(t, base+"/echo", `{"a":1}`)
		if code != http.StatusOK || ct != "application/json" || body != `{"a":1}` {
			t.Errorf("POST %s/echo = %d %q %q, want 200 application/json {\"a\":1}", base, code, ct, body)
		}
		if code, _, _ := post(t, base+"/other", "x"); code != http.StatusNotFound {
			t.Errorf("POST %s/other = %d, want 404", base, code)
		}
	}
}

func TestParseArgsRejects(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"serve"},
		{"upstream", "-listen", "0.0.0.0:9000"},
		{"upstream", "-listen", "example.com:80"},
		{"upstream", "extra"},
		{"proxy"},
		{"proxy", "-upstream", "127.0.0.1:9000"},
		{"upstream", "-upstream", "http://127.0.0.1:9000"},
		{"proxy", "-upstream", "http://127.0.0.1:9000", "-client", "fast"},
	} {
		if _, _, err := parseArgs(args); err == nil {
			t.Errorf("parseArgs(%q) accepted", args)
		}
	}
}

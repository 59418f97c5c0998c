package gateway

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestProxyClaimsHeaders checks what an authorized request carries to
// the upstream: the authorizer's claims in the documented headers, no
// spoofed X-Cognate-* header, the client's own headers, and
// X-Forwarded-*.
func TestProxyClaimsHeaders(t *testing.T) {
	e := newEnv(t)
	req := e.request("POST", "/echo?q=1&q=2", accessToken, strings.NewReader(`{"hi":1}`))
	req.Header.Set("X-Cognate-Sub", "admin")              // spoofed
	req.Header.Set("x-cognate-claims", `{"sub":"admin"}`) // spoofed, lower case
	req.Header.Set("X-Cognate-Other", "x")                // spoofed, undocumented
	req.Header.Set("X-Custom", "kept")
	req.Header.Set("Connection", "X-Hop")
	req.Header.Set("X-Hop", "dropped")
	resp, body := e.do(req)
	if resp.StatusCode != 200 || body != "upstream saw /echo" {
		t.Fatalf("got %d %q", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Upstream") != "yes" {
		t.Error("upstream's response header not passed back")
	}
	got := e.up.only(t)
	h := got.Header
	want := map[string]string{
		"X-Cognate-Client-Id": "client-123",
		"X-Cognate-Sub":       "client-123",
		"X-Cognate-Scope":     "stack/api stack/echo",
		"X-Cognate-Token-Use": "access",
		"X-Custom":            "kept",
		"X-Forwarded-Proto":   "http",
		"Authorization":       accessToken, // HTTP_PROXY passes the request's headers on
	}
	for k, v := range want {
		if h.Get(k) != v {
			t.Errorf("upstream header %s = %q, want %q", k, h.Get(k), v)
		}
	}
	if h.Get("X-Cognate-Other") != "" || h.Get("X-Hop") != "" {
		t.Errorf("spoofed or hop-by-hop header reached the upstream: %v", h)
	}
	if len(h.Values("X-Cognate-Sub")) != 1 || len(h.Values("X-Cognate-Claims")) != 1 {
		t.Errorf("claims headers repeated: %v", h)
	}
	var claims map[string]string
	if err := json.Unmarshal([]byte(h.Get("X-Cognate-Claims")), &claims); err != nil {
		t.Fatalf("X-Cognate-Claims: %v", err)
	}
	if claims["sub"] != "client-123" || claims["scope"] != "stack/api stack/echo" || claims["token_use"] != "access" {
		t.Errorf("claims = %v", claims)
	}
	if h.Get("X-Forwarded-For") != "127.0.0.1" || !strings.HasPrefix(h.Get("X-Forwarded-Host"), "127.0.0.1:") {
		t.Errorf("X-Forwarded-For %q, X-Forwarded-Host %q", h.Get("X-Forwarded-For"), h.Get("X-Forwarded-Host"))
	}
	if got.Path != "/echo" || got.RawQuery != "q=1&q=2" || got.Body != `{"hi":1}` || got.Method != "POST" {
		t.Errorf("upstream got %s %s?%s %q", got.Method, got.Path, got.RawQuery, got.Body)
	}
	if got.Host != strings.TrimPrefix(e.up.srv.URL, "http://") {
		t.Errorf("upstream Host = %q", got.Host)
	}
}

// TestProxyIDTokenHeaders checks an ID token: no scope header.
func TestProxyIDTokenHeaders(t *testing.T) {
	e := newEnv(t)
	if resp, body := e.get("/me", idToken); resp.StatusCode != 200 {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	h := e.up.only(t).Header
	if h.Get("X-Cognate-Token-Use") != "id" || h.Get("X-Cognate-Client-Id") != "web-client" || h.Get("X-Cognate-Sub") != "user-1" {
		t.Errorf("headers %v", h)
	}
	if _, ok := h["X-Cognate-Scope"]; ok {
		t.Error("X-Cognate-Scope sent for an ID token")
	}
}

// TestProxyNoAuthorizerStripsSpoofing checks that a route without an
// authorizer still removes X-Cognate-* headers.
func TestProxyNoAuthorizerStripsSpoofing(t *testing.T) {
	e := newEnv(t)
	req := e.request("GET", "/open", "", nil)
	req.Header.Set("X-Cognate-Client-Id", "forged")
	e.do(req)
	if v := e.up.only(t).Header.Get("X-Cognate-Client-Id"); v != "" {
		t.Fatalf("spoofed X-Cognate-Client-Id reached the upstream: %q", v)
	}
}

// TestProxyParameters checks the integration URI's placeholders, mapped
// query string and headers, and stage variables.
func TestProxyParameters(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, path, wantPath, wantQuery string
		wantHeader                      [2]string
	}{
		{"path param and mappings", "/items/a%20b?tag=mine&x=1", "/v1/items/a b", "from=gw&tag=static&x=1", [2]string{"X-Stage", "production"}},
		{"static URI with a query", "/staticq?x=1&x=2", "/s", "from=gw&x=1&x=2", [2]string{}},
		{"greedy proxy via stage variable", "/files/dir/sub/file.txt", "/store/dir/sub/file.txt", "", [2]string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.up.reset()
			resp, body := e.get(tc.path, "")
			if resp.StatusCode != 200 {
				t.Fatalf("got %d %s", resp.StatusCode, body)
			}
			got := e.up.only(t)
			if got.Path != tc.wantPath || got.RawQuery != tc.wantQuery {
				t.Errorf("upstream got %s?%s, want %s?%s", got.Path, got.RawQuery, tc.wantPath, tc.wantQuery)
			}
			if tc.wantHeader[0] != "" && got.Header.Get(tc.wantHeader[0]) != tc.wantHeader[1] {
				t.Errorf("header %s = %q", tc.wantHeader[0], got.Header.Get(tc.wantHeader[0]))
			}
		})
	}
}

// TestProxyStreamsRequestBody checks that a body with no validator
// reaches the upstream while the client is still sending it.
func TestProxyStreamsRequestBody(t *testing.T) {
	e := newEnv(t)
	firstChunk := make(chan int, 1)
	e.up.handle = func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 64<<10)
		n, _ := io.ReadFull(r.Body, buf[:1])
		firstChunk <- n
		rest, _ := io.Copy(io.Discard, r.Body)
		io.WriteString(w, "got "+itoa(int64(n)+rest))
	}
	pr, pw := io.Pipe()
	req := e.request("POST", "/open", "", pr)
	type result struct {
		resp *http.Response
		body string
	}
	done := make(chan result, 1)
	go func() {
		resp, body := e.do(req)
		done <- result{resp, body}
	}()
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	if _, err := pw.Write(chunk); err != nil {
		t.Fatal(err)
	}
	select {
	case <-firstChunk:
	case <-time.After(5 * time.Second):
		t.Fatal("the upstream saw nothing of the body while the client was still sending: the gateway buffers it")
	}
	for i := 0; i < 4; i++ {
		pw.Write(chunk)
	}
	pw.Close()
	r := <-done
	if r.resp.StatusCode != 200 || r.body != "got 5242880" {
		t.Fatalf("got %d %q", r.resp.StatusCode, r.body)
	}
}

// TestProxyStreamsResponseBody checks that the upstream's answer reaches
// the client before the upstream has finished it.
func TestProxyStreamsResponseBody(t *testing.T) {
	e := newEnv(t)
	release := make(chan struct{})
	e.up.handle = func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first;")
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, "second")
	}
	resp, err := http.Get(e.url("/open"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 6)
	readDone := make(chan error, 1)
	go func() { _, err := io.ReadFull(resp.Body, buf); readDone <- err }()
	select {
	case err := <-readDone:
		if err != nil || string(buf) != "first;" {
			t.Fatalf("read %q, %v", buf, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first part of the answer did not arrive before the upstream finished")
	}
	close(release)
	rest, _ := io.ReadAll(resp.Body)
	if string(rest) != "second" {
		t.Fatalf("rest %q", rest)
	}
}

// TestRequestTooLarge checks the 10 MB limit: with a Content-Length the
// upstream is never contacted; a chunked body is cut at the limit.
func TestRequestTooLarge(t *testing.T) {
	e := newEnv(t)
	const wantBody = `{"message":"Request Too Long"}`
	check := func(t *testing.T, resp *http.Response, body string) {
		t.Helper()
		if resp.StatusCode != 413 || body != wantBody {
			t.Fatalf("got %d %s, want 413 %s", resp.StatusCode, body, wantBody)
		}
		if got := resp.Header.Get("x-amzn-ErrorType"); got != "RequestTooLargeException" {
			t.Errorf("x-amzn-ErrorType = %q", got)
		}
	}
	over := bytes.Repeat([]byte("x"), MaxBodyBytes+1)

	t.Run("content-length", func(t *testing.T) {
		req := e.request("POST", "/echo", accessToken, bytes.NewReader(over))
		resp, body := e.do(req)
		check(t, resp, body)
		if n := len(e.up.requests()); n != 0 {
			t.Errorf("upstream contacted %d times", n)
		}
	})
	t.Run("chunked", func(t *testing.T) {
		req := e.request("POST", "/open", "", io.MultiReader(bytes.NewReader(over))) // unknown length: chunked
		resp, body := e.do(req)
		check(t, resp, body)
	})
	t.Run("validated", func(t *testing.T) {
		req := e.request("POST", "/validated", "", io.MultiReader(bytes.NewReader(over)))
		req.Header.Set("Content-Type", "application/json")
		resp, body := e.do(req)
		check(t, resp, body)
		for _, r := range e.up.requests() {
			if r.Path == "/validated" {
				t.Errorf("upstream contacted for a body over the limit")
			}
		}
	})
	t.Run("exactly the limit", func(t *testing.T) {
		e.up.reset()
		req := e.request("POST", "/open", "", io.MultiReader(bytes.NewReader(over[:MaxBodyBytes])))
		resp, body := e.do(req)
		if resp.StatusCode != 200 {
			t.Fatalf("got %d %s", resp.StatusCode, body)
		}
		// (The cut chunked body of the subtest above may be recorded
		// late; look for this one.)
		found := false
		for _, r := range e.up.requests() {
			found = found || r.BodyLen == MaxBodyBytes
		}
		if !found {
			t.Fatalf("upstream did not get the %d bytes whole", MaxBodyBytes)
		}
	})
}

// TestIntegrationTimeout checks the 504 answer of an upstream slower
// than timeoutInMillis.
func TestIntegrationTimeout(t *testing.T) {
	e := newEnv(t)
	e.up.handle = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	start := time.Now()
	resp, body := e.get("/slow", "")
	if resp.StatusCode != 504 || body != `{"message": "Endpoint request timed out"}` {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("took %v for a 100 ms timeout", time.Since(start))
	}
	if got := resp.Header.Get("x-amzn-ErrorType"); got != "InternalServerErrorException" {
		t.Errorf("x-amzn-ErrorType = %q", got)
	}
	if got := resp.Header.Get("x-cognate-reason"); !strings.HasPrefix(got, "integration_timeout: ") {
		t.Errorf("x-cognate-reason = %q", got)
	}
}

// TestDefaultTimeout checks that Config.DefaultTimeout applies to an
// integration without timeoutInMillis, and that a slow body after the
// headers is not cut.
func TestDefaultTimeout(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.DefaultTimeout = 100 * time.Millisecond })
	e.up.handle = func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("headers") == "first" {
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			time.Sleep(300 * time.Millisecond)
			io.WriteString(w, "late body")
			return
		}
		time.Sleep(300 * time.Millisecond)
	}
	if resp, _ := e.get("/open", ""); resp.StatusCode != 504 {
		t.Fatalf("got %d, want 504", resp.StatusCode)
	}
	if resp, body := e.get("/open?headers=first", ""); resp.StatusCode != 200 || body != "late body" {
		t.Fatalf("got %d %q, want the slow body whole", resp.StatusCode, body)
	}
}

// TestUpstreamUnreachable checks the 502 answer for an endpoint that
// refuses the connection.
func TestUpstreamUnreachable(t *testing.T) {
	e := newEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	api := testAPI(closed)
	e.compiler.apis["main"] = api
	e.gw.Invalidate()
	resp, body := e.get("/open", "")
	if resp.StatusCode != 502 || body != `{"message": "Internal server error"}` {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("x-cognate-reason"); !strings.HasPrefix(got, "upstream_unreachable: ") {
		t.Errorf("x-cognate-reason = %q", got)
	}
}

// TestFunctionUpstream checks a Lambda proxy route pointed at an HTTP
// service, and one that is not.
func TestFunctionUpstream(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/fn/a/b?x=1", accessToken)
	if resp.StatusCode != 200 || body != "upstream saw /base/fn/a/b" {
		t.Fatalf("got %d %q", resp.StatusCode, body)
	}
	got := e.fn.only(t)
	if got.Method != "GET" || got.RawQuery != "x=1" || got.Header.Get("X-Cognate-Client-Id") != "client-123" {
		t.Errorf("function upstream got %s ?%s %v", got.Method, got.RawQuery, got.Header)
	}

	resp, body = e.get("/nofn", "")
	if resp.StatusCode != 502 {
		t.Fatalf("function without upstream: got %d %s", resp.StatusCode, body)
	}
	for _, want := range []string{"stack-OtherFunction-XYZ", "cognate deploy --upstream <LogicalId>=http://host:port"} {
		if !strings.Contains(body, want) {
			t.Errorf("body %s does not say %q", body, want)
		}
	}
}

// TestServiceIntegration checks that AWS service integrations say they
// are not emulated.
func TestServiceIntegration(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/aws", "")
	if resp.StatusCode != 500 || body != `{"message": "Internal server error"}` {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("x-cognate-reason"); !strings.Contains(got, "not emulated") {
		t.Errorf("x-cognate-reason = %q", got)
	}
}

// TestHTTPIntegration checks a non-proxy HTTP integration: only mapped
// headers go up, the integration's method is used, and the answer is
// mapped through the integration responses.
func TestHTTPIntegration(t *testing.T) {
	e := newEnv(t)
	e.up.handle = func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		e.up.record(r, b)
		code := strings.TrimPrefix(r.URL.Path, "/status/")
		w.Header().Set("X-Upstream", "up-value")
		w.Header().Set("X-Unmapped", "dropped")
		w.Header().Set("Content-Type", "application/json")
		switch code {
		case "404":
			w.WriteHeader(404)
		case "503":
			w.WriteHeader(503)
		}
		io.WriteString(w, `{"code":"`+code+`"}`)
	}
	cases := []struct {
		code, wantBody string
		wantStatus     int
		wantMapped     bool
	}{
		{"201", `{"code":"201"}`, 200, true},
		{"404", `{"code":"404"}`, 400, false},
		{"503", `{"code":"503"}`, 200, true}, // the default response
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			e.up.reset()
			req := e.request("POST", "/http/"+tc.code+"?q=1", "", strings.NewReader(`{"in":1}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Client", "not forwarded")
			resp, body := e.do(req)
			if resp.StatusCode != tc.wantStatus || body != tc.wantBody {
				t.Fatalf("got %d %s, want %d %s", resp.StatusCode, body, tc.wantStatus, tc.wantBody)
			}
			if resp.Header.Get("X-Unmapped") != "" {
				t.Error("unmapped upstream header passed back")
			}
			if tc.wantMapped && (resp.Header.Get("X-Mapped") != "static-value" || resp.Header.Get("X-From") != "up-value") {
				t.Errorf("mapped headers: %v", resp.Header)
			}
			got := e.up.only(t)
			if got.Method != "PUT" || got.Body != `{"in":1}` || got.RawQuery != "" || got.Header.Get("X-Client") != "" {
				t.Errorf("upstream got %s ?%s %q %v", got.Method, got.RawQuery, got.Body, got.Header)
			}
		})
	}
}

// TestMockCORSPreflight checks SAM's CORS preflight mock.
func TestMockCORSPreflight(t *testing.T) {
	e := newEnv(t)
	req := e.request("OPTIONS", "/mock", "", nil)
	req.Header.Set("Origin", "http://example.com")
	resp, body := e.do(req)
	if resp.StatusCode != 200 || body != "{}" {
		t.Fatalf("got %d %q", resp.StatusCode, body)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Access-Control-Allow-Methods") != "OPTIONS,POST" {
		t.Errorf("headers %v", resp.Header)
	}
	assertRequestID(t, resp)
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

package upstream

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fallback records the requests the fast path leaves to it.
type fallback struct{ n atomic.Int64 }

func (f *fallback) RoundTrip(req *http.Request) (*http.Response, error) {
	f.n.Add(1)
	return http.DefaultTransport.RoundTrip(req)
}

func newClient(t *testing.T, fb http.RoundTripper, headerTimeout time.Duration) *Client {
	t.Helper()
	if fb == nil {
		fb = &fallback{}
	}
	c := New(Config{Fallback: fb, DialTimeout: 2 * time.Second, ResponseHeaderTimeout: headerTimeout,
		MaxIdlePerHost: 4, IdleTimeout: time.Minute})
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// countingServer is an httptest server that counts its connections.
type countingServer struct {
	*httptest.Server
	conns atomic.Int64
}

func newServer(t *testing.T, h http.HandlerFunc) *countingServer {
	t.Helper()
	s := &countingServer{Server: httptest.NewUnstartedServer(h)}
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func do(t *testing.T, c *Client, method, url, body string, header http.Header) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, url, err)
	}
	return resp, string(b)
}

// TestRequestOnTheWire checks what the upstream receives: method, path
// and query, Host, headers, the body with its length, and an empty POST
// body sent as Content-Length: 0 (not chunked).
func TestRequestOnTheWire(t *testing.T) {
	type seen struct {
		method, uri, host, body, ua string
		length                      int64
		te                          []string
		custom                      string
	}
	var mu sync.Mutex
	var got []seen
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, seen{r.Method, r.RequestURI, r.Host, string(b), r.UserAgent(), r.ContentLength, r.TransferEncoding, r.Header.Get("X-Custom")})
		mu.Unlock()
		io.WriteString(w, "ok")
	})
	c := newClient(t, nil, 0)
	do(t, c, "POST", s.URL+"/a/b?x=1&y=%20", `{"a":1}`, http.Header{"X-Custom": {"v"}, "User-Agent": {"agent/1"}})
	do(t, c, "POST", s.URL+"/empty", "", nil)
	do(t, c, "GET", s.URL+"/", "", http.Header{"User-Agent": {""}})
	if len(got) != 3 {
		t.Fatalf("upstream saw %d requests", len(got))
	}
	host := strings.TrimPrefix(s.URL, "http://")
	want := []seen{
		{"POST", "/a/b?x=1&y=%20", host, `{"a":1}`, "agent/1", 7, nil, "v"},
		{"POST", "/empty", host, "", "Go-http-client/1.1", 0, nil, ""},
		{"GET", "/", host, "", "", 0, nil, ""},
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.method != w.method || g.uri != w.uri || g.host != w.host || g.body != w.body || g.ua != w.ua ||
			g.length != w.length || len(g.te) != 0 || g.custom != w.custom {
			t.Errorf("request %d: upstream saw %+v, want %+v", i, g, w)
		}
	}
	if n := s.conns.Load(); n != 1 {
		t.Errorf("%d connections for 3 sequential requests, want 1", n)
	}
}

// TestFallbackTakesTheRest checks that what the fast path does not carry
// goes to the fallback: a body of unknown length, a large body, Expect,
// and https.
func TestFallbackTakesTheRest(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Write(b)
	})
	fb := &fallback{}
	c := newClient(t, fb, 0)

	req, _ := http.NewRequest("POST", s.URL, io.NopCloser(strings.NewReader("streamed")))
	req.ContentLength = -1
	resp, err := c.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "streamed" {
		t.Errorf("streamed body came back as %q", b)
	}
	big := strings.Repeat("x", MaxFastBody+1)
	if _, body := do(t, c, "POST", s.URL, big, nil); body != big {
		t.Errorf("large body came back with %d bytes", len(body))
	}
	do(t, c, "POST", s.URL, "x", http.Header{"Expect": {"100-continue"}})
	if n := fb.n.Load(); n != 3 {
		t.Errorf("fallback carried %d requests, want 3", n)
	}
	do(t, c, "POST", s.URL, "small", nil)
	if n := fb.n.Load(); n != 3 {
		t.Errorf("a small request went to the fallback")
	}
}

// TestKeepAliveRules checks when a connection is reused: after a body
// read whole, not after Connection: close, not after a body abandoned
// half-way, and not after bytes the upstream sent past its response.
func TestKeepAliveRules(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/close":
			w.Header().Set("Connection", "close")
		case "/big":
			w.Write([]byte(strings.Repeat("y", 256<<10)))
			return
		case "/head":
			w.Header().Set("Content-Length", "100")
			return
		case "/nocontent":
			w.WriteHeader(http.StatusNoContent)
			return
		}
		io.WriteString(w, "ok")
	})
	c := newClient(t, nil, time.Second)
	do(t, c, "GET", s.URL+"/a", "", nil)
	do(t, c, "GET", s.URL+"/b", "", nil)
	do(t, c, "HEAD", s.URL+"/head", "", nil)
	do(t, c, "GET", s.URL+"/nocontent", "", nil)
	if n := s.conns.Load(); n != 1 {
		t.Fatalf("%d connections after four plain requests, want 1", n)
	}
	do(t, c, "GET", s.URL+"/close", "", nil)
	do(t, c, "GET", s.URL+"/a", "", nil)
	if n := s.conns.Load(); n != 2 {
		t.Fatalf("%d connections after Connection: close, want 2", n)
	}
	req, _ := http.NewRequest("GET", s.URL+"/big", nil)
	resp, err := c.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	io.ReadFull(resp.Body, buf)
	resp.Body.Close() // abandoned: the rest is still on the wire
	if _, body := do(t, c, "GET", s.URL+"/a", "", nil); body != "ok" {
		t.Fatalf("after an abandoned body, got %q", body)
	}
	if n := s.conns.Load(); n != 3 {
		t.Fatalf("%d connections after an abandoned body, want 3", n)
	}
}

// rawServer answers each connection with fn, for answers net/http's
// server would not send.
func rawServer(t *testing.T, fn func(c net.Conn, br *bufio.Reader)) (url string, conns *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns = new(atomic.Int64)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range open {
			c.Close() // the client may keep them idle
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			open = append(open, c)
			mu.Unlock()
			conns.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				fn(c, bufio.NewReader(c))
			}()
		}
	}()
	return "http://" + ln.Addr().String(), conns
}

// readRequest reads one request and its body from br.
func readRequest(br *bufio.Reader) error {
	req, err := http.ReadRequest(br)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, req.Body)
	return err
}

// TestUnusualAnswers covers 1xx before the answer, bytes past the answer
// (the connection is dropped), an answer without a length (read to the
// close), and headers that never end.
func TestUnusualAnswers(t *testing.T) {
	c := newClient(t, nil, time.Second)
	t.Run("1xx", func(t *testing.T) {
		url, _ := rawServer(t, func(nc net.Conn, br *bufio.Reader) {
			for readRequest(br) == nil {
				io.WriteString(nc, "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
			}
		})
		if resp, body := do(t, c, "GET", url, "", nil); resp.StatusCode != 200 || body != "ok" {
			t.Errorf("got %d %q", resp.StatusCode, body)
		}
	})
	t.Run("trailing bytes", func(t *testing.T) {
		url, conns := rawServer(t, func(nc net.Conn, br *bufio.Reader) {
			for readRequest(br) == nil {
				io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA")
			}
		})
		for i := 0; i < 2; i++ {
			if _, body := do(t, c, "GET", url, "", nil); body != "ok" {
				t.Errorf("got %q", body)
			}
		}
		if n := conns.Load(); n != 2 {
			t.Errorf("%d connections, want 2: a connection out of step must not be reused", n)
		}
	})
	t.Run("read to close", func(t *testing.T) {
		url, conns := rawServer(t, func(nc net.Conn, br *bufio.Reader) {
			if readRequest(br) == nil {
				io.WriteString(nc, "HTTP/1.1 200 OK\r\n\r\nuntil the end")
			}
		})
		for i := 0; i < 2; i++ {
			if _, body := do(t, c, "GET", url, "", nil); body != "until the end" {
				t.Errorf("got %q", body)
			}
		}
		if n := conns.Load(); n != 2 {
			t.Errorf("%d connections, want 2", n)
		}
	})
	t.Run("endless headers", func(t *testing.T) {
		url, _ := rawServer(t, func(nc net.Conn, br *bufio.Reader) {
			if readRequest(br) == nil {
				io.WriteString(nc, "HTTP/1.1 200 OK\r\n")
				line := "X-Filler: " + strings.Repeat("f", 1000) + "\r\n"
				for i := 0; i < 2000; i++ {
					if _, err := io.WriteString(nc, line); err != nil {
						return
					}
				}
			}
		})
		req, _ := http.NewRequest("GET", url, nil)
		if _, err := c.RoundTrip(req); !errors.Is(err, errHeadersTooLarge) {
			t.Errorf("err = %v, want %v", err, errHeadersTooLarge)
		}
	})
	t.Run("upgrade", func(t *testing.T) {
		url, _ := rawServer(t, func(nc net.Conn, br *bufio.Reader) {
			if readRequest(br) == nil {
				io.WriteString(nc, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n")
			}
		})
		req, _ := http.NewRequest("GET", url, nil)
		if _, err := c.RoundTrip(req); err == nil {
			t.Error("a 101 to a request without Upgrade was accepted")
		}
	})
}

// TestIdleCloseByUpstream checks connections the upstream closed while
// idle: found by the check when idle long enough, and otherwise a
// replayable request is sent again while a POST fails.
func TestIdleCloseByUpstream(t *testing.T) {
	// Each connection answers one request, then closes without saying
	// so, as an upstream's keep-alive timeout does.
	url, conns := rawServer(t, func(nc net.Conn, br *bufio.Reader) {
		if readRequest(br) == nil {
			io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		}
	})
	c := newClient(t, nil, time.Second)
	c.cfg.CheckIdleAfter = 10 * time.Millisecond
	do(t, c, "GET", url, "", nil)
	time.Sleep(50 * time.Millisecond) // checked: found closed, a new one dialled
	do(t, c, "POST", url, "x", nil)
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2", n)
	}

	// Not checked: the request finds the connection closed.
	c.cfg.CheckIdleAfter = time.Hour
	time.Sleep(20 * time.Millisecond) // let the close arrive
	do(t, c, "GET", url, "", nil)     // sent again on a new connection
	if n := conns.Load(); n != 3 {
		t.Fatalf("%d connections, want 3", n)
	}
	time.Sleep(20 * time.Millisecond)
	req, _ := http.NewRequest("POST", url, strings.NewReader("x"))
	if _, err := c.RoundTrip(req); err == nil {
		t.Error("a POST on a connection the upstream had closed was sent twice; want an error")
	}
	do(t, c, "GET", url, "", nil) // a fresh connection, closed after this answer
	time.Sleep(20 * time.Millisecond)
	req, _ = http.NewRequest("POST", url, strings.NewReader("x"))
	req.Header.Set("Idempotency-Key", "k1")
	if resp, err := c.RoundTrip(req); err != nil {
		t.Errorf("a POST with Idempotency-Key was not sent again: %v", err)
	} else {
		resp.Body.Close()
	}
}

// TestTimeouts checks the response-header timeout (a timeout error), a
// slow body after the headers (streamed, not cut), and a cancelled
// request (its context's cause, at once).
func TestTimeouts(t *testing.T) {
	release := make(chan struct{})
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow-headers":
			select {
			case <-time.After(2 * time.Second):
			case <-release:
			}
		case "/slow-body":
			w.Header().Set("Content-Length", "4")
			io.WriteString(w, "ab")
			w.(http.Flusher).Flush()
			time.Sleep(300 * time.Millisecond)
			io.WriteString(w, "cd")
		case "/wait":
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}
	})
	defer close(release)
	c := newClient(t, nil, 150*time.Millisecond)

	req, _ := http.NewRequest("GET", s.URL+"/slow-headers", nil)
	start := time.Now()
	_, err := c.RoundTrip(req)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("slow headers: err = %v, want a timeout", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("slow headers took %v with a 150 ms timeout", d)
	}

	if _, body := do(t, c, "GET", s.URL+"/slow-body", "", nil); body != "abcd" {
		t.Errorf("slow body: got %q, want it whole", body)
	}

	cause := errors.New("integration timed out")
	ctx, cancel := context.WithCancelCause(context.Background())
	req, _ = http.NewRequestWithContext(ctx, "GET", s.URL+"/wait", nil)
	c2 := newClient(t, nil, 0)
	time.AfterFunc(50*time.Millisecond, func() { cancel(cause) })
	start = time.Now()
	if _, err := c2.RoundTrip(req); !errors.Is(err, cause) {
		t.Errorf("cancelled: err = %v, want the context's cause", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("cancelled request took %v to return", d)
	}
	// The cut connection is not reused: the next request works.
	if _, body := do(t, c2, "GET", s.URL+"/slow-body", "", nil); body != "abcd" {
		t.Errorf("after a cancel: got %q", body)
	}
}

// TestConcurrentRequests runs many requests at once (with -race in CI):
// every answer belongs to its request, and connections stay within
// what the concurrency needs.
func TestConcurrentRequests(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Write(b)
	})
	c := newClient(t, nil, time.Second)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				want := strings.Repeat(string(rune('a'+g)), 1+i)
				req, _ := http.NewRequest("POST", s.URL, strings.NewReader(want))
				resp, err := c.RoundTrip(req)
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(b) != want {
					t.Errorf("sent %q, got %q", want, b)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := s.conns.Load(); n > 8+4 {
		t.Errorf("%d connections for 8 concurrent workers", n)
	}
}

// TestDialAddress checks the address a request's URL dials, as
// http.Transport derives it, and that hosts it would turn into punycode
// take the fallback.
func TestDialAddress(t *testing.T) {
	for url, want := range map[string]string{
		"http://example.com/x":      "example.com:80",
		"http://example.com:8080/x": "example.com:8080",
		"http://127.0.0.1/x":        "127.0.0.1:80",
		"http://[::1]/x":            "[::1]:80",
		"http://[::1]:3000/x":       "[::1]:3000",
		"http://bücher.example/x":   "",
		"https://example.com/x":     "",
	} {
		req, err := http.NewRequest("GET", url, nil)
		if err != nil {
			t.Fatal(err)
		}
		addr, ok := fast(req)
		if addr != want || ok != (want != "") {
			t.Errorf("%s: dial %q (fast %v), want %q", url, addr, ok, want)
		}
	}
}

// TestUpstreamRestart checks an upstream that closed every pooled
// connection at once (a restart): the request is sent again on a new
// connection, not on the next dead one; and the sweep closes idle
// connections the upstream has closed, and forgets their host.
func TestUpstreamRestart(t *testing.T) {
	url, conns := rawServer(t, func(nc net.Conn, br *bufio.Reader) {
		if readRequest(br) == nil {
			io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		}
		// and close, without saying so
	})
	c := newClient(t, nil, time.Second)
	c.cfg.CheckIdleAfter = time.Hour // never checked when taken
	// Four connections at once, all pooled.
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		req, _ := http.NewRequest("GET", url, nil)
		resp, err := c.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() { // keep each body open until all four have answered
			defer wg.Done()
			<-release
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	close(release)
	wg.Wait()
	if n := c.nIdle; n != 4 {
		t.Fatalf("%d pooled connections, want 4", n)
	}
	time.Sleep(50 * time.Millisecond) // every one closed by the upstream
	if _, body := do(t, c, "GET", url, "", nil); body != "ok" {
		t.Fatalf("got %q", body)
	}
	if n := conns.Load(); n != 5 {
		t.Errorf("%d connections, want 5 (the retry dials)", n)
	}
	// The rest are swept within a couple of seconds.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c.mu.Lock()
		n, hosts := c.nIdle, len(c.idle)
		c.mu.Unlock()
		if n == 0 && hosts == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d idle connections to %d hosts left after the sweep", n, hosts)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestCancelledBody checks that a body cut by the request's end reports
// context.Canceled, as http.Transport does (httputil.ReverseProxy does
// not log that one).
func TestCancelledBody(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "4")
		io.WriteString(w, "ab")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	c := newClient(t, nil, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL, nil)
	resp, err := c.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestRestartCostsOneRequest checks that after an upstream restart (all
// pooled connections closed at once, too recently to be checked), at
// most one request that cannot be sent twice fails: the first dead
// connection found empties the host's pool.
func TestRestartCostsOneRequest(t *testing.T) {
	var mu sync.Mutex
	var live []net.Conn
	url, _ := rawServer(t, func(nc net.Conn, br *bufio.Reader) {
		mu.Lock()
		live = append(live, nc)
		mu.Unlock()
		for readRequest(br) == nil {
			io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		}
	})
	restart := func() {
		mu.Lock()
		defer mu.Unlock()
		for _, nc := range live {
			nc.Close()
		}
		live = nil
	}
	c := newClient(t, nil, time.Second)
	c.cfg.CheckIdleAfter = time.Hour
	var resps []*http.Response
	for i := 0; i < 4; i++ {
		req, _ := http.NewRequest("GET", url, nil)
		resp, err := c.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resps = append(resps, resp)
	}
	for _, resp := range resps {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	restart()
	time.Sleep(50 * time.Millisecond) // the closes arrive
	failed := 0
	for i := 0; i < 4; i++ {
		req, _ := http.NewRequest("POST", url, strings.NewReader("x"))
		resp, err := c.RoundTrip(req)
		if err != nil {
			failed++
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if failed != 1 {
		t.Errorf("%d of 4 POSTs failed after the restart, want 1", failed)
	}
}

// TestIdleLimitEvictsOldest checks that past MaxIdle the longest idle
// connection, of any host, makes room, as http.Transport does.
func TestIdleLimitEvictsOldest(t *testing.T) {
	a := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "a") })
	b := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "b") })
	c := New(Config{Fallback: &fallback{}, DialTimeout: time.Second, MaxIdle: 1, MaxIdlePerHost: 4, IdleTimeout: time.Minute})
	t.Cleanup(c.CloseIdleConnections)
	do(t, c, "GET", a.URL, "", nil)
	for i := 0; i < 3; i++ {
		do(t, c, "GET", b.URL, "", nil)
	}
	if na, nb := a.conns.Load(), b.conns.Load(); na != 1 || nb != 1 {
		t.Errorf("connections: %d to a, %d to b; want 1 each (a's idle one evicted for b's)", na, nb)
	}
}

// TestReadAfterClose checks that a body closed early does not read as
// complete afterwards.
func TestReadAfterClose(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("z", 64<<10)))
	})
	c := newClient(t, nil, time.Second)
	req, _ := http.NewRequest("GET", s.URL, nil)
	resp, err := c.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := resp.Body.Read(make([]byte, 10)); err == nil || err == io.EOF {
		t.Errorf("Read after Close: %v, want an error other than EOF", err)
	}
}

// Package upstream is the gateway's HTTP/1.1 client for plain-http
// upstreams: an http.RoundTripper that writes a small request and reads
// its response on the caller's goroutine, over a pool of kept-alive
// connections. Anything else (https, a large or streamed body, Expect,
// upgrades, trailers) goes to a fallback http.Transport.
//
// Why not only http.Transport: it runs two goroutines per connection (a
// write loop and a read loop) and hands every request to them over
// channels, so one proxied request costs three goroutine switches, a
// select and a timer besides the two syscalls. Under bench/gateway.sh
// (one core, concurrency 64, 2026-11-25) Transport.RoundTrip and those
// loops took about 17 µs of the gateway's 47 µs per request, and the
// gateway reached 0.80–0.86 of a bare httputil.ReverseProxy's
// requests/s. The wire format is still net/http's own: requests are
// written by (*http.Request).Write and responses parsed by
// http.ReadResponse; this package only owns connections, deadlines and
// reuse.
package upstream

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// MaxFastBody is the largest request body sent on the fast path. The
// body is read whole before the request is written (so that a request
// on a connection the upstream had closed can be sent again), and a body
// this small fits in the socket's buffers, so writing it cannot wait for
// the upstream to read.
const MaxFastBody = 16 << 10

// Client is an http.RoundTripper; its zero value is not usable, see New.
type Client struct {
	cfg    Config
	dialer net.Dialer

	mu   sync.Mutex
	idle map[string][]*conn // by host:port, most recently used last
}

// Config sets a Client up.
type Config struct {
	// Fallback carries the requests that are not on the fast path.
	Fallback http.RoundTripper
	// DialTimeout bounds connecting.
	DialTimeout time.Duration
	// ResponseHeaderTimeout bounds the time from writing the request to
	// reading the response's headers; 0 means no limit. The response
	// body is not timed.
	ResponseHeaderTimeout time.Duration
	// MaxIdlePerHost is how many idle connections are kept per
	// host:port.
	MaxIdlePerHost int
	// IdleTimeout is how long an idle connection is kept.
	IdleTimeout time.Duration
	// CheckIdleAfter is how long a connection may sit idle before it is
	// checked for a close when taken from the pool; 0 means
	// DefaultCheckIdleAfter.
	CheckIdleAfter time.Duration
}

// New returns a client over cfg.
func New(cfg Config) *Client {
	if cfg.CheckIdleAfter <= 0 {
		cfg.CheckIdleAfter = DefaultCheckIdleAfter
	}
	return &Client{
		cfg:    cfg,
		dialer: net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: 30 * time.Second},
		idle:   make(map[string][]*conn),
	}
}

// conn is one kept-alive connection.
type conn struct {
	nc       net.Conn
	lr       limitReader // between br and nc: bounds a response's headers
	br       *bufio.Reader
	bw       *bufio.Writer
	key      string
	idleAt   time.Time // when it was last put back
	reused   bool      // it has carried a request before
	deadline bool      // a deadline may be set on it
}

// DefaultCheckIdleAfter is how long a connection may sit idle before it is checked
// for a close by the upstream (one non-blocking read, about a
// microsecond) when taken from the pool. A connection in steady use is
// not checked; one that waited longer may have been closed by the
// upstream's keep-alive timeout (Node.js closes after 5 s, gunicorn
// after 2 s). http.Transport learns of such a close from its read loop;
// here, a request that finds its connection closed anyway is sent again
// on a new one when it is replayable, and fails with 502 otherwise, as
// it would with http.Transport in the same race.
const DefaultCheckIdleAfter = 5 * time.Millisecond

// MaxResponseHeaderBytes bounds a response's status line and headers,
// as the server's MaxHeaderBytes bounds a request's.
const MaxResponseHeaderBytes = 1 << 20

// errHeadersTooLarge is an upstream whose response headers never end.
var errHeadersTooLarge = errors.New("upstream: response headers over 1 MB")

// limitReader reads from r until left runs out, then fails with
// errHeadersTooLarge; left is reset for each response, and lifted once
// its headers are read.
type limitReader struct {
	r    io.Reader
	left int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errHeadersTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// noLimit is limitReader.left while a body is read.
const noLimit = 1<<63 - 1

// fast reports whether req may take the fast path.
func fast(req *http.Request) bool {
	if req.URL.Scheme != "http" || req.ContentLength < 0 || req.ContentLength > MaxFastBody ||
		len(req.TransferEncoding) > 0 || len(req.Trailer) > 0 {
		return false
	}
	h := req.Header
	return len(h["Expect"]) == 0 && len(h["Upgrade"]) == 0
}

// RoundTrip sends req and returns the upstream's response.
func (c *Client) RoundTrip(req *http.Request) (*http.Response, error) {
	if !fast(req) {
		return c.cfg.Fallback.RoundTrip(req)
	}
	out := *req // written, never returned: the caller's request is not changed
	if req.ContentLength == 0 {
		out.Body = nil // Request.Write would send an empty body chunked
		if req.Body != nil {
			req.Body.Close()
		}
	} else if req.Body != nil {
		body := make([]byte, req.ContentLength)
		_, err := io.ReadFull(req.Body, body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		cn, err := c.get(ctx, req.URL.Host)
		if err != nil {
			return nil, err
		}
		resp, retry, err := c.send(ctx, cn, req, &out)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		if !retry || attempt > 0 {
			return nil, err
		}
		if out.GetBody != nil {
			out.Body, _ = out.GetBody()
		}
	}
}

// send writes the request on cn and reads the response's headers.
// retry reports a failure on a reused connection before any byte of the
// response came, which another connection may not have.
func (c *Client) send(ctx context.Context, cn *conn, req, out *http.Request) (resp *http.Response, retry bool, err error) {
	if t := c.cfg.ResponseHeaderTimeout; t > 0 {
		cn.nc.SetDeadline(time.Now().Add(t))
		cn.deadline = true
	} else if cn.deadline {
		cn.nc.SetDeadline(time.Time{})
		cn.deadline = false
	}
	// A cancelled request (the client went away, or the gateway's own
	// integration timer) interrupts the connection's I/O.
	stop := context.AfterFunc(ctx, func() { cn.nc.SetDeadline(time.Unix(1, 0)) })
	if err := out.Write(cn.bw); err == nil {
		err = cn.bw.Flush()
	}
	if err != nil {
		stop()
		cn.nc.Close()
		return nil, cn.reused, err
	}
	cn.lr.left = MaxResponseHeaderBytes
	// Peek first: ReadResponse reports a connection closed before any
	// byte as io.ErrUnexpectedEOF, like one cut mid-answer.
	if _, err := cn.br.Peek(1); err != nil {
		stop()
		cn.nc.Close()
		// Nothing read: the upstream closed a kept-alive connection as
		// the request went out. The request is sent again only when
		// doing so twice is harmless, as http.Transport does.
		return nil, cn.reused && replayable(req) && (errors.Is(err, io.EOF) || isReset(err)), err
	}
	for {
		resp, err = http.ReadResponse(cn.br, req)
		if err != nil {
			stop()
			cn.nc.Close()
			return nil, false, err
		}
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		// 1xx informational answers (100 Continue, 103 Early Hints) are
		// not passed on; the final answer follows.
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	cn.lr.left = noLimit
	if resp.StatusCode == http.StatusSwitchingProtocols {
		stop()
		cn.nc.Close()
		resp.Body.Close()
		return nil, false, errors.New("upstream switched protocols on a request that asked for no upgrade")
	}
	b := &body{rc: resp.Body, c: c, cn: cn, stop: stop, keep: !resp.Close && !req.Close}
	if resp.Body == http.NoBody {
		b.done(true)
		return resp, false, nil
	}
	// The body is not timed: clear the deadline, unless the whole body
	// is already buffered and no more reads will touch the socket (the
	// next request sets its own).
	if cn.deadline && (resp.ContentLength < 0 || int64(cn.br.Buffered()) < resp.ContentLength) {
		cn.nc.SetDeadline(time.Time{})
		cn.deadline = false
	}
	resp.Body = b
	return resp, false, nil
}

// replayable reports whether sending req twice is harmless (RFC 9110
// §9.2.2, and the Idempotency-Key convention), as http.Transport
// decides.
func replayable(req *http.Request) bool {
	switch req.Method {
	case "GET", "HEAD", "OPTIONS", "TRACE":
		return true
	}
	_, key := req.Header["Idempotency-Key"]
	_, xkey := req.Header["X-Idempotency-Key"]
	return key || xkey
}

// get returns an idle connection to host, or a new one.
func (c *Client) get(ctx context.Context, host string) (*conn, error) {
	now := time.Now()
	c.mu.Lock()
	for list := c.idle[host]; len(list) > 0; list = c.idle[host] {
		cn := list[len(list)-1]
		list[len(list)-1] = nil
		c.idle[host] = list[:len(list)-1]
		idle := now.Sub(cn.idleAt)
		if idle > c.cfg.IdleTimeout {
			c.mu.Unlock()
			cn.nc.Close()
			c.mu.Lock()
			continue
		}
		c.mu.Unlock()
		if idle < c.cfg.CheckIdleAfter || alive(cn.nc) {
			return cn, nil
		}
		cn.nc.Close()
		c.mu.Lock()
	}
	c.mu.Unlock()
	nc, err := c.dialer.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, err
	}
	cn := &conn{nc: nc, lr: limitReader{r: nc, left: noLimit}, bw: bufio.NewWriter(nc), key: host}
	cn.br = bufio.NewReader(&cn.lr)
	return cn, nil
}

// put returns a connection whose response was read whole to the pool.
func (c *Client) put(cn *conn) {
	if cn.br.Buffered() > 0 {
		// Bytes past the response: the connection is out of step.
		cn.nc.Close()
		return
	}
	cn.reused = true
	cn.idleAt = time.Now()
	c.mu.Lock()
	list := c.idle[cn.key]
	if len(list) >= c.cfg.MaxIdlePerHost {
		old := list[0]
		copy(list, list[1:])
		list[len(list)-1] = cn
		c.mu.Unlock()
		old.nc.Close()
		return
	}
	c.idle[cn.key] = append(list, cn)
	c.mu.Unlock()
}

// CloseIdleConnections closes the pooled connections, and the
// fallback's.
func (c *Client) CloseIdleConnections() {
	c.mu.Lock()
	idle := c.idle
	c.idle = make(map[string][]*conn)
	c.mu.Unlock()
	for _, list := range idle {
		for _, cn := range list {
			cn.nc.Close()
		}
	}
	if ci, ok := c.cfg.Fallback.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// body is a response body that gives its connection back once read to
// the end, and closes it when abandoned earlier.
type body struct {
	rc       io.ReadCloser
	c        *Client
	cn       *conn
	stop     func() bool
	keep     bool
	finished bool
}

func (b *body) Read(p []byte) (int, error) {
	if b.finished {
		return 0, io.EOF
	}
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.done(true)
	} else if err != nil {
		b.done(false)
	}
	return n, err
}

func (b *body) Close() error {
	if !b.finished {
		b.done(false)
	}
	return nil
}

// done releases the connection: back to the pool when the body was read
// whole and both sides keep it alive, closed otherwise.
func (b *body) done(whole bool) {
	b.finished = true
	// stop fails when the request's context ended first: its deadline
	// has cut the connection.
	if b.stop() && whole && b.keep {
		b.c.put(b.cn)
		return
	}
	b.cn.nc.Close()
}

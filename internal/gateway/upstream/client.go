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
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
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
	// dial connects; the dialer's DialContext but in tests.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)

	mu       sync.Mutex
	idle     map[string][]*conn // by host:port, most recently used last
	nIdle    int                // connections in idle
	sweeping bool               // a sweep is scheduled
	gen      int                // moved by CloseIdleConnections
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
	// MaxIdle and MaxIdlePerHost bound the idle connections kept in all
	// and per host:port; 0 means 1024 and 256.
	MaxIdle, MaxIdlePerHost int
	// IdleTimeout is how long an idle connection is kept; 0 means 90 s.
	IdleTimeout time.Duration
	// CheckIdleAfter is how long a connection may sit idle before it is
	// checked for a close when taken from the pool; 0 means
	// DefaultCheckIdleAfter.
	CheckIdleAfter time.Duration
}

// New returns a client over cfg.
func New(cfg Config) *Client {
	if cfg.MaxIdle <= 0 {
		cfg.MaxIdle = 1024
	}
	if cfg.MaxIdlePerHost <= 0 {
		cfg.MaxIdlePerHost = 256
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 90 * time.Second
	}
	if cfg.CheckIdleAfter <= 0 {
		cfg.CheckIdleAfter = DefaultCheckIdleAfter
	}
	c := &Client{
		cfg:    cfg,
		dialer: net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: 30 * time.Second},
		idle:   make(map[string][]*conn),
	}
	c.dial = c.dialer.DialContext
	return c
}

// conn is one kept-alive connection.
type conn struct {
	nc       net.Conn
	lr       limitReader // between br and nc: bounds a response's headers
	br       *bufio.Reader
	cw       countWriter // between bw and nc: tells whether a request left
	bw       *bufio.Writer
	key      string
	cut      func()    // ends the connection's I/O at once: a request's cancel
	idleAt   time.Time // when it was last put back
	reused   bool      // it has carried a request before
	deadline bool      // a deadline may be set on it
}

// DefaultCheckIdleAfter is how long a connection may sit idle before it
// is checked for a close by the upstream (one non-blocking read, about a
// microsecond) when taken from the pool. A connection in steady use is
// not checked; one that waited longer may have been closed by the
// upstream's keep-alive timeout (Node.js closes after 5 s, gunicorn
// after 2 s). http.Transport learns of such a close from its read loop;
// here, a request that finds its connection closed anyway is sent again
// on a new connection under http.Transport's rules (nothing of it was
// written, or it is replayable), and fails with 502 otherwise. Idle
// connections are also swept once a second (see sweep).
const DefaultCheckIdleAfter = 5 * time.Millisecond

// sweepEvery is how often idle connections are checked for a close by
// the upstream and for their idle timeout, so that none is held open
// after its upstream has gone.
const sweepEvery = time.Second

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

// bytesBody is a request body read whole, written from memory.
type bytesBody struct {
	b   []byte
	off int
}

func (r *bytesBody) Read(p []byte) (int, error) {
	if r.off >= len(r.b) {
		return 0, io.EOF
	}
	n := copy(p, r.b[r.off:])
	r.off += n
	return n, nil
}

func (r *bytesBody) Close() error { return nil }

// countWriter counts the bytes that reached the connection.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// fast reports whether req may take the fast path, and the address to
// dial. Hosts that are not ASCII (which http.Transport turns into
// punycode) take the fallback.
func fast(req *http.Request) (addr string, ok bool) {
	if req.URL.Scheme != "http" || req.ContentLength < 0 || req.ContentLength > MaxFastBody ||
		len(req.TransferEncoding) > 0 || len(req.Trailer) > 0 {
		return "", false
	}
	h := req.Header
	if len(h["Expect"]) > 0 || len(h["Upgrade"]) > 0 {
		return "", false
	}
	host := req.URL.Host
	for i := 0; i < len(host); i++ {
		if host[i] >= utf8.RuneSelf {
			return "", false
		}
	}
	if req.URL.Port() == "" {
		host = net.JoinHostPort(req.URL.Hostname(), "80")
	}
	return host, true
}

// RoundTrip sends req and returns the upstream's response.
func (c *Client) RoundTrip(req *http.Request) (*http.Response, error) {
	addr, ok := fast(req)
	if !ok {
		return c.cfg.Fallback.RoundTrip(req)
	}
	ctx := req.Context()
	out := *req // written, never returned: the caller's request is not changed
	if req.ContentLength == 0 {
		out.Body = nil // Request.Write would send an empty body chunked
		if req.Body != nil {
			req.Body.Close()
		}
	}
	var body []byte // the request's body, read whole, so that it can be sent twice
	if req.ContentLength > 0 && req.Body != nil {
		body = make([]byte, req.ContentLength)
		_, err := io.ReadFull(req.Body, body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	for attempt := 0; ; attempt++ {
		if body != nil {
			out.Body = &bytesBody{b: body}
		}
		// A second attempt dials: the connections pooled beside the
		// one that failed were likely closed by the same restart.
		cn, err := c.get(ctx, addr, attempt > 0)
		if err != nil {
			return nil, err
		}
		resp, retry, err := c.send(ctx, cn, req, &out)
		if err == nil {
			return resp, nil
		}
		if cn.reused && closedByPeer(err) {
			c.purge(addr)
		}
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		if !retry || attempt > 0 {
			return nil, err
		}
	}
}

// send writes the request on cn and reads the response's headers.
// retry reports a failure on a reused connection that
// http.Transport would retry on another: nothing of the request was
// written, or it is replayable and no byte of the response came.
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
	stop := context.AfterFunc(ctx, cn.cut)
	defer func() {
		if err != nil { // the connection is of no further use
			stop()
			cn.nc.Close()
		}
	}()
	cn.cw.n = 0
	if err = out.Write(cn.bw); err == nil {
		err = cn.bw.Flush()
	}
	if err != nil {
		return nil, cn.reused && (cn.cw.n == 0 || replayable(req)), err
	}
	cn.lr.left = MaxResponseHeaderBytes
	// Peek first: ReadResponse reports a connection closed before any
	// byte as io.ErrUnexpectedEOF, like one cut mid-answer.
	if _, err = cn.br.Peek(1); err != nil {
		// Nothing read: the upstream closed a kept-alive connection as
		// the request went out.
		return nil, cn.reused && replayable(req) && closedByPeer(err), err
	}
	for {
		resp, err = http.ReadResponse(cn.br, req)
		if err != nil {
			return nil, false, err
		}
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		// 1xx informational answers (100 Continue, 103 Early Hints) are
		// not passed on, as API Gateway does not; the final answer
		// follows.
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	cn.lr.left = noLimit
	if resp.StatusCode == http.StatusSwitchingProtocols {
		resp.Body.Close()
		return nil, false, errors.New("upstream switched protocols on a request that asked for no upgrade")
	}
	b := &body{rc: resp.Body, ctx: ctx, c: c, cn: cn, stop: stop, keep: !resp.Close && !req.Close}
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
		if ctx.Err() != nil {
			// The cancel's deadline may have come just before: restore it.
			cn.nc.SetDeadline(time.Unix(1, 0))
		}
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

// get returns an idle connection to addr, or a new one (always when
// fresh is set).
func (c *Client) get(ctx context.Context, addr string, fresh bool) (*conn, error) {
	for !fresh {
		c.mu.Lock()
		list := c.idle[addr]
		if len(list) == 0 {
			c.mu.Unlock()
			break
		}
		cn := list[len(list)-1]
		list[len(list)-1] = nil
		c.setListLocked(addr, list[:len(list)-1])
		c.nIdle--
		c.mu.Unlock()
		idle := time.Since(cn.idleAt)
		if idle < c.cfg.CheckIdleAfter || idle <= c.cfg.IdleTimeout && usable(cn) {
			return cn, nil
		}
		cn.nc.Close()
	}
	nc, err := c.dial(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	cn := &conn{nc: nc, lr: limitReader{r: nc, left: noLimit}, cw: countWriter{w: nc}, key: addr}
	cn.br = bufio.NewReader(&cn.lr)
	cn.bw = bufio.NewWriter(&cn.cw)
	cn.cut = func() { nc.SetDeadline(time.Unix(1, 0)) }
	return cn, nil
}

// usable reports whether an idle connection is still open. A deadline
// left from its last response is cleared first: a passed one would
// fail the check.
func usable(cn *conn) bool {
	if cn.deadline {
		cn.nc.SetDeadline(time.Time{})
		cn.deadline = false
	}
	return alive(cn.nc)
}

// put returns a connection whose response was read whole to the pool.
// Past MaxIdlePerHost the connection is closed; past MaxIdle the
// longest idle connection of any host is, as http.Transport does.
func (c *Client) put(cn *conn) {
	if cn.br.Buffered() > 0 {
		// Bytes past the response: the connection is out of step.
		cn.nc.Close()
		return
	}
	cn.reused = true
	cn.idleAt = time.Now()
	var evict *conn
	c.mu.Lock()
	list := c.idle[cn.key]
	if len(list) >= c.cfg.MaxIdlePerHost {
		c.mu.Unlock()
		cn.nc.Close()
		return
	}
	if c.nIdle >= c.cfg.MaxIdle {
		evict = c.removeOldestLocked()
	}
	c.idle[cn.key] = append(c.idle[cn.key], cn)
	c.nIdle++
	if !c.sweeping {
		c.sweeping = true
		time.AfterFunc(sweepEvery, c.sweep)
	}
	c.mu.Unlock()
	if evict != nil {
		evict.nc.Close()
	}
}

// removeOldestLocked takes the longest idle connection out of the pool.
// Each host's list is oldest first, so only their heads are compared.
func (c *Client) removeOldestLocked() *conn {
	var oldest string
	for key, list := range c.idle {
		if len(list) > 0 && (oldest == "" || list[0].idleAt.Before(c.idle[oldest][0].idleAt)) {
			oldest = key
		}
	}
	if oldest == "" {
		return nil
	}
	list := c.idle[oldest]
	cn := list[0]
	c.setListLocked(oldest, list[1:])
	c.nIdle--
	return cn
}

// setListLocked stores a host's idle list, forgetting the host when it
// is empty.
func (c *Client) setListLocked(key string, list []*conn) {
	if len(list) == 0 {
		delete(c.idle, key)
		return
	}
	c.idle[key] = list
}

// purge closes every idle connection to addr: one was found closed by
// the upstream without being checked (it had been idle for less than
// CheckIdleAfter), which after a restart of the upstream means all of
// them are; the next requests dial. Without this, each pooled
// connection would fail one request that cannot be sent twice.
func (c *Client) purge(addr string) {
	c.mu.Lock()
	list := c.idle[addr]
	delete(c.idle, addr)
	c.nIdle -= len(list)
	c.mu.Unlock()
	for _, cn := range list {
		cn.nc.Close()
	}
}

// sweep closes the idle connections that have passed their idle timeout
// or that the upstream has closed. It runs while any connection is
// idle; a connection in steady use is not touched.
func (c *Client) sweep() {
	now := time.Now()
	type stale struct {
		key string
		cns []*conn
	}
	var check []stale
	c.mu.Lock()
	gen := c.gen
	for key, list := range c.idle {
		// Oldest first: the ones idle for a while are a prefix.
		i := 0
		for i < len(list) && now.Sub(list[i].idleAt) >= sweepEvery {
			i++
		}
		if i > 0 {
			check = append(check, stale{key, append([]*conn(nil), list[:i]...)})
			c.setListLocked(key, append([]*conn(nil), list[i:]...))
			c.nIdle -= i
		}
	}
	c.mu.Unlock()
	for i := range check {
		kept := check[i].cns[:0]
		for _, cn := range check[i].cns {
			if now.Sub(cn.idleAt) <= c.cfg.IdleTimeout && usable(cn) {
				kept = append(kept, cn)
			} else {
				cn.nc.Close()
			}
		}
		check[i].cns = kept
	}
	var extra []*conn
	c.mu.Lock()
	for _, st := range check {
		if c.gen != gen {
			// CloseIdleConnections ran meanwhile: these go too.
			extra = append(extra, st.cns...)
			continue
		}
		// Back at the old end, in their order; past a limit the oldest
		// are the ones closed.
		before := len(c.idle[st.key])
		list := append(st.cns, c.idle[st.key]...)
		for len(list) > c.cfg.MaxIdlePerHost {
			extra = append(extra, list[0])
			list = list[1:]
		}
		c.setListLocked(st.key, list)
		c.nIdle += len(list) - before
	}
	for c.nIdle > c.cfg.MaxIdle {
		extra = append(extra, c.removeOldestLocked())
	}
	c.sweeping = c.nIdle > 0
	if c.sweeping {
		time.AfterFunc(sweepEvery, c.sweep)
	}
	c.mu.Unlock()
	for _, cn := range extra {
		cn.nc.Close()
	}
}

// CloseIdleConnections closes the pooled connections, and the
// fallback's.
func (c *Client) CloseIdleConnections() {
	c.mu.Lock()
	idle := c.idle
	c.idle = make(map[string][]*conn)
	c.nIdle = 0
	c.gen++
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
// the end, and closes it when abandoned earlier. Close may be called
// while a Read waits: it closes the connection, which ends the Read.
type body struct {
	rc       io.ReadCloser
	ctx      context.Context
	c        *Client
	cn       *conn
	stop     func() bool
	keep     bool
	finished atomic.Bool
	eof      atomic.Bool // finished by reading to the end
}

// errBodyClosed is a Read after Close, or after a failed Read.
var errBodyClosed = errors.New("upstream: read on a closed response body")

func (b *body) Read(p []byte) (int, error) {
	if b.finished.Load() {
		if b.eof.Load() {
			return 0, io.EOF
		}
		return 0, errBodyClosed
	}
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.done(true)
	} else if err != nil {
		b.done(false)
		if b.ctx.Err() != nil {
			// Cut by the request's end, as http.Transport reports it
			// (and httputil.ReverseProxy does not log).
			err = context.Canceled
		}
	}
	return n, err
}

func (b *body) Close() error {
	b.done(false)
	return nil
}

// done releases the connection, once: back to the pool when the body was
// read whole and both sides keep it alive, closed otherwise.
func (b *body) done(whole bool) {
	if !b.finished.CompareAndSwap(false, true) {
		return
	}
	if whole {
		b.eof.Store(true)
	}
	// stop fails when the request's context ended first: its deadline
	// has cut the connection.
	if b.stop() && whole && b.keep {
		b.c.put(b.cn)
		return
	}
	b.cn.nc.Close()
}

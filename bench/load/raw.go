package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"
)

// rawSender sends over one kept-alive TCP connection of its own, as wrk
// does: the request is serialised once, by net/http's Request.Write, and
// written with one syscall; each response is parsed by
// http.ReadResponse. net/http's client runs two goroutines per
// connection and hands every request to them over channels; on the core
// that bench/gateway.sh's load shares with the upstream, that made the
// load generator the bottleneck (core 1 at 96–97% busy while the proxy
// under test idled at 86–91%, 2026-11-25), which hid part of the
// difference between the proxies measured.
type rawSender struct {
	cfg    Config
	req    *http.Request // tells ReadResponse the method
	wire   []byte        // the serialised request
	addr   string
	nc     net.Conn
	br     *bufio.Reader
	reused bool // the connection has carried a request
	// deadline is the connection's read/write deadline, moved forward
	// only when less than half of -timeout is left, so that a request
	// has between -timeout/2 and -timeout and most set no timer.
	deadline time.Time
}

func newRawSender(cfg Config) *rawSender {
	req, err := http.NewRequest(cfg.Method, cfg.URL, bytes.NewReader(cfg.Body))
	if err != nil {
		panic(err) // Run has checked the URL and method
	}
	req.Header = cfg.Header.Clone()
	if cfg.Host != "" {
		req.Host = cfg.Host
	}
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		panic(err) // a bytes.Buffer does not fail
	}
	addr := req.URL.Host
	if req.URL.Port() == "" {
		addr = net.JoinHostPort(req.URL.Hostname(), "80")
	}
	return &rawSender{cfg: cfg, req: req, wire: wire.Bytes(), addr: addr}
}

func (s *rawSender) close() {
	if s.nc != nil {
		s.nc.Close()
		s.nc = nil
	}
}

func (s *rawSender) send(ctx context.Context) (lat time.Duration, status, failure string) {
	for attempt := 0; ; attempt++ {
		t0 := time.Now()
		if s.nc == nil {
			d := net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
			nc, err := d.DialContext(ctx, "tcp", s.addr)
			if err != nil {
				return time.Since(t0), "error", err.Error()
			}
			s.nc, s.br, s.reused, s.deadline = nc, bufio.NewReader(nc), false, time.Time{}
		}
		if s.deadline.Sub(t0) < s.cfg.Timeout/2 {
			s.deadline = t0.Add(s.cfg.Timeout)
			s.nc.SetDeadline(s.deadline)
		}
		_, err := s.nc.Write(s.wire)
		if err == nil {
			// Peek first: ReadResponse reports a connection closed
			// before any byte as io.ErrUnexpectedEOF, like one cut
			// mid-answer.
			_, err = s.br.Peek(1)
		}
		var resp *http.Response
		if err == nil {
			resp, err = http.ReadResponse(s.br, s.req)
		}
		if err != nil {
			reused := s.reused
			s.close()
			// The server closed a kept-alive connection (its idle
			// timeout) as the request went out: nothing was answered,
			// so send it once more on a new connection.
			if reused && attempt == 0 && resp == nil && (errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)) {
				continue
			}
			return time.Since(t0), "error", err.Error()
		}
		lat, status, failure, whole := readAnswer(resp, s.cfg.Expect, t0)
		if !whole || resp.Close {
			s.close()
		} else {
			s.reused = true
		}
		return lat, status, failure
	}
}

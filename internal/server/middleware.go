package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/cognatehq/cognate/internal/requestid"
)

// routeKey carries a *string the router fills with the route's name, for
// logs and metric labels (a fixed set, never the raw path).
type routeKey struct{}

func setRoute(r *http.Request, name string) {
	if p, ok := r.Context().Value(routeKey{}).(*string); ok {
		*p = name
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware wraps every request: request id, panic recovery, access log
// and metrics. The access log holds the method and path only: query
// strings and headers can carry credentials. Requests to a REST API take
// serveGateway instead.
func (s *Server) middleware(next http.Handler) http.Handler {
	gateway := s.metrics.forRoute(routeGateway)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Gateway != nil && s.cfg.Gateway.Accepts(r) {
			s.serveGateway(w, r, gateway)
			return
		}
		start := time.Now()
		id := requestid.New()
		route := "unknown"
		ctx := requestid.NewContext(r.Context(), id)
		ctx = context.WithValue(ctx, routeKey{}, &route)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == http.ErrAbortHandler {
				// A reverse proxy aborts this way when its client or
				// upstream goes away mid-response: not a bug. Log the
				// request, then let net/http drop the connection quietly.
				s.metrics.observe(route, 499, time.Since(start))
				s.log.InfoContext(ctx, "request aborted", "method", r.Method, "path", r.URL.Path, "route", route, "remote", r.RemoteAddr)
				panic(p)
			}
			if p != nil {
				s.log.ErrorContext(ctx, "panic serving request", "panic", p, "route", route)
				if sw.status == 0 {
					writeJSON(sw, http.StatusInternalServerError, map[string]string{
						"message": "Internal server error", "request_id": id})
				}
			}
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			elapsed := time.Since(start)
			s.metrics.observe(route, sw.status, elapsed)
			if s.log.Enabled(ctx, slog.LevelInfo) {
				s.log.LogAttrs(ctx, slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
					slog.String("route", route), slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes),
					slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000), slog.String("remote", r.RemoteAddr))
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// routeGateway names the requests to deployed REST APIs in metrics.
const routeGateway = "gateway"

// gatewayRequestIDHeader is where the gateway puts the request id it
// made (API Gateway's x-amzn-RequestId, set as that exact key).
const gatewayRequestIDHeader = "x-amzn-RequestId"

// serveGateway serves a request addressed to a REST API. The gateway
// makes the request id (it answers it in x-amzn-RequestId) and writes
// the request's one access log record, richer than the server's (API,
// stage, client_id, jti, and the check that refused it), so this path
// adds only what the gateway cannot do itself: the server's metrics and
// panic recovery. It builds no context and writes no second log line:
// the gateway is the hot path that bench/gateway.sh measures against a
// bare reverse proxy.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request, series *routeSeries) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		p := recover()
		if p == nil {
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			series.observe(s.metrics, status, time.Since(start))
			return
		}
		id := ""
		if v := sw.Header()[gatewayRequestIDHeader]; len(v) > 0 {
			id = v[0]
		}
		if p == http.ErrAbortHandler {
			// As in middleware: the client or upstream went away.
			series.observe(s.metrics, 499, time.Since(start))
			s.log.Info("request aborted", "method", r.Method, "path", r.URL.Path, "route", routeGateway,
				"remote", r.RemoteAddr, "request_id", id)
			panic(p)
		}
		s.log.Error("panic serving request", "panic", p, "route", routeGateway, "request_id", id)
		if sw.status == 0 {
			if id == "" {
				id = requestid.New()
			}
			writeJSON(sw, http.StatusInternalServerError, map[string]string{
				"message": "Internal server error", "request_id": id})
		}
		series.observe(s.metrics, sw.status, time.Since(start))
	}()
	s.cfg.Gateway.ServeHTTP(sw, r)
}

package server

import (
	"context"
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
// strings and headers can carry credentials.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
			s.log.InfoContext(ctx, "request", "method", r.Method, "path", r.URL.Path, "route", route,
				"status", sw.status, "bytes", sw.bytes, "duration_ms", float64(elapsed.Microseconds())/1000,
				"remote", r.RemoteAddr)
		}()
		next.ServeHTTP(sw, r)
	})
}

package gateway

import (
	"log/slog"
	"net/http"
	"time"
)

// statusWriter records the status the gateway answered with. Unwrap lets
// http.ResponseController (and so the reverse proxy's flushes) reach the
// server's writer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish writes the request's access log record and counts it. The
// record names the check that refused the request, never the token or
// the Authorization header.
func (c *call) finish() {
	status := c.sw.status
	if status == 0 {
		status = http.StatusOK
	}
	if c.stage != nil {
		c.g.metrics.stageRequest(c.stage, c.apiID, c.stageName, status)
	} else if c.apiKnown {
		c.g.metrics.request(c.apiID, "", status)
	} else {
		c.g.metrics.request("", "", status)
	}
	if !c.g.log.Enabled(c.r.Context(), slog.LevelInfo) {
		return
	}

	var buf [10]slog.Attr
	attrs := buf[:0]
	log := c.g.log
	if c.stage != nil && c.match.Resource != nil {
		log = c.stage.loggers.get(c.g.log, c.apiID, c.stageName, c.match.Resource)
	} else {
		attrs = append(attrs, slog.String("api", c.apiID), slog.String("stage", c.stageName))
	}
	attrs = append(attrs, slog.String("method", c.r.Method), slog.String("path", c.path), slog.Int("status", status),
		slog.Float64("latency_ms", float64(time.Since(c.start).Microseconds())/1000))
	if c.auth != nil {
		attrs = append(attrs, slog.String("client_id", c.auth.ClientID), slog.String("jti", c.auth.JTI))
	}
	if c.reason != "" {
		attrs = append(attrs, slog.String("reason", c.reason), slog.String("detail", c.detail))
	}
	log.LogAttrs(c.r.Context(), slog.LevelInfo, "gateway request", attrs...)
}

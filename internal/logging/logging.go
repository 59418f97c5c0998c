package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"

	"github.com/cognatehq/cognate/internal/requestid"
)

// Redacted replaces the value of a sensitive attribute.
const Redacted = "[REDACTED]"

// sensitiveKeys are matched against lower-cased attribute keys: a key that
// equals one of them or ends in "_"+one of them is redacted.
var sensitiveKeys = []string{
	"token", "access_token", "id_token", "refresh_token", "password", "secret",
	"client_secret", "secret_hash", "authorization", "master_key", "private_key",
	"session", "srp_a", "srp_b", "authorization_code", "confirmation_code",
}

// IsSensitive reports whether an attribute key names a secret.
func IsSensitive(key string) bool {
	k := strings.ToLower(key)
	for _, s := range sensitiveKeys {
		if k == s || strings.HasSuffix(k, "_"+s) {
			return true
		}
	}
	return false
}

// verdicts remembers IsSensitive's answer per attribute key. Keys are
// names written in the code, a small fixed set, so the map stays small;
// it stops growing at maxVerdicts all the same. IsSensitive lower-cases
// the key and tries every suffix: about 0.2 µs an attribute, 2 µs of each
// gateway access-log record (pprof under bench/gateway.sh at --log-level
// info, 2026-11-25), against a map read.
var verdicts = struct {
	sync.RWMutex
	m map[string]bool
}{m: make(map[string]bool)}

const maxVerdicts = 4096

// sensitive is IsSensitive, remembered.
func sensitive(key string) bool {
	verdicts.RLock()
	v, ok := verdicts.m[key]
	verdicts.RUnlock()
	if ok {
		return v
	}
	v = IsSensitive(key)
	verdicts.Lock()
	if len(verdicts.m) < maxVerdicts {
		verdicts.m[key] = v
	}
	verdicts.Unlock()
	return v
}

// New returns a logger writing to w in format "json" or "text" at level
// ("debug", "info", "warn", "error"). When w has a Flush method (a
// BufferedWriter), it is called after every record at warn level or
// above.
func New(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv, ReplaceAttr: redact}
	var h slog.Handler
	switch format {
	case "json":
		h = slog.NewJSONHandler(w, opts)
	case "text":
		h = slog.NewTextHandler(w, opts)
	default:
		return nil, fmt.Errorf("log format %q: want json or text", format)
	}
	f, _ := w.(flusher)
	return slog.New(contextHandler{h, f}), nil
}

type flusher interface{ Flush() error }

func redact(groups []string, a slog.Attr) slog.Attr {
	if sensitive(a.Key) {
		return slog.String(a.Key, Redacted)
	}
	return a
}

// contextHandler adds the request id of the context to every record, and
// flushes a buffered output after warnings and errors.
type contextHandler struct {
	slog.Handler
	flush flusher // nil when the output is not buffered
}

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := requestid.FromContext(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	err := h.Handler.Handle(ctx, r)
	if h.flush != nil && r.Level >= slog.LevelWarn {
		if ferr := h.flush.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h contextHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(as), h.flush}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name), h.flush}
}

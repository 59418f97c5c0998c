package ssm

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

const (
	testRegion  = "us-east-1"
	testAccount = "123456789012"
)

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fixture is a Service over a fresh SQLite store, with a fake clock and
// captured debug logs.
type fixture struct {
	svc   *Service
	store *sqlstore.Store
	logs  *syncBuffer
	now   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlstore.OpenSQLite(t.Context(), filepath.Join(t.TempDir(), "cognate.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seal, err := sealer.New(bytes.Repeat([]byte{9}, sealer.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: st, logs: &syncBuffer{}, now: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)}
	f.svc = New(Config{Store: st, Sealer: seal, AccountID: testAccount,
		Now:    func() time.Time { return f.now },
		Logger: slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	return f
}

// put puts a parameter and fails the test on error.
func (f *fixture) put(t *testing.T, in PutInput) PutResult {
	t.Helper()
	res, err := f.svc.PutParameter(t.Context(), testRegion, in)
	if err != nil {
		t.Fatalf("PutParameter(%s): %v", in.Name, err)
	}
	return res
}

// get reads a parameter and fails the test on error.
func (f *fixture) get(t *testing.T, name string, decrypt bool) Parameter {
	t.Helper()
	p, err := f.svc.GetParameter(t.Context(), testRegion, name, decrypt)
	if err != nil {
		t.Fatalf("GetParameter(%s): %v", name, err)
	}
	return p
}

// wantKind fails the test unless err is a domain error of kind k whose
// message contains msg.
func wantKind(t *testing.T, err error, k Kind, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want a %v error", err, k)
	}
	if e.Kind != k {
		t.Fatalf("error %v, want kind %v", err, k)
	}
	if !strings.Contains(e.Msg, msg) {
		t.Fatalf("message %q, want it to contain %q", e.Msg, msg)
	}
}

func str(s string) *string { return &s }

var ctxBG = context.Background()

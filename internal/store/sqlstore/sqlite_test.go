package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
	"github.com/cognatehq/cognate/internal/store/storetest"
)

// openSQLite opens a fresh SQLite store in the test's temporary directory.
func openSQLite(t testing.TB) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.OpenSQLite(t.Context(), filepath.Join(t.TempDir(), "cognate.db"))
	if err != nil {
		t.Fatalf("OpenSQLite: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openSQLite(t) })
}

func TestSQLiteConcurrent(t *testing.T) {
	storetest.RunConcurrent(t, func(t *testing.T) store.Store { return openSQLite(t) })
}

func TestSQLiteSurvivesReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "cognate.db")
	s, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	p := store.Pool{ID: "us-east-1_X", Region: "us-east-1", Name: "x", Settings: []byte("{}"), CreatedAt: created, UpdatedAt: created}
	c := store.Client{ID: "c1", PoolID: p.ID, Name: "c", SecretSealed: []byte{1, 2}, CreatedAt: created, UpdatedAt: created}
	for _, err := range []error{s.CreatePool(ctx, p), s.CreateClient(ctx, c)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.PutMetaIfAbsent(ctx, "check", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	// Closing the last connection checkpoints the WAL: everything is in
	// the database file itself.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("WAL file has %d bytes after Close, want it checkpointed", fi.Size())
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("database file: %v, mode %v; want mode 0600", err, fi.Mode().Perm())
	}

	s, err = sqlstore.Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	gotP, err := s.GetPool(ctx, p.ID)
	if err != nil || !gotP.CreatedAt.Equal(created) || gotP.Name != "x" {
		t.Fatalf("pool after reopen: %+v, %v", gotP, err)
	}
	gotC, err := s.GetClient(ctx, c.ID)
	if err != nil || string(gotC.SecretSealed) != "\x01\x02" {
		t.Fatalf("client after reopen: %+v, %v", gotC, err)
	}
	if v, err := s.GetMeta(ctx, "check"); err != nil || string(v) != "v" {
		t.Fatalf("meta after reopen: %q, %v", v, err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != latestSchema(t, "sqlite") {
		t.Fatalf("SchemaVersion after reopen: %d, %v; want %d", v, err, latestSchema(t, "sqlite"))
	}
}

// Several processes (here: stores) opening one new file at once must all
// succeed, with the schema migrated exactly once.
func TestSQLiteConcurrentOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cognate.db")
	const n = 8
	stores := make([]*sqlstore.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = sqlstore.OpenSQLite(t.Context(), path) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	ctx := t.Context()
	if err := stores[0].CreatePool(ctx, store.Pool{ID: "p", Region: "r"}); err != nil {
		t.Fatal(err)
	}
	for i, s := range stores {
		if _, err := s.GetPool(ctx, "p"); err != nil {
			t.Fatalf("store %d does not see the pool: %v", i, err)
		}
		if v, err := s.SchemaVersion(ctx); err != nil || v != latestSchema(t, "sqlite") {
			t.Fatalf("store %d: SchemaVersion %d, %v", i, v, err)
		}
	}
}

func TestOpenDSN(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	for _, dsn := range []string{
		filepath.Join(dir, "plain.db"),
		"sqlite://" + filepath.Join(dir, "scheme.db"),
		"file:" + filepath.Join(dir, "file.db"),
		filepath.Join(dir, "with space %20.db"),
	} {
		s, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			t.Errorf("Open(%q): %v", dsn, err)
			continue
		}
		if s.Dialect() != "sqlite" {
			t.Errorf("Open(%q): dialect %q", dsn, s.Dialect())
		}
		s.Close()
	}
	if _, err := os.Stat(filepath.Join(dir, "with space %20.db")); err != nil {
		t.Errorf("file with an odd name: %v", err)
	}
	for dsn, want := range map[string]string{
		"mysql://localhost/x": "unsupported scheme",
		":memory:":            "in-memory",
		"":                    "in-memory",
		"file:" + filepath.Join(dir, "x.db?mode=ro"): "must not contain",
		filepath.Join(dir, "no-such-dir", "x.db"):    "no such file or directory",
	} {
		s, err := sqlstore.Open(ctx, dsn)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q): no error", dsn)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open(%q): error %q does not mention %q", dsn, err, want)
		}
	}
}

// BenchmarkGetClient measures the SQLite read of one app client, the first
// read of every token request.
func BenchmarkGetClient(b *testing.B) {
	s := openSQLite(b)
	ctx := context.Background()
	seedTokenPath(b, s)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.GetClient(ctx, "client-07"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTokenPathReads measures every store read of one
// client-credentials token request: the client, the pool's resource servers
// (to check the requested scopes) and the pool's signing keys.
func BenchmarkTokenPathReads(b *testing.B) {
	s := openSQLite(b)
	ctx := context.Background()
	seedTokenPath(b, s)
	b.ReportAllocs()
	for b.Loop() {
		tokenPathReads(b, ctx, s)
	}
}

// BenchmarkTokenPathReadsParallel is BenchmarkTokenPathReads from
// GOMAXPROCS goroutines at once.
func BenchmarkTokenPathReadsParallel(b *testing.B) {
	s := openSQLite(b)
	ctx := context.Background()
	seedTokenPath(b, s)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tokenPathReads(b, ctx, s)
		}
	})
}

func tokenPathReads(b *testing.B, ctx context.Context, s *sqlstore.Store) {
	c, err := s.GetClient(ctx, "client-07")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.ListResourceServers(ctx, c.PoolID, store.Page{}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.ListSigningKeys(ctx, c.PoolID); err != nil {
		b.Fatal(err)
	}
}

// seedTokenPath creates a pool like a real one: 20 clients, 3 resource
// servers, 4 signing keys of realistic sizes.
func seedTokenPath(b *testing.B, s *sqlstore.Store) {
	ctx := context.Background()
	now := time.Now().UTC()
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(s.CreatePool(ctx, store.Pool{ID: "us-east-1_bench", Region: "us-east-1", Name: "bench",
		Settings: make([]byte, 2048), CreatedAt: now, UpdatedAt: now}))
	for i := range 20 {
		must(s.CreateClient(ctx, store.Client{ID: fmt.Sprintf("client-%02d", i), PoolID: "us-east-1_bench",
			Name: "c", SecretSealed: make([]byte, 96), Settings: make([]byte, 600), CreatedAt: now, UpdatedAt: now}))
	}
	for i := range 3 {
		must(s.CreateResourceServer(ctx, store.ResourceServer{PoolID: "us-east-1_bench", Identifier: fmt.Sprintf("https://api%d", i),
			Name: "api", Scopes: []store.Scope{{Name: "read", Description: "r"}, {Name: "write", Description: "w"}},
			CreatedAt: now, UpdatedAt: now}))
	}
	for i := range 4 {
		use := []string{"access", "id"}[i%2]
		must(s.AddSigningKey(ctx, store.SigningKey{PoolID: "us-east-1_bench", KID: fmt.Sprintf("kid-%d", i), Use: use,
			Algorithm: "RS256", PublicJWK: make([]byte, 450), PrivateSealed: make([]byte, 1250),
			CreatedAt: now.Add(time.Duration(i) * time.Hour)}))
	}
}

// Two processes (here: two stores) writing the same file must queue on the
// database lock, not fail with SQLITE_BUSY or lose updates.
func TestSQLiteTwoStoresOneFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "cognate.db")
	var stores [2]*sqlstore.Store
	for i := range stores {
		s, err := sqlstore.OpenSQLite(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	now := time.Now().UTC()
	if err := stores[0].CreatePool(ctx, store.Pool{ID: "p", Region: "r", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := stores[1].CreateClient(ctx, store.Client{ID: "c", PoolID: "p", Settings: []byte("0")}); err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for i := range workers {
		wg.Go(func() {
			for range each {
				err := stores[i%2].UpdateClient(ctx, "c", func(c store.Client) (store.Client, error) {
					var n int
					fmt.Sscan(string(c.Settings), &n)
					c.Settings = fmt.Appendf(nil, "%d", n+1)
					return c, nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	c, err := stores[0].GetClient(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprint(workers * each); string(c.Settings) != want {
		t.Fatalf("counter = %s, want %s", c.Settings, want)
	}
}

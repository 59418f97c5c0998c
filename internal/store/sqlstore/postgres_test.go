package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
	"github.com/cognatehq/cognate/internal/store/storetest"
)

// The PostgreSQL tests need a server: COGNATE_TEST_POSTGRES holds its URL,
// for example as set by scripts/pgtest.sh:
//
//	scripts/pgtest.sh go test ./internal/store/...
//
// Without it they skip, except under CI=true, where they fail. Each test
// gets a fresh schema in that database, dropped afterwards.
const postgresEnv = "COGNATE_TEST_POSTGRES"

var pgAdmin struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// postgresAdmin returns the URL from the environment and a connection to
// it, skipping or failing the test when there is none.
func postgresAdmin(t testing.TB) (string, *sql.DB) {
	t.Helper()
	u := os.Getenv(postgresEnv)
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is not set", postgresEnv)
		}
		t.Skipf("%s is not set; to test PostgreSQL run: scripts/pgtest.sh go test ./internal/store/...", postgresEnv)
	}
	pgAdmin.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		pgAdmin.db, pgAdmin.err = sql.Open("pgx", u)
		if pgAdmin.err == nil {
			pgAdmin.err = pgAdmin.db.PingContext(ctx)
		}
	})
	if pgAdmin.err != nil {
		t.Fatalf("%s is set but the server does not answer: %v", postgresEnv, pgAdmin.err)
	}
	return u, pgAdmin.db
}

// freshSchema creates a uniquely named schema, dropped when the test ends,
// and returns its name and the URL that makes it the search path.
func freshSchema(t testing.TB) (string, string) {
	t.Helper()
	base, admin := postgresAdmin(t)
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return schema, u.String()
}

// openPostgres opens a store in a fresh schema.
func openPostgres(t testing.TB) *sqlstore.Store {
	t.Helper()
	_, dsn := freshSchema(t)
	s, err := sqlstore.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestPostgres(t *testing.T) {
	postgresAdmin(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openPostgres(t) })
}

func TestPostgresConcurrent(t *testing.T) {
	postgresAdmin(t)
	storetest.RunConcurrent(t, func(t *testing.T) store.Store { return openPostgres(t) })
}

// Several processes opening one new database at once must all succeed,
// with the schema migrated exactly once.
func TestPostgresConcurrentOpen(t *testing.T) {
	_, dsn := freshSchema(t)
	const n = 8
	stores := make([]*sqlstore.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = sqlstore.OpenPostgres(t.Context(), dsn) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	for i, s := range stores {
		if v, err := s.SchemaVersion(t.Context()); err != nil || v != latestSchema(t, "postgres") {
			t.Fatalf("store %d: SchemaVersion %d, %v; want %d", i, v, err, latestSchema(t, "postgres"))
		}
	}
}

func TestPostgresUnreachable(t *testing.T) {
	postgresAdmin(t) // skip like the others when PostgreSQL is not configured
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	s, err := sqlstore.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err == nil {
		s.Close()
		t.Fatal("Open of an unreachable server: no error")
	}
	t.Log(err)
}

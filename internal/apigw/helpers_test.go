package apigw_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

// openStore opens a fresh store: SQLite in a temporary directory, or,
// when COGNATE_TEST_POSTGRES names a server (scripts/pgtest.sh), a fresh
// PostgreSQL schema that is dropped after the test.
func openStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "c.db")
	if base := os.Getenv("COGNATE_TEST_POSTGRES"); base != "" {
		dsn = freshSchema(t, base)
	}
	st, err := sqlstore.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func freshSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "apigw_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

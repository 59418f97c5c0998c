package sqlstore

import (
	"path/filepath"
	"testing"
)

// The pragmas the crash-safety and integrity promises rest on must be in
// effect on every connection.
func TestSQLitePragmas(t *testing.T) {
	s, err := OpenSQLite(t.Context(), filepath.Join(t.TempDir(), "cognate.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	for _, c := range []struct {
		pool   string
		pragma string
		want   string
	}{
		{"writer", "journal_mode", "wal"},
		{"writer", "synchronous", "2"}, // FULL
		{"writer", "foreign_keys", "1"},
		{"writer", "busy_timeout", sqliteBusyTimeout},
		{"writer", "query_only", "0"},
		{"reader", "journal_mode", "wal"},
		{"reader", "foreign_keys", "1"},
		{"reader", "busy_timeout", sqliteBusyTimeout},
		{"reader", "query_only", "1"},
	} {
		db := s.db
		if c.pool == "reader" {
			db = s.rdb
		}
		var got string
		if err := db.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatalf("%s: PRAGMA %s: %v", c.pool, c.pragma, err)
		}
		if got != c.want {
			t.Errorf("%s: PRAGMA %s = %q, want %q", c.pool, c.pragma, got, c.want)
		}
	}
	if _, err := s.rdb.ExecContext(ctx, "DELETE FROM meta"); err == nil {
		t.Error("a write through the read pool succeeded; readers must be read-only")
	}
}

func TestMigrationsMatch(t *testing.T) {
	lite, err := loadMigrations(sqliteDialect)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := loadMigrations(postgresDialect)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pg) {
		t.Fatalf("%d SQLite migrations but %d PostgreSQL ones; every schema change needs both", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].name != pg[i].name {
			t.Errorf("migration %d is %s on SQLite but %s on PostgreSQL", i+1, lite[i].name, pg[i].name)
		}
	}
}

// A database migrated by a newer build must be refused, not used.
func TestSQLiteRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cognate.db")
	s, err := OpenSQLite(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.db.ExecContext(t.Context(), "INSERT INTO schema_migrations (version, name, applied_at) SELECT max(version) + 1, 'future.sql', 0 FROM schema_migrations")
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err = OpenSQLite(t.Context(), path)
	if err == nil {
		s.Close()
		t.Fatal("opened a database at a schema version this build does not know")
	}
	t.Log(err)
}

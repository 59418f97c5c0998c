package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// sqliteBusyTimeout is how long, in milliseconds, a connection waits for a
// lock held by another process before giving up with SQLITE_BUSY.
const sqliteBusyTimeout = "5000"

// OpenSQLite opens the SQLite database file at path, creating it (mode 0600,
// in an existing directory) and its schema when missing.
//
// The database runs in WAL mode with synchronous=FULL, so every committed
// write survives a crash or power loss, and with foreign keys on. Writes go
// through a single connection, one transaction at a time, each beginning
// IMMEDIATE; reads use a separate pool of read-only connections and proceed
// while a write is in progress. Several processes may open the same file:
// they wait for each other's write locks for up to 5 seconds.
//
// Times are stored as microseconds since the Unix epoch: finer precision is
// truncated.
func OpenSQLite(ctx context.Context, path string) (*Store, error) {
	return openSQLite(ctx, path, nil)
}

// openSQLite is OpenSQLite with a hook for migrate.
func openSQLite(ctx context.Context, path string, afterEach func(context.Context, *sql.Tx, migration) error) (*Store, error) {
	switch {
	case path == "", path == ":memory:", strings.HasPrefix(path, "file::memory:"):
		return nil, fmt.Errorf("sqlstore: open sqlite %q: need the path of a database file (in-memory databases are not supported)", path)
	case strings.ContainsAny(path, "?#"):
		return nil, fmt.Errorf("sqlstore: open sqlite %q: the path must not contain '?' or '#'; the store sets its own parameters", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open sqlite %q: %w", path, err)
	}
	if err := createPrivate(abs); err != nil {
		return nil, fmt.Errorf("sqlstore: open sqlite %q: %w", abs, err)
	}

	w, err := openSQLitePool(ctx, abs, url.Values{
		"_journal_mode": {"WAL"},
		"_txlock":       {"immediate"},
	}, 1)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open sqlite %q: %w", abs, err)
	}
	if err := checkWAL(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite %q: %w", abs, err)
	}
	if err := migrate(ctx, w, sqliteDialect, afterEach); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite %q: %w", abs, err)
	}
	r, err := openSQLitePool(ctx, abs, url.Values{"_query_only": {"1"}}, max(4, runtime.GOMAXPROCS(0)))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite %q (readers): %w", abs, err)
	}
	s, err := newStore(ctx, sqliteDialect, w, r)
	if err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite %q: %w", abs, err)
	}
	return s, nil
}

// openSQLitePool opens a pool of at most n connections to the database
// file at abs, each with the common pragmas plus extra, and checks that one
// connects.
func openSQLitePool(ctx context.Context, abs string, extra url.Values, n int) (*sql.DB, error) {
	q := url.Values{
		"_busy_timeout": {sqliteBusyTimeout},
		"_foreign_keys": {"1"},
		"_synchronous":  {"FULL"},
	}
	for k, v := range extra {
		q[k] = v
	}
	// A file: URI, so the path is percent-encoded and reaches SQLite intact.
	dsn := (&url.URL{Scheme: "file", Path: abs, RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkWAL checks that the database really is in WAL mode: SQLite keeps the
// old journal mode, without an error, where WAL is not available.
func checkWAL(ctx context.Context, db *sql.DB) error {
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, not WAL (is the file on a file system without shared memory support?)", mode)
	}
	return nil
}

// createPrivate creates an empty file at path, readable by its owner only,
// unless something exists there already. SQLite gives the WAL and
// shared-memory files the same mode as the database file.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

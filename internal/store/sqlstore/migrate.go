package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"
)

// migrationFiles holds the schema of each dialect as numbered, forward-only
// migrations: migrations/<dialect>/NNNN_name.sql, numbered from 0001 with no
// gaps. A released migration is never edited; a change is a new file, in
// both dialects.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migration is one schema change.
type migration struct {
	version int
	name    string // the file name
	sql     string
}

// loadMigrations returns the dialect's migrations in version order.
func loadMigrations(d *dialect) ([]migration, error) {
	dir := "migrations/" + d.name
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s migrations: %w", d.name, err)
	}
	var out []migration
	for _, e := range entries { // ReadDir sorts by name
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s/%s: name is not NNNN_name.sql", dir, e.Name())
		}
		if v != len(out)+1 {
			return nil, fmt.Errorf("migration %s/%s: version %d, want %d (versions start at 1 with no gaps)", dir, e.Name(), v, len(out)+1)
		}
		text, err := fs.ReadFile(migrationFiles, dir+"/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s/%s: %w", dir, e.Name(), err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(text)})
	}
	return out, nil
}

// migrate brings the schema of db up to date in one transaction: every
// pending migration is applied, or none. Processes that start at once on
// the same database take turns: SQLite's BEGIN IMMEDIATE and PostgreSQL's
// advisory lock let one migrate while the others wait, and those find
// nothing left to do. A database migrated by a newer build (a version this
// build does not know) is refused.
//
// afterEach, when not nil, runs in the same transaction after each
// migration is applied; the migration tests load fixtures with it.
func migrate(ctx context.Context, db *sql.DB, d *dialect, afterEach func(context.Context, *sql.Tx, migration) error) error {
	ms, err := loadMigrations(d)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: begin: %w", d.name, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if d.migrationsLock != "" {
		if _, err := tx.ExecContext(ctx, d.migrationsLock); err != nil {
			return fmt.Errorf("migrate %s: lock: %w", d.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, d.migrationsTable); err != nil {
		return fmt.Errorf("migrate %s: create schema_migrations: %w", d.name, err)
	}
	applied, err := appliedVersion(ctx, tx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", d.name, err)
	}
	if applied > len(ms) {
		return fmt.Errorf("migrate %s: the database is at schema version %d but this build knows only up to %d; use a newer build", d.name, applied, len(ms))
	}
	insert := "INSERT INTO schema_migrations (version, name, applied_at) VALUES (" + args(d, 3) + ")"
	for _, m := range ms[applied:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migrate %s: apply %s: %w", d.name, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, insert, m.version, m.name, d.timeArg(time.Now())); err != nil {
			return fmt.Errorf("migrate %s: record %s: %w", d.name, m.name, err)
		}
		if afterEach != nil {
			if err := afterEach(ctx, tx, m); err != nil {
				return fmt.Errorf("migrate %s: after %s: %w", d.name, m.name, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: commit: %w", d.name, err)
	}
	return nil
}

// appliedVersion returns the highest applied migration, checking that
// versions 1 to it are all recorded.
func appliedVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	var n, highest sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT count(*), max(version) FROM schema_migrations").Scan(&n, &highest)
	if err != nil {
		return 0, fmt.Errorf("read schema_migrations: %w", err)
	}
	if n.Int64 != highest.Int64 {
		return 0, fmt.Errorf("schema_migrations records %d migrations but the highest is version %d; the table was edited by hand", n.Int64, highest.Int64)
	}
	return int(highest.Int64), nil
}

// SchemaVersion returns the schema version of the database: the number of
// the last migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := s.queryRow(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlstore: read schema version: %w", err)
	}
	return int(v.Int64), nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Connection pool limits for PostgreSQL.
const (
	pgMaxOpenConns    = 16
	pgMaxIdleConns    = 8
	pgConnMaxIdleTime = 5 * time.Minute
	pgConnMaxLifetime = time.Hour
)

// OpenPostgres connects to the PostgreSQL database named by url (a
// postgres:// URL or a keyword/value connection string, as pgx accepts),
// creating or migrating the schema in the first schema of its search_path.
//
// Writes outside InTx run at READ COMMITTED, Update methods with the row
// locked (SELECT … FOR UPDATE); InTx runs SERIALIZABLE. Transactions that
// fail with a serialization failure or a deadlock are retried. Times are
// stored as timestamptz, with microsecond precision: finer precision is
// truncated.
func OpenPostgres(ctx context.Context, url string) (*Store, error) {
	return openPostgres(ctx, url, nil)
}

// openPostgres is OpenPostgres with a hook for migrate.
func openPostgres(ctx context.Context, url string, afterEach func(context.Context, *sql.Tx, migration) error) (*Store, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	where := fmt.Sprintf("database %q on %s:%d", cfg.Database, cfg.Host, cfg.Port)
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(pgMaxOpenConns)
	db.SetMaxIdleConns(pgMaxIdleConns)
	db.SetConnMaxIdleTime(pgConnMaxIdleTime)
	db.SetConnMaxLifetime(pgConnMaxLifetime)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: open postgres %s: %w", where, err)
	}
	if err := migrate(ctx, db, postgresDialect, afterEach); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: open postgres %s: %w", where, err)
	}
	s, err := newStore(ctx, postgresDialect, db, db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: open postgres %s: %w", where, err)
	}
	return s, nil
}

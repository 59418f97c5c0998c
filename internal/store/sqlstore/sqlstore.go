package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/cognatehq/cognate/internal/store"
)

// Store implements store.Store over database/sql, on SQLite or PostgreSQL.
// Open one with Open, OpenSQLite or OpenPostgres; it is safe for concurrent
// use. The Store that InTx passes to its function is bound to one
// transaction and is not (see InTx).
type Store struct {
	d *dialect
	q *queries

	// db runs writes, and on PostgreSQL everything. On SQLite it is a pool
	// of exactly one connection, so writers queue in Go instead of
	// contending for the database lock.
	db *sql.DB
	// rdb runs reads outside transactions. On SQLite it is a separate pool
	// of read-only connections, which WAL lets read while a write is in
	// progress; on PostgreSQL it is db.
	rdb *sql.DB

	// prepared maps the text of the reads in prepareReads to their
	// statements on rdb, when the dialect prepares reads; nil otherwise.
	prepared map[string]*sql.Stmt

	// grants caches grant contexts when this store is its database's only
	// writer (OpenSQLiteExclusive); nil otherwise.
	grants *grantCache
	// unlock releases the exclusive lock of OpenSQLiteExclusive.
	unlock func() error

	// tx is the transaction of a Store passed to an InTx function; nil on
	// the Store that Open returns.
	tx *sql.Tx
}

var _ store.Store = (*Store)(nil)

// Open opens the store named by dsn, creating or migrating its schema as
// needed:
//
//   - postgres://… or postgresql://… opens PostgreSQL (see OpenPostgres);
//   - sqlite://PATH, file:PATH or a plain PATH opens the SQLite database
//     file PATH (see OpenSQLite). sqlite:///var/lib/cognate.db names an
//     absolute path, sqlite://data/cognate.db a relative one.
//
// Other schemes are an error. SQLite takes no query parameters in dsn:
// the store sets the pragmas itself.
func Open(ctx context.Context, dsn string) (*Store, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return OpenPostgres(ctx, dsn)
	case strings.HasPrefix(dsn, "sqlite://"):
		return OpenSQLite(ctx, strings.TrimPrefix(dsn, "sqlite://"))
	case strings.HasPrefix(dsn, "file:"):
		return OpenSQLite(ctx, strings.TrimPrefix(dsn, "file:"))
	case strings.Contains(dsn, "://"):
		scheme, _, _ := strings.Cut(dsn, "://")
		return nil, fmt.Errorf("sqlstore: open: unsupported scheme %q (want postgres://, postgresql://, sqlite:// or a file path)", scheme)
	}
	return OpenSQLite(ctx, dsn)
}

// Dialect reports the backend: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: ping %s: %w", s.d.name, err)
	}
	if s.rdb != s.db {
		if err := s.rdb.PingContext(ctx); err != nil {
			return fmt.Errorf("sqlstore: ping %s (readers): %w", s.d.name, err)
		}
	}
	return nil
}

// Close closes the database. Calling it on the Store passed to an InTx
// function is an error: that Store belongs to the transaction.
func (s *Store) Close() error {
	if s.tx != nil {
		return errors.New("sqlstore: close: called on a transaction-bound store; the store that Open returned owns the database")
	}
	errs := []error{closeStmts(s.prepared)}
	if s.rdb != s.db {
		errs = append(errs, s.rdb.Close())
	}
	// The writer closes last: on SQLite the last connection to close
	// checkpoints the WAL into the database file.
	errs = append(errs, s.db.Close())
	if s.unlock != nil {
		errs = append(errs, s.unlock())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlstore: close %s: %w", s.d.name, err)
	}
	return nil
}

// Reset deletes every pool, domain, resource server, app client, signing
// key, SSM parameter, stack, REST API and Lambda function in one
// transaction, and moves the gateway generation. The meta table is kept.
func (s *Store) Reset(ctx context.Context) error {
	const op = "reset"
	return s.write(ctx, op, func(tx *sql.Tx) error {
		for _, table := range resetTables {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
				return fmt.Errorf("sqlstore: %s: delete from %s: %w", op, table, err)
			}
		}
		// The gateway's routes went with the APIs: tell every node.
		if _, err := tx.ExecContext(ctx, s.apigw().bumpGeneration); err != nil {
			return fmt.Errorf("sqlstore: %s: bump gateway generation: %w", op, err)
		}
		return nil
	})
}

// resetTables lists every table Reset empties, children before parents.
var resetTables = []string{"rest_api_stages", "rest_api_deployments", "rest_api_parts", "rest_apis", "lambda_functions", "stack_exports", "stack_events", "stack_resources", "stacks", "parameter_labels", "parameter_versions", "parameters", "signing_keys", "clients", "resource_servers", "domains", "pools"}

// newStore returns the root Store over db (writes) and rdb (reads), whose
// schema is up to date. It does not close db or rdb when it fails.
func newStore(ctx context.Context, d *dialect, db, rdb *sql.DB) (*Store, error) {
	s := &Store{d: d, q: newQueries(d), db: db, rdb: rdb}
	if d.prepareReads {
		var err error
		if s.prepared, err = prepareReads(ctx, rdb, s.q); err != nil {
			return nil, err
		}
	}
	return s, nil
}

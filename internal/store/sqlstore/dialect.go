package sqlstore

import (
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds everything that differs between SQLite and PostgreSQL. The
// SQL text itself is written once (queries.go) and assembled with arg; it is
// never rewritten after the fact.
type dialect struct {
	// name is "sqlite" or "postgres", as used in error messages and as the
	// directory of the dialect's migrations.
	name string

	// arg returns the placeholder of the n-th (1-based) query argument:
	// ?n on SQLite, $n on PostgreSQL.
	arg func(n int) string

	// joinText returns an aggregate that joins the text values of expr
	// over a group with the character whose code is sep: group_concat on
	// SQLite, string_agg on PostgreSQL.
	joinText func(expr string, sep int) string

	// forUpdate is appended to the SELECT that reads a record an Update
	// method is about to rewrite. PostgreSQL locks the row; SQLite needs
	// nothing because a write transaction already holds the database's
	// only write lock (BEGIN IMMEDIATE).
	forUpdate string

	// timeArg converts a time to the value bound for a timestamp column,
	// truncated to microseconds: INTEGER microseconds since the Unix epoch
	// on SQLite, timestamptz on PostgreSQL. scanTime reads both forms.
	timeArg func(time.Time) any

	// inTxIsolation is the isolation level of InTx transactions.
	// PostgreSQL runs them SERIALIZABLE so that InTx behaves like SQLite,
	// whose write transactions run one at a time.
	inTxIsolation sql.IsolationLevel

	// guardWrites is true when a failed statement aborts the whole
	// transaction (PostgreSQL). Writes on a transaction-bound Store then
	// run under a savepoint, so that a caller who handles, say, an
	// ErrConflict inside InTx can go on using the transaction, as on
	// SQLite.
	guardWrites bool

	// prepareReads is true when the driver does not cache prepared
	// statements itself (modernc SQLite; pgx does): the Store then prepares
	// its reads once, on the read pool, as preparing costs more than
	// running them.
	prepareReads bool

	// migrationsTable creates the table that records applied migrations.
	migrationsTable string

	// migrationsLock is run first inside the migration transaction to keep
	// two processes from migrating the same database at once; empty when
	// the transaction itself is exclusive (SQLite's BEGIN IMMEDIATE).
	migrationsLock string

	// classify reports what kind of failure a driver error is.
	classify func(error) failure
}

// failure is the kind of a database error that the store maps to something
// a caller can act on.
type failure int

const (
	failOther      failure = iota
	failUnique             // a unique or primary key constraint: store.ErrConflict
	failForeignKey         // a missing parent row: store.ErrNotFound
	failRetry              // a serialization failure or deadlock: run the transaction again
)

var sqliteDialect = &dialect{
	name: "sqlite",
	arg:  func(n int) string { return "?" + strconv.Itoa(n) },
	joinText: func(expr string, sep int) string {
		return "group_concat(" + expr + ", char(" + strconv.Itoa(sep) + "))"
	},
	forUpdate:     "",
	timeArg:       func(t time.Time) any { return t.UnixMicro() },
	inTxIsolation: sql.LevelDefault,
	guardWrites:   false,
	prepareReads:  true,
	migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
) STRICT`,
	migrationsLock: "",
	classify:       classifySQLite,
}

var postgresDialect = &dialect{
	name: "postgres",
	arg:  func(n int) string { return "$" + strconv.Itoa(n) },
	joinText: func(expr string, sep int) string {
		return "string_agg(" + expr + ", chr(" + strconv.Itoa(sep) + "))"
	},
	forUpdate:     " FOR UPDATE",
	timeArg:       func(t time.Time) any { return t.Truncate(time.Microsecond).UTC() },
	inTxIsolation: sql.LevelSerializable,
	guardWrites:   true,
	prepareReads:  false,
	migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer     NOT NULL PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL
)`,
	// The lock is per schema, so databases that keep several stores in
	// separate schemas (as the tests do) migrate them independently.
	migrationsLock: `SELECT pg_advisory_xact_lock(hashtextextended('cognate/sqlstore/migrate/' || coalesce(current_schema(), ''), 0))`,
	classify:       classifyPostgres,
}

func classifySQLite(err error) failure {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return failOther
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		return failUnique
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return failForeignKey
	}
	// SQLITE_BUSY is not retried: the busy timeout has already waited for
	// the other process, and write transactions begin IMMEDIATE, so there
	// is no lock upgrade that could deadlock.
	return failOther
}

func classifyPostgres(err error) failure {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return failOther
	}
	switch e.Code {
	case "23505": // unique_violation
		return failUnique
	case "23503": // foreign_key_violation
		return failForeignKey
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return failRetry
	}
	return failOther
}

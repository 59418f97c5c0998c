// Package sqlstore implements store.Store over database/sql, for two
// backends in one package:
//
//   - SQLite, through the pure-Go driver modernc.org/sqlite (CGO_ENABLED=0
//     builds keep working): a single database file in WAL mode with
//     synchronous=FULL, one writer connection and a pool of read-only
//     connections;
//   - PostgreSQL, through github.com/jackc/pgx/v5/stdlib.
//
// Open picks the backend from its argument; OpenSQLite and OpenPostgres
// open one directly.
//
// What differs between the two lives in one small dialect struct
// (placeholders, row locking, the time type, isolation of InTx, error
// codes); the SQL text is written once and never rewritten. The schema of
// each dialect is a series of numbered, forward-only migrations embedded in
// the binary (migrations/<dialect>/NNNN_name.sql) and applied at open, in
// one transaction, safely when several processes open the same database at
// once.
//
// The database enforces every uniqueness rule and every pool-to-child
// reference: a unique violation is returned as store.ErrConflict, a
// reference to a missing pool as store.ErrNotFound, both wrapped with a
// message that says what clashed or was missing. Deleting a pool cascades
// to its domains, resource servers, app clients and signing keys.
//
// Times are stored with microsecond precision (finer precision is
// truncated on write) and read back in UTC. Byte slices round-trip exactly,
// nil and empty apart.
//
// Update methods and InTx may run their function more than once on
// PostgreSQL, when a transaction is retried after a serialization failure
// or a deadlock; the function must not have effects outside the store.
//
// From Cognate, sqlstore imports only package store.
package sqlstore

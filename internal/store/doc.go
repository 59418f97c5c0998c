// Package store defines Cognate's persistence contract: the record types,
// the sentinel errors and the one Store interface that every backend
// implements (SQLite and PostgreSQL, in package sqlstore).
//
// Records are plain data. Secrets arrive already sealed by the domain layer
// (package sealer), so no backend ever sees a plaintext client secret or
// private key. Uniqueness (pool ids, domain prefixes, client ids, resource
// server identifiers within a pool, parameter names within a region) is
// enforced by the database and reported as ErrConflict, never by
// check-then-write in callers.
//
// store imports nothing else from Cognate.
package store

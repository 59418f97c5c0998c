package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"

	"github.com/cognatehq/cognate/internal/store"
)

// queryRow runs a single-row read: in the transaction of a bound Store,
// otherwise on the read pool, prepared when the dialect asks for it.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if s.tx != nil {
		return s.tx.QueryRowContext(ctx, query, args...)
	}
	if st := s.prepared[query]; st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.rdb.QueryRowContext(ctx, query, args...)
}

// query runs a read like queryRow, for any number of rows.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s.tx != nil {
		return s.tx.QueryContext(ctx, query, args...)
	}
	if st := s.prepared[query]; st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.rdb.QueryContext(ctx, query, args...)
}

// prepareReads prepares, on the read pool, the reads the root Store runs
// outside transactions. database/sql prepares each again on every
// connection that runs it.
func prepareReads(ctx context.Context, rdb *sql.DB, q *queries) (map[string]*sql.Stmt, error) {
	reads := []string{
		q.getPool, q.listPools,
		q.getDomain, q.listDomainsByPool,
		q.getRS, q.listRS, q.countRS,
		q.getClient, q.listClients, q.countClients,
		q.listKeys, q.getMeta, q.grantContext, q.verifyContext,
	}
	reads = append(reads, q.params.reads()...)
	out := make(map[string]*sql.Stmt, len(reads))
	for _, query := range reads {
		st, err := rdb.PrepareContext(ctx, query)
		if err != nil {
			closeStmts(out)
			return nil, fmt.Errorf("prepare %q: %w", query, err)
		}
		out[query] = st
	}
	return out, nil
}

func closeStmts(stmts map[string]*sql.Stmt) error {
	var errs []error
	for _, st := range stmts {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}

// collect scans every row of rows with scan, then closes rows.
func collect[T any](rows *sql.Rows, scan func(rowScanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// limitArg is the LIMIT bound for page: Limit, or no limit when Limit <= 0.
func limitArg(page store.Page) int64 {
	if page.Limit <= 0 {
		return math.MaxInt64
	}
	return int64(page.Limit)
}

// count runs a SELECT count(*) query.
func (s *Store) count(ctx context.Context, query string, args ...any) (int, error) {
	var n int64
	if err := s.queryRow(ctx, query, args...).Scan(&n); err != nil {
		return 0, err
	}
	return int(n), nil
}

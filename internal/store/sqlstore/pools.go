package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cognatehq/cognate/internal/store"
)

// CreatePool inserts p. A pool with the same ID is an ErrConflict.
func (s *Store) CreatePool(ctx context.Context, p store.Pool) error {
	op := fmt.Sprintf("create pool %q", p.ID)
	if p.ID == "" {
		return errEmptyKey(op, "ID")
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q.insertPool, s.poolArgs(p)...)
		return s.mapErr(err, op, "a pool with this ID already exists", "")
	})
}

// GetPool returns the pool with the given ID, or an ErrNotFound.
func (s *Store) GetPool(ctx context.Context, id string) (store.Pool, error) {
	p, err := scanPool(s.queryRow(ctx, s.q.getPool, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Pool{}, notFound(fmt.Sprintf("pool %q", id))
	}
	if err != nil {
		return store.Pool{}, fmt.Errorf("sqlstore: get pool %q: %w", id, err)
	}
	return p, nil
}

// ListPools returns one page of the pools of region, ordered by ID.
func (s *Store) ListPools(ctx context.Context, region string, page store.Page) ([]store.Pool, error) {
	rows, err := s.query(ctx, s.q.listPools, region, page.After, limitArg(page))
	if err == nil {
		var pools []store.Pool
		if pools, err = collect(rows, scanPool); err == nil {
			return pools, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list pools of region %q: %w", region, err)
}

// UpdatePool runs fn on the pool with the given ID, with the pool locked,
// and writes back what fn returns. fn must not change the ID. fn's error is
// returned unchanged and nothing is written.
func (s *Store) UpdatePool(ctx context.Context, id string, fn func(store.Pool) (store.Pool, error)) error {
	op := fmt.Sprintf("update pool %q", id)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		old, err := scanPool(tx.QueryRowContext(ctx, s.q.getPoolForUpdate, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(fmt.Sprintf("pool %q", id))
		}
		if err != nil {
			return fmt.Errorf("sqlstore: %s: read: %w", op, err)
		}
		p, err := fn(old)
		if err != nil {
			return err
		}
		if err := keyChanged(op, "ID", old.ID, p.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q.updatePool, s.poolArgs(p)...)
		return s.mapErr(err, op, "conflicting pool", "")
	})
}

// DeletePool deletes the pool with the given ID and, by cascade, its
// domains, resource servers, app clients and signing keys. A missing pool
// is an ErrNotFound.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	op := fmt.Sprintf("delete pool %q", id)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		return s.deleteOne(ctx, tx, op, fmt.Sprintf("pool %q", id), s.q.deletePool, id)
	})
}

// poolArgs returns the arguments of insertPool and updatePool.
func (s *Store) poolArgs(p store.Pool) []any {
	return []any{p.ID, p.Region, p.Name, blobArg(p.Settings), s.d.timeArg(p.CreatedAt), s.d.timeArg(p.UpdatedAt)}
}

func scanPool(r rowScanner) (store.Pool, error) {
	var p store.Pool
	err := r.Scan(&p.ID, &p.Region, &p.Name, blobCol{&p.Settings}, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt})
	return p, err
}

// deleteOne runs a DELETE that should remove exactly one row; none is an
// ErrNotFound naming what.
func (s *Store) deleteOne(ctx context.Context, tx *sql.Tx, op, what, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return s.mapErr(err, op, "", "")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlstore: %s: %w", op, err)
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

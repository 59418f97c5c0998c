package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cognatehq/cognate/internal/store"
)

// CreateResourceServer inserts rs. An identifier already used in the pool
// is an ErrConflict; a missing pool is an ErrNotFound.
func (s *Store) CreateResourceServer(ctx context.Context, rs store.ResourceServer) error {
	op := fmt.Sprintf("create resource server %q in pool %q", rs.Identifier, rs.PoolID)
	if rs.Identifier == "" {
		return errEmptyKey(op, "Identifier")
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		a, err := s.rsArgs(rs)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q.insertRS, a...)
		return s.mapErr(err, op, "the pool already has a resource server with this identifier",
			fmt.Sprintf("pool %q does not exist", rs.PoolID))
	})
}

// GetResourceServer returns one resource server of a pool, or an
// ErrNotFound.
func (s *Store) GetResourceServer(ctx context.Context, poolID, identifier string) (store.ResourceServer, error) {
	rs, err := scanRS(s.queryRow(ctx, s.q.getRS, poolID, identifier))
	if errors.Is(err, sql.ErrNoRows) {
		return store.ResourceServer{}, notFound(fmt.Sprintf("resource server %q in pool %q", identifier, poolID))
	}
	if err != nil {
		return store.ResourceServer{}, fmt.Errorf("sqlstore: get resource server %q in pool %q: %w", identifier, poolID, err)
	}
	return rs, nil
}

// ListResourceServers returns one page of the pool's resource servers,
// ordered by identifier.
func (s *Store) ListResourceServers(ctx context.Context, poolID string, page store.Page) ([]store.ResourceServer, error) {
	rows, err := s.query(ctx, s.q.listRS, poolID, page.After, limitArg(page))
	if err == nil {
		var out []store.ResourceServer
		if out, err = collect(rows, scanRS); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list resource servers of pool %q: %w", poolID, err)
}

// CountResourceServers returns how many resource servers the pool has.
func (s *Store) CountResourceServers(ctx context.Context, poolID string) (int, error) {
	n, err := s.count(ctx, s.q.countRS, poolID)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: count resource servers of pool %q: %w", poolID, err)
	}
	return n, nil
}

// UpdateResourceServer runs fn on one resource server, with it locked, and
// writes back what fn returns. fn must change neither PoolID nor
// Identifier. fn's error is returned unchanged and nothing is written.
func (s *Store) UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(store.ResourceServer) (store.ResourceServer, error)) error {
	op := fmt.Sprintf("update resource server %q in pool %q", identifier, poolID)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		old, err := scanRS(tx.QueryRowContext(ctx, s.q.getRSForUpdate, poolID, identifier))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(fmt.Sprintf("resource server %q in pool %q", identifier, poolID))
		}
		if err != nil {
			return fmt.Errorf("sqlstore: %s: read: %w", op, err)
		}
		rs, err := fn(old)
		if err != nil {
			return err
		}
		if err := keyChanged(op, "PoolID", old.PoolID, rs.PoolID); err != nil {
			return err
		}
		if err := keyChanged(op, "Identifier", old.Identifier, rs.Identifier); err != nil {
			return err
		}
		a, err := s.rsArgs(rs)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q.updateRS, a...)
		return s.mapErr(err, op, "conflicting resource server", "")
	})
}

// DeleteResourceServer deletes one resource server; a missing one is an
// ErrNotFound.
func (s *Store) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	op := fmt.Sprintf("delete resource server %q in pool %q", identifier, poolID)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		return s.deleteOne(ctx, tx, op, fmt.Sprintf("resource server %q in pool %q", identifier, poolID),
			s.q.deleteRS, poolID, identifier)
	})
}

// rsArgs returns the arguments of insertRS and updateRS.
func (s *Store) rsArgs(rs store.ResourceServer) ([]any, error) {
	scopes, err := encodeScopes(rs.Scopes)
	if err != nil {
		return nil, err
	}
	return []any{rs.PoolID, rs.Identifier, rs.Name, scopes, s.d.timeArg(rs.CreatedAt), s.d.timeArg(rs.UpdatedAt)}, nil
}

func scanRS(r rowScanner) (store.ResourceServer, error) {
	var (
		rs     store.ResourceServer
		scopes string
	)
	err := r.Scan(&rs.PoolID, &rs.Identifier, &rs.Name, &scopes, timeCol{&rs.CreatedAt}, timeCol{&rs.UpdatedAt})
	if err != nil {
		return rs, err
	}
	rs.Scopes, err = decodeScopes(scopes)
	return rs, err
}

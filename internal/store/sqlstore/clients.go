package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cognatehq/cognate/internal/store"
)

// CreateClient inserts c. A client with the same ID (in any pool) is an
// ErrConflict; a missing pool is an ErrNotFound.
func (s *Store) CreateClient(ctx context.Context, c store.Client) error {
	op := fmt.Sprintf("create app client %q", c.ID)
	if c.ID == "" {
		return errEmptyKey(op, "ID")
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q.insertClient, s.clientArgs(c)...)
		return s.mapErr(err, op, "an app client with this ID already exists",
			fmt.Sprintf("pool %q does not exist", c.PoolID))
	})
}

// GetClient returns the app client with the given ID, or an ErrNotFound.
func (s *Store) GetClient(ctx context.Context, id string) (store.Client, error) {
	c, err := scanClient(s.queryRow(ctx, s.q.getClient, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Client{}, notFound(fmt.Sprintf("app client %q", id))
	}
	if err != nil {
		return store.Client{}, fmt.Errorf("sqlstore: get app client %q: %w", id, err)
	}
	return c, nil
}

// ListClients returns one page of the pool's app clients, ordered by ID.
func (s *Store) ListClients(ctx context.Context, poolID string, page store.Page) ([]store.Client, error) {
	rows, err := s.query(ctx, s.q.listClients, poolID, page.After, limitArg(page))
	if err == nil {
		var out []store.Client
		if out, err = collect(rows, scanClient); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list app clients of pool %q: %w", poolID, err)
}

// CountClients returns how many app clients the pool has.
func (s *Store) CountClients(ctx context.Context, poolID string) (int, error) {
	n, err := s.count(ctx, s.q.countClients, poolID)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: count app clients of pool %q: %w", poolID, err)
	}
	return n, nil
}

// UpdateClient runs fn on the app client with the given ID, with it locked,
// and writes back what fn returns. fn must change neither ID nor PoolID.
// fn's error is returned unchanged and nothing is written.
func (s *Store) UpdateClient(ctx context.Context, id string, fn func(store.Client) (store.Client, error)) error {
	op := fmt.Sprintf("update app client %q", id)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		old, err := scanClient(tx.QueryRowContext(ctx, s.q.getClientForUpdate, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(fmt.Sprintf("app client %q", id))
		}
		if err != nil {
			return fmt.Errorf("sqlstore: %s: read: %w", op, err)
		}
		c, err := fn(old)
		if err != nil {
			return err
		}
		if err := keyChanged(op, "ID", old.ID, c.ID); err != nil {
			return err
		}
		if err := keyChanged(op, "PoolID", old.PoolID, c.PoolID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q.updateClient, s.clientArgs(c)...)
		return s.mapErr(err, op, "conflicting app client", "")
	})
}

// DeleteClient deletes the app client with the given ID; a missing one is
// an ErrNotFound.
func (s *Store) DeleteClient(ctx context.Context, id string) error {
	op := fmt.Sprintf("delete app client %q", id)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		return s.deleteOne(ctx, tx, op, fmt.Sprintf("app client %q", id), s.q.deleteClient, id)
	})
}

// clientArgs returns the arguments of insertClient and updateClient.
func (s *Store) clientArgs(c store.Client) []any {
	return []any{c.ID, c.PoolID, c.Name, blobArg(c.SecretSealed), blobArg(c.Settings),
		s.d.timeArg(c.CreatedAt), s.d.timeArg(c.UpdatedAt)}
}

func scanClient(r rowScanner) (store.Client, error) {
	var c store.Client
	err := r.Scan(&c.ID, &c.PoolID, &c.Name, blobCol{&c.SecretSealed}, blobCol{&c.Settings},
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	return c, err
}

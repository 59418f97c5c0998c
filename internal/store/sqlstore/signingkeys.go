package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// AddSigningKey inserts k. A key with the same KID (in any pool) is an
// ErrConflict; a missing pool is an ErrNotFound.
func (s *Store) AddSigningKey(ctx context.Context, k store.SigningKey) error {
	op := fmt.Sprintf("add signing key %q to pool %q", k.KID, k.PoolID)
	if k.KID == "" {
		return errEmptyKey(op, "KID")
	}
	var retireAt any
	if k.RetireAt != nil {
		retireAt = s.d.timeArg(*k.RetireAt)
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q.insertKey, k.PoolID, k.KID, k.Use, k.Algorithm,
			blobArg(k.PublicJWK), blobArg(k.PrivateSealed), s.d.timeArg(k.CreatedAt), retireAt)
		return s.mapErr(err, op, "a signing key with this KID already exists",
			fmt.Sprintf("pool %q does not exist", k.PoolID))
	})
}

// ListSigningKeys returns the pool's keys, newest (by CreatedAt) first;
// keys created in the same microsecond are ordered by KID.
func (s *Store) ListSigningKeys(ctx context.Context, poolID string) ([]store.SigningKey, error) {
	rows, err := s.query(ctx, s.q.listKeys, poolID)
	if err == nil {
		var out []store.SigningKey
		if out, err = collect(rows, scanKey); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list signing keys of pool %q: %w", poolID, err)
}

// RetireSigningKeys sets RetireAt to retireAt on every key of the pool and
// use that has none yet, except the key named keep.
func (s *Store) RetireSigningKeys(ctx context.Context, poolID, use, keep string, retireAt time.Time) error {
	op := fmt.Sprintf("retire %q signing keys of pool %q", use, poolID)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q.retireKeys, poolID, use, keep, s.d.timeArg(retireAt))
		return s.mapErr(err, op, "", "")
	})
}

// DeleteRetiredKeys deletes every key whose RetireAt is before now and
// returns how many it deleted.
func (s *Store) DeleteRetiredKeys(ctx context.Context, now time.Time) (int, error) {
	const op = "delete retired signing keys"
	var n int64
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q.deleteRetiredKeys, s.d.timeArg(now))
		if err != nil {
			return s.mapErr(err, op, "", "")
		}
		if n, err = res.RowsAffected(); err != nil {
			return fmt.Errorf("sqlstore: %s: %w", op, err)
		}
		return nil
	})
	return int(n), err
}

func scanKey(r rowScanner) (store.SigningKey, error) {
	var k store.SigningKey
	err := r.Scan(&k.PoolID, &k.KID, &k.Use, &k.Algorithm, blobCol{&k.PublicJWK}, blobCol{&k.PrivateSealed},
		timeCol{&k.CreatedAt}, nullTimeCol{&k.RetireAt})
	return k, err
}

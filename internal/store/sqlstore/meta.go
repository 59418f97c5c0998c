package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// GetMeta returns the value stored under key, or an ErrNotFound.
func (s *Store) GetMeta(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := s.queryRow(ctx, s.q.getMeta, key).Scan(blobCol{&v})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(fmt.Sprintf("meta %q", key))
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: get meta %q: %w", key, err)
	}
	return v, nil
}

// PutMetaIfAbsent stores value under key unless key already has a value,
// and returns the value stored afterwards: value, or the one that was
// there. A nil value is stored as an empty one.
func (s *Store) PutMetaIfAbsent(ctx context.Context, key string, value []byte) ([]byte, error) {
	op := fmt.Sprintf("put meta %q", key)
	if key == "" {
		return nil, errEmptyKey(op, "key")
	}
	if value == nil {
		value = []byte{}
	}
	var stored []byte
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.insertMetaIfAbsent, key, value); err != nil {
			return s.mapErr(err, op, "", "")
		}
		if err := tx.QueryRowContext(ctx, s.q.getMeta, key).Scan(blobCol{&stored}); err != nil {
			return fmt.Errorf("sqlstore: %s: read back: %w", op, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

package sqlstore

import (
	"fmt"

	"github.com/cognatehq/cognate/internal/store"
)

// mapErr turns the error of a statement of operation op into the error the
// store returns. A unique violation wraps store.ErrConflict and says
// conflict; a foreign key violation wraps store.ErrNotFound and says missing
// (when missing is empty it is treated like any other error); anything else
// wraps the driver's error, so that a retryable failure stays recognizable.
func (s *Store) mapErr(err error, op, conflict, missing string) error {
	if err == nil {
		return nil
	}
	switch s.d.classify(err) {
	case failUnique:
		return fmt.Errorf("sqlstore: %s: %s: %w", op, conflict, store.ErrConflict)
	case failForeignKey:
		if missing != "" {
			return fmt.Errorf("sqlstore: %s: %s: %w", op, missing, store.ErrNotFound)
		}
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}

// notFound is the error for a record that does not exist.
func notFound(what string) error {
	return fmt.Errorf("sqlstore: %s: %w", what, store.ErrNotFound)
}

// errEmptyKey is the error for a record whose key field is empty.
func errEmptyKey(op, field string) error {
	return fmt.Errorf("sqlstore: %s: %s is empty", op, field)
}

// keyChanged checks that an update closure kept a key field.
func keyChanged(op, field, old, updated string) error {
	if old == updated {
		return nil
	}
	return fmt.Errorf("sqlstore: %s: the update changed %s from %q to %q; key fields cannot change", op, field, old, updated)
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// Retries of transactions that PostgreSQL aborts with a serialization
// failure (40001) or a deadlock (40P01): at most maxAttempts runs, with a
// randomized exponential pause between them.
const (
	maxAttempts = 12
	backoffBase = 2 * time.Millisecond
	backoffMax  = 250 * time.Millisecond
)

// savepoint is the name of the savepoints the store sets inside a
// transaction. Savepoints nest, and a reused name refers to the innermost
// one, so one name is enough.
const savepoint = "sqlstore_sp"

// InTx runs fn with a Store bound to one transaction: everything fn does
// through that Store commits together when fn returns nil, and nothing of
// it when fn returns an error, which InTx returns unchanged.
//
// On PostgreSQL the transaction is SERIALIZABLE, and it is run again from
// the start when PostgreSQL aborts it with a serialization failure or a
// deadlock; so fn may be called more than once and must not have effects
// outside the store. On SQLite write transactions run one at a time.
//
// The bound Store is for fn's goroutine only and only until fn returns. fn
// must do its writes through it: on SQLite, a write through the outer Store
// would wait for the transaction that is waiting for fn.
//
// InTx on a bound Store runs fn in the same transaction under a savepoint:
// when fn returns an error, what it wrote is undone and the error returned,
// and the outer transaction goes on.
func (s *Store) InTx(ctx context.Context, fn func(store.Store) error) error {
	if s.tx != nil {
		return s.underSavepoint(ctx, func() error { return fn(s) })
	}
	return s.runTx(ctx, "transaction", &sql.TxOptions{Isolation: s.d.inTxIsolation}, func(tx *sql.Tx) error {
		return fn(s.bound(tx))
	})
}

// bound returns a copy of the root Store s that works inside tx.
func (s *Store) bound(tx *sql.Tx) *Store {
	b := *s
	b.tx = tx
	return &b
}

// write runs fn in a write transaction. On the root Store that is a new
// transaction, retried as runTx describes. On a bound Store it is the
// current transaction; where a failed statement would abort the whole
// transaction (PostgreSQL), fn runs under a savepoint so that its failure
// leaves the transaction usable, as it does on SQLite.
func (s *Store) write(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	if s.tx == nil {
		return s.runTx(ctx, op, nil, fn)
	}
	if s.d.guardWrites {
		return s.underSavepoint(ctx, func() error { return fn(s.tx) })
	}
	return fn(s.tx)
}

// runTx runs fn in a new transaction and commits it. When the transaction
// fails with an error the dialect classifies as retryable, it is rolled back
// and run again, up to maxAttempts times. fn's own errors are returned
// unchanged; op names the operation in errors of the transaction itself.
func (s *Store) runTx(ctx context.Context, op string, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.runTxOnce(ctx, op, opts, fn)
		if err == nil || s.d.classify(err) != failRetry {
			return err
		}
		if attempt == maxAttempts {
			return fmt.Errorf("sqlstore: %s: gave up after %d attempts: %w", op, attempt, err)
		}
		if perr := pause(ctx, attempt); perr != nil {
			return fmt.Errorf("sqlstore: %s: %w (while waiting to retry after: %v)", op, perr, err)
		}
	}
}

func (s *Store) runTxOnce(ctx context.Context, op string, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("sqlstore: %s: begin transaction: %w", op, err)
	}
	done := false
	defer func() {
		if !done { // fn failed or panicked
			_ = tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	done = true
	if s.grants != nil {
		defer s.grants.invalidate()
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: %s: commit: %w", op, err)
	}
	return nil
}

// pause sleeps before retry number attempt (1-based): a random time up to
// backoffBase·2^(attempt-1), capped at backoffMax ("full jitter").
func pause(ctx context.Context, attempt int) error {
	limit := min(backoffBase<<min(attempt-1, 16), backoffMax)
	t := time.NewTimer(rand.N(limit) + time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// underSavepoint runs fn inside the current transaction under a savepoint,
// which it rolls back to when fn fails. fn's error is returned unchanged.
func (s *Store) underSavepoint(ctx context.Context, fn func() error) error {
	if _, err := s.tx.ExecContext(ctx, "SAVEPOINT "+savepoint); err != nil {
		return fmt.Errorf("sqlstore: set savepoint: %w", err)
	}
	if err := fn(); err != nil {
		_, rbErr := s.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+savepoint)
		if rbErr == nil {
			_, rbErr = s.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+savepoint)
		}
		if rbErr != nil {
			// The transaction is unusable; its commit will fail. Return
			// fn's error, which is what the caller must act on.
			return errors.Join(err, fmt.Errorf("sqlstore: roll back to savepoint: %w", rbErr))
		}
		return err
	}
	if _, err := s.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+savepoint); err != nil {
		return fmt.Errorf("sqlstore: release savepoint: %w", err)
	}
	return nil
}

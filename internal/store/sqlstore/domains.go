package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cognatehq/cognate/internal/store"
)

// domainConflict explains an ErrConflict from creating or updating a domain.
const domainConflict = "the domain name is taken, or the pool already has a domain of this kind (prefix or custom)"

// CreateDomain inserts d. A domain name already in use anywhere in the
// store, or a second domain of the same kind (prefix or custom) for the
// pool, is an ErrConflict; a missing pool is an ErrNotFound.
func (s *Store) CreateDomain(ctx context.Context, d store.Domain) error {
	op := fmt.Sprintf("create domain %q", d.Domain)
	if d.Domain == "" {
		return errEmptyKey(op, "Domain")
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q.insertDomain, s.domainArgs(d)...)
		return s.mapErr(err, op, domainConflict, fmt.Sprintf("pool %q does not exist", d.PoolID))
	})
}

// GetDomain returns the domain with the given name, or an ErrNotFound.
func (s *Store) GetDomain(ctx context.Context, domain string) (store.Domain, error) {
	d, err := scanDomain(s.queryRow(ctx, s.q.getDomain, domain))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Domain{}, notFound(fmt.Sprintf("domain %q", domain))
	}
	if err != nil {
		return store.Domain{}, fmt.Errorf("sqlstore: get domain %q: %w", domain, err)
	}
	return d, nil
}

// ListDomainsByPool returns the pool's domains: the prefix domain first,
// then the custom domain. A pool without domains (or no pool) gives none.
func (s *Store) ListDomainsByPool(ctx context.Context, poolID string) ([]store.Domain, error) {
	rows, err := s.query(ctx, s.q.listDomainsByPool, poolID)
	if err == nil {
		var ds []store.Domain
		if ds, err = collect(rows, scanDomain); err == nil {
			return ds, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list domains of pool %q: %w", poolID, err)
}

// UpdateDomain runs fn on the named domain, with it locked, and writes back
// what fn returns. fn must change neither Domain nor PoolID. fn's error is
// returned unchanged and nothing is written.
func (s *Store) UpdateDomain(ctx context.Context, domain string, fn func(store.Domain) (store.Domain, error)) error {
	op := fmt.Sprintf("update domain %q", domain)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		old, err := scanDomain(tx.QueryRowContext(ctx, s.q.getDomainForUpdate, domain))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(fmt.Sprintf("domain %q", domain))
		}
		if err != nil {
			return fmt.Errorf("sqlstore: %s: read: %w", op, err)
		}
		d, err := fn(old)
		if err != nil {
			return err
		}
		if err := keyChanged(op, "Domain", old.Domain, d.Domain); err != nil {
			return err
		}
		if err := keyChanged(op, "PoolID", old.PoolID, d.PoolID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q.updateDomain, s.domainArgs(d)...)
		return s.mapErr(err, op, domainConflict, "")
	})
}

// DeleteDomain deletes the named domain; a missing one is an ErrNotFound.
func (s *Store) DeleteDomain(ctx context.Context, domain string) error {
	op := fmt.Sprintf("delete domain %q", domain)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		return s.deleteOne(ctx, tx, op, fmt.Sprintf("domain %q", domain), s.q.deleteDomain, domain)
	})
}

// domainArgs returns the arguments of insertDomain and updateDomain.
func (s *Store) domainArgs(d store.Domain) []any {
	return []any{d.Domain, d.PoolID, d.Custom, blobArg(d.Settings), s.d.timeArg(d.CreatedAt)}
}

func scanDomain(r rowScanner) (store.Domain, error) {
	var d store.Domain
	err := r.Scan(&d.Domain, &d.PoolID, &d.Custom, blobCol{&d.Settings}, timeCol{&d.CreatedAt})
	return d, err
}

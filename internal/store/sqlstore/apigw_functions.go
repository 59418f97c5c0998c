package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cognatehq/cognate/internal/store"
)

// CreateFunction inserts f. A taken (Region, Name) or ARN is an
// ErrConflict.
func (s *Store) CreateFunction(ctx context.Context, f store.Function) error {
	op := fmt.Sprintf("create function %q in %s", f.Name, f.Region)
	if f.Name == "" || f.ARN == "" {
		return errEmptyKey(op, "Name or ARN")
	}
	return s.gatewayWrite(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.apigw().insertFunction, s.functionArgs(f)...)
		return s.mapErr(err, op, "a function with this name or ARN exists", "")
	})
}

// GetFunction returns the function of region named name, or an
// ErrNotFound.
func (s *Store) GetFunction(ctx context.Context, region, name string) (store.Function, error) {
	return s.getFunction(ctx, fmt.Sprintf("function %q in %s", name, region), s.apigw().getFunction, region, name)
}

// GetFunctionByARN returns the function with arn, or an ErrNotFound.
func (s *Store) GetFunctionByARN(ctx context.Context, arn string) (store.Function, error) {
	return s.getFunction(ctx, fmt.Sprintf("function %q", arn), s.apigw().getFunctionByARN, arn)
}

func (s *Store) getFunction(ctx context.Context, what, query string, args ...any) (store.Function, error) {
	f, err := scanFunction(s.queryRow(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Function{}, notFound(what)
	}
	if err != nil {
		return store.Function{}, fmt.Errorf("sqlstore: get %s: %w", what, err)
	}
	return f, nil
}

// ListFunctions returns every function ordered by region and name.
func (s *Store) ListFunctions(ctx context.Context) ([]store.Function, error) {
	rows, err := s.query(ctx, s.apigw().listFunctions)
	if err == nil {
		var out []store.Function
		if out, err = collect(rows, scanFunction); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list functions: %w", err)
}

// UpdateFunction runs fn on one function, with it locked, and writes back
// what fn returns. fn must not change Region or Name.
func (s *Store) UpdateFunction(ctx context.Context, region, name string, fn func(store.Function) (store.Function, error)) error {
	op := fmt.Sprintf("update function %q in %s", name, region)
	return s.gatewayWrite(ctx, op, func(tx *sql.Tx) error {
		old, err := scanFunction(tx.QueryRowContext(ctx, s.apigw().getFunctionForUpdate, region, name))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(fmt.Sprintf("function %q in %s", name, region))
		}
		if err != nil {
			return fmt.Errorf("sqlstore: %s: read: %w", op, err)
		}
		f, err := fn(old)
		if err != nil {
			return err
		}
		if err := keyChanged(op, "Region", old.Region, f.Region); err != nil {
			return err
		}
		if err := keyChanged(op, "Name", old.Name, f.Name); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.apigw().updateFunction, s.functionArgs(f)...)
		return s.mapErr(err, op, "a function with this ARN exists", "")
	})
}

// DeleteFunction deletes a function; a missing one is an ErrNotFound.
func (s *Store) DeleteFunction(ctx context.Context, region, name string) error {
	what := fmt.Sprintf("function %q in %s", name, region)
	return s.gatewayWrite(ctx, "delete "+what, func(tx *sql.Tx) error {
		return s.deleteOne(ctx, tx, "delete "+what, what, s.apigw().deleteFunction, region, name)
	})
}

func (s *Store) functionArgs(f store.Function) []any {
	return []any{f.Region, f.Name, f.ARN, f.StackID, f.LogicalID, f.Runtime, f.Handler, blobArg(f.Code),
		blobArg(f.EnvironmentSealed), f.Timeout, f.MemorySize, s.d.timeArg(f.CreatedAt), s.d.timeArg(f.UpdatedAt)}
}

func scanFunction(r rowScanner) (store.Function, error) {
	var f store.Function
	err := r.Scan(&f.Region, &f.Name, &f.ARN, &f.StackID, &f.LogicalID, &f.Runtime, &f.Handler, blobCol{&f.Code},
		blobCol{&f.EnvironmentSealed}, &f.Timeout, &f.MemorySize, timeCol{&f.CreatedAt}, timeCol{&f.UpdatedAt})
	return f, err
}

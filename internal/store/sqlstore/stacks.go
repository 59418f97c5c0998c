package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/cognatehq/cognate/internal/store"
)

// CreateStack inserts st. An ID or a (Region, Name) already used is an
// ErrConflict.
func (s *Store) CreateStack(ctx context.Context, st store.Stack) error {
	op := fmt.Sprintf("create stack %q in %s", st.Name, st.Region)
	if st.ID == "" {
		return errEmptyKey(op, "ID")
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q.stacks.insert, s.stackArgs(st)...)
		return s.mapErr(err, op, "a stack with this name or id exists", "")
	})
}

// GetStack returns the stack of region named name, or an ErrNotFound.
func (s *Store) GetStack(ctx context.Context, region, name string) (store.Stack, error) {
	st, err := scanStack(s.queryRow(ctx, s.q.stacks.get, region, name))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Stack{}, notFound(fmt.Sprintf("stack %q in %s", name, region))
	}
	if err != nil {
		return store.Stack{}, fmt.Errorf("sqlstore: get stack %q in %s: %w", name, region, err)
	}
	return st, nil
}

// ListStacks returns the stacks of region, or of every region when region
// is "", ordered by region and name.
func (s *Store) ListStacks(ctx context.Context, region string) ([]store.Stack, error) {
	var (
		rows *sql.Rows
		err  error
	)
	if region == "" {
		rows, err = s.query(ctx, s.q.stacks.listAll)
	} else {
		rows, err = s.query(ctx, s.q.stacks.list, region)
	}
	if err == nil {
		var out []store.Stack
		if out, err = collect(rows, scanStack); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list stacks of %q: %w", region, err)
}

// UpdateStack runs fn on one stack, with it locked, and writes back what fn
// returns. fn must not change ID. fn's error is returned unchanged.
func (s *Store) UpdateStack(ctx context.Context, id string, fn func(store.Stack) (store.Stack, error)) error {
	op := fmt.Sprintf("update stack %q", id)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		old, err := scanStack(tx.QueryRowContext(ctx, s.q.stacks.getForUpdate, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(fmt.Sprintf("stack %q", id))
		}
		if err != nil {
			return fmt.Errorf("sqlstore: %s: read: %w", op, err)
		}
		st, err := fn(old)
		if err != nil {
			return err
		}
		if err := keyChanged(op, "ID", old.ID, st.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q.stacks.update, s.stackArgs(st)...)
		return s.mapErr(err, op, "a stack with this name exists", "")
	})
}

// DeleteStack deletes a stack with its resources, events and exports; a
// missing one is an ErrNotFound.
func (s *Store) DeleteStack(ctx context.Context, id string) error {
	op := fmt.Sprintf("delete stack %q", id)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		return s.deleteOne(ctx, tx, op, fmt.Sprintf("stack %q", id), s.q.stacks.delete, id)
	})
}

// PutStackResource inserts or replaces one resource of a stack.
func (s *Store) PutStackResource(ctx context.Context, r store.StackResource) error {
	op := fmt.Sprintf("put resource %q of stack %q", r.LogicalID, r.StackID)
	if r.LogicalID == "" {
		return errEmptyKey(op, "LogicalID")
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q.stacks.upsertResource, r.StackID, r.LogicalID, r.Type, r.PhysicalID, r.Status,
			r.Properties, r.Attributes, r.Rollback, s.d.timeArg(r.UpdatedAt))
		return s.mapErr(err, op, "conflicting resource", fmt.Sprintf("stack %q does not exist", r.StackID))
	})
}

// ListStackResources returns a stack's resources ordered by logical id.
func (s *Store) ListStackResources(ctx context.Context, stackID string) ([]store.StackResource, error) {
	rows, err := s.query(ctx, s.q.stacks.listResources, stackID)
	if err == nil {
		var out []store.StackResource
		if out, err = collect(rows, scanStackResource); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list resources of stack %q: %w", stackID, err)
}

// DeleteStackResource deletes one resource of a stack; a missing one is an
// ErrNotFound.
func (s *Store) DeleteStackResource(ctx context.Context, stackID, logicalID string) error {
	op := fmt.Sprintf("delete resource %q of stack %q", logicalID, stackID)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		return s.deleteOne(ctx, tx, op, fmt.Sprintf("resource %q of stack %q", logicalID, stackID),
			s.q.stacks.deleteResource, stackID, logicalID)
	})
}

// AddStackEvent appends e to its stack's events, numbering it one more
// than the stack's newest event.
func (s *Store) AddStackEvent(ctx context.Context, e store.StackEvent) (int64, error) {
	op := fmt.Sprintf("add event to stack %q", e.StackID)
	var seq int64
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q.stacks.nextEventSeq, e.StackID).Scan(&seq); err != nil {
			return fmt.Errorf("sqlstore: %s: %w", op, err)
		}
		_, err := tx.ExecContext(ctx, s.q.stacks.insertEvent, e.StackID, seq, e.EventID, e.LogicalID, e.PhysicalID,
			e.Type, e.Status, e.Reason, s.d.timeArg(e.Timestamp))
		return s.mapErr(err, op, "conflicting event", fmt.Sprintf("stack %q does not exist", e.StackID))
	})
	if err != nil {
		return 0, err
	}
	return seq, nil
}

// ListStackEvents returns a stack's events, oldest first.
func (s *Store) ListStackEvents(ctx context.Context, stackID string) ([]store.StackEvent, error) {
	rows, err := s.query(ctx, s.q.stacks.listEvents, stackID)
	if err == nil {
		var out []store.StackEvent
		if out, err = collect(rows, scanStackEvent); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list events of stack %q: %w", stackID, err)
}

// SetStackExports replaces a stack's exports in one transaction. A name
// that another stack of the region exports is an ErrConflict.
func (s *Store) SetStackExports(ctx context.Context, stackID, region string, exports map[string]string) error {
	op := fmt.Sprintf("set exports of stack %q", stackID)
	names := make([]string, 0, len(exports))
	for n := range exports {
		names = append(names, n)
	}
	sort.Strings(names)
	return s.writeAtomic(ctx, op, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.stacks.deleteExports, stackID); err != nil {
			return s.mapErr(err, op, "", "")
		}
		for _, n := range names {
			_, err := tx.ExecContext(ctx, s.q.stacks.insertExport, region, n, stackID, exports[n])
			if err != nil {
				return s.mapErr(err, op, fmt.Sprintf("export %q is exported by another stack", n),
					fmt.Sprintf("stack %q does not exist", stackID))
			}
		}
		return nil
	})
}

// GetStackExport returns the export of region named name, or an
// ErrNotFound.
func (s *Store) GetStackExport(ctx context.Context, region, name string) (store.StackExport, error) {
	var e store.StackExport
	err := s.queryRow(ctx, s.q.stacks.getExport, region, name).Scan(&e.Region, &e.Name, &e.StackID, &e.Value)
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound(fmt.Sprintf("export %q in %s", name, region))
	}
	if err != nil {
		return e, fmt.Errorf("sqlstore: get export %q in %s: %w", name, region, err)
	}
	return e, nil
}

func (s *Store) stackArgs(st store.Stack) []any {
	return []any{st.ID, st.Region, st.Name, st.Status, st.StatusReason, st.Template, st.Document, st.Operation,
		s.d.timeArg(st.CreatedAt), s.d.timeArg(st.UpdatedAt)}
}

func scanStack(r rowScanner) (store.Stack, error) {
	var st store.Stack
	err := r.Scan(&st.ID, &st.Region, &st.Name, &st.Status, &st.StatusReason, blobCol{&st.Template},
		blobCol{&st.Document}, blobCol{&st.Operation}, timeCol{&st.CreatedAt}, timeCol{&st.UpdatedAt})
	return st, err
}

func scanStackResource(r rowScanner) (store.StackResource, error) {
	var x store.StackResource
	err := r.Scan(&x.StackID, &x.LogicalID, &x.Type, &x.PhysicalID, &x.Status, blobCol{&x.Properties},
		blobCol{&x.Attributes}, blobCol{&x.Rollback}, timeCol{&x.UpdatedAt})
	return x, err
}

func scanStackEvent(r rowScanner) (store.StackEvent, error) {
	var e store.StackEvent
	err := r.Scan(&e.StackID, &e.Seq, &e.EventID, &e.LogicalID, &e.PhysicalID, &e.Type, &e.Status, &e.Reason,
		timeCol{&e.Timestamp})
	return e, err
}

package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// rollback undoes the operation in progress on stack id, newest action
// first, from the undo records journaled before each action, and restores
// the stack's previous version. A stack whose creation is undone keeps its
// record, at ROLLBACK_COMPLETE, with no resources. reason stays the
// stack's status reason once the rollback is over, as CloudFormation's
// "The following resource(s) failed to create: [X]. Rollback requested by
// user." does [obs-folklore: a ROLLBACK_COMPLETE stack shows it].
func (e *Engine) rollback(ctx context.Context, id, reason string, onEvent func(Event)) error {
	st, op, err := e.loadOp(ctx, id)
	if err != nil {
		return err
	}
	inProgress, final := StatusRollbackInProgress, StatusRollbackComplete
	if op.Kind == "update" {
		inProgress, final = StatusUpdateRollbackInProgress, StatusUpdateRollbackComplete
	}
	op.Phase = "rollback"
	opJSON := mustJSON(op)
	if err := e.cfg.Store.UpdateStack(ctx, id, func(s store.Stack) (store.Stack, error) {
		s.Status, s.StatusReason, s.Operation, s.UpdatedAt = inProgress, reason, opJSON, e.now()
		return s, nil
	}); err != nil {
		return err
	}
	e.emit(ctx, nil, id, st.Name, onEvent, Event{LogicalID: st.Name, PhysicalID: id, Type: stackType, Status: inProgress, Reason: reason})
	rows, err := e.cfg.Store.ListStackResources(ctx, id)
	if err != nil {
		return err
	}
	byID := map[string]store.StackResource{}
	for _, r := range rows {
		byID[r.LogicalID] = r
	}
	var failures []error
	done := map[string]bool{}
	for i := len(op.Touched) - 1; i >= 0; i-- {
		lid := op.Touched[i]
		row, ok := byID[lid]
		if !ok || row.Rollback == nil || done[lid] {
			continue
		}
		done[lid] = true
		if err := e.undoResource(ctx, st, row, onEvent); err != nil {
			failures = append(failures, err)
		}
	}
	// Rows journaled but missing from Touched cannot exist (Touched is
	// written in the same transaction), but undo them too if they do.
	for _, row := range rows {
		if row.Rollback != nil && !done[row.LogicalID] {
			if err := e.undoResource(ctx, st, row, onEvent); err != nil {
				failures = append(failures, err)
			}
		}
	}
	var prev document
	if len(op.PrevDocument) > 0 {
		_ = json.Unmarshal(op.PrevDocument, &prev)
	}
	exports := map[string]string{}
	for _, o := range prev.Outputs {
		if o.ExportName != "" {
			exports[o.ExportName] = o.Value
		}
	}
	if err := e.cfg.Store.SetStackExports(ctx, id, st.Region, exports); err != nil {
		failures = append(failures, err)
	}
	if len(failures) > 0 {
		final = StatusUpdateRollbackFailed
		if op.Kind == "create" {
			final = StatusRollbackFailed
		}
	}
	err = e.cfg.Store.UpdateStack(ctx, id, func(s store.Stack) (store.Stack, error) {
		s.Status, s.StatusReason, s.Operation, s.UpdatedAt = final, reason, nil, e.now()
		if op.Kind == "update" {
			s.Template, s.Document = op.PrevTemplate, []byte(op.PrevDocument)
		}
		return s, nil
	})
	if err != nil {
		return err
	}
	e.emit(ctx, nil, id, st.Name, onEvent, Event{LogicalID: st.Name, PhysicalID: id, Type: stackType, Status: final})
	return errors.Join(failures...)
}

// The statuses of a rollback that could not undo everything.
const (
	StatusRollbackFailed       = "ROLLBACK_FAILED"
	StatusUpdateRollbackFailed = "UPDATE_ROLLBACK_FAILED"
)

// undoResource undoes what the operation did to one resource.
func (e *Engine) undoResource(ctx context.Context, st store.Stack, row store.StackResource, onEvent func(Event)) error {
	var u undo
	if err := json.Unmarshal(row.Rollback, &u); err != nil {
		return fmt.Errorf("resource %s: unreadable undo record: %w", row.LogicalID, err)
	}
	pr := e.cfg.Providers[row.Type]
	req := Request{Region: st.Region, AccountID: e.cfg.AccountID, StackName: st.Name, StackID: st.ID, LogicalID: row.LogicalID}
	ev := func(status, reason, phys string) {
		e.emit(ctx, nil, st.ID, st.Name, onEvent, Event{LogicalID: row.LogicalID, PhysicalID: phys, Type: row.Type, Status: status, Reason: reason})
	}
	switch u.Action {
	case "create":
		phys := row.PhysicalID
		if phys == "" {
			phys = u.Planned
		}
		if phys != "" && pr != nil {
			req.Properties, _ = decodeNode(row.Properties)
			ev(StatusDeleteInProgress, "", phys)
			if err := pr.Delete(ctx, req, phys); err != nil {
				ev(StatusDeleteFailed, err.Error(), phys)
				return fmt.Errorf("resource %s: %w", row.LogicalID, err)
			}
		}
		if err := e.cfg.Store.DeleteStackResource(ctx, st.ID, row.LogicalID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		ev(StatusDeleteComplete, "", row.PhysicalID)
		return nil
	case "update":
		if pr != nil {
			// Whether or not the update got through, putting the old
			// properties back is safe: an update to what is there is a
			// no-op.
			oldProps, err := decodeNode(u.Properties)
			if err != nil {
				return err
			}
			cur, _ := decodeNode(row.Properties)
			req.Properties = oldProps
			ev(StatusUpdateInProgress, "", u.PhysicalID)
			if _, err := pr.Update(ctx, req, u.PhysicalID, cur); err != nil {
				ev(StatusUpdateFailed, err.Error(), u.PhysicalID)
				return fmt.Errorf("resource %s: restoring its properties: %w", row.LogicalID, err)
			}
		}
	case "replace":
		if row.PhysicalID == "" && u.Planned != u.PhysicalID {
			row.PhysicalID = u.Planned
		}
		if row.PhysicalID != "" && row.PhysicalID != u.PhysicalID {
			if npr := e.cfg.Providers[row.Type]; npr != nil {
				req.Properties, _ = decodeNode(row.Properties)
				ev(StatusDeleteInProgress, "", row.PhysicalID)
				if err := npr.Delete(ctx, req, row.PhysicalID); err != nil {
					ev(StatusDeleteFailed, err.Error(), row.PhysicalID)
					return fmt.Errorf("resource %s: %w", row.LogicalID, err)
				}
			}
		}
	default:
		return fmt.Errorf("resource %s: unknown undo action %q", row.LogicalID, u.Action)
	}
	restored := store.StackResource{StackID: st.ID, LogicalID: row.LogicalID, Type: u.Type, PhysicalID: u.PhysicalID,
		Status: u.Status, Properties: u.Properties, Attributes: u.Attributes, UpdatedAt: e.now()}
	if err := e.cfg.Store.PutStackResource(ctx, restored); err != nil {
		return err
	}
	ev(StatusUpdateComplete, "", u.PhysicalID)
	return nil
}

// cleanup runs the cleanup phase of a committed operation: it deletes the
// replaced and removed resources, then ends the operation. A deletion that
// fails is reported as an event and left behind, as CloudFormation does.
func (e *Engine) cleanup(ctx context.Context, id string, onEvent func(Event)) (string, error) {
	st, op, err := e.loadOp(ctx, id)
	if err != nil {
		return "", err
	}
	for _, c := range op.Cleanup {
		e.emit(ctx, nil, id, st.Name, onEvent, Event{LogicalID: c.LogicalID, PhysicalID: c.PhysicalID, Type: c.Type, Status: StatusDeleteInProgress})
		e.at("cleanup-delete", c.LogicalID)
		if pr := e.cfg.Providers[c.Type]; c.Retain {
			e.emit(ctx, nil, id, st.Name, onEvent, Event{LogicalID: c.LogicalID, PhysicalID: c.PhysicalID, Type: c.Type, Status: StatusDeleteSkipped})
		} else if pr == nil || c.PhysicalID == "" {
			e.emit(ctx, nil, id, st.Name, onEvent, Event{LogicalID: c.LogicalID, PhysicalID: c.PhysicalID, Type: c.Type, Status: StatusDeleteComplete})
		} else {
			props, _ := decodeNode(c.Properties)
			req := Request{Region: st.Region, AccountID: e.cfg.AccountID, StackName: st.Name, StackID: st.ID, LogicalID: c.LogicalID, Properties: props}
			if err := pr.Delete(ctx, req, c.PhysicalID); err != nil {
				e.emit(ctx, nil, id, st.Name, onEvent, Event{LogicalID: c.LogicalID, PhysicalID: c.PhysicalID, Type: c.Type, Status: StatusDeleteFailed, Reason: err.Error()})
				e.cfg.Logger.WarnContext(ctx, "stack cleanup left a resource behind", "stack", st.Name, "logical_id", c.LogicalID, "err", err)
			} else {
				e.emit(ctx, nil, id, st.Name, onEvent, Event{LogicalID: c.LogicalID, PhysicalID: c.PhysicalID, Type: c.Type, Status: StatusDeleteComplete})
			}
		}
		if c.Removed {
			if err := e.cfg.Store.DeleteStackResource(ctx, id, c.LogicalID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return "", err
			}
		}
	}
	final := StatusCreateComplete
	if op.Kind == "update" {
		final = StatusUpdateComplete
	}
	if err := e.cfg.Store.UpdateStack(ctx, id, func(s store.Stack) (store.Stack, error) {
		s.Status, s.StatusReason, s.Operation, s.UpdatedAt = final, "", nil, e.now()
		return s, nil
	}); err != nil {
		return "", err
	}
	e.emit(ctx, nil, id, st.Name, onEvent, Event{LogicalID: st.Name, PhysicalID: id, Type: stackType, Status: final})
	return final, nil
}

// loadOp reads a stack by id and its operation in progress.
func (e *Engine) loadOp(ctx context.Context, id string) (store.Stack, operation, error) {
	var st store.Stack
	var op operation
	stacks, err := e.cfg.Store.ListStacks(ctx, regionOfID(id))
	if err != nil {
		return st, op, err
	}
	for _, s := range stacks {
		if s.ID == id {
			st = s
		}
	}
	if st.ID == "" {
		return st, op, fmt.Errorf("%w: %s", ErrStackNotFound, id)
	}
	if st.Operation == nil {
		return st, op, fmt.Errorf("stack %s has no operation in progress", st.Name)
	}
	if err := json.Unmarshal(st.Operation, &op); err != nil {
		return st, op, fmt.Errorf("stack %s: unreadable operation journal: %w", st.Name, err)
	}
	return st, op, nil
}

// Recover finishes or undoes every operation that a crash interrupted:
// a deploy still applying is rolled back, one committed is cleaned up,
// and a delete is carried on. Run it at startup, before serving, when this
// process is the store's only user (the embedded SQLite store). It
// returns the names of the stacks it acted on.
func (e *Engine) Recover(ctx context.Context) ([]string, error) {
	return e.recover(ctx, 0)
}

// RecoverAbandoned is Recover for a store that several nodes share: it
// acts only on operations whose stack record has not been written for
// idle, which no live node can still be running (an operation writes its
// journal before every provider action, and Cognate's providers act in
// milliseconds). Each node runs it periodically, so a node killed in the
// middle of a deploy has its operation rolled back by whichever node
// looks next.
func (e *Engine) RecoverAbandoned(ctx context.Context, idle time.Duration) ([]string, error) {
	return e.recover(ctx, idle)
}

func (e *Engine) recover(ctx context.Context, idle time.Duration) ([]string, error) {
	stacks, err := e.cfg.Store.ListStacks(ctx, "")
	if err != nil {
		return nil, err
	}
	var names []string
	var errs []error
	now := e.now()
	for _, st := range stacks {
		if st.Operation == nil || (idle > 0 && now.Sub(st.UpdatedAt) < idle) {
			continue
		}
		var op operation
		if err := json.Unmarshal(st.Operation, &op); err != nil {
			errs = append(errs, fmt.Errorf("stack %s: unreadable operation journal: %w", st.Name, err))
			continue
		}
		if idle > 0 {
			// Several nodes look at once: claim the operation atomically
			// (the record must be exactly as read; the claim touches it),
			// so that only one of them recovers it.
			claimed, err := e.claim(ctx, st, now)
			if err != nil {
				errs = append(errs, fmt.Errorf("stack %s: claim abandoned operation: %w", st.Name, err))
			}
			if !claimed {
				continue
			}
		}
		names = append(names, st.Name)
		e.cfg.Logger.InfoContext(ctx, "recovering interrupted stack operation", "stack", st.Name, "kind", op.Kind, "phase", op.Phase)
		switch {
		case op.Kind == "delete":
			err = e.deleteResources(ctx, st, nil)
		case op.Phase == "cleanup":
			_, err = e.cleanup(ctx, st.ID, nil)
		default:
			err = e.rollback(ctx, st.ID, "Cognate restarted during the operation; rolled back", nil)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("stack %s: %w", st.Name, err))
		}
		e.notifyChange(st.ID)
	}
	return names, errors.Join(errs...)
}

// errClaimed stops a claim whose stack changed since it was read.
var errClaimed = errors.New("operation claimed or finished by another node")

// claim marks an abandoned operation as taken by this node, and reports
// whether it got it: false when another node changed the record first.
func (e *Engine) claim(ctx context.Context, read store.Stack, now time.Time) (bool, error) {
	err := e.cfg.Store.UpdateStack(ctx, read.ID, func(cur store.Stack) (store.Stack, error) {
		if cur.Operation == nil || !cur.UpdatedAt.Equal(read.UpdatedAt) {
			return cur, errClaimed
		}
		cur.UpdatedAt = now
		return cur, nil
	})
	if errors.Is(err, errClaimed) || errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// regionOfID returns the region of a stack ARN.
func regionOfID(id string) string {
	// arn:aws:cloudformation:{region}:...
	n := 0
	start := 0
	for i := 0; i < len(id); i++ {
		if id[i] == ':' {
			n++
			if n == 3 {
				start = i + 1
			} else if n == 4 {
				return id[start:i]
			}
		}
	}
	return ""
}

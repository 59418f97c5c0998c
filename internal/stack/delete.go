package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// Delete deletes the stack name of region: its resources in reverse
// dependency order, then the stack. It refuses, naming the other stack,
// while another stack imports one of its exports or reads, through an
// SSM-typed parameter or a dynamic reference, an SSM parameter it
// created. Deleting a stack that does not exist is an error wrapping
// ErrStackNotFound.
func (e *Engine) Delete(ctx context.Context, region, name string, onEvent func(Event)) error {
	st, err := e.cfg.Store.GetStack(ctx, region, name)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: Stack with id %s does not exist", ErrStackNotFound, name)
	}
	if err != nil {
		return err
	}
	if st.Operation != nil {
		return fmt.Errorf("%w: Stack:%s is in %s state and can not be deleted.", ErrInProgress, st.ID, st.Status)
	}
	var doc document
	if len(st.Document) > 0 {
		if err := json.Unmarshal(st.Document, &doc); err != nil {
			return fmt.Errorf("stack %s: reading its document: %w", name, err)
		}
	}
	for _, o := range doc.Outputs {
		if o.ExportName == "" {
			continue
		}
		users, err := e.importers(ctx, region, st.ID, o.ExportName)
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return fmt.Errorf("%w: Export %s cannot be deleted as it is in use by %s", ErrInUse, o.ExportName, users[0])
		}
	}
	rows, err := e.cfg.Store.ListStackResources(ctx, st.ID)
	if err != nil {
		return err
	}
	others, err := e.cfg.Store.ListStacks(ctx, region)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.Type != "AWS::SSM::Parameter" || r.PhysicalID == "" {
			continue
		}
		for _, o := range others {
			if o.ID == st.ID || isDeleted(o) {
				continue
			}
			var od document
			_ = json.Unmarshal(o.Document, &od)
			if contains(od.SSMReads, r.PhysicalID) || contains(od.SSMReads, "/"+r.PhysicalID) {
				return fmt.Errorf("%w: SSM parameter %s (%s) cannot be deleted as it is in use by %s", ErrInUse, r.PhysicalID, r.LogicalID, o.Name)
			}
		}
	}
	opJSON := mustJSON(operation{Kind: "delete", Phase: "apply", Started: e.now()})
	err = e.cfg.Store.UpdateStack(ctx, st.ID, func(s store.Stack) (store.Stack, error) {
		if s.Operation != nil {
			return s, fmt.Errorf("%w: Stack:%s is in %s state and can not be deleted.", ErrInProgress, s.ID, s.Status)
		}
		s.Status, s.StatusReason, s.Operation, s.UpdatedAt = StatusDeleteInProgress, "User Initiated", opJSON, e.now()
		return s, nil
	})
	if err != nil {
		return err
	}
	e.emit(ctx, nil, st.ID, name, onEvent, Event{LogicalID: name, PhysicalID: st.ID, Type: stackType, Status: StatusDeleteInProgress, Reason: "User Initiated"})
	st.Operation = opJSON
	defer e.notifyChange(st.ID)
	return e.deleteResources(ctx, st, onEvent)
}

// deleteResources deletes a stack's resources, newest first, then turns
// the stack's record into a deleted stack's (see isDeleted). A failure
// leaves the stack at DELETE_FAILED with what is left.
func (e *Engine) deleteResources(ctx context.Context, st store.Stack, onEvent func(Event)) error {
	var doc document
	_ = json.Unmarshal(st.Document, &doc)
	rows, err := e.cfg.Store.ListStackResources(ctx, st.ID)
	if err != nil {
		return err
	}
	byID := map[string]store.StackResource{}
	for _, r := range rows {
		byID[r.LogicalID] = r
	}
	var seq []store.StackResource
	seen := map[string]bool{}
	for _, r := range rows { // anything not in the deploy order goes first
		if !contains(doc.Order, r.LogicalID) {
			seq = append(seq, r)
			seen[r.LogicalID] = true
		}
	}
	for i := len(doc.Order) - 1; i >= 0; i-- {
		if r, ok := byID[doc.Order[i]]; ok && !seen[r.LogicalID] {
			seq = append(seq, r)
		}
	}
	for _, r := range seq {
		pr := e.cfg.Providers[r.Type]
		e.emit(ctx, nil, st.ID, st.Name, onEvent, Event{LogicalID: r.LogicalID, PhysicalID: r.PhysicalID, Type: r.Type, Status: StatusDeleteInProgress})
		e.at("delete", r.LogicalID)
		if contains(doc.Retain, r.LogicalID) {
			if err := e.cfg.Store.DeleteStackResource(ctx, st.ID, r.LogicalID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			e.emit(ctx, nil, st.ID, st.Name, onEvent, Event{LogicalID: r.LogicalID, PhysicalID: r.PhysicalID, Type: r.Type, Status: StatusDeleteSkipped})
			continue
		}
		if pr != nil && r.PhysicalID != "" {
			props, _ := decodeNode(r.Properties)
			req := Request{Region: st.Region, AccountID: e.cfg.AccountID, StackName: st.Name, StackID: st.ID, LogicalID: r.LogicalID, Properties: props}
			if err := pr.Delete(ctx, req, r.PhysicalID); err != nil {
				e.emit(ctx, nil, st.ID, st.Name, onEvent, Event{LogicalID: r.LogicalID, PhysicalID: r.PhysicalID, Type: r.Type, Status: StatusDeleteFailed, Reason: err.Error()})
				_ = e.cfg.Store.UpdateStack(ctx, st.ID, func(s store.Stack) (store.Stack, error) {
					s.Status, s.StatusReason, s.Operation, s.UpdatedAt = StatusDeleteFailed, fmt.Sprintf("The following resource(s) failed to delete: [%s].", r.LogicalID), nil, e.now()
					return s, nil
				})
				return fmt.Errorf("Resources/%s: %w", r.LogicalID, err)
			}
		}
		if err := e.cfg.Store.DeleteStackResource(ctx, st.ID, r.LogicalID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		e.emit(ctx, nil, st.ID, st.Name, onEvent, Event{LogicalID: r.LogicalID, PhysicalID: r.PhysicalID, Type: r.Type, Status: StatusDeleteComplete})
	}
	if err := e.cfg.Store.SetStackExports(ctx, st.ID, st.Region, nil); err != nil {
		return err
	}
	now := e.now()
	err = e.cfg.Store.UpdateStack(ctx, st.ID, func(s store.Stack) (store.Stack, error) {
		s.Name, s.Status, s.StatusReason, s.Operation, s.UpdatedAt = s.ID, StatusDeleteComplete, "", nil, now
		return s, nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	e.emit(ctx, nil, st.ID, st.Name, onEvent, Event{LogicalID: st.Name, PhysicalID: st.ID, Type: stackType, Status: StatusDeleteComplete})
	e.pruneDeleted(ctx, st.Region)
	return nil
}

// DeletedRetention is how long a deleted stack stays listed, at
// DELETE_COMPLETE, by ListStacks and by DescribeStacks given its stack id
// [doc: "Deleted stacks are retained and viewable for 90 days"].
const DeletedRetention = 90 * 24 * time.Hour

// isDeleted reports whether a stack record is a deleted stack's. Deleting
// a stack keeps its record (status, template, document and events) for
// DeletedRetention, renamed to its stack id: a name no live stack can
// have (stack names hold no ':' or '/'), unique, so the store's (region,
// name) key leaves the name free for a new stack, and looking the stack
// up by name no longer finds it while looking it up by id does, as on
// AWS. Its resources and exports are gone.
func isDeleted(st store.Stack) bool { return st.Name == st.ID }

// nameOfID returns the stack name of a stack id
// (arn:aws:cloudformation:{region}:{account}:stack/{name}/{uuid}), or ""
// when id is not one.
func nameOfID(id string) string {
	_, rest, ok := strings.Cut(id, ":stack/")
	if !ok {
		return ""
	}
	name, _, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	return name
}

// pruneDeleted forgets the deleted stacks of region older than
// DeletedRetention. Failures are only logged: the next delete tries
// again, and reads skip such stacks anyway.
func (e *Engine) pruneDeleted(ctx context.Context, region string) {
	stacks, err := e.cfg.Store.ListStacks(ctx, region)
	if err != nil {
		e.cfg.Logger.WarnContext(ctx, "listing deleted stacks to prune", "region", region, "err", err)
		return
	}
	cutoff := e.now().Add(-DeletedRetention)
	for _, st := range stacks {
		if isDeleted(st) && st.UpdatedAt.Before(cutoff) {
			if err := e.cfg.Store.DeleteStack(ctx, st.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				e.cfg.Logger.WarnContext(ctx, "pruning a deleted stack", "stack_id", st.ID, "err", err)
			}
		}
	}
}

// importers returns the names of the other stacks of region that import
// the export name.
func (e *Engine) importers(ctx context.Context, region, stackID, name string) ([]string, error) {
	stacks, err := e.cfg.Store.ListStacks(ctx, region)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range stacks {
		if s.ID == stackID || isDeleted(s) {
			continue
		}
		var d document
		_ = json.Unmarshal(s.Document, &d)
		if contains(d.Imports, name) {
			out = append(out, s.Name)
		}
	}
	return out, nil
}

package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// StackInfo is a stack as DescribeStacks shows it. NoEcho parameter values
// are masked.
type StackInfo struct {
	ID           string
	Name         string
	Region       string
	Status       string
	StatusReason string
	Parameters   []Parameter
	Outputs      []Output
	Warnings     []string
	// Tags are the stack's tags, in the order they were given.
	Tags      []Tag
	CreatedAt time.Time
	UpdatedAt time.Time
	// DeletedAt is when a DELETE_COMPLETE stack was deleted; zero for
	// the others.
	DeletedAt time.Time
}

// ResourceInfo is one resource of a stack as DescribeStackResources shows
// it.
type ResourceInfo struct {
	LogicalID  string
	PhysicalID string
	Type       string
	Status     string
	UpdatedAt  time.Time
}

// Describe returns the stack of region that nameOrID names, or an error
// wrapping ErrStackNotFound. A name finds the live stack of that name; a
// stack id (ARN) also finds a stack deleted less than DeletedRetention
// ago, at DELETE_COMPLETE, as DescribeStacks does [doc].
func (e *Engine) Describe(ctx context.Context, region, nameOrID string) (StackInfo, error) {
	st, err := e.get(ctx, region, nameOrID)
	if err != nil {
		return StackInfo{}, err
	}
	return info(st), nil
}

// List returns the live stacks of region ("" for every region), by name.
func (e *Engine) List(ctx context.Context, region string) ([]StackInfo, error) {
	return e.list(ctx, region, false)
}

// ListWithDeleted is List with the stacks deleted less than
// DeletedRetention ago too, at DELETE_COMPLETE, as ListStacks shows them
// [doc]: by name, the live stack of a name first, then its deleted ones
// newest first.
func (e *Engine) ListWithDeleted(ctx context.Context, region string) ([]StackInfo, error) {
	return e.list(ctx, region, true)
}

func (e *Engine) list(ctx context.Context, region string, deleted bool) ([]StackInfo, error) {
	stacks, err := e.cfg.Store.ListStacks(ctx, region)
	if err != nil {
		return nil, err
	}
	cutoff := e.now().Add(-DeletedRetention)
	out := make([]StackInfo, 0, len(stacks))
	for _, st := range stacks {
		if isDeleted(st) && (!deleted || st.UpdatedAt.Before(cutoff)) {
			continue
		}
		out = append(out, info(st))
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.DeletedAt.IsZero() != b.DeletedAt.IsZero() {
			return a.DeletedAt.IsZero()
		}
		return a.DeletedAt.After(b.DeletedAt)
	})
	return out, nil
}

// Resources returns the resources, ordered by logical id, of the stack
// nameOrID names (as Describe finds it; a deleted stack has none).
func (e *Engine) Resources(ctx context.Context, region, nameOrID string) ([]ResourceInfo, error) {
	st, err := e.get(ctx, region, nameOrID)
	if err != nil {
		return nil, err
	}
	rows, err := e.cfg.Store.ListStackResources(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	out := make([]ResourceInfo, 0, len(rows))
	for _, r := range rows {
		out = append(out, ResourceInfo{LogicalID: r.LogicalID, PhysicalID: r.PhysicalID, Type: r.Type, Status: r.Status, UpdatedAt: r.UpdatedAt})
	}
	return out, nil
}

// Events returns the events of the stack nameOrID names (as Describe
// finds it), newest first, as DescribeStackEvents lists them.
func (e *Engine) Events(ctx context.Context, region, nameOrID string) ([]Event, error) {
	st, err := e.get(ctx, region, nameOrID)
	if err != nil {
		return nil, err
	}
	evs, err := e.cfg.Store.ListStackEvents(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Event, 0, len(evs))
	for i := len(evs) - 1; i >= 0; i-- {
		v := evs[i]
		out = append(out, Event{Time: v.Timestamp, StackName: st.Name, LogicalID: v.LogicalID, PhysicalID: v.PhysicalID,
			Type: v.Type, Status: v.Status, Reason: v.Reason})
	}
	return out, nil
}

// Template returns the template body the stack nameOrID names (as
// Describe finds it) was last deployed with.
func (e *Engine) Template(ctx context.Context, region, nameOrID string) (string, error) {
	st, err := e.get(ctx, region, nameOrID)
	if err != nil {
		return "", err
	}
	return string(st.Template), nil
}

// get returns the stack of region that nameOrID names: by name the live
// stack, by stack id (ARN) the live or deleted stack with that id.
func (e *Engine) get(ctx context.Context, region, nameOrID string) (store.Stack, error) {
	notFound := fmt.Errorf("%w: Stack with id %s does not exist", ErrStackNotFound, nameOrID)
	if !strings.HasPrefix(nameOrID, "arn:") {
		st, err := e.cfg.Store.GetStack(ctx, region, nameOrID)
		if errors.Is(err, store.ErrNotFound) {
			return st, notFound
		}
		return st, err
	}
	// A deleted stack's record is named by its id.
	st, err := e.cfg.Store.GetStack(ctx, region, nameOrID)
	if err == nil && !st.UpdatedAt.Before(e.now().Add(-DeletedRetention)) {
		return st, nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return st, err
	}
	name := nameOfID(nameOrID)
	if name == "" {
		return store.Stack{}, notFound
	}
	st, err = e.cfg.Store.GetStack(ctx, region, name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && st.ID != nameOrID) {
		return store.Stack{}, notFound
	}
	return st, err
}

func info(st store.Stack) StackInfo {
	var doc document
	_ = json.Unmarshal(st.Document, &doc)
	in := StackInfo{ID: st.ID, Name: st.Name, Region: st.Region, Status: st.Status, StatusReason: st.StatusReason,
		Parameters: doc.Parameters, Outputs: doc.Outputs, Warnings: doc.Warnings, Tags: doc.Tags, CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt}
	if isDeleted(st) {
		in.Name, in.DeletedAt = nameOfID(st.ID), st.UpdatedAt
	}
	return in
}

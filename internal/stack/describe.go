package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	CreatedAt    time.Time
	UpdatedAt    time.Time
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

// Describe returns the stack name of region, or an error wrapping
// ErrStackNotFound.
func (e *Engine) Describe(ctx context.Context, region, name string) (StackInfo, error) {
	st, err := e.get(ctx, region, name)
	if err != nil {
		return StackInfo{}, err
	}
	return info(st), nil
}

// List returns the stacks of region ("" for every region), by name.
func (e *Engine) List(ctx context.Context, region string) ([]StackInfo, error) {
	stacks, err := e.cfg.Store.ListStacks(ctx, region)
	if err != nil {
		return nil, err
	}
	out := make([]StackInfo, 0, len(stacks))
	for _, st := range stacks {
		out = append(out, info(st))
	}
	return out, nil
}

// Resources returns a stack's resources ordered by logical id.
func (e *Engine) Resources(ctx context.Context, region, name string) ([]ResourceInfo, error) {
	st, err := e.get(ctx, region, name)
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

// Events returns a stack's events, newest first, as DescribeStackEvents
// lists them.
func (e *Engine) Events(ctx context.Context, region, name string) ([]Event, error) {
	st, err := e.get(ctx, region, name)
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

// Template returns the template body the stack was last deployed with.
func (e *Engine) Template(ctx context.Context, region, name string) (string, error) {
	st, err := e.get(ctx, region, name)
	if err != nil {
		return "", err
	}
	return string(st.Template), nil
}

func (e *Engine) get(ctx context.Context, region, name string) (store.Stack, error) {
	st, err := e.cfg.Store.GetStack(ctx, region, name)
	if errors.Is(err, store.ErrNotFound) {
		return st, fmt.Errorf("%w: Stack with id %s does not exist", ErrStackNotFound, name)
	}
	return st, err
}

func info(st store.Stack) StackInfo {
	var doc document
	_ = json.Unmarshal(st.Document, &doc)
	return StackInfo{ID: st.ID, Name: st.Name, Region: st.Region, Status: st.Status, StatusReason: st.StatusReason,
		Parameters: doc.Parameters, Outputs: doc.Outputs, Warnings: doc.Warnings, CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt}
}

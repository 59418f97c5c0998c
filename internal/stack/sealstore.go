package stack

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/store"
)

// sealedStore wraps the engine's store so that every stack value that can
// hold a parameter value (a NoEcho value, a {{resolve:ssm-secure:...}}
// result) is sealed before it reaches the store and opened when read:
// a stack's template, document, operation journal and status reason; a
// resource's properties snapshot, attributes and undo record; an event's
// reason. Sealing is randomized, so the engine always compares opened
// values. Each value's AAD binds it to its record kind, region, stack and
// logical id (or event id). Exports stay clear (other stacks import them).
type sealedStore struct {
	store.Store
	s *sealer.Sealer
}

const sealedTextPrefix = "sealed:v1:"

func stackAAD(kind, region, stackID string) string {
	return "cognate/stack/" + kind + "\x00" + region + "\x00" + stackID
}

func resourceAAD(kind, stackID, logicalID string) string {
	return "cognate/stack-resource/" + kind + "\x00" + regionOfID(stackID) + "\x00" + stackID + "\x00" + logicalID
}

func eventAAD(stackID, eventID string) string {
	return "cognate/stack-event/reason\x00" + regionOfID(stackID) + "\x00" + stackID + "\x00" + eventID
}

func (ss sealedStore) sealBytes(b []byte, aad string) []byte {
	if len(b) == 0 {
		return b
	}
	return ss.s.Seal(b, aad)
}

func (ss sealedStore) openBytes(b []byte, aad, what string) ([]byte, error) {
	if len(b) == 0 {
		return b, nil
	}
	pt, err := ss.s.Open(b, aad)
	if err != nil {
		return nil, fmt.Errorf("stack: opening %s: %w", what, err)
	}
	return pt, nil
}

func (ss sealedStore) sealText(t, aad string) string {
	if t == "" {
		return ""
	}
	return sealedTextPrefix + base64.StdEncoding.EncodeToString(ss.s.Seal([]byte(t), aad))
}

func (ss sealedStore) openText(t, aad, what string) (string, error) {
	if t == "" {
		return "", nil
	}
	raw, ok := strings.CutPrefix(t, sealedTextPrefix)
	if !ok {
		return "", fmt.Errorf("stack: opening %s: %w", what, sealer.ErrOpen)
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return "", fmt.Errorf("stack: opening %s: %w", what, sealer.ErrOpen)
	}
	pt, err := ss.s.Open(b, aad)
	if err != nil {
		return "", fmt.Errorf("stack: opening %s: %w", what, err)
	}
	return string(pt), nil
}

func (ss sealedStore) sealStack(st store.Stack) store.Stack {
	st.Template = ss.sealBytes(st.Template, stackAAD("template", st.Region, st.ID))
	st.Document = ss.sealBytes(st.Document, stackAAD("document", st.Region, st.ID))
	st.Operation = ss.sealBytes(st.Operation, stackAAD("operation", st.Region, st.ID))
	st.StatusReason = ss.sealText(st.StatusReason, stackAAD("status-reason", st.Region, st.ID))
	return st
}

func (ss sealedStore) openStack(st store.Stack) (store.Stack, error) {
	var err error
	what := "stack " + st.ID + " "
	if st.Template, err = ss.openBytes(st.Template, stackAAD("template", st.Region, st.ID), what+"template"); err != nil {
		return st, err
	}
	if st.Document, err = ss.openBytes(st.Document, stackAAD("document", st.Region, st.ID), what+"document"); err != nil {
		return st, err
	}
	if st.Operation, err = ss.openBytes(st.Operation, stackAAD("operation", st.Region, st.ID), what+"operation"); err != nil {
		return st, err
	}
	if st.StatusReason, err = ss.openText(st.StatusReason, stackAAD("status-reason", st.Region, st.ID), what+"status reason"); err != nil {
		return st, err
	}
	return st, nil
}

func (ss sealedStore) sealResource(r store.StackResource) store.StackResource {
	r.Properties = ss.sealBytes(r.Properties, resourceAAD("properties", r.StackID, r.LogicalID))
	r.Attributes = ss.sealBytes(r.Attributes, resourceAAD("attributes", r.StackID, r.LogicalID))
	r.Rollback = ss.sealBytes(r.Rollback, resourceAAD("rollback", r.StackID, r.LogicalID))
	return r
}

func (ss sealedStore) openResource(r store.StackResource) (store.StackResource, error) {
	var err error
	what := "resource " + r.LogicalID + " of stack " + r.StackID + " "
	if r.Properties, err = ss.openBytes(r.Properties, resourceAAD("properties", r.StackID, r.LogicalID), what+"properties"); err != nil {
		return r, err
	}
	if r.Attributes, err = ss.openBytes(r.Attributes, resourceAAD("attributes", r.StackID, r.LogicalID), what+"attributes"); err != nil {
		return r, err
	}
	if r.Rollback, err = ss.openBytes(r.Rollback, resourceAAD("rollback", r.StackID, r.LogicalID), what+"undo record"); err != nil {
		return r, err
	}
	return r, nil
}

func (ss sealedStore) CreateStack(ctx context.Context, st store.Stack) error {
	return ss.Store.CreateStack(ctx, ss.sealStack(st))
}

func (ss sealedStore) GetStack(ctx context.Context, region, name string) (store.Stack, error) {
	st, err := ss.Store.GetStack(ctx, region, name)
	if err != nil {
		return st, err
	}
	return ss.openStack(st)
}

func (ss sealedStore) ListStacks(ctx context.Context, region string) ([]store.Stack, error) {
	stacks, err := ss.Store.ListStacks(ctx, region)
	if err != nil {
		return nil, err
	}
	for i := range stacks {
		if stacks[i], err = ss.openStack(stacks[i]); err != nil {
			return nil, err
		}
	}
	return stacks, nil
}

func (ss sealedStore) UpdateStack(ctx context.Context, id string, fn func(store.Stack) (store.Stack, error)) error {
	return ss.Store.UpdateStack(ctx, id, func(st store.Stack) (store.Stack, error) {
		open, err := ss.openStack(st)
		if err != nil {
			return st, err
		}
		out, err := fn(open)
		if err != nil {
			return out, err
		}
		return ss.sealStack(out), nil
	})
}

func (ss sealedStore) PutStackResource(ctx context.Context, r store.StackResource) error {
	return ss.Store.PutStackResource(ctx, ss.sealResource(r))
}

func (ss sealedStore) ListStackResources(ctx context.Context, stackID string) ([]store.StackResource, error) {
	rows, err := ss.Store.ListStackResources(ctx, stackID)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if rows[i], err = ss.openResource(rows[i]); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

func (ss sealedStore) AddStackEvent(ctx context.Context, e store.StackEvent) (int64, error) {
	e.Reason = ss.sealText(e.Reason, eventAAD(e.StackID, e.EventID))
	return ss.Store.AddStackEvent(ctx, e)
}

func (ss sealedStore) ListStackEvents(ctx context.Context, stackID string) ([]store.StackEvent, error) {
	evs, err := ss.Store.ListStackEvents(ctx, stackID)
	if err != nil {
		return nil, err
	}
	for i := range evs {
		if evs[i].Reason, err = ss.openText(evs[i].Reason, eventAAD(evs[i].StackID, evs[i].EventID), "event "+evs[i].EventID+" reason of stack "+evs[i].StackID); err != nil {
			return nil, err
		}
	}
	return evs, nil
}

func (ss sealedStore) InTx(ctx context.Context, fn func(tx store.Store) error) error {
	return ss.Store.InTx(ctx, func(tx store.Store) error {
		return fn(sealedStore{Store: tx, s: ss.s})
	})
}

package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/intrinsic"
	"github.com/cognatehq/cognate/internal/stack/template"
	"github.com/cognatehq/cognate/internal/store"
)

// Deploy creates the stack name of region from templateBody, or updates it
// to templateBody, with the parameter values given (parameters left out
// take their Default). The template is checked in full before anything
// changes; a problem there returns an error wrapping ErrValidation that
// lists every problem with its position and path. A resource operation
// that fails rolls the stack back to its previous version and returns an
// error wrapping ErrDeployFailed that names the resource (and property,
// when the provider knows it).
func (e *Engine) Deploy(ctx context.Context, region, name, templateBody string, params map[string]string, o Options) (DeployResult, error) {
	body := []byte(templateBody)
	existing, err := e.cfg.Store.GetStack(ctx, region, name)
	exists := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return DeployResult{}, err
	}
	if exists && existing.Operation != nil {
		return DeployResult{}, fmt.Errorf("%w: Stack:%s is in %s state and can not be updated.", ErrInProgress, existing.ID, existing.Status)
	}
	if exists && existing.Status == StatusRollbackComplete {
		// A stack whose creation rolled back holds nothing; it is
		// replaced, as sam deploy does.
		if err := e.cfg.Store.DeleteStack(ctx, existing.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return DeployResult{}, err
		}
		exists = false
	}
	stackID := existing.ID
	if !exists {
		stackID = e.newStackID(region, name)
	}
	p, err := e.buildPlan(ctx, region, name, stackID, body, params, o)
	if err != nil {
		return DeployResult{}, err
	}
	var rows []store.StackResource
	var oldDoc document
	if exists {
		if rows, err = e.cfg.Store.ListStackResources(ctx, stackID); err != nil {
			return DeployResult{}, err
		}
		if len(existing.Document) > 0 {
			if err := json.Unmarshal(existing.Document, &oldDoc); err != nil {
				return DeployResult{}, fmt.Errorf("stack %s: reading its document: %w", name, err)
			}
		}
	}
	tags := o.Tags
	if tags == nil && exists {
		tags = oldDoc.Tags
	}
	if exists && bytes.Equal(existing.Template, body) && oldDoc.ParamHash == p.paramHash && sameTags(oldDoc.Tags, tags) && !e.changed(ctx, p, rows) {
		return DeployResult{StackID: stackID, Status: existing.Status, NoChanges: true, Outputs: oldDoc.Outputs,
			Warnings: allWarnings(p, oldDoc.ResourceWarnings)}, nil
	}

	// Begin the operation: journal first.
	now := e.now()
	op := operation{Kind: "create", Phase: "apply", Started: now}
	if exists {
		op = operation{Kind: "update", Phase: "apply", Started: now, PrevStatus: existing.Status,
			PrevTemplate: existing.Template, PrevDocument: existing.Document}
	}
	opJSON, _ := json.Marshal(op)
	status := StatusCreateInProgress
	if exists {
		status = StatusUpdateInProgress
		err = e.cfg.Store.UpdateStack(ctx, stackID, func(st store.Stack) (store.Stack, error) {
			if st.Operation != nil {
				return st, fmt.Errorf("%w: Stack:%s is in %s state and can not be updated.", ErrInProgress, st.ID, st.Status)
			}
			st.Status, st.StatusReason, st.Operation, st.UpdatedAt = status, "User Initiated", opJSON, now
			return st, nil
		})
	} else {
		err = e.cfg.Store.CreateStack(ctx, store.Stack{ID: stackID, Region: region, Name: name, Status: status,
			StatusReason: "User Initiated", Operation: opJSON, CreatedAt: now, UpdatedAt: now})
		if errors.Is(err, store.ErrConflict) {
			err = fmt.Errorf("%w: Stack [%s] is being created by another request", ErrInProgress, name)
		}
	}
	if err != nil {
		return DeployResult{}, err
	}
	run := &run{e: e, p: p, o: o, op: &op, stackID: stackID, state: map[string]*resState{}, rows: map[string]store.StackResource{},
		tags: tags, warnings: map[string][]string{}}
	for _, r := range rows {
		run.rows[r.LogicalID] = r
	}
	run.event(ctx, nil, Event{LogicalID: name, PhysicalID: stackID, Type: stackType, Status: status, Reason: "User Initiated"})
	e.at("begin", "")

	out, err := run.apply(ctx, oldDoc)
	if err != nil {
		defer e.notifyChange(stackID)
		msg := err.Error()
		if rerr := e.rollback(ctx, stackID, rollbackReason(err, exists), o.OnEvent); rerr != nil {
			return DeployResult{}, fmt.Errorf("%w: %s; the rollback failed too: %v", ErrDeployFailed, msg, rerr)
		}
		final := StatusRollbackComplete
		if exists {
			final = StatusUpdateRollbackComplete
		}
		return DeployResult{StackID: stackID, Status: final, Warnings: allWarnings(p, run.warnings)}, fmt.Errorf("%w: %s", ErrDeployFailed, msg)
	}
	final, err := e.cleanup(ctx, stackID, o.OnEvent)
	e.notifyChange(stackID)
	if err != nil {
		return DeployResult{}, err
	}
	return DeployResult{StackID: stackID, Status: final, Outputs: out, Warnings: allWarnings(p, run.warnings)}, nil
}

// resourceFailure is a provider's failure on one resource, which ends the
// apply phase.
type resourceFailure struct {
	logicalID string
	action    string // create, update, replace
	msg       string
}

func (f *resourceFailure) Error() string { return f.msg }

// rollbackReason is the stack's status reason for a rollback caused by
// err. For a resource that failed it is CloudFormation's [obs-folklore:
// APIGATEWAY.md §7] "The following resource(s) failed to create: [X].
// Rollback requested by user." on a new stack; on an update [guess, from
// reports of real stacks] "The following resource(s) failed to update:
// [X]." (or "failed to create" when a replacement failed). Other
// failures (an export still imported) give their own message.
func rollbackReason(err error, updating bool) string {
	var rf *resourceFailure
	if !errors.As(err, &rf) {
		return err.Error()
	}
	verb := "create"
	if rf.action == "update" {
		verb = "update"
	}
	reason := fmt.Sprintf("The following resource(s) failed to %s: [%s].", verb, rf.logicalID)
	if !updating {
		reason += " Rollback requested by user."
	}
	return reason
}

// warningsOf returns the plan's warnings about resource id (a type not
// emulated, a property accepted but not emulated), without the id they
// start with.
func (p *plan) warningsOf(id string) []string {
	var out []string
	for _, w := range p.warnings {
		if rest, ok := strings.CutPrefix(w, id+": "); ok {
			out = append(out, rest)
		}
	}
	return out
}

// allWarnings is the plan's warnings followed by the providers' warnings,
// in deploy order, each prefixed with its logical id.
func allWarnings(p *plan, byResource map[string][]string) []string {
	out := append([]string(nil), p.warnings...)
	for _, id := range p.order {
		for _, w := range byResource[id] {
			out = append(out, id+": "+w)
		}
	}
	return out
}

// sameTags reports whether two tag lists hold the same tags, in any order.
func sameTags(a, b []Tag) bool {
	if len(a) != len(b) {
		return false
	}
	m := make(map[Tag]int, len(a))
	for _, t := range a {
		m[t]++
	}
	for _, t := range b {
		if m[t] == 0 {
			return false
		}
		m[t]--
	}
	return true
}

// changed reports whether deploying p would call any provider: a resource
// added, removed, retyped, or with properties that evaluate differently
// from what it was deployed with.
func (e *Engine) changed(ctx context.Context, p *plan, rows []store.StackResource) bool {
	byID := map[string]store.StackResource{}
	for _, r := range rows {
		byID[r.LogicalID] = r
		if _, ok := p.resources[r.LogicalID]; !ok {
			return true
		}
	}
	state := map[string]*resState{}
	ev := intrinsic.New(e.evalContext(ctx, p, state, false), p.opts)
	for _, id := range p.order {
		r, ok := byID[id]
		d := p.resources[id]
		if !ok || r.Type != d.typ || r.Rollback != nil {
			return true
		}
		props, err := e.evalProps(ctx, p, ev, d)
		if err != nil || !sameJSON(props, r.Properties) {
			return true
		}
		state[id] = rowState(r)
	}
	return false
}

// evalProps evaluates a resource's properties against what exists now.
func (e *Engine) evalProps(ctx context.Context, p *plan, ev *intrinsic.Evaluator, d *resourceDecl) (*template.Node, error) {
	if d.props == nil {
		return nil, nil
	}
	path := "Resources/" + d.id + "/Properties"
	v, errs := ev.Eval(d.props, path)
	if len(errs) > 0 {
		return nil, errs
	}
	v, errs = e.resolveDynamic(ctx, p, v, path, false)
	if len(errs) > 0 {
		return nil, errs
	}
	return v, nil
}

// run is one deploy's apply phase.
type run struct {
	e       *Engine
	p       *plan
	o       Options
	op      *operation
	stackID string
	state   map[string]*resState
	rows    map[string]store.StackResource // as before the deploy
	tags    []Tag                          // the stack's tags after the deploy
	// warnings are the providers' warnings by logical id: from this
	// deploy for the resources it acted on, carried over from the
	// previous version for the others.
	warnings map[string][]string
}

// apply brings every resource to the template and commits the new
// version, leaving only the cleanup phase's deletions.
func (r *run) apply(ctx context.Context, oldDoc document) ([]Output, error) {
	e, p := r.e, r.p
	ev := intrinsic.New(e.evalContext(ctx, p, r.state, false), p.opts)
	for _, id := range p.order {
		d := p.resources[id]
		props, err := e.evalProps(ctx, p, ev, d)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		propsJSON := marshalNode(props)
		old, had := r.rows[id]
		if had && old.Type == d.typ && sameJSON(props, old.Properties) {
			r.state[id] = rowState(old)
			if w := oldDoc.ResourceWarnings[id]; len(w) > 0 {
				r.warnings[id] = w
			}
			continue
		}
		var u undo
		action := "create"
		if had {
			u = undo{PhysicalID: old.PhysicalID, Type: old.Type, Status: old.Status, Properties: old.Properties, Attributes: old.Attributes}
			action = "update"
			if old.Type != d.typ || (d.provider != nil && replaces(d.provider.Schema(), old.Properties, props)) {
				action = "replace"
			}
		}
		u.Action = action
		if pi, ok := d.provider.(PlannedID); ok && action != "update" {
			u.Planned = pi.PlannedID(p.request(id, props))
		}
		if err := r.begin(ctx, id, d, u, old, propsJSON); err != nil {
			return nil, err
		}
		e.at("before-provider", id)
		req := p.request(id, props)
		req.Planned = u.Planned
		var res Result
		switch {
		case d.provider == nil:
			res = Result{PhysicalID: old.PhysicalID}
			if action != "update" || res.PhysicalID == "" {
				res.PhysicalID = fmt.Sprintf("%s-%s-%s", p.stackName, id, uuid()[:13])
			}
		case action == "update":
			oldProps, _ := decodeNode(old.Properties)
			res, err = d.provider.Update(ctx, req, old.PhysicalID, oldProps)
		default:
			res, err = d.provider.Create(ctx, req)
		}
		if err != nil {
			failed := StatusCreateFailed
			if action == "update" {
				failed = StatusUpdateFailed
			}
			msg := describeFailure(id, err)
			if u.Planned != "" {
				// The creation is known to have failed: the planned id
				// may name someone else's resource, which the rollback
				// must not delete.
				u.Planned = ""
				if err := r.clearPlanned(ctx, id, u); err != nil {
					return nil, err
				}
			}
			r.event(ctx, nil, Event{LogicalID: id, PhysicalID: old.PhysicalID, Type: d.typ, Status: failed, Reason: msg})
			return nil, &resourceFailure{logicalID: id, action: action, msg: msg}
		}
		e.at("after-provider", id)
		attrs, _ := json.Marshal(res.Attributes)
		done := StatusCreateComplete
		if action == "update" {
			done = StatusUpdateComplete
		}
		rec := store.StackResource{StackID: r.stackID, LogicalID: id, Type: d.typ, PhysicalID: res.PhysicalID, Status: done,
			Properties: propsJSON, Attributes: attrs, Rollback: mustJSON(u), UpdatedAt: e.now()}
		var recorded Event
		err = e.cfg.Store.InTx(ctx, func(tx store.Store) error {
			if err := tx.PutStackResource(ctx, rec); err != nil {
				return err
			}
			// The resource's warnings (the plan's, then the provider's)
			// are the reason of its COMPLETE event, where
			// describe-stack-events and cognate deploy show them.
			recorded = r.e.emit(ctx, tx, r.stackID, r.p.stackName, nil, Event{LogicalID: id, PhysicalID: res.PhysicalID, Type: d.typ, Status: done,
				Reason: strings.Join(append(p.warningsOf(id), res.Warnings...), "; ")})
			return nil
		})
		if err != nil {
			return nil, err
		}
		r.notify(recorded)
		r.state[id] = rowState(rec)
		if len(res.Warnings) > 0 {
			r.warnings[id] = res.Warnings
		}
	}

	r.postDeployChecks(ctx)

	// Outputs and exports.
	var outs []Output
	exports := map[string]string{}
	if section := p.tmpl.Section(template.SectionOutputs); section != nil {
		for _, f := range section.Fields {
			if skip, _ := p.skipByCondition(f.Value, ""); skip {
				continue
			}
			path := "Outputs/" + f.Key
			v, errs := ev.Eval(f.Value, path)
			if len(errs) > 0 {
				return nil, errs
			}
			o := Output{Key: f.Key}
			o.Value = outputText(v.Get("Value"))
			o.Description, _ = v.Get("Description").Text()
			if ex := v.Get("Export"); ex != nil {
				o.ExportName, _ = ex.Get("Name").Text()
				if o.ExportName == "" {
					return nil, fmt.Errorf("%s/Export/Name: an export needs a name", path)
				}
				if _, dup := exports[o.ExportName]; dup {
					return nil, fmt.Errorf("%s/Export/Name: Template error: duplicate export name %s", path, o.ExportName)
				}
				exports[o.ExportName] = o.Value
			}
			outs = append(outs, o)
		}
	}
	for _, old := range oldDoc.Outputs {
		if old.ExportName == "" {
			continue
		}
		v, kept := exports[old.ExportName]
		if kept && v == old.Value {
			continue
		}
		users, err := e.importers(ctx, p.region, r.stackID, old.ExportName)
		if err != nil {
			return nil, err
		}
		if len(users) > 0 && kept {
			return nil, fmt.Errorf("Cannot update export %s as it is in use by %s", old.ExportName, users[0])
		}
		if len(users) > 0 {
			return nil, fmt.Errorf("Export %s cannot be deleted as it is in use by %s", old.ExportName, users[0])
		}
	}
	if err := e.cfg.Store.SetStackExports(ctx, r.stackID, p.region, exports); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("Outputs: an export name is already exported by another stack: %v", err)
		}
		return nil, err
	}
	e.at("before-commit", "")

	// Commit: the new version is the stack's; what remains is cleanup.
	var cleanup []cleanupItem
	for i := len(r.op.Touched) - 1; i >= 0; i-- {
		id := r.op.Touched[i]
		old, had := r.rows[id]
		if had && r.state[id] != nil && r.state[id].physicalID != old.PhysicalID {
			cleanup = append(cleanup, cleanupItem{LogicalID: id, Type: old.Type, PhysicalID: old.PhysicalID, Properties: old.Properties,
				Retain: p.resources[id].retainOnReplace})
		}
	}
	removed := map[string]bool{}
	for id := range r.rows {
		if _, ok := p.resources[id]; !ok {
			removed[id] = true
		}
	}
	for i := len(oldDoc.Order) - 1; i >= 0; i-- {
		if id := oldDoc.Order[i]; removed[id] {
			old := r.rows[id]
			cleanup = append(cleanup, cleanupItem{LogicalID: id, Type: old.Type, PhysicalID: old.PhysicalID, Properties: old.Properties, Removed: true,
				Retain: contains(oldDoc.Retain, id)})
			delete(removed, id)
		}
	}
	for _, id := range sortedKeys(removed) {
		old := r.rows[id]
		cleanup = append(cleanup, cleanupItem{LogicalID: id, Type: old.Type, PhysicalID: old.PhysicalID, Properties: old.Properties, Removed: true,
			Retain: contains(oldDoc.Retain, id)})
	}
	var retain []string
	for _, id := range p.order {
		if p.resources[id].retain {
			retain = append(retain, id)
		}
	}
	doc := document{Parameters: p.params.shown, ParamHash: p.paramHash, Outputs: outs, Order: p.order,
		Imports: p.imports, SSMReads: p.ssmReads, Warnings: allWarnings(p, r.warnings), Retain: retain, Tags: r.tags}
	if len(r.warnings) > 0 {
		doc.ResourceWarnings = r.warnings
	}
	docJSON := mustJSON(doc)
	r.op.Phase, r.op.Cleanup = "cleanup", cleanup
	opJSON := mustJSON(r.op)
	err := e.cfg.Store.InTx(ctx, func(tx store.Store) error {
		rows, err := tx.ListStackResources(ctx, r.stackID)
		if err != nil {
			return err
		}
		for _, row := range rows {
			if row.Rollback != nil {
				row.Rollback = nil
				if err := tx.PutStackResource(ctx, row); err != nil {
					return err
				}
			}
		}
		return tx.UpdateStack(ctx, r.stackID, func(st store.Stack) (store.Stack, error) {
			st.Template, st.Document, st.Operation, st.UpdatedAt = p.body, docJSON, opJSON, e.now()
			if r.op.Kind == "update" {
				st.Status = StatusUpdateCleanupInProgress
			}
			return st, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return outs, nil
}

// clearPlanned rewrites the undo record of resource id.
func (r *run) clearPlanned(ctx context.Context, id string, u undo) error {
	rows, err := r.e.cfg.Store.ListStackResources(ctx, r.stackID)
	if err != nil {
		return err
	}
	for _, row := range rows {
		if row.LogicalID == id {
			row.Rollback = mustJSON(u)
			return r.e.cfg.Store.PutStackResource(ctx, row)
		}
	}
	return nil
}

// postDeployChecks runs the PostDeployCheck of every resource this
// operation created or updated, now that all of them exist, and records
// what they find as the resource's warnings and as an event of the
// resource (its COMPLETE status again, the findings as the reason), where
// describe-stack-events and cognate deploy show them.
func (r *run) postDeployChecks(ctx context.Context) {
	for _, id := range r.op.Touched {
		d, st := r.p.resources[id], r.state[id]
		if d == nil || st == nil {
			continue
		}
		c, ok := d.provider.(PostDeployCheck)
		if !ok {
			continue
		}
		props, err := decodeNode(st.props)
		if err != nil {
			continue
		}
		found := c.Check(ctx, r.p.request(id, props), st.physicalID)
		if len(found) == 0 {
			continue
		}
		r.warnings[id] = append(r.warnings[id], found...)
		status := StatusCreateComplete
		if r.rows[id].PhysicalID == st.physicalID {
			status = StatusUpdateComplete
		}
		r.event(ctx, nil, Event{LogicalID: id, PhysicalID: st.physicalID, Type: d.typ, Status: status,
			Reason: "Cognate check: " + strings.Join(found, "; ")})
	}
}

// begin journals, in one transaction, that the operation is about to act
// on resource id.
func (r *run) begin(ctx context.Context, id string, d *resourceDecl, u undo, old store.StackResource, propsJSON []byte) error {
	e := r.e
	r.op.Touched = append(r.op.Touched, id)
	opJSON := mustJSON(r.op)
	status := StatusCreateInProgress
	if u.Action == "update" {
		status = StatusUpdateInProgress
	}
	rec := store.StackResource{StackID: r.stackID, LogicalID: id, Type: d.typ, PhysicalID: old.PhysicalID, Status: status,
		Properties: old.Properties, Attributes: old.Attributes, Rollback: mustJSON(u), UpdatedAt: e.now()}
	if u.Action == "replace" {
		// The old physical resource stays recorded in the undo record;
		// the row has none until the replacement exists.
		rec.PhysicalID, rec.Properties, rec.Attributes = "", propsJSON, nil
	}
	if u.Action == "create" {
		rec.Properties = propsJSON
	}
	// OnEvent runs after the commit: PostgreSQL may run the closure
	// more than once.
	var recorded Event
	err := e.cfg.Store.InTx(ctx, func(tx store.Store) error {
		if err := tx.UpdateStack(ctx, r.stackID, func(st store.Stack) (store.Stack, error) {
			st.Operation = opJSON
			return st, nil
		}); err != nil {
			return err
		}
		if err := tx.PutStackResource(ctx, rec); err != nil {
			return err
		}
		reason := ""
		if u.Action == "replace" {
			reason = "Requested update requires the creation of a new physical resource; hence creating one."
		}
		recorded = e.emit(ctx, tx, r.stackID, r.p.stackName, nil, Event{LogicalID: id, PhysicalID: old.PhysicalID, Type: d.typ, Status: status, Reason: reason})
		return nil
	})
	if err != nil {
		return err
	}
	r.notify(recorded)
	return nil
}

// notify passes a recorded event to OnEvent.
func (r *run) notify(ev Event) {
	if r.o.OnEvent != nil {
		r.o.OnEvent(ev)
	}
}

// event records ev in the store and passes it to OnEvent.
func (r *run) event(ctx context.Context, tx store.Store, ev Event) {
	r.e.emit(ctx, tx, r.stackID, r.p.stackName, r.o.OnEvent, ev)
}

// emit records ev in the store (through tx when not nil), passes it to
// onEvent when set, and returns it with its time and stack name filled in.
func (e *Engine) emit(ctx context.Context, tx store.Store, stackID, stackName string, onEvent func(Event), ev Event) Event {
	ev.Time = e.now()
	ev.StackName = stackName
	s := tx
	if s == nil {
		s = e.cfg.Store
	}
	_, err := s.AddStackEvent(ctx, store.StackEvent{StackID: stackID, EventID: ev.LogicalID + "-" + ev.Status + "-" + ev.Time.Format("2006-01-02T15:04:05.000000Z"),
		LogicalID: ev.LogicalID, PhysicalID: ev.PhysicalID, Type: ev.Type, Status: ev.Status, Reason: ev.Reason, Timestamp: ev.Time})
	if err != nil {
		e.cfg.Logger.WarnContext(ctx, "stack event not recorded", "stack", stackName, "err", err)
	}
	if onEvent != nil {
		onEvent(ev)
	}
	return ev
}

// replaces reports whether changing from old to new properties replaces
// the resource.
func replaces(s Schema, oldJSON []byte, props *template.Node) bool {
	old, err := decodeNode(oldJSON)
	if err != nil {
		return true
	}
	for _, k := range s.Replace {
		if !template.Equal(old.Get(k), props.Get(k)) {
			return true
		}
	}
	return false
}

// describeFailure names the resource, and the property when the provider
// says which one, in a failure message.
func describeFailure(id string, err error) string {
	var pe *PropertyError
	if errors.As(err, &pe) {
		return fmt.Sprintf("Resources/%s/Properties/%s: %v", id, pe.Property, pe.Err)
	}
	return fmt.Sprintf("Resources/%s: %v", id, err)
}

func outputText(n *template.Node) string {
	if n == nil {
		return ""
	}
	if s, ok := n.Text(); ok {
		return s
	}
	if n.Kind == template.Sequence {
		var parts []string
		for _, it := range n.Items {
			s, _ := it.Text()
			parts = append(parts, s)
		}
		return joinComma(parts)
	}
	return n.String()
}

func joinComma(parts []string) string {
	var b bytes.Buffer
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p)
	}
	return b.String()
}

func rowState(r store.StackResource) *resState {
	st := &resState{typ: r.Type, physicalID: r.PhysicalID, attrs: map[string]string{}, props: r.Properties}
	if len(r.Attributes) > 0 {
		_ = json.Unmarshal(r.Attributes, &st.attrs)
	}
	return st
}

func marshalNode(n *template.Node) []byte {
	b, _ := n.MarshalJSON()
	return b
}

func decodeNode(b []byte) (*template.Node, error) {
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	n, _, err := template.ReadValue(b)
	return n, err
}

func sameJSON(n *template.Node, b []byte) bool {
	old, err := decodeNode(b)
	if err != nil {
		return false
	}
	if n == nil || old == nil {
		return n == nil && old == nil
	}
	return template.Equal(n, old)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return dedupe(out)
}

package awsapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cognatehq/cognate/internal/stack"
)

// The implemented CloudFormation actions and their wire shapes (member
// names from the cloudformation 2010-05-15 model; lists as <member>
// elements; timestamps ISO 8601 UTC with milliseconds, as AWS writes them).

// cfnTime is a timestamp on the Query protocol's wire.
type cfnTime string

func isoTime(t time.Time) cfnTime {
	if t.IsZero() {
		return ""
	}
	return cfnTime(t.UTC().Format("2006-01-02T15:04:05.000Z"))
}

type cfnParameter struct {
	ParameterKey   string `xml:"ParameterKey"`
	ParameterValue string `xml:"ParameterValue"`
	ResolvedValue  string `xml:"ResolvedValue,omitempty"`
}

type cfnOutput struct {
	OutputKey   string `xml:"OutputKey"`
	OutputValue string `xml:"OutputValue"`
	Description string `xml:"Description,omitempty"`
	ExportName  string `xml:"ExportName,omitempty"`
}

type cfnTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type cfnStack struct {
	StackID                     string         `xml:"StackId"`
	StackName                   string         `xml:"StackName"`
	Parameters                  []cfnParameter `xml:"Parameters>member"`
	CreationTime                cfnTime        `xml:"CreationTime"`
	DeletionTime                cfnTime        `xml:"DeletionTime,omitempty"`
	LastUpdatedTime             cfnTime        `xml:"LastUpdatedTime,omitempty"`
	StackStatus                 string         `xml:"StackStatus"`
	StackStatusReason           string         `xml:"StackStatusReason,omitempty"`
	DisableRollback             bool           `xml:"DisableRollback"`
	Outputs                     []cfnOutput    `xml:"Outputs>member"`
	Tags                        []cfnTag       `xml:"Tags>member"`
	EnableTerminationProtection bool           `xml:"EnableTerminationProtection"`
	DriftInformation            struct {
		StackDriftStatus string `xml:"StackDriftStatus"`
	} `xml:"DriftInformation"`
}

type cfnStackSummary struct {
	StackID           string  `xml:"StackId"`
	StackName         string  `xml:"StackName"`
	CreationTime      cfnTime `xml:"CreationTime"`
	LastUpdatedTime   cfnTime `xml:"LastUpdatedTime,omitempty"`
	DeletionTime      cfnTime `xml:"DeletionTime,omitempty"`
	StackStatus       string  `xml:"StackStatus"`
	StackStatusReason string  `xml:"StackStatusReason,omitempty"`
	DriftInformation  struct {
		StackDriftStatus string `xml:"StackDriftStatus"`
	} `xml:"DriftInformation"`
}

type cfnStackResource struct {
	StackName          string  `xml:"StackName"`
	StackID            string  `xml:"StackId"`
	LogicalResourceID  string  `xml:"LogicalResourceId"`
	PhysicalResourceID string  `xml:"PhysicalResourceId,omitempty"`
	ResourceType       string  `xml:"ResourceType"`
	Timestamp          cfnTime `xml:"Timestamp"`
	ResourceStatus     string  `xml:"ResourceStatus"`
	DriftInformation   struct {
		StackResourceDriftStatus string `xml:"StackResourceDriftStatus"`
	} `xml:"DriftInformation"`
}

type cfnStackResourceDetail struct {
	StackName            string  `xml:"StackName"`
	StackID              string  `xml:"StackId"`
	LogicalResourceID    string  `xml:"LogicalResourceId"`
	PhysicalResourceID   string  `xml:"PhysicalResourceId,omitempty"`
	ResourceType         string  `xml:"ResourceType"`
	LastUpdatedTimestamp cfnTime `xml:"LastUpdatedTimestamp"`
	ResourceStatus       string  `xml:"ResourceStatus"`
	DriftInformation     struct {
		StackResourceDriftStatus string `xml:"StackResourceDriftStatus"`
	} `xml:"DriftInformation"`
}

type cfnStackResourceSummary struct {
	LogicalResourceID    string  `xml:"LogicalResourceId"`
	PhysicalResourceID   string  `xml:"PhysicalResourceId,omitempty"`
	ResourceType         string  `xml:"ResourceType"`
	LastUpdatedTimestamp cfnTime `xml:"LastUpdatedTimestamp"`
	ResourceStatus       string  `xml:"ResourceStatus"`
	DriftInformation     struct {
		StackResourceDriftStatus string `xml:"StackResourceDriftStatus"`
	} `xml:"DriftInformation"`
}

type cfnStackEvent struct {
	StackID              string  `xml:"StackId"`
	EventID              string  `xml:"EventId"`
	StackName            string  `xml:"StackName"`
	LogicalResourceID    string  `xml:"LogicalResourceId"`
	PhysicalResourceID   string  `xml:"PhysicalResourceId"`
	ResourceType         string  `xml:"ResourceType"`
	Timestamp            cfnTime `xml:"Timestamp"`
	ResourceStatus       string  `xml:"ResourceStatus"`
	ResourceStatusReason string  `xml:"ResourceStatusReason,omitempty"`
}

type cfnStackIDResult struct {
	StackID string `xml:"StackId"`
}

type cfnDescribeStacksResult struct {
	Stacks    []cfnStack `xml:"Stacks>member"`
	NextToken string     `xml:"NextToken,omitempty"`
}

type cfnListStacksResult struct {
	StackSummaries []cfnStackSummary `xml:"StackSummaries>member"`
	NextToken      string            `xml:"NextToken,omitempty"`
}

type cfnDescribeStackResourcesResult struct {
	StackResources []cfnStackResource `xml:"StackResources>member"`
}

type cfnDescribeStackResourceResult struct {
	StackResourceDetail cfnStackResourceDetail `xml:"StackResourceDetail"`
}

type cfnListStackResourcesResult struct {
	StackResourceSummaries []cfnStackResourceSummary `xml:"StackResourceSummaries>member"`
	NextToken              string                    `xml:"NextToken,omitempty"`
}

type cfnDescribeStackEventsResult struct {
	StackEvents []cfnStackEvent `xml:"StackEvents>member"`
	NextToken   string          `xml:"NextToken,omitempty"`
}

type cfnGetTemplateResult struct {
	TemplateBody    string   `xml:"TemplateBody"`
	StagesAvailable []string `xml:"StagesAvailable>member"`
}

// driftNotChecked is the drift status of a stack or resource never
// checked for drift [doc].
const driftNotChecked = "NOT_CHECKED"

// stackName returns the stack a StackName member names: a name, or a
// stack id (ARN), whose name part is taken; wantID is set for an ARN, and
// the caller checks that the stack found has that id. [doc] StackName
// accepts either.
func stackName(s string) (name, wantID string) {
	if rest, ok := strings.CutPrefix(s, "arn:"); ok {
		// arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>
		parts := strings.SplitN(rest, ":", 5)
		if len(parts) == 5 {
			if res, ok := strings.CutPrefix(parts[4], "stack/"); ok {
				n, _, _ := strings.Cut(res, "/")
				return n, s
			}
		}
	}
	return s, ""
}

// requireStackName returns the StackName member or the ValidationError
// CloudFormation answers when it is missing [obs: §7].
func requireStackName(f cfnForm) (string, error) {
	s := f.get("StackName")
	if s == "" {
		return "", validationError("StackName is a required parameter.")
	}
	return s, nil
}

// describe returns the stack named by s: by name a live stack, by stack
// id a live or deleted one [doc].
func (h *CloudFormation) describe(ctx context.Context, region, s string) (stack.StackInfo, error) {
	st, err := h.eng.Describe(ctx, region, s)
	if errors.Is(err, stack.ErrStackNotFound) {
		// [obs] the message echoes what the caller sent, name or id.
		return st, validationError("Stack with id " + clip(s) + " does not exist")
	}
	return st, err
}

// templateBody returns the TemplateBody member, or the answer to a
// TemplateURL (Cognate reads no S3) or to neither.
func templateBody(f cfnForm) (string, error) {
	if f.get("TemplateURL") != "" {
		// [Cognate] CloudFormation would fetch the URL from S3; Cognate
		// serves no S3, and the CLI inlines file:// bodies itself.
		return "", validationError("Cognate takes the template inline as TemplateBody only; TemplateURL is not supported " +
			"(use --template-body file://template.yaml)")
	}
	body := f.get("TemplateBody")
	if body == "" {
		// [obs-common] AWS's text when neither is given.
		return "", validationError("Either Template URL or Template Body must be specified.")
	}
	return body, nil
}

// parameters reads Parameters.member.N into the map Deploy takes.
// UsePreviousValue takes the value from prev (the stack's current
// parameters); prev is nil for CreateStack, where AWS refuses it.
// StrictTag is the stack tag that asks for a strict deploy, Cognate's
// extension of the API: with it, a resource type Cognate does not emulate
// fails the deploy instead of being recorded with a warning. It is stored
// with the other tags, as AWS would store it, so the same call is valid
// against AWS (`cognate deploy --strict` sends it). Only the call's own
// tags count: a later deploy without it is not strict.
const StrictTag = "cognate:strict"

// maxTags is the most tags a stack can have [doc: CreateStack Tags
// "Maximum number of 50 items"].
const maxTags = 50

// tags reads Tags.member.N.{Key,Value}. It returns nil when the call has
// no Tags member at all (UpdateStack then keeps the stack's tags [doc]),
// and a non-nil, possibly empty, list when it has one (an empty list, sent
// as "Tags=", removes them).
func tags(f cfnForm) ([]stack.Tag, error) {
	ns := f.members("Tags")
	if len(ns) == 0 && !f.has("Tags") {
		return nil, nil
	}
	if len(ns) > maxTags {
		// [guess] Coral's constraint wording.
		return nil, validationError(fmt.Sprintf("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to %d", maxTags))
	}
	out := []stack.Tag{}
	for _, n := range ns {
		p := "Tags.member." + strconv.Itoa(n) + "."
		key := f.get(p + "Key")
		if key == "" {
			// [guess] text, after the other required members'.
			return nil, validationError(fmt.Sprintf("Tags.member.%d.Key is a required parameter.", n))
		}
		out = append(out, stack.Tag{Key: key, Value: f.get(p + "Value")})
	}
	return out, nil
}

// strict reports whether tags hold StrictTag = "true".
func strict(tags []stack.Tag) bool {
	for _, t := range tags {
		if t.Key == StrictTag && strings.EqualFold(t.Value, "true") {
			return true
		}
	}
	return false
}

func parameters(f cfnForm, prev []stack.Parameter, creating bool) (map[string]string, error) {
	out := map[string]string{}
	for _, n := range f.members("Parameters") {
		p := "Parameters.member." + strconv.Itoa(n) + "."
		key := f.get(p + "ParameterKey")
		if key == "" {
			// [guess] text.
			return nil, validationError(fmt.Sprintf("Parameters.member.%d.ParameterKey is a required parameter.", n))
		}
		if !f.bool(p + "UsePreviousValue") {
			out[key] = f.get(p + "ParameterValue")
			continue
		}
		if creating {
			// [obs-common] AWS's text for UsePreviousValue on a new stack.
			return nil, validationError("Invalid input for parameter key " + clip(key) + ". Cannot specify usePreviousValue as true for a parameter key not in the previous template")
		}
		found := false
		for _, pp := range prev {
			if pp.Key != key {
				continue
			}
			found = true
			if pp.NoEcho {
				// TODO(cloudformation api): the engine masks NoEcho values
				// in StackInfo and has no call that returns the previous
				// value, so UsePreviousValue cannot be honoured for them.
				return nil, validationError("Cognate cannot reuse the previous value of the NoEcho parameter " + clip(key) + "; pass its value again")
			}
			out[key] = pp.Value
		}
		if !found {
			// [obs-common]
			return nil, validationError("Invalid input for parameter key " + clip(key) + ". Cannot specify usePreviousValue as true for a parameter key not in the previous template")
		}
	}
	return out, nil
}

func (h *CloudFormation) createStack(ctx context.Context, region string, f cfnForm) (any, error) {
	name, err := requireStackName(f)
	if err != nil {
		return nil, err
	}
	body, err := templateBody(f)
	if err != nil {
		return nil, err
	}
	params, err := parameters(f, nil, true)
	if err != nil {
		return nil, err
	}
	tg, err := tags(f)
	if err != nil {
		return nil, err
	}
	if _, err := h.eng.Describe(ctx, region, name); err == nil {
		// [obs] even a ROLLBACK_COMPLETE stack must be deleted first.
		return nil, &cfnError{Code: cfnCodeAlreadyExists, Status: 400, Message: "Stack [" + clip(name) + "] already exists"}
	} else if !errors.Is(err, stack.ErrStackNotFound) {
		return nil, err
	}
	return h.deploy(ctx, region, name, body, params, tg)
}

func (h *CloudFormation) updateStack(ctx context.Context, region string, f cfnForm) (any, error) {
	s, err := requireStackName(f)
	if err != nil {
		return nil, err
	}
	st, err := h.describe(ctx, region, s)
	if err != nil {
		return nil, err
	}
	switch st.Status {
	case stack.StatusRollbackComplete, stack.StatusCreateFailed, stack.StatusDeleteFailed, stack.StatusDeleteComplete:
		// [obs] a stack whose creation failed can only be deleted (the
		// engine would replace it, as sam deploy does); [obs: §7] the
		// same answer for a deleted stack named by its id.
		return nil, validationError(fmt.Sprintf("Stack:%s is in %s state and can not be updated.", st.ID, st.Status))
	}
	var body string
	if f.bool("UsePreviousTemplate") {
		if body, err = h.eng.Template(ctx, region, st.ID); err != nil {
			return nil, err
		}
	} else if body, err = templateBody(f); err != nil {
		return nil, err
	}
	params, err := parameters(f, st.Parameters, false)
	if err != nil {
		return nil, err
	}
	tg, err := tags(f)
	if err != nil {
		return nil, err
	}
	return h.deploy(ctx, region, st.Name, body, params, tg)
}

// deploy runs a create or update to its end. A resource failure rolls the
// stack back inside the engine; as on AWS, the call itself succeeds and
// the stack's status and events tell the story.
//
// The deploy is detached from the request's cancellation: on AWS a stack
// operation outlives the call that started it, and a client that hangs up
// must not leave the operation half done.
//
// tags nil keeps the stack's tags (UpdateStack without Tags); a deploy
// that changes only the tags is an update, not "No updates are to be
// performed." (the engine decides).
func (h *CloudFormation) deploy(ctx context.Context, region, name, body string, params map[string]string, tags []stack.Tag) (any, error) {
	ctx = context.WithoutCancel(ctx)
	res, err := h.eng.Deploy(ctx, region, name, body, params, stack.Options{Strict: strict(tags), Tags: tags})
	if errors.Is(err, stack.ErrDeployFailed) {
		if res.StackID == "" {
			// The rollback failed too; the stack is left in a failed
			// state, which DescribeStacks shows.
			st, derr := h.eng.Describe(ctx, region, name)
			if derr != nil {
				return nil, err
			}
			res.StackID = st.ID
		}
		h.log.InfoContext(ctx, "stack deploy rolled back", "stack", name, "region", region, "err", err)
		return cfnStackIDResult{StackID: res.StackID}, nil
	}
	if err != nil {
		return nil, err
	}
	if res.NoChanges {
		// [obs]
		return nil, validationError("No updates are to be performed.")
	}
	return cfnStackIDResult{StackID: res.StackID}, nil
}

func (h *CloudFormation) deleteStack(ctx context.Context, region string, f cfnForm) (any, error) {
	s, err := requireStackName(f)
	if err != nil {
		return nil, err
	}
	name, wantID := stackName(s)
	if wantID != "" {
		st, err := h.eng.Describe(ctx, region, name)
		if errors.Is(err, stack.ErrStackNotFound) || (err == nil && st.ID != wantID) {
			return nil, nil // [doc] deleting a stack that is gone succeeds.
		}
		if err != nil {
			return nil, err
		}
	}
	// Detached from the request's cancellation, as deploy is.
	err = h.eng.Delete(context.WithoutCancel(ctx), region, name, nil)
	if errors.Is(err, stack.ErrStackNotFound) {
		return nil, nil // [doc] deleting a stack that does not exist succeeds.
	}
	return nil, err
}

func wireStack(st stack.StackInfo) cfnStack {
	w := cfnStack{StackID: st.ID, StackName: st.Name, CreationTime: isoTime(st.CreatedAt),
		StackStatus: st.Status, StackStatusReason: st.StatusReason}
	if !st.UpdatedAt.IsZero() && !st.UpdatedAt.Equal(st.CreatedAt) {
		w.LastUpdatedTime = isoTime(st.UpdatedAt)
	}
	for _, p := range st.Parameters {
		// StackInfo already masks NoEcho values as ****.
		w.Parameters = append(w.Parameters, cfnParameter{ParameterKey: p.Key, ParameterValue: p.Value, ResolvedValue: p.ResolvedValue})
	}
	for _, o := range st.Outputs {
		w.Outputs = append(w.Outputs, cfnOutput{OutputKey: o.Key, OutputValue: o.Value, Description: o.Description, ExportName: o.ExportName})
	}
	for _, t := range st.Tags {
		w.Tags = append(w.Tags, cfnTag{Key: t.Key, Value: t.Value})
	}
	w.DeletionTime = isoTime(st.DeletedAt)
	w.DriftInformation.StackDriftStatus = driftNotChecked
	return w
}

func (h *CloudFormation) describeStacks(ctx context.Context, region string, f cfnForm) (any, error) {
	if s := f.get("StackName"); s != "" {
		st, err := h.describe(ctx, region, s)
		if err != nil {
			return nil, err
		}
		return cfnDescribeStacksResult{Stacks: []cfnStack{wireStack(st)}}, nil
	}
	// Without a name: the live stacks only [doc].
	all, err := h.eng.List(ctx, region)
	if err != nil {
		return nil, err
	}
	lo, hi, next, err := page(f, "DescribeStacks", len(all))
	if err != nil {
		return nil, err
	}
	out := cfnDescribeStacksResult{Stacks: make([]cfnStack, 0, hi-lo), NextToken: next}
	for _, st := range all[lo:hi] {
		out.Stacks = append(out.Stacks, wireStack(st))
	}
	return out, nil
}

// listStacks lists the live stacks and those deleted in the last 90 days
// [doc], optionally filtered by status.
func (h *CloudFormation) listStacks(ctx context.Context, region string, f cfnForm) (any, error) {
	all, err := h.eng.ListWithDeleted(ctx, region)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, s := range f.list("StackStatusFilter") {
		want[s] = true
	}
	kept := all[:0]
	for _, st := range all {
		if len(want) == 0 || want[st.Status] {
			kept = append(kept, st)
		}
	}
	lo, hi, next, err := page(f, "ListStacks", len(kept))
	if err != nil {
		return nil, err
	}
	out := cfnListStacksResult{NextToken: next}
	for _, st := range kept[lo:hi] {
		s := cfnStackSummary{StackID: st.ID, StackName: st.Name, CreationTime: isoTime(st.CreatedAt),
			StackStatus: st.Status, StackStatusReason: st.StatusReason, DeletionTime: isoTime(st.DeletedAt)}
		if st.DeletedAt.IsZero() && !st.UpdatedAt.IsZero() && !st.UpdatedAt.Equal(st.CreatedAt) {
			s.LastUpdatedTime = isoTime(st.UpdatedAt)
		}
		s.DriftInformation.StackDriftStatus = driftNotChecked
		out.StackSummaries = append(out.StackSummaries, s)
	}
	return out, nil
}

// stackResources returns the stack named by s and its resources.
func (h *CloudFormation) stackResources(ctx context.Context, region, s string) (stack.StackInfo, []stack.ResourceInfo, error) {
	st, err := h.describe(ctx, region, s)
	if err != nil {
		return st, nil, err
	}
	rs, err := h.eng.Resources(ctx, region, st.ID)
	if errors.Is(err, stack.ErrStackNotFound) {
		return st, nil, validationError("Stack with id " + clip(s) + " does not exist")
	}
	return st, rs, err
}

func (h *CloudFormation) describeStackResources(ctx context.Context, region string, f cfnForm) (any, error) {
	s := f.get("StackName")
	phys := f.get("PhysicalResourceId")
	if s == "" && phys == "" {
		// [doc] one of the two is required; [guess] text.
		return nil, validationError("Either StackName or PhysicalResourceId must be specified.")
	}
	var stacks []stack.StackInfo
	if s != "" {
		st, err := h.describe(ctx, region, s)
		if err != nil {
			return nil, err
		}
		stacks = []stack.StackInfo{st}
	} else {
		all, err := h.eng.List(ctx, region)
		if err != nil {
			return nil, err
		}
		stacks = all
	}
	logical := f.get("LogicalResourceId")
	var out cfnDescribeStackResourcesResult
	for _, st := range stacks {
		rs, err := h.eng.Resources(ctx, region, st.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if (logical != "" && r.LogicalID != logical) || (phys != "" && r.PhysicalID != phys) {
				continue
			}
			w := cfnStackResource{StackName: st.Name, StackID: st.ID, LogicalResourceID: r.LogicalID,
				PhysicalResourceID: r.PhysicalID, ResourceType: r.Type, Timestamp: isoTime(r.UpdatedAt), ResourceStatus: r.Status}
			w.DriftInformation.StackResourceDriftStatus = driftNotChecked
			out.StackResources = append(out.StackResources, w)
		}
	}
	if s == "" && len(out.StackResources) == 0 {
		// [obs-common] text for a physical id no stack owns.
		return nil, validationError("Stack for " + clip(phys) + " does not exist")
	}
	return out, nil
}

func (h *CloudFormation) describeStackResource(ctx context.Context, region string, f cfnForm) (any, error) {
	s, err := requireStackName(f)
	if err != nil {
		return nil, err
	}
	logical := f.get("LogicalResourceId")
	if logical == "" {
		return nil, validationError("LogicalResourceId is a required parameter.") // [guess] after StackName's text
	}
	st, rs, err := h.stackResources(ctx, region, s)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.LogicalID == logical {
			d := cfnStackResourceDetail{StackName: st.Name, StackID: st.ID, LogicalResourceID: r.LogicalID,
				PhysicalResourceID: r.PhysicalID, ResourceType: r.Type, LastUpdatedTimestamp: isoTime(r.UpdatedAt), ResourceStatus: r.Status}
			d.DriftInformation.StackResourceDriftStatus = driftNotChecked
			return cfnDescribeStackResourceResult{StackResourceDetail: d}, nil
		}
	}
	// [obs-common]
	return nil, validationError("Resource " + clip(logical) + " does not exist for stack " + clip(s))
}

func (h *CloudFormation) listStackResources(ctx context.Context, region string, f cfnForm) (any, error) {
	s, err := requireStackName(f)
	if err != nil {
		return nil, err
	}
	_, rs, err := h.stackResources(ctx, region, s)
	if err != nil {
		return nil, err
	}
	lo, hi, next, err := page(f, "ListStackResources", len(rs))
	if err != nil {
		return nil, err
	}
	out := cfnListStackResourcesResult{NextToken: next}
	for _, r := range rs[lo:hi] {
		w := cfnStackResourceSummary{LogicalResourceID: r.LogicalID, PhysicalResourceID: r.PhysicalID,
			ResourceType: r.Type, LastUpdatedTimestamp: isoTime(r.UpdatedAt), ResourceStatus: r.Status}
		w.DriftInformation.StackResourceDriftStatus = driftNotChecked
		out.StackResourceSummaries = append(out.StackResourceSummaries, w)
	}
	return out, nil
}

func (h *CloudFormation) describeStackEvents(ctx context.Context, region string, f cfnForm) (any, error) {
	s, err := requireStackName(f)
	if err != nil {
		return nil, err
	}
	st, err := h.describe(ctx, region, s)
	if err != nil {
		return nil, err
	}
	evs, err := h.eng.Events(ctx, region, st.ID)
	if err != nil {
		return nil, err
	}
	// Events come newest first, and new ones arrive at the front while a
	// caller pages, so a page is named by the position, counted from the
	// oldest end, of its first event: that position never changes. (A
	// stack with no events yet has an empty first page.)
	first := len(evs) - 1
	if tok := f.get("NextToken"); tok != "" {
		n, ok := readPageToken(tok, "DescribeStackEvents")
		if !ok || n >= len(evs) {
			return nil, errInvalidNextToken
		}
		first = n
	}
	start := len(evs) - 1 - first // evs is newest first
	end := min(start+cfnPageSize, len(evs))
	out := cfnDescribeStackEventsResult{StackEvents: make([]cfnStackEvent, 0, end-start)}
	if end < len(evs) {
		out.NextToken = pageToken("DescribeStackEvents", len(evs)-1-end)
	}
	for i := start; i < end; i++ {
		ev := evs[i]
		// An event's position from the oldest end is also what keeps its
		// id the same across calls (sam deploy and other pollers
		// de-duplicate by EventId).
		seq := len(evs) - 1 - i
		out.StackEvents = append(out.StackEvents, cfnStackEvent{StackID: st.ID, EventID: eventID(st.ID, seq, ev),
			StackName: st.Name, LogicalResourceID: ev.LogicalID, PhysicalResourceID: ev.PhysicalID, ResourceType: ev.Type,
			Timestamp: isoTime(ev.Time), ResourceStatus: ev.Status, ResourceStatusReason: ev.Reason})
	}
	return out, nil
}

// eventID is a stable id for the seq-th event of a stack. AWS uses
// "<LogicalId>-<Status>-<timestamp>" for resource events and a UUID for
// the stack's own events [obs: §7]; Cognate derives the UUID from the
// event, so it is the same on every call.
func eventID(stackID string, seq int, ev stack.Event) string {
	if ev.Type != "AWS::CloudFormation::Stack" {
		return ev.LogicalID + "-" + ev.Status + "-" + string(isoTime(ev.Time))
	}
	sum := sha256.Sum256([]byte(stackID + "\x00" + strconv.Itoa(seq) + "\x00" + ev.Status + "\x00" + ev.Time.UTC().Format(time.RFC3339Nano)))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (h *CloudFormation) getTemplate(ctx context.Context, region string, f cfnForm) (any, error) {
	if f.get("ChangeSetName") != "" {
		// TODO(cloudformation api): change sets are not built.
		return nil, validationError("Cognate does not implement change sets yet")
	}
	s, err := requireStackName(f)
	if err != nil {
		return nil, err
	}
	st, err := h.describe(ctx, region, s)
	if err != nil {
		return nil, err
	}
	body, err := h.eng.Template(ctx, region, st.ID)
	if err != nil {
		return nil, err
	}
	// [guess] Only the original template is kept; a TemplateStage of
	// Processed gets it too, and only Original is listed as available.
	return cfnGetTemplateResult{TemplateBody: body, StagesAvailable: []string{"Original"}}, nil
}

// cfnPageSize is how many items a page of DescribeStacks, ListStacks,
// ListStackResources and DescribeStackEvents holds. [obs-common] AWS
// answers 100 stacks or 100 events a page (callers with more than 100
// stacks report needing NextToken; DescribeStackEvents "returns 100 at a
// time"); the API reference only says the output is paged past 1 MB.
const cfnPageSize = 100

// errInvalidNextToken answers a NextToken this server did not issue for
// this action. [guess] AWS's wording for a bad token is not recorded.
var errInvalidNextToken = validationError("Invalid NextToken")

// pageToken is the NextToken naming the n-th item of action's list.
func pageToken(action string, n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(action + ":" + strconv.Itoa(n)))
}

// readPageToken reads a pageToken of action.
func readPageToken(tok, action string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(b), action+":")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 || strconv.Itoa(n) != rest {
		return 0, false
	}
	return n, true
}

// page returns the bounds, within a list of n items, of the page the
// call's NextToken names (the first page without one), and the NextToken
// of the page after it ("" on the last page). [guess] The stacks and
// resources lists are paged by position: an item created or deleted
// between two calls shifts the later pages by one, which AWS, paging by
// an opaque token of its own, may not do.
func page(f cfnForm, action string, n int) (lo, hi int, next string, err error) {
	if tok := f.get("NextToken"); tok != "" {
		var ok bool
		if lo, ok = readPageToken(tok, action); !ok || lo > n {
			return 0, 0, "", errInvalidNextToken
		}
	}
	hi = min(lo+cfnPageSize, n)
	if hi < n {
		next = pageToken(action, hi)
	}
	return lo, hi, next, nil
}

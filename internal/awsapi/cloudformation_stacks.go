package awsapi

import (
	"context"
	"crypto/sha256"
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

type cfnStack struct {
	StackID                     string         `xml:"StackId"`
	StackName                   string         `xml:"StackName"`
	Parameters                  []cfnParameter `xml:"Parameters>member"`
	CreationTime                cfnTime        `xml:"CreationTime"`
	LastUpdatedTime             cfnTime        `xml:"LastUpdatedTime,omitempty"`
	StackStatus                 string         `xml:"StackStatus"`
	StackStatusReason           string         `xml:"StackStatusReason,omitempty"`
	DisableRollback             bool           `xml:"DisableRollback"`
	Outputs                     []cfnOutput    `xml:"Outputs>member"`
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
	Stacks []cfnStack `xml:"Stacks>member"`
}

type cfnListStacksResult struct {
	StackSummaries []cfnStackSummary `xml:"StackSummaries>member"`
}

type cfnDescribeStackResourcesResult struct {
	StackResources []cfnStackResource `xml:"StackResources>member"`
}

type cfnDescribeStackResourceResult struct {
	StackResourceDetail cfnStackResourceDetail `xml:"StackResourceDetail"`
}

type cfnListStackResourcesResult struct {
	StackResourceSummaries []cfnStackResourceSummary `xml:"StackResourceSummaries>member"`
}

type cfnDescribeStackEventsResult struct {
	StackEvents []cfnStackEvent `xml:"StackEvents>member"`
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

// describe returns the stack named by s (a name or an id).
func (h *CloudFormation) describe(ctx context.Context, region, s string) (stack.StackInfo, error) {
	name, wantID := stackName(s)
	st, err := h.eng.Describe(ctx, region, name)
	if err == nil && wantID != "" && st.ID != wantID {
		err = fmt.Errorf("%w: Stack with id %s does not exist", stack.ErrStackNotFound, s)
	}
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
// fails the deploy instead of being recorded with a warning. Tags are
// otherwise stored by AWS and ignored here, so the same call is valid
// against AWS (`cognate deploy --strict` sends it).
const StrictTag = "cognate:strict"

// strictTag reports whether the request carries StrictTag = "true".
func strictTag(f cfnForm) bool {
	for _, n := range f.members("Tags") {
		p := "Tags.member." + strconv.Itoa(n) + "."
		if f.get(p+"Key") == StrictTag && strings.EqualFold(f.get(p+"Value"), "true") {
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
	if _, err := h.eng.Describe(ctx, region, name); err == nil {
		// [obs] even a ROLLBACK_COMPLETE stack must be deleted first.
		return nil, &cfnError{Code: cfnCodeAlreadyExists, Status: 400, Message: "Stack [" + clip(name) + "] already exists"}
	} else if !errors.Is(err, stack.ErrStackNotFound) {
		return nil, err
	}
	return h.deploy(ctx, region, name, body, params, strictTag(f))
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
	var body string
	if f.bool("UsePreviousTemplate") {
		if body, err = h.eng.Template(ctx, region, st.Name); err != nil {
			return nil, err
		}
	} else if body, err = templateBody(f); err != nil {
		return nil, err
	}
	params, err := parameters(f, st.Parameters, false)
	if err != nil {
		return nil, err
	}
	switch st.Status {
	case stack.StatusRollbackComplete, stack.StatusCreateFailed, stack.StatusDeleteFailed:
		// [obs] a stack whose creation failed can only be deleted (the
		// engine would replace it, as sam deploy does).
		return nil, validationError(fmt.Sprintf("Stack:%s is in %s state and can not be updated.", st.ID, st.Status))
	}
	return h.deploy(ctx, region, st.Name, body, params, strictTag(f))
}

// deploy runs a create or update to its end. A resource failure rolls the
// stack back inside the engine; as on AWS, the call itself succeeds and
// the stack's status and events tell the story.
//
// The deploy is detached from the request's cancellation: on AWS a stack
// operation outlives the call that started it, and a client that hangs up
// must not leave the operation half done.
func (h *CloudFormation) deploy(ctx context.Context, region, name, body string, params map[string]string, strict bool) (any, error) {
	ctx = context.WithoutCancel(ctx)
	res, err := h.eng.Deploy(ctx, region, name, body, params, stack.Options{Strict: strict})
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
	all, err := h.eng.List(ctx, region)
	if err != nil {
		return nil, err
	}
	out := cfnDescribeStacksResult{Stacks: make([]cfnStack, 0, len(all))}
	for _, st := range all {
		out.Stacks = append(out.Stacks, wireStack(st))
	}
	return out, nil
}

func (h *CloudFormation) listStacks(ctx context.Context, region string, f cfnForm) (any, error) {
	all, err := h.eng.List(ctx, region)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, s := range f.list("StackStatusFilter") {
		want[s] = true
	}
	var out cfnListStacksResult
	for _, st := range all {
		if len(want) > 0 && !want[st.Status] {
			continue
		}
		s := cfnStackSummary{StackID: st.ID, StackName: st.Name, CreationTime: isoTime(st.CreatedAt),
			StackStatus: st.Status, StackStatusReason: st.StatusReason}
		if !st.UpdatedAt.IsZero() && !st.UpdatedAt.Equal(st.CreatedAt) {
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
	rs, err := h.eng.Resources(ctx, region, st.Name)
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
		rs, err := h.eng.Resources(ctx, region, st.Name)
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
	var out cfnListStackResourcesResult
	for _, r := range rs {
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
	evs, err := h.eng.Events(ctx, region, st.Name)
	if err != nil {
		return nil, err
	}
	out := cfnDescribeStackEventsResult{StackEvents: make([]cfnStackEvent, 0, len(evs))}
	for i, ev := range evs {
		// Events come newest first; an event's position from the oldest
		// end never changes, so its id stays the same across calls (sam
		// deploy and other pollers de-duplicate by EventId).
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
	body, err := h.eng.Template(ctx, region, st.Name)
	if err != nil {
		return nil, err
	}
	// [guess] Only the original template is kept; a TemplateStage of
	// Processed gets it too, and only Original is listed as available.
	return cfnGetTemplateResult{TemplateBody: body, StagesAvailable: []string{"Original"}}, nil
}

package awsapi

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/requestid"
	"github.com/cognatehq/cognate/internal/sigv4"
	"github.com/cognatehq/cognate/internal/stack"
)

// The AWS CloudFormation API (cloudformation 2010-05-15) over the AWS Query
// protocol: POST / with a form body "Action=<Op>&Version=2010-05-15&...",
// lists flattened as "Name.member.N", answers in XML
// (<OpResponse><OpResult>...</OpResult><ResponseMetadata>), and errors as
// <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>.
// APIGATEWAY.md §7 holds the wire facts, §8 the SigV4 answers.

// cfnSigningName is the service name in a CloudFormation request's SigV4
// scope; Cognate's router can tell CloudFormation calls by it.
const cfnSigningName = "cloudformation"

// cfnVersion is the API version every CloudFormation call names.
const cfnVersion = "2010-05-15"

// cfnNamespace is the XML namespace of every answer [obs].
const cfnNamespace = "http://cloudformation.amazonaws.com/doc/2010-05-15/"

// contentTypeForm is the media type of a Query protocol request.
const contentTypeForm = "application/x-www-form-urlencoded"

// maxMembers bounds N in a "Name.member.N" list key. CloudFormation's
// largest lists (200 parameters, 50 tags, 5 000 retained resources [doc:
// quotas]) fit under it; it only stops a request from naming index 2^62.
const maxMembers = 10000

// CloudFormation serves the stack part of the AWS CloudFormation API over
// the AWS Query protocol. Mount it where a form-encoded POST / signed for
// the service "cloudformation" arrives; it checks method, content type,
// body size and SigV4 itself, and answers every failure in the XML error
// envelope. It is safe for concurrent use.
//
// It implements CreateStack, UpdateStack, DeleteStack, DescribeStacks,
// ListStacks, DescribeStackResources, DescribeStackResource,
// ListStackResources, DescribeStackEvents, GetTemplate and
// ValidateTemplate. Deploys run
// synchronously: CreateStack answers once the stack is CREATE_COMPLETE or
// rolled back, so a DescribeStacks right after sees the final status.
// Every other action of the model is answered with InvalidAction saying
// Cognate does not implement it.
type CloudFormation struct {
	eng      *stack.Engine
	verifier *sigv4.Verifier
	log      *slog.Logger
	actions  map[string]cfnAction
}

// cfnAction is one implemented action: it reads its input from the form
// and returns the body of its <ActionResult> element (nil for none).
type cfnAction func(ctx context.Context, region string, f cfnForm) (any, error)

// NewCloudFormation returns the CloudFormation API handler.
//
// verifier checks SigV4 on every action (all of CloudFormation's need IAM
// credentials): the credential scope must name the service cloudformation,
// in any region, and the call's region is the region of that scope; stacks
// are per region. defaultRegion is unused today: every CloudFormation
// action is signed, so a call's region is always its scope's; it is taken
// for symmetry with NewCognito and NewSSM. engine and verifier must not be
// nil.
//
// log receives one record per failed call: server faults at error level
// with their detail, client errors at debug level. Request bodies
// (templates, parameter values) are never logged.
func NewCloudFormation(engine *stack.Engine, verifier *sigv4.Verifier, defaultRegion string, log *slog.Logger) http.Handler {
	if engine == nil || verifier == nil {
		panic("awsapi: the CloudFormation API needs a stack engine and a SigV4 verifier")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &CloudFormation{eng: engine, verifier: verifier, log: log}
	h.actions = map[string]cfnAction{
		"CreateStack":            h.createStack,
		"UpdateStack":            h.updateStack,
		"DeleteStack":            h.deleteStack,
		"DescribeStacks":         h.describeStacks,
		"ListStacks":             h.listStacks,
		"DescribeStackResources": h.describeStackResources,
		"DescribeStackResource":  h.describeStackResource,
		"ListStackResources":     h.listStackResources,
		"DescribeStackEvents":    h.describeStackEvents,
		"GetTemplate":            h.getTemplate,
		"ValidateTemplate":       h.validateTemplate,
	}
	return h
}

// ServeHTTP answers one API call. Every answer carries x-amzn-RequestId:
// the request id of the context (set by the server), or a fresh one; XML
// answers carry it in their body too.
func (h *CloudFormation) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := requestid.FromContext(r.Context())
	if id == "" {
		id = requestid.New()
		r = r.WithContext(requestid.NewContext(r.Context(), id))
	}
	w.Header().Set("x-amzn-RequestId", id)
	action := ""
	defer func() {
		// A panic below is a bug; answer it in the AWS envelope (nothing
		// has been written yet: answers are written whole at the end).
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			e := toCFNError(fmt.Errorf("panic: %v", p))
			h.logFailure(r.Context(), action, e)
			writeCFNError(w, id, e)
		}
	}()
	if err := h.serve(w, r, id, &action); err != nil {
		e := toCFNError(err)
		h.logFailure(r.Context(), action, e)
		writeCFNError(w, id, e)
	}
}

func (h *CloudFormation) serve(w http.ResponseWriter, r *http.Request, id string, action *string) error {
	if r.Method != http.MethodPost {
		// [guess] AWS also takes GET with the query in the URL; Cognate
		// takes the form body the SDKs and the CLI send.
		w.Header().Set("Allow", http.MethodPost)
		return &cfnError{Code: cfnCodeInvalidAction, Status: http.StatusMethodNotAllowed,
			Message: "The CloudFormation API takes POST / with a form-encoded body"}
	}
	if err := checkFormContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	body, aerr := readBody(r)
	if aerr != nil {
		return &cfnError{Code: cfnCodeMalformedQuery, Status: http.StatusBadRequest, Message: aerr.Message}
	}
	// SigV4 first: a caller that is not authenticated learns nothing
	// about the actions. The action name is only read for the log.
	if vals, err := url.ParseQuery(string(body)); err == nil {
		*action = clip(vals.Get("Action"))
	}
	res, err := h.verifier.VerifyScope(r, body, sigv4.Scope{Service: cfnSigningName})
	if err != nil {
		return err
	}
	name, f, derr := decodeCFNRequest(body)
	if derr != nil {
		return derr
	}
	region := res.Region
	if !identity.ValidRegion(region) {
		// [guess] wording after AWS's "Credential should be scoped to a
		// valid region".
		return &cfnError{Code: cfnCodeSignatureDoesNotMatch, Status: http.StatusForbidden,
			Message: fmt.Sprintf("Credential should be scoped to a valid region, not '%s'.", clip(region))}
	}
	out, err := h.actions[name](r.Context(), region, f)
	if err != nil {
		return err
	}
	return writeCFNResult(w, id, name, out)
}

// decodeCFNRequest parses a Query protocol body and resolves its action.
// It runs every check a body gets before the engine sees it, except
// SigV4; it is what the fuzz test exercises. name is set as soon as the
// body names an action, even one that fails.
func decodeCFNRequest(body []byte) (name string, f cfnForm, err *cfnError) {
	vals, perr := url.ParseQuery(string(body))
	if perr != nil {
		// [guess] AWS's code for a body it cannot parse; the common
		// errors list MalformedQueryString.
		return "", cfnForm{}, &cfnError{Code: cfnCodeMalformedQuery, Status: http.StatusBadRequest,
			Message: "The request body is not a valid form-encoded query string"}
	}
	f = cfnForm{vals}
	name = f.get("Action")
	if name == "" {
		// [doc: common errors] MissingAction.
		return "", f, &cfnError{Code: cfnCodeMissingAction, Status: http.StatusBadRequest,
			Message: "The request must contain the parameter Action"}
	}
	if v := f.get("Version"); v != "" && v != cfnVersion {
		// [guess] text; AWS answers an unknown version with the same
		// InvalidAction as an unknown action.
		return name, f, &cfnError{Code: cfnCodeInvalidAction, Status: http.StatusBadRequest,
			Message: fmt.Sprintf("Could not find operation %s for version %s", clip(name), clip(v))}
	}
	if _, ok := cfnModelActions[name]; !ok {
		// [obs-common: STS, IAM] text for an action the service lacks.
		return name, f, &cfnError{Code: cfnCodeInvalidAction, Status: http.StatusBadRequest,
			Message: fmt.Sprintf("Could not find operation %s for version %s", clip(name), cfnVersion)}
	}
	if _, ok := cfnImplemented[name]; !ok {
		// [guess] Cognate's own answer for an action of the model it does
		// not build yet.
		return name, f, &cfnError{Code: cfnCodeInvalidAction, Status: http.StatusBadRequest,
			Message: "Cognate does not implement " + name + " yet"}
	}
	if err := f.check(); err != nil {
		return name, f, err
	}
	return name, f, nil
}

// checkFormContentType accepts application/x-www-form-urlencoded with any
// parameters (charset). [guess] AWS's answer to another type is not
// recorded.
func checkFormContentType(ct string) *cfnError {
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil && strings.EqualFold(mt, contentTypeForm) {
		return nil
	}
	return &cfnError{Code: cfnCodeMalformedQuery, Status: http.StatusBadRequest,
		Message: fmt.Sprintf("Content-Type %q is not supported; send %s", clip(ct), contentTypeForm)}
}

// cfnForm is a decoded Query protocol body.
type cfnForm struct{ v url.Values }

// get returns the first value of key, or "".
func (f cfnForm) get(key string) string { return f.v.Get(key) }

// has reports whether key was sent at all.
func (f cfnForm) has(key string) bool { _, ok := f.v[key]; return ok }

// bool reads a boolean member; absent or unreadable is false (check has
// already rejected unreadable ones).
func (f cfnForm) bool(key string) bool {
	b, _ := strconv.ParseBool(f.get(key))
	return b
}

// members returns, in index order, the N of every "prefix.member.N" or
// "prefix.member.N.<field>" key. Malformed indexes were rejected by check.
func (f cfnForm) members(prefix string) []int {
	p := prefix + ".member."
	seen := map[int]bool{}
	for k := range f.v {
		rest, ok := strings.CutPrefix(k, p)
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, ".")
		if n, err := strconv.Atoi(num); err == nil && n >= 1 && n <= maxMembers {
			seen[n] = true
		}
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// list returns the values of a list of strings ("prefix.member.N").
func (f cfnForm) list(prefix string) []string {
	var out []string
	for _, n := range f.members(prefix) {
		if k := prefix + ".member." + strconv.Itoa(n); f.has(k) {
			out = append(out, f.get(k))
		}
	}
	return out
}

// check rejects keys of the list forms whose index is not a number from 1
// to maxMembers, and booleans that are not true/false: what the Query
// protocol's deserializer refuses before an operation runs.
func (f cfnForm) check() *cfnError {
	for k, vs := range f.v {
		parts := strings.Split(k, ".")
		for i := 0; i+1 < len(parts); i++ {
			if parts[i] != "member" {
				continue
			}
			n, err := strconv.Atoi(parts[i+1])
			if err != nil || n < 1 || n > maxMembers || strconv.Itoa(n) != parts[i+1] {
				// [guess] text and code.
				return &cfnError{Code: cfnCodeValidation, Status: http.StatusBadRequest,
					Message: fmt.Sprintf("Invalid list index in parameter %s", clip(k))}
			}
		}
		if cfnBoolMembers[parts[len(parts)-1]] && len(vs) > 0 {
			if _, err := strconv.ParseBool(vs[0]); err != nil || (vs[0] != "true" && vs[0] != "false") {
				// [guess] Coral's wording for a value it cannot read.
				return &cfnError{Code: cfnCodeValidation, Status: http.StatusBadRequest,
					Message: fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must be a boolean", clip(vs[0]), clip(k))}
			}
		}
	}
	return nil
}

// cfnBoolMembers are the boolean members of the implemented actions'
// inputs.
var cfnBoolMembers = map[string]bool{
	"UsePreviousValue": true, "UsePreviousTemplate": true, "DisableRollback": true,
	"EnableTerminationProtection": true, "RetainExceptOnCreate": true,
}

// writeCFNResult writes a successful answer:
// <ActionResponse xmlns><ActionResult>out</ActionResult><ResponseMetadata>.
// A nil out writes no Result element (DeleteStack).
func writeCFNResult(w http.ResponseWriter, id, action string, out any) error {
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	root := xml.StartElement{Name: xml.Name{Local: action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: cfnNamespace}}}
	if err := enc.EncodeToken(root); err != nil {
		return err
	}
	if out != nil {
		if err := enc.EncodeElement(out, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			return fmt.Errorf("encode %s result: %w", action, err)
		}
	}
	if err := enc.EncodeElement(cfnResponseMetadata{RequestID: id}, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}}); err != nil {
		return err
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	writeXML(w, http.StatusOK, buf.Bytes())
	return nil
}

type cfnResponseMetadata struct {
	RequestID string `xml:"RequestId"`
}

func writeXML(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// logFailure logs a failed call once. Server faults go to the error level
// with their detail; client errors to debug. Bodies are never logged.
func (h *CloudFormation) logFailure(ctx context.Context, action string, e *cfnError) {
	attrs := []any{"action", action, "error_code", e.Code, "status", e.Status}
	if e.Status >= http.StatusInternalServerError {
		h.log.ErrorContext(ctx, "cloudformation call failed", append(attrs, "err", e.err)...)
		return
	}
	var se *sigv4.Error
	if errors.As(e.err, &se) && se.Detail != "" {
		attrs = append(attrs, "sigv4_detail", se.Detail)
	}
	h.log.DebugContext(ctx, "cloudformation call rejected", append(attrs, "message", e.Message)...)
}

// cfnImplemented lists the actions NewCloudFormation serves, for the
// request decoder (which runs before a handler exists).
var cfnImplemented = map[string]struct{}{
	"CreateStack": {}, "UpdateStack": {}, "DeleteStack": {}, "DescribeStacks": {}, "ListStacks": {},
	"DescribeStackResources": {}, "DescribeStackResource": {}, "ListStackResources": {},
	"DescribeStackEvents": {}, "GetTemplate": {}, "ValidateTemplate": {},
}

// cfnModelActions is every operation of the cloudformation 2010-05-15
// model (botocore service-2.json).
var cfnModelActions = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, s := range strings.Fields(`ActivateOrganizationsAccess ActivateType BatchDescribeTypeConfigurations
		CancelUpdateStack ContinueUpdateRollback CreateChangeSet CreateGeneratedTemplate CreateStack
		CreateStackInstances CreateStackRefactor CreateStackSet DeactivateOrganizationsAccess DeactivateType
		DeleteChangeSet DeleteGeneratedTemplate DeleteStack DeleteStackInstances DeleteStackSet DeregisterType
		DescribeAccountLimits DescribeChangeSet DescribeChangeSetHooks DescribeEvents DescribeGeneratedTemplate
		DescribeOrganizationsAccess DescribePublisher DescribeResourceScan DescribeStackDriftDetectionStatus
		DescribeStackEvents DescribeStackInstance DescribeStackRefactor DescribeStackResource
		DescribeStackResourceDrifts DescribeStackResources DescribeStackSet DescribeStackSetOperation
		DescribeStacks DescribeType DescribeTypeRegistration DetectStackDrift DetectStackResourceDrift
		DetectStackSetDrift EstimateTemplateCost ExecuteChangeSet ExecuteStackRefactor GetGeneratedTemplate
		GetHookResult GetStackPolicy GetTemplate GetTemplateSummary ImportStacksToStackSet ListChangeSets
		ListExports ListGeneratedTemplates ListHookResults ListImports ListResourceScanRelatedResources
		ListResourceScanResources ListResourceScans ListStackInstanceResourceDrifts ListStackInstances
		ListStackRefactorActions ListStackRefactors ListStackResources ListStackSetAutoDeploymentTargets
		ListStackSetOperationResults ListStackSetOperations ListStackSets ListStacks ListTypeRegistrations
		ListTypeVersions ListTypes PublishType RecordHandlerProgress RegisterPublisher RegisterType
		RollbackStack SetStackPolicy SetTypeConfiguration SetTypeDefaultVersion SignalResource
		StartResourceScan StopStackSetOperation TestType UpdateGeneratedTemplate UpdateStack
		UpdateStackInstances UpdateStackSet UpdateTerminationProtection ValidateTemplate`) {
		m[s] = struct{}{}
	}
	return m
}()

package awsapi

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// wantAPIError checks that err is an SDK API error with the code and a
// message containing msg.
func wantAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T), want an API error %s", err, err, code)
	}
	if ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msg) {
		t.Fatalf("error %s: %q, want %s containing %q", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

func outputsOf(st types.Stack) map[string]types.Output {
	m := map[string]types.Output{}
	for _, o := range st.Outputs {
		m[aws.ToString(o.OutputKey)] = o
	}
	return m
}

// TestCloudFormationStackLifecycle drives create, describe, the resource
// and event listings, GetTemplate, updates and delete through the SDK.
func TestCloudFormationStackLifecycle(t *testing.T) {
	e := newCFNEnv(t)
	ctx := context.Background()
	c := e.client

	created, err := c.CreateStack(ctx, &awscfn.CreateStackInput{
		StackName:    aws.String("auth"),
		TemplateBody: aws.String(cfnAuthTemplate),
		Parameters:   []types.Parameter{{ParameterKey: aws.String("DomainName"), ParameterValue: aws.String("andmoredev")}},
		Capabilities: []types.Capability{types.CapabilityCapabilityIam, types.CapabilityCapabilityAutoExpand},
	})
	if err != nil {
		t.Fatalf("CreateStack: %v", err)
	}
	id := aws.ToString(created.StackId)
	if !regexp.MustCompile(`^arn:aws:cloudformation:us-east-1:000000000000:stack/auth/[0-9a-f-]{36}$`).MatchString(id) {
		t.Errorf("StackId %q", id)
	}

	// The waiter the CLI's "wait stack-create-complete" uses succeeds at
	// once: the deploy ran synchronously.
	w := awscfn.NewStackCreateCompleteWaiter(c, func(o *awscfn.StackCreateCompleteWaiterOptions) { o.MinDelay = time.Millisecond })
	if err := w.Wait(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("auth")}, 5*time.Second); err != nil {
		t.Fatalf("stack-create-complete waiter: %v", err)
	}

	ds, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("auth")})
	if err != nil {
		t.Fatalf("DescribeStacks: %v", err)
	}
	if len(ds.Stacks) != 1 {
		t.Fatalf("%d stacks", len(ds.Stacks))
	}
	st := ds.Stacks[0]
	if aws.ToString(st.StackId) != id || aws.ToString(st.StackName) != "auth" || st.StackStatus != types.StackStatusCreateComplete {
		t.Errorf("stack %s %s %s", aws.ToString(st.StackId), aws.ToString(st.StackName), st.StackStatus)
	}
	if st.CreationTime == nil || time.Since(*st.CreationTime) > time.Minute {
		t.Errorf("CreationTime %v", st.CreationTime)
	}
	outs := outputsOf(st)
	poolID := aws.ToString(outs["CognitoUserPoolId"].OutputValue)
	if !regexp.MustCompile(`^us-east-1_[0-9A-Za-z]+$`).MatchString(poolID) ||
		aws.ToString(outs["CognitoUserPoolId"].Description) != "The shared user pool" ||
		aws.ToString(outs["CognitoUserPoolId"].ExportName) != "auth-PoolId" {
		t.Errorf("output CognitoUserPoolId %+v", outs["CognitoUserPoolId"])
	}
	if got := aws.ToString(outs["TokenUrl"].OutputValue); got != "https://andmoredev.auth.us-east-1.amazoncognito.com/oauth2/token" {
		t.Errorf("TokenUrl %q", got)
	}
	params := map[string]string{}
	for _, p := range st.Parameters {
		params[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
	}
	if params["DomainName"] != "andmoredev" || params["Secret"] != "****" {
		t.Errorf("parameters %v (NoEcho must be ****)", params)
	}

	// The stack's SSM parameter holds the pool id.
	if v, err := e.params.GetParameter(ctx, testRegion, "/auth/CognitoUserPoolId", false); err != nil || v.Value != poolID {
		t.Errorf("SSM /auth/CognitoUserPoolId: %+v %v", v, err)
	}

	// By stack id too.
	if ds, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String(id)}); err != nil || aws.ToString(ds.Stacks[0].StackName) != "auth" {
		t.Errorf("DescribeStacks by id: %v", err)
	}
	all, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{})
	if err != nil || len(all.Stacks) != 1 {
		t.Errorf("DescribeStacks without a name: %v %v", all, err)
	}

	res, err := c.DescribeStackResources(ctx, &awscfn.DescribeStackResourcesInput{StackName: aws.String("auth")})
	if err != nil {
		t.Fatalf("DescribeStackResources: %v", err)
	}
	byID := map[string]types.StackResource{}
	for _, r := range res.StackResources {
		byID[aws.ToString(r.LogicalResourceId)] = r
	}
	if r := byID["Pool"]; aws.ToString(r.PhysicalResourceId) != poolID || aws.ToString(r.ResourceType) != "AWS::Cognito::UserPool" ||
		r.ResourceStatus != types.ResourceStatusCreateComplete || aws.ToString(r.StackId) != id || r.Timestamp == nil {
		t.Errorf("Pool resource %+v", r)
	}
	if len(byID) != 4 {
		t.Errorf("resources %v", byID)
	}
	one, err := c.DescribeStackResources(ctx, &awscfn.DescribeStackResourcesInput{PhysicalResourceId: aws.String(poolID)})
	if err != nil || len(one.StackResources) != 1 || aws.ToString(one.StackResources[0].StackName) != "auth" {
		t.Errorf("DescribeStackResources by physical id: %+v %v", one, err)
	}
	detail, err := c.DescribeStackResource(ctx, &awscfn.DescribeStackResourceInput{StackName: aws.String("auth"), LogicalResourceId: aws.String("Domain")})
	if err != nil || aws.ToString(detail.StackResourceDetail.PhysicalResourceId) != "andmoredev" {
		t.Errorf("DescribeStackResource: %+v %v", detail, err)
	}
	lr, err := c.ListStackResources(ctx, &awscfn.ListStackResourcesInput{StackName: aws.String("auth")})
	if err != nil || len(lr.StackResourceSummaries) != 4 {
		t.Errorf("ListStackResources: %+v %v", lr, err)
	}

	ev, err := c.DescribeStackEvents(ctx, &awscfn.DescribeStackEventsInput{StackName: aws.String("auth")})
	if err != nil {
		t.Fatalf("DescribeStackEvents: %v", err)
	}
	if n := len(ev.StackEvents); n < 8 {
		t.Fatalf("%d events", n)
	}
	first, last := ev.StackEvents[0], ev.StackEvents[len(ev.StackEvents)-1]
	if aws.ToString(first.LogicalResourceId) != "auth" || first.ResourceStatus != types.ResourceStatusCreateComplete ||
		aws.ToString(first.ResourceType) != "AWS::CloudFormation::Stack" {
		t.Errorf("newest event %+v", first)
	}
	if last.ResourceStatus != types.ResourceStatusCreateInProgress || aws.ToString(last.ResourceStatusReason) != "User Initiated" {
		t.Errorf("oldest event %+v", last)
	}
	seen := map[string]bool{}
	for _, x := range ev.StackEvents {
		eid := aws.ToString(x.EventId)
		if eid == "" || seen[eid] || aws.ToString(x.StackId) != id || x.Timestamp == nil {
			t.Errorf("event %+v: empty or repeated id, or wrong stack", x)
		}
		seen[eid] = true
	}
	again, _ := c.DescribeStackEvents(ctx, &awscfn.DescribeStackEventsInput{StackName: aws.String("auth")})
	if aws.ToString(again.StackEvents[0].EventId) != aws.ToString(first.EventId) {
		t.Errorf("event ids change between calls")
	}

	tpl, err := c.GetTemplate(ctx, &awscfn.GetTemplateInput{StackName: aws.String("auth")})
	if err != nil || aws.ToString(tpl.TemplateBody) != cfnAuthTemplate {
		t.Errorf("GetTemplate: %q %v", aws.ToString(tpl.TemplateBody), err)
	}

	ls, err := c.ListStacks(ctx, &awscfn.ListStacksInput{StackStatusFilter: []types.StackStatus{types.StackStatusCreateComplete}})
	if err != nil || len(ls.StackSummaries) != 1 || aws.ToString(ls.StackSummaries[0].StackName) != "auth" {
		t.Errorf("ListStacks: %+v %v", ls, err)
	}
	ls, err = c.ListStacks(ctx, &awscfn.ListStacksInput{StackStatusFilter: []types.StackStatus{types.StackStatusUpdateComplete}})
	if err != nil || len(ls.StackSummaries) != 0 {
		t.Errorf("ListStacks filtered: %+v %v", ls, err)
	}

	// Creating it again is AlreadyExistsException.
	_, err = c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("auth"), TemplateBody: aws.String(cfnAuthTemplate)})
	var exists *types.AlreadyExistsException
	if !errors.As(err, &exists) {
		t.Fatalf("CreateStack twice: %v, want AlreadyExistsException", err)
	}
	wantAPIError(t, err, "AlreadyExistsException", "Stack [auth] already exists")

	// The same template and parameters: no updates.
	_, err = c.UpdateStack(ctx, &awscfn.UpdateStackInput{
		StackName:    aws.String("auth"),
		TemplateBody: aws.String(cfnAuthTemplate),
		Parameters:   []types.Parameter{{ParameterKey: aws.String("DomainName"), UsePreviousValue: aws.Bool(true)}},
	})
	wantAPIError(t, err, "ValidationError", "No updates are to be performed.")

	// A new domain name needs a new domain, which the pool cannot have
	// while it has the old one: as on AWS, the call succeeds and the
	// stack rolls back, which the update waiter reports as a failure.
	up, err := c.UpdateStack(ctx, &awscfn.UpdateStackInput{
		StackName:           aws.String(id),
		UsePreviousTemplate: aws.Bool(true),
		Parameters:          []types.Parameter{{ParameterKey: aws.String("DomainName"), ParameterValue: aws.String("other")}},
	})
	if err != nil || aws.ToString(up.StackId) != id {
		t.Fatalf("UpdateStack: %v %v", up, err)
	}
	uw := awscfn.NewStackUpdateCompleteWaiter(c, func(o *awscfn.StackUpdateCompleteWaiterOptions) { o.MinDelay = time.Millisecond })
	if err := uw.Wait(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("auth")}, 5*time.Second); err == nil {
		t.Errorf("the update waiter succeeded on a rolled-back update")
	}
	ds, _ = c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("auth")})
	if st := ds.Stacks[0]; st.StackStatus != types.StackStatusUpdateRollbackComplete ||
		aws.ToString(outputsOf(st)["TokenUrl"].OutputValue) != "https://andmoredev.auth.us-east-1.amazoncognito.com/oauth2/token" {
		t.Errorf("after a failed update: %s %v", st.StackStatus, outputsOf(st))
	}

	// A new label, previous template and domain: updated in place.
	up, err = c.UpdateStack(ctx, &awscfn.UpdateStackInput{
		StackName:           aws.String("auth"),
		UsePreviousTemplate: aws.Bool(true),
		Parameters: []types.Parameter{
			{ParameterKey: aws.String("DomainName"), UsePreviousValue: aws.Bool(true)},
			{ParameterKey: aws.String("Label"), ParameterValue: aws.String("v2")},
		},
	})
	if err != nil || aws.ToString(up.StackId) != id {
		t.Fatalf("UpdateStack: %v %v", up, err)
	}
	if err := uw.Wait(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("auth")}, 5*time.Second); err != nil {
		t.Fatalf("stack-update-complete waiter: %v", err)
	}
	ds, _ = c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("auth")})
	if st := ds.Stacks[0]; st.StackStatus != types.StackStatusUpdateComplete || st.LastUpdatedTime == nil ||
		aws.ToString(outputsOf(st)["CognitoUserPoolId"].OutputValue) != poolID {
		t.Errorf("after update: %s %v", st.StackStatus, outputsOf(st))
	}
	if v, err := e.params.GetParameter(ctx, testRegion, "/auth/Label", false); err != nil || v.Value != "v2" {
		t.Errorf("SSM /auth/Label: %+v %v", v, err)
	}

	// Delete, then it is gone; deleting again succeeds, as on AWS.
	if _, err := c.DeleteStack(ctx, &awscfn.DeleteStackInput{StackName: aws.String("auth")}); err != nil {
		t.Fatalf("DeleteStack: %v", err)
	}
	dw := awscfn.NewStackDeleteCompleteWaiter(c, func(o *awscfn.StackDeleteCompleteWaiterOptions) { o.MinDelay = time.Millisecond })
	if err := dw.Wait(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("auth")}, 5*time.Second); err != nil {
		t.Fatalf("stack-delete-complete waiter: %v", err)
	}
	_, err = c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("auth")})
	wantAPIError(t, err, "ValidationError", "Stack with id auth does not exist")
	if _, err := e.params.GetParameter(ctx, testRegion, "/auth/CognitoUserPoolId", false); err == nil {
		t.Errorf("the stack's SSM parameter outlived it")
	}
	if _, err := c.DeleteStack(ctx, &awscfn.DeleteStackInput{StackName: aws.String("auth")}); err != nil {
		t.Errorf("DeleteStack of a deleted stack: %v", err)
	}
	if _, err := c.DeleteStack(ctx, &awscfn.DeleteStackInput{StackName: aws.String(id)}); err != nil {
		t.Errorf("DeleteStack of a deleted stack by id: %v", err)
	}
}

// TestCloudFormationFailedCreate: a resource failure is not an API error,
// as on AWS: CreateStack returns the stack id and the stack is
// ROLLBACK_COMPLETE, which the create waiter reports as a failure.
func TestCloudFormationFailedCreate(t *testing.T) {
	e := newCFNEnv(t)
	ctx := context.Background()
	c := e.client
	out, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("bad"), TemplateBody: aws.String(cfnFailingTemplate)})
	if err != nil {
		t.Fatalf("CreateStack: %v", err)
	}
	ds, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("bad")})
	if err != nil {
		t.Fatal(err)
	}
	st := ds.Stacks[0]
	if st.StackStatus != types.StackStatusRollbackComplete || aws.ToString(st.StackId) != aws.ToString(out.StackId) {
		t.Fatalf("status %s", st.StackStatus)
	}
	w := awscfn.NewStackCreateCompleteWaiter(c, func(o *awscfn.StackCreateCompleteWaiterOptions) { o.MinDelay = time.Millisecond })
	if err := w.Wait(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("bad")}, 5*time.Second); err == nil {
		t.Errorf("the create waiter succeeded on a rolled-back stack")
	}
	ev, err := c.DescribeStackEvents(ctx, &awscfn.DescribeStackEventsInput{StackName: aws.String("bad")})
	if err != nil {
		t.Fatal(err)
	}
	failed := false
	for _, x := range ev.StackEvents {
		if aws.ToString(x.LogicalResourceId) == "Client" && x.ResourceStatus == types.ResourceStatusCreateFailed &&
			strings.Contains(aws.ToString(x.ResourceStatusReason), "AllowedOAuthScopes") {
			failed = true
		}
	}
	if !failed {
		t.Errorf("no CREATE_FAILED event for Client naming the property: %+v", ev.StackEvents)
	}
	res, err := c.DescribeStackResources(ctx, &awscfn.DescribeStackResourcesInput{StackName: aws.String("bad")})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.StackResources {
		if r.ResourceStatus == types.ResourceStatusCreateComplete {
			t.Errorf("resource left after the rollback: %+v", r)
		}
	}

	// As on AWS: a rolled-back stack can be neither updated nor created
	// again; only deleted.
	_, err = c.UpdateStack(ctx, &awscfn.UpdateStackInput{StackName: aws.String("bad"), TemplateBody: aws.String(cfnAuthTemplate)})
	wantAPIError(t, err, "ValidationError", "is in ROLLBACK_COMPLETE state and can not be updated.")
	_, err = c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("bad"), TemplateBody: aws.String(cfnAuthTemplate)})
	wantAPIError(t, err, "AlreadyExistsException", "Stack [bad] already exists")
	if _, err := c.DeleteStack(ctx, &awscfn.DeleteStackInput{StackName: aws.String("bad")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("bad"),
		TemplateBody: aws.String(strings.Replace(cfnFailingTemplate, "api/write", "api/read", 1))}); err != nil {
		t.Fatalf("CreateStack after delete: %v", err)
	}
	ds, _ = c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("bad")})
	if ds.Stacks[0].StackStatus != types.StackStatusCreateComplete {
		t.Errorf("status %s", ds.Stacks[0].StackStatus)
	}
}

// TestCloudFormationValidationErrors checks the ValidationError answers
// that reach the SDK.
func TestCloudFormationValidationErrors(t *testing.T) {
	e := newCFNEnv(t)
	ctx := context.Background()
	c := e.client
	for _, tc := range []struct {
		name    string
		call    func() error
		code    string
		message string
	}{
		{"template not YAML", func() error {
			_, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("s"), TemplateBody: aws.String("Resources: [")})
			return err
		}, "ValidationError", "YAML not well-formed"},
		{"no resources", func() error {
			_, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("s"), TemplateBody: aws.String("Outputs: {}\n")})
			return err
		}, "ValidationError", "at least one resource must be defined"},
		{"TemplateURL", func() error {
			_, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("s"), TemplateURL: aws.String("https://s3.amazonaws.com/b/t.yaml")})
			return err
		}, "ValidationError", "TemplateBody only"},
		{"no template", func() error {
			_, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("s")})
			return err
		}, "ValidationError", "Either Template URL or Template Body must be specified."},
		{"UsePreviousValue on create", func() error {
			_, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("s"), TemplateBody: aws.String(cfnAuthTemplate),
				Parameters: []types.Parameter{{ParameterKey: aws.String("DomainName"), UsePreviousValue: aws.Bool(true)}}})
			return err
		}, "ValidationError", "Cannot specify usePreviousValue as true"},
		{"update missing stack", func() error {
			_, err := c.UpdateStack(ctx, &awscfn.UpdateStackInput{StackName: aws.String("nope"), TemplateBody: aws.String(cfnAuthTemplate)})
			return err
		}, "ValidationError", "Stack with id nope does not exist"},
		{"events of missing stack", func() error {
			_, err := c.DescribeStackEvents(ctx, &awscfn.DescribeStackEventsInput{StackName: aws.String("nope")})
			return err
		}, "ValidationError", "Stack with id nope does not exist"},
		{"template of missing stack id", func() error {
			_, err := c.GetTemplate(ctx, &awscfn.GetTemplateInput{StackName: aws.String("arn:aws:cloudformation:us-east-1:000000000000:stack/nope/0d5d0b9e-0000-4000-8000-000000000000")})
			return err
		}, "ValidationError", "Stack with id arn:aws:cloudformation:us-east-1:000000000000:stack/nope/"},
		{"describe without a stack", func() error {
			_, err := c.DescribeStackResources(ctx, &awscfn.DescribeStackResourcesInput{})
			return err
		}, "ValidationError", "Either StackName or PhysicalResourceId"},
		{"not implemented", func() error {
			_, err := c.CreateChangeSet(ctx, &awscfn.CreateChangeSetInput{StackName: aws.String("s"), ChangeSetName: aws.String("c"), TemplateBody: aws.String(cfnAuthTemplate)})
			return err
		}, "InvalidAction", "Cognate does not implement CreateChangeSet yet"},
		{"validate a bad template", func() error {
			_, err := c.ValidateTemplate(ctx, &awscfn.ValidateTemplateInput{TemplateBody: aws.String("Resources:\n  A: {Properties: {}}\n")})
			return err
		}, "ValidationError", "Resources/A"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, tc.call(), tc.code, tc.message)
		})
	}
	// Nothing was created by any of them.
	if ds, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{}); err != nil || len(ds.Stacks) != 0 {
		t.Errorf("stacks after failed calls: %+v %v", ds, err)
	}
}

// TestCloudFormationWire checks the XML bodies, statuses and headers
// exactly, including the SigV4 answers of the Query protocol.
func TestCloudFormationWire(t *testing.T) {
	e := newCFNEnv(t)
	ns := `xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"`
	errBody := regexp.MustCompile(`^<ErrorResponse ` + regexp.QuoteMeta(ns) +
		`><Error><Type>(Sender|Receiver)</Type><Code>([A-Za-z]+)</Code><Message>([^<]*)</Message></Error><RequestId>([0-9a-f-]+)</RequestId></ErrorResponse>$`)
	for _, tc := range []struct {
		name, contentType, body, service string
		status                           int
		code, message                    string
	}{
		{"missing stack", contentTypeForm, "Action=DescribeStacks&Version=2010-05-15&StackName=nope", cfnSigningName,
			400, "ValidationError", "Stack with id nope does not exist"},
		{"missing StackName", contentTypeForm, "Action=DescribeStackEvents&Version=2010-05-15", cfnSigningName,
			400, "ValidationError", "StackName is a required parameter."},
		{"unsigned", contentTypeForm, "Action=DescribeStacks&Version=2010-05-15", "",
			403, "MissingAuthenticationToken", "Request is missing Authentication Token"},
		{"signed for another service", contentTypeForm, "Action=DescribeStacks&Version=2010-05-15", "ssm",
			403, "SignatureDoesNotMatch", "Credential should be scoped to correct service"},
		{"unknown action", contentTypeForm, "Action=FlyStack&Version=2010-05-15", cfnSigningName,
			400, "InvalidAction", "Could not find operation FlyStack for version 2010-05-15"},
		{"no action", contentTypeForm, "Version=2010-05-15", cfnSigningName,
			400, "MissingAction", "The request must contain the parameter Action"},
		{"bad list index", contentTypeForm, "Action=ListStacks&Version=2010-05-15&StackStatusFilter.member.0=CREATE_COMPLETE", cfnSigningName,
			400, "ValidationError", "Invalid list index"},
		{"bad boolean", contentTypeForm, "Action=UpdateStack&Version=2010-05-15&StackName=s&UsePreviousTemplate=yes", cfnSigningName,
			400, "ValidationError", "Member must be a boolean"},
		{"JSON body", contentTypeJSON11, "{}", cfnSigningName,
			400, "MalformedQueryString", "is not supported"},
		{"text in a message is escaped", contentTypeForm, "Action=DescribeStacks&Version=2010-05-15&StackName=%3Cb%3E", cfnSigningName,
			400, "ValidationError", "Stack with id &lt;b&gt; does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.raw(t, tc.contentType, tc.body, tc.service, testRegion)
			m := errBody.FindStringSubmatch(r.body)
			if r.status != tc.status || m == nil || m[2] != tc.code || !strings.Contains(m[3], tc.message) {
				t.Fatalf("got %d %s, want %d %s %q", r.status, r.body, tc.status, tc.code, tc.message)
			}
			if m[1] != "Sender" || r.header.Get("Content-Type") != "text/xml" || r.header.Get("x-amzn-RequestId") != m[4] {
				t.Errorf("type %s, headers %v", m[1], r.header)
			}
		})
	}

	// A success: DeleteStack has no Result element, only the metadata.
	r := e.call(t, "Action=DeleteStack&Version=2010-05-15&StackName=nope")
	want := `<DeleteStackResponse ` + ns + `><ResponseMetadata><RequestId>` + r.header.Get("x-amzn-RequestId") +
		`</RequestId></ResponseMetadata></DeleteStackResponse>`
	if r.status != http.StatusOK || r.body != want {
		t.Errorf("DeleteStack: %d %s\nwant %s", r.status, r.body, want)
	}
	r = e.call(t, "Action=CreateStack&Version=2010-05-15&StackName=w&TemplateBody="+
		"Resources%3A%0A%20%20P%3A%0A%20%20%20%20Type%3A%20AWS%3A%3ASSM%3A%3AParameter%0A%20%20%20%20Properties%3A%20%7BName%3A%20%2Fw%2Fp%2C%20Type%3A%20String%2C%20Value%3A%20v%7D%0A")
	if r.status != http.StatusOK || !regexp.MustCompile(`^<CreateStackResponse `+regexp.QuoteMeta(ns)+
		`><CreateStackResult><StackId>arn:aws:cloudformation:us-east-1:000000000000:stack/w/[0-9a-f-]{36}</StackId></CreateStackResult>`+
		`<ResponseMetadata><RequestId>[0-9a-f-]+</RequestId></ResponseMetadata></CreateStackResponse>$`).MatchString(r.body) {
		t.Errorf("CreateStack: %d %s", r.status, r.body)
	}
	r = e.call(t, "Action=DescribeStacks&Version=2010-05-15&StackName=w")
	for _, part := range []string{
		`<DescribeStacksResult><Stacks><member><StackId>arn:aws:cloudformation:us-east-1:000000000000:stack/w/`,
		`<StackName>w</StackName>`, `<StackStatus>CREATE_COMPLETE</StackStatus>`,
		`<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation></member></Stacks></DescribeStacksResult>`,
	} {
		if !strings.Contains(r.body, part) {
			t.Errorf("DescribeStacks body lacks %s:\n%s", part, r.body)
		}
	}
	if !regexp.MustCompile(`<CreationTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z</CreationTime>`).MatchString(r.body) {
		t.Errorf("CreationTime not ISO 8601: %s", r.body)
	}
}

// TestCloudFormationBadSignature: with credentials configured, a wrong
// secret is a 403 SignatureDoesNotMatch, an unknown key a 403
// InvalidClientTokenId, as the Query protocol answers.
func TestCloudFormationBadSignature(t *testing.T) {
	e := newCFNEnv(t)
	ctx := context.Background()
	for _, tc := range []struct{ key, secret, code string }{
		{testAccessKey, "wrong", "SignatureDoesNotMatch"},
		{"AKIDUNKNOWN", testSecretKey, "InvalidClientTokenId"},
	} {
		c := awscfn.New(awscfn.Options{Region: testRegion, BaseEndpoint: aws.String(e.srv.URL), HTTPClient: e.srv.Client(),
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: tc.key, SecretAccessKey: tc.secret}, nil
			}), RetryMaxAttempts: 1})
		_, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{})
		var re interface{ HTTPStatusCode() int }
		if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusForbidden {
			t.Errorf("%s: %v, want status 403", tc.code, err)
		}
		wantAPIError(t, err, tc.code, "")
	}
}

// TestCloudFormationDeleteInUse: deleting a stack whose export another
// stack imports is refused with a ValidationError naming that stack, and
// both stacks stay.
func TestCloudFormationDeleteInUse(t *testing.T) {
	e := newCFNEnv(t)
	ctx := context.Background()
	c := e.client
	if _, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("auth"), TemplateBody: aws.String(cfnAuthTemplate)}); err != nil {
		t.Fatal(err)
	}
	api := "Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties: {Name: /api/pool, Type: String, Value: !ImportValue auth-PoolId}\n"
	if _, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("api"), TemplateBody: aws.String(api)}); err != nil {
		t.Fatal(err)
	}
	ds, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("api")})
	if err != nil || ds.Stacks[0].StackStatus != types.StackStatusCreateComplete {
		t.Fatalf("api stack: %v %v", ds, err)
	}
	_, err = c.DeleteStack(ctx, &awscfn.DeleteStackInput{StackName: aws.String("auth")})
	wantAPIError(t, err, "ValidationError", "Export auth-PoolId cannot be deleted as it is in use by api")
	if all, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{}); err != nil || len(all.Stacks) != 2 {
		t.Errorf("stacks after a refused delete: %v %v", all, err)
	}
}

// TestCloudFormationValidateTemplate: what a template declares.
func TestCloudFormationValidateTemplate(t *testing.T) {
	e := newCFNEnv(t)
	ctx := context.Background()
	out, err := e.client.ValidateTemplate(ctx, &awscfn.ValidateTemplateInput{TemplateBody: aws.String(cfnAuthTemplate)})
	if err != nil {
		t.Fatalf("ValidateTemplate: %v", err)
	}
	var got []string
	for _, p := range out.Parameters {
		got = append(got, aws.ToString(p.ParameterKey)+"="+aws.ToString(p.DefaultValue)+"/"+strings.ToLower(strconv.FormatBool(aws.ToBool(p.NoEcho))))
	}
	if strings.Join(got, " ") != "DomainName=andmoredev/false Secret=hunter2/true Label=v1/false" || len(out.Capabilities) != 0 {
		t.Errorf("parameters %v, capabilities %v", got, out.Capabilities)
	}
	iam := "Transform: AWS::Serverless-2016-10-31\nDescription: roles\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: r, AssumeRolePolicyDocument: {}}\n"
	out, err = e.client.ValidateTemplate(ctx, &awscfn.ValidateTemplateInput{TemplateBody: aws.String(iam)})
	if err != nil {
		t.Fatalf("ValidateTemplate: %v\n%s", err, e.logs.String())
	}
	if aws.ToString(out.Description) != "roles" || len(out.Capabilities) != 1 || out.Capabilities[0] != types.CapabilityCapabilityNamedIam ||
		aws.ToString(out.CapabilitiesReason) != "The following resource(s) require capabilities: [AWS::IAM::Role]" ||
		len(out.DeclaredTransforms) != 1 || out.DeclaredTransforms[0] != "AWS::Serverless-2016-10-31" {
		t.Errorf("IAM template: %+v", out)
	}
}

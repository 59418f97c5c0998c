package awsapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// firstLine returns the first line of an API error's message.
func firstLine(t *testing.T, err error) string {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T), want an API error", err, err)
	}
	if ae.ErrorCode() != "ValidationError" {
		t.Errorf("code %s, want ValidationError", ae.ErrorCode())
	}
	line, _, _ := strings.Cut(ae.ErrorMessage(), "\n")
	return line
}

// TestCloudFormationTemplateFormatErrors: a template CloudFormation would
// refuse gets AWS's message as the first line of the ValidationError, from
// CreateStack and ValidateTemplate alike; the engine's positions follow.
func TestCloudFormationTemplateFormatErrors(t *testing.T) {
	e := newCFNEnv(t)
	ctx := context.Background()
	const param = "    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: x}\n"
	for _, tc := range []struct {
		name, body, want string
		validate         bool // ValidateTemplate sees it too (it checks no references)
	}{
		{"YAML", "Resources: [", "Template format error: YAML not well-formed. (line 2, column 1)", true},
		{"JSON", `{"Resources": `, "Template format error: JSON not well-formed. (line 1, column 15)", true},
		{"no resources", "Outputs: {}\n", "Template format error: At least one Resources member must be defined.", true},
		{"no Type", "Resources:\n  A: {Properties: {}}\n", "Template format error: [/Resources/A] Every Resources object must contain a Type member.", true},
		{"output without Value", "Resources:\n  A:\n" + param + "Outputs:\n  O: {Description: x}\n", "Template format error: Every Outputs member must contain a Value object", true},
		{"unknown section", "Foo: 1\nBar: 2\nResources:\n  A:\n" + param, "Template format error: Invalid template property or properties [Foo, Bar]", true},
		{"Ref to nothing", "Resources:\n  A:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: !Ref B}\n  C:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: !Sub '${D}${B}'}\n",
			"Template format error: Unresolved resource dependencies [B, D] in the Resources block of the template", false},
		{"DependsOn nothing", "Resources:\n  C:\n    Type: AWS::SSM::Parameter\n    DependsOn: D\n    Properties: {Type: String, Value: x}\n",
			"Template format error: Unresolved resource dependencies [D] in the Resources block of the template", false},
		{"Output Ref to nothing", "Resources:\n  A:\n" + param + "Outputs:\n  O: {Value: !Ref Nope}\n",
			"Template format error: Unresolved resource dependencies [Nope] in the Outputs block of the template", false},
		{"GetAtt of nothing", "Resources:\n  A:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: !GetAtt B.Value}\n",
			"Template error: instance of Fn::GetAtt references undefined resource B", false},
		{"unknown function", "Resources:\n  A:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: {Fn::Nope: x}}\n",
			"Template error: Encountered unsupported function: Fn::Nope", false},
		{"parameter without value", "Parameters:\n  P: {Type: String}\nResources:\n  A:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: !Ref P}\n",
			"Parameters: [P] must have values", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.client.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("s"), TemplateBody: aws.String(tc.body)})
			if got := firstLine(t, err); got != tc.want {
				t.Errorf("CreateStack: first line %q, want %q", got, tc.want)
			}
			var ae smithy.APIError
			errors.As(err, &ae)
			if tc.want != "Parameters: [P] must have values" && !strings.Contains(ae.ErrorMessage(), "\n") {
				t.Errorf("the engine's detail is missing: %q", ae.ErrorMessage())
			}
			if tc.validate {
				_, err := e.client.ValidateTemplate(ctx, &awscfn.ValidateTemplateInput{TemplateBody: aws.String(tc.body)})
				if got := firstLine(t, err); got != tc.want {
					t.Errorf("ValidateTemplate: first line %q, want %q", got, tc.want)
				}
			}
		})
	}
}

func tagsOf(st types.Stack) string {
	var parts []string
	for _, tg := range st.Tags {
		parts = append(parts, aws.ToString(tg.Key)+"="+aws.ToString(tg.Value))
	}
	return strings.Join(parts, ",")
}

// TestCloudFormationTagsAndRollbackReason: tags are stored and described;
// UpdateStack without Tags keeps them, with Tags replaces them, and a
// change of tags alone is an update; a rolled-back create names the
// failed resource in its status reason.
func TestCloudFormationTagsAndRollbackReason(t *testing.T) {
	e := newCFNEnv(t)
	ctx := context.Background()
	c := e.client
	describe := func() types.Stack {
		t.Helper()
		ds, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("auth")})
		if err != nil {
			t.Fatal(err)
		}
		return ds.Stacks[0]
	}
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	if _, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("auth"), TemplateBody: aws.String(cfnAuthTemplate),
		Tags: []types.Tag{tag("team", "id"), tag("env", "dev")}}); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(describe()); got != "team=id,env=dev" {
		t.Errorf("tags after create %q", got)
	}
	_, err := c.UpdateStack(ctx, &awscfn.UpdateStackInput{StackName: aws.String("auth"), TemplateBody: aws.String(cfnAuthTemplate)})
	wantAPIError(t, err, "ValidationError", "No updates are to be performed.")
	if got := tagsOf(describe()); got != "team=id,env=dev" {
		t.Errorf("tags after an update without Tags %q", got)
	}
	if _, err := c.UpdateStack(ctx, &awscfn.UpdateStackInput{StackName: aws.String("auth"), TemplateBody: aws.String(cfnAuthTemplate),
		Tags: []types.Tag{tag("env", "prod")}}); err != nil {
		t.Fatalf("a tags-only update: %v", err)
	}
	st := describe()
	if got := tagsOf(st); got != "env=prod" || st.StackStatus != types.StackStatusUpdateComplete {
		t.Errorf("after a tags-only update: %s tags %q", st.StackStatus, got)
	}
	_, err = c.UpdateStack(ctx, &awscfn.UpdateStackInput{StackName: aws.String("auth"), TemplateBody: aws.String(cfnAuthTemplate),
		Tags: []types.Tag{tag("env", "prod")}})
	wantAPIError(t, err, "ValidationError", "No updates are to be performed.")

	if _, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("bad"), TemplateBody: aws.String(cfnFailingTemplate)}); err != nil {
		t.Fatal(err)
	}
	ds, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("bad")})
	if err != nil {
		t.Fatal(err)
	}
	want := "The following resource(s) failed to create: [Client]. Rollback requested by user."
	if got := aws.ToString(ds.Stacks[0].StackStatusReason); ds.Stacks[0].StackStatus != types.StackStatusRollbackComplete || got != want {
		t.Errorf("after a failed create: %s %q, want ROLLBACK_COMPLETE %q", ds.Stacks[0].StackStatus, got, want)
	}
}

// TestCloudFormationDeletedStacks: a deleted stack is listed by ListStacks
// at DELETE_COMPLETE with its DeletionTime, found by DescribeStacks and
// DescribeStackEvents by its id but not by its name, left out of
// DescribeStacks without a name, and cannot be updated.
func TestCloudFormationDeletedStacks(t *testing.T) {
	e := newCFNEnv(t)
	ctx := context.Background()
	c := e.client
	out, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("gone"), TemplateBody: aws.String(cfnAuthTemplate)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.StackId)
	if _, err := c.DeleteStack(ctx, &awscfn.DeleteStackInput{StackName: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	ls, err := c.ListStacks(ctx, &awscfn.ListStacksInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.StackSummaries) != 1 || ls.StackSummaries[0].StackStatus != types.StackStatusDeleteComplete ||
		aws.ToString(ls.StackSummaries[0].StackId) != id || ls.StackSummaries[0].DeletionTime == nil || aws.ToString(ls.StackSummaries[0].StackName) != "gone" {
		t.Errorf("ListStacks after delete: %+v", ls.StackSummaries)
	}
	ls, err = c.ListStacks(ctx, &awscfn.ListStacksInput{StackStatusFilter: []types.StackStatus{types.StackStatusCreateComplete}})
	if err != nil || len(ls.StackSummaries) != 0 {
		t.Errorf("ListStacks filtered on CREATE_COMPLETE: %+v %v", ls, err)
	}
	_, err = c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String("gone")})
	wantAPIError(t, err, "ValidationError", "Stack with id gone does not exist")
	ds, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{StackName: aws.String(id)})
	if err != nil {
		t.Fatalf("DescribeStacks by the deleted stack's id: %v", err)
	}
	if st := ds.Stacks[0]; st.StackStatus != types.StackStatusDeleteComplete || st.DeletionTime == nil || aws.ToString(st.StackName) != "gone" {
		t.Errorf("the deleted stack: %+v", st)
	}
	if ds, err := c.DescribeStacks(ctx, &awscfn.DescribeStacksInput{}); err != nil || len(ds.Stacks) != 0 {
		t.Errorf("DescribeStacks without a name lists deleted stacks: %+v %v", ds, err)
	}
	ev, err := c.DescribeStackEvents(ctx, &awscfn.DescribeStackEventsInput{StackName: aws.String(id)})
	if err != nil || len(ev.StackEvents) == 0 || ev.StackEvents[0].ResourceStatus != types.ResourceStatusDeleteComplete ||
		aws.ToString(ev.StackEvents[0].LogicalResourceId) != "gone" {
		t.Errorf("events of the deleted stack: %+v %v", ev, err)
	}
	_, err = c.UpdateStack(ctx, &awscfn.UpdateStackInput{StackName: aws.String(id), TemplateBody: aws.String(cfnAuthTemplate)})
	wantAPIError(t, err, "ValidationError", "Stack:"+id+" is in DELETE_COMPLETE state and can not be updated.")
	if _, err := c.DeleteStack(ctx, &awscfn.DeleteStackInput{StackName: aws.String(id)}); err != nil {
		t.Errorf("deleting a deleted stack by id: %v", err)
	}
	// The name is free again.
	if _, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("gone"), TemplateBody: aws.String(cfnAuthTemplate)}); err != nil {
		t.Fatalf("CreateStack with a deleted stack's name: %v", err)
	}
	ls, _ = c.ListStacks(ctx, &awscfn.ListStacksInput{})
	if len(ls.StackSummaries) != 2 || ls.StackSummaries[0].StackStatus != types.StackStatusCreateComplete ||
		ls.StackSummaries[1].StackStatus != types.StackStatusDeleteComplete {
		t.Errorf("ListStacks with a live and a deleted stack of one name: %+v", ls.StackSummaries)
	}
}

// TestCloudFormationPaging: ListStacks, DescribeStacks and
// DescribeStackEvents answer 100 items a page with a NextToken, which the
// SDK's paginators follow to the end without gaps or repeats; a token
// that is not one is refused.
func TestCloudFormationPaging(t *testing.T) {
	e := newCFNEnv(t)
	ctx := context.Background()
	c := e.client
	const stacks = 103
	for i := range stacks {
		body := fmt.Sprintf("Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties: {Name: /p/%d, Type: String, Value: x}\n", i)
		if _, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String(fmt.Sprintf("s%03d", i)), TemplateBody: aws.String(body)}); err != nil {
			t.Fatal(err)
		}
	}
	first, err := c.ListStacks(ctx, &awscfn.ListStacksInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.StackSummaries) != 100 || first.NextToken == nil {
		t.Fatalf("first ListStacks page: %d stacks, NextToken %v", len(first.StackSummaries), first.NextToken)
	}
	seen := map[string]bool{}
	p := awscfn.NewListStacksPaginator(c, &awscfn.ListStacksInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.StackSummaries {
			if seen[aws.ToString(s.StackName)] {
				t.Errorf("ListStacks gave %s twice", aws.ToString(s.StackName))
			}
			seen[aws.ToString(s.StackName)] = true
		}
	}
	if len(seen) != stacks {
		t.Errorf("ListStacks paginator saw %d stacks, want %d", len(seen), stacks)
	}
	n := 0
	dp := awscfn.NewDescribeStacksPaginator(c, &awscfn.DescribeStacksInput{})
	for dp.HasMorePages() {
		page, err := dp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Stacks)
	}
	if n != stacks {
		t.Errorf("DescribeStacks paginator saw %d stacks, want %d", n, stacks)
	}

	// A stack with 60 resources has 2 + 2*60 creation events.
	var b strings.Builder
	b.WriteString("Resources:\n")
	for i := range 60 {
		fmt.Fprintf(&b, "  P%d:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: x}\n", i)
	}
	if _, err := c.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("big"), TemplateBody: aws.String(b.String())}); err != nil {
		t.Fatal(err)
	}
	page1, err := c.DescribeStackEvents(ctx, &awscfn.DescribeStackEventsInput{StackName: aws.String("big")})
	if err != nil {
		t.Fatal(err)
	}
	if len(page1.StackEvents) != 100 || page1.NextToken == nil || page1.StackEvents[0].ResourceStatus != types.ResourceStatusCreateComplete {
		t.Fatalf("first events page: %d events, NextToken %v", len(page1.StackEvents), page1.NextToken)
	}
	var ids []string
	ep := awscfn.NewDescribeStackEventsPaginator(c, &awscfn.DescribeStackEventsInput{StackName: aws.String("big")})
	for ep.HasMorePages() {
		page, err := ep.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range page.StackEvents {
			ids = append(ids, aws.ToString(ev.EventId))
		}
	}
	if len(ids) != 122 || len(dedupeStrings(append([]string(nil), ids...))) != 122 {
		t.Errorf("events paginator saw %d events (%d distinct), want 122", len(ids), len(dedupeStrings(append([]string(nil), ids...))))
	}
	// The second page stays the same when new events arrive in between
	// (a tags-only update adds some).
	if _, err := c.UpdateStack(ctx, &awscfn.UpdateStackInput{StackName: aws.String("big"), TemplateBody: aws.String(b.String()),
		Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}); err != nil {
		t.Fatal(err)
	}
	page2, err := c.DescribeStackEvents(ctx, &awscfn.DescribeStackEventsInput{StackName: aws.String("big"), NextToken: page1.NextToken})
	if err != nil || len(page2.StackEvents) != 22 || aws.ToString(page2.StackEvents[0].EventId) != ids[100] || page2.NextToken != nil {
		t.Errorf("second events page: %d events %v", len(page2.StackEvents), err)
	}

	_, err = c.ListStacks(ctx, &awscfn.ListStacksInput{NextToken: aws.String("nope")})
	wantAPIError(t, err, "ValidationError", "Invalid NextToken")
	_, err = c.DescribeStackEvents(ctx, &awscfn.DescribeStackEventsInput{StackName: aws.String("big"), NextToken: first.NextToken})
	wantAPIError(t, err, "ValidationError", "Invalid NextToken")
}

// TestCloudFormationWarningsInEvents: a resource's warnings are the
// ResourceStatusReason of its CREATE_COMPLETE event, where `aws
// cloudformation describe-stack-events` and `cognate deploy` show them.
func TestCloudFormationWarningsInEvents(t *testing.T) {
	e := newCFNEnv(t)
	ctx := context.Background()
	body := "Resources:\n  Logs: {Type: AWS::Logs::LogGroup, Properties: {RetentionInDays: 7}}\n"
	if _, err := e.client.CreateStack(ctx, &awscfn.CreateStackInput{StackName: aws.String("w"), TemplateBody: aws.String(body)}); err != nil {
		t.Fatal(err)
	}
	ev, err := e.client.DescribeStackEvents(ctx, &awscfn.DescribeStackEventsInput{StackName: aws.String("w")})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ev.StackEvents {
		if aws.ToString(x.LogicalResourceId) == "Logs" && x.ResourceStatus == types.ResourceStatusCreateComplete {
			if got := aws.ToString(x.ResourceStatusReason); got != "resource type AWS::Logs::LogGroup is not emulated; recorded only" {
				t.Errorf("CREATE_COMPLETE reason %q", got)
			}
			return
		}
	}
	t.Errorf("no CREATE_COMPLETE event for Logs: %+v", ev.StackEvents)
}

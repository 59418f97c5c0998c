package stack_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/stack"
)

// TestArticleStacks deploys the article's two stacks: the auth stack
// writes the pool's id and ARN to SSM, the API stack reads them through
// SSM-typed parameters, and its client gets a token at once.
func TestArticleStacks(t *testing.T) {
	f := newFixture(t)
	t0 := time.Now()
	auth := f.mustDeploy("andmoredev-auth", authTemplate(t), map[string]string{"CognitoUserPoolDomainName": "andmoredev"})
	authTime := since(t0)
	if auth.Status != stack.StatusCreateComplete {
		t.Fatalf("auth status %s", auth.Status)
	}
	// A line per resource, as sam deploy prints.
	var lines []string
	for _, e := range f.events {
		lines = append(lines, e.Status+" "+e.Type+" "+e.LogicalID)
	}
	for _, want := range []string{
		"CREATE_IN_PROGRESS AWS::CloudFormation::Stack andmoredev-auth",
		"CREATE_COMPLETE AWS::Cognito::UserPool CognitoUserPool",
		"CREATE_COMPLETE AWS::Cognito::UserPoolDomain CognitoUserPoolDomain",
		"CREATE_COMPLETE AWS::SSM::Parameter CognitoUserPoolArnParameter",
		"CREATE_COMPLETE AWS::CloudFormation::Stack andmoredev-auth",
	} {
		if !containsLine(lines, want) {
			t.Errorf("events lack %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	pool := f.poolID()
	if got := output(auth, "CognitoUserPoolId"); got != pool {
		t.Errorf("output CognitoUserPoolId = %q, SSM has %q", got, pool)
	}
	arn, err := f.params.GetParameter(context.Background(), region, "/andmoredev-auth/CognitoUserPoolArn", false)
	if err != nil || arn.Value != "arn:aws:cognito-idp:us-east-1:123456789012:userpool/"+pool {
		t.Errorf("ARN parameter = %+v, %v", arn, err)
	}
	if got := output(auth, "TokenUrl"); got != "https://andmoredev.auth.us-east-1.amazoncognito.com/oauth2/token" {
		t.Errorf("TokenUrl = %q", got)
	}

	t0 = time.Now()
	api := f.mustDeploy("echo-api", apiTemplate(t), nil)
	apiTime := since(t0)
	clientID := output(api, "ClientId")
	if clientID == "" {
		t.Fatalf("no ClientId output: %+v", api.Outputs)
	}
	if len(api.Warnings) != 1 || !strings.Contains(api.Warnings[0], "AWS::Logs::LogGroup") {
		t.Errorf("warnings = %q, want one for the log group", api.Warnings)
	}
	if !strings.HasPrefix(output(api, "ClientName"), "CognitoTestAutomationClient-") {
		t.Errorf("ClientName output = %q", output(api, "ClientName"))
	}
	// The client, declared first without DependsOn, was created after the
	// resource server whose scope it names.
	if i, j := eventIndex(f.events, "EchoApiResourceServer", "CREATE_COMPLETE"), eventIndex(f.events, "CognitoTestAutomationClient", "CREATE_IN_PROGRESS"); i < 0 || j < i {
		t.Errorf("client started at event %d, resource server completed at %d", j, i)
	}
	if err := f.token(clientID, "echo-api/echo"); err != nil {
		t.Fatalf("token right after deploy: %v", err)
	}
	cl, _ := f.ids.DescribeUserPoolClient(context.Background(), region, pool, clientID)

	// Deploying again changes nothing.
	t0 = time.Now()
	again := f.mustDeploy("echo-api", apiTemplate(t), nil)
	noChange := since(t0)
	if !again.NoChanges || output(again, "ClientId") != clientID || len(f.events) != 0 {
		t.Errorf("redeploy: NoChanges=%v ClientId=%q events=%d", again.NoChanges, output(again, "ClientId"), len(f.events))
	}
	cl2, _ := f.ids.DescribeUserPoolClient(context.Background(), region, pool, clientID)
	if cl2.ClientSecret != cl.ClientSecret || cl2.ClientSecret == "" {
		t.Error("the client secret changed on a no-change redeploy")
	}
	if a := f.mustDeploy("andmoredev-auth", authTemplate(t), map[string]string{"CognitoUserPoolDomainName": "andmoredev"}); !a.NoChanges {
		t.Error("auth redeploy changed something")
	}
	t.Logf("timings: auth create %v, api create %v, no-change redeploy %v", authTime, apiTime, noChange)
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func eventIndex(evs []stack.Event, id, status string) int {
	for i, e := range evs {
		if e.LogicalID == id && e.Status == status {
			return i
		}
	}
	return -1
}

// TestDescribe reads back what the article's deploy recorded.
func TestDescribe(t *testing.T) {
	f := newFixture(t)
	deployArticle(t, f)
	ctx := context.Background()
	info, err := f.eng.Describe(ctx, region, "echo-api")
	if err != nil || info.Status != stack.StatusCreateComplete || len(info.Outputs) != 3 {
		t.Fatalf("Describe: %+v %v", info, err)
	}
	var resolved string
	for _, p := range info.Parameters {
		if p.Key == "CognitoUserPoolId" {
			resolved = p.ResolvedValue
			if p.Value != "/andmoredev-auth/CognitoUserPoolId" {
				t.Errorf("parameter value %q, want the SSM name", p.Value)
			}
		}
	}
	if resolved != f.poolID() {
		t.Errorf("ResolvedValue %q", resolved)
	}
	list, _ := f.eng.List(ctx, region)
	if len(list) != 2 {
		t.Errorf("List: %d stacks", len(list))
	}
	rs, _ := f.eng.Resources(ctx, region, "echo-api")
	if len(rs) != 3 || rs[0].LogicalID != "CognitoTestAutomationClient" {
		t.Errorf("Resources: %+v", rs)
	}
	evs, _ := f.eng.Events(ctx, region, "echo-api")
	if len(evs) == 0 || evs[0].Status != stack.StatusCreateComplete || evs[0].Type != "AWS::CloudFormation::Stack" {
		t.Errorf("newest event %+v", evs[0])
	}
	if body, _ := f.eng.Template(ctx, region, "echo-api"); body != apiTemplate(t) {
		t.Error("Template differs from what was deployed")
	}
	if _, err := f.eng.Describe(ctx, region, "nope"); !errors.Is(err, stack.ErrStackNotFound) {
		t.Errorf("Describe missing: %v", err)
	}
}

package stack_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/provider"
)

// TestUpdateInPlaceReplaceRemove: ClientName updates the client in place,
// GenerateSecret replaces it (the old one deleted in cleanup), and a
// resource removed from the template is deleted.
func TestUpdateInPlaceReplaceRemove(t *testing.T) {
	f := newFixture(t)
	clientID := deployArticle(t, f)
	pool := f.poolID()
	named := strings.Replace(apiTemplate(t), "      GenerateSecret: true\n", "      ClientName: automation\n      GenerateSecret: true\n", 1)
	res := f.mustDeploy("echo-api", named, nil)
	if res.Status != stack.StatusUpdateComplete || output(res, "ClientId") != clientID || output(res, "ClientName") != "automation" {
		t.Fatalf("in-place update: %+v", res)
	}
	public := publicClient(named)
	public = strings.Replace(public, "  EchoLogs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: 7\n", "", 1)
	public = strings.Replace(public, "  EchoApiResourceServer:", "  OldName:\n    Type: AWS::SSM::Parameter\n    Properties: {Name: /echo-api/name, Type: String, Value: !GetAtt CognitoTestAutomationClient.Name}\n\n  EchoApiResourceServer:", 1)
	res = f.mustDeploy("echo-api", public, nil)
	newID := output(res, "ClientId")
	if newID == clientID || newID == "" {
		t.Fatalf("GenerateSecret change did not replace the client: %q", newID)
	}
	if _, err := f.ids.DescribeUserPoolClient(context.Background(), region, pool, clientID); err == nil {
		t.Error("the replaced client still exists")
	}
	if eventIndex(f.events, "EchoLogs", "DELETE_COMPLETE") < 0 {
		t.Error("the removed log group was not deleted")
	}
	ids := f.resourceIDs("echo-api")
	if _, ok := ids["EchoLogs"]; ok || ids["CognitoTestAutomationClient"] != newID {
		t.Errorf("resources %v", ids)
	}
	p, err := f.params.GetParameter(context.Background(), region, "/echo-api/name", false)
	if err != nil || p.Value != "automation" {
		t.Errorf("GetAtt Name through a parameter: %+v %v", p, err)
	}
}

// crashAt deploys with a hook that panics at point for logical id, as a
// kill -9 would stop the process there.
func crashAt(t *testing.T, f *fixture, point, id, name, body string, params map[string]string) {
	t.Helper()
	f.eng.SetHook(func(p, lid string) {
		if p == point && (id == "" || lid == id) {
			panic("crash")
		}
	})
	func() {
		defer func() {
			if r := recover(); r != "crash" {
				t.Fatalf("the deploy did not reach %s %s (recovered %v)", point, id, r)
			}
		}()
		f.eng.Deploy(context.Background(), region, name, body, params, stack.Options{})
	}()
}

// TestCrashRecovery: a deploy stopped mid-way is rolled back by Recover on
// a new engine over the same store, for a first create and an update.
func TestCrashRecovery(t *testing.T) {
	t.Run("Create", func(t *testing.T) {
		f := newFixture(t)
		crashAt(t, f, "after-provider", "CognitoUserPoolArnParameter", "andmoredev-auth", authTemplate(t), nil)
		if s := f.status("andmoredev-auth"); s != stack.StatusCreateInProgress {
			t.Fatalf("status after crash %s", s)
		}
		f.open() // restart
		names, err := f.eng.Recover(context.Background())
		if err != nil || len(names) != 1 {
			t.Fatalf("Recover: %v %v", names, err)
		}
		if s := f.status("andmoredev-auth"); s != stack.StatusRollbackComplete {
			t.Errorf("status after recovery %s", s)
		}
		if n := f.pools(); n != 0 {
			t.Errorf("%d pools left", n)
		}
		for _, n := range []string{"/andmoredev-auth/CognitoUserPoolId", "/andmoredev-auth/CognitoUserPoolArn"} {
			if _, err := f.params.GetParameter(context.Background(), region, n, false); err == nil {
				t.Errorf("parameter %s left behind", n)
			}
		}
		if ids := f.resourceIDs("andmoredev-auth"); len(ids) != 0 {
			t.Errorf("resources left: %v", ids)
		}
		f.mustDeploy("andmoredev-auth", authTemplate(t), nil)
	})
	t.Run("Update", func(t *testing.T) {
		f := newFixture(t)
		clientID := deployArticle(t, f)
		changed := strings.Replace(apiTemplate(t), "      Name: Echo API\n", "      Name: Renamed\n", 1)
		changed = publicClient(changed)
		// Crash after the replacement client exists, before commit.
		crashAt(t, f, "before-commit", "", "echo-api", changed, nil)
		f.open()
		if _, err := f.eng.Recover(context.Background()); err != nil {
			t.Fatal(err)
		}
		if s := f.status("echo-api"); s != stack.StatusUpdateRollbackComplete {
			t.Errorf("status %s", s)
		}
		ids := f.resourceIDs("echo-api")
		if ids["CognitoTestAutomationClient"] != clientID {
			t.Errorf("client after recovery %v, want %s", ids, clientID)
		}
		cls, _, _ := f.ids.ListUserPoolClients(context.Background(), region, f.poolID(), "", 60)
		if len(cls) != 1 {
			t.Errorf("%d clients, want the original only", len(cls))
		}
		rs, _ := f.ids.DescribeResourceServer(context.Background(), region, f.poolID(), "echo-api")
		if rs.Name != "Echo API" {
			t.Errorf("resource server name %q after recovery", rs.Name)
		}
		if err := f.token(clientID, "echo-api/echo"); err != nil {
			t.Error(err)
		}
		if res := f.mustDeploy("echo-api", apiTemplate(t), nil); !res.NoChanges {
			t.Error("the previous version is not intact")
		}
	})
	t.Run("Cleanup", func(t *testing.T) {
		f := newFixture(t)
		clientID := deployArticle(t, f)
		changed := publicClient(apiTemplate(t))
		crashAt(t, f, "cleanup-delete", "CognitoTestAutomationClient", "echo-api", changed, nil)
		f.open()
		if _, err := f.eng.Recover(context.Background()); err != nil {
			t.Fatal(err)
		}
		if s := f.status("echo-api"); s != stack.StatusUpdateComplete {
			t.Errorf("status %s", s)
		}
		if _, err := f.ids.DescribeUserPoolClient(context.Background(), region, f.poolID(), clientID); err == nil {
			t.Error("the replaced client was not cleaned up")
		}
	})
}

// TestDeleteOrderAndRefusal: the auth stack cannot be deleted while the
// API stack reads its parameters, nor while a stack imports its export;
// deletion goes in reverse dependency order.
func TestDeleteOrderAndRefusal(t *testing.T) {
	f := newFixture(t)
	exporting := strings.Replace(authTemplate(t), "  CognitoUserPoolArn:\n    Value: !GetAtt CognitoUserPool.Arn\n",
		"  CognitoUserPoolArn:\n    Value: !GetAtt CognitoUserPool.Arn\n    Export:\n      Name: !Sub ${AWS::StackName}-PoolArn\n", 1)
	f.mustDeploy("andmoredev-auth", exporting, nil)
	f.mustDeploy("echo-api", apiTemplate(t), nil)
	f.mustDeploy("importer", `
Resources:
  Copy:
    Type: AWS::SSM::Parameter
    Properties: {Name: /importer/arn, Type: String, Value: !ImportValue andmoredev-auth-PoolArn}
`, nil)
	p, _ := f.params.GetParameter(context.Background(), region, "/importer/arn", false)
	if !strings.HasPrefix(p.Value, "arn:aws:cognito-idp:") {
		t.Errorf("imported value %q", p.Value)
	}
	ctx := context.Background()
	err := f.eng.Delete(ctx, region, "andmoredev-auth", nil)
	wantErrContains(t, err, stack.ErrInUse, "andmoredev-auth-PoolArn", "importer")
	if err := f.eng.Delete(ctx, region, "importer", nil); err != nil {
		t.Fatal(err)
	}
	err = f.eng.Delete(ctx, region, "andmoredev-auth", nil)
	wantErrContains(t, err, stack.ErrInUse, "echo-api")
	// The export cannot be dropped while imported, either.
	f.mustDeploy("importer", `
Resources:
  Copy:
    Type: AWS::SSM::Parameter
    Properties: {Name: /importer/arn, Type: String, Value: !ImportValue andmoredev-auth-PoolArn}
`, nil)
	_, err = f.deploy("andmoredev-auth", authTemplate(t), nil)
	wantErrContains(t, err, stack.ErrDeployFailed, "andmoredev-auth-PoolArn", "importer")
	_, err = f.deploy("andmoredev-auth", strings.Replace(exporting, "    Value: !GetAtt CognitoUserPool.Arn\n    Export:", "    Value: !Ref CognitoUserPool\n    Export:", 1), nil)
	wantErrContains(t, err, stack.ErrDeployFailed, "Cannot update export andmoredev-auth-PoolArn as it is in use by importer")
	must(t, f.eng.Delete(ctx, region, "importer", nil))

	var evs []stack.Event
	must(t, f.eng.Delete(ctx, region, "echo-api", nil))
	must(t, f.eng.Delete(ctx, region, "andmoredev-auth", func(e stack.Event) { evs = append(evs, e) }))
	var order []string
	for _, e := range evs {
		if e.Status == stack.StatusDeleteComplete && e.Type != "AWS::CloudFormation::Stack" {
			order = append(order, e.LogicalID)
		}
	}
	// Reverse of the creation order Pool, Domain, IdParameter, ArnParameter.
	want := "CognitoUserPoolArnParameter CognitoUserPoolIdParameter CognitoUserPoolDomain CognitoUserPool"
	if strings.Join(order, " ") != want {
		t.Errorf("delete order %v, want %s", order, want)
	}
	if n := f.pools(); n != 0 {
		t.Errorf("%d pools left", n)
	}
	if _, err := f.store.GetStack(ctx, region, "andmoredev-auth"); err == nil {
		t.Error("the stack record is still there")
	}
	wantErrContains(t, f.eng.Delete(ctx, region, "andmoredev-auth", nil), stack.ErrStackNotFound)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestParametersAndReferences covers parameter types and constraints,
// Conditions, Mappings, pseudo parameters, NoEcho masking and dynamic
// references.
func TestParametersAndReferences(t *testing.T) {
	f := newFixture(t)
	_, err := f.params.PutParameter(context.Background(), region, ssmPut("/shared/greeting", "hello"))
	must(t, err)
	tmpl := `
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}
  Sizes: {Type: List<Number>, Default: "1,2"}
  Names: {Type: CommaDelimitedList, Default: "a, b"}
  Secret: {Type: String, NoEcho: true, MinLength: 3}
  Code: {Type: String, AllowedPattern: "[A-Z]+", Default: ABC}
Mappings:
  Envs:
    dev: {Suffix: d}
    prod: {Suffix: p}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  A:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub "/${AWS::StackName}/${AWS::Region}/${AWS::AccountId}"
      Type: StringList
      Value: !Join [",", [!Select [1, !Ref Sizes], !Select [1, !Ref Names], !FindInMap [Envs, !Ref Env, Suffix], "{{resolve:ssm:/shared/greeting}}"]]
  OnlyProd:
    Type: AWS::SSM::Parameter
    Condition: IsProd
    Properties: {Type: String, Value: prod}
Outputs:
  Value: {Value: !GetAtt A.Value}
  Prod: {Condition: IsProd, Value: !Ref OnlyProd}
`
	res := f.mustDeploy("p", tmpl, map[string]string{"Secret": "s3cret"})
	if got := output(res, "Value"); got != "2,b,d,hello" {
		t.Errorf("Value = %q", got)
	}
	if len(res.Outputs) != 1 {
		t.Errorf("outputs %+v: the conditional one should be absent", res.Outputs)
	}
	if _, err := f.params.GetParameter(context.Background(), region, "/p/us-east-1/123456789012", false); err != nil {
		t.Error(err)
	}
	info, err := f.eng.Describe(context.Background(), region, "p")
	must(t, err)
	masked := false
	for _, p := range info.Parameters {
		if strings.Contains(p.Value, "s3cret") || strings.Contains(p.ResolvedValue, "s3cret") {
			t.Errorf("NoEcho value not masked: %+v", info.Parameters)
		}
		if p.Key == "Secret" && p.Value == "****" {
			masked = true
		}
	}
	if !masked {
		t.Errorf("NoEcho parameter not shown as ****: %+v", info.Parameters)
	}
	res = f.mustDeploy("p", tmpl, map[string]string{"Secret": "s3cret", "Env": "prod"})
	if output(res, "Prod") == "" || !strings.HasPrefix(output(res, "Prod"), "CFN-OnlyProd-") {
		t.Errorf("Prod output %q", output(res, "Prod"))
	}
	_, err = f.deploy("p", tmpl, map[string]string{"Secret": "x", "Code": "abc", "Sizes": "1,x", "Bogus": "1"})
	wantErrContains(t, err, stack.ErrValidation, "'Secret' must contain at least 3", "'Code' must match pattern", "'Sizes' must be a number",
		"Parameters: [Bogus] do not exist in the template")
	_, err = f.deploy("q", tmpl, nil)
	wantErrContains(t, err, stack.ErrValidation, "Parameters: [Secret] must have values")
	_, err = f.deploy("q", strings.Replace(tmpl, "/shared/greeting", "/shared/missing", 1), map[string]string{"Secret": "abc"})
	wantErrContains(t, err, stack.ErrValidation, "Unable to fetch parameters [/shared/missing]")
}

// TestLargeTemplate deploys a generated template of 500 resources and
// reports the time it takes.
func TestLargeTemplate(t *testing.T) {
	f := newFixture(t)
	var b strings.Builder
	b.WriteString("Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n")
	// Cognito allows 25 resource servers per pool.
	for i := 0; i < 25; i++ {
		fmt.Fprintf(&b, "  Server%d:\n    Type: AWS::Cognito::UserPoolResourceServer\n    Properties: {UserPoolId: !Ref Pool, Identifier: api%d, Name: API %d, Scopes: [{ScopeName: read, ScopeDescription: Read}]}\n", i, i, i)
		fmt.Fprintf(&b, "  Client%d:\n    Type: AWS::Cognito::UserPoolClient\n    Properties: {UserPoolId: !Ref Pool, GenerateSecret: true, AllowedOAuthFlows: [client_credentials], AllowedOAuthScopes: [api%d/read], AllowedOAuthFlowsUserPoolClient: true}\n", i, i)
	}
	for i := 0; i < 449; i++ {
		fmt.Fprintf(&b, "  Param%d:\n    Type: AWS::SSM::Parameter\n    Properties: {Name: !Sub '/big/${Client%d}/%d', Type: String, Value: !GetAtt Client%d.Name}\n", i, i%25, i, i%25)
	}
	body := b.String()
	t0 := time.Now()
	res := f.mustDeploy("big", body, nil)
	created := since(t0)
	ids := f.resourceIDs("big")
	if len(ids) != 500 || res.Status != stack.StatusCreateComplete {
		t.Fatalf("%d resources, status %s", len(ids), res.Status)
	}
	t0 = time.Now()
	if res := f.mustDeploy("big", body, nil); !res.NoChanges {
		t.Error("redeploy of the large template changed something")
	}
	again := since(t0)
	t0 = time.Now()
	must(t, f.eng.Delete(context.Background(), region, "big", nil))
	deleted := since(t0)
	t.Logf("500 resources: create %v, no-change redeploy %v, delete %v", created, again, deleted)
}

// publicClient turns the API template's client into a public client
// without OAuth: GenerateSecret changes, which replaces it.
func publicClient(tmpl string) string {
	old := `      GenerateSecret: true
      AllowedOAuthFlows:
        - client_credentials
      AllowedOAuthScopes:
        - !Ref Scope
      AllowedOAuthFlowsUserPoolClient: true
`
	if !strings.Contains(tmpl, old) {
		panic("template changed")
	}
	return strings.Replace(tmpl, old, "      GenerateSecret: false\n", 1)
}

// TestInterruptedDeleteAndBusyStack: a delete stopped mid-way is carried
// on by Recover; a stack with an operation in progress refuses another.
func TestInterruptedDeleteAndBusyStack(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy("andmoredev-auth", authTemplate(t), nil)
	f.eng.SetHook(func(p, id string) {
		if p == "delete" && id == "CognitoUserPoolDomain" {
			panic("crash")
		}
	})
	func() {
		defer func() { recover() }()
		f.eng.Delete(context.Background(), region, "andmoredev-auth", nil)
	}()
	if s := f.status("andmoredev-auth"); s != stack.StatusDeleteInProgress {
		t.Fatalf("status %s", s)
	}
	_, err := f.deploy("andmoredev-auth", authTemplate(t), nil)
	wantErrContains(t, err, stack.ErrInProgress, "DELETE_IN_PROGRESS")
	f.open()
	if _, err := f.eng.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.GetStack(context.Background(), region, "andmoredev-auth"); err == nil {
		t.Error("the stack survived its recovered delete")
	}
	if n := f.pools(); n != 0 {
		t.Errorf("%d pools left", n)
	}
}

// TestRetainAndExportClash: DeletionPolicy Retain keeps the parameter
// when the stack goes; an export name another stack owns is refused
// before anything is created.
func TestRetainAndExportClash(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.mustDeploy("keep", `
Resources:
  Kept:
    Type: AWS::SSM::Parameter
    DeletionPolicy: Retain
    Properties: {Name: /keep/me, Type: String, Value: x}
Outputs:
  Name: {Value: !Ref Kept, Export: {Name: shared-name}}
`, nil)
	_, err := f.deploy("other", `
Resources:
  P:
    Type: AWS::SSM::Parameter
    Properties: {Name: /other/p, Type: String, Value: y}
Outputs:
  Name: {Value: !Ref P, Export: {Name: shared-name}}
`, nil)
	wantErrContains(t, err, stack.ErrValidation, "Outputs/Name/Export/Name", "Export with name shared-name is already exported by stack keep")
	if _, err := f.params.GetParameter(ctx, region, "/other/p", false); err == nil {
		t.Error("a refused deploy created its parameter")
	}
	var evs []stack.Event
	must(t, f.eng.Delete(ctx, region, "keep", func(e stack.Event) { evs = append(evs, e) }))
	if eventIndex(evs, "Kept", stack.StatusDeleteSkipped) < 0 {
		t.Errorf("no DELETE_SKIPPED event: %+v", evs)
	}
	if _, err := f.params.GetParameter(ctx, region, "/keep/me", false); err != nil {
		t.Errorf("the retained parameter was deleted: %v", err)
	}
}

// TestRecoverAbandoned: on a shared store, a node rolls back an operation
// that a dead node left only once it has been idle for the given time, so
// a deploy another node is still running is never touched.
func TestRecoverAbandoned(t *testing.T) {
	f := newFixture(t)
	crashAt(t, f, "after-provider", "CognitoUserPoolArnParameter", "andmoredev-auth", authTemplate(t), nil)
	seal, err := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	engineAt := func(offset time.Duration) *stack.Engine {
		return stack.New(stack.Config{Store: f.store, Sealer: seal, AccountID: account, Providers: provider.All(f.ids, f.params),
			SSM: provider.SSMSource{Parameters: f.params}, Now: func() time.Time { return time.Now().Add(offset) }})
	}
	names, err := engineAt(0).RecoverAbandoned(context.Background(), 10*time.Minute)
	if err != nil || len(names) != 0 {
		t.Fatalf("fresh operation touched: %v %v", names, err)
	}
	if s := f.status("andmoredev-auth"); s != stack.StatusCreateInProgress {
		t.Fatalf("status %s, want the operation still in progress", s)
	}
	// Two nodes look at once: exactly one of them recovers it.
	type result struct {
		names []string
		err   error
	}
	results := make(chan result, 2)
	for range 2 {
		eng := engineAt(11 * time.Minute)
		go func() {
			n, err := eng.RecoverAbandoned(context.Background(), 10*time.Minute)
			results <- result{n, err}
		}()
	}
	total := 0
	for range 2 {
		r := <-results
		if r.err != nil {
			t.Errorf("RecoverAbandoned: %v", r.err)
		}
		total += len(r.names)
	}
	if total != 1 {
		t.Fatalf("the abandoned operation was recovered %d times, want once", total)
	}
	if s := f.status("andmoredev-auth"); s != stack.StatusRollbackComplete {
		t.Errorf("status after recovery %s", s)
	}
	if n := f.pools(); n != 0 {
		t.Errorf("%d pools left", n)
	}
}

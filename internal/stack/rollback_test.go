package stack_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/stack"
)

// deployArticle deploys both example stacks and returns the client id.
func deployArticle(t *testing.T, f *fixture) string {
	t.Helper()
	f.mustDeploy("andmoredev-auth", authTemplate(t), nil)
	return output(f.mustDeploy("echo-api", apiTemplate(t), nil), "ClientId")
}

// TestUpdateFailureRollsBack: an update that creates a parameter, updates
// the resource server in place and then fails on the client's undefined
// scope leaves the stack exactly as it was.
func TestUpdateFailureRollsBack(t *testing.T) {
	f := newFixture(t)
	clientID := deployArticle(t, f)
	before := f.resourceIDs("echo-api")
	broken := strings.Replace(apiTemplate(t), "      Name: Echo API\n", "      Name: Echo API v2\n", 1)
	broken = strings.Replace(broken, "Resources:\n", `Resources:
  ExtraParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /echo-api/extra
      Type: String
      Value: x

`, 1)
	_, err := f.deploy("echo-api", broken, map[string]string{"Scope": "echo-api/nope"})
	wantErrContains(t, err, stack.ErrDeployFailed, "CognitoTestAutomationClient", "AllowedOAuthScopes", "echo-api/nope")
	if s := f.status("echo-api"); s != stack.StatusUpdateRollbackComplete {
		t.Errorf("status %s, want UPDATE_ROLLBACK_COMPLETE", s)
	}
	if eventIndex(f.events, "ExtraParameter", "CREATE_COMPLETE") < 0 || eventIndex(f.events, "EchoApiResourceServer", "UPDATE_COMPLETE") < 0 {
		t.Fatalf("the failing deploy did not get as far as intended: %+v", f.events)
	}
	if _, err := f.params.GetParameter(context.Background(), region, "/echo-api/extra", false); err == nil {
		t.Error("the parameter the failed deploy created is still there")
	}
	rs, err := f.ids.DescribeResourceServer(context.Background(), region, f.poolID(), "echo-api")
	if err != nil || rs.Name != "Echo API" {
		t.Errorf("resource server after rollback: %+v %v", rs, err)
	}
	after := f.resourceIDs("echo-api")
	if len(after) != len(before) || after["CognitoTestAutomationClient"] != clientID {
		t.Errorf("resources after rollback %v, before %v", after, before)
	}
	if err := f.token(clientID, "echo-api/echo"); err != nil {
		t.Errorf("token after rollback: %v", err)
	}
	// The previous version is still the stack's: deploying it is no change.
	if res := f.mustDeploy("echo-api", apiTemplate(t), nil); !res.NoChanges {
		t.Error("redeploying the previous version changed something")
	}
}

// TestCreateFailureLeavesNothing: a first create that fails ends
// ROLLBACK_COMPLETE with nothing left, and can be deployed again.
func TestCreateFailureLeavesNothing(t *testing.T) {
	f := newFixture(t)
	tmpl := `
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  Server:
    Type: AWS::Cognito::UserPoolResourceServer
    Properties: {UserPoolId: !Ref Pool, Identifier: api, Name: API, Scopes: [{ScopeName: read, ScopeDescription: Read}]}
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
      GenerateSecret: true
      AllowedOAuthFlows: [client_credentials]
      AllowedOAuthScopes: [api/write]
      AllowedOAuthFlowsUserPoolClient: true
`
	_, err := f.deploy("s", tmpl, nil)
	wantErrContains(t, err, stack.ErrDeployFailed, "Resources/Client/Properties/AllowedOAuthScopes")
	if s := f.status("s"); s != stack.StatusRollbackComplete {
		t.Errorf("status %s", s)
	}
	if n := f.pools(); n != 0 {
		t.Errorf("%d pools left", n)
	}
	if ids := f.resourceIDs("s"); len(ids) != 0 {
		t.Errorf("resources left: %v", ids)
	}
	res := f.mustDeploy("s", strings.Replace(tmpl, "api/write", "api/read", 1), nil)
	if res.Status != stack.StatusCreateComplete {
		t.Errorf("redeploy after a failed create: %s", res.Status)
	}
}

// TestValidationBeforeAnything: problems are all reported at once, with
// logical id, property path and position, and nothing is created.
func TestValidationBeforeAnything(t *testing.T) {
	f := newFixture(t)
	tmpl := `Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, prod]
  Size:
    Type: Number
    MaxValue: 10
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub ${AWS::StackName}/CognitoUserPoolId
      Type: String
      Value: !Ref Pool
  Server:
    Type: AWS::Cognito::UserPoolResourceServer
    Properties:
      Identifier: api
      UserPoolId: !Ref Nothing
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
      Colour: blue
      GenerateSecret: [yes]
`
	_, err := f.deploy("v", tmpl, map[string]string{"Stage": "test", "Size": "11"})
	wantErrContains(t, err, stack.ErrValidation, "Parameter 'Stage' must be one of AllowedValues", "Parameter 'Size' must be a number not greater than 10")
	_, err = f.deploy("v", tmpl, map[string]string{"Stage": "dev", "Size": "1"})
	wantErrContains(t, err, stack.ErrValidation,
		"14:13: Resources/Param/Properties/Name: Parameter name must be a fully qualified name.",
		"Resources/Server/Properties/UserPoolId", "Nothing",
		"Resources/Server/Properties/Name: Property Name cannot be empty",
		"26:7: Resources/Client/Properties/Colour: Encountered unsupported property Colour",
		"Resources/Client/Properties/GenerateSecret: Value of property must be of type Boolean")
	if n := f.pools(); n != 0 {
		t.Errorf("%d pools created by an invalid template", n)
	}
	if _, err := f.store.GetStack(context.Background(), region, "v"); err == nil {
		t.Error("an invalid template left a stack record")
	}
}

// TestSSMParameterNameWithoutSlash: the article's failure mode, on an
// existing stack: the deploy is refused before anything changes.
func TestSSMParameterNameWithoutSlash(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy("andmoredev-auth", authTemplate(t), nil)
	before := f.resourceIDs("andmoredev-auth")
	bad := strings.Replace(authTemplate(t), "Name: !Sub /${AWS::StackName}/CognitoUserPoolArn", "Name: !Sub ${AWS::StackName}/CognitoUserPoolArn", 1)
	_, err := f.deploy("andmoredev-auth", bad, nil)
	wantErrContains(t, err, stack.ErrValidation, "Resources/CognitoUserPoolArnParameter/Properties/Name", "fully qualified")
	if s := f.status("andmoredev-auth"); s != stack.StatusCreateComplete {
		t.Errorf("status %s", s)
	}
	if after := f.resourceIDs("andmoredev-auth"); len(after) != len(before) || after["CognitoUserPoolArnParameter"] != before["CognitoUserPoolArnParameter"] {
		t.Errorf("resources changed: %v -> %v", before, after)
	}
}

func TestCycleIsNamed(t *testing.T) {
	f := newFixture(t)
	_, err := f.deploy("c", `
Resources:
  A:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !Ref B}
  B:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !GetAtt C.Value}
  C:
    Type: AWS::SSM::Parameter
    DependsOn: A
    Properties: {Type: String, Value: x}
`, nil)
	wantErrContains(t, err, stack.ErrValidation, "Circular dependency between resources: [A, B, C]")
}

func TestStrictRejectsUnemulated(t *testing.T) {
	f := newFixture(t)
	_, err := f.eng.Deploy(context.Background(), region, "s", `
Resources:
  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
`, nil, stack.Options{Strict: true})
	wantErrContains(t, err, stack.ErrValidation, "Resources/Role/Type", "AWS::IAM::Role")
}

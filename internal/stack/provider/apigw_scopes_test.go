package provider_test

import (
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/stack"
)

// scopeAPI is an API whose POST /echo asks for scope, behind a Cognito
// authorizer of the pool PoolArn names.
func scopeAPI(scope string) string {
	return `
Parameters:
  PoolArn: {Type: String}
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: "2.0"
        info: {title: scoped}
        paths:
          /echo:
            post:
              security: [{ClientCognitoAuthorizer: [` + scope + `]}]
              x-amazon-apigateway-integration: {type: http_proxy, httpMethod: POST, uri: "http://127.0.0.1:3000/echo"}
        securityDefinitions:
          ClientCognitoAuthorizer:
            type: apiKey
            x-amazon-apigateway-authorizer:
              type: cognito_user_pools
              providerARNs: [!Ref PoolArn]
  Dep:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: dev
`
}

// poolSetup gives the pool PoolId a resource server echo-api with scopes
// echo and admin, and one client that may obtain echo-api/echo.
const poolSetup = `
Parameters:
  PoolId: {Type: String}
Resources:
  Rs:
    Type: AWS::Cognito::UserPoolResourceServer
    Properties:
      UserPoolId: !Ref PoolId
      Identifier: echo-api
      Name: Echo API
      Scopes:
        - {ScopeName: echo, ScopeDescription: Echo}
        - {ScopeName: admin, ScopeDescription: Admin}
  Client:
    Type: AWS::Cognito::UserPoolClient
    DependsOn: [Rs]
    Properties:
      UserPoolId: !Ref PoolId
      GenerateSecret: true
      AllowedOAuthFlows: [client_credentials]
      AllowedOAuthScopes: [echo-api/echo]
      AllowedOAuthFlowsUserPoolClient: true
`

// TestScopeWarnings deploys an API against a pool whose resource server
// and client already exist, asking for a scope that is fine, one no
// resource server defines, and one no client may obtain.
func TestScopeWarnings(t *testing.T) {
	for _, tc := range []struct {
		scope string
		want  string // "" for no warning about scopes
	}{
		{"echo-api/echo", ""},
		// A built-in scope needs no resource server, but here no client
		// may obtain it.
		{"email", "Dep: authorizer ClientCognitoAuthorizer on POST /echo asks for scope email, which no app client of pool POOL may obtain (no client lists it in AllowedOAuthScopes)"},
		{"echo-api/nope", "Dep: authorizer ClientCognitoAuthorizer on POST /echo asks for scope echo-api/nope, which no resource server of pool POOL defines (it defines: echo-api/admin, echo-api/echo)"},
		{"echo-api/admin", "Dep: authorizer ClientCognitoAuthorizer on POST /echo asks for scope echo-api/admin, which no app client of pool POOL may obtain (no client lists it in AllowedOAuthScopes)"},
	} {
		t.Run(tc.scope, func(t *testing.T) {
			f := newGWFixture(t)
			ctx := t.Context()
			f.deploy("andmoredev-auth", readExample(t, "auth/template.yaml"), stackOptionsNone())
			pool := f.poolID()
			if _, err := f.eng.Deploy(ctx, gwRegion, "pool-setup", poolSetup, map[string]string{"PoolId": pool}, stackOptionsNone()); err != nil {
				t.Fatal(err)
			}
			arn := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + pool
			res, err := f.eng.Deploy(ctx, gwRegion, "api", scopeAPI(tc.scope), map[string]string{"PoolArn": arn}, stackOptionsNone())
			if err != nil {
				t.Fatal(err)
			}
			var scopes []string
			for _, w := range res.Warnings {
				if strings.Contains(w, "scope") {
					scopes = append(scopes, w)
				}
			}
			if tc.want == "" {
				if len(scopes) > 0 {
					t.Errorf("unexpected scope warnings: %q", scopes)
				}
				return
			}
			want := strings.ReplaceAll(tc.want, "POOL", pool)
			if len(scopes) != 1 || scopes[0] != want {
				t.Errorf("scope warnings = %q\nwant [%q]", scopes, want)
			}
		})
	}
}

// TestScopeWarningsEchoAPIExample deploys examples/echo-api, whose
// resource server and client are in the same stack as the API.
func TestScopeWarningsEchoAPIExample(t *testing.T) {
	// The engine creates EchoApi's deployment before the stack's resource
	// server and client (nothing orders them); the check runs once they
	// all exist, so it must find the scope.
	f := newGWFixture(t)
	res := f.deployEchoAPI()
	for _, w := range res.Warnings {
		if strings.Contains(w, "scope") {
			t.Errorf("unexpected scope warning: %q", w)
		}
	}
}

// TestScopeWarningsSkipRemotePools checks that a pool Cognate does not
// hold (real Cognito) is not checked.
func TestScopeWarningsSkipRemotePools(t *testing.T) {
	f := newGWFixture(t)
	res := f.deploy("remote", `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: "2.0"
        info: {title: remote}
        paths:
          /x:
            get:
              security: [{Pool: [api/read]}]
              x-amazon-apigateway-integration: {type: mock}
        securityDefinitions:
          Pool:
            type: apiKey
            x-amazon-apigateway-authorizer:
              type: cognito_user_pools
              providerARNs: [arn:aws:cognito-idp:eu-west-1:999999999999:userpool/eu-west-1_Remote]
  Dep:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: prod
`, stackOptionsNone())
	for _, w := range res.Warnings {
		if strings.Contains(w, "scope") {
			t.Errorf("warning about a remote pool: %q", w)
		}
	}
}

// TestDeploymentThatDoesNotCompile checks that a deployment the gateway
// cannot serve deploys with a warning that says why.
func TestDeploymentThatDoesNotCompile(t *testing.T) {
	f := newGWFixture(t)
	res := f.deploy("broken", `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: "2.0"
        info: {title: broken}
        paths:
          /x:
            get:
              security: [{Undefined: []}]
              x-amazon-apigateway-integration: {type: mock}
  Dep:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: prod
`, stackOptionsNone())
	found := false
	for _, w := range res.Warnings {
		if strings.HasPrefix(w, "Dep: the gateway cannot serve this deployment: ") && strings.Contains(w, "Undefined") {
			found = true
		}
	}
	if !found {
		t.Errorf("warnings %q lack one saying why the deployment cannot be served", res.Warnings)
	}
}

// TestScopeWarningsArticleAsPrinted deploys the echo API as the article
// prints it: the authorizer asks for a scope its own stack's resource
// server does not define. The deploy succeeds, as on AWS, and warns with
// the scope, the route and the pool, on the deployment's events too.
func TestScopeWarningsArticleAsPrinted(t *testing.T) {
	f := newGWFixture(t)
	f.deploy("andmoredev-auth", readExample(t, "auth/template.yaml"), stack.Options{})
	body := strings.Replace(readExample(t, "echo-api/template.yaml"), "            AuthorizationScopes:\n              - echo-api/echo",
		"            AuthorizationScopes:\n              - echo-api/missing", 1)
	if !strings.Contains(body, "echo-api/missing") {
		t.Fatal("the example template changed: update this test")
	}
	var events []stack.Event
	o := samOptions("../../../examples/echo-api")
	o.OnEvent = func(ev stack.Event) { events = append(events, ev) }
	res := f.deploy("echo-api", body, o)
	pool := f.poolID()
	found := false
	for _, w := range res.Warnings {
		if strings.Contains(w, "echo-api/missing") && strings.Contains(w, "POST /echo") && strings.Contains(w, pool) {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning naming the scope, the route and the pool %s in %q", pool, res.Warnings)
	}
	seen := false
	for _, ev := range events {
		if strings.HasPrefix(ev.Reason, "Cognate check: ") && strings.Contains(ev.Reason, "echo-api/missing") {
			seen = true
		}
	}
	if !seen {
		t.Errorf("no event carries the scope warning: %+v", events)
	}
}

package app_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// samGatewayTemplate is a SAM API with most of what real templates use:
// a default Cognito authorizer with a scope, a public route (Authorizer:
// NONE), a greedy proxy route, CORS with the preflight left open, a
// gateway response that lets browsers read 401s, and a request model.
const samGatewayTemplate = `
Transform: AWS::Serverless-2016-10-31
Parameters:
  PoolArn: {Type: String}
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Cors:
        AllowOrigin: "'https://app.example.com'"
        AllowHeaders: "'Authorization,Content-Type'"
      Auth:
        DefaultAuthorizer: Pool
        AddDefaultAuthorizerToCorsPreflight: false
        Authorizers:
          Pool:
            UserPoolArn: !Ref PoolArn
            AuthorizationScopes: [layerless-esbuild/api]
      GatewayResponses:
        DEFAULT_4XX:
          ResponseParameters:
            Headers:
              Access-Control-Allow-Origin: "'https://app.example.com'"
      Models:
        Msg:
          type: object
          required: [message]
          properties:
            message: {type: string, minLength: 3}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => ({statusCode: 200})"
      Events:
        Echo:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /echo
            Method: post
            RequestModel: {Model: Msg, Required: true, ValidateBody: true}
        Health:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /health
            Method: get
            Auth: {Authorizer: NONE}
        Proxy:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /files/{proxy+}
            Method: any
`

// A SAM API deployed through the CloudFormation API behaves as API
// Gateway does for each feature its template uses.
func TestSAMFeaturesThroughTheGateway(t *testing.T) {
	n := startNode(t, nil)
	ctx := testCtx(t)
	c := n.cloudFormation()
	up := &echoUpstream{}
	backend := httptest.NewServer(up)
	defer backend.Close()

	f := setupArticle(t, ctx, n.cognito(articleRegion), articleDomain)
	tmpl := filepath.Join(t.TempDir(), "api.yaml")
	if err := os.WriteFile(tmpl, []byte(samGatewayTemplate), 0o600); err != nil {
		t.Fatal(err)
	}
	deployStack(t, ctx, c, "sam-api", tmpl,
		map[string]string{"PoolArn": "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + f.PoolID},
		map[string]string{"cognate:upstream:Fn": backend.URL})
	apiID := physicalID(t, ctx, c, "sam-api", "AWS::ApiGateway::RestApi")
	base := n.URL + "/restapis/" + apiID + "/v1/_user_request_"
	tok := "Bearer " + mustToken(t, ctx, n, f, articleScope)

	cases := []struct {
		name, method, path, auth, body string
		status                         int
		wantBody                       string
		header, headerValue            string
	}{
		{"no token: 401, readable by the browser", "POST", "/echo", "", `{"message":"hello"}`, 401, `{"message":"Unauthorized"}`,
			"Access-Control-Allow-Origin", "https://app.example.com"},
		{"token, valid body", "POST", "/echo", tok, `{"message":"hello"}`, 200, `{"message":"hello"}`, "", ""},
		{"token, invalid body", "POST", "/echo", tok, `{"message":"hi"}`, 400, `{"message":"Invalid request body"}`, "x-amzn-ErrorType", "BadRequestException"},
		{"public route", "GET", "/health", "", "", 200, "", "", ""},
		{"greedy route", "DELETE", "/files/a/b/c.txt", tok, "", 200, "", "", ""},
		{"greedy needs a segment", "GET", "/files", "", "", 403, `{"message":"Missing Authentication Token"}`, "", ""},
		{"preflight without a token", "OPTIONS", "/echo", "", "", 200, "", "Access-Control-Allow-Origin", "https://app.example.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body := gatewayCall(t, ctx, tc.method, base+tc.path, tc.auth, tc.body)
			if status != tc.status || (tc.wantBody != "" && body != tc.wantBody) {
				t.Fatalf("%s %s: %d %s; want %d %s", tc.method, tc.path, status, body, tc.status, tc.wantBody)
			}
			if tc.header != "" && h.Get(tc.header) != tc.headerValue {
				t.Errorf("%s: %q, want %q (headers %v)", tc.header, h.Get(tc.header), tc.headerValue, h)
			}
		})
	}
	if got := up.last(); got.Path != "/files/a/b/c.txt" || got.Method != "DELETE" {
		t.Errorf("greedy route reached the upstream as %s %s", got.Method, got.Path)
	}
	for _, call := range up.calls {
		if strings.Contains(call.Body, `"hi"`) {
			t.Errorf("an invalid body reached the upstream")
		}
	}

	// A test suite's reset takes the API away at once, not at the next poll.
	if status, body := adminPost(t, ctx, n.URL+"/_cognate/reset", nil, articleRegion); status != 200 {
		t.Fatalf("reset: %d %s", status, body)
	}
	if status, _, body := gatewayCall(t, ctx, "GET", base+"/health", "", ""); status != 404 {
		t.Errorf("the API right after a reset: %d %s, want 404", status, body)
	}
}

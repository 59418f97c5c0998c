package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// gatewayTemplate is the article's shape in one stack: a pool with a
// client-credentials client, and an API whose POST /echo needs the scope
// echo-api/echo and is served by EchoFunction.
const gatewayTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: call-test
  Domain:
    Type: AWS::Cognito::UserPoolDomain
    Properties:
      UserPoolId: !Ref Pool
      Domain: call-test
  ResourceServer:
    Type: AWS::Cognito::UserPoolResourceServer
    Properties:
      UserPoolId: !Ref Pool
      Identifier: echo-api
      Name: Echo API
      Scopes:
        - ScopeName: echo
          ScopeDescription: echo
  Client:
    Type: AWS::Cognito::UserPoolClient
    DependsOn: ResourceServer
    Properties:
      UserPoolId: !Ref Pool
      GenerateSecret: true
      AllowedOAuthFlows: [client_credentials]
      AllowedOAuthScopes: [echo-api/echo]
      AllowedOAuthFlowsUserPoolClient: true
  EchoApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      Auth:
        DefaultAuthorizer: ClientCognitoAuthorizer
        Authorizers:
          ClientCognitoAuthorizer:
            UserPoolArn: !GetAtt Pool.Arn
            AuthorizationScopes: [echo-api/echo]
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Echo:
          Type: Api
          Properties:
            RestApiId: !Ref EchoApi
            Path: /echo
            Method: post
Outputs:
  ClientId:
    Value: !Ref Client
  PoolId:
    Value: !Ref Pool
`

// The whole flow of issue 5: deploy with --upstream, read the API's
// local URLs from outputs, and call them with a token; the upstream gets
// the request, and a request without a token never reaches it.
func TestCallThroughGateway(t *testing.T) {
	t.Parallel()
	p := startUp(t, nil, "127.0.0.1:0", t.TempDir())
	p.waitHealthy(t)
	var mu sync.Mutex
	var bodies []string
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, r.Method+" "+r.URL.Path+" "+string(b))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	defer upstream.Close()
	seen := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), bodies...)
	}

	ep := "--endpoint=" + p.URL
	tpl := writeFile(t, t.TempDir(), "template.yaml", gatewayTemplate)
	if out, err := runInProcess(t, deployCommand, "--stack-name", "gw", "--template-file", tpl, ep, "--upstream", "EchoFunction="+upstream.URL); err != nil {
		t.Fatalf("deploy --upstream: %v\n%s", err, out)
	}
	out, err := runInProcess(t, stackOutputsCommand, "gw", ep, "-o", "json")
	var rows []outputRow
	if err != nil || json.Unmarshal([]byte(out), &rows) != nil {
		t.Fatalf("outputs -o json: %v\n%s", err, out)
	}
	got := map[string]outputRow{}
	var api outputRow
	for _, r := range rows {
		got[r.OutputKey] = r
		if strings.HasPrefix(r.OutputKey, apiOutputKeyPrefix+"EchoApi:") {
			api = r
		}
	}
	if api.OutputValue == "" || got["ClientId"].OutputValue == "" {
		t.Fatalf("outputs -o json lacks the API's URL or the client id: %s", out)
	}
	clientID := got["ClientId"].OutputValue
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cl, err := p.cognito().DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{
		UserPoolId: aws.String(got["PoolId"].OutputValue), ClientId: aws.String(clientID)})
	if err != nil {
		t.Fatal(err)
	}
	secret := aws.ToString(cl.UserPoolClient.ClientSecret)

	// clients show prints what the console shows: the id and the secret.
	out, err = runInProcess(t, clientsShowCommand, "--stack-name", "gw", ep, "-o", "json")
	var shown []shownClient
	if err != nil || json.Unmarshal([]byte(out), &shown) != nil {
		t.Fatalf("clients show -o json: %v\n%s", err, out)
	}
	if len(shown) != 1 || shown[0].ClientID != clientID || shown[0].ClientSecret != secret || shown[0].LogicalID != "Client" ||
		shown[0].UserPoolID != got["PoolId"].OutputValue || strings.Join(shown[0].AllowedOAuthScopes, " ") != "echo-api/echo" {
		t.Errorf("clients show: %s", out)
	}
	if out, err = runInProcess(t, clientsShowCommand, "--stack-name", "gw", ep); err != nil || !strings.Contains(out, clientID) || !strings.Contains(out, secret) {
		t.Errorf("clients show (table): %v\n%s", err, out)
	}
	if _, err = runInProcess(t, clientsShowCommand, "--stack-name", "nope", ep); err == nil {
		t.Errorf("clients show of a stack that does not exist succeeded")
	}

	callAPI := func(url, body string) (string, error) {
		out, errOut, err := runCallCommand(t, "", "POST", url, "--endpoint", p.URL, "--domain", "call-test", "--client-id", clientID,
			"--client-secret", secret, "--scope", "echo-api/echo", "--no-cache", "-d", body, "--fail")
		return out + errOut, err
	}
	// The route table is swapped in within a second of the deploy.
	out, err = callAPI(api.OutputValue+"echo", `{"a":1}`)
	for deadline := time.Now().Add(5 * time.Second); err != nil && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		out, err = callAPI(api.OutputValue+"echo", `{"a":1}`)
	}
	if err != nil || !strings.HasPrefix(out, "HTTP/1.1 200 OK\n") || !strings.Contains(out, `{"ok":true}`) {
		t.Fatalf("cognate call POST %secho: %v\n%s", api.OutputValue, err, out)
	}
	if api.Stage != "dev" || api.OutputKey != apiOutputKeyPrefix+"EchoApi:dev" {
		t.Errorf("outputs -o json API row %+v, want stage dev", api)
	}
	if out, err = callAPI(api.PathStyleURL+"echo", `{"b":2}`); err != nil || !strings.HasPrefix(out, "HTTP/1.1 200 OK\n") {
		t.Fatalf("cognate call POST %secho: %v\n%s", api.PathStyleURL, err, out)
	}
	if s := seen(); len(s) != 2 || s[0] != `POST /echo {"a":1}` || s[1] != `POST /echo {"b":2}` {
		t.Errorf("the upstream saw %q, want both calls' POST /echo with their bodies", s)
	}

	// Without a token: 401, and the upstream is not called.
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, api.PathStyleURL+"echo", strings.NewReader(`{}`))
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusUnauthorized || string(b) != `{"message":"Unauthorized"}` || len(seen()) != 2 {
		t.Errorf("POST without a token: %d %s (upstream calls %d), want 401 {\"message\":\"Unauthorized\"} and no upstream call", r.StatusCode, b, len(seen()))
	}
}

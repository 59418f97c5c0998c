package app_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognatehq/cognate/internal/config"
)

// gatewayAPITemplate is an API whose POST /echo needs the article's scope
// and goes to the HTTP service Upstream names; Path renames the route.
const gatewayAPITemplate = `
Parameters:
  PoolArn: {Type: String}
  Upstream: {Type: String}
  Path: {Type: String, Default: /echo}
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: echo
      Body:
        swagger: "2.0"
        info: {title: echo}
        paths:
          /echo:
            post:
              security: [{Pool: [layerless-esbuild/api]}]
              x-amazon-apigateway-integration: {type: http_proxy, httpMethod: POST, uri: !Sub "${Upstream}/echo"}
          /v2/echo:
            post:
              security: [{Pool: [layerless-esbuild/api]}]
              x-amazon-apigateway-integration: {type: http_proxy, httpMethod: POST, uri: !Sub "${Upstream}/echo"}
        securityDefinitions:
          Pool:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: cognito_user_pools
            x-amazon-apigateway-authorizer: {type: cognito_user_pools, providerARNs: [!Ref PoolArn]}
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: prod
`

// eventually polls check until it holds or limit passes, and reports how
// long it took.
func eventually(t *testing.T, limit time.Duration, what string, check func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		if check() {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Two nodes on one PostgreSQL database serve the same APIs: an API
// deployed through A is served by B within a second, a change of its
// routes and its deletion too, and a client deleted through A is refused
// by B's authorizer at once.
func TestGatewayOnTwoNodes(t *testing.T) {
	t.Parallel()
	dsn := freshDatabase(t)
	pg := func(c *config.Config) {
		c.Store = dsn
		c.MasterKey = testMasterKeyA
		c.PublicURL = "https://auth.example.test"
	}
	var a, b *node
	var errA, errB error
	var wg sync.WaitGroup
	wg.Go(func() { a, errA = launchNode(t, pg) })
	wg.Go(func() { b, errB = launchNode(t, pg) })
	wg.Wait()
	if errA != nil || errB != nil {
		t.Fatalf("node A: %v; node B: %v", errA, errB)
	}
	ctx := testCtx(t)
	up := &echoUpstream{}
	backend := httptest.NewServer(up)
	defer backend.Close()

	f := setupArticle(t, ctx, a.cognito(articleRegion), articleDomain)
	poolArn := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + f.PoolID
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "api.yaml")
	if err := os.WriteFile(tmpl, []byte(gatewayAPITemplate), 0o600); err != nil {
		t.Fatal(err)
	}
	ca := a.cloudFormation()
	deployStack(t, ctx, ca, "echo", tmpl, map[string]string{"PoolArn": poolArn, "Upstream": backend.URL}, nil)
	apiID := physicalID(t, ctx, ca, "echo", "AWS::ApiGateway::RestApi")
	tok := "Bearer " + mustToken(t, ctx, a, f, articleScope)

	onB := func(path string) (int, string) {
		status, _, body := gatewayCall(t, ctx, "POST", b.URL+"/restapis/"+apiID+"/prod/_user_request_"+path, tok, `{"n":1}`)
		return status, body
	}
	took := eventually(t, time.Second, "B serves the API deployed through A", func() bool {
		status, body := onB("/echo")
		return status == 200 && body == `{"n":1}`
	})
	t.Logf("B served A's new API after %s", took)

	// Update through A: the route moves; B follows within a second.
	if _, err := ca.UpdateStack(ctx, &cfn.UpdateStackInput{StackName: aws.String("echo"),
		TemplateBody: aws.String(strings.Replace(gatewayAPITemplate, "          /echo:\n", "          /v3/echo:\n", 1)),
		Parameters: []cfntypes.Parameter{
			{ParameterKey: aws.String("PoolArn"), UsePreviousValue: aws.Bool(true)},
			{ParameterKey: aws.String("Upstream"), UsePreviousValue: aws.Bool(true)},
		}}); err != nil {
		t.Fatal(err)
	}
	waitUpdate := cfn.NewStackUpdateCompleteWaiter(ca, func(o *cfn.StackUpdateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 200*time.Millisecond
	})
	if err := waitUpdate.Wait(ctx, &cfn.DescribeStacksInput{StackName: aws.String("echo")}, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	// The template's deployment did not change, so, as on AWS, the stage
	// still serves the old snapshot; delete-and-redeploy is what moves it.
	// What must hold at once is that B agrees with A.
	statusA, _, _ := gatewayCall(t, ctx, "POST", a.URL+"/restapis/"+apiID+"/prod/_user_request_/v2/echo", tok, `{}`)
	eventually(t, time.Second, "B agrees with A after the update", func() bool {
		status, _ := onB("/v2/echo")
		return status == statusA
	})

	// A client deleted through A is refused by B at once: PostgreSQL
	// stores never cache.
	if _, err := a.cognito(articleRegion).DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: &f.PoolID, ClientId: &f.ClientID}); err != nil {
		t.Fatal(err)
	}
	if status, body := onB("/v2/echo"); status != 401 || body != `{"message":"Unauthorized"}` {
		t.Errorf("B after the client's deletion through A: %d %s", status, body)
	}

	// Deleting the stack through A takes the API off B within a second.
	if _, err := ca.DeleteStack(ctx, &cfn.DeleteStackInput{StackName: aws.String("echo")}); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Second+500*time.Millisecond, "B stops serving the API deleted through A", func() bool {
		status, _ := onB("/v2/echo")
		return status == 404
	})
}

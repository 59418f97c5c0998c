package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// cloudFormation returns an aws-sdk-go-v2 CloudFormation client pointed at
// the node.
func (n *node) cloudFormation() *cfn.Client {
	return cfn.New(cfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(n.URL),
		Credentials: staticCreds("cognate", "cognate"), HTTPClient: httpClient, RetryMaxAttempts: 1})
}

// deployStack creates a stack through the CloudFormation API and waits
// until it is complete.
func deployStack(t *testing.T, ctx context.Context, c *cfn.Client, name, templatePath string, params map[string]string, tags map[string]string) {
	t.Helper()
	body, err := os.ReadFile(templatePath)
	if err != nil {
		t.Fatal(err)
	}
	in := &cfn.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(string(body)),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityAutoExpand}}
	for k, v := range params {
		in.Parameters = append(in.Parameters, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
	}
	for k, v := range tags {
		in.Tags = append(in.Tags, cfntypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	if _, err := c.CreateStack(ctx, in); err != nil {
		t.Fatalf("create-stack %s: %v", name, err)
	}
	w := cfn.NewStackCreateCompleteWaiter(c, func(o *cfn.StackCreateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 200*time.Millisecond
	})
	if err := w.Wait(ctx, &cfn.DescribeStacksInput{StackName: aws.String(name)}, 30*time.Second); err != nil {
		t.Fatalf("stack %s: %v", name, err)
	}
}

// physicalID returns the physical id of the stack's resource of that type.
func physicalID(t *testing.T, ctx context.Context, c *cfn.Client, stackName, typ string) string {
	t.Helper()
	out, err := c.DescribeStackResources(ctx, &cfn.DescribeStackResourcesInput{StackName: aws.String(stackName)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out.StackResources {
		if aws.ToString(r.ResourceType) == typ {
			return aws.ToString(r.PhysicalResourceId)
		}
	}
	t.Fatalf("stack %s has no %s", stackName, typ)
	return ""
}

type upstreamCall struct {
	Method, Path string
	Header       http.Header
	Body         string
}

// echoUpstream is an HTTP service that answers with the body it got and
// records every call.
type echoUpstream struct {
	mu    sync.Mutex
	calls []upstreamCall
}

func (u *echoUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	u.mu.Lock()
	u.calls = append(u.calls, upstreamCall{r.Method, r.URL.Path, r.Header.Clone(), string(b)})
	u.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func (u *echoUpstream) count() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.calls)
}

func (u *echoUpstream) last() upstreamCall {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.calls[len(u.calls)-1]
}

func gatewayCall(t *testing.T, ctx context.Context, method, u, token, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// The article's scenario end to end: the auth stack and the echo API stack
// deploy unchanged, the API is served at once at both address styles, no
// token gets API Gateway's 401, the stack client's token with the echo
// scope reaches the backend (an HTTP service standing in for the
// function), and deleting the stack takes the API away.
func TestArticleScenarioThroughTheGateway(t *testing.T) {
	n := startNode(t, nil)
	ctx := testCtx(t)
	c := n.cloudFormation()
	up := &echoUpstream{}
	backend := httptest.NewServer(up)
	defer backend.Close()

	_, file, _, _ := runtime.Caller(0)
	examples := filepath.Join(filepath.Dir(file), "..", "..", "examples")
	deployStack(t, ctx, c, "andmoredev-auth", filepath.Join(examples, "auth", "template.yaml"),
		map[string]string{"CognitoUserPoolDomainName": "andmoredev"}, nil)
	deployStack(t, ctx, c, "echo-api", filepath.Join(examples, "echo-api", "template.yaml"), nil,
		map[string]string{"cognate:upstream:EchoFunction": backend.URL})

	apiID := physicalID(t, ctx, c, "echo-api", "AWS::ApiGateway::RestApi")
	clientID := physicalID(t, ctx, c, "echo-api", "AWS::Cognito::UserPoolClient")
	poolID := ""
	stacks, err := c.DescribeStacks(ctx, &cfn.DescribeStacksInput{StackName: aws.String("andmoredev-auth")})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range stacks.Stacks[0].Outputs {
		if strings.HasPrefix(aws.ToString(o.OutputValue), "us-east-1_") {
			poolID = aws.ToString(o.OutputValue)
		}
	}
	if poolID == "" {
		poolID = physicalID(t, ctx, c, "andmoredev-auth", "AWS::Cognito::UserPool")
	}
	desc, err := n.cognito("us-east-1").DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &poolID, ClientId: &clientID})
	if err != nil {
		t.Fatal(err)
	}
	secret := aws.ToString(desc.UserPoolClient.ClientSecret)

	pathStyle := n.URL + "/restapis/" + apiID + "/dev/_user_request_"
	hostStyle := "http://" + apiID + ".execute-api.localhost:" + n.Port + "/dev"

	for _, base := range []string{pathStyle, hostStyle} {
		status, h, body := gatewayCall(t, ctx, "POST", base+"/echo", "", `{}`)
		if status != 401 || body != `{"message":"Unauthorized"}` {
			t.Errorf("%s/echo without a token: %d %s", base, status, body)
		}
		if h.Get("x-amzn-ErrorType") != "UnauthorizedException" || h.Get("x-amzn-RequestId") == "" {
			t.Errorf("401 headers: %v", h)
		}
		status, _, body = gatewayCall(t, ctx, "POST", base+"/nowhere", "", `{}`)
		if status != 403 || body != `{"message":"Missing Authentication Token"}` {
			t.Errorf("%s/nowhere: %d %s", base, status, body)
		}
	}
	if up.count() != 0 {
		t.Fatalf("the upstream was called by a denied request")
	}

	status, tokBody := postToken(t, ctx, tokenCall{URL: n.pathTokenURL("andmoredev"), BasicID: clientID, BasicSecret: secret,
		Body: "grant_type=client_credentials&scope=echo-api/echo"})
	if status != 200 {
		t.Fatalf("token: %d %s", status, tokBody)
	}
	access := extractToken(t, tokBody)
	for _, auth := range []string{"Bearer " + access, access} {
		status, _, body := gatewayCall(t, ctx, "POST", hostStyle+"/echo", auth, `{"hi":1}`)
		if status != 200 || body != `{"hi":1}` {
			t.Fatalf("authorized call: %d %s", status, body)
		}
	}
	got := up.last()
	if got.Path != "/echo" || got.Method != "POST" || got.Header.Get("X-Cognate-Client-Id") != clientID {
		t.Errorf("upstream saw %s %s client=%q", got.Method, got.Path, got.Header.Get("X-Cognate-Client-Id"))
	}

	// Deleting the stack takes the API away at once.
	if _, err := c.DeleteStack(ctx, &cfn.DeleteStackInput{StackName: aws.String("echo-api")}); err != nil {
		t.Fatal(err)
	}
	w := cfn.NewStackDeleteCompleteWaiter(c, func(o *cfn.StackDeleteCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 200*time.Millisecond
	})
	if err := w.Wait(ctx, &cfn.DescribeStacksInput{StackName: aws.String("echo-api")}, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	status, _, body := gatewayCall(t, ctx, "POST", pathStyle+"/echo", "Bearer "+access, `{"hi":1}`)
	if status == 200 {
		t.Errorf("the deleted API still answers: %d %s", status, body)
	}
}

// startEchoFunction runs examples/echo-api/local-server.mjs (the example's
// own handler behind plain HTTP, as the README tells users to) on a free
// port and returns its URL.
func startEchoFunction(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		skipOrFail(t, "node is not installed: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	_, file, _, _ := runtime.Caller(0)
	cmd := exec.Command(node, filepath.Join(filepath.Dir(file), "..", "..", "examples", "echo-api", "local-server.mjs"))
	cmd.Env = append(os.Environ(), "PORT="+port)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	u := "http://127.0.0.1:" + port
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
			c.Close()
			return u
		}
		if time.Now().After(deadline) {
			t.Fatalf("local-server.mjs did not listen on %s", u)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The README's walkthrough: the example's own echo handler, served by
// local-server.mjs, behind the gateway; it sees the authorizer's claims.
func TestReadmeEchoFunctionBehindTheGateway(t *testing.T) {
	fn := startEchoFunction(t)
	n := startNode(t, nil)
	ctx := testCtx(t)
	c := n.cloudFormation()
	_, file, _, _ := runtime.Caller(0)
	examples := filepath.Join(filepath.Dir(file), "..", "..", "examples")
	deployStack(t, ctx, c, "andmoredev-auth", filepath.Join(examples, "auth", "template.yaml"), nil, nil)
	deployStack(t, ctx, c, "echo-api", filepath.Join(examples, "echo-api", "template.yaml"), nil,
		map[string]string{"cognate:upstream:EchoFunction": fn})
	apiID := physicalID(t, ctx, c, "echo-api", "AWS::ApiGateway::RestApi")
	clientID := physicalID(t, ctx, c, "echo-api", "AWS::Cognito::UserPoolClient")
	poolID := physicalID(t, ctx, c, "andmoredev-auth", "AWS::Cognito::UserPool")
	desc, err := n.cognito("us-east-1").DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &poolID, ClientId: &clientID})
	if err != nil {
		t.Fatal(err)
	}
	status, tokBody := postToken(t, ctx, tokenCall{URL: n.pathTokenURL("andmoredev"), BasicID: clientID,
		BasicSecret: aws.ToString(desc.UserPoolClient.ClientSecret), Body: "grant_type=client_credentials&scope=echo-api/echo"})
	if status != 200 {
		t.Fatalf("token: %d %s", status, tokBody)
	}
	url := "http://" + apiID + ".execute-api.localhost:" + n.Port + "/dev/echo"
	status, _, body := gatewayCall(t, ctx, "POST", url, "Bearer "+extractToken(t, tokBody), `{"hi":1}`)
	var got struct {
		Method, Path, Body, ClientID, Scope string
	}
	if err := json.Unmarshal([]byte(body), &got); status != 200 || err != nil {
		t.Fatalf("%d %s (%v)", status, body, err)
	}
	if got.Method != "POST" || got.Path != "/echo" || got.Body != `{"hi":1}` || got.ClientID != clientID || got.Scope != "echo-api/echo" {
		t.Errorf("the handler saw %+v", got)
	}
}

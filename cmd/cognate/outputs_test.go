package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/spf13/cobra"
)

// apisTemplate has a SAM Api with an explicit stage, SAM's implicit API,
// and a plain RestApi whose Deployment names its stage by a parameter.
const apisTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  StageP:
    Type: String
    Default: v1
Resources:
  EchoApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
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
        Implicit:
          Type: Api
          Properties:
            Path: /imp
            Method: get
  RawApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: raw
  RawMethod:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RawApi
      ResourceId: !GetAtt RawApi.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: MOCK
  RawDeployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: RawMethod
    Properties:
      RestApiId: !Ref RawApi
      StageName: !Ref StageP
Outputs:
  EchoApiUrl:
    Value: !Sub https://${EchoApi}.execute-api.${AWS::Region}.amazonaws.com/dev/echo
`

func TestAPIStages(t *testing.T) {
	t.Parallel()
	rs := []stackResource{
		{"EchoApi", "AWS::ApiGateway::RestApi", "abc123"},
		{"EchoApiStage", "AWS::ApiGateway::RestApi", "zzz999"}, // a prefix trap
		{"EchoApidevStage", "AWS::ApiGateway::Stage", "dev"},
		{"EchoApiStageprodStage", "AWS::ApiGateway::Stage", "prod"},
		{"RawApi", "AWS::ApiGateway::RestApi", "raw111"},
		{"RawDeployment", "AWS::ApiGateway::Deployment", "dep1"},
		{"RawStage", "AWS::ApiGateway::Stage", "beta"},
		{"Pending", "AWS::ApiGateway::RestApi", ""},
	}
	body := `{"Resources": {
	  "RawDeployment": {"Type": "AWS::ApiGateway::Deployment", "Properties": {"RestApiId": {"Ref": "RawApi"}, "StageName": {"Ref": "StageP"}}},
	  "RawStage": {"Type": "AWS::ApiGateway::Stage", "Properties": {"RestApiId": {"Ref": "RawApi"}, "StageName": "beta"}}}}`
	got := apiStages(rs, body, map[string]string{"StageP": "v1"})
	want := []apiStage{{"EchoApi", "abc123", "dev"}, {"EchoApiStage", "zzz999", "prod"}, {"RawApi", "raw111", "beta"}, {"RawApi", "raw111", "v1"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("apiStages =\n%v\nwant\n%v", got, want)
	}
	// One API: every stage is its, whatever its name.
	got = apiStages([]stackResource{{"Api", "AWS::ApiGateway::RestApi", "a1"}, {"Other", "AWS::ApiGateway::Stage", "s"}}, "", nil)
	if !reflect.DeepEqual(got, []apiStage{{"Api", "a1", "s"}}) {
		t.Errorf("one API: %v", got)
	}
}

func TestLocalAPIURLs(t *testing.T) {
	t.Parallel()
	st := []apiStage{{"Api", "abc123", "dev"}}
	for endpoint, want := range map[string][2]string{
		"http://127.0.0.1:4566/": {"http://abc123.execute-api.localhost:4566/dev/", "http://127.0.0.1:4566/restapis/abc123/dev/_user_request_/"},
		"http://localhost:8080":  {"http://abc123.execute-api.localhost:8080/dev/", "http://localhost:8080/restapis/abc123/dev/_user_request_/"},
		"https://cognate.example.com": {"https://cognate.example.com/restapis/abc123/dev/_user_request_/",
			"https://cognate.example.com/restapis/abc123/dev/_user_request_/"},
		"http://[::1]:4566": {"http://abc123.execute-api.localhost:4566/dev/", "http://[::1]:4566/restapis/abc123/dev/_user_request_/"},
	} {
		got, err := localAPIURLs(endpoint, st)
		if err != nil || len(got) != 1 || got[0].URL != want[0] || got[0].PathStyleURL != want[1] {
			t.Errorf("localAPIURLs(%s) = %+v, %v; want %v", endpoint, got, err, want)
		}
	}
	if _, err := localAPIURLs("127.0.0.1:4566", st); err == nil || !strings.Contains(err.Error(), "--endpoint") {
		t.Errorf("an endpoint without scheme: %v", err)
	}
}

// runInProcess runs a command built by newCmd with args.
func runInProcess(t *testing.T, newCmd func() *cobra.Command, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := newCmd()
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	var out bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	err := cmd.ExecuteContext(ctx)
	return out.String(), err
}

// deploy --upstream checks its flags before deploying and sends them as
// stack tags; deploy and outputs list the local URLs of each API stage.
func TestDeployUpstreamsAndAPIURLs(t *testing.T) {
	t.Parallel()
	p := startUp(t, nil, "127.0.0.1:0", t.TempDir())
	p.waitHealthy(t)
	// Record the stack calls on their way to the server.
	var mu sync.Mutex
	var calls []url.Values
	target, _ := url.Parse(p.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if form, err := url.ParseQuery(string(body)); err == nil && strings.HasSuffix(form.Get("Action"), "Stack") {
			mu.Lock()
			calls = append(calls, form)
			mu.Unlock()
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rp.ServeHTTP(w, r)
	}))
	defer rec.Close()
	stackCalls := func() []url.Values {
		mu.Lock()
		defer mu.Unlock()
		return append([]url.Values(nil), calls...)
	}
	tpl := writeFile(t, t.TempDir(), "template.yaml", apisTemplate)
	ep := "--endpoint=" + rec.URL
	deployArgs := []string{"--stack-name", "apis", "--template-file", tpl, ep}

	// Bad flags fail before any stack call, naming every problem.
	out, err := runInProcess(t, deployCommand, append(deployArgs, "--upstream", "Nope=http://127.0.0.1:3000", "--upstream", "RawApi=http://127.0.0.1:3000", "--upstream", "EchoFunction=ftp://x")...)
	if err == nil || !strings.Contains(err.Error(), "no resource Nope; its functions are EchoFunction") ||
		!strings.Contains(err.Error(), "RawApi is a AWS::ApiGateway::RestApi, not a function") || !strings.Contains(err.Error(), "EchoFunction=ftp://x") {
		t.Errorf("deploy with bad --upstream: %v\n%s", err, out)
	}
	if c := stackCalls(); len(c) != 0 {
		t.Errorf("deploy with bad --upstream made %d stack calls", len(c))
	}

	out, err = runInProcess(t, deployCommand, append(deployArgs, "--upstream", "EchoFunction=http://127.0.0.1:3000")...)
	if err != nil {
		t.Fatalf("deploy --upstream: %v\n%s", err, out)
	}
	c := stackCalls()
	var create url.Values
	for _, f := range c {
		if f.Get("Action") == "CreateStack" {
			create = f
		}
	}
	if create == nil || create.Get("Tags.member.1.Key") != "cognate:upstream:EchoFunction" || create.Get("Tags.member.1.Value") != "http://127.0.0.1:3000" || create.Has("Tags.member.2.Key") {
		t.Errorf("CreateStack with --upstream sent %v, want the one tag cognate:upstream:EchoFunction", create)
	}

	// The APIs' ids and stages, as the server reports them.
	cfn := (&cfnOptions{endpoint: p.URL, region: "us-east-1"}).client()
	res, err := cfn.DescribeStackResources(context.Background(), &cloudformation.DescribeStackResourcesInput{StackName: aws.String("apis")})
	if err != nil {
		t.Fatal(err)
	}
	phys := map[string]string{}
	for _, r := range res.StackResources {
		phys[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
	}
	base := strings.TrimPrefix(rec.URL, "http://127.0.0.1")
	wantURLs := map[string]string{
		"EchoApi:" + phys["EchoApidevStage"]:                      "http://" + phys["EchoApi"] + ".execute-api.localhost" + base + "/" + phys["EchoApidevStage"] + "/",
		"ServerlessRestApi:" + phys["ServerlessRestApiProdStage"]: "http://" + phys["ServerlessRestApi"] + ".execute-api.localhost" + base + "/" + phys["ServerlessRestApiProdStage"] + "/",
		"RawApi:v1": "http://" + phys["RawApi"] + ".execute-api.localhost" + base + "/v1/",
	}
	for _, u := range wantURLs {
		if !strings.Contains(out, u) {
			t.Errorf("deploy output lacks the local API URL %s:\n%s", u, out)
		}
	}
	if !strings.Contains(out, "Local API URLs") || !strings.Contains(out, rec.URL+"/restapis/"+phys["RawApi"]+"/v1/_user_request_/") {
		t.Errorf("deploy output lacks the path-style URL:\n%s", out)
	}

	// A redeploy without --upstream sends no tags: the stack keeps them.
	before := len(stackCalls())
	if out, err = runInProcess(t, deployCommand, deployArgs...); err != nil {
		t.Fatalf("redeploy: %v\n%s", err, out)
	}
	for _, f := range stackCalls()[before:] {
		for k := range f {
			if strings.HasPrefix(k, "Tags") {
				t.Errorf("%s without tag flags sent %s=%s; it must send none", f.Get("Action"), k, f.Get(k))
			}
		}
	}

	// outputs: the template's outputs, then the URLs.
	out, err = runInProcess(t, stackOutputsCommand, "apis", ep)
	if err != nil || !strings.Contains(out, "EchoApiUrl") || !strings.Contains(out, "Local API URLs") {
		t.Errorf("outputs: %v\n%s", err, out)
	}
	for _, u := range wantURLs {
		if !strings.Contains(out, u) {
			t.Errorf("outputs lacks %s:\n%s", u, out)
		}
	}
	out, err = runInProcess(t, stackOutputsCommand, "apis", ep, "-o", "json")
	var rows []outputRow
	if err != nil || json.Unmarshal([]byte(out), &rows) != nil {
		t.Fatalf("outputs -o json: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, r := range rows {
		if k, ok := strings.CutPrefix(r.OutputKey, apiOutputKeyPrefix); ok {
			got[k] = r.OutputValue
			if r.RestApiID == "" || r.Stage == "" || !strings.HasSuffix(r.PathStyleURL, "/"+r.Stage+"/_user_request_/") {
				t.Errorf("outputs -o json row %+v lacks RestApiId, Stage or PathStyleUrl", r)
			}
		}
	}
	if !reflect.DeepEqual(got, wantURLs) {
		t.Errorf("outputs -o json API rows %v, want %v", got, wantURLs)
	}
	if rows[0].OutputKey != "EchoApiUrl" {
		t.Errorf("outputs -o json: the template's outputs do not come first: %+v", rows)
	}
	if _, err := runInProcess(t, stackOutputsCommand, "nope", ep); err == nil || !strings.Contains(err.Error(), "nope does not exist") {
		t.Errorf("outputs of a missing stack: %v", err)
	}
}

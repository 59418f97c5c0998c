package main

// End-to-end tests of the stack commands (deploy, delete, stacks,
// outputs) of the built binary against `cognate up`, with the article's
// two stacks.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// runCognate runs the built binary with args and returns its stdout,
// stderr and error.
func runCognate(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cognateBinary(t), args...)
	cmd.Env = cleanEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStackCommands(t *testing.T) {
	t.Parallel()
	p := startUp(t, nil, "127.0.0.1:0", t.TempDir())
	p.waitHealthy(t)
	ep := "--endpoint=" + p.URL
	examples := filepath.Join("..", "..", "examples")
	authTemplate := filepath.Join(examples, "auth", "template.yaml")
	echoTemplate := filepath.Join(examples, "echo-api", "template.yaml")

	ok := func(args ...string) string {
		t.Helper()
		out, errOut, err := runCognate(t, append(args, ep)...)
		if err != nil {
			t.Fatalf("cognate %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
		}
		return out
	}
	fails := func(args ...string) (string, string) {
		t.Helper()
		out, errOut, err := runCognate(t, append(args, ep)...)
		if err == nil {
			t.Fatalf("cognate %s succeeded:\n%s", strings.Join(args, " "), out)
		}
		return out, errOut
	}
	contains := func(what, text string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: no %q in\n%s", what, w, text)
			}
		}
	}

	out := ok("deploy", "--stack-name", "andmoredev-auth", "--template-file", authTemplate,
		"--parameter-overrides", "CognitoUserPoolDomainName=andmoredev")
	contains("deploy auth", out, "Creating stack andmoredev-auth", "CREATE_COMPLETE     AWS::Cognito::UserPool",
		"CognitoUserPoolDomain", "Outputs", "TokenUrl", "https://andmoredev.auth.us-east-1.amazoncognito.com/oauth2/token")
	// Events in chronological order: the stack's own first and last.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var evs []string
	for _, l := range lines {
		if strings.HasPrefix(l, "CREATE_") {
			evs = append(evs, l)
		}
	}
	if len(evs) < 4 || !strings.Contains(evs[0], "CREATE_IN_PROGRESS  AWS::CloudFormation::Stack") ||
		!strings.Contains(evs[len(evs)-1], "CREATE_COMPLETE     AWS::CloudFormation::Stack") {
		t.Errorf("deploy auth events not in order:\n%s", strings.Join(evs, "\n"))
	}

	out = ok("deploy", "--stack-name", "echo-api", "--template-file", echoTemplate)
	contains("deploy echo-api", out, "AWS::Cognito::UserPoolClient", "CognitoTestAutomationClient", "ClientId", "EchoApiUrl")

	// The same template again: nothing to do, exit 0.
	out = ok("deploy", "--stack-name", "echo-api", "--template-file", echoTemplate)
	contains("redeploy echo-api", out, "No changes to deploy. Stack echo-api is up to date")
	// The auth stack with its override again: the same.
	out = ok("deploy", "--stack-name", "andmoredev-auth", "--template-file", authTemplate,
		"--parameter-overrides", "ParameterKey=CognitoUserPoolDomainName,ParameterValue=andmoredev")
	contains("redeploy auth", out, "No changes to deploy. Stack andmoredev-auth is up to date")

	var outputs []struct{ OutputKey, OutputValue, Description string }
	if err := json.Unmarshal([]byte(ok("outputs", "echo-api", "--output", "json")), &outputs); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, o := range outputs {
		got[o.OutputKey] = o.OutputValue
	}
	if got["ClientId"] == "" || !strings.Contains(got["EchoApiUrl"], ".execute-api.us-east-1.amazonaws.com/dev/echo") {
		t.Errorf("outputs echo-api -o json: %+v", outputs)
	}
	contains("outputs table", ok("outputs", "andmoredev-auth"), "Key", "Description", "Value", "CognitoUserPoolId", "The shared user pool", "us-east-1_")
	if _, errOut := fails("outputs", "nope"); !strings.Contains(errOut, "nope does not exist") {
		t.Errorf("outputs of a missing stack: %s", errOut)
	}

	// A client that names a scope no resource server defines fails the
	// deploy; the stack rolls back and the command names the resource.
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.yaml", `Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: bad
  BadScopeClient:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
      GenerateSecret: true
      AllowedOAuthFlows: [client_credentials]
      AllowedOAuthScopes: [nowhere/nothing]
      AllowedOAuthFlowsUserPoolClient: true
`)
	out, errOut := fails("deploy", "--stack-name", "bad", "--template-file", bad)
	contains("failing deploy", out+errOut, "BadScopeClient", "ROLLBACK")
	// --strict refuses a resource type Cognate does not emulate, which a
	// plain deploy records with a warning.
	logs := writeFile(t, dir, "logs.yaml", `Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 7
`)
	out, errOut = fails("deploy", "--stack-name", "strict-logs", "--template-file", logs, "--strict")
	contains("strict deploy", out+errOut, "Resources/Logs/Type", "AWS::Logs::LogGroup is not emulated")
	out = ok("deploy", "--stack-name", "plain-logs", "--template-file", logs)
	contains("plain deploy", out, "CREATE_COMPLETE     AWS::Logs::LogGroup")
	ok("delete", "--stack-name", "plain-logs", "--yes")
	// Fixed, it deploys over the failed creation.
	good := writeFile(t, dir, "good.yaml", strings.Replace(`Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties: {Fn::Transform: {Name: AWS::Include, Parameters: {Location: props.yaml}}}
`, "\t", "", -1))
	writeFile(t, dir, "props.yaml", "UserPoolName: good\n")
	out = ok("deploy", "--stack-name", "bad", "--template-file", good)
	contains("deploy over a failed creation", out, "ROLLBACK_COMPLETE", "CREATE_COMPLETE")

	// samconfig.toml and samconfig.yaml; flags win over the file.
	abs, err := filepath.Abs(authTemplate)
	if err != nil {
		t.Fatal(err)
	}
	toml := writeFile(t, dir, "samconfig.toml", `version = 0.1
[default.deploy.parameters]
stack_name = "wrong-env"

[dev.deploy.parameters]
stack_name = "cfg-toml"
template_file = "`+abs+`"
region = "us-east-1"
parameter_overrides = "CognitoUserPoolDomainName=\"cfg-toml\""
`)
	out = ok("deploy", "--config-file", toml, "--config-env", "dev")
	contains("deploy --config-file samconfig.toml", out, "Creating stack cfg-toml", "https://cfg-toml.auth.us-east-1")
	yml := writeFile(t, dir, "samconfig.yaml", `version: 0.1
prod:
  deploy:
    parameters:
      stack_name: from-file
      template_file: `+abs+`
      parameter_overrides:
        - CognitoUserPoolDomainName=cfg-yaml
`)
	out = ok("deploy", "--config-file", yml, "--config-env", "prod", "--stack-name", "cfg-yaml")
	contains("deploy --config-file samconfig.yaml", out, "Creating stack cfg-yaml", "https://cfg-yaml.auth.us-east-1")

	var stacks []struct{ StackName, StackStatus, LastUpdatedTime string }
	if err := json.Unmarshal([]byte(ok("stacks", "--output", "json")), &stacks); err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, s := range stacks {
		status[s.StackName] = s.StackStatus
		if _, err := time.Parse(time.RFC3339, s.LastUpdatedTime); err != nil {
			t.Errorf("stacks: %s LastUpdatedTime %q", s.StackName, s.LastUpdatedTime)
		}
	}
	want := map[string]string{"andmoredev-auth": "CREATE_COMPLETE", "echo-api": "CREATE_COMPLETE", "bad": "CREATE_COMPLETE",
		"cfg-toml": "CREATE_COMPLETE", "cfg-yaml": "CREATE_COMPLETE"}
	if !reflect.DeepEqual(status, want) {
		t.Errorf("stacks -o json: %v, want %v", status, want)
	}
	contains("stacks table", ok("stacks"), "NAME", "STATUS", "LAST UPDATED", "echo-api", "andmoredev-auth")

	// Delete: without --yes and without a terminal it refuses; the auth
	// stack is refused while echo-api reads its SSM parameters.
	if _, errOut := fails("delete", "--stack-name", "echo-api"); !strings.Contains(errOut, "--yes") {
		t.Errorf("delete without --yes nor terminal: %s", errOut)
	}
	if _, errOut := fails("delete", "--stack-name", "andmoredev-auth", "--yes"); !strings.Contains(errOut, "in use by echo-api") {
		t.Errorf("delete of the auth stack while echo-api uses it: %s", errOut)
	}
	contains("delete echo-api", ok("delete", "--stack-name", "echo-api", "--yes"), "Deleted stack echo-api")
	contains("delete auth", ok("delete", "--stack-name", "andmoredev-auth", "--yes"), "Deleted stack andmoredev-auth")
	if _, errOut := fails("delete", "--stack-name", "echo-api", "--yes"); !strings.Contains(errOut, "does not exist") {
		t.Errorf("delete of a deleted stack: %s", errOut)
	}
	out = ok("stacks")
	if strings.Contains(out, "echo-api") || strings.Contains(out, "andmoredev-auth") {
		t.Errorf("stacks after delete:\n%s", out)
	}
}

func TestDeployCommandNeedsServer(t *testing.T) {
	t.Parallel()
	_, errOut, err := runCognate(t, "deploy", "--stack-name", "s", "--template-file", filepath.Join("..", "..", "examples", "auth", "template.yaml"),
		"--endpoint", "http://127.0.0.1:"+freePort(t))
	if err == nil || !strings.Contains(errOut, "is `cognate up` running?") {
		t.Errorf("deploy without a server: %v %s", err, errOut)
	}
	_, errOut, err = runCognate(t, "deploy", "--template-file", "x.yaml")
	if err == nil || !strings.Contains(errOut, "missing --stack-name") {
		t.Errorf("deploy without --stack-name: %v %s", err, errOut)
	}
}

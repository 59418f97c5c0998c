package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The article's two stacks deploy unchanged through the AWS CLI's
// CloudFormation commands against the full server: the auth stack
// publishes its pool through SSM, the SAM API stack reads it through
// SSM-typed parameters and creates its resource server and client, and
// that client gets a token at once.
func TestAWSCLIDeploysArticleStacks(t *testing.T) {
	n := startNode(t, nil)
	cli := newAWSCLI(t, n)
	_, file, _, _ := runtime.Caller(0)
	examples := filepath.Join(filepath.Dir(file), "..", "..", "examples")
	aws := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, cli.bin, append([]string{"--endpoint-url", cli.endpoint, "--region", "us-east-1", "--output", "json"}, args...)...)
		cmd.Env = cli.env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
		}
		return out.String()
	}
	aws("cloudformation", "create-stack", "--stack-name", "andmoredev-auth",
		"--template-body", "file://"+filepath.Join(examples, "auth", "template.yaml"),
		"--parameters", "ParameterKey=CognitoUserPoolDomainName,ParameterValue=andmoredev")
	aws("cloudformation", "wait", "stack-create-complete", "--stack-name", "andmoredev-auth")
	var param struct{ Parameter struct{ Value string } }
	if err := json.Unmarshal([]byte(aws("ssm", "get-parameter", "--name", "/andmoredev-auth/CognitoUserPoolId")), &param); err != nil {
		t.Fatal(err)
	}
	poolID := param.Parameter.Value
	if !strings.HasPrefix(poolID, "us-east-1_") {
		t.Fatalf("SSM parameter written by the auth stack: %q", poolID)
	}

	aws("cloudformation", "create-stack", "--stack-name", "echo-api",
		"--template-body", "file://"+filepath.Join(examples, "echo-api", "template.yaml"),
		"--capabilities", "CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND")
	aws("cloudformation", "wait", "stack-create-complete", "--stack-name", "echo-api")
	var outputs []struct{ OutputKey, OutputValue string }
	if err := json.Unmarshal([]byte(aws("cloudformation", "describe-stacks", "--stack-name", "echo-api", "--query", "Stacks[0].Outputs")), &outputs); err != nil {
		t.Fatal(err)
	}
	clientID := ""
	for _, o := range outputs {
		if o.OutputKey == "ClientId" {
			clientID = o.OutputValue
		}
	}
	if clientID == "" {
		t.Fatalf("echo-api outputs have no ClientId: %+v", outputs)
	}
	var client struct{ UserPoolClient struct{ ClientSecret string } }
	if err := json.Unmarshal([]byte(aws("cognito-idp", "describe-user-pool-client", "--user-pool-id", poolID, "--client-id", clientID)), &client); err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	status, body := postToken(t, ctx, tokenCall{URL: n.pathTokenURL("andmoredev"), BasicID: clientID,
		BasicSecret: client.UserPoolClient.ClientSecret, Body: "grant_type=client_credentials&scope=echo-api/echo"})
	if status != 200 {
		t.Fatalf("token for the stack's client: %d %s", status, body)
	}

	// The same template again changes nothing, as CloudFormation answers.
	cmd := exec.Command(cli.bin, "--endpoint-url", cli.endpoint, "--region", "us-east-1", "cloudformation", "update-stack",
		"--stack-name", "echo-api", "--template-body", "file://"+filepath.Join(examples, "echo-api", "template.yaml"),
		"--capabilities", "CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND")
	cmd.Env = cli.env
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "No updates are to be performed") {
		t.Errorf("update-stack with the same template: %v\n%s", err, out)
	}
}

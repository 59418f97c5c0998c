package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The AWS CLI's `aws ssm` reaches the Parameter Store through the full
// server: the article's auth stack publishes its pool id this way, and
// scripts read it back with get-parameter.
func TestAWSCLISSMParameters(t *testing.T) {
	n := startNode(t, nil)
	cli := newAWSCLI(t, n)
	ssm := func(args ...string) (string, string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, cli.bin, append([]string{"--endpoint-url", cli.endpoint, "--region", "us-east-1", "--output", "json", "ssm"}, args...)...)
		cmd.Env = cli.env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		return out.String(), errOut.String(), err
	}
	if _, errOut, err := ssm("put-parameter", "--name", "/andmoredev-auth/CognitoUserPoolId", "--type", "String", "--value", "us-east-1_AbCdEfGhI"); err != nil {
		t.Fatalf("put-parameter: %v\n%s", err, errOut)
	}
	if _, errOut, err := ssm("put-parameter", "--name", "/andmoredev-auth/Secret", "--type", "SecureString", "--value", "s3cr3t-value"); err != nil {
		t.Fatalf("put-parameter SecureString: %v\n%s", err, errOut)
	}
	out, errOut, err := ssm("get-parameter", "--name", "/andmoredev-auth/CognitoUserPoolId")
	if err != nil {
		t.Fatalf("get-parameter: %v\n%s", err, errOut)
	}
	var got struct {
		Parameter struct {
			Name, Type, Value, ARN string
			Version                int
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	p := got.Parameter
	if p.Value != "us-east-1_AbCdEfGhI" || p.Version != 1 || p.Type != "String" ||
		p.ARN != "arn:aws:ssm:us-east-1:000000000000:parameter/andmoredev-auth/CognitoUserPoolId" {
		t.Errorf("get-parameter = %+v", p)
	}
	out, _, err = ssm("get-parameters-by-path", "--path", "/andmoredev-auth", "--with-decryption")
	if err != nil || !strings.Contains(out, "s3cr3t-value") || !strings.Contains(out, "us-east-1_AbCdEfGhI") {
		t.Errorf("get-parameters-by-path: %v\n%s", err, out)
	}
	if _, errOut, err := ssm("put-parameter", "--name", "/andmoredev-auth/CognitoUserPoolId", "--type", "String", "--value", "x"); err == nil || !strings.Contains(errOut, "ParameterAlreadyExists") {
		t.Errorf("put without --overwrite: %v\n%s", err, errOut)
	}
	if _, errOut, err := ssm("get-parameter", "--name", "/nope"); err == nil || !strings.Contains(errOut, "ParameterNotFound") {
		t.Errorf("missing parameter: %v\n%s", err, errOut)
	}
	if strings.Contains(n.SettledLogs(), "s3cr3t-value") {
		t.Error("the SecureString value reached the log")
	}
}

package awsapi

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// awsCLI runs "aws cloudformation <args>" against e with the test
// credentials and no user configuration, and returns stdout, stderr and
// the exit error.
func (e *cfnEnv) awsCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command("aws", append([]string{"--endpoint-url", e.srv.URL, "--region", testRegion, "--output", "json", "cloudformation"}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "AWS_ACCESS_KEY_ID="+testAccessKey, "AWS_SECRET_ACCESS_KEY="+testSecretKey,
		"AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

func (e *cfnEnv) mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := e.awsCLI(t, args...)
	if err != nil {
		t.Fatalf("aws cloudformation %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

// TestCloudFormationAWSCLI runs the commands of issue 4 point 6 with the
// AWS CLI: create-stack with --template-body file://, the waiters,
// describe-stacks with the --query CI scripts use, list-stacks, the
// resource and event listings, update-stack with nothing to do, and
// delete-stack.
func TestCloudFormationAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	if testing.Short() {
		t.Skip("starts the AWS CLI several times")
	}
	e := newCFNEnv(t)
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte(cfnAuthTemplate), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := e.mustCLI(t, "validate-template", "--template-body", "file://"+path, "--query", "Parameters[?NoEcho].ParameterKey", "--output", "text"); strings.TrimSpace(out) != "Secret" {
		t.Errorf("validate-template: %q", out)
	}
	out := e.mustCLI(t, "create-stack", "--stack-name", "andmoredev-auth", "--template-body", "file://"+path,
		"--parameters", "ParameterKey=DomainName,ParameterValue=andmoredev", "--capabilities", "CAPABILITY_IAM")
	var created struct{ StackId string }
	if err := json.Unmarshal([]byte(out), &created); err != nil || !strings.HasPrefix(created.StackId, "arn:aws:cloudformation:us-east-1:000000000000:stack/andmoredev-auth/") {
		t.Fatalf("create-stack: %q %v", out, err)
	}
	e.mustCLI(t, "wait", "stack-create-complete", "--stack-name", "andmoredev-auth")

	out = e.mustCLI(t, "describe-stacks", "--stack-name", "andmoredev-auth", "--query", "Stacks[0].Outputs")
	var outputs []map[string]string
	if err := json.Unmarshal([]byte(out), &outputs); err != nil {
		t.Fatalf("outputs %q: %v", out, err)
	}
	byKey := map[string]map[string]string{}
	for _, o := range outputs {
		byKey[o["OutputKey"]] = o
	}
	if o := byKey["CognitoUserPoolId"]; !strings.HasPrefix(o["OutputValue"], "us-east-1_") || o["Description"] != "The shared user pool" || o["ExportName"] != "andmoredev-auth-PoolId" {
		t.Errorf("output CognitoUserPoolId %v", o)
	}
	poolID := byKey["CognitoUserPoolId"]["OutputValue"]
	if out := e.mustCLI(t, "describe-stacks", "--stack-name", "andmoredev-auth", "--query",
		"Stacks[0].Outputs[?OutputKey=='CognitoUserPoolId'].OutputValue", "--output", "text"); strings.TrimSpace(out) != poolID {
		t.Errorf("--output text query: %q", out)
	}
	if out := e.mustCLI(t, "describe-stacks", "--stack-name", "andmoredev-auth", "--query", "Stacks[0].[StackStatus,Parameters[?ParameterKey=='Secret'].ParameterValue|[0]]", "--output", "text"); strings.Join(strings.Fields(out), " ") != "CREATE_COMPLETE ****" {
		t.Errorf("status and NoEcho parameter: %q", out)
	}
	if out := e.mustCLI(t, "list-stacks", "--query", "StackSummaries[].StackName", "--output", "text"); strings.TrimSpace(out) != "andmoredev-auth" {
		t.Errorf("list-stacks: %q", out)
	}
	if out := e.mustCLI(t, "describe-stack-resources", "--stack-name", "andmoredev-auth", "--query",
		"StackResources[?LogicalResourceId=='Pool'].PhysicalResourceId", "--output", "text"); strings.TrimSpace(out) != poolID {
		t.Errorf("describe-stack-resources: %q", out)
	}
	if out := e.mustCLI(t, "describe-stack-events", "--stack-name", "andmoredev-auth", "--query",
		"StackEvents[0].[LogicalResourceId,ResourceStatus]", "--output", "text"); strings.Join(strings.Fields(out), " ") != "andmoredev-auth CREATE_COMPLETE" {
		t.Errorf("describe-stack-events: %q", out)
	}
	if out := e.mustCLI(t, "get-template", "--stack-name", "andmoredev-auth", "--query", "TemplateBody", "--output", "text"); !strings.Contains(out, "AWS::Cognito::UserPoolDomain") {
		t.Errorf("get-template: %q", out)
	}

	_, errOut, err := e.awsCLI(t, "update-stack", "--stack-name", "andmoredev-auth", "--template-body", "file://"+path,
		"--parameters", "ParameterKey=DomainName,UsePreviousValue=true")
	if err == nil || !strings.Contains(errOut, "An error occurred (ValidationError) when calling the UpdateStack operation: No updates are to be performed.") {
		t.Errorf("update-stack with no changes: %v %q", err, errOut)
	}
	_, errOut, err = e.awsCLI(t, "describe-stacks", "--stack-name", "nope")
	if err == nil || !strings.Contains(errOut, "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id nope does not exist") {
		t.Errorf("describe-stacks of a missing stack: %v %q", err, errOut)
	}

	e.mustCLI(t, "delete-stack", "--stack-name", "andmoredev-auth")
	e.mustCLI(t, "wait", "stack-delete-complete", "--stack-name", "andmoredev-auth")
	// AWS keeps listing a deleted stack for 90 days.
	if out := e.mustCLI(t, "list-stacks", "--query", "StackSummaries[].StackStatus", "--output", "text"); strings.TrimSpace(out) != "DELETE_COMPLETE" {
		t.Errorf("list-stacks after delete: %q", out)
	}
	if out := e.mustCLI(t, "list-stacks", "--stack-status-filter", "CREATE_COMPLETE", "--query", "length(StackSummaries)"); strings.TrimSpace(out) != "0" {
		t.Errorf("list-stacks --stack-status-filter CREATE_COMPLETE after delete: %q", out)
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseParameterOverrides(t *testing.T) {
	got, err := parseParameterOverrides([]string{
		`A=1 B="two words" C='x=y'`,
		"ParameterKey=D,ParameterValue=d,e",
		"E=",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{"A", "1"}, {"B", "two words"}, {"C", "x=y"}, {"D", "d,e"}, {"E", ""}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, bad := range []string{"novalue", `A="open`, "ParameterKey=K", "=v"} {
		if _, err := parseParameterOverrides([]string{bad}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestReadSAMConfig(t *testing.T) {
	dir := t.TempDir()
	tomlPath := filepath.Join(dir, "samconfig.toml")
	os.WriteFile(tomlPath, []byte(`version = 0.1
[default.global.parameters]
region = "eu-west-1"
[default.deploy.parameters]
stack_name = "app"
template_file = "template.yaml"
parameter_overrides = "A=1 B=\"v w\""
capabilities = "CAPABILITY_IAM CAPABILITY_AUTO_EXPAND"
`), 0o644)
	cfg, err := readSAMConfig(tomlPath, "default")
	if err != nil {
		t.Fatal(err)
	}
	want := samConfig{StackName: "app", TemplateFile: filepath.Join(dir, "template.yaml"), Region: "eu-west-1",
		ParameterOverrides: []string{`A=1 B="v w"`}, Capabilities: []string{"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("toml: %+v, want %+v", cfg, want)
	}
	if _, err := readSAMConfig(tomlPath, "prod"); err == nil || !strings.Contains(err.Error(), "--config-env") {
		t.Errorf("missing env: %v", err)
	}

	yamlPath := filepath.Join(dir, "samconfig.yaml")
	os.WriteFile(yamlPath, []byte(`version: 0.1
prod:
  deploy:
    parameters:
      stack_name: app-prod
      region: us-west-2
      parameter_overrides:
        - A=1
        - B=2
`), 0o644)
	cfg, err = readSAMConfig(yamlPath, "prod")
	if err != nil {
		t.Fatal(err)
	}
	want = samConfig{StackName: "app-prod", Region: "us-west-2", ParameterOverrides: []string{"A=1", "B=2"}}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("yaml: %+v, want %+v", cfg, want)
	}
}

func TestReadDeployTemplateInlinesIncludes(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "api"), 0o755)
	os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(`Transform: AWS::Serverless-2016-10-31
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      Fn::Transform:
        Name: AWS::Include
        Parameters:
          Location: pool.yaml
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      DefinitionUri: api/openapi.yaml
  Api2:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      DefinitionBody:
        'Fn::Transform':
          Name: 'AWS::Include'
          Parameters:
            Location: api/openapi.yaml
`), 0o644)
	os.WriteFile(filepath.Join(dir, "pool.yaml"), []byte("UserPoolName: p\nPolicies: {Fn::Transform: {Name: AWS::Include, Parameters: {Location: policies.json}}}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "policies.json"), []byte(`{"PasswordPolicy": {"MinimumLength": 8}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "api", "openapi.yaml"), []byte("openapi: 3.0.1\npaths: {}\n"), 0o644)
	body, err := readDeployTemplate(filepath.Join(dir, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"Transform": "AWS::Serverless-2016-10-31",
		"Resources": map[string]any{
			"Pool": map[string]any{"Type": "AWS::Cognito::UserPool", "Properties": map[string]any{
				"UserPoolName": "p", "Policies": map[string]any{"PasswordPolicy": map[string]any{"MinimumLength": 8.0}}}},
			"Api": map[string]any{"Type": "AWS::Serverless::Api", "Properties": map[string]any{
				"StageName": "dev", "DefinitionBody": map[string]any{"openapi": "3.0.1", "paths": map[string]any{}}}},
			"Api2": map[string]any{"Type": "AWS::Serverless::Api", "Properties": map[string]any{
				"StageName": "dev", "DefinitionBody": map[string]any{"openapi": "3.0.1", "paths": map[string]any{}}}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %s", body)
	}

	os.WriteFile(filepath.Join(dir, "s3.yaml"), []byte("Resources:\n  X: {Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/k.yaml}}}\n"), 0o644)
	if _, err := readDeployTemplate(filepath.Join(dir, "s3.yaml")); err == nil || !strings.Contains(err.Error(), "only local files") {
		t.Errorf("S3 include: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "missing.yaml"), []byte("Resources:\n  X: {Fn::Transform: {Name: AWS::Include, Parameters: {Location: nope.yaml}}}\n"), 0o644)
	if _, err := readDeployTemplate(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("missing include: %v", err)
	}
}

// Without --config-file, the working directory's samconfig is used as
// sam deploy uses it; one without a default environment is ignored unless
// --config-env names one.
func TestDefaultSAMConfig(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if got := defaultSAMConfig(false); got != "" {
		t.Fatalf("no samconfig: %q", got)
	}
	if err := os.WriteFile("samconfig.toml", []byte("version = 0.1\n[dev.deploy.parameters]\nstack_name = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := defaultSAMConfig(false); got != "" {
		t.Errorf("samconfig without [default]: %q, want it ignored", got)
	}
	if got := defaultSAMConfig(true); got != "samconfig.toml" {
		t.Errorf("with --config-env: %q", got)
	}
	if err := os.WriteFile("samconfig.toml", []byte("version = 0.1\n[default.deploy.parameters]\nstack_name = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := defaultSAMConfig(false); got != "samconfig.toml" {
		t.Errorf("samconfig with [default]: %q", got)
	}
}

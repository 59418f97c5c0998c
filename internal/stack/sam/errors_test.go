package sam

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// errorCases are the templates under testdata/errors, the problem
// Transform must report (path and message fragment), and whether
// aws-sam-translator rejects the template too (false: a Cognate
// limitation, where SAM would go on).
var errorCases = []struct {
	file, path, msg string
	samRejects      bool
}{
	{"none_without_default.yaml", "Resources/Fn/Properties/Events/E/Properties/Auth/Authorizer", "'NONE' is only a valid value when a DefaultAuthorizer on the API is specified", true},
	{"scopes_without_authorizer.yaml", "Resources/Fn/Properties/Events/E/Properties/Auth/AuthorizationScopes", "AuthorizationScopes works only when Authorizer is set", true},
	{"unknown_default.yaml", "Resources/Api/Properties/Auth/DefaultAuthorizer", "'Missing' was not defined in 'Authorizers'", true},
	{"unknown_authorizer.yaml", "Resources/Fn/Properties/Events/E/Properties/Auth/Authorizer", "Unable to set Authorizer [Other] on API method [get] for path [/x]", true},
	{"missing_stage.yaml", "Resources/Api/Properties", "Missing required property 'StageName'", true},
	{"cors_credentials_wildcard.yaml", "Resources/Api/Properties/Cors", "'AllowCredentials' can not be true", true},
	{"unsupported_type.yaml", "Resources/Table/Type", "Cognate's SAM transform does not support AWS::Serverless::SimpleTable yet", false},
	{"s3_include.yaml", "Resources/Api/Properties/DefinitionBody", "Cognate only includes local files", false},
	{"unsupported_event.yaml", "Resources/Fn/Properties/Events/Nightly", "does not support events of Type Schedule yet", false},
	{"unsupported_property.yaml", "Resources/Fn/Properties/AutoPublishAlias", "does not support the AutoPublishAlias property of AWS::Serverless::Function yet", false},
	{"conditional_event.yaml", "Resources/Fn/Condition", "does not support Api events on a function with a Condition yet", false},
	{"openapi3.yaml", "Resources/Api/Properties/OpenApiVersion", "supports only OpenApiVersion 2.x yet", false},
	{"policy_name.yaml", "Resources/Fn/Properties/Policies/0", "does not support managed policy names yet", false},
	{"request_model_undefined.yaml", "Resources/Fn/Properties/Events/E/Properties/RequestModel/Model", "Unable to set RequestModel [msg] on API method [post] for path [/x] because it wasn't defined in the API's Models.", true},
	{"request_model_no_models.yaml", "Resources/Fn/Properties/Events/E/Properties/RequestModel/Model", "because the related API does not define any Models.", true},
	{"request_model_validate_string.yaml", "Resources/Fn/Properties/Events/E/Properties/RequestModel", "ValidateBody and ValidateParameters must be a boolean type", true},
	{"model_missing_type.yaml", "Resources/Api/Properties/Models/Msg", "'Models' schema is missing 'type'.", true},
	{"models_not_map.yaml", "Resources/Api/Properties/Models", "Property 'Models' should be a map.", true},
	{"request_parameters_location.yaml", "Resources/Fn/Properties/Events/E/Properties/RequestParameters/0", "Keys must be in the format 'method.request.[querystring|path|header].{value}'", true},
	{"request_parameters_value.yaml", "Resources/Fn/Properties/Events/E/Properties/RequestParameters/0/method.request.querystring.q", "Values must be an object, e.g { Required: true, Caching: false }", true},
	{"globals_models.yaml", "Globals/Api/Models", "'Models' is not a supported property of 'Api'", true},
	{"request_parameters_two_keys.yaml", "Resources/Fn/Properties/Events/E/Properties/RequestParameters/0", "must name exactly one parameter", false},
}

func TestErrors(t *testing.T) {
	oracle := exec.Command("python3", "-c", "import samtranslator, cfnlint").Run() == nil
	if !oracle && os.Getenv("CI") == "true" {
		t.Fatal("python3 with samtranslator and cfnlint is required under CI")
	}
	for _, c := range errorCases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join("testdata", "errors", c.file)
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			tpl, err := template.Read(src)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			_, err = Transform(tpl, Options{Load: DirLoader(filepath.Dir(file))})
			var list template.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Transform error = %v, want an ErrorList", err)
			}
			found := false
			for _, e := range list {
				if e.Path == c.path && strings.Contains(e.Msg, c.msg) {
					found = true
					if !e.Pos.IsValid() {
						t.Errorf("problem %q has no position", e)
					}
				}
			}
			if !found {
				t.Errorf("got %v\nwant a problem at %s containing %q", err, c.path, c.msg)
			}
			if !c.samRejects || !oracle {
				return
			}
			out, err := exec.Command("python3", "testdata/sam_oracle.py", file).Output()
			if err != nil {
				t.Fatalf("sam_oracle.py: %v", err)
			}
			if !strings.Contains(string(out), `"error"`) {
				t.Errorf("aws-sam-translator accepts %s; Cognate rejects it", file)
			}
		})
	}
}

// TestNoServerlessTransform checks that a plain template comes back equal,
// with its AWS::Include snippets expanded.
func TestNoServerlessTransform(t *testing.T) {
	src := []byte(`
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Fn::Transform:
        Name: AWS::Include
        Parameters:
          Location: snippet.yaml
`)
	tpl, err := template.Read(src)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Transform(tpl, Options{Load: func(loc string) ([]byte, error) {
		if loc != "snippet.yaml" {
			t.Errorf("loaded %q", loc)
		}
		return []byte("TopicName: !Sub ${AWS::StackName}-events\n"), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := out.Root.String()
	want := `{"Resources":{"Topic":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":{"Fn::Sub":"${AWS::StackName}-events"}}}}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if tpl.Root.Get("Resources").Get("Topic").Get("Properties").Get("Fn::Transform") == nil {
		t.Error("Transform modified its input")
	}
}

// TestGlobalsMerge pins SAM's merge rules (APIGATEWAY.md §5.3), which the
// oracle confirms on testdata/globals_cors.yaml.
func TestGlobalsMerge(t *testing.T) {
	read := func(s string) *template.Node {
		n, _, err := template.ReadValue([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	g := read(`{"Timeout": 3, "Layers": ["a"], "Environment": {"Variables": {"A": "1", "B": "2"}}, "Role": {"Ref": "R"}}`)
	l := read(`{"Timeout": 9, "Layers": ["b"], "Environment": {"Variables": {"B": "3"}}, "Role": {"Fn::GetAtt": ["X", "Arn"]}}`)
	got := mergeGlobals(g, l).String()
	want := `{"Timeout":9,"Layers":["a","b"],"Environment":{"Variables":{"A":"1","B":"3"}},"Role":{"Fn::GetAtt":["X","Arn"]}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if g.String() != `{"Timeout":3,"Layers":["a"],"Environment":{"Variables":{"A":"1","B":"2"}},"Role":{"Ref":"R"}}` {
		t.Errorf("merge modified the globals: %s", g)
	}
}

// TestDefinitionURI checks that a local DefinitionUri becomes the Body as
// written, and that a remote one is refused.
func TestDefinitionURI(t *testing.T) {
	src := []byte(`
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      DefinitionUri: include/openapi.yaml
  Remote:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      DefinitionUri: s3://bucket/openapi.yaml
`)
	tpl, err := template.Read(src)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Transform(tpl, Options{Load: DirLoader("testdata")})
	if err == nil || !strings.Contains(err.Error(), "Resources/Remote/Properties/DefinitionUri: DefinitionUri location s3://bucket/openapi.yaml: Cognate only includes local files") {
		t.Fatalf("err = %v, want the s3 DefinitionUri refused", err)
	}
	del(tpl.Root.Get("Resources"), "Remote")
	out, err := Transform(tpl, Options{Load: DirLoader("testdata")})
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("testdata/include/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := template.ReadValue(file)
	if err != nil {
		t.Fatal(err)
	}
	body := out.Root.Get("Resources").Get("Api").Get("Properties").Get("Body")
	if !template.Equal(body, want) {
		t.Errorf("Body = %s\nwant %s", body, want)
	}
}

package apimodel

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cognatehq/cognate/internal/stack/sam"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// TestEchoExample runs the article's template (examples/echo-api) through
// the SAM transform and compiles the API it produces.
func TestEchoExample(t *testing.T) {
	file := "../../../examples/echo-api/template.yaml"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Read(src)
	if err != nil {
		t.Fatal(err)
	}
	out, err := sam.Transform(tpl, sam.Options{Load: sam.DirLoader(filepath.Dir(file))})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := out.Root.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	def, ok := restAPIs(t, raw)["EchoApi"]
	if !ok {
		t.Fatal("the transform produced no EchoApi RestApi")
	}
	api, err := Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	m := method(t, api, "POST", "/echo")
	if m.Authorization != AuthCognito || m.Authorizer.Name != "ClientCognitoAuthorizer" || !slices.Equal(m.Scopes, []string{"echo-api/echo"}) {
		t.Errorf("POST /echo = %s %+v %q, want the default Cognito authorizer with echo-api/echo", m.Authorization, m.Authorizer, m.Scopes)
	}
	if m.Integration.FunctionARN != "arn:aws:lambda:us-east-1:123456789012:function:EchoFunction" {
		t.Errorf("function = %q", m.Integration.FunctionARN)
	}
	if len(api.Warnings) != 0 {
		t.Errorf("warnings: %q", api.Warnings)
	}
}

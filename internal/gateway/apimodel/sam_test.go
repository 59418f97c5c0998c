package apimodel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The SAM transform's golden outputs are the bodies AWS deploys for those
// templates; these tests compile them as a deployment would, after a
// stand-in evaluation of their intrinsic functions.

const samTestdata = "../../stack/sam/testdata"

const testRoot = "rootres001"

// fakeEval replaces Ref, Fn::GetAtt and Fn::Sub with fixed values: a
// function's Arn is arn:aws:lambda:us-east-1:123456789012:function:{Name},
// a Ref to something ending in Arn is a user pool ARN.
func fakeEval(v any) any {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 1 {
			if ref, ok := t["Ref"].(string); ok {
				return fakeRef(ref)
			}
			if att, ok := t["Fn::GetAtt"].([]any); ok && len(att) == 2 {
				return fakeRef(att[0].(string) + "." + att[1].(string))
			}
			if sub, ok := t["Fn::Sub"]; ok {
				return fakeSub(sub)
			}
		}
		out := map[string]any{}
		for k, x := range t {
			out[k] = fakeEval(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = fakeEval(x)
		}
		return out
	}
	return v
}

func fakeRef(name string) string {
	switch {
	case name == "AWS::Region":
		return "us-east-1"
	case name == "AWS::AccountId":
		return "123456789012"
	case name == "AWS::StackName":
		return "test-stack"
	case strings.HasSuffix(name, ".Arn"):
		return "arn:aws:lambda:us-east-1:123456789012:function:" + strings.TrimSuffix(name, ".Arn")
	case strings.HasSuffix(name, "Arn"):
		return "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_" + name
	}
	return "ref-" + name
}

var subVar = regexp.MustCompile(`\$\{([^}]+)\}`)

func fakeSub(v any) string {
	var s string
	vars := map[string]any{}
	switch t := v.(type) {
	case string:
		s = t
	case []any:
		s, _ = t[0].(string)
		if m, ok := t[1].(map[string]any); ok {
			vars = m
		}
	}
	return subVar.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-1]
		if x, ok := vars[name]; ok {
			if str, ok := fakeEval(x).(string); ok {
				return str
			}
		}
		return fakeRef(name)
	})
}

// restAPIs returns the Definitions of a transformed template's RestApis,
// by logical id.
func restAPIs(t *testing.T, transformed []byte) map[string]Definition {
	t.Helper()
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(transformed, &tpl); err != nil {
		t.Fatal(err)
	}
	out := map[string]Definition{}
	for id, r := range tpl.Resources {
		if r.Type != "AWS::ApiGateway::RestApi" {
			continue
		}
		props := fakeEval(r.Properties).(map[string]any)
		body, err := json.Marshal(props["Body"])
		if err != nil {
			t.Fatal(err)
		}
		def := Definition{Body: body, RootResourceID: testRoot}
		if bmt, ok := props["BinaryMediaTypes"].([]any); ok {
			for _, x := range bmt {
				def.BinaryMediaTypes = append(def.BinaryMediaTypes, x.(string))
			}
		}
		out[id] = def
	}
	return out
}

func compileGolden(t *testing.T, name, api string) *API {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(samTestdata, name+".golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	def, ok := restAPIs(t, raw)[api]
	if !ok {
		t.Fatalf("%s has no RestApi %s", name, api)
	}
	got, err := Compile(def)
	if err != nil {
		t.Fatalf("Compile(%s %s): %v", name, api, err)
	}
	return got
}

// resource returns the API's resource at path, failing the test if absent.
func resource(t *testing.T, api *API, path string) *Resource {
	t.Helper()
	for _, r := range api.Resources {
		if r.Path == path {
			return r
		}
	}
	var paths []string
	for _, r := range api.Resources {
		paths = append(paths, r.Path)
	}
	t.Fatalf("no resource %s; have %v", path, paths)
	return nil
}

func method(t *testing.T, api *API, verb, path string) *Method {
	t.Helper()
	m := resource(t, api, path).Methods[verb]
	if m == nil {
		t.Fatalf("no method %s %s", verb, path)
	}
	return m
}

func TestEveryGoldenCompiles(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samTestdata, "*.golden.json"))
	if len(files) == 0 {
		t.Fatal("no SAM golden files found")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for id, def := range restAPIs(t, raw) {
			t.Run(filepath.Base(f)+"/"+id, func(t *testing.T) {
				api, err := Compile(def)
				if err != nil {
					t.Fatal(err)
				}
				if len(api.Warnings) > 0 {
					t.Errorf("warnings for a SAM API: %q", api.Warnings)
				}
				if api.Resources[0].Path != "/" || api.Resources[0].ID != testRoot {
					t.Errorf("first resource = %+v, want the root %s", api.Resources[0], testRoot)
				}
			})
		}
	}
}

func TestArticleAPI(t *testing.T) {
	api := compileGolden(t, "article", "EchoApi")
	if got := len(api.Resources); got != 2 {
		t.Errorf("%d resources, want / and /echo", got)
	}
	if n := len(resource(t, api, "/").Methods); n != 0 {
		t.Errorf("root has %d methods, want 0", n)
	}
	m := method(t, api, "POST", "/echo")
	if m.Authorization != AuthCognito {
		t.Errorf("authorization = %s, want %s", m.Authorization, AuthCognito)
	}
	want := &Authorizer{
		Name:           "ClientCognitoAuthorizer",
		Type:           "COGNITO_USER_POOLS",
		ProviderARNs:   []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_CognitoUserPoolArn"},
		IdentityHeader: "Authorization",
	}
	if !reflect.DeepEqual(m.Authorizer, want) {
		t.Errorf("authorizer = %+v, want %+v", m.Authorizer, want)
	}
	if !slices.Equal(m.Scopes, []string{"layerless-esbuild/api"}) {
		t.Errorf("scopes = %q", m.Scopes)
	}
	in := m.Integration
	if in.Type != IntegrationAWSProxy || in.HTTPMethod != "POST" ||
		in.FunctionARN != "arn:aws:lambda:us-east-1:123456789012:function:EchoFunction" {
		t.Errorf("integration = %+v", in)
	}
	if m.Validator != nil || m.BodySchemas != nil || m.Parameters != nil {
		t.Errorf("unexpected validation settings: %+v", m)
	}
}

func TestImplicitAPI(t *testing.T) {
	api := compileGolden(t, "implicit", "ServerlessRestApi")
	// "/hello/{name}/" names the resource /hello/{name}.
	hello := method(t, api, "GET", "/hello/{name}")
	if hello.Authorization != AuthCognito || hello.Scopes != nil {
		t.Errorf("GET /hello/{name}: %s scopes %q, want Cognito without scopes", hello.Authorization, hello.Scopes)
	}
	if r := resource(t, api, "/hello"); len(r.Methods) != 0 {
		t.Errorf("/hello has methods %v; it is only a parent", r.Methods)
	}
	public := method(t, api, "GET", "/public")
	if public.Authorization != AuthNone || public.Authorizer != nil {
		t.Errorf("GET /public: %s %+v, want NONE (security NONE)", public.Authorization, public.Authorizer)
	}
	if m := method(t, api, "ANY", "/proxy/{proxy+}"); m.Integration.FunctionARN != "arn:aws:lambda:us-east-1:123456789012:function:Inline" {
		t.Errorf("ANY /proxy/{proxy+} function = %q", m.Integration.FunctionARN)
	}
	opt := method(t, api, "OPTIONS", "/public")
	if opt.Integration.Type != IntegrationMock {
		t.Errorf("OPTIONS integration type = %s", opt.Integration.Type)
	}
	if got := opt.Integration.RequestTemplates["application/json"]; got != "{\n  \"statusCode\" : 200\n}\n" {
		t.Errorf("OPTIONS request template = %q", got)
	}
	def := opt.Integration.Responses["default"]
	if def == nil || def.StatusCode != "200" ||
		def.ResponseParameters["method.response.header.Access-Control-Allow-Origin"] != "'https://example.com'" {
		t.Errorf("OPTIONS default response = %+v", def)
	}
	if opt.Authorization != AuthCognito {
		t.Errorf("OPTIONS authorization = %s; SAM gives preflight the default authorizer", opt.Authorization)
	}
}

func TestIncludeAPI(t *testing.T) {
	api := compileGolden(t, "include", "OrdersApi")
	denied := api.GatewayResponses["ACCESS_DENIED"]
	if denied == nil || denied.StatusCode != "403" || denied.ResponseTemplates["application/json"] != `{"error": "forbidden"}` {
		t.Errorf("ACCESS_DENIED = %+v", denied)
	}
	d4 := api.GatewayResponses["DEFAULT_4XX"]
	if d4 == nil || d4.StatusCode != "" || d4.ResponseParameters["gatewayresponse.header.Access-Control-Allow-Origin"] != "'https://shop.example.com'" {
		t.Errorf("DEFAULT_4XX = %+v", d4)
	}
	opt := method(t, api, "OPTIONS", "/orders")
	// SAM writes MaxAge as a number.
	if got := opt.Integration.Responses["default"].ResponseParameters["method.response.header.Access-Control-Max-Age"]; got != "600" {
		t.Errorf("Max-Age parameter = %q, want 600", got)
	}
	if got := method(t, api, "POST", "/orders").Scopes; !slices.Equal(got, []string{"orders/write"}) {
		t.Errorf("POST /orders scopes = %q", got)
	}
}

func TestStageNamesAPI(t *testing.T) {
	api := compileGolden(t, "stage_names", "PublicApi")
	if !slices.Equal(api.BinaryMediaTypes, []string{"image/png", "*/*"}) {
		t.Errorf("binary media types = %q (the body's and the ~1-escaped property's, merged)", api.BinaryMediaTypes)
	}
	if m := method(t, api, "HEAD", "/status"); m.Authorization != AuthNone {
		t.Errorf("HEAD /status authorization = %s", m.Authorization)
	}
}

package apimodel

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func loadDefinition(t *testing.T, file string) Definition {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var def Definition
	if err := json.Unmarshal(raw, &def); err != nil {
		t.Fatal(err)
	}
	return def
}

func TestParts(t *testing.T) {
	api, err := Compile(loadDefinition(t, "testdata/parts.json"))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range api.Resources {
		ids[r.Path] = r.ID
	}
	wantIDs := map[string]string{"/": "root000001", "/pets": "res_pets", "/pets/{petId}": "res_pet", "/pets/{petId}/{proxy+}": "res_proxy"}
	if !reflect.DeepEqual(ids, wantIDs) {
		t.Errorf("resources = %v, want %v", ids, wantIDs)
	}

	get := method(t, api, "GET", "/pets")
	wantAuth := &Authorizer{
		Name: "PoolAuth", Type: "COGNITO_USER_POOLS",
		ProviderARNs: []string{
			"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_a",
			"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_b",
		},
		IdentityHeader: "X-Auth", ValidationExpression: ".*",
	}
	if get.Authorization != AuthCognito || !reflect.DeepEqual(get.Authorizer, wantAuth) || !slices.Equal(get.Scopes, []string{"pets/read"}) {
		t.Errorf("GET /pets auth = %s %+v %q", get.Authorization, get.Authorizer, get.Scopes)
	}
	wantParams := []Parameter{
		{In: "querystring", Name: "limit", Required: true},
		{In: "header", Name: "X-Trace"},
		{In: "querystring", Name: "after", Required: true},
	}
	if !reflect.DeepEqual(get.Parameters, wantParams) {
		t.Errorf("GET /pets parameters = %+v, want %+v (declared order)", get.Parameters, wantParams)
	}
	if v := get.Validator; v == nil || v.Name != "both" || !v.Body || !v.Params {
		t.Errorf("GET /pets validator = %+v", v)
	}
	if in := get.Integration; in.Type != IntegrationHTTPProxy || in.TimeoutMillis != 10000 || in.HTTPMethod != "GET" ||
		in.RequestParameters["integration.request.querystring.limit"] != "method.request.querystring.limit" {
		t.Errorf("GET /pets integration = %+v", in)
	}

	post := method(t, api, "POST", "/pets")
	if post.Authorization != AuthCognito {
		t.Errorf("POST /pets: AuthorizationType inferred from the authorizer = %s", post.Authorization)
	}
	jsonEqual(t, "POST /pets model", post.BodySchemas["application/json"], `{
		"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["name"],
		"properties": {"name": {"type": "string"}, "tag": {"$ref": "#/definitions/Tag"}, "local": {"$ref": "#/definitions/Local"}},
		"definitions": {"Local": {"type": "integer"}, "Tag": {"type": "string"}}
	}`)
	if _, ok := post.BodySchemas["text/plain"]; ok {
		t.Errorf("the built-in Empty model produced a schema")
	}
	if in := post.Integration; in.Type != IntegrationMock || in.PassthroughBehavior != "NEVER" ||
		in.Responses["default"].StatusCode != "201" || in.Responses[".*error.*"].StatusCode != "500" {
		t.Errorf("POST /pets integration = %+v", in)
	}

	proxy := method(t, api, "ANY", "/pets/{petId}/{proxy+}")
	if proxy.Authorization != AuthNone || !proxy.APIKeyRequired || proxy.Integration.FunctionARN != "arn:aws:lambda:us-east-1:123456789012:function:proxy" {
		t.Errorf("ANY proxy = %+v", proxy)
	}
	if m := method(t, api, "GET", "/"); m.Integration.Type != IntegrationMock {
		t.Errorf("GET / = %+v", m)
	}
	if gr := api.GatewayResponses["MISSING_AUTHENTICATION_TOKEN"]; gr == nil || gr.StatusCode != "404" {
		t.Errorf("gateway response = %+v", gr)
	}
	if !slices.Equal(api.BinaryMediaTypes, []string{"application/octet-stream"}) {
		t.Errorf("binary media types = %q", api.BinaryMediaTypes)
	}
}

func TestPartsMergeWithBody(t *testing.T) {
	def := Definition{
		RootResourceID: "root1",
		Body: json.RawMessage(`{"swagger": "2.0",
			"x-amazon-apigateway-gateway-responses": {"DEFAULT_4XX": {"statusCode": "400"}, "UNAUTHORIZED": {"statusCode": "401"}},
			"paths": {"/pets": {"get": {"x-amazon-apigateway-integration": {"type": "mock"}}}}}`),
		Parts: []Part{
			{Kind: KindResource, ID: "extra", Properties: json.RawMessage(`{"ParentId": "root1", "PathPart": "extra"}`)},
			{Kind: KindResource, ID: "pets", Properties: json.RawMessage(`{"ParentId": "root1", "PathPart": "pets"}`)},
			{Kind: KindMethod, ID: "m1", Properties: json.RawMessage(`{"ResourceId": "extra", "HttpMethod": "POST", "Integration": {"Type": "MOCK"}}`)},
			{Kind: KindMethod, ID: "m2", Properties: json.RawMessage(`{"ResourceId": "pets", "HttpMethod": "POST", "Integration": {"Type": "MOCK"}}`)},
			{Kind: KindGatewayResponse, ID: "g1", Properties: json.RawMessage(`{"ResponseType": "UNAUTHORIZED", "StatusCode": 403}`)},
		},
	}
	api, err := Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	method(t, api, "GET", "/pets")
	method(t, api, "POST", "/pets")
	method(t, api, "POST", "/extra")
	if got := api.GatewayResponses["UNAUTHORIZED"].StatusCode; got != "403" {
		t.Errorf("UNAUTHORIZED status = %s, want the part's 403", got)
	}
	if got := api.GatewayResponses["DEFAULT_4XX"].StatusCode; got != "400" {
		t.Errorf("DEFAULT_4XX status = %s, want the body's", got)
	}
	if !slices.ContainsFunc(api.Warnings, func(w string) bool { return strings.Contains(w, "adds /pets, which is already defined") }) {
		t.Errorf("no merge warning in %q", api.Warnings)
	}
}

func TestPartsErrors(t *testing.T) {
	mock := `"Integration": {"Type": "MOCK"}`
	res := func(id, parent, part string) Part {
		return Part{Kind: KindResource, ID: id, Properties: json.RawMessage(`{"ParentId": "` + parent + `", "PathPart": "` + part + `"}`)}
	}
	meth := func(id, props string) Part {
		return Part{Kind: KindMethod, ID: id, Properties: json.RawMessage(props)}
	}
	tests := []struct {
		name  string
		parts []Part
		want  string
	}{
		{"missing resource", []Part{meth("m", `{"ResourceId": "nope", "HttpMethod": "GET", `+mock+`}`)},
			"AWS::ApiGateway::Method m (GET): ResourceId: resource nope is not defined"},
		{"missing parent", []Part{res("a", "ghost", "a")}, `AWS::ApiGateway::Resource a (PathPart "a"): parent: resource ghost is not defined`},
		{"parent loop", []Part{res("a", "b", "a"), res("b", "a", "b")}, "ParentId chain loops"},
		{"greedy with a child", []Part{res("p", "root", "{proxy+}"), res("c", "p", "child"), meth("m", `{"ResourceId": "c", "HttpMethod": "GET", `+mock+`}`)},
			"greedy segment {proxy+} must be the last one"},
		{"bad path part", []Part{res("a", "root", "a}")}, `path segment "a}"`},
		{"missing authorizer", []Part{res("a", "root", "a"), meth("m", `{"ResourceId": "a", "HttpMethod": "GET", "AuthorizationType": "COGNITO_USER_POOLS", "AuthorizerId": "zz", `+mock+`}`)},
			"GET /a: AuthorizerId zz is not defined"},
		{"cognito without authorizer", []Part{meth("m", `{"ResourceId": "root", "HttpMethod": "GET", "AuthorizationType": "COGNITO_USER_POOLS", `+mock+`}`)},
			"GET /: AuthorizationType COGNITO_USER_POOLS needs an AuthorizerId"},
		{"missing validator", []Part{meth("m", `{"ResourceId": "root", "HttpMethod": "GET", "RequestValidatorId": "v", `+mock+`}`)},
			"GET /: RequestValidatorId v is not defined"},
		{"missing model", []Part{meth("m", `{"ResourceId": "root", "HttpMethod": "POST", "RequestModels": {"application/json": "Nope"}, `+mock+`}`)},
			`POST /: request model "Nope" for application/json is not defined`},
		{"bad parameter", []Part{meth("m", `{"ResourceId": "root", "HttpMethod": "GET", "RequestParameters": {"method.request.body.x": true}, `+mock+`}`)},
			`GET /: request parameter "method.request.body.x"`},
		{"no integration", []Part{meth("m", `{"ResourceId": "root", "HttpMethod": "GET"}`)}, "GET /: no integration defined for method"},
		{"no method", []Part{meth("m", `{"ResourceId": "root", `+mock+`}`)}, "AWS::ApiGateway::Method m: no HttpMethod"},
		{"unknown authorizer type", []Part{{Kind: KindAuthorizer, ID: "a", Properties: json.RawMessage(`{"Type": "JWT"}`)}}, `unknown Type "JWT"`},
		{"unknown kind", []Part{{Kind: "AWS::ApiGateway::Stage", ID: "s", Properties: json.RawMessage(`{}`)}}, "not an API Gateway part kind"},
		{"mismatched authorization", []Part{
			{Kind: KindAuthorizer, ID: "a", Properties: json.RawMessage(`{"Type": "TOKEN"}`)},
			meth("m", `{"ResourceId": "root", "HttpMethod": "GET", "AuthorizationType": "COGNITO_USER_POOLS", "AuthorizerId": "a", `+mock+`}`)},
			"does not match authorizer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(Definition{RootResourceID: "root", Parts: tt.parts})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Compile error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestEmptyDefinition(t *testing.T) {
	api, err := Compile(Definition{})
	if err != nil {
		t.Fatal(err)
	}
	if len(api.Resources) != 1 || api.Resources[0].Path != "/" || api.Resources[0].ID == "" {
		t.Errorf("resources = %+v, want only a root with a derived id", api.Resources)
	}
}

package apimodel

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func compileFile(t *testing.T, file string) *API {
	t.Helper()
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	api, err := Compile(Definition{Body: body, RootResourceID: testRoot})
	if err != nil {
		t.Fatalf("Compile(%s): %v", file, err)
	}
	return api
}

// jsonEqual compares a schema with the JSON it should be.
func jsonEqual(t *testing.T, what string, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v in %s", what, err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: bad want: %v", what, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s =\n%s\nwant\n%s", what, got, want)
	}
}

func TestOpenAPI3(t *testing.T) {
	api := compileFile(t, "testdata/oas3.json")

	get := method(t, api, "GET", "/pets")
	if get.Authorization != AuthCognito || !slices.Equal(get.Scopes, []string{"pets/read"}) {
		t.Errorf("GET /pets takes the top-level security: %s %q", get.Authorization, get.Scopes)
	}
	if get.Authorizer.IdentityHeader != "X-Token" || get.Authorizer.ValidationExpression != "^ey" {
		t.Errorf("authorizer = %+v, want the identitySource header X-Token", get.Authorizer)
	}
	if get.Validator == nil || get.Validator.Name != "params-only" || get.Validator.Body || !get.Validator.Params {
		t.Errorf("GET /pets validator = %+v, want the per-operation params-only", get.Validator)
	}
	wantParams := []Parameter{
		{In: "header", Name: "Trace", Required: false}, // the operation's overrides the path item's
		{In: "querystring", Name: "limit", Required: true},
	}
	if !reflect.DeepEqual(get.Parameters, wantParams) {
		t.Errorf("GET /pets parameters = %+v, want %+v", get.Parameters, wantParams)
	}
	in := get.Integration
	if in.Type != IntegrationHTTPProxy || in.URI != "http://127.0.0.1:3000/pets" || in.TimeoutMillis != 5000 ||
		in.HTTPMethod != "GET" || in.PassthroughBehavior != "WHEN_NO_MATCH" ||
		in.RequestParameters["integration.request.header.X-Sub"] != "context.authorizer.claims.sub" {
		t.Errorf("GET /pets integration = %+v", in)
	}

	post := method(t, api, "POST", "/pets")
	if !slices.Equal(post.Scopes, []string{"pets/write", "pets/admin"}) {
		t.Errorf("POST /pets scopes = %q", post.Scopes)
	}
	if post.Validator == nil || post.Validator.Name != "all" {
		t.Errorf("POST /pets validator = %+v, want the API default all", post.Validator)
	}
	if r := post.Integration.Responses[`4\d{2}`]; r == nil || r.StatusCode != "400" {
		t.Errorf("POST /pets responses = %+v", post.Integration.Responses)
	}
	jsonEqual(t, "POST /pets body schema", post.BodySchemas["application/json"], `{
		"type": "object",
		"required": ["name"],
		"properties": {
			"name": {"type": "string", "minLength": 1},
			"owner": {"$ref": "#/definitions/Owner"},
			"tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}}
		},
		"definitions": {
			"Owner": {"type": "object", "properties": {"pets": {"type": "array", "items": {"$ref": "#/definitions/Pet"}}}},
			"Pet": {
				"type": "object",
				"required": ["name"],
				"properties": {
					"name": {"type": "string", "minLength": 1},
					"owner": {"$ref": "#/definitions/Owner"},
					"tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}}
				}
			},
			"Tag": {"type": "string", "enum": ["a", "b"]}
		}
	}`)

	byID := method(t, api, "GET", "/pets/{petId}")
	if byID.Authorization != AuthNone {
		t.Errorf("GET /pets/{petId} with security [] = %s, want NONE", byID.Authorization)
	}
	if byID.Integration.Type != IntegrationMock {
		t.Errorf("GET /pets/{petId} integration = %s", byID.Integration.Type)
	}

	custom := method(t, api, "GET", "/custom")
	if custom.Authorization != AuthCustom || custom.Authorizer.Type != "TOKEN" {
		t.Errorf("GET /custom = %s %+v, want a TOKEN Lambda authorizer", custom.Authorization, custom.Authorizer)
	}
	if m := method(t, api, "GET", "/iam"); m.Authorization != AuthIAM {
		t.Errorf("GET /iam = %s, want AWS_IAM", m.Authorization)
	}
	for _, want := range []string{"GET /custom uses the Lambda authorizer \"Lambda\"", "GET /iam uses AWS_IAM"} {
		if !slices.ContainsFunc(api.Warnings, func(w string) bool { return strings.HasPrefix(w, want) }) {
			t.Errorf("no warning starting %q in %q", want, api.Warnings)
		}
	}

	anyM := method(t, api, "ANY", "/{proxy+}")
	if anyM.Integration.FunctionARN != "arn:aws:lambda:eu-west-1:123456789012:function:catch-all:live" {
		t.Errorf("ANY /{proxy+} function = %q", anyM.Integration.FunctionARN)
	}
	if anyM.Validator == nil || anyM.Validator.Name != "all" {
		t.Errorf("ANY /{proxy+} validator = %+v", anyM.Validator)
	}

	if !slices.Equal(api.BinaryMediaTypes, []string{"image/png"}) {
		t.Errorf("binary media types = %q", api.BinaryMediaTypes)
	}
	unauth := api.GatewayResponses["UNAUTHORIZED"]
	if unauth == nil || unauth.StatusCode != "401" || unauth.ResponseParameters["gatewayresponse.header.WWW-Authenticate"] != "'Bearer'" {
		t.Errorf("UNAUTHORIZED = %+v", unauth)
	}
	var paths []string
	for _, r := range api.Resources {
		paths = append(paths, r.Path)
	}
	if want := []string{"/", "/custom", "/iam", "/pets", "/pets/{petId}", "/{proxy+}"}; !slices.Equal(paths, want) {
		t.Errorf("resources = %q, want %q", paths, want)
	}
}

func TestSwagger(t *testing.T) {
	api := compileFile(t, "testdata/swagger.json")
	put := method(t, api, "PUT", "/messages/{id}")
	if put.Authorization != AuthCognito || put.Authorizer.IdentityHeader != "X-Id-Token" || !put.APIKeyRequired {
		t.Errorf("PUT = %s header %q api key %v", put.Authorization, put.Authorizer.IdentityHeader, put.APIKeyRequired)
	}
	if !slices.Equal(put.Authorizer.ProviderARNs, []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_one"}) {
		t.Errorf("a single providerARNs string = %q", put.Authorizer.ProviderARNs)
	}
	want := []Parameter{
		{In: "path", Name: "id", Required: true},
		{In: "querystring", Name: "q", Required: true},
		{In: "header", Name: "X-Trace"},
	}
	if !reflect.DeepEqual(put.Parameters, want) {
		t.Errorf("parameters = %+v, want %+v", put.Parameters, want)
	}
	if put.Validator == nil || !put.Validator.Body || put.Validator.Params {
		t.Errorf("validator = %+v", put.Validator)
	}
	if len(put.BodySchemas) != 2 {
		t.Errorf("body schemas for %d content types, want the two consumes", len(put.BodySchemas))
	}
	jsonEqual(t, "PUT body schema", put.BodySchemas["application/x-msg+json"], `{
		"type": "object", "required": ["message"],
		"properties": {"message": {"type": "string"}, "items": {"type": "array", "items": {"$ref": "#/definitions/item"}}, "enum": {"type": "string"}},
		"definitions": {
			"item": {"type": "object", "properties": {"n": {"type": "integer", "maximum": 10, "exclusiveMaximum": true}}, "oneOf": [{"required": ["n"]}, {"$ref": "#/definitions/empty"}]},
			"empty": {"type": "object", "maxProperties": 0}
		}
	}`)
	if !slices.ContainsFunc(api.Warnings, func(w string) bool { return strings.Contains(w, "API key") }) {
		t.Errorf("no API key warning in %q", api.Warnings)
	}
}

func TestBodyErrors(t *testing.T) {
	integ := `"x-amazon-apigateway-integration": {"type": "mock"}`
	tests := []struct{ name, body, want string }{
		{"not JSON", `{`, "API body"},
		{"no version", `{"paths": {}}`, `neither "swagger": "2.0"`},
		{"greedy not last", `{"swagger": "2.0", "paths": {"/{proxy+}/x": {"get": {` + integ + `}}}}`, "greedy segment {proxy+} must be the last one"},
		{"bad template", `{"swagger": "2.0", "paths": {"/a{b}": {"get": {` + integ + `}}}}`, `path segment "a{b}"`},
		{"empty segment", `{"swagger": "2.0", "paths": {"/a//b": {"get": {` + integ + `}}}}`, "empty path segment"},
		{"two variables", `{"swagger": "2.0", "paths": {"/{a}": {"get": {` + integ + `}}, "/{b}": {"get": {` + integ + `}}}}`, "resource / has more than one variable child ({a}, {b})"},
		{"param and greedy", `{"swagger": "2.0", "paths": {"/x/{a}": {"get": {` + integ + `}}, "/x/{p+}": {"get": {` + integ + `}}}}`, "resource /x has more than one variable child"},
		{"undefined scheme", `{"swagger": "2.0", "paths": {"/a": {"get": {"security": [{"Pool": []}], ` + integ + `}}}}`, `GET /a: security scheme "Pool" is not defined`},
		{"undefined validator", `{"swagger": "2.0", "x-amazon-apigateway-request-validator": "v", "paths": {"/a": {"get": {` + integ + `}}}}`, `GET /a: request validator "v" is not defined`},
		{"no integration", `{"swagger": "2.0", "paths": {"/a": {"post": {}}}}`, "POST /a: no integration defined"},
		{"unknown integration", `{"swagger": "2.0", "paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "grpc"}}}}}`, `GET /a: unknown integration type "grpc"`},
		{"bad http uri", `{"swagger": "2.0", "paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "http_proxy", "uri": "ftp://x"}}}}}`, `GET /a: invalid HTTP endpoint "ftp://x"`},
		{"cognito without pools", `{"swagger": "2.0", "securityDefinitions": {"P": {"type": "apiKey", "x-amazon-apigateway-authtype": "cognito_user_pools"}}, "paths": {}}`, `Cognito authorizer "P" has no providerARNs`},
		{"undefined schema", `{"swagger": "2.0", "paths": {"/a": {"post": {"parameters": [{"name": "b", "in": "body", "schema": {"$ref": "#/definitions/Nope"}}], ` + integ + `}}}}`, `POST /a: body schema for application/json: schema references "Nope", which is not defined`},
		{"undefined parameter", `{"swagger": "2.0", "paths": {"/a": {"get": {"parameters": [{"$ref": "#/parameters/Nope"}], ` + integ + `}}}}`, `GET /a: parameter: $ref "#/parameters/Nope" is not defined`},
		{"parameter ref loop", `{"swagger": "2.0", "parameters": {"A": {"$ref": "#/parameters/A"}}, "paths": {"/a": {"get": {"parameters": [{"$ref": "#/parameters/A"}], ` + integ + `}}}}`, "$ref chain too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(Definition{Body: json.RawMessage(tt.body)})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Compile error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestBodyWarnings(t *testing.T) {
	body := `{"swagger": "2.0",
		"securityDefinitions": {"oauth": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://x"}},
		"paths": {
			"/s3": {"get": {"x-amazon-apigateway-integration": {"type": "aws", "uri": "arn:aws:apigateway:us-east-1:s3:path/b/k"}}},
			"/fn": {"get": {"security": [{"oauth": []}], "x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "GET", "uri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations"}}},
			"/dup": {"get": {"x-amazon-apigateway-integration": {"type": "mock"}}},
			"/dup/": {"get": {"x-amazon-apigateway-integration": {"type": "mock"}}}
		}}`
	api, err := Compile(Definition{Body: json.RawMessage(body)})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`security scheme "oauth" is not an API Gateway authorizer`,
		`GET /s3: AWS service integration`,
		`GET /fn: AWS_PROXY integration uses httpMethod "GET"`,
		`GET /dup is defined twice`,
	} {
		if !slices.ContainsFunc(api.Warnings, func(w string) bool { return strings.Contains(w, want) }) {
			t.Errorf("no warning containing %q in %q", want, api.Warnings)
		}
	}
	if m := method(t, api, "GET", "/fn"); m.Authorization != AuthNone {
		t.Errorf("a method naming an ignored scheme = %s, want NONE", m.Authorization)
	}
}

func TestLambdaFunctionARN(t *testing.T) {
	tests := map[string]string{
		"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations":              "arn:aws:lambda:us-east-1:1:function:f",
		"arn:aws-cn:apigateway:cn-north-1:lambda:path/2015-03-31/functions/arn:aws-cn:lambda:cn-north-1:1:function:f:prod/invocations": "arn:aws-cn:lambda:cn-north-1:1:function:f:prod",
		"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions//invocations":                                                   "",
		"arn:aws:apigateway:us-east-1:s3:path/bucket/key":                                                                              "",
		"https://example.com/functions/x/invocations":                                                                                  "",
	}
	for uri, want := range tests {
		if got := lambdaFunctionARN(uri); got != want {
			t.Errorf("lambdaFunctionARN(%q) = %q, want %q", uri, got, want)
		}
	}
}

// A stage variable may stand for the host of an HTTP integration's URI.
func TestStageVariableHostCompiles(t *testing.T) {
	body := `{"swagger": "2.0", "paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "http_proxy", "httpMethod": "GET", "uri": "http://${stageVariables.host}/a"}}}}}`
	api, err := Compile(Definition{Body: []byte(body), RootResourceID: "root"})
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	if got := api.Resources[len(api.Resources)-1].Methods["GET"].Integration.URI; got != "http://${stageVariables.host}/a" {
		t.Errorf("URI %q: want it kept as written", got)
	}
	bad := `{"swagger": "2.0", "paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "http_proxy", "uri": "ftp://${stageVariables.host}/a"}}}}}`
	if _, err := Compile(Definition{Body: []byte(bad), RootResourceID: "root"}); err == nil {
		t.Error("an ftp URI with a stage variable compiled")
	}
}

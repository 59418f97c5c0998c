package respond

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

func testContext() Context {
	h := http.Header{}
	h.Add("Accept", "text/html")
	h.Add("Accept", "application/json")
	return Context{
		RequestID:         "c0ffee00-0000-4000-8000-000000000001",
		ExtendedRequestID: "AbCdEfGhIjKlMnO=",
		APIID:             "a1b2c3d4e5",
		Stage:             "prod",
		ResourcePath:      "/pets/{petId}",
		ResourceID:        "r1",
		HTTPMethod:        "GET",
		Path:              "/pets/7",
		SourceIP:          "203.0.113.9",
		UserAgent:         "curl/8",
		RequestTime:       time.Date(2026, 11, 25, 10, 20, 52, 123e6, time.UTC),
		Authorizer:        map[string]string{"sub": "u-1", "cognito:username": "alice"},
		StageVariables:    map[string]string{"a": "stage-a"},
		Header:            h,
		Query:             url.Values{"q": {"one", "two"}},
		PathParams:        map[string]string{"petId": "7"},
	}
}

// header reads a header by its exact key, as AWS spells it.
func header(r Response, key string) string {
	if v := r.Header[key]; len(v) == 1 {
		return v[0]
	}
	return "<absent>"
}

func TestDefaultTable(t *testing.T) {
	tests := []struct {
		typ       string
		status    int
		errorType string
		message   string // "<null>" for nil
	}{
		{AccessDenied, 403, "AccessDeniedException", "User is not authorized to access this resource"},
		{APIConfigurationError, 500, "ApiConfigurationException", "Internal server error"},
		{AuthorizerConfigurationError, 500, "AuthorizerConfigurationException", "<null>"},
		{AuthorizerFailure, 500, "AuthorizerFailureException", "Internal server error"},
		{BadRequestParameters, 400, "BadRequestException", "Missing required request parameters: []"},
		{BadRequestBody, 400, "BadRequestException", "Invalid request body"},
		{Default4XX, 400, "BadRequestException", "Bad Request"},
		{Default5XX, 500, "InternalServerErrorException", "Internal server error"},
		{ExpiredToken, 403, "ExpiredTokenException", "The security token included in the request is expired"},
		{IntegrationFailure, 504, "InternalServerErrorException", "Internal server error"},
		{IntegrationTimeout, 504, "InternalServerErrorException", "Endpoint request timed out"},
		{InvalidAPIKey, 403, "ForbiddenException", "Forbidden"},
		{InvalidSignature, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
		{MissingAuthenticationToken, 403, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{QuotaExceeded, 429, "LimitExceededException", "Limit Exceeded"},
		{RequestTooLarge, 413, "RequestTooLargeException", "Request Too Long"},
		{ResourceNotFound, 404, "ResourceNotFoundException", "Not Found"},
		{Throttled, 429, "TooManyRequestsException", "Too Many Requests"},
		{Unauthorized, 401, "UnauthorizedException", "Unauthorized"},
		{UnsupportedMediaType, 415, "BadRequestException", "Unsupported Media Type"},
		{WAFFiltered, 403, "WafFilteredException", "Forbidden"},
	}
	if len(tests) != len(builtins) {
		t.Errorf("table has %d types, test covers %d", len(builtins), len(tests))
	}
	for _, tc := range tests {
		status, errorType, m := Default(tc.typ)
		got := "<null>"
		if m != nil {
			got = *m
		}
		if status != tc.status || errorType != tc.errorType || got != tc.message {
			t.Errorf("Default(%s) = %d, %q, %q; want %d, %q, %q", tc.typ, status, errorType, got, tc.status, tc.errorType, tc.message)
		}
		if !Known(tc.typ) {
			t.Errorf("Known(%s) = false", tc.typ)
		}
	}
	if Known("NOPE") {
		t.Error(`Known("NOPE") = true`)
	}
	if status, errorType, _ := Default("NOPE"); status != 500 || errorType != "InternalServerErrorException" {
		t.Errorf("Default(unknown) = %d, %q", status, errorType)
	}
	// The message is a copy: editing it must not change the table.
	_, _, m := Default(Unauthorized)
	*m = "changed"
	if _, _, again := Default(Unauthorized); *again != "Unauthorized" {
		t.Errorf("table was edited through Default's result: %q", *again)
	}
}

func TestRenderBuiltin(t *testing.T) {
	tests := []struct {
		name   string
		err    Error
		status int
		body   string
		etype  string
	}{
		{"unauthorized", NewError(Unauthorized), 401, `{"message":"Unauthorized"}`, "UnauthorizedException"},
		{"expired token text", WithMessage(Unauthorized, "The incoming token has expired"), 401, `{"message":"The incoming token has expired"}`, "UnauthorizedException"},
		{"missing token", NewError(MissingAuthenticationToken), 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
		{"bad body", NewError(BadRequestBody), 400, `{"message":"Invalid request body"}`, "BadRequestException"},
		{"bad params", WithMessage(BadRequestParameters, "Missing required request parameters: [a, b]"), 400, `{"message":"Missing required request parameters: [a, b]"}`, "BadRequestException"},
		{"authorizer configuration null", NewError(AuthorizerConfigurationError), 500, `{"message": null}`, "AuthorizerConfigurationException"},
		{"5xx has a space", NewError(IntegrationFailure), 504, `{"message": "Internal server error"}`, "InternalServerErrorException"},
		{"quotes escaped", WithMessage(AccessDenied, "a \"b\" <c>\n"), 403, `{"message":"a \"b\" <c>\n"}`, "AccessDeniedException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Render(nil, tc.err, testContext())
			if r.Status != tc.status || string(r.Body) != tc.body {
				t.Errorf("got %d %s, want %d %s", r.Status, r.Body, tc.status, tc.body)
			}
			want := map[string]string{
				"Content-Type":     "application/json",
				"x-amzn-RequestId": "c0ffee00-0000-4000-8000-000000000001",
				"x-amzn-ErrorType": tc.etype,
				"x-amz-apigw-id":   "AbCdEfGhIjKlMnO=",
			}
			for k, v := range want {
				if got := header(r, k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if len(r.Header) != len(want) {
				t.Errorf("headers = %v, want exactly %v", r.Header, want)
			}
		})
	}
}

func TestRenderEmptyIDsOmitted(t *testing.T) {
	r := Render(nil, NewError(Unauthorized), Context{})
	if _, ok := r.Header["x-amzn-RequestId"]; ok {
		t.Error("x-amzn-RequestId set without a request id")
	}
	if _, ok := r.Header["x-amz-apigw-id"]; ok {
		t.Error("x-amz-apigw-id set without an extended request id")
	}
}

func TestRenderResolution(t *testing.T) {
	api := func(grs ...*apimodel.GatewayResponse) *apimodel.API {
		m := map[string]*apimodel.GatewayResponse{}
		for _, gr := range grs {
			m[gr.Type] = gr
		}
		return &apimodel.API{GatewayResponses: m}
	}
	custom := map[string]string{"application/json": `{"custom":$context.error.messageString}`}
	tests := []struct {
		name   string
		api    *apimodel.API
		typ    string
		status int
		body   string
	}{
		{"no own responses", api(), Unauthorized, 401, `{"message":"Unauthorized"}`},
		{"own status", api(&apimodel.GatewayResponse{Type: Unauthorized, StatusCode: "418"}), Unauthorized, 418, `{"message":"Unauthorized"}`},
		{"own template", api(&apimodel.GatewayResponse{Type: Unauthorized, ResponseTemplates: custom}), Unauthorized, 401, `{"custom":"Unauthorized"}`},
		{"default 4xx status applies", api(&apimodel.GatewayResponse{Type: Default4XX, StatusCode: "400"}), Unauthorized, 400, `{"message":"Unauthorized"}`},
		{"default 4xx without status keeps the type's", api(&apimodel.GatewayResponse{Type: Default4XX, ResponseTemplates: custom}), MissingAuthenticationToken, 403, `{"custom":"Missing Authentication Token"}`},
		{"own response beats default 4xx", api(
			&apimodel.GatewayResponse{Type: Unauthorized},
			&apimodel.GatewayResponse{Type: Default4XX, StatusCode: "400", ResponseTemplates: custom},
		), Unauthorized, 401, `{"message":"Unauthorized"}`},
		{"default 5xx does not apply to 4xx", api(&apimodel.GatewayResponse{Type: Default5XX, StatusCode: "599"}), Unauthorized, 401, `{"message":"Unauthorized"}`},
		{"default 5xx applies to 5xx", api(&apimodel.GatewayResponse{Type: Default5XX, StatusCode: "599", ResponseTemplates: custom}), AuthorizerFailure, 599, `{"custom":"Internal server error"}`},
		{"untouched 5xx keeps the built-in spacing", api(&apimodel.GatewayResponse{Type: Default4XX, StatusCode: "400"}), IntegrationFailure, 504, `{"message": "Internal server error"}`},
		{"own 5xx response without a template renders the default one", api(&apimodel.GatewayResponse{Type: AuthorizerFailure, ResponseParameters: map[string]string{"gatewayresponse.header.foo": "'bar'"}}),
			AuthorizerFailure, 500, `{"message":"Internal server error"}`},
		{"default 5xx without a template renders the default one", api(&apimodel.GatewayResponse{Type: Default5XX, StatusCode: "599"}),
			IntegrationFailure, 599, `{"message":"Internal server error"}`},
		{"invalid status ignored", api(&apimodel.GatewayResponse{Type: Unauthorized, StatusCode: "abc"}), Unauthorized, 401, `{"message":"Unauthorized"}`},
		{"out of range status ignored", api(&apimodel.GatewayResponse{Type: Unauthorized, StatusCode: "99"}), Unauthorized, 401, `{"message":"Unauthorized"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Render(tc.api, NewError(tc.typ), testContext())
			if r.Status != tc.status || string(r.Body) != tc.body {
				t.Errorf("got %d %s, want %d %s", r.Status, r.Body, tc.status, tc.body)
			}
		})
	}
}

func TestRenderTemplateVariables(t *testing.T) {
	// The template LocalStack's AWS-recorded CRUD test puts, plus the
	// other variables a gateway response may read.
	tmpl := "{\n" +
		`"message": $context.error.messageString,` + "\n" +
		`"raw": "$context.error.message",` + "\n" +
		`"type": "$context.error.responseType",` + "\n" +
		`"validation": "$context.error.validationErrorString",` + "\n" +
		`"ids": "$context.requestId $context.extendedRequestId $context.apiId",` + "\n" +
		`"where": "$context.stage $context.resourcePath $context.resourceId $context.httpMethod $context.path",` + "\n" +
		`"who": "$context.identity.sourceIp $context.identity.userAgent",` + "\n" +
		`"claims": "$context.authorizer.claims.sub $context.authorizer.claims['cognito:username']",` + "\n" +
		`"time": "$context.requestTime $context.requestTimeEpoch",` + "\n" +
		`"stageVariables.a": "$stageVariables.a", "missing": "$stageVariables.b$context.nope"` + "\n}"
	want := "{\n" +
		`"message": "Invalid request body",` + "\n" +
		`"raw": "Invalid request body",` + "\n" +
		`"type": "BAD_REQUEST_BODY",` + "\n" +
		`"validation": "[object has missing required properties (["a"])]",` + "\n" +
		`"ids": "c0ffee00-0000-4000-8000-000000000001 AbCdEfGhIjKlMnO= a1b2c3d4e5",` + "\n" +
		`"where": "prod /pets/{petId} r1 GET /pets/7",` + "\n" +
		`"who": "203.0.113.9 curl/8",` + "\n" +
		`"claims": "u-1 alice",` + "\n" +
		`"time": "25/Nov/2026:10:20:52 +0000 1795602052123",` + "\n" +
		`"stageVariables.a": "stage-a", "missing": ""` + "\n}"
	api := &apimodel.API{GatewayResponses: map[string]*apimodel.GatewayResponse{
		BadRequestBody: {Type: BadRequestBody, ResponseTemplates: map[string]string{"application/json": tmpl}},
	}}
	e := NewError(BadRequestBody)
	e.ValidationErrorString = `[object has missing required properties (["a"])]`
	r := Render(api, e, testContext())
	if string(r.Body) != want {
		t.Errorf("body:\n%s\nwant:\n%s", r.Body, want)
	}
}

func TestRenderNullMessageInTemplate(t *testing.T) {
	api := &apimodel.API{GatewayResponses: map[string]*apimodel.GatewayResponse{
		Default5XX: {Type: Default5XX, ResponseTemplates: map[string]string{"application/json": `{"m":$context.error.messageString,"r":"$context.error.message"}`}},
	}}
	r := Render(api, NewError(AuthorizerConfigurationError), Context{})
	if got, want := string(r.Body), `{"m":null,"r":""}`; got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
}

func TestRenderTemplateChoice(t *testing.T) {
	tests := []struct {
		name        string
		templates   map[string]string
		contentType string
		body        string
	}{
		{"json preferred", map[string]string{"text/plain": "plain", "application/json": "json"}, "application/json", "json"},
		{"first sorted otherwise", map[string]string{"text/plain": "plain", "application/xml": "<x/>"}, "application/xml", "<x/>"},
		{"none uses the built-in", map[string]string{}, "application/json", `{"message":"Unauthorized"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api := &apimodel.API{GatewayResponses: map[string]*apimodel.GatewayResponse{
				Unauthorized: {Type: Unauthorized, ResponseTemplates: tc.templates},
			}}
			r := Render(api, NewError(Unauthorized), testContext())
			if header(r, "Content-Type") != tc.contentType || string(r.Body) != tc.body {
				t.Errorf("got %s %s, want %s %s", header(r, "Content-Type"), r.Body, tc.contentType, tc.body)
			}
		})
	}
}

func TestRenderResponseParameters(t *testing.T) {
	params := map[string]string{
		"gatewayresponse.header.Access-Control-Allow-Origin": "'*'",
		"gatewayresponse.header.x-accept":                    "method.request.header.accept",
		"gatewayresponse.header.x-accept-all":                "method.request.multivalueheader.Accept",
		"gatewayresponse.header.x-q":                         "method.request.querystring.q",
		"gatewayresponse.header.x-q-all":                     "method.request.multivaluequerystring.q",
		"gatewayresponse.header.x-pet":                       "method.request.path.petId",
		"gatewayresponse.header.x-stage":                     "context.stage",
		"gatewayresponse.header.x-req":                       "context.requestId",
		"gatewayresponse.header.x-ip":                        "context.identity.sourceIp",
		"gatewayresponse.header.x-user":                      "context.authorizer.claims.cognito:username",
		"gatewayresponse.header.x-type":                      "context.error.responseType",
		"gatewayresponse.header.x-sv":                        "stageVariables.a",
		"gatewayresponse.header.x-missing-header":            "method.request.header.nope",
		"gatewayresponse.header.x-missing-path":              "method.request.path.nope",
		"gatewayresponse.header.x-missing-sv":                "stageVariables.nope",
		"gatewayresponse.header.x-garbage":                   "whatever",
		"gatewayresponse.header.x-bad-source":                "method.request.body",
		"gatewayresponse.header.content-type":                "'application/problem+json'",
		"integration.response.header.x-ignored":              "'no'",
	}
	api := &apimodel.API{GatewayResponses: map[string]*apimodel.GatewayResponse{
		Default4XX: {Type: Default4XX, ResponseParameters: params},
	}}
	r := Render(api, NewError(Unauthorized), testContext())
	want := map[string]string{
		"Access-Control-Allow-Origin": "*",
		"x-accept":                    "application/json",
		"x-accept-all":                "text/html,application/json",
		"x-q":                         "two",
		"x-q-all":                     "one,two",
		"x-pet":                       "7",
		"x-stage":                     "prod",
		"x-req":                       "c0ffee00-0000-4000-8000-000000000001",
		"x-ip":                        "203.0.113.9",
		"x-user":                      "alice",
		"x-type":                      "UNAUTHORIZED",
		"x-sv":                        "stage-a",
		"content-type":                "application/problem+json",
		"x-amzn-RequestId":            "c0ffee00-0000-4000-8000-000000000001",
		"x-amzn-ErrorType":            "UnauthorizedException",
		"x-amz-apigw-id":              "AbCdEfGhIjKlMnO=",
	}
	for k, v := range want {
		if got := header(r, k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if len(r.Header) != len(want) {
		t.Errorf("got headers %v\nwant exactly %v", r.Header, want)
	}
}

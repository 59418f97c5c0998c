package apimodel

import "encoding/json"

// The OpenAPI body is decoded with these structs and encoding/json rather
// than with kin-openapi, for three reasons: importing kin-openapi needs
// go.sum entries the module does not carry (go-openapi/jsonpointer and
// swag/jsonname); most of what the gateway reads is x-amazon-apigateway-*
// extensions, which kin-openapi leaves as untyped maps (the any-method
// operation included); and its Swagger 2.0 Schema type drops draft-4
// keywords API Gateway models use (oneOf, anyOf, patternProperties...),
// while body schemas must reach the validator whole. Only the fields the
// gateway uses are declared; both OpenAPI 2.0 and 3.0 fit these structs.

// document is an OpenAPI 2.0 or 3.0 document.
type document struct {
	Swagger             string                     `json:"swagger"`
	OpenAPI             string                     `json:"openapi"`
	Paths               map[string]json.RawMessage `json:"paths"`
	Consumes            []string                   `json:"consumes"`
	Definitions         map[string]json.RawMessage `json:"definitions"`
	Parameters          map[string]json.RawMessage `json:"parameters"`
	SecurityDefinitions map[string]securityScheme  `json:"securityDefinitions"`
	Components          struct {
		Schemas         map[string]json.RawMessage `json:"schemas"`
		Parameters      map[string]json.RawMessage `json:"parameters"`
		RequestBodies   map[string]json.RawMessage `json:"requestBodies"`
		SecuritySchemes map[string]securityScheme  `json:"securitySchemes"`
	} `json:"components"`
	Security         *[]map[string][]string         `json:"security"`
	GatewayResponses map[string]gatewayResponseWire `json:"x-amazon-apigateway-gateway-responses"`
	Validators       map[string]validatorWire       `json:"x-amazon-apigateway-request-validators"`
	Validator        string                         `json:"x-amazon-apigateway-request-validator"`
	BinaryMediaTypes flexStrings                    `json:"x-amazon-apigateway-binary-media-types"`
}

// pathItemMethods maps a path item's operation keys to API Gateway methods.
var pathItemMethods = map[string]string{
	"get":                            "GET",
	"put":                            "PUT",
	"post":                           "POST",
	"delete":                         "DELETE",
	"options":                        "OPTIONS",
	"head":                           "HEAD",
	"patch":                          "PATCH",
	"x-amazon-apigateway-any-method": "ANY",
}

// operation is one operation of a path item.
type operation struct {
	Parameters  []json.RawMessage      `json:"parameters"`
	RequestBody json.RawMessage        `json:"requestBody"`
	Consumes    []string               `json:"consumes"`
	Security    *[]map[string][]string `json:"security"`
	Integration *integrationWire       `json:"x-amazon-apigateway-integration"`
	Validator   *string                `json:"x-amazon-apigateway-request-validator"`
}

// parameter is a parameter object (both versions), or a $ref to one.
type parameter struct {
	Ref      string          `json:"$ref"`
	Name     string          `json:"name"`
	In       string          `json:"in"`
	Required flexBool        `json:"required"`
	Schema   json.RawMessage `json:"schema"`
}

// requestBody is an OpenAPI 3 request body, or a $ref to one.
type requestBody struct {
	Ref     string `json:"$ref"`
	Content map[string]struct {
		Schema json.RawMessage `json:"schema"`
	} `json:"content"`
}

// securityScheme is a securityDefinitions / securitySchemes entry.
type securityScheme struct {
	Type       string         `json:"type"`
	Name       string         `json:"name"`
	In         string         `json:"in"`
	AuthType   string         `json:"x-amazon-apigateway-authtype"`
	Authorizer *authorizerExt `json:"x-amazon-apigateway-authorizer"`
}

// authorizerExt is x-amazon-apigateway-authorizer.
type authorizerExt struct {
	Type                         string      `json:"type"`
	ProviderARNs                 flexStrings `json:"providerARNs"`
	IdentitySource               string      `json:"identitySource"`
	IdentityValidationExpression string      `json:"identityValidationExpression"`
	AuthorizerURI                string      `json:"authorizerUri"`
}

// integrationWire is x-amazon-apigateway-integration.
type integrationWire struct {
	Type                string                             `json:"type"`
	URI                 flexString                         `json:"uri"`
	HTTPMethod          string                             `json:"httpMethod"`
	TimeoutInMillis     flexInt                            `json:"timeoutInMillis"`
	RequestParameters   map[string]flexString              `json:"requestParameters"`
	RequestTemplates    map[string]flexString              `json:"requestTemplates"`
	PassthroughBehavior string                             `json:"passthroughBehavior"`
	Responses           map[string]integrationResponseWire `json:"responses"`
}

// integrationResponseWire is one entry of an integration's responses.
type integrationResponseWire struct {
	StatusCode         flexString            `json:"statusCode"`
	ResponseParameters map[string]flexString `json:"responseParameters"`
	ResponseTemplates  map[string]flexString `json:"responseTemplates"`
}

// gatewayResponseWire is one x-amazon-apigateway-gateway-responses entry.
type gatewayResponseWire struct {
	StatusCode         flexString            `json:"statusCode"`
	ResponseParameters map[string]flexString `json:"responseParameters"`
	ResponseTemplates  map[string]flexString `json:"responseTemplates"`
}

// validatorWire is one x-amazon-apigateway-request-validators entry.
type validatorWire struct {
	Body   flexBool `json:"validateRequestBody"`
	Params flexBool `json:"validateRequestParameters"`
}

// integration converts the extension to the model.
func (w *integrationWire) integration() Integration {
	in := Integration{
		Type:                w.Type,
		URI:                 string(w.URI),
		HTTPMethod:          w.HTTPMethod,
		TimeoutMillis:       int(w.TimeoutInMillis),
		RequestParameters:   stringMap(w.RequestParameters),
		RequestTemplates:    stringMap(w.RequestTemplates),
		PassthroughBehavior: w.PassthroughBehavior,
	}
	if len(w.Responses) > 0 {
		in.Responses = make(map[string]*IntegrationResponse, len(w.Responses))
		for pattern, r := range w.Responses {
			in.Responses[pattern] = &IntegrationResponse{
				StatusCode:         string(r.StatusCode),
				ResponseParameters: stringMap(r.ResponseParameters),
				ResponseTemplates:  stringMap(r.ResponseTemplates),
			}
		}
	}
	return in
}

// gatewayResponse converts the extension entry to the model.
func (w gatewayResponseWire) gatewayResponse(typ string) *GatewayResponse {
	return &GatewayResponse{
		Type:               typ,
		StatusCode:         string(w.StatusCode),
		ResponseParameters: stringMap(w.ResponseParameters),
		ResponseTemplates:  stringMap(w.ResponseTemplates),
	}
}

// Package apimodel is the gateway's view of one deployed REST API: the
// Definition a deployment snapshots (the RestApi's OpenAPI body plus the
// AWS::ApiGateway::* parts declared beside it), and the API that Compile
// builds from it: resources, methods, authorizers, integrations, gateway
// responses and request validators, with every reference resolved. It
// imports nothing from Cognate and never speaks HTTP; the route table and
// the gateway handler read the API it returns.
package apimodel

import "encoding/json"

// Definition is what an API Gateway deployment snapshots. It is stored as
// JSON with the deployment, so a stage keeps serving what was deployed
// even after the RestApi changes, as on AWS.
type Definition struct {
	// Body is the RestApi's OpenAPI 2.0 or 3.x document (the Body
	// property, or the file BodyS3Location named), as JSON; empty when
	// the API is built from parts.
	Body json.RawMessage `json:"body,omitempty"`
	// RootResourceID is the id of the API's "/" resource: the
	// RootResourceId attribute parts name as their ParentId.
	RootResourceID string `json:"rootResourceId"`
	// BinaryMediaTypes is the RestApi's BinaryMediaTypes property.
	BinaryMediaTypes []string `json:"binaryMediaTypes,omitempty"`
	// Parts are the AWS::ApiGateway::Resource, Method, Authorizer,
	// GatewayResponse, RequestValidator and Model resources whose
	// RestApiId is this API, with their evaluated CloudFormation
	// properties.
	Parts []Part `json:"parts,omitempty"`
}

// Part is one AWS::ApiGateway::* resource of an API.
type Part struct {
	// Kind is the CloudFormation type, one of the Kind* constants.
	Kind string `json:"kind"`
	// ID is the part's physical id: what Ref returns and what other
	// parts name (a Method's ResourceId, AuthorizerId, RequestValidatorId).
	ID string `json:"id"`
	// Properties are the evaluated CloudFormation properties.
	Properties json.RawMessage `json:"properties"`
}

// The part kinds.
const (
	KindResource         = "AWS::ApiGateway::Resource"
	KindMethod           = "AWS::ApiGateway::Method"
	KindAuthorizer       = "AWS::ApiGateway::Authorizer"
	KindGatewayResponse  = "AWS::ApiGateway::GatewayResponse"
	KindRequestValidator = "AWS::ApiGateway::RequestValidator"
	KindModel            = "AWS::ApiGateway::Model"
)

// API is a compiled definition: everything the gateway needs to answer a
// request, with references resolved.
type API struct {
	// Resources are the API's resources, "/" included, sorted by path.
	Resources []*Resource
	// GatewayResponses are the API's own gateway responses, keyed by type
	// (UNAUTHORIZED, DEFAULT_4XX, ...).
	GatewayResponses map[string]*GatewayResponse
	// BinaryMediaTypes are the media types whose bodies are binary.
	BinaryMediaTypes []string
	// Warnings name what the definition holds that the gateway does not
	// emulate (a Lambda authorizer, an AWS service integration), with
	// where it is.
	Warnings []string
}

// Resource is one path of the API.
type Resource struct {
	// ID is the resource id ($context.resourceId).
	ID string
	// Path is the resource path with its templates, e.g. "/pets/{id}" or
	// "/{proxy+}".
	Path string
	// Methods are keyed by upper-case HTTP method; "ANY" is
	// x-amazon-apigateway-any-method.
	Methods map[string]*Method
}

// AuthorizationType is how a method is authorized.
type AuthorizationType string

// The authorization types. Only None and Cognito are enforced; the others
// are recorded so that the gateway can refuse them honestly.
const (
	AuthNone    AuthorizationType = "NONE"
	AuthCognito AuthorizationType = "COGNITO_USER_POOLS"
	AuthIAM     AuthorizationType = "AWS_IAM"
	AuthCustom  AuthorizationType = "CUSTOM" // a Lambda authorizer
)

// Method is one HTTP method of a resource.
type Method struct {
	// HTTPMethod is the upper-case method, or "ANY".
	HTTPMethod string
	// Authorization is the method's authorization type.
	Authorization AuthorizationType
	// Authorizer is the method's authorizer; nil unless Authorization is
	// Cognito or Custom.
	Authorizer *Authorizer
	// Scopes are the method's authorization scopes; for a Cognito
	// authorizer a non-empty list means access tokens carrying at least
	// one of them.
	Scopes []string
	// APIKeyRequired is the method's apiKeyRequired setting (recorded,
	// not enforced).
	APIKeyRequired bool
	// Validator is the request validator that applies; nil when none.
	Validator *Validator
	// Parameters are the declared request parameters, in declared order.
	Parameters []Parameter
	// BodySchemas maps a request content type to a self-contained JSON
	// Schema (draft 4) document for the body: references inside it are
	// resolved or carried in its own "definitions".
	BodySchemas map[string]json.RawMessage
	// Integration is where the request goes.
	Integration Integration
}

// Parameter is one declared request parameter.
type Parameter struct {
	// In is "header", "querystring" or "path" (API Gateway's names).
	In string
	// Name is the parameter's name.
	Name string
	// Required is whether the request must carry it.
	Required bool
}

// Authorizer is an API's authorizer.
type Authorizer struct {
	// Name is the authorizer's name (the OpenAPI security scheme name).
	Name string
	// Type is COGNITO_USER_POOLS, TOKEN or REQUEST.
	Type string
	// ProviderARNs are the user pool ARNs whose tokens pass.
	ProviderARNs []string
	// IdentityHeader is the request header the token is read from
	// ("Authorization" unless the identity source names another).
	IdentityHeader string
	// ValidationExpression is the identityValidationExpression, or "".
	ValidationExpression string
}

// Integration types, as API Gateway names them.
const (
	IntegrationHTTP      = "HTTP"
	IntegrationHTTPProxy = "HTTP_PROXY"
	IntegrationAWSProxy  = "AWS_PROXY"
	IntegrationAWS       = "AWS"
	IntegrationMock      = "MOCK"
)

// Integration is a method's integration.
type Integration struct {
	// Type is one of the Integration* constants.
	Type string
	// URI is the integration URI: an http(s) URL for HTTP and
	// HTTP_PROXY, the Lambda invocation ARN for AWS_PROXY.
	URI string
	// FunctionARN is, for AWS_PROXY integrations with Lambda, the
	// function ARN taken from URI.
	FunctionARN string
	// HTTPMethod is the integration's method (POST for Lambda).
	HTTPMethod string
	// TimeoutMillis is timeoutInMillis; 0 means API Gateway's 29 s.
	TimeoutMillis int
	// RequestParameters map integration.request.* to method.request.*,
	// context or static values.
	RequestParameters map[string]string
	// RequestTemplates map a content type to a mapping template.
	RequestTemplates map[string]string
	// PassthroughBehavior is WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER.
	PassthroughBehavior string
	// Responses are the integration responses (for HTTP and MOCK), keyed
	// by selection pattern ("default" for the default one).
	Responses map[string]*IntegrationResponse
}

// IntegrationResponse is one integration response.
type IntegrationResponse struct {
	// StatusCode is the method response status it maps to.
	StatusCode string
	// ResponseParameters map method.response.header.X to a static
	// 'value' or integration.response.header.Y.
	ResponseParameters map[string]string
	// ResponseTemplates map a content type to a mapping template.
	ResponseTemplates map[string]string
}

// GatewayResponse is one x-amazon-apigateway-gateway-responses entry or
// AWS::ApiGateway::GatewayResponse.
type GatewayResponse struct {
	// Type is the response type, e.g. UNAUTHORIZED or DEFAULT_4XX.
	Type string
	// StatusCode overrides the type's status; "" keeps it.
	StatusCode string
	// ResponseParameters map gatewayresponse.header.X to a static
	// 'value', method.request.*, context.* or stageVariables.*.
	ResponseParameters map[string]string
	// ResponseTemplates map a content type to a body template.
	ResponseTemplates map[string]string
}

// Validator is a request validator.
type Validator struct {
	Name   string
	Body   bool // validateRequestBody
	Params bool // validateRequestParameters
}

package apimodel

import "encoding/json"

// The CloudFormation properties of the AWS::ApiGateway::* parts, as the
// resource reference names them. Only what the gateway uses is declared.

// resourceProps are AWS::ApiGateway::Resource's properties.
type resourceProps struct {
	ParentID string `json:"ParentId"`
	PathPart string `json:"PathPart"`
}

// methodProps are AWS::ApiGateway::Method's properties.
type methodProps struct {
	ResourceID          string            `json:"ResourceId"`
	HTTPMethod          string            `json:"HttpMethod"`
	AuthorizationType   string            `json:"AuthorizationType"`
	AuthorizerID        string            `json:"AuthorizerId"`
	AuthorizationScopes flexStrings       `json:"AuthorizationScopes"`
	APIKeyRequired      flexBool          `json:"ApiKeyRequired"`
	RequestParameters   orderedBools      `json:"RequestParameters"`
	RequestValidatorID  string            `json:"RequestValidatorId"`
	RequestModels       map[string]string `json:"RequestModels"`
	Integration         *integrationProps `json:"Integration"`
}

// integrationProps are a Method's Integration property.
type integrationProps struct {
	Type                  string                `json:"Type"`
	URI                   flexString            `json:"Uri"`
	IntegrationHTTPMethod string                `json:"IntegrationHttpMethod"`
	TimeoutInMillis       flexInt               `json:"TimeoutInMillis"`
	RequestParameters     map[string]flexString `json:"RequestParameters"`
	RequestTemplates      map[string]flexString `json:"RequestTemplates"`
	PassthroughBehavior   string                `json:"PassthroughBehavior"`
	IntegrationResponses  []struct {
		StatusCode         flexString            `json:"StatusCode"`
		SelectionPattern   string                `json:"SelectionPattern"`
		ResponseParameters map[string]flexString `json:"ResponseParameters"`
		ResponseTemplates  map[string]flexString `json:"ResponseTemplates"`
	} `json:"IntegrationResponses"`
}

// authorizerProps are AWS::ApiGateway::Authorizer's properties.
type authorizerProps struct {
	Type                         string      `json:"Type"`
	Name                         string      `json:"Name"`
	ProviderARNs                 flexStrings `json:"ProviderARNs"`
	IdentitySource               string      `json:"IdentitySource"`
	IdentityValidationExpression string      `json:"IdentityValidationExpression"`
}

// gatewayResponseProps are AWS::ApiGateway::GatewayResponse's properties.
type gatewayResponseProps struct {
	ResponseType       string                `json:"ResponseType"`
	StatusCode         flexString            `json:"StatusCode"`
	ResponseParameters map[string]flexString `json:"ResponseParameters"`
	ResponseTemplates  map[string]flexString `json:"ResponseTemplates"`
}

// validatorProps are AWS::ApiGateway::RequestValidator's properties.
type validatorProps struct {
	Name                      string   `json:"Name"`
	ValidateRequestBody       flexBool `json:"ValidateRequestBody"`
	ValidateRequestParameters flexBool `json:"ValidateRequestParameters"`
}

// modelProps are AWS::ApiGateway::Model's properties. Schema is an object,
// or a string holding one (CloudFormation accepts both).
type modelProps struct {
	Name        string          `json:"Name"`
	ContentType string          `json:"ContentType"`
	Schema      json.RawMessage `json:"Schema"`
}

// integration converts the property to the model.
func (p *integrationProps) integration() Integration {
	in := Integration{
		Type:                p.Type,
		URI:                 string(p.URI),
		HTTPMethod:          p.IntegrationHTTPMethod,
		TimeoutMillis:       int(p.TimeoutInMillis),
		RequestParameters:   stringMap(p.RequestParameters),
		RequestTemplates:    stringMap(p.RequestTemplates),
		PassthroughBehavior: p.PassthroughBehavior,
	}
	if len(p.IntegrationResponses) > 0 {
		in.Responses = make(map[string]*IntegrationResponse, len(p.IntegrationResponses))
		for _, r := range p.IntegrationResponses {
			pattern := r.SelectionPattern
			if pattern == "" {
				pattern = "default"
			}
			in.Responses[pattern] = &IntegrationResponse{
				StatusCode:         string(r.StatusCode),
				ResponseParameters: stringMap(r.ResponseParameters),
				ResponseTemplates:  stringMap(r.ResponseTemplates),
			}
		}
	}
	return in
}

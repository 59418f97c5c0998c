package provider

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/cognatehq/cognate/internal/apigw"
	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// Part provides one of the AWS::ApiGateway::* types that are parts of the
// API their RestApiId names: Resource, Method, Authorizer,
// GatewayResponse, RequestValidator and Model. Each is stored with its
// evaluated properties, and the API's next deployment snapshots it.
type Part struct {
	G    Gateways
	Kind string
	// schema is the type's schema.
	schema stack.Schema
	// newID returns a new id to create the part with; nil for a
	// 6-character one.
	newID func(req stack.Request) string
	// idAttr is the Fn::GetAtt attribute that holds the id ("" for none).
	idAttr string
}

// Schema returns the type's schema.
func (p Part) Schema() stack.Schema { return p.schema }

// Validate has nothing to add to the schema.
func (Part) Validate(*template.Node, string) template.ErrorList { return nil }

func (p Part) result(id string) stack.Result {
	r := stack.Result{PhysicalID: id}
	if p.idAttr != "" {
		r.Attributes = map[string]string{p.idAttr: id}
	}
	return r
}

func (p Part) part(req stack.Request, id string) (apimodel.Part, error) {
	props, err := propsJSON(req.Properties)
	if err != nil {
		return apimodel.Part{}, err
	}
	return apimodel.Part{Kind: p.Kind, ID: id, Properties: json.RawMessage(props)}, nil
}

// Create adds the part to its API, with the id PlannedID chose.
func (p Part) Create(ctx context.Context, req stack.Request) (stack.Result, error) {
	id := req.Planned
	if id == "" {
		id = p.PlannedID(req)
	}
	in, err := p.part(req, id)
	if err != nil {
		return stack.Result{}, err
	}
	out, err := p.G.AddPart(ctx, str(req.Properties, "RestApiId"), in)
	if err != nil {
		return stack.Result{}, gatewayPropErr(err)
	}
	return p.result(out.ID), nil
}

// Update replaces the part's properties.
func (p Part) Update(ctx context.Context, req stack.Request, id string, _ *template.Node) (stack.Result, error) {
	in, err := p.part(req, id)
	if err != nil {
		return stack.Result{}, err
	}
	if err := p.G.UpdatePart(ctx, str(req.Properties, "RestApiId"), in); err != nil {
		return stack.Result{}, gatewayPropErr(err)
	}
	return p.result(id), nil
}

// Delete removes the part from its API.
func (p Part) Delete(ctx context.Context, req stack.Request, id string) error {
	if err := p.G.RemovePart(ctx, str(req.Properties, "RestApiId"), p.Kind, id); err != nil && !gone(err) {
		return err
	}
	return nil
}

// PlannedID chooses the part's id before it is created: a model's Name
// (or a generated one), a method's CloudFormation-style id, or a new
// 6-character id.
func (p Part) PlannedID(req stack.Request) string {
	if p.newID != nil {
		return p.newID(req)
	}
	return apigw.NewPartID()
}

func resourcePart(g Gateways) Part {
	return Part{G: g, Kind: apimodel.KindResource, idAttr: "ResourceId", schema: stack.Schema{
		Properties: map[string]stack.Kind{"RestApiId": stack.KindString, "ParentId": stack.KindString, "PathPart": stack.KindString},
		Required:   []string{"RestApiId", "ParentId", "PathPart"},
		Replace:    []string{"RestApiId", "ParentId", "PathPart"},
		Attributes: []string{"ResourceId"},
	}}
}

// methodPart: Ref is CloudFormation's generated method id, such as
// "mysta-metho-01234b567890example" [doc example; the form is a guess].
func methodPart(g Gateways) Part {
	return Part{G: g, Kind: apimodel.KindMethod, newID: methodID, schema: stack.Schema{
		Properties: map[string]stack.Kind{
			"RestApiId": stack.KindString, "ResourceId": stack.KindString, "HttpMethod": stack.KindString,
			"AuthorizationType": stack.KindString, "AuthorizerId": stack.KindString, "AuthorizationScopes": stack.KindList,
			"ApiKeyRequired": stack.KindBool, "Integration": stack.KindObject, "MethodResponses": stack.KindObjectList,
			"OperationName": stack.KindString, "RequestModels": stack.KindObject, "RequestParameters": stack.KindObject,
			"RequestValidatorId": stack.KindString,
		},
		Required: []string{"RestApiId", "ResourceId", "HttpMethod"},
		Replace:  []string{"RestApiId", "ResourceId"},
	}}
}

func methodID(req stack.Request) string {
	first5 := func(s string) string {
		s = strings.ToLower(s)
		if len(s) > 5 {
			s = s[:5]
		}
		return s
	}
	return first5(req.StackName) + "-" + first5(req.LogicalID) + "-" + strings.ToLower(randomSuffix(12))
}

func authorizerPart(g Gateways) Part {
	return Part{G: g, Kind: apimodel.KindAuthorizer, idAttr: "AuthorizerId", schema: stack.Schema{
		Properties: map[string]stack.Kind{
			"RestApiId": stack.KindString, "Name": stack.KindString, "Type": stack.KindString,
			"ProviderARNs": stack.KindList, "IdentitySource": stack.KindString, "IdentityValidationExpression": stack.KindString,
			"AuthorizerUri": stack.KindString, "AuthorizerCredentials": stack.KindString,
			"AuthorizerResultTtlInSeconds": stack.KindInteger, "AuthType": stack.KindString,
		},
		Required:   []string{"RestApiId", "Name", "Type"},
		Replace:    []string{"RestApiId"},
		Attributes: []string{"AuthorizerId"},
	}}
}

// gatewayResponsePart: Ref is the gateway response id (6 characters
// [guess, as the other API Gateway ids]).
func gatewayResponsePart(g Gateways) Part {
	return Part{G: g, Kind: apimodel.KindGatewayResponse, schema: stack.Schema{
		Properties: map[string]stack.Kind{
			"RestApiId": stack.KindString, "ResponseType": stack.KindString, "StatusCode": stack.KindString,
			"ResponseParameters": stack.KindObject, "ResponseTemplates": stack.KindObject,
		},
		Required: []string{"RestApiId", "ResponseType"},
		Replace:  []string{"RestApiId", "ResponseType"},
	}}
}

func requestValidatorPart(g Gateways) Part {
	return Part{G: g, Kind: apimodel.KindRequestValidator, idAttr: "RequestValidatorId", schema: stack.Schema{
		Properties: map[string]stack.Kind{
			"RestApiId": stack.KindString, "Name": stack.KindString,
			"ValidateRequestBody": stack.KindBool, "ValidateRequestParameters": stack.KindBool,
		},
		Required:   []string{"RestApiId"},
		Replace:    []string{"RestApiId", "Name"},
		Attributes: []string{"RequestValidatorId"},
	}}
}

// modelPart: Ref is the model's name; without a Name, CloudFormation
// generates one [doc] (here {logical id}{12 random alphanumerics}, since
// model names are alphanumeric [guess]).
func modelPart(g Gateways) Part {
	return Part{G: g, Kind: apimodel.KindModel, newID: modelName, schema: stack.Schema{
		Properties: map[string]stack.Kind{
			"RestApiId": stack.KindString, "Name": stack.KindString, "ContentType": stack.KindString,
			"Description": stack.KindString, "Schema": stack.KindAny,
		},
		Required: []string{"RestApiId"},
		Replace:  []string{"RestApiId", "Name", "ContentType"},
	}}
}

func modelName(req stack.Request) string {
	if n := str(req.Properties, "Name"); n != "" {
		return n
	}
	return req.LogicalID + randomSuffix(12)
}

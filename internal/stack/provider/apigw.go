package provider

import (
	"context"
	"strings"

	"github.com/cognatehq/cognate/internal/apigw"
	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// Gateways is what the API Gateway and Lambda providers need of the apigw
// service; *apigw.Service implements it.
type Gateways interface {
	CreateRestAPI(ctx context.Context, region string, in apigw.RestAPIInput) (apigw.RestAPI, error)
	GetRestAPI(ctx context.Context, id string) (apigw.RestAPI, error)
	UpdateRestAPI(ctx context.Context, id string, in apigw.RestAPIInput) (apigw.RestAPI, error)
	DeleteRestAPI(ctx context.Context, id string) error

	AddPart(ctx context.Context, apiID string, p apimodel.Part) (apimodel.Part, error)
	UpdatePart(ctx context.Context, apiID string, p apimodel.Part) error
	RemovePart(ctx context.Context, apiID, kind, id string) error

	CreateDeployment(ctx context.Context, apiID string, in apigw.DeploymentInput) (apigw.Deployment, error)
	GetDeployment(ctx context.Context, apiID, id string) (apigw.Deployment, error)
	DeleteDeployment(ctx context.Context, apiID, id string) error

	CreateStage(ctx context.Context, apiID, name string, in apigw.StageInput) (apigw.Stage, error)
	GetStage(ctx context.Context, apiID, name string) (apigw.Stage, error)
	UpdateStage(ctx context.Context, apiID, name string, in apigw.StageInput) (apigw.Stage, error)
	DeleteStage(ctx context.Context, apiID, name string) error

	CreateFunction(ctx context.Context, region, name string, in apigw.FunctionInput) (apigw.Function, error)
	UpdateFunction(ctx context.Context, region, name string, in apigw.FunctionInput) (apigw.Function, error)
	DeleteFunction(ctx context.Context, region, name string) error
	FunctionARN(region, name string) string
}

// Gateway returns the providers of the API Gateway and Lambda types
// Cognate emulates, keyed by CloudFormation resource type, to merge into
// stack.Config.Providers beside All's. pools, when not nil, lets a
// deployment warn about Cognito authorizer scopes that its pools do not
// define or that no app client may obtain.
func Gateway(g Gateways, pools PoolScopes) map[string]stack.Provider {
	return map[string]stack.Provider{
		"AWS::ApiGateway::RestApi":    RestAPI{g},
		"AWS::ApiGateway::Deployment": Deployment{G: g, Pools: pools},
		"AWS::ApiGateway::Stage":      Stage{g},
		apimodel.KindResource:         resourcePart(g),
		apimodel.KindMethod:           methodPart(g),
		apimodel.KindAuthorizer:       authorizerPart(g),
		apimodel.KindGatewayResponse:  gatewayResponsePart(g),
		apimodel.KindRequestValidator: requestValidatorPart(g),
		apimodel.KindModel:            modelPart(g),
		"AWS::Lambda::Function":       Function{g},
	}
}

// gone reports whether err says the API Gateway or Lambda resource (or
// the API it belongs to) no longer exists.
func gone(err error) bool { return apigw.KindOf(err) == apigw.KindNotFound }

// gatewayPropErr names the property an apigw error is about, when its
// message says: an unknown API is RestApiId, an unknown deployment
// DeploymentId, and so on.
func gatewayPropErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, c := range []struct{ text, prop string }{
		{"ParentId", "ParentId"},
		{"ResourceId", "ResourceId"},
		{"API identifier", "RestApiId"},
		{"Deployment identifier", "DeploymentId"},
		{"Stage name", "StageName"},
		{"stage variables", "Variables"},
	} {
		if strings.Contains(msg, c.text) {
			return &stack.PropertyError{Property: c.prop, Err: err}
		}
	}
	return err
}

// propsJSON returns the evaluated properties as JSON.
func propsJSON(props *template.Node) ([]byte, error) {
	if props == nil {
		return []byte("{}"), nil
	}
	return props.MarshalJSON()
}

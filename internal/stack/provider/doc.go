// Package provider holds the deploy engine's resource providers for the
// types Cognate emulates: AWS::Cognito::UserPool, UserPoolDomain,
// UserPoolResourceServer, UserPoolClient, AWS::SSM::Parameter, the API
// Gateway types (RestApi, Deployment, Stage, Resource, Method, Authorizer,
// GatewayResponse, RequestValidator, Model) and AWS::Lambda::Function.
// Each maps the CloudFormation properties of its type (the "AWS resource
// and property types reference") to its domain's inputs, says which
// property changes replace the resource, and gives Ref and Fn::GetAtt
// values. A Deployment's authorizer scopes are checked against its pool
// once the whole deploy exists (stack.PostDeployCheck).
//
// The providers call the domain services through small interfaces
// declared here (Cognito, Parameters, Gateways, PoolScopes), which
// *identity.Service, *ssm.Service and *apigw.Service satisfy;
// internal/app wires them with All, Gateway and SSMSource.
//
// Imports: internal/stack and internal/stack/template, the identity, ssm
// and apigw packages, and internal/gateway/apimodel to compile API
// definitions; never net/http.
package provider

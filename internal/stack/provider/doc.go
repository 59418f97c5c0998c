// Package provider holds the deploy engine's resource providers for the
// types Cognate emulates: AWS::Cognito::UserPool, UserPoolDomain,
// UserPoolResourceServer, UserPoolClient and AWS::SSM::Parameter. Each maps
// the CloudFormation properties of its type (the "AWS resource and
// property types reference") to the identity or ssm domain's inputs, says
// which property changes replace the resource, and gives Ref and
// Fn::GetAtt values.
//
// The providers call the domain services through the small interfaces
// Cognito and Parameters declared here, which *identity.Service and
// *ssm.Service satisfy; internal/app wires them with All and SSMSource.
//
// Imports: internal/stack and internal/stack/template, and the identity
// and ssm packages for their input types only; never net/http.
package provider

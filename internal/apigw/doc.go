// Package apigw is Cognate's API Gateway and Lambda control-plane domain:
// REST APIs with their parts (resources, methods, authorizers, gateway
// responses, request validators, models), deployments that snapshot an
// API's definition, stages that serve a deployment, and Lambda function
// records. The gateway reads its routes from here (Stages, Functions,
// Generation); the stack providers write here.
//
// It follows API Gateway's identifier formats (10-character API ids,
// 6-character resource, authorizer and deployment ids, all [a-z0-9]) and
// the Lambda function name and ARN rules. It returns *Error values with a
// Kind and a message safe to show; it never chooses HTTP status codes or
// wire names. It imports store and gateway/apimodel, never net/http;
// secrets (function environments) are sealed through the Sealer it is
// given.
//
// Reference: Amazon API Gateway REST API (apigateway 2015-07-09), AWS
// Lambda (2015-03-31), and ../shared/docs/APIGATEWAY.md.
package apigw

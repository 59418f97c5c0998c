package apimodel

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// integrationTypes maps the OpenAPI extension's lower-case spelling and
// CloudFormation's upper-case one to the Integration* constants.
var integrationTypes = map[string]string{
	"http":       IntegrationHTTP,
	"http_proxy": IntegrationHTTPProxy,
	"aws_proxy":  IntegrationAWSProxy,
	"aws":        IntegrationAWS,
	"mock":       IntegrationMock,
}

// checkIntegration normalizes the integration's type and fills
// FunctionARN. It returns an error for what AWS would refuse to deploy and
// warnings for what deploys but that Cognate does not serve as AWS would;
// where names the method ("GET /pets").
// stageVarRe matches a ${stageVariables.name} reference.
var stageVarRe = regexp.MustCompile(`\$\{stageVariables\.[A-Za-z0-9_]+\}`)

func checkIntegration(in *Integration, where string) (warnings []string, err error) {
	t, ok := integrationTypes[strings.ToLower(in.Type)]
	if !ok {
		if in.Type == "" {
			return nil, fmt.Errorf("%s: no integration defined for method", where)
		}
		return nil, fmt.Errorf("%s: unknown integration type %q", where, in.Type)
	}
	in.Type = t
	in.HTTPMethod = strings.ToUpper(in.HTTPMethod)
	// OpenAPI writes when_no_match, CloudFormation WHEN_NO_MATCH.
	in.PassthroughBehavior = strings.ToUpper(in.PassthroughBehavior)
	switch t {
	case IntegrationHTTP, IntegrationHTTPProxy:
		// Stage variables may stand for any part of the URL, host
		// included (http://${stageVariables.host}/pets) [doc]: check the
		// shape with each replaced by a placeholder label.
		u, perr := url.Parse(stageVarRe.ReplaceAllString(in.URI, "stagevariable"))
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%s: invalid HTTP endpoint %q for a %s integration", where, in.URI, t)
		}
	case IntegrationAWSProxy:
		in.FunctionARN = lambdaFunctionARN(in.URI)
		if in.FunctionARN == "" {
			warnings = append(warnings, fmt.Sprintf("%s: AWS_PROXY integration %q is not a Lambda function invocation; it is not emulated", where, in.URI))
		}
		// [doc] API Gateway answers 500 when a Lambda proxy integration
		// is not called with POST; the gateway does the same.
		if in.HTTPMethod != "POST" {
			warnings = append(warnings, fmt.Sprintf("%s: AWS_PROXY integration uses httpMethod %q; Lambda is only invoked with POST, so AWS answers 500", where, in.HTTPMethod))
		}
	case IntegrationAWS:
		warnings = append(warnings, fmt.Sprintf("%s: AWS service integration %q is not emulated", where, in.URI))
	}
	return warnings, nil
}

// lambdaFunctionARN takes the function ARN out of a Lambda invocation URI,
// arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations,
// or returns "" when the URI is not one.
func lambdaFunctionARN(uri string) string {
	if !strings.HasPrefix(uri, "arn:") {
		return ""
	}
	_, rest, ok := strings.Cut(uri, ":apigateway:")
	if !ok {
		return ""
	}
	_, rest, ok = strings.Cut(rest, ":lambda:path/2015-03-31/functions/")
	if !ok {
		return ""
	}
	fn, ok := strings.CutSuffix(rest, "/invocations")
	if !ok || fn == "" {
		return ""
	}
	return fn
}

package gateway

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/gateway/respond"
)

// integrate hands the request to the method's integration.
func (c *call) integrate() {
	it := &c.match.Method.Integration
	switch strings.ToUpper(it.Type) {
	case apimodel.IntegrationHTTPProxy:
		c.proxyHTTP(it, modeProxy)
	case apimodel.IntegrationHTTP:
		c.proxyHTTP(it, modeMapped)
	case apimodel.IntegrationMock:
		c.mock(it)
	case apimodel.IntegrationAWSProxy:
		c.lambdaProxy(it)
	case apimodel.IntegrationAWS:
		c.fail(respond.APIConfigurationError, "not_emulated",
			"AWS service integrations (type AWS) are not emulated; use HTTP, HTTP_PROXY, MOCK or a Lambda proxy route")
	default:
		c.fail(respond.APIConfigurationError, "not_emulated", fmt.Sprintf("integration type %q is not emulated", it.Type))
	}
}

// lambdaProxy serves an AWS_PROXY (Lambda) route through the HTTP
// service the function was pointed at, exactly as HTTP_PROXY would, with
// the stage-relative path. Without one it answers 502 saying what is
// missing: running functions locally is not built yet.
func (c *call) lambdaProxy(it *apimodel.Integration) {
	base, ok := c.stage.upstreams[it.FunctionARN]
	if !ok {
		name := functionName(it.FunctionARN)
		msg := fmt.Sprintf("No upstream for function %s: Cognate does not run Lambda functions yet. "+
			"Point the function's routes at an HTTP service with: cognate deploy --upstream <LogicalId>=http://host:port", name)
		c.answer(respond.Error{Type: respond.IntegrationFailure, Message: &msg}, http.StatusBadGateway, "no_upstream",
			"function "+it.FunctionARN+" has no upstream")
		return
	}
	target, err := c.functionURL(base)
	if err != nil {
		c.fail(respond.APIConfigurationError, "bad_upstream", fmt.Sprintf("function %s: upstream %q: %v", it.FunctionARN, base, err))
		return
	}
	c.planStore = plan{target: target, mode: modeFunction, integration: it}
	c.proxy(&c.planStore)
}

// functionName is the name in a Lambda function ARN
// (arn:aws:lambda:region:account:function:name[:qualifier]); a value
// that is not an ARN is returned as it is.
func functionName(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 7 && parts[5] == "function" {
		return parts[6]
	}
	return arn
}

// proxyHTTP serves an HTTP or HTTP_PROXY integration.
func (c *call) proxyHTTP(it *apimodel.Integration, mode proxyMode) {
	target, headers, err := c.integrationURL(it, mode)
	if err != nil {
		c.fail(respond.APIConfigurationError, "bad_integration_uri", fmt.Sprintf("integration URI %q: %v", it.URI, err))
		return
	}
	c.planStore = plan{target: target, headers: headers, mode: mode, integration: it}
	c.proxy(&c.planStore)
}

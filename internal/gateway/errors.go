package gateway

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/gateway/respond"
)

// fail answers with the gateway response typ (a respond constant) and
// its default message.
func (c *call) fail(typ, reason, detail string) {
	c.answer(respond.NewError(typ), 0, reason, detail)
}

// answer renders e through the API's gateway responses and writes it.
// status, when not 0, replaces the type's default status unless the
// API's own gateway response sets one. reason and detail explain the
// answer in the access log and, when configured, in x-cognate-reason.
func (c *call) answer(e respond.Error, status int, reason, detail string) {
	c.reason, c.detail = reason, detail
	api := c.api()
	resp := respond.Render(api, e, c.respondContext())
	if status != 0 && !statusOverridden(api.GatewayResponses, e.Type) {
		resp.Status = status
	}
	h := c.w.Header()
	for k, vs := range resp.Header {
		h[k] = vs
	}
	h[headerRequestID] = []string{c.requestID}
	if c.errorType != "" {
		h["x-amzn-ErrorType"] = []string{c.errorType}
	}
	if c.g.cfg.ExplainDenials && reason != "" {
		h[headerReason] = []string{headerSafe(reason + ": " + detail)}
	}
	c.w.WriteHeader(resp.Status)
	_, _ = c.w.Write(resp.Body)
}

// statusOverridden reports whether the API's gateway responses set the
// status of the 5XX type typ, directly or through DEFAULT_5XX.
func statusOverridden(responses map[string]*apimodel.GatewayResponse, typ string) bool {
	if gr := responses[typ]; gr != nil && gr.StatusCode != "" {
		return true
	}
	gr := responses[respond.Default5XX]
	return gr != nil && gr.StatusCode != ""
}

// unknownAPI answers a request for an API id that is not deployed. Real
// AWS has no such answer (the host does not resolve); this is
// LocalStack's [emulator]: 404 {"message":"The API id '<id>' does not
// correspond to a deployed API Gateway API"}.
func (c *call) unknownAPI() {
	c.reason, c.detail = "unknown_api", "no deployed REST API has the id "+c.apiID
	body, _ := json.Marshal(map[string]string{
		"message": "The API id '" + c.apiID + "' does not correspond to a deployed API Gateway API",
	})
	h := c.w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["x-amzn-ErrorType"] = []string{"NotFoundException"}
	if c.g.cfg.ExplainDenials {
		h[headerReason] = []string{headerSafe(c.reason + ": " + c.detail)}
	}
	c.w.WriteHeader(http.StatusNotFound)
	_, _ = c.w.Write(body)
}

// tooLarge answers 413 REQUEST_TOO_LARGE.
func (c *call) tooLarge() {
	c.fail(respond.RequestTooLarge, "body_too_large", "the request body is over API Gateway's 10 MB payload limit")
}

// respondContext is the $context of the request for gateway response
// templates and parameters.
func (c *call) respondContext() respond.Context {
	rc := respond.Context{
		RequestID:         c.requestID,
		ExtendedRequestID: c.extendedID,
		APIID:             c.apiID,
		Stage:             c.stageName,
		HTTPMethod:        c.r.Method,
		Path:              "/" + c.stageName + c.path,
		SourceIP:          sourceIP(c.r.RemoteAddr),
		UserAgent:         c.r.UserAgent(),
		DomainName:        hostName(c.r.Host),
		RequestTime:       c.now,
		Authorizer:        c.claims,
		Header:            c.r.Header,
		Query:             c.r.URL.Query(),
		PathParams:        c.match.PathParams,
	}
	if c.match.Resource != nil {
		rc.ResourcePath = c.match.Resource.Path
		rc.ResourceID = c.match.Resource.ID
	}
	if c.stage != nil {
		rc.StageVariables = c.stage.Variables
	}
	return rc
}

func sourceIP(remote string) string {
	if h, _, err := net.SplitHostPort(remote); err == nil {
		return h
	}
	return remote
}

func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

// headerSafe drops the bytes a header value may not hold.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

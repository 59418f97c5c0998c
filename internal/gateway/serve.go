package gateway

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/gateway/authorizer"
	"github.com/cognatehq/cognate/internal/gateway/respond"
	"github.com/cognatehq/cognate/internal/gateway/route"
	"github.com/cognatehq/cognate/internal/requestid"
)

// The response headers API Gateway puts on every answer [obs].
const (
	headerRequestID = "x-amzn-RequestId"
	headerAPIGWID   = "x-amz-apigw-id"
	headerReason    = "x-cognate-reason"
)

// call is one request on its way through the gateway.
type call struct {
	g     *Gateway
	w     *statusWriter
	r     *http.Request
	start time.Time
	now   time.Time

	requestID, extendedID string
	apiID, stageName      string
	// apiKnown is set once apiID names a deployed API.
	apiKnown bool
	// path is the stage-relative path ("/pets/1").
	path string

	stage *stageEntry
	match route.Match
	auth  *authorizer.Result
	// claims are the authorizer's claims as strings, for
	// $context.authorizer.claims and the upstream's headers.
	claims map[string]string
	// claimInfo holds claims and their JSON, shared by the requests that
	// carry the same token; read only.
	claimInfo *claimInfo
	// body limits a streamed request body; nil when the body was checked
	// whole or has a known length.
	body *limitedBody
	// plan is set while the request is proxied.
	plan *plan

	// errorType, when set, replaces the x-amzn-ErrorType of the answer
	// the gateway makes itself.
	errorType string
	// reason and detail say why the gateway refused or failed the
	// request, for the access log and x-cognate-reason.
	reason, detail string
}

// ServeHTTP answers a request that Target accepts: routing, the Cognito
// authorizer, request validation, then the integration. Every answer
// carries x-amzn-RequestId, and one access log record is written.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{g: g, w: &statusWriter{ResponseWriter: w}, r: r, start: time.Now(), now: g.cfg.Now()}
	c.requestID = requestid.FromContext(r.Context())
	if c.requestID == "" {
		c.requestID = requestid.New()
		c.r = r.WithContext(requestid.NewContext(r.Context(), c.requestID))
	}
	c.extendedID = newExtendedID()
	h := w.Header()
	h[headerRequestID] = []string{c.requestID}
	h[headerAPIGWID] = []string{c.extendedID}
	defer c.finish()
	c.serve()
}

// serve runs the request path in API Gateway's order.
func (c *call) serve() {
	var ok bool
	var path string
	c.apiID, c.stageName, path, ok = Target(c.r)
	c.path = path
	if !ok {
		c.unknownAPI()
		return
	}
	t, err := c.g.tables.get(c.r.Context())
	if err != nil {
		c.fail(respond.APIConfigurationError, "route_table", err.Error())
		return
	}
	a := t.apis[c.apiID]
	if a == nil {
		c.unknownAPI()
		return
	}
	c.apiKnown = true
	c.stage = a.stages[c.stageName]
	if c.stage == nil {
		c.missingRoute("no_stage", fmt.Sprintf("API %s has no deployed stage %q", c.apiID, c.stageName))
		return
	}
	if c.stage.err != nil {
		c.fail(respond.APIConfigurationError, "stage_not_compiled", c.stage.err.Error())
		return
	}
	if c.match, ok = c.stage.routes.Match(c.r.Method, c.path); !ok {
		c.missingRoute("no_route", fmt.Sprintf("stage %s of API %s has no resource and method for %s %s",
			c.stageName, c.apiID, c.r.Method, c.path))
		return
	}
	// The payload limit is enforced at the door, before the authorizer
	// runs [guess: API Gateway refuses an oversized payload before any
	// of the API's own processing].
	if c.r.ContentLength > MaxBodyBytes {
		c.tooLarge()
		return
	}
	if !c.authorize() {
		return
	}
	if !c.validate() {
		return
	}
	c.integrate()
}

// api is the API whose gateway responses apply: the stage's, or an empty
// one when the request named no compiled stage.
func (c *call) api() *apimodel.API {
	if c.stage != nil && c.stage.api != nil {
		return c.stage.api
	}
	return emptyAPI
}

var emptyAPI = &apimodel.API{}

// newExtendedID returns an x-amz-apigw-id value: 16 characters of
// base64, the shape AWS sends (e.g. "Ua7ccHwHoAMEQ9g=") [obs].
func newExtendedID() string {
	var b [11]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

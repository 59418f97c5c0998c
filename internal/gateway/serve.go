package gateway

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
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
	g *Gateway
	w *statusWriter
	// sw is what w points to, kept here so that a request allocates one
	// call and no separate writer.
	sw statusWriter
	// r is the request with ctx as its context.
	r     *http.Request
	start time.Time
	now   time.Time
	// ctx is r's context: the request's, with the request id, naming
	// this call to the reverse proxy's hooks.
	ctx callContext

	requestID, extendedID string
	// ids backs the values of the answer's two id headers, so that they
	// cost no allocation of their own.
	ids [2]string

	apiID, stageName string
	// apiKnown is set once apiID names a deployed API.
	apiKnown bool
	// path is the stage-relative path ("/pets/1").
	path string

	stage *stageEntry
	match route.Match
	auth  *authorizer.Result
	// authStore is what auth points to, so that the result costs no
	// allocation of its own.
	authStore authorizer.Result
	// claims are the authorizer's claims as strings, for
	// $context.authorizer.claims and the upstream's headers.
	claims map[string]string
	// claimInfo holds claims and their JSON, shared by the requests that
	// carry the same token; read only.
	claimInfo *claimInfo
	// body limits a streamed request body; nil when the body was checked
	// whole or has a known length.
	body *limitedBody
	// plan is set while the request is proxied; it points to planStore.
	plan      *plan
	planStore plan

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
	c := &call{g: g, start: time.Now(), now: g.cfg.Now()}
	c.sw.ResponseWriter = w
	c.w = &c.sw
	// One context and one copy of the request for the whole call: the
	// request id (the server leaves it to the gateway) and the call, for
	// the proxy's hooks.
	ctx := r.Context()
	c.requestID = requestid.FromContext(ctx)
	if c.requestID == "" {
		c.requestID, c.extendedID = newIDs()
		ctx = requestid.NewContext(ctx, c.requestID)
	} else {
		c.extendedID = newExtendedID()
	}
	c.ctx = callContext{Context: ctx, c: c}
	c.r = r.WithContext(&c.ctx)
	h := w.Header()
	c.ids = [2]string{c.requestID, c.extendedID}
	h[headerRequestID] = c.ids[0:1:1]
	h[headerAPIGWID] = c.ids[1:2:2]
	defer c.finish()
	c.serve()
}

// callContext is a call's context: Value(callKey{}) is the call, so that
// the reverse proxy's hooks find it without a context of its own.
type callContext struct {
	context.Context
	c *call
}

func (x *callContext) Value(key any) any {
	if _, ok := key.(callKey); ok {
		return x.c
	}
	return x.Context.Value(key)
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
// base64, the shape AWS sends (e.g. "Ua7ccHwHoAMEQ9g=") [obs]. It is an
// identifier, not a secret, so it comes from math/rand/v2 (ChaCha8,
// seeded by the runtime from the OS): 38 ns against 64 ns with
// crypto/rand (BenchmarkIDs, -cpu 1, 2026-11-25).
func newExtendedID() string {
	var out [16]byte
	putExtendedID(&out)
	return string(out[:])
}

// putExtendedID writes newExtendedID's value to out.
func putExtendedID(out *[16]byte) {
	var b [11]byte
	x, y := rand.Uint64(), rand.Uint64()
	binary.LittleEndian.PutUint64(b[:8], x)
	b[8], b[9], b[10] = byte(y), byte(y>>8), byte(y>>16)
	base64.StdEncoding.Encode(out[:], b[:])
}

// newRequestID returns a request id for x-amzn-RequestId: a random
// (version 4) UUID, the shape AWS uses. It writes what
// github.com/google/uuid's NewString writes, from math/rand/v2 instead
// of crypto/rand, as a request id is not a secret: 54 ns and one
// allocation against 107 ns and two (BenchmarkIDs, -cpu 1,
// 2026-11-25), on every gateway request.
func newRequestID() string {
	var s [36]byte
	putRequestID(&s)
	return string(s[:])
}

// newIDs returns newRequestID and newExtendedID values made with one
// allocation instead of two: one string holding both.
func newIDs() (requestID, extendedID string) {
	var b [36 + 16]byte
	putRequestID((*[36]byte)(b[:36]))
	putExtendedID((*[16]byte)(b[36:]))
	s := string(b[:])
	return s[:36], s[36:]
}

// putRequestID writes newRequestID's value to s.
func putRequestID(s *[36]byte) {
	const hex = "0123456789abcdef"
	var u [16]byte
	binary.LittleEndian.PutUint64(u[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(u[8:], rand.Uint64())
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	j := 0
	for i, x := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s[j] = '-'
			j++
		}
		s[j], s[j+1] = hex[x>>4], hex[x&0x0f]
		j += 2
	}
}

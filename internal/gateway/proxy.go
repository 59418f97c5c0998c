package gateway

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/gateway/authorizer"
	"github.com/cognatehq/cognate/internal/gateway/respond"
)

// The headers that carry the authorizer's result to the upstream. Any
// X-Cognate-* header the client sent is removed first, so an upstream
// can trust them.
const (
	headerClaims   = "X-Cognate-Claims"    // JSON object of the claims, every value a string
	headerClientID = "X-Cognate-Client-Id" // the token's client_id (or aud)
	headerSub      = "X-Cognate-Sub"       // the token's sub, when it has one
	headerScope    = "X-Cognate-Scope"     // an access token's space-separated scopes
	headerTokenUse = "X-Cognate-Token-Use" // "access" or "id"
	cognatePrefix  = "X-Cognate-"
)

// proxyMode is how the request and response are carried.
type proxyMode int

const (
	// modeProxy is HTTP_PROXY: request and response pass through.
	modeProxy proxyMode = iota
	// modeMapped is HTTP (non-proxy): the body passes through, headers
	// only when mapped, and the status and headers of the answer come
	// from the integration response selected by the upstream's status.
	modeMapped
	// modeFunction is a Lambda proxy route served by an HTTP upstream:
	// as modeProxy, keeping the request's method.
	modeFunction
)

// plan is where and how one request is proxied; the reverse proxy's
// hooks find it through the call in the request's context.
type plan struct {
	target      *url.URL
	headers     http.Header // mapped integration.request.header.* values
	mode        proxyMode
	integration *apimodel.Integration
	timer       *time.Timer
}

type callKey struct{}

// canonicalRequestID is x-amzn-RequestId as an upstream's response
// headers hold it.
var canonicalRequestID = http.CanonicalHeaderKey(headerRequestID)

// errIntegrationTimeout ends a request whose upstream did not answer in
// time.
var errIntegrationTimeout = errors.New("gateway: integration timed out")

// errNoIntegrationResponse is an HTTP integration whose responses have
// no pattern for the upstream's status and no default.
var errNoIntegrationResponse = errors.New("gateway: no integration response matches the upstream's status, and there is no default")

// newProxy returns the reverse proxy shared by all requests.
func (g *Gateway) newProxy() *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite:        rewrite,
		Transport:      g.cfg.Transport,
		ModifyResponse: modifyResponse,
		ErrorHandler:   proxyError,
		BufferPool:     newBufferPool(),
	}
}

// proxy sends the request to p.target and streams the answer back. The
// integration timeout runs until the upstream's response headers arrive:
// a slow response body is streamed, not cut.
//
// With the default timeout, a small body of known length and the
// gateway's own transport, the transport's ResponseHeaderTimeout is the
// timeout: it starts once the request is written, which for a body that
// fits in the socket's buffers is at once. Otherwise the call gets a
// context of its own, cancelled by a timer. In pprof under
// bench/gateway.sh (c=64, 2026-11-25) that context cost about 1.8 µs of
// a 45 µs request (context.WithCancelCause 1.3 µs, its cancel 0.5 µs:
// a second cancelable context under the server's, each with its own
// children map and channel); the transport's timer replaces ours.
func (c *call) proxy(p *plan) {
	if c.body == nil && c.r.ContentLength < 0 && c.r.Body != nil && c.r.Body != http.NoBody {
		c.body = newLimitedBody(c.r.Body, MaxBodyBytes)
		c.r.Body = c.body
	}
	c.plan = p
	timeout := c.g.cfg.DefaultTimeout
	if ms := p.integration.TimeoutMillis; ms > 0 {
		timeout = time.Duration(ms) * time.Millisecond
	}
	if c.g.headerTimeout && timeout == c.g.cfg.DefaultTimeout &&
		c.r.ContentLength >= 0 && c.r.ContentLength <= smallBody {
		c.g.proxy.ServeHTTP(c.w, c.r)
		return
	}
	ctx, cancel := context.WithCancelCause(c.r.Context())
	defer cancel(nil)
	p.timer = time.AfterFunc(timeout, func() { cancel(errIntegrationTimeout) })
	defer p.timer.Stop()
	c.g.proxy.ServeHTTP(c.w, c.r.WithContext(ctx))
}

// smallBody is the largest request body the transport's
// ResponseHeaderTimeout may time (see proxy): writing it cannot wait for
// the upstream to read.
const smallBody = 16 << 10

// isTransportTimeout reports whether err is the gateway's transport
// running out of the default integration timeout: its
// ResponseHeaderTimeout, or a dial that took as long (the dial timeout
// is the default timeout when that is under 10 s; a longer default
// leaves a dial timeout a 502, as with the timer).
func (g *Gateway) isTransportTimeout(err error) bool {
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		return false
	}
	var op *net.OpError
	return !errors.As(err, &op) || op.Op != "dial" || g.dialTimeout >= g.cfg.DefaultTimeout
}

// rewrite builds the upstream request.
func rewrite(pr *httputil.ProxyRequest) {
	c := pr.In.Context().Value(callKey{}).(*call)
	p := c.plan
	out := pr.Out
	// p.target is read only: it may be shared with the stage's other
	// requests (see integrationURL).
	out.URL = p.target
	out.Host = ""
	if m := strings.ToUpper(p.integration.HTTPMethod); p.mode != modeFunction && m != "" && m != "ANY" {
		out.Method = m
	}
	// One header map, sized for what is added below: the claims headers
	// took the cloned map past its small size, and growing it cost
	// 2.4% of the server's CPU in pprof under bench/gateway.sh.
	var claims http.Header
	if c.claimInfo != nil {
		claims = c.claimInfo.headers
	}
	in := out.Header
	h := make(http.Header, len(in)+len(p.headers)+len(claims)+3) // 3: X-Forwarded-For, -Host, -Proto
	if p.mode == modeMapped {
		// A non-proxy integration sends only mapped headers, and the body
		// with its type.
		for _, k := range []string{"Content-Type", "Content-Encoding", "Content-Length"} {
			if v, ok := in[k]; ok {
				h[k] = v
			}
		}
	} else {
		for k, vs := range in {
			if !hasCognatePrefix(k) {
				h[k] = vs
			}
		}
	}
	for k, vs := range p.headers {
		h[k] = vs
	}
	out.Header = h
	pr.SetXForwarded()
	for k, vs := range claims {
		h[k] = vs
	}
}

// hasCognatePrefix reports whether the header name k starts with
// X-Cognate-, in any case.
func hasCognatePrefix(k string) bool {
	return len(k) >= len(cognatePrefix) && strings.EqualFold(k[:len(cognatePrefix)], cognatePrefix)
}

// claimHeaders are the documented X-Cognate-* headers that carry a
// verified token's result to the upstream.
func claimHeaders(claims map[string]string, res *authorizer.Result) http.Header {
	h := http.Header{headerClaims: {claimsJSON(claims)}}
	if res.ClientID != "" {
		h[headerClientID] = []string{res.ClientID}
	}
	if res.Subject != "" {
		h[headerSub] = []string{res.Subject}
	}
	if res.TokenUse != "" {
		h[headerTokenUse] = []string{res.TokenUse}
	}
	if scope := claims["scope"]; scope != "" && res.TokenUse == "access" {
		h[headerScope] = []string{scope}
	}
	return h
}

// modifyResponse stops the integration timer and, for HTTP (non-proxy)
// integrations, maps the answer through the integration responses.
func modifyResponse(resp *http.Response) error {
	c := resp.Request.Context().Value(callKey{}).(*call)
	if t := c.plan.timer; t != nil && !t.Stop() {
		return errIntegrationTimeout
	}
	// The upstream's own request id would clash with the gateway's. API
	// Gateway renames the headers of an integration response that it
	// sets itself to x-amzn-Remapped-<name> [guess: its list of remapped
	// headers for REST APIs names x-amzn-RequestId; not captured].
	if v := resp.Header[canonicalRequestID]; len(v) > 0 {
		delete(resp.Header, canonicalRequestID)
		resp.Header["x-amzn-Remapped-x-amzn-RequestId"] = v
	}
	if c.plan.mode == modeMapped {
		return mapResponse(resp, c.plan.integration)
	}
	return nil
}

// proxyError answers a request the upstream did not serve.
func proxyError(w http.ResponseWriter, r *http.Request, err error) {
	c := r.Context().Value(callKey{}).(*call)
	switch {
	case c.body != nil && c.body.tripped.Load():
		c.tooLarge()
	case errors.Is(err, errIntegrationTimeout) || errors.Is(context.Cause(r.Context()), errIntegrationTimeout) ||
		c.plan.timer == nil && c.g.isTransportTimeout(err):
		c.fail(respond.IntegrationTimeout, "integration_timeout",
			"the upstream "+c.plan.target.Host+" did not answer within the integration timeout")
	case errors.Is(err, errNoIntegrationResponse):
		c.fail(respond.APIConfigurationError, "no_integration_response", err.Error())
	case c.r.Context().Err() != nil:
		// The client went away; nobody reads this answer.
		c.reason, c.detail = "client_gone", err.Error()
		c.w.WriteHeader(499)
	default:
		// An endpoint that refuses the connection or breaks it: 502 with
		// the INTEGRATION_FAILURE body [guess: API Gateway answers 502
		// "Internal server error" for an HTTP endpoint it cannot reach,
		// as it does for a failed Lambda integration (APIGATEWAY.md
		// §2.2)].
		c.answer(respond.NewError(respond.IntegrationFailure), http.StatusBadGateway, "upstream_unreachable",
			c.plan.target.Host+": "+err.Error())
	}
}

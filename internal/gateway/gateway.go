package gateway

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/gateway/upstream"
)

// The defaults of Config.
const (
	// DefaultTimeout is API Gateway's default (and maximum) integration
	// timeout: 29 seconds [doc].
	DefaultTimeout = 29 * time.Second
	// DefaultPollInterval is how often Run reads the store's generation,
	// so that changes made through another node arrive within a second.
	DefaultPollInterval = 500 * time.Millisecond
	// MaxBodyBytes is API Gateway's payload limit, 10 MB [doc]; a larger
	// request body is answered 413 REQUEST_TOO_LARGE.
	MaxBodyBytes = 10 << 20
)

// Config is what New needs. Source is required; without a Verifier,
// Cognito routes answer 500 AUTHORIZER_CONFIGURATION_ERROR.
type Config struct {
	// Source lists the deployed stages.
	Source Source
	// Upstreams resolves Lambda function routes to HTTP services; nil
	// means none is.
	Upstreams Upstreams
	// Verifier checks Cognito authorizer tokens.
	Verifier Verifier
	// Logger receives the access log and table rebuild problems; nil
	// discards them.
	Logger *slog.Logger
	// ExplainDenials adds x-cognate-reason to the answers the gateway
	// makes itself (set for loopback listeners; --explain-denials=false
	// turns it off).
	ExplainDenials bool
	// DefaultTimeout is the integration timeout for integrations without
	// timeoutInMillis; 0 means DefaultTimeout (29 s).
	DefaultTimeout time.Duration
	// AccountID and Region are the server's defaults. Nothing reads them
	// yet: they are for the Lambda proxy event's requestContext (the next
	// issue) and for stages that carry no region.
	AccountID, Region string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Registerer receives the gateway's metrics; nil registers none.
	Registerer prometheus.Registerer
	// Transport carries requests to upstreams; nil means a transport
	// tuned for many concurrent requests to few hosts.
	Transport http.RoundTripper
	// PollInterval is Run's period; 0 means DefaultPollInterval.
	PollInterval time.Duration
}

// Gateway serves the deployed REST APIs. It is an http.Handler for the
// requests Target accepts.
type Gateway struct {
	cfg     Config
	log     *slog.Logger
	tables  *tableHolder
	proxy   *httputil.ReverseProxy
	metrics *metrics
	claims  *claimCache
	// headerTimeout is set when the transport is the gateway's own, whose
	// ResponseHeaderTimeout is the default integration timeout (see
	// call.proxy).
	headerTimeout bool
	// dialTimeout is how long the gateway's own transport may take to
	// connect.
	dialTimeout time.Duration
}

// New returns a gateway over cfg. The route table is built on the first
// request (or by Run).
func New(cfg Config) *Gateway {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.DefaultTimeout <= 0 {
		cfg.DefaultTimeout = DefaultTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	own := cfg.Transport == nil
	dial := min(dialTimeout, cfg.DefaultTimeout)
	if own {
		t := newTransportDial(dial)
		t.ResponseHeaderTimeout = cfg.DefaultTimeout
		// Small requests to plain-http upstreams take the lean client;
		// the rest go through t (see internal/gateway/upstream).
		cfg.Transport = upstream.New(upstream.Config{
			Fallback:              t,
			DialTimeout:           dial,
			ResponseHeaderTimeout: cfg.DefaultTimeout,
			MaxIdle:               t.MaxIdleConns,
			MaxIdlePerHost:        t.MaxIdleConnsPerHost,
			IdleTimeout:           t.IdleConnTimeout,
		})
	}
	g := &Gateway{cfg: cfg, log: cfg.Logger, metrics: newMetrics(cfg.Registerer), claims: newClaimCache(),
		headerTimeout: own, dialTimeout: dial}
	g.tables = newTableHolder(cfg.Source, cfg.Upstreams, cfg.Logger, apimodel.Compile)
	g.proxy = g.newProxy()
	return g
}

// dialTimeout bounds connecting to an upstream, or the default
// integration timeout when that is shorter.
const dialTimeout = 10 * time.Second

// newTransport is http.DefaultTransport's settings with more idle
// connections per host: a gateway talks to few upstreams, at high
// concurrency.
func newTransport() *http.Transport { return newTransportDial(dialTimeout) }

func newTransportDial(dial time.Duration) *http.Transport {
	return &http.Transport{
		Proxy: nil, // upstreams are local services; never through HTTP_PROXY
		DialContext: (&net.Dialer{
			Timeout:   dial,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     false,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// HostedDomains serves a pool's hosted domain and its well-known documents.
type HostedDomains interface {
	// ServeDomain serves path (e.g. "/oauth2/token") of a hosted domain;
	// region is the region its host named, "" when none.
	ServeDomain(w http.ResponseWriter, r *http.Request, domain, region, path string)
	// ServeWellKnown serves /{poolID}/.well-known/{name}.
	ServeWellKnown(w http.ResponseWriter, r *http.Request, poolID, name string)
	// IsCustomDomain reports whether host is a pool's custom domain.
	IsCustomDomain(ctx context.Context, host string) bool
}

// Admin is what Cognate's own admin endpoints need.
type Admin interface {
	Ready(ctx context.Context) error
	Reset(ctx context.Context) error
	// RotateKeys rotates a pool's signing keys and returns a JSON-able
	// description of its published keys.
	RotateKeys(ctx context.Context, poolID string) (any, error)
	// Authenticate checks the SigV4 signature of an admin request.
	Authenticate(r *http.Request, body []byte) error
	// ErrorResponse maps an error of RotateKeys or Authenticate to the
	// status and message the caller sees; internal detail stays out.
	ErrorResponse(err error) (status int, message string)
}

// Config holds the server's collaborators.
type Config struct {
	Logger   *slog.Logger
	Registry *prometheus.Registry // metrics are registered here and served at /_cognate/metrics
	Cognito  http.Handler         // the Cognito IdP JSON 1.1 API
	SSM      http.Handler         // the SSM Parameter Store JSON 1.1 API
	// CloudFormation is the CloudFormation Query API (form-encoded POST /
	// signed for the service "cloudformation").
	CloudFormation http.Handler
	Domains        HostedDomains
	Admin          Admin
	AllowReset     bool // allow POST /_cognate/reset on a non-loopback listener
	// SignedAdmin is true when admin credentials are configured: admin
	// calls, POST /_cognate/reset included, must then carry a valid SigV4
	// signature. When false (loopback only), any key is accepted, so admin
	// calls are taken only on local Host names (see localAdminHost).
	SignedAdmin bool
	// PublicHost is the host of --public-url, accepted as a local Host
	// name for admin calls.
	PublicHost string
	// Gateway serves the deployed REST APIs; nil serves none.
	Gateway Gateway
	// GatewayTimeout is the longest a gateway integration may take; the
	// listener's write timeout leaves room for it.
	GatewayTimeout time.Duration
}

// Gateway is the API Gateway emulation: it claims the requests addressed
// to a deployed REST API ({apiId}.execute-api.* hosts and the path-style
// /restapis/{apiId}/{stage}/_user_request_/ prefix) and serves them.
type Gateway interface {
	http.Handler
	// Accepts reports whether r is addressed to a REST API.
	Accepts(r *http.Request) bool
}

// Server is the one listener.
type Server struct {
	cfg     Config
	log     *slog.Logger
	metrics *metrics
	handler http.Handler
}

// New builds a Server.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg, log: cfg.Logger, metrics: newMetrics(cfg.Registry)}
	s.handler = s.middleware(http.HandlerFunc(s.route))
	return s
}

// Handler returns the server's root handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves on ln until ctx is cancelled, then shuts down gracefully,
// waiting up to grace for requests in flight.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		// A client that stops sending its body must not hold a connection
		// for ever: every body Cognate reads is capped (10 MB at most,
		// through the gateway).
		ReadTimeout:    30 * time.Second,
		WriteTimeout:   max(60*time.Second, s.cfg.GatewayTimeout+30*time.Second),
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 1 << 20,
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

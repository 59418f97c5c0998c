package oauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/requestid"
)

// Config holds a Handler's collaborators and settings.
type Config struct {
	// Identity is the user-pool domain service. Required.
	Identity *identity.Service
	// PublicURL is the base URL clients reach Cognate at, without a
	// trailing slash (e.g. http://127.0.0.1:4566). It is the root of the
	// jwks_uri and hosted-domain endpoint URLs in discovery documents.
	// Required.
	PublicURL string
	// Logger receives one record per issued token (by jti, never the
	// token) and per rejected or failed request. Nil discards.
	Logger *slog.Logger
	// Metrics registers the package's counters. Nil registers nothing
	// (the counters still count, unexported). Registering twice on the
	// same registry reuses the collectors already there.
	Metrics prometheus.Registerer
}

// Handler serves a user pool's hosted-domain endpoints, JWKS and discovery
// document. It is safe for concurrent use; it holds no per-request state.
type Handler struct {
	id        *identity.Service
	publicURL string
	log       *slog.Logger
	metrics   *metrics
	grants    map[string]grant
}

// New checks cfg and returns a Handler.
func New(cfg Config) (*Handler, error) {
	if cfg.Identity == nil {
		return nil, errors.New("oauth: Config.Identity is required")
	}
	pub := strings.TrimRight(cfg.PublicURL, "/")
	u, err := url.Parse(pub)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("oauth: Config.PublicURL %q must be an absolute http(s) URL with no query or fragment", cfg.PublicURL)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(cfg.Metrics)
	if err != nil {
		return nil, err
	}
	h := &Handler{id: cfg.Identity, publicURL: pub, log: log, metrics: m}
	h.grants = newGrants(h)
	return h, nil
}

// pathToken is the token endpoint of a hosted domain [doc].
const pathToken = "/oauth2/token"

// notBuiltPaths are hosted-domain endpoints that Cognito has and Cognate
// does not implement yet. Cognito's paths are case-sensitive ("userInfo"
// has a capital I) and logout and login have no /oauth2 prefix [doc]. They answer 501 so that a client learns the truth
// instead of a fake success or a misleading 404.
var notBuiltPaths = map[string]bool{
	"/oauth2/authorize":   true,
	"/oauth2/userInfo":    true,
	"/oauth2/revoke":      true,
	"/oauth2/idpresponse": true,
	"/login":              true,
	"/logout":             true,
}

// ServeDomain answers a request to a user pool's hosted domain. The central
// server calls it once it has recognised the domain, either from the Host
// ({domain}.auth.{region}.localhost or a custom domain) or from a path-style
// URL (/_domain/{domain}/...). domain is the prefix or custom domain name;
// region is the region the host named ({domain}.auth.{region}.localhost),
// "" when the URL named none; path is the rest of the URL path, starting
// with "/" (for example "/oauth2/token").
//
// A domain that no pool has answers 404 on every path, as a host that does
// not exist would.
func (h *Handler) ServeDomain(w http.ResponseWriter, r *http.Request, domain, region, path string) {
	if path == "" {
		path = "/"
	}
	switch {
	case path == pathToken:
		h.run(w, r, func(w http.ResponseWriter, r *http.Request) error { return h.token(w, r, domain, region) })
	case notBuiltPaths[path]:
		h.run(w, r, func(w http.ResponseWriter, r *http.Request) error {
			return h.domainFirst(r.Context(), domain, errNotBuilt("the "+path+" endpoint"))
		})
	default:
		h.run(w, r, func(w http.ResponseWriter, r *http.Request) error {
			return h.domainFirst(r.Context(), domain, errNoEndpoint(path))
		})
	}
}

// ServeWellKnown answers /{poolID}/.well-known/{name}: name is
// "jwks.json" or "openid-configuration"; anything else is 404.
func (h *Handler) ServeWellKnown(w http.ResponseWriter, r *http.Request, poolID, name string) {
	switch name {
	case "jwks.json":
		h.run(w, r, func(w http.ResponseWriter, r *http.Request) error { return h.jwks(w, r, poolID) })
	case "openid-configuration":
		h.run(w, r, func(w http.ResponseWriter, r *http.Request) error { return h.discovery(w, r, poolID) })
	default:
		h.run(w, r, func(http.ResponseWriter, *http.Request) error {
			return errNoEndpoint("/" + poolID + "/.well-known/" + name)
		})
	}
}

// IsCustomDomain reports whether host is the custom domain of a pool, for
// the central server's routing by Host. Prefix domains contain no dot, so a
// host with a dot that some pool has can only be a custom domain. A store
// failure is logged and answers false: the request then routes elsewhere
// and gets a 404 rather than a token.
func (h *Handler) IsCustomDomain(ctx context.Context, host string) bool {
	if !strings.Contains(host, ".") || !plausibleDomain(host) {
		return false
	}
	_, err := h.id.LookupDomain(ctx, host)
	if err == nil {
		return true
	}
	if identity.KindOf(err) != identity.KindResourceNotFound {
		h.log.ErrorContext(ctx, "custom domain lookup failed", "host", host, "error", err.Error())
	}
	return false
}

// handlerFunc is an endpoint: it writes a success itself and returns any
// failure for run to write.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// run calls fn and writes the error it returns, if any. Every answer
// carries the request id, under the header name Cognito's hosted domain
// uses [obs], so a client's report can be matched with the log.
func (h *Handler) run(w http.ResponseWriter, r *http.Request, fn handlerFunc) {
	if id := requestid.FromContext(r.Context()); id != "" {
		w.Header().Set("X-Amz-Request-Id", id)
	}
	if err := fn(w, r); err != nil {
		h.writeError(w, r, err)
	}
}

// domainFirst returns err, unless the domain is unknown: then the 404 (or
// the lookup's own failure) wins, so that an unknown domain answers the same
// on every path and for every malformed request. It costs one store read,
// on error paths only; a well-formed token request leaves the lookup to
// identity.
func (h *Handler) domainFirst(ctx context.Context, domain string, err error) error {
	if !plausibleDomain(domain) {
		return errUnknownDomain(domain)
	}
	if _, lerr := h.id.LookupDomain(ctx, domain); lerr != nil {
		return fromIdentity(lerr, domain)
	}
	return err
}

// plausibleDomain reports whether name could be a prefix or custom domain
// (letters, digits, '-' and '.', at most 253 characters), so that names no
// pool can have never reach the store.
func plausibleDomain(name string) bool {
	if name == "" || len(name) > 253 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

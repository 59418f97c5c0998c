package server

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

var (
	// {domain}.auth.{region}.localhost, and AWS's own host shape for users
	// who point it at Cognate through /etc/hosts.
	hostedHostRe = regexp.MustCompile(`^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.auth\.([a-z0-9-]+)\.(?:localhost|amazoncognito\.com)$`)
	poolIDPathRe = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)
)

const (
	cognitoTargetPrefix = "AWSCognitoIdentityProviderService."
	ssmTargetPrefix     = "AmazonSSM."
	adminBodyLimit      = 64 << 10
)

// route dispatches one request. Order: REST API addresses (every path on
// an {apiId}.execute-api.* host belongs to the API, and the path-style
// /restapis/ prefix shadows nothing of Cognate's), hosted-domain hosts
// ({domain}.auth.{region}.localhost: every path on them belongs to the
// domain), then Cognate's own /_cognate/ paths and the AWS JSON API (so a
// custom domain can never shadow them), then custom-domain hosts, the
// path-style hosted domain and the well-known documents.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	host := hostOnly(r.Host)
	if s.cfg.Gateway != nil && s.cfg.Gateway.Accepts(r) {
		setRoute(r, routeGateway)
		s.cfg.Gateway.ServeHTTP(w, r)
		return
	}
	if m := hostedHostRe.FindStringSubmatch(host); m != nil {
		setRoute(r, "hosted-domain")
		s.cfg.Domains.ServeDomain(w, r, m[1], m[2], r.URL.Path)
		return
	}

	path := r.URL.Path
	switch {
	case path == "/_cognate/health":
		setRoute(r, "health")
		s.health(w, r)
		return
	case path == "/_cognate/metrics":
		setRoute(r, "metrics")
		promhttp.HandlerFor(s.cfg.Registry, promhttp.HandlerOpts{}).ServeHTTP(w, r)
		return
	case path == "/_cognate/reset":
		setRoute(r, "reset")
		if s.adminAllowed(w, r, host) {
			s.reset(w, r)
		}
		return
	case path == "/_cognate/keys/rotate":
		setRoute(r, "keys-rotate")
		if s.adminAllowed(w, r, host) {
			s.rotateKeys(w, r)
		}
		return
	case path == "/" && r.Method == http.MethodPost && r.Header.Get("X-Amz-Target") == "" && isQueryProtocol(r):
		// The AWS Query protocol (form body with Action=...): today only
		// CloudFormation. The service is in the SigV4 scope, a header, so
		// the body is read once, by the handler.
		if !s.adminAllowed(w, r, host) {
			setRoute(r, "aws-refused")
			return
		}
		setRoute(r, "cloudformation")
		s.cfg.CloudFormation.ServeHTTP(w, r)
		return
	case path == "/" && r.Method == http.MethodPost && r.Header.Get("X-Amz-Target") != "":
		if !s.adminAllowed(w, r, host) {
			setRoute(r, "aws-refused")
			return
		}
		target := r.Header.Get("X-Amz-Target")
		switch {
		case strings.HasPrefix(target, cognitoTargetPrefix):
			setRoute(r, "cognito-idp")
			s.cfg.Cognito.ServeHTTP(w, r)
			return
		case strings.HasPrefix(target, ssmTargetPrefix):
			setRoute(r, "ssm")
			s.cfg.SSM.ServeHTTP(w, r)
			return
		}
		// Another AWS JSON service.
		setRoute(r, "aws-unknown")
		w.Header().Set("x-amzn-ErrorType", "UnknownOperationException")
		writeJSONType(w, http.StatusBadRequest, "application/x-amz-json-1.1", map[string]string{
			"__type":  "UnknownOperationException",
			"message": "Cognate does not implement " + service(target) + " yet; it serves AWSCognitoIdentityProviderService and AmazonSSM",
		})
		return
	}
	if isCustomDomainCandidate(host) && s.cfg.Domains.IsCustomDomain(r.Context(), host) {
		setRoute(r, "hosted-domain")
		s.cfg.Domains.ServeDomain(w, r, host, "", r.URL.Path)
		return
	}
	if strings.HasPrefix(path, "/_domain/") {
		rest := strings.TrimPrefix(path, "/_domain/")
		domain, sub, _ := strings.Cut(rest, "/")
		setRoute(r, "hosted-domain")
		// Domain prefixes are lower-case [model]; hosts are matched
		// case-insensitively, so path style is too.
		s.cfg.Domains.ServeDomain(w, r, strings.ToLower(domain), "", "/"+sub)
		return
	}
	if parts := strings.Split(strings.TrimPrefix(path, "/"), "/"); len(parts) == 3 && parts[1] == ".well-known" && poolIDPathRe.MatchString(parts[0]) {
		setRoute(r, "well-known")
		s.cfg.Domains.ServeWellKnown(w, r, parts[0], parts[2])
		return
	}
	setRoute(r, "not-found")
	writeJSON(w, http.StatusNotFound, map[string]string{
		"message": "Cognate has no endpoint at " + r.Method + " " + path + "; see /_cognate/health, /_domain/{domain}/oauth2/token, /{userPoolId}/.well-known/jwks.json, or the AWS API at POST /",
	})
}

func service(target string) string {
	svc, _, _ := strings.Cut(target, ".")
	return svc
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return strings.ToLower(h)
	}
	return strings.ToLower(hostport)
}

// isCustomDomainCandidate filters out hosts that cannot be a custom domain
// (IP literals, localhost) so that the common case costs no store lookup.
func isCustomDomainCandidate(host string) bool {
	if host == "" || host == "localhost" || strings.HasSuffix(host, ".localhost") || net.ParseIP(host) != nil {
		return false
	}
	return strings.Contains(host, ".")
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Admin.Ready(ctx); err != nil {
		s.log.WarnContext(r.Context(), "health check: store not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "store does not answer"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// isLoopbackRequest reports whether the request arrived on a loopback
// address of this server.
func isLoopbackRequest(r *http.Request) bool {
	addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "use POST /_cognate/reset"})
		return
	}
	if !s.cfg.AllowReset && !isLoopbackRequest(r) {
		writeJSON(w, http.StatusForbidden, map[string]string{
			"message": "reset is only allowed on a loopback address; start cognate with --allow-reset to allow it here"})
		return
	}
	if s.cfg.SignedAdmin {
		// With admin credentials, reset is an admin call like any other:
		// it must be signed.
		body, ok := s.readAdminBody(w, r)
		if !ok {
			return
		}
		if err := s.cfg.Admin.Authenticate(r, body); err != nil {
			status, msg := s.cfg.Admin.ErrorResponse(err)
			writeJSON(w, status, map[string]string{"message": msg})
			return
		}
	}
	if err := s.cfg.Admin.Reset(r.Context()); err != nil {
		s.log.ErrorContext(r.Context(), "reset failed", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "reset failed; see the server log"})
		return
	}
	s.log.WarnContext(r.Context(), "all state wiped by POST /_cognate/reset", "remote", r.RemoteAddr)
	writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

func (s *Server) rotateKeys(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "use POST /_cognate/keys/rotate"})
		return
	}
	body, ok := s.readAdminBody(w, r)
	if !ok {
		return
	}
	if err := s.cfg.Admin.Authenticate(r, body); err != nil {
		status, msg := s.cfg.Admin.ErrorResponse(err)
		writeJSON(w, status, map[string]string{"message": msg})
		return
	}
	var req struct {
		UserPoolID string `json:"UserPoolId"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.UserPoolID == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": `want a JSON body {"UserPoolId":"..."}`})
		return
	}
	keys, err := s.cfg.Admin.RotateKeys(r.Context(), req.UserPoolID)
	if err != nil {
		status, msg := s.cfg.Admin.ErrorResponse(err)
		if status >= 500 {
			s.log.ErrorContext(r.Context(), "rotate keys failed", "err", err)
		}
		writeJSON(w, status, map[string]string{"message": msg})
		return
	}
	writeJSON(w, http.StatusOK, keys)
}

// readAdminBody reads the (small) body of an admin call, answering the
// request itself when it cannot.
func (s *Server) readAdminBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, adminBodyLimit+1))
	if err != nil || len(body) > adminBodyLimit {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "request body too large or unreadable"})
		return nil, false
	}
	return body, true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONType(w, status, "application/json", v)
}

func writeJSONType(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"encode response"}`)
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// isQueryProtocol reports whether r is an AWS Query protocol call for a
// service Cognate serves that way: a form-encoded body whose SigV4
// credential scope names "cloudformation", or that carries no readable
// scope (the handler then answers in the Query protocol's XML: missing
// or incomplete authentication). Only headers and the URL are read.
func isQueryProtocol(r *http.Request) bool {
	mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	if !strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded") {
		return false
	}
	cred := r.URL.Query().Get("X-Amz-Credential") // presigned form
	if _, c, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
		cred, _, _ = strings.Cut(c, ",")
	}
	parts := strings.Split(strings.TrimSpace(cred), "/") // AKID/date/region/service/aws4_request
	return len(parts) != 5 || parts[3] == "cloudformation"
}

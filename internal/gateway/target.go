package gateway

import (
	"net"
	"net/http"
	"strings"
)

// Target returns the API id, stage and stage-relative path a request
// names, and false when it is not a gateway request. Two shapes are
// accepted, as PRODUCT.md "Routing on the one listener" lists them:
//
//	Host {apiId}.execute-api.localhost[:port]             path /{stage}/...
//	Host {apiId}.execute-api.{region}.amazonaws.com[:port] path /{stage}/...
//	any host, path /restapis/{apiId}/{stage}/_user_request_/...
//
// On an execute-api host every path belongs to the gateway, so the stage
// may be "" (the gateway answers 403 for it, as AWS does). path always
// starts with "/".
func Target(r *http.Request) (apiID, stage, path string, ok bool) {
	if id, ok := apiHost(r.Host); ok {
		stage, path := splitFirst(r.URL.Path)
		return id, stage, path, true
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/restapis/")
	if !ok {
		return "", "", "", false
	}
	apiID, rest, ok = strings.Cut(rest, "/")
	if !ok || !validAPIID(apiID) {
		return "", "", "", false
	}
	stage, rest, ok = strings.Cut(rest, "/")
	if !ok || stage == "" {
		return "", "", "", false
	}
	if rest == "_user_request_" {
		return apiID, stage, "/", true
	}
	if !strings.HasPrefix(rest, "_user_request_/") {
		return "", "", "", false
	}
	// "/" and what follows: a substring of the path, not a new string.
	return apiID, stage, rest[len("_user_request_"):], true
}

// apiHost returns the API id of an execute-api host name.
func apiHost(host string) (string, bool) {
	// Only a host with a colon can have a port: SplitHostPort's error
	// for one without allocates, on every request to a
	// /restapis/... path with a port-less Host.
	if strings.IndexByte(host, ':') >= 0 {
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	id, rest, ok := strings.Cut(host, ".execute-api.")
	if !ok || !validAPIID(id) {
		return "", false
	}
	if rest == "localhost" {
		return id, true
	}
	region, ok := strings.CutSuffix(rest, ".amazonaws.com")
	if !ok || region == "" || strings.Contains(region, ".") {
		return "", false
	}
	return id, true
}

// validAPIID reports whether s can be an API id: AWS's are ten lower-case
// letters and digits; any non-empty run of those is accepted.
func validAPIID(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// splitFirst splits "/stage/a/b" into "stage" and "/a/b".
func splitFirst(p string) (first, rest string) {
	p = strings.TrimPrefix(p, "/")
	first, rest, _ = strings.Cut(p, "/")
	return first, "/" + rest
}

// Accepts reports whether r is addressed to a REST API (Target accepts
// it); the server routes such requests to the gateway.
func (g *Gateway) Accepts(r *http.Request) bool {
	_, _, _, ok := Target(r)
	return ok
}

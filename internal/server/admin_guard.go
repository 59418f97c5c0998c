package server

import (
	"net"
	"net/http"
	"strings"
)

// adminAllowed decides whether an admin request (the AWS JSON API,
// /_cognate/reset, /_cognate/keys/rotate) may proceed, and answers it when
// not.
//
// With admin credentials configured (SignedAdmin) every such request is
// checked by its SigV4 signature: the Cognito API checks its own, and
// /_cognate/ endpoints are checked in their handlers. Without credentials
// (allowed on loopback listeners only) any key is accepted, so the server
// must make sure the request really comes from this machine's own tools:
//
//   - the Host must be a local name (a loopback address, localhost,
//     *.localhost or the --public-url host): a web page that rebinds its
//     own DNS name to 127.0.0.1 keeps that name in Host, so this stops DNS
//     rebinding from reaching the API and reading client secrets;
//   - the request must not come from a browser page: browsers send Origin
//     on cross-origin POSTs and Sec-Fetch-Site on every request, while the
//     AWS CLI, SDKs and curl send neither.
func (s *Server) adminAllowed(w http.ResponseWriter, r *http.Request, host string) bool {
	if s.cfg.SignedAdmin {
		return true
	}
	if !s.localAdminHost(host) {
		writeJSON(w, http.StatusForbidden, map[string]string{"message": "admin calls without configured credentials are accepted only for local host names " +
			"(127.0.0.1, localhost, *.localhost or the --public-url host), not " + host + "; to serve them under other names, " +
			"start cognate with --access-key-id and --secret-access-key so that signatures are verified"})
		return false
	}
	if fromBrowserPage(r) {
		writeJSON(w, http.StatusForbidden, map[string]string{"message": "admin calls are not accepted from a web page (the request carries Origin or Sec-Fetch-Site); " +
			"use the AWS CLI, an SDK or curl, or start cognate with --access-key-id and --secret-access-key"})
		return false
	}
	return true
}

func (s *Server) localAdminHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || host == s.cfg.PublicHost {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func fromBrowserPage(r *http.Request) bool {
	if r.Header.Get("Origin") != "" {
		return true
	}
	site := r.Header.Get("Sec-Fetch-Site")
	return site != "" && site != "none"
}

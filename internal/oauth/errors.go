package oauth

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/cognatehq/cognate/internal/identity"
)

// This file is the one place that decides what a client sees when a
// request fails: identity's error kinds become RFC 6749 §5.2 errors, and
// anything unknown becomes a logged 500 server_error (the detail goes to the
// log only).

// RFC 6749 §5.2 error codes, plus the two Cognate uses outside it.
const (
	codeInvalidRequest       = "invalid_request"
	codeInvalidClient        = "invalid_client"
	codeInvalidGrant         = "invalid_grant"
	codeUnauthorizedClient   = "unauthorized_client"
	codeUnsupportedGrantType = "unsupported_grant_type"
	codeInvalidScope         = "invalid_scope"
	codeServerError          = "server_error"    // RFC 6749 §4.1.2.1
	codeNotFound             = "not_found"       // Cognate: no such domain, pool or endpoint
	codeNotImplemented       = "not_implemented" // Cognate: a Cognito feature not built yet
)

// contentTypeJSON is the Content-Type of Cognito's token endpoint answers,
// spelled as Cognito spells it [doc].
const contentTypeJSON = "application/json;charset=UTF-8"

// httpError is a failed request as the client will see it.
type httpError struct {
	status int
	code   string // the "error" member; "" writes no body
	// description is the "error_description" member; "" omits it. Cognito
	// sends none on its token-endpoint errors [obs], so the RFC 6749 codes
	// carry none either; only Cognate's own answers (404, 501) explain.
	description string
	allow       string // the Allow header of a 405
	reason      string // for the log only: why the request was rejected
	logAttrs    []any  // for the log only, e.g. client_id
	cause       error  // for the log only (500s)
}

func (e *httpError) Error() string {
	s := e.code
	if s == "" {
		s = http.StatusText(e.status)
	}
	if e.reason != "" {
		s += ": " + e.reason
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

func (e *httpError) Unwrap() error { return e.cause }

// oauthError is a 400 with an RFC 6749 code and no description, as
// Cognito answers [obs]; reason goes to the log.
func oauthError(code, reason string) *httpError {
	return &httpError{status: http.StatusBadRequest, code: code, reason: reason}
}

func errInvalidRequest(reason string) *httpError { return oauthError(codeInvalidRequest, reason) }
func errInvalidClient(reason string) *httpError  { return oauthError(codeInvalidClient, reason) }

// errGrantNotBuilt answers a grant that Cognito supports and Cognate does
// not implement yet. Cognito's own errors carry no error_description [obs];
// this one does, because invalid_request alone would send users hunting for
// a mistake in a request that is correct. It is invalid_request rather than
// unsupported_grant_type because the grant is valid for Cognito: a client
// must not conclude that the server lacks the grant for good.
func errGrantNotBuilt(grantType string) *httpError {
	e := oauthError(codeInvalidRequest, "grant not implemented")
	e.description = "Cognate does not implement the " + grantType + " grant yet"
	return e
}

// errMethodNotAllowed is Cognito's answer to a token request that is not a
// POST: 405 with an empty body [obs, 2018].
func errMethodNotAllowed(allow string) *httpError {
	return &httpError{status: http.StatusMethodNotAllowed, allow: allow, reason: "method not allowed"}
}

// errNotBuilt answers a Cognito endpoint that Cognate does not implement
// yet: 501, saying so, never a fake success.
func errNotBuilt(what string) *httpError {
	return &httpError{status: http.StatusNotImplemented, code: codeNotImplemented,
		description: "Cognate does not implement " + what + " yet", reason: "not implemented"}
}

// errNoEndpoint answers a path that Cognito does not have either.
func errNoEndpoint(path string) *httpError {
	return &httpError{status: http.StatusNotFound, code: codeNotFound,
		description: "No endpoint at " + path, reason: "no such endpoint"}
}

// errUnknownDomain answers a request to a hosted domain that no pool has.
// On AWS such a host does not resolve; locally the nearest honest answer is
// a 404 that names the domain [guess].
func errUnknownDomain(domain string) *httpError {
	return &httpError{status: http.StatusNotFound, code: codeNotFound,
		description: "No user pool has the domain " + strconv.Quote(domain), reason: "unknown domain"}
}

// errUnknownPool answers a well-known document of a pool that does not
// exist. [guess] status and shape: AWS's exact body is not recorded.
func errUnknownPool(poolID string) *httpError {
	return &httpError{status: http.StatusNotFound, code: codeNotFound,
		description: "User pool " + poolID + " does not exist.", reason: "unknown pool"}
}

// errServer is a logged 500 server_error; err is for the log only.
func errServer(err error) *httpError {
	return &httpError{status: http.StatusInternalServerError, code: codeServerError, cause: err}
}

// fromIdentity maps an error from identity, met while serving the hosted
// domain, to what the client sees: the OAuth kinds become 400 with their
// RFC 6749 code and no description [obs]; a domain that no pool has (or
// whose pool was deleted a moment ago) becomes 404; anything else
// (KindInternal, or a kind this endpoint never expects, which would be a
// bug) becomes a logged 500 server_error.
func fromIdentity(err error, domain string) *httpError {
	var he *httpError
	if errors.As(err, &he) {
		return he
	}
	var ie *identity.Error
	if !errors.As(err, &ie) {
		return errServer(err)
	}
	switch ie.Kind {
	case identity.KindInvalidRequest:
		return oauthError(codeInvalidRequest, ie.Msg)
	case identity.KindInvalidClient:
		return oauthError(codeInvalidClient, ie.Msg)
	case identity.KindInvalidGrant:
		return oauthError(codeInvalidGrant, ie.Msg)
	case identity.KindUnauthorizedClient:
		return oauthError(codeUnauthorizedClient, ie.Msg)
	case identity.KindUnsupportedGrantType:
		return oauthError(codeUnsupportedGrantType, ie.Msg)
	case identity.KindInvalidScope:
		return oauthError(codeInvalidScope, ie.Msg)
	case identity.KindResourceNotFound:
		e := errUnknownDomain(domain)
		e.reason = ie.Msg
		return e
	default:
		return errServer(err)
	}
}

// fromIdentityWellKnown maps an error from identity's JWKS or Endpoints for
// poolID: a pool that does not exist, or an id that cannot name one, is a
// 404; anything else is a logged 500.
func fromIdentityWellKnown(err error, poolID string) *httpError {
	switch identity.KindOf(err) {
	case identity.KindResourceNotFound, identity.KindInvalidParameter:
		e := errUnknownPool(poolID)
		e.reason = err.Error()
		return e
	default:
		return errServer(err)
	}
}

// errorBody is the JSON of an error answer: {"error":"..."} with an
// optional error_description (RFC 6749 §5.2).
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// writeError writes err (anything a handlerFunc returned) and logs it once:
// 5xx at error level with the detail, the rest at info level with the
// reason, so that a developer can see why Cognito-style bare error codes
// were sent. Handlers map identity errors themselves (fromIdentity,
// fromIdentityWellKnown); an error that reaches here unmapped is a bug and
// becomes a 500.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		he = errServer(err)
	}
	ctx := r.Context()
	attrs := append([]any{"status", he.status, "method", r.Method, "path", r.URL.Path}, he.logAttrs...)
	if he.status >= 500 {
		h.log.ErrorContext(ctx, "oauth request failed", append(attrs, "error", err.Error())...)
	} else {
		if he.code != "" {
			attrs = append(attrs, "error", he.code)
		}
		h.log.InfoContext(ctx, "oauth request rejected", append(attrs, "reason", he.reason)...)
	}

	hdr := w.Header()
	// Errors must not be cached (RFC 6749 §5.2 by way of §5.1).
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Pragma", "no-cache")
	if he.allow != "" {
		hdr.Set("Allow", he.allow)
		// What Cognito sent with its 405 [obs, 2018].
		hdr.Set("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
	}
	if he.code == "" {
		hdr.Set("Content-Length", "0")
		w.WriteHeader(he.status)
		return
	}
	body, _ := json.Marshal(errorBody{Error: he.code, Description: he.description})
	hdr.Set("Content-Type", contentTypeJSON)
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(he.status)
	_, _ = w.Write(body)
}

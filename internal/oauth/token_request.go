package oauth

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// MaxTokenRequestBytes caps the body of a token request. A client_credentials
// request is a few hundred bytes; 64 KiB leaves room for any real client
// and keeps a hostile one from making the server buffer megabytes.
const MaxTokenRequestBytes = 64 << 10

// tokenRequest is a token request as the pipeline hands it to a grant.
type tokenRequest struct {
	grantType string
	// params holds every body parameter, each exactly once. Parameters
	// sent without a value are left out: RFC 6749 §3.1 says they "MUST be
	// treated as if they were omitted from the request".
	params map[string]string
	client clientCredentials
	// region is the region the request's host named
	// ({domain}.auth.{region}.localhost), "" when it named none.
	region string
}

// parseTokenRequest reads and checks a token request: an
// application/x-www-form-urlencoded body of at most MaxTokenRequestBytes,
// every parameter at most once, UTF-8 throughout, and a grant_type. The
// client credentials are extracted later (clientFromRequest), once the
// grant type is known to exist. Only the body counts: RFC 6749 §3.2 puts
// the parameters in the entity-body, so the query string is ignored, never
// merged in. Every failure is a 400 RFC 6749 error.
func parseTokenRequest(w http.ResponseWriter, r *http.Request) (*tokenRequest, error) {
	if err := checkContentType(r.Header); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxTokenRequestBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errInvalidRequest("body larger than the limit")
		}
		return nil, errInvalidRequest("reading the body: " + err.Error())
	}
	params, err := parseForm(string(body))
	if err != nil {
		return nil, err
	}
	gt, ok := params["grant_type"]
	if !ok {
		return nil, errInvalidRequest("grant_type is missing")
	}
	return &tokenRequest{grantType: gt, params: params}, nil
}

// checkContentType requires application/x-www-form-urlencoded [doc]; a JSON
// body gets invalid_request [obs]. Media-type parameters are allowed
// ("; charset=UTF-8"); whatever charset is named, the decoded values must
// be UTF-8, which parseForm checks. A compressed body is refused too: the
// endpoint does not inflate bodies, and RFC 6749 defines none.
func checkContentType(h http.Header) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		return errInvalidRequest("Content-Type is missing")
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return errInvalidRequest("Content-Type is malformed")
	}
	if mt != "application/x-www-form-urlencoded" {
		return errInvalidRequest("Content-Type is " + mt + ", not application/x-www-form-urlencoded")
	}
	if ce := h.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return errInvalidRequest("Content-Encoding " + ce + " is not supported")
	}
	return nil
}

// parseForm decodes an application/x-www-form-urlencoded body. Unlike
// url.ParseQuery it rejects a repeated parameter (RFC 6749 §3.2: "Request
// and response parameters MUST NOT be included more than once"), bad
// percent-escapes and names or values that are not UTF-8, and it treats ';'
// as an ordinary character, as the URL Standard's form decoding does.
func parseForm(body string) (map[string]string, error) {
	params := make(map[string]string)
	seen := make(map[string]bool)
	for body != "" {
		var pair string
		pair, body, _ = strings.Cut(body, "&")
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			return nil, errInvalidRequest("bad percent-encoding in a parameter name")
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			return nil, errInvalidRequest("bad percent-encoding in parameter " + safeName(name))
		}
		if !utf8.ValidString(name) || !utf8.ValidString(value) {
			return nil, errInvalidRequest("parameter " + safeName(name) + " is not UTF-8")
		}
		if seen[name] {
			return nil, errInvalidRequest("parameter " + safeName(name) + " is repeated")
		}
		seen[name] = true
		if value != "" {
			params[name] = value
		}
	}
	return params, nil
}

// safeName shortens a client-chosen parameter name for a log message.
func safeName(name string) string {
	if !utf8.ValidString(name) {
		return "(not UTF-8)"
	}
	const max = 64
	if len(name) <= max {
		return name
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return name[:cut] + "..."
}

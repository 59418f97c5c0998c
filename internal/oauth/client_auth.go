package oauth

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Client authentication methods (RFC 6749 §2.3.1), named as in discovery's
// token_endpoint_auth_methods_supported.
const (
	authBasic = "client_secret_basic"
	authPost  = "client_secret_post"
	authNone  = "none" // a public client: client_id in the body, no secret
)

// clientCredentials is what a token request says about its client. It is
// only extracted here; identity decides whether it authenticates.
type clientCredentials struct {
	ID     string
	Secret string
	Method string
}

// clientFromRequest extracts the client's credentials from an HTTP Basic
// Authorization header or from the client_id and client_secret body
// parameters. Cognito takes either [doc]:
//
//   - A malformed Authorization header (another scheme, bad base64, no
//     colon, bad percent-encoding, an empty client id, or more than one
//     header) is invalid_client: the client tried to authenticate and
//     failed (RFC 6749 §5.2).
//   - Header and body together and agreeing: accepted [guess]. Many
//     clients send client_id in the body as well as in the header.
//   - Header and body together and disagreeing: invalid_request [guess]. RFC
//     6749 §2.3 says a client "MUST NOT use more than one authentication
//     method in each request", which makes this a malformed request rather
//     than a failed authentication; floci, which copies AWS where it can,
//     answers invalid_request too. AWS's own answer is not recorded.
//
// A client_id or client_secret that is not made of RFC 6749 Appendix A
// VSCHARs (printable ASCII) cannot belong to any client, so it is
// invalid_client here and never reaches the store.
func clientFromRequest(h http.Header, params map[string]string) (clientCredentials, error) {
	bodyID, hasBodyID := params["client_id"]
	bodySecret, hasBodySecret := params["client_secret"]

	var c clientCredentials
	switch auth := h.Values("Authorization"); len(auth) {
	case 0:
		c = clientCredentials{ID: bodyID, Secret: bodySecret, Method: authNone}
		if hasBodySecret {
			c.Method = authPost
		}
	case 1:
		id, secret, err := parseBasic(auth[0])
		if err != nil {
			return clientCredentials{}, err
		}
		if (hasBodyID && bodyID != id) || (hasBodySecret && bodySecret != secret) {
			return clientCredentials{}, errInvalidRequest("client credentials in the Authorization header and the body disagree")
		}
		c = clientCredentials{ID: id, Secret: secret, Method: authBasic}
	default:
		return clientCredentials{}, errInvalidClient("more than one Authorization header")
	}
	if !vschars(c.ID) || !vschars(c.Secret) {
		return clientCredentials{}, errInvalidClient("client_id or client_secret has characters outside printable ASCII")
	}
	return c, nil
}

// parseBasic decodes "Basic base64(client_id:client_secret)" where id and
// secret are each application/x-www-form-urlencoded first (RFC 6749
// §2.3.1; golang.org/x/oauth2 and others encode them). Percent-escapes are
// decoded but "+" is kept as "+": many clients (curl -u, Postman) send the
// secret raw, a caller-chosen secret may contain "+" ([\w+]{24,64}
// [model]), and no valid id or secret contains a space, so reading "+" as a
// space could only ever break a raw secret.
// The scheme is case-insensitive (RFC 9110 §11.1); padding may be left off
// the base64, as some clients do.
func parseBasic(header string) (id, secret string, err error) {
	scheme, rest, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "Basic") {
		return "", "", errInvalidClient("Authorization is not Basic")
	}
	rest = strings.Trim(rest, " ")
	raw, err := base64.StdEncoding.DecodeString(rest)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(rest); err != nil {
			return "", "", errInvalidClient("Basic credentials are not base64")
		}
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", "", errInvalidClient("Basic credentials have no colon")
	}
	if id, err = url.PathUnescape(user); err != nil {
		return "", "", errInvalidClient("bad percent-encoding in the Basic client id")
	}
	if secret, err = url.PathUnescape(pass); err != nil {
		return "", "", errInvalidClient("bad percent-encoding in the Basic client secret")
	}
	if !utf8.ValidString(id) || !utf8.ValidString(secret) {
		return "", "", errInvalidClient("Basic credentials are not UTF-8")
	}
	if id == "" {
		return "", "", errInvalidClient("Basic credentials have an empty client id")
	}
	return id, secret, nil
}

// vschars reports whether s is made of RFC 6749 Appendix A VSCHARs
// (%x20-7E).
func vschars(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

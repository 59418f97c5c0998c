package gateway

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/cognatehq/cognate/internal/gateway/respond"
)

// missingRoute answers a request for a stage, path or method the API does
// not have: 403 MISSING_AUTHENTICATION_TOKEN. When the request carries an
// Authorization header of the form "<scheme> <value>" whose value is not
// a key=value pair (a bearer token), API Gateway reads it as a broken
// SigV4 header instead and says so, under the same gateway response type
// but with x-amzn-ErrorType IncompleteSignatureException [obs:
// APIGATEWAY.md §2.1; the value has been shown hashed with SHA-256 and
// base64-encoded, rather than echoed, since about 2021 (issues against
// AWS-hosted APIs, 2025)].
func (c *call) missingRoute(reason, detail string) {
	msg, ok := incompleteSignature(c.r.Header.Get("Authorization"))
	if !ok {
		c.fail(respond.MissingAuthenticationToken, reason, detail)
		return
	}
	c.errorType = "IncompleteSignatureException"
	c.answer(respond.WithMessage(respond.MissingAuthenticationToken, msg), 0, reason, detail)
}

// incompleteSignature returns API Gateway's message for an Authorization
// header that SigV4 parsing rejects for its missing equal sign.
func incompleteSignature(header string) (string, bool) {
	scheme, value, ok := strings.Cut(strings.TrimSpace(header), " ")
	value = strings.TrimSpace(value)
	if !ok || scheme == "" || value == "" || strings.HasPrefix(scheme, "AWS4-") {
		return "", false
	}
	first, _, _ := strings.Cut(value, " ")
	first = strings.TrimSuffix(first, ",")
	if strings.Contains(first, "=") {
		return "", false
	}
	sum := sha256.Sum256([]byte(first))
	return "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '" +
		base64.StdEncoding.EncodeToString(sum[:]) + "'.", true
}

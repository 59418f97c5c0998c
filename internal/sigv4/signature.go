package sigv4

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
)

// Payload hash values a client may declare in x-amz-content-sha256 instead of
// a digest.
const unsignedPayload = "UNSIGNED-PAYLOAD"

// payloadHash returns the payload hash the client signed and whether that
// hash covers body. It follows [doc]: x-amz-content-sha256 when present, else
// the SHA-256 of the body. A declared digest must match the body, otherwise
// the signature would not protect the body at all.
func payloadHash(r *http.Request, s *signedRequest, body []byte) (string, bool, *Error) {
	declared := strings.TrimSpace(r.Header.Get(hdrContentSHA256))
	if declared == "" && s.presigned {
		declared = s.query.Get(qContentSHA256)
	}
	if declared != "" {
		if !isHexDigest(declared) {
			// UNSIGNED-PAYLOAD, STREAMING-*: the signature covers the
			// literal value, not the body.
			return declared, false, nil
		}
		sum := sha256.Sum256(body)
		if !strings.EqualFold(declared, hex.EncodeToString(sum[:])) {
			return "", false, newError(KindSignatureDoesNotMatch, msgContentSHA256Mismatch)
		}
		return declared, true, nil
	}
	if s.presigned && s.auth.Service == "s3" {
		// S3 presigned URLs never sign the payload [doc].
		return unsignedPayload, false, nil
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:]), true, nil
}

func isHexDigest(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// computation is one recomputed signature with the intermediate strings.
type computation struct {
	signature    string
	canonical    string
	stringToSign string
	method       string // which code computed it, for Detail
}

// verifySignature recomputes the signature and compares it with the client's
// in constant time. Non-S3 services normalize the path (remove "." and ".."
// segments and empty segments) before signing, as botocore does, while the Go
// SDK signs the path as sent; both are tried, wire form first.
func verifySignature(r *http.Request, s *signedRequest, secret, payloadHash string) *Error {
	var first computation
	for i, path := range candidatePaths(r, s.auth.Service) {
		c := computeSignature(r, s, secret, path, payloadHash)
		if i == 0 {
			first = c
		}
		if subtle.ConstantTimeCompare([]byte(c.signature), []byte(s.auth.Signature)) == 1 {
			return nil
		}
	}
	e := newError(KindSignatureDoesNotMatch, msgSignatureMismatch)
	e.Detail = "The Canonical String for this request should have been\n'" + clip(redactCanonical(first.canonical)) +
		"'\n\nThe String-to-Sign should have been\n'" + first.stringToSign +
		"'\n\n(computed by " + first.method + ")"
	return e
}

// computeSignature uses the SDK signer when it can reproduce what the client
// signed, and the manual canonical request otherwise.
func computeSignature(r *http.Request, s *signedRequest, secret, path, payloadHash string) computation {
	reason := sdkCannotReproduce(r, s)
	if reason == "" {
		if c, ok := sdkSignature(r, s, secret, path, payloadHash); ok {
			return c
		}
		reason = "the SDK signer signed a different header set"
	}
	c := manualSignature(r, s, secret, path, payloadHash)
	c.method = "manual canonical request: " + reason
	return c
}

// clip bounds the canonical request kept in Error.Detail.
func clip(s string) string {
	const limit = 16 << 10
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "\n...(truncated)"
}

// redactCanonical removes credentials from a canonical request kept for
// diagnostics: the session token (header or query) and any signed header that
// carries a credential.
func redactCanonical(canonical string) string {
	lines := strings.Split(canonical, "\n")
	if len(lines) > 2 {
		params := strings.Split(lines[2], "&")
		for i, p := range params {
			if strings.HasPrefix(p, qSecurityToken+"=") {
				params[i] = qSecurityToken + "=REDACTED"
			}
		}
		lines[2] = strings.Join(params, "&")
	}
	for i := 3; i < len(lines) && lines[i] != ""; i++ {
		name, _, _ := strings.Cut(lines[i], ":")
		switch name {
		case "x-amz-security-token", "authorization", "proxy-authorization", "cookie":
			lines[i] = name + ":REDACTED"
		}
	}
	return strings.Join(lines, "\n")
}

package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// manualSignature builds the canonical request by hand, following the SigV4
// specification step by step. It is used only when aws-sdk-go-v2's signer
// cannot reproduce what the client signed (see sdkCannotReproduce): that
// signer decides by itself which headers to sign, always adds X-Amz-Date, and
// never signs User-Agent, X-Amzn-Trace-Id, Expect, Transfer-Encoding or
// Authorization, so a client that signed one of those, dated the request with
// Date, left x-amz-date unsigned, signed content-length: 0, or listed
// SignedHeaders in a non-canonical order cannot be checked with it. Here the
// canonical request is built from the client's SignedHeaders list as given.
func manualSignature(r *http.Request, s *signedRequest, secret, path, payloadHash string) computation {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	if isS3(s.auth.Service) {
		b.WriteString(path)
	} else {
		b.WriteString(escapePath(path))
	}
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r, s))
	b.WriteByte('\n')
	for _, n := range s.signed {
		b.WriteString(n)
		b.WriteByte(':')
		b.WriteString(s.canonicalHeaderValue(r, n))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(s.signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	canonical := b.String()

	sum := sha256.Sum256([]byte(canonical))
	sts := Algorithm + "\n" + s.amzDate + "\n" + s.auth.CredentialScope() + "\n" + hex.EncodeToString(sum[:])
	key := deriveKey(secret, s.auth.Date, s.auth.Region, s.auth.Service)
	return computation{
		signature:    hex.EncodeToString(hmacSHA256(key, sts)),
		canonical:    canonical,
		stringToSign: sts,
	}
}

// canonicalQuery encodes each name and value, then sorts by name and value
// (sorting after encoding, as the specification says). The presigned form
// leaves out X-Amz-Signature.
func canonicalQuery(r *http.Request, s *signedRequest) string {
	q := s.query
	if q == nil {
		q = r.URL.Query()
	}
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(q))
	for k, vs := range q {
		if s.presigned && k == qSignature {
			continue
		}
		ek := escapeQuery(k)
		for _, v := range vs {
			pairs = append(pairs, pair{ek, escapeQuery(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// canonicalHeaderValue returns the trimmed, comma-joined values of a signed
// header, taking host and the framing headers from where net/http keeps them.
func (s *signedRequest) canonicalHeaderValue(r *http.Request, name string) string {
	switch name {
	case "host", ":authority":
		return trimAll(requestHost(r))
	case "content-length":
		if len(r.Header.Values("Content-Length")) == 0 && r.ContentLength > 0 {
			return strconv.FormatInt(r.ContentLength, 10)
		}
	case "transfer-encoding":
		if len(r.Header.Values("Transfer-Encoding")) == 0 && len(r.TransferEncoding) > 0 {
			return strings.Join(r.TransferEncoding, ",")
		}
	}
	vs := s.headerValues(r, name)
	if len(vs) == 1 {
		return trimAll(vs[0])
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = trimAll(v)
	}
	return strings.Join(out, ",")
}

// deriveKey is the SigV4 signing key: HMAC("AWS4"+secret, date), then region,
// service and "aws4_request".
func deriveKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, Terminator)
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

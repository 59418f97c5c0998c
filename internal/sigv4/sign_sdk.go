package sigv4

import (
	"context"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
)

// sdkIgnoredHeaders are the headers aws-sdk-go-v2's signer never signs
// (aws/signer/internal/v4.IgnoredHeaders in v1.48.0, lower-cased).
// TestSDKIgnoredHeaders fails if the SDK's list changes.
var sdkIgnoredHeaders = map[string]bool{
	"authorization":     true,
	"user-agent":        true,
	"x-amzn-trace-id":   true,
	"expect":            true,
	"transfer-encoding": true,
}

// sdkCannotReproduce returns why the SDK signer cannot produce the canonical
// request the client signed, or "" when it can. The SDK signer, given a
// request, signs host, content-length when the length is positive, every
// header present except its ignore list, and (header form) an X-Amz-Date it
// sets itself to the signing time; for presigning it rewrites X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date and X-Amz-SignedHeaders with canonical values.
// A copy of the request that holds exactly the signed headers reproduces the
// client's canonical request unless one of these assumptions breaks.
func sdkCannotReproduce(r *http.Request, s *signedRequest) string {
	names := s.fields.signedHeaders
	if strings.ToLower(names) != names {
		return "SignedHeaders is not lower case"
	}
	hasHost, hasDate := false, false
	prev := ""
	for i, n := range s.signed {
		switch {
		case n == "":
			return "SignedHeaders has an empty name"
		case i > 0 && n <= prev:
			return "SignedHeaders is not sorted and unique"
		case sdkIgnoredHeaders[n]:
			return "the client signed " + n + ", which the SDK signer never signs"
		case n == "host":
			hasHost = true
		case n == "x-amz-date":
			hasDate = true
		case n == "content-length":
			if cl, ok := contentLength(r); !ok || cl <= 0 {
				return "the client signed a zero or unusual content-length, which the SDK signer omits"
			}
		}
		prev = n
	}
	if !hasHost {
		return "the client signed :authority instead of host"
	}
	if s.presigned {
		q := s.query
		single := func(k, want string) bool { v := q[k]; return len(v) == 1 && v[0] == want }
		if !single(qAlgorithm, Algorithm) || !single(qCredential, s.auth.AccessKeyID+"/"+s.auth.CredentialScope()) ||
			!single(qDate, s.amzDate) || !single(qSignedHeaders, names) {
			return "the presigned parameters are not in the form the SDK signer writes"
		}
		return ""
	}
	switch {
	case s.dateSource != hdrDate:
		return "the client dated the request with Date, the SDK signer always uses X-Amz-Date"
	case s.dateMulti:
		return "X-Amz-Date is repeated"
	case !hasDate:
		return "the client did not sign x-amz-date, which the SDK signer always signs"
	}
	return ""
}

// opaqueHost is a placeholder authority for the copy's URL.Opaque; the signer
// takes the host from Request.Host and only the path from Opaque.
const opaqueHost = "//sigv4.invalid"

// sdkSignature signs a copy of r with aws-sdk-go-v2's signer and returns the
// signature it produced. ok is false when the signer did not sign exactly the
// client's header list (a behaviour of the SDK this package does not know).
//
// Options: DisableHeaderHoisting keeps X-Amz-* headers in the headers when
// presigning (the client already chose what to hoist); DisableSessionToken
// stops the signer from adding X-Amz-Security-Token itself (the copy carries
// it when the client signed it); DisableURIPathEscaping for S3, which signs
// the path escaped once; LogSigning with a capturing Logger returns the
// canonical request and string to sign for Error.Detail.
//
// A new Signer is made per call on purpose: the SDK's derived-key cache is
// keyed by access key id, region, service and day, not by the secret, so a
// shared Signer would keep accepting a rotated-out secret until midnight UTC.
func sdkSignature(r *http.Request, s *signedRequest, secret, path, payloadHash string) (computation, bool) {
	cp := &http.Request{
		Method: r.Method,
		// Scheme stays empty so the signer does not strip a :80 or :443
		// the client sent (and therefore signed) in Host.
		URL:    &url.URL{Opaque: opaqueHost + path},
		Host:   requestHost(r),
		Header: make(http.Header, len(s.signed)),
	}
	for _, n := range s.signed {
		switch n {
		case "host":
		case "content-length":
			cp.ContentLength, _ = contentLength(r)
		default:
			cp.Header[textproto.CanonicalMIMEHeaderKey(n)] = s.headerValues(r, n)
		}
	}

	c := computation{method: "aws-sdk-go-v2 signer"}
	logger := logging.LoggerFunc(func(_ logging.Classification, _ string, v ...any) {
		// v4.logSigningInfo passes the canonical string and the string to
		// sign as its first two arguments.
		if len(v) >= 2 {
			c.canonical, _ = v[0].(string)
			c.stringToSign, _ = v[1].(string)
		}
	})
	signer := v4.NewSigner(func(o *v4.SignerOptions) {
		o.DisableHeaderHoisting = true
		o.DisableSessionToken = true
		o.DisableURIPathEscaping = isS3(s.auth.Service)
		o.Logger = logger
		o.LogSigning = true
	})
	creds := aws.Credentials{AccessKeyID: s.auth.AccessKeyID, SecretAccessKey: secret}
	ctx := context.Background()

	var signedHeaders string
	if s.presigned {
		q := make(url.Values, len(s.query))
		for k, v := range s.query {
			if k != qSignature {
				q[k] = v
			}
		}
		cp.URL.RawQuery = q.Encode()
		uri, _, err := signer.PresignHTTP(ctx, creds, cp, payloadHash, s.auth.Service, s.auth.Region, s.t)
		if err != nil {
			return c, false
		}
		// The signer appends "&X-Amz-Signature=<hex>" last.
		i := strings.LastIndex(uri, "&"+qSignature+"=")
		if i < 0 {
			return c, false
		}
		c.signature = uri[i+len(qSignature)+2:]
		u, err := url.Parse(uri[:i])
		if err != nil {
			return c, false
		}
		signedHeaders = u.Query().Get(qSignedHeaders)
	} else {
		cp.URL.RawQuery = r.URL.RawQuery
		if err := signer.SignHTTP(ctx, creds, cp, payloadHash, s.auth.Service, s.auth.Region, s.t); err != nil {
			return c, false
		}
		f, err := splitAuthorization(cp.Header.Get(hdrAuthorization))
		if err != nil {
			return c, false
		}
		c.signature, signedHeaders = f.signature, f.signedHeaders
	}
	return c, signedHeaders == s.fields.signedHeaders
}

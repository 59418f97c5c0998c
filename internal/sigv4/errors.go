package sigv4

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// Kind classifies a verification failure. Adapters map each Kind to their own
// wire code and HTTP status; the comments give the codes AWS uses.
type Kind int

const (
	// KindMissingAuthenticationToken: the request carries no SigV4
	// authentication at all (no Authorization header starting with "AWS4-"
	// and no presigned query). AWS: MissingAuthenticationToken(Exception).
	KindMissingAuthenticationToken Kind = iota + 1

	// KindIncompleteSignature: the Authorization header or presigned query is
	// malformed or lacks a part. AWS: IncompleteSignature(Exception).
	KindIncompleteSignature

	// KindUnrecognizedClient: the access key is unknown. AWS:
	// UnrecognizedClientException (JSON) / InvalidClientTokenId (query).
	KindUnrecognizedClient

	// KindSignatureDoesNotMatch: the signature, the credential scope or the
	// signed-header set is wrong. AWS: InvalidSignatureException (JSON) /
	// SignatureDoesNotMatch (query).
	KindSignatureDoesNotMatch

	// KindSignatureExpired: the signing time is outside the allowed skew, or a
	// presigned request is past X-Amz-Expires. AWS reports it with the same
	// codes as KindSignatureDoesNotMatch; it is a separate Kind so callers can
	// tell clock problems from bad keys.
	KindSignatureExpired
)

// String returns the Kind's name, which is also the AWS query-protocol code
// for every Kind except KindSignatureExpired and KindUnrecognizedClient.
func (k Kind) String() string {
	switch k {
	case KindMissingAuthenticationToken:
		return "MissingAuthenticationToken"
	case KindIncompleteSignature:
		return "IncompleteSignature"
	case KindUnrecognizedClient:
		return "UnrecognizedClient"
	case KindSignatureDoesNotMatch:
		return "SignatureDoesNotMatch"
	case KindSignatureExpired:
		return "SignatureExpired"
	default:
		return "Kind(" + strconv.Itoa(int(k)) + ")"
	}
}

// Error is a verification failure. Message is the text AWS returns to the
// client. Detail, when set, holds diagnostics for logs (the canonical request
// and string to sign the server computed); it never contains a secret key or a
// session token, but it does contain the values of the headers the client
// signed, so log it at debug level only.
type Error struct {
	Kind    Kind
	Message string
	Detail  string
}

// Error implements error. It does not include Detail.
func (e *Error) Error() string {
	return "sigv4: " + e.Kind.String() + ": " + e.Message
}

// Is reports whether target is the sentinel for e's Kind, so that
// errors.Is(err, sigv4.ErrSignatureDoesNotMatch) works on wrapped errors.
// Sentinels are the *Error values with an empty Message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Kind == e.Kind
}

// Sentinels for errors.Is; every *Error returned by this package matches the
// one with its Kind.
var (
	ErrMissingAuthenticationToken = &Error{Kind: KindMissingAuthenticationToken}
	ErrIncompleteSignature        = &Error{Kind: KindIncompleteSignature}
	ErrUnrecognizedClient         = &Error{Kind: KindUnrecognizedClient}
	ErrSignatureDoesNotMatch      = &Error{Kind: KindSignatureDoesNotMatch}
	ErrSignatureExpired           = &Error{Kind: KindSignatureExpired}
)

// AWS message texts. Tags follow docs/APIGATEWAY.md: [doc], [obs], [guess].
const (
	// [obs-common]
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	// [obs-common]
	msgUnrecognizedClient = "The security token included in the request is invalid."
	// [guess] The Coral stack behind the JSON and query services (DynamoDB as
	// recorded by dynalite, STS, IAM) says "Request is missing Authentication
	// Token"; API Gateway's MISSING_AUTHENTICATION_TOKEN gateway response says
	// "Missing Authentication Token", which the gateway adapter should use.
	msgMissingToken = "Request is missing Authentication Token"
	// [obs-common] as recorded by scratchstack-aws-signature and dynalite.
	msgHostNotSigned = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
	// [guess] dynalite recorded this for both forms at once on DynamoDB.
	msgBothForms = "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."
	// [guess] S3's text; other services compute the body hash themselves, so
	// a mismatching header there surfaces as a signature mismatch. The Kind is
	// KindSignatureDoesNotMatch either way.
	msgContentSHA256Mismatch = "The provided 'x-amz-content-sha256' header does not match what was computed."
)

func newError(k Kind, msg string) *Error { return &Error{Kind: k, Message: msg} }

// echo bounds user-supplied text copied into a message, so a huge header
// cannot make a huge error body.
func echo(s string) string {
	const limit = 256
	if len(s) <= limit {
		return s
	}
	i := limit
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

// amzTimeFormat is the ISO 8601 basic format of X-Amz-Date.
const amzTimeFormat = "20060102T150405Z"

// errExpired builds the [obs-common] message
// "Signature expired: <t> is now earlier than <now-window> (<now> - 5 min.)".
// For a presigned request the window is its X-Amz-Expires; AWS's STS reports
// presigned URLs in this same format ("... - 15 min.") [guess for others].
func errExpired(t, now time.Time, window time.Duration) *Error {
	return newError(KindSignatureExpired, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s min.)",
		t.Format(amzTimeFormat), now.Add(-window).Format(amzTimeFormat), now.Format(amzTimeFormat), minutes(window)))
}

// errNotYetCurrent builds the [obs-common] message
// "Signature not yet current: <t> is still later than <now+window> (<now> + 5 min.)".
func errNotYetCurrent(t, now time.Time, window time.Duration) *Error {
	return newError(KindSignatureExpired, fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s min.)",
		t.Format(amzTimeFormat), now.Add(window).Format(amzTimeFormat), now.Format(amzTimeFormat), minutes(window)))
}

func minutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10)
	}
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64)
}

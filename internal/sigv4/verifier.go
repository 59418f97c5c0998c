package sigv4

import (
	"net/http"
	"time"
)

// DefaultMaxSkew is the clock skew AWS allows between the signing time and its
// own clock [doc].
const DefaultMaxSkew = 5 * time.Minute

// Config configures a Verifier.
type Config struct {
	// Lookup returns the secret access key for an access key id. When nil the
	// Verifier accepts any access key without checking the signature
	// (loopback development mode, as LocalStack and moto do); the request must
	// still be well formed, correctly dated and correctly scoped.
	Lookup func(accessKeyID string) (secret string, ok bool)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxSkew is the allowed difference between the signing time and Now, in
	// both directions; zero or negative means DefaultMaxSkew.
	MaxSkew time.Duration
}

// Verifier checks SigV4-signed requests. It is safe for concurrent use.
type Verifier struct {
	lookup func(string) (string, bool)
	now    func() time.Time
	skew   time.Duration
}

// NewVerifier returns a Verifier for c.
func NewVerifier(c Config) *Verifier {
	v := &Verifier{lookup: c.Lookup, now: c.Now, skew: c.MaxSkew}
	if v.now == nil {
		v.now = time.Now
	}
	if v.skew <= 0 {
		v.skew = DefaultMaxSkew
	}
	return v
}

// Scope is the credential scope a caller requires. Empty fields are not
// checked.
type Scope struct {
	Region  string
	Service string
}

// Result describes a request that passed verification.
type Result struct {
	AccessKeyID string
	// Region and Service come from the credential scope.
	Region  string
	Service string
	// Date is the scope date, yyyymmdd.
	Date string
	// SigningTime is the X-Amz-Date (or Date) of the request.
	SigningTime time.Time
	// SignedHeaders are the signed header names, lower case, as the client
	// listed them.
	SignedHeaders []string
	// Presigned is true for the query-string form.
	Presigned bool
	// HasSessionToken is true when the request carried X-Amz-Security-Token
	// (temporary credentials). The token itself is not checked: only AWS can
	// validate the tokens it issues.
	HasSessionToken bool
	// Verified is true when the signature was checked against a secret from
	// Config.Lookup; false in accept-any-key mode.
	Verified bool
	// PayloadSigned is true when the verified signature covers the SHA-256 of
	// the body given to Verify; false when the client declared
	// x-amz-content-sha256 as UNSIGNED-PAYLOAD (or another non-digest value),
	// or when nothing was verified.
	PayloadSigned bool
}

// Verify checks r, whose body the caller has already read into body. It
// accepts any region and service in the credential scope; callers use
// Result.Region and Result.Service. The error is always an *Error.
func (v *Verifier) Verify(r *http.Request, body []byte) (Result, error) {
	return v.VerifyScope(r, body, Scope{})
}

// VerifyScope is Verify, and also requires the credential scope to name
// want's region and service (when set). A mismatch is KindSignatureDoesNotMatch
// with AWS's "Credential should be scoped to ..." text.
//
// Checks run in the order AWS runs them (as recorded by dynalite against
// DynamoDB and by scratchstack-aws-signature): missing parts, date format,
// clock skew, host signed, algorithm, credential shape, scope, access key,
// signature.
func (v *Verifier) VerifyScope(r *http.Request, body []byte, want Scope) (Result, error) {
	s, err := v.inspect(r, want)
	if err != nil {
		return Result{}, err
	}
	res := Result{
		AccessKeyID:     s.auth.AccessKeyID,
		Region:          s.auth.Region,
		Service:         s.auth.Service,
		Date:            s.auth.Date,
		SigningTime:     s.t,
		SignedHeaders:   s.signed,
		Presigned:       s.presigned,
		HasSessionToken: s.token != "",
	}
	if v.lookup == nil {
		return res, nil
	}
	secret, ok := v.lookup(s.auth.AccessKeyID)
	if !ok {
		return Result{}, newError(KindUnrecognizedClient, msgUnrecognizedClient)
	}
	hash, covered, perr := payloadHash(r, s, body)
	if perr != nil {
		return Result{}, perr
	}
	if err := verifySignature(r, s, secret, hash); err != nil {
		return Result{}, err
	}
	res.Verified, res.PayloadSigned = true, covered
	return res, nil
}

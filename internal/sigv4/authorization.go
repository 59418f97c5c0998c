package sigv4

import (
	"strings"
)

const (
	// Algorithm is the only signing algorithm this package accepts.
	Algorithm = "AWS4-HMAC-SHA256"
	// Terminator ends every SigV4 credential scope.
	Terminator = "aws4_request"
)

// Authorization is a parsed SigV4 Authorization header (or the equivalent
// presigned query parameters).
type Authorization struct {
	// Algorithm as sent; ParseAuthorization only returns AWS4-HMAC-SHA256.
	Algorithm string
	// Credential is the raw Credential value, "AKID/date/region/service/aws4_request".
	Credential  string
	AccessKeyID string
	// Date is the scope date, yyyymmdd as sent (checked against X-Amz-Date
	// only by Verifier).
	Date    string
	Region  string
	Service string
	// SignedHeaders are the names as sent, in the order sent (normally lower
	// case and sorted).
	SignedHeaders []string
	// Signature is the hex signature as sent.
	Signature string
}

// CredentialScope returns "date/region/service/aws4_request".
func (a Authorization) CredentialScope() string {
	return a.Date + "/" + a.Region + "/" + a.Service + "/" + Terminator
}

// ParseAuthorization parses a SigV4 Authorization header without looking at
// the rest of the request: no date, skew, key or signature check. It is the
// cheap path for callers that only need the credential scope (the region). It
// requires the algorithm AWS4-HMAC-SHA256, the Credential, SignedHeaders and
// Signature parameters, and a five-part credential ending in aws4_request.
//
// Separators between parameters may be commas, spaces, tabs or any mix of
// them, as AWS accepts ("a, b", "a,b", "a b").
func ParseAuthorization(header string) (Authorization, error) {
	f, err := splitAuthorization(header)
	if err != nil {
		return Authorization{}, err
	}
	if missing := f.missing(); len(missing) > 0 {
		return Authorization{}, f.incomplete(missing)
	}
	a, err := f.authorization()
	if err != nil {
		return Authorization{}, err
	}
	if err := checkTerminator(f.credential); err != nil {
		return Authorization{}, err
	}
	return a, nil
}

// authFields are the raw parameters of an Authorization header, or of a
// presigned query string.
type authFields struct {
	algorithm        string
	credential       string
	signedHeaders    string
	hasSignedHeaders bool
	signature        string
	presigned        bool
}

func isSep(c byte) bool { return c == ' ' || c == '\t' || c == ',' }

// splitAuthorization tokenizes the header. A header that does not start with
// "AWS4-" is no SigV4 authentication at all; AWS answers such requests with
// MissingAuthenticationToken (dynalite recorded this on DynamoDB) [obs].
func splitAuthorization(header string) (authFields, *Error) {
	h := strings.Trim(header, " \t")
	if !strings.HasPrefix(h, "AWS4-") {
		return authFields{}, newError(KindMissingAuthenticationToken, msgMissingToken)
	}
	i := 0
	for i < len(h) && !isSep(h[i]) {
		i++
	}
	f := authFields{algorithm: h[:i]}
	for i < len(h) {
		for i < len(h) && isSep(h[i]) {
			i++
		}
		start := i
		for i < len(h) && !isSep(h[i]) {
			i++
		}
		if start == i {
			break
		}
		tok := h[start:i]
		eq := strings.IndexByte(tok, '=')
		if eq < 0 {
			// [obs-common] scratchstack-aws-signature, dynalite.
			return authFields{}, newError(KindIncompleteSignature, "'"+echo(tok)+
				"' not a valid key=value pair (missing equal-sign) in Authorization header: '"+echo(h)+"'")
		}
		// Later duplicates win, as dynalite recorded; unknown keys are ignored.
		switch key, val := tok[:eq], tok[eq+1:]; key {
		case "Credential":
			f.credential = val
		case "SignedHeaders":
			f.signedHeaders, f.hasSignedHeaders = val, true
		case "Signature":
			f.signature = val
		}
	}
	return f, nil
}

// missing lists the messages for absent parameters, in the order AWS lists
// them [obs-common]. An empty SignedHeaders counts as present; the host check
// rejects it later.
func (f *authFields) missing() []string {
	var m []string
	if f.presigned {
		// [guess] S3 and dynalite's order and wording.
		if f.algorithm == "" {
			m = append(m, "AWS query-string parameters must include 'X-Amz-Algorithm'.")
		}
		if f.credential == "" {
			m = append(m, "AWS query-string parameters must include 'X-Amz-Credential'.")
		}
		if f.signature == "" {
			m = append(m, "AWS query-string parameters must include 'X-Amz-Signature'.")
		}
		if !f.hasSignedHeaders {
			m = append(m, "AWS query-string parameters must include 'X-Amz-SignedHeaders'.")
		}
		return m
	}
	if f.credential == "" {
		m = append(m, "Authorization header requires 'Credential' parameter.")
	}
	if f.signature == "" {
		m = append(m, "Authorization header requires 'Signature' parameter.")
	}
	if !f.hasSignedHeaders {
		m = append(m, "Authorization header requires 'SignedHeaders' parameter.")
	}
	return m
}

// incomplete joins the missing-part messages the way AWS does. For the header
// form AWS appends "Authorization=<algorithm>" [obs-common, as recorded by
// scratchstack-aws-signature; older captures echoed the whole header]; for
// the query form it appends "Re-examine the query-string parameters." [guess].
func (f *authFields) incomplete(missing []string) *Error {
	if f.presigned {
		return newError(KindIncompleteSignature, strings.Join(missing, " ")+" Re-examine the query-string parameters.")
	}
	return newError(KindIncompleteSignature, strings.Join(missing, " ")+" Authorization="+echo(f.algorithm))
}

// authorization checks the algorithm and the credential's shape and returns
// the parsed value. It does not check the terminator.
func (f *authFields) authorization() (Authorization, *Error) {
	if f.algorithm != Algorithm {
		// [obs] dynalite's capture from DynamoDB, without its trailing space.
		return Authorization{}, newError(KindIncompleteSignature,
			"Unsupported AWS 'algorithm': '"+echo(f.algorithm)+"' (only AWS4-HMAC-SHA256 for now).")
	}
	parts, err := splitCredential(f.credential)
	if err != nil {
		return Authorization{}, err
	}
	a := Authorization{
		Algorithm:   f.algorithm,
		Credential:  f.credential,
		AccessKeyID: parts[0],
		Date:        parts[1],
		Region:      parts[2],
		Service:     parts[3],
		Signature:   f.signature,
	}
	if f.signedHeaders != "" {
		a.SignedHeaders = strings.Split(f.signedHeaders, ";")
	}
	return a, nil
}

// splitCredential splits "AKID/date/region/service/term". Trailing slashes are
// ignored, as dynalite recorded (AWS splits the way Java's String.split does).
// An empty key id, region or service is rejected with the same message [guess]:
// a caller that takes the region from the scope must never get "".
func splitCredential(cred string) ([]string, *Error) {
	parts := strings.Split(strings.TrimRight(cred, "/"), "/")
	if len(parts) != 5 || parts[0] == "" || parts[2] == "" || parts[3] == "" {
		// [obs-common]
		return nil, newError(KindIncompleteSignature,
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"+echo(cred)+"'")
	}
	return parts, nil
}

// terminatorMessage is empty when the credential ends in aws4_request.
func terminatorMessage(cred string) string {
	parts := strings.Split(strings.TrimRight(cred, "/"), "/")
	if term := parts[len(parts)-1]; term != Terminator {
		// [obs-common]
		return "Credential should be scoped with a valid terminator: 'aws4_request', not '" + echo(term) + "'."
	}
	return ""
}

func checkTerminator(cred string) error {
	if msg := terminatorMessage(cred); msg != "" {
		return newError(KindSignatureDoesNotMatch, msg)
	}
	return nil
}

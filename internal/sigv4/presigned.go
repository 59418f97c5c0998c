package sigv4

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Query parameter names of the presigned form.
const (
	qAlgorithm     = "X-Amz-Algorithm"
	qCredential    = "X-Amz-Credential"
	qDate          = "X-Amz-Date"
	qExpires       = "X-Amz-Expires"
	qSignedHeaders = "X-Amz-SignedHeaders"
	qSignature     = "X-Amz-Signature"
	qSecurityToken = "X-Amz-Security-Token"
	qContentSHA256 = "X-Amz-Content-Sha256"
)

// maxExpires is the largest X-Amz-Expires AWS accepts: seven days.
const maxExpires = 7 * 24 * time.Hour

// isPresigned reports whether the raw query looks like a presigned request.
// X-Amz-Credential or X-Amz-Signature without X-Amz-Algorithm still counts,
// so the client is told which parameter is missing [guess].
func isPresigned(rawQuery string) bool {
	return strings.Contains(rawQuery, qAlgorithm) ||
		strings.Contains(rawQuery, qCredential) ||
		strings.Contains(rawQuery, qSignature)
}

// hasAlgorithmParam reports whether X-Amz-Algorithm is a query parameter.
func hasAlgorithmParam(rawQuery string) bool {
	if !strings.Contains(rawQuery, qAlgorithm) {
		return false
	}
	q, _ := url.ParseQuery(rawQuery)
	_, ok := q[qAlgorithm]
	return ok
}

// presignedFields reads the presigned parameters from q. Repeated parameters
// use their first value.
func presignedFields(q url.Values) authFields {
	f := authFields{
		presigned:  true,
		algorithm:  q.Get(qAlgorithm),
		credential: q.Get(qCredential),
		signature:  q.Get(qSignature),
	}
	if v, ok := q[qSignedHeaders]; ok && len(v) > 0 {
		f.signedHeaders, f.hasSignedHeaders = v[0], true
	}
	return f
}

// parseExpires reads X-Amz-Expires (seconds). The messages are S3's [guess];
// other services document the parameter without recording their own texts.
func parseExpires(q url.Values) (time.Duration, bool, *Error) {
	v, ok := q[qExpires]
	if !ok || len(v) == 0 {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v[0], 10, 64)
	if err != nil {
		return 0, false, newError(KindIncompleteSignature, "X-Amz-Expires should be a number")
	}
	if n < 0 {
		return 0, false, newError(KindIncompleteSignature, "X-Amz-Expires must be non-negative")
	}
	if time.Duration(n) > maxExpires/time.Second {
		return 0, false, newError(KindIncompleteSignature, "X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	return time.Duration(n) * time.Second, true, nil
}

package identity

import (
	"encoding/base64"
)

// Pagination tokens are opaque to callers: base64url of the last key of the
// previous page. A token that does not decode is InvalidParameter, as AWS
// answers a token it did not issue.

func encodeToken(lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(lastKey))
}

func decodeToken(tok string) (string, error) {
	if tok == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) == 0 {
		return "", errorf(KindInvalidParameter, "Invalid pagination token provided.")
	}
	return string(b), nil
}

// pageLimit validates a page size against the operation's model range and
// returns def when size is 0 and zero is not a legal explicit value.
func pageLimit(size int, field string, min, max, def int) (int, error) {
	if size == 0 && min > 0 {
		return def, nil
	}
	var v validationErrors
	v.intRange(int64(size), field, int64(min), int64(max))
	if err := v.err(); err != nil {
		return 0, err
	}
	if size == 0 {
		return def, nil
	}
	return size, nil
}

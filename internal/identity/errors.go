package identity

import (
	"errors"
	"fmt"
)

// Kind classifies a domain error. Adapters map kinds to wire errors.
type Kind int

// The kinds. Names follow Cognito's exception names where one exists; the
// OAuth kinds follow RFC 6749 §5.2.
const (
	KindInternal Kind = iota
	KindInvalidParameter
	KindResourceNotFound
	KindNotAuthorized
	KindScopeDoesNotExist
	KindInvalidOAuthFlow
	KindLimitExceeded
	KindConcurrentModification
	KindUnsupportedOperation

	// OAuth token-endpoint kinds.
	KindInvalidRequest       // invalid_request
	KindInvalidClient        // invalid_client
	KindInvalidGrant         // invalid_grant
	KindUnauthorizedClient   // unauthorized_client
	KindUnsupportedGrantType // unsupported_grant_type
	KindInvalidScope         // invalid_scope
)

var kindNames = map[Kind]string{
	KindInternal:               "Internal",
	KindInvalidParameter:       "InvalidParameter",
	KindResourceNotFound:       "ResourceNotFound",
	KindNotAuthorized:          "NotAuthorized",
	KindScopeDoesNotExist:      "ScopeDoesNotExist",
	KindInvalidOAuthFlow:       "InvalidOAuthFlow",
	KindLimitExceeded:          "LimitExceeded",
	KindConcurrentModification: "ConcurrentModification",
	KindUnsupportedOperation:   "UnsupportedOperation",
	KindInvalidRequest:         "InvalidRequest",
	KindInvalidClient:          "InvalidClient",
	KindInvalidGrant:           "InvalidGrant",
	KindUnauthorizedClient:     "UnauthorizedClient",
	KindUnsupportedGrantType:   "UnsupportedGrantType",
	KindInvalidScope:           "InvalidScope",
}

func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is a domain error. Msg is safe to show to the caller; Err, when
// set, is detail for the log only.
type Error struct {
	Kind Kind
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Kind.String() + ": " + e.Msg + ": " + e.Err.Error()
	}
	return e.Kind.String() + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err, or KindInternal when err is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

func errorf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

func internal(msg string, err error) *Error {
	return &Error{Kind: KindInternal, Msg: msg, Err: err}
}

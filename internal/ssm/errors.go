package ssm

import (
	"errors"
	"fmt"
)

// Kind classifies a domain error. Adapters map kinds to wire errors.
type Kind int

// The kinds, named after the SSM exceptions they stand for.
const (
	KindInternal Kind = iota
	KindValidation
	KindAccessDenied
	KindParameterNotFound
	KindParameterAlreadyExists
	KindParameterVersionNotFound
	KindParameterMaxVersionLimitExceeded
	KindParameterVersionLabelLimitExceeded
	KindParameterPatternMismatch
	KindInvalidAllowedPattern
	KindHierarchyLevelLimitExceeded
	KindHierarchyTypeMismatch
	KindInvalidFilterKey
	KindInvalidFilterOption
	KindInvalidFilterValue
	KindInvalidNextToken
	KindUnsupportedOperation
)

var kindNames = map[Kind]string{
	KindInternal:                           "Internal",
	KindValidation:                         "Validation",
	KindAccessDenied:                       "AccessDenied",
	KindParameterNotFound:                  "ParameterNotFound",
	KindParameterAlreadyExists:             "ParameterAlreadyExists",
	KindParameterVersionNotFound:           "ParameterVersionNotFound",
	KindParameterMaxVersionLimitExceeded:   "ParameterMaxVersionLimitExceeded",
	KindParameterVersionLabelLimitExceeded: "ParameterVersionLabelLimitExceeded",
	KindParameterPatternMismatch:           "ParameterPatternMismatch",
	KindInvalidAllowedPattern:              "InvalidAllowedPattern",
	KindHierarchyLevelLimitExceeded:        "HierarchyLevelLimitExceeded",
	KindHierarchyTypeMismatch:              "HierarchyTypeMismatch",
	KindInvalidFilterKey:                   "InvalidFilterKey",
	KindInvalidFilterOption:                "InvalidFilterOption",
	KindInvalidFilterValue:                 "InvalidFilterValue",
	KindInvalidNextToken:                   "InvalidNextToken",
	KindUnsupportedOperation:               "UnsupportedOperation",
}

// String returns the kind's name.
func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is a domain error. Msg is safe to show to the caller (it never holds
// a parameter value); Err, when set, is detail for the log only.
type Error struct {
	Kind Kind
	Msg  string
	Err  error
}

// Error returns the kind, the message and the detail.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Kind.String() + ": " + e.Msg + ": " + e.Err.Error()
	}
	return e.Kind.String() + ": " + e.Msg
}

// Unwrap returns the detail.
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

// storeErr passes domain errors through and wraps anything else as
// internal, with op for the log.
func storeErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return internal(op, err)
}

// errNotFound is ParameterNotFound. Real AWS sends it with an empty message
// [obs: LocalStack's AWS snapshot records "Message": ""], so Cognate does
// too; moto's "Parameter /x not found." is not what AWS says.
func errNotFound() *Error { return &Error{Kind: KindParameterNotFound} }

// errVersionNotFound is ParameterVersionNotFound for a name:version
// selector. [guess] text, as moto and APIGATEWAY.md §6 give it.
func errVersionNotFound(version int64, name string) *Error {
	return errorf(KindParameterVersionNotFound,
		"Systems Manager could not find version %d of %s. Verify the version and try again.", version, name)
}

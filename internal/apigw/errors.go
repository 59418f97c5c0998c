package apigw

import (
	"errors"
	"fmt"

	"github.com/cognatehq/cognate/internal/store"
)

// Kind classifies a domain error. Adapters map kinds to wire errors
// (API Gateway's BadRequestException, NotFoundException,
// ConflictException; Lambda's InvalidParameterValueException,
// ResourceNotFoundException, ResourceConflictException).
type Kind int

// The kinds.
const (
	KindInternal   Kind = iota
	KindBadRequest      // a parameter is invalid, or the request cannot be done in the current state
	KindNotFound        // the API, stage, deployment, part or function does not exist
	KindConflict        // the id or name is taken
)

var kindNames = map[Kind]string{
	KindInternal:   "Internal",
	KindBadRequest: "BadRequest",
	KindNotFound:   "NotFound",
	KindConflict:   "Conflict",
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

// Unwrap returns the detail error.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err, or KindInternal when err is not an
// *Error.
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

// storeErr turns a store error into a domain error: ErrNotFound becomes
// nf (when given), ErrConflict becomes conflict (when given), domain
// errors pass through, and anything else is internal, with op for the log.
func storeErr(op string, err error, nf, conflict *Error) error {
	if err == nil {
		return nil
	}
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case nf != nil && errors.Is(err, store.ErrNotFound):
		return nf
	case conflict != nil && errors.Is(err, store.ErrConflict):
		return conflict
	}
	return &Error{Kind: KindInternal, Msg: op, Err: err}
}

func apiNotFound(id string) *Error {
	// [obs] API Gateway: NotFoundException "Invalid API identifier specified 123456789012:abc".
	return errorf(KindNotFound, "Invalid API identifier specified %s", id)
}

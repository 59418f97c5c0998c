package awsapi

import (
	"errors"
	"net/http"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/sigv4"
	"github.com/cognatehq/cognate/internal/ssm"
)

// This file is the one place that decides what a client sees when a call
// fails: the AWS exception name (__type and x-amzn-ErrorType), the HTTP
// status and the message. Domain errors, SigV4 failures and codec
// failures all pass through toAPIError.

// Exception names used on the wire. The Cognito ones are in the
// cognito-idp model; the protocol ones (SerializationException,
// UnknownOperationException) come from the Coral framework behind every
// AWS JSON service. Real AWS may prefix the protocol ones with a namespace
// ("com.amazon.coral.service#"); SDKs strip it, so Cognate sends the bare
// name [guess].
const (
	typeInternalError          = "InternalErrorException"
	typeInvalidParameter       = "InvalidParameterException"
	typeResourceNotFound       = "ResourceNotFoundException"
	typeNotAuthorized          = "NotAuthorizedException"
	typeScopeDoesNotExist      = "ScopeDoesNotExistException"
	typeInvalidOAuthFlow       = "InvalidOAuthFlowException"
	typeLimitExceeded          = "LimitExceededException"
	typeConcurrentModification = "ConcurrentModificationException"
	typeUnsupportedOperation   = "UnsupportedOperationException"

	typeSerialization    = "SerializationException"
	typeUnknownOperation = "UnknownOperationException"

	typeMissingAuthToken    = "MissingAuthenticationTokenException"
	typeIncompleteSignature = "IncompleteSignatureException"
	typeUnrecognizedClient  = "UnrecognizedClientException"
	typeInvalidSignature    = "InvalidSignatureException"
)

// msgInternal is all a client learns about a server fault; the detail goes
// to the log, and the x-amzn-RequestId header ties the two together.
const msgInternal = "Internal error"

// apiError is a failure as the client sees it. err, when set, is detail for
// the log only.
type apiError struct {
	Type    string
	Status  int
	Message string
	err     error
}

func (e *apiError) Error() string {
	if e.err != nil {
		return e.Type + ": " + e.Message + ": " + e.err.Error()
	}
	return e.Type + ": " + e.Message
}

func (e *apiError) Unwrap() error { return e.err }

// clientError returns a 400 error of the given exception type. Cognito
// answers nearly every client error with 400, whatever status its Smithy
// model gives the exception [obs, COGNITO.md §4.1].
func clientError(typ, msg string) *apiError {
	return &apiError{Type: typ, Status: http.StatusBadRequest, Message: msg}
}

func internalError(err error) *apiError {
	return &apiError{Type: typeInternalError, Status: http.StatusInternalServerError, Message: msgInternal, err: err}
}

// kindTypes maps each domain kind to its Cognito exception. The OAuth
// token-endpoint kinds should never come out of the management API; if
// one does, it is still the caller's fault, so it maps to the nearest
// Cognito exception instead of a 500.
var kindTypes = map[identity.Kind]string{
	identity.KindInvalidParameter:       typeInvalidParameter,
	identity.KindResourceNotFound:       typeResourceNotFound,
	identity.KindNotAuthorized:          typeNotAuthorized,
	identity.KindScopeDoesNotExist:      typeScopeDoesNotExist,
	identity.KindInvalidOAuthFlow:       typeInvalidOAuthFlow,
	identity.KindLimitExceeded:          typeLimitExceeded,
	identity.KindConcurrentModification: typeConcurrentModification,
	identity.KindUnsupportedOperation:   typeUnsupportedOperation,

	identity.KindInvalidRequest:       typeInvalidParameter,
	identity.KindInvalidClient:        typeNotAuthorized,
	identity.KindInvalidGrant:         typeNotAuthorized,
	identity.KindUnauthorizedClient:   typeNotAuthorized,
	identity.KindUnsupportedGrantType: typeInvalidParameter,
	identity.KindInvalidScope:         typeScopeDoesNotExist,
}

// sigv4Types maps SigV4 failure kinds to the JSON 1.1 answers
// (APIGATEWAY.md §8): all 400, with the verifier's message. An expired or
// not-yet-current signature is an InvalidSignatureException on JSON
// services [obs-common].
var sigv4Types = map[sigv4.Kind]string{
	sigv4.KindMissingAuthenticationToken: typeMissingAuthToken,
	sigv4.KindIncompleteSignature:        typeIncompleteSignature,
	sigv4.KindUnrecognizedClient:         typeUnrecognizedClient,
	sigv4.KindSignatureDoesNotMatch:      typeInvalidSignature,
	sigv4.KindSignatureExpired:           typeInvalidSignature,
}

// toAPIError decides what the client sees for err.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var se *sigv4.Error
	if errors.As(err, &se) {
		if typ, ok := sigv4Types[se.Kind]; ok {
			return &apiError{Type: typ, Status: http.StatusBadRequest, Message: se.Message, err: err}
		}
		return internalError(err)
	}
	var de *identity.Error
	if errors.As(err, &de) {
		if typ, ok := kindTypes[de.Kind]; ok {
			return &apiError{Type: typ, Status: http.StatusBadRequest, Message: de.Msg, err: de.Err}
		}
		return internalError(err)
	}
	return internalError(err)
}

// writeError writes the AWS JSON error envelope. The body carries
// "__type" and "message" [obs]; SDKs also read x-amzn-ErrorType.
func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("x-amzn-ErrorType", e.Type)
	writeJSON(w, e.Status, errorBody{Type: e.Type, Message: e.Message})
}

type errorBody struct {
	Type    string `json:"__type"`
	Message string `json:"message,omitempty"`
}

// SSM exception names, from the ssm 2014-11-06 model. SSM's server fault is
// InternalServerError, where Cognito's is InternalErrorException.
const (
	typeSSMInternal                        = "InternalServerError"
	typeValidation                         = "ValidationException"
	typeAccessDenied                       = "AccessDeniedException"
	typeParameterNotFound                  = "ParameterNotFound"
	typeParameterAlreadyExists             = "ParameterAlreadyExists"
	typeParameterVersionNotFound           = "ParameterVersionNotFound"
	typeParameterMaxVersionLimitExceeded   = "ParameterMaxVersionLimitExceeded"
	typeParameterVersionLabelLimitExceeded = "ParameterVersionLabelLimitExceeded"
	typeParameterPatternMismatch           = "ParameterPatternMismatchException"
	typeInvalidAllowedPattern              = "InvalidAllowedPatternException"
	typeHierarchyLevelLimitExceeded        = "HierarchyLevelLimitExceededException"
	typeHierarchyTypeMismatch              = "HierarchyTypeMismatchException"
	typeInvalidFilterKey                   = "InvalidFilterKey"
	typeInvalidFilterOption                = "InvalidFilterOption"
	typeInvalidFilterValue                 = "InvalidFilterValue"
	typeInvalidNextToken                   = "InvalidNextToken"
)

// ssmKindTypes maps each SSM domain kind to its exception. Every SSM client
// error is a 400 [doc: the API reference gives each exception status 400].
var ssmKindTypes = map[ssm.Kind]string{
	ssm.KindValidation:                         typeValidation,
	ssm.KindAccessDenied:                       typeAccessDenied,
	ssm.KindParameterNotFound:                  typeParameterNotFound,
	ssm.KindParameterAlreadyExists:             typeParameterAlreadyExists,
	ssm.KindParameterVersionNotFound:           typeParameterVersionNotFound,
	ssm.KindParameterMaxVersionLimitExceeded:   typeParameterMaxVersionLimitExceeded,
	ssm.KindParameterVersionLabelLimitExceeded: typeParameterVersionLabelLimitExceeded,
	ssm.KindParameterPatternMismatch:           typeParameterPatternMismatch,
	ssm.KindInvalidAllowedPattern:              typeInvalidAllowedPattern,
	ssm.KindHierarchyLevelLimitExceeded:        typeHierarchyLevelLimitExceeded,
	ssm.KindHierarchyTypeMismatch:              typeHierarchyTypeMismatch,
	ssm.KindInvalidFilterKey:                   typeInvalidFilterKey,
	ssm.KindInvalidFilterOption:                typeInvalidFilterOption,
	ssm.KindInvalidFilterValue:                 typeInvalidFilterValue,
	ssm.KindInvalidNextToken:                   typeInvalidNextToken,
	ssm.KindUnsupportedOperation:               typeUnsupportedOperation,
}

// toSSMAPIError decides what an SSM client sees for err: SSM's exception
// for a domain error, the shared answers for SigV4 and codec failures, and
// InternalServerError, a 500 whose detail is only logged, for anything
// else.
func toSSMAPIError(err error) *apiError {
	var de *ssm.Error
	if errors.As(err, &de) {
		if typ, ok := ssmKindTypes[de.Kind]; ok {
			return &apiError{Type: typ, Status: http.StatusBadRequest, Message: de.Msg, err: de.Err}
		}
	}
	e := toAPIError(err)
	if e.Type == typeInternalError {
		c := *e
		c.Type = typeSSMInternal
		return &c
	}
	return e
}

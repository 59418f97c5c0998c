package awsapi

import (
	"errors"
	"net/http"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/sigv4"
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

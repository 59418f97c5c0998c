package awsapi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"

	"github.com/cognatehq/cognate/internal/sigv4"
	"github.com/cognatehq/cognate/internal/stack"
)

// What a CloudFormation client sees when a call fails: the Query
// protocol's <ErrorResponse> with a Type (Sender or Receiver), a Code, a
// Message and the request id, and an HTTP status. This file is to the
// Query protocol what errors.go is to JSON 1.1: every failure of the
// CloudFormation handler passes through toCFNError.

// Error codes. ValidationError, AlreadyExistsException,
// InsufficientCapabilitiesException and ChangeSetNotFound come from the
// cloudformation model and APIGATEWAY.md §7 [obs]; the others are AWS's
// common Query errors [doc: CommonErrors] and the SigV4 answers of §8.
const (
	cfnCodeValidation    = "ValidationError"
	cfnCodeAlreadyExists = "AlreadyExistsException"
	cfnCodeInternal      = "InternalFailure"
	cfnCodeInvalidAction = "InvalidAction"
	cfnCodeMissingAction = "MissingAction"
	// [guess] the common error for a body that is not a query string.
	cfnCodeMalformedQuery = "MalformedQueryString"

	cfnCodeMissingAuthToken      = "MissingAuthenticationToken"
	cfnCodeIncompleteSignature   = "IncompleteSignature"
	cfnCodeInvalidClientTokenID  = "InvalidClientTokenId"
	cfnCodeSignatureDoesNotMatch = "SignatureDoesNotMatch"
)

// cfnError is a failure as a CloudFormation client sees it. err, when
// set, is detail for the log only.
type cfnError struct {
	Code    string
	Status  int
	Message string
	err     error
}

func (e *cfnError) Error() string {
	if e.err != nil {
		return e.Code + ": " + e.Message + ": " + e.err.Error()
	}
	return e.Code + ": " + e.Message
}

func (e *cfnError) Unwrap() error { return e.err }

// faultType is the <Type> of the error: Receiver for server faults,
// Sender for everything else.
func (e *cfnError) faultType() string {
	if e.Status >= http.StatusInternalServerError {
		return "Receiver"
	}
	return "Sender"
}

// validationError is CloudFormation's answer to nearly every client
// mistake: 400 ValidationError [obs].
func validationError(msg string) *cfnError {
	return &cfnError{Code: cfnCodeValidation, Status: http.StatusBadRequest, Message: msg}
}

// cfnSigv4Codes maps SigV4 failures to the Query protocol's codes; all are
// 403 (APIGATEWAY.md §8 [obs]). An expired signature is a
// SignatureDoesNotMatch on Query services [obs-common].
var cfnSigv4Codes = map[sigv4.Kind]string{
	sigv4.KindMissingAuthenticationToken: cfnCodeMissingAuthToken,
	sigv4.KindIncompleteSignature:        cfnCodeIncompleteSignature,
	sigv4.KindUnrecognizedClient:         cfnCodeInvalidClientTokenID,
	sigv4.KindSignatureDoesNotMatch:      cfnCodeSignatureDoesNotMatch,
	sigv4.KindSignatureExpired:           cfnCodeSignatureDoesNotMatch,
}

// cfnEngineKinds maps the stack engine's error kinds to ValidationError,
// which is what CloudFormation answers for each [obs: §7]: a template or
// parameter problem, a stack that does not exist, a stack with an
// operation in progress ("Stack:<arn> is in UPDATE_IN_PROGRESS state and
// can not be updated."). ErrInUse: on AWS, DeleteStack of a stack whose
// export is imported is accepted and the deletion then fails
// (DELETE_FAILED); Cognate deletes synchronously and refuses up front with
// the engine's message [guess]. The engine's messages follow AWS's; the
// sentinel's own text is cut off.
var cfnEngineKinds = []error{
	stack.ErrValidation, stack.ErrStackNotFound, stack.ErrInProgress, stack.ErrInUse, stack.ErrDeployFailed,
}

// toCFNError decides what the client sees for err. Anything unknown is a
// 500 InternalFailure whose detail goes to the log only.
func toCFNError(err error) *cfnError {
	var ce *cfnError
	if errors.As(err, &ce) {
		return ce
	}
	var se *sigv4.Error
	if errors.As(err, &se) {
		if code, ok := cfnSigv4Codes[se.Kind]; ok {
			return &cfnError{Code: code, Status: http.StatusForbidden, Message: se.Message, err: err}
		}
	}
	for _, kind := range cfnEngineKinds {
		if errors.Is(err, kind) {
			msg := engineMessage(err, kind)
			if kind == stack.ErrValidation {
				msg = withTemplateHeadline(err, msg)
			}
			return &cfnError{Code: cfnCodeValidation, Status: http.StatusBadRequest, Message: msg, err: err}
		}
	}
	return &cfnError{Code: cfnCodeInternal, Status: http.StatusInternalServerError, Message: msgInternal, err: err}
}

// engineMessage is the engine's message without the sentinel's text the
// engine puts in front of it ("validation error: Template format error:
// ..." becomes "Template format error: ...").
func engineMessage(err, kind error) string {
	msg := err.Error()
	if i := strings.Index(msg, kind.Error()+": "); i >= 0 {
		msg = msg[i+len(kind.Error())+2:]
	}
	return msg
}

type cfnErrorResponse struct {
	XMLName   xml.Name     `xml:"ErrorResponse"`
	Xmlns     string       `xml:"xmlns,attr"`
	Error     cfnErrorBody `xml:"Error"`
	RequestID string       `xml:"RequestId"`
}

type cfnErrorBody struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// writeCFNError writes the Query protocol's error envelope [obs: §7].
func writeCFNError(w http.ResponseWriter, id string, e *cfnError) {
	var buf bytes.Buffer
	body := cfnErrorResponse{Xmlns: cfnNamespace, RequestID: id,
		Error: cfnErrorBody{Type: e.faultType(), Code: e.Code, Message: e.Message}}
	if err := xml.NewEncoder(&buf).Encode(body); err != nil {
		// The struct always encodes; this is a bug.
		buf.Reset()
		buf.WriteString(`<ErrorResponse xmlns="` + cfnNamespace + `"><Error><Type>Receiver</Type><Code>` +
			cfnCodeInternal + `</Code><Message>` + msgInternal + `</Message></Error><RequestId>` + id + `</RequestId></ErrorResponse>`)
	}
	writeXML(w, e.Status, buf.Bytes())
}

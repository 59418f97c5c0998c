package awsapi

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/cognatehq/cognate/internal/sigv4"
	"github.com/cognatehq/cognate/internal/ssm"
)

// SSM serves the Parameter Store part of the AWS Systems Manager API
// (AmazonSSM, ssm 2014-11-06) over AWS JSON 1.1: POST / with X-Amz-Target
// "AmazonSSM.<Operation>". Mount it where that target arrives; it checks
// method, target, content type, body size and SigV4 itself, and answers
// every failure with the AWS error envelope. It is safe for concurrent
// use.
//
// It implements PutParameter, GetParameter, GetParameters,
// GetParametersByPath, DeleteParameter, DeleteParameters,
// DescribeParameters, GetParameterHistory, LabelParameterVersion and
// UnlabelParameterVersion. Every other operation of the model is answered
// with UnsupportedOperationException saying Cognate does not implement it.
type SSM struct {
	svc *ssm.Service
	ops map[string]operation
	api *jsonHandler
}

// ssmSigningName is the service name in an SSM request's SigV4 scope.
const ssmSigningName = "ssm"

// ssmTarget is the X-Amz-Target prefix of SSM operations.
const ssmTarget = "AmazonSSM"

// ssmService describes the SSM API to the shared JSON dispatch.
var ssmService = jsonService{
	name:          ssmSigningName,
	target:        ssmTarget,
	signingName:   ssmSigningName,
	model:         ssmOperations,
	methodMessage: "The SSM API takes POST / with an X-Amz-Target header",
	validRegion:   ssm.ValidRegion,
	apiError:      toSSMAPIError,
}

// NewSSM returns the SSM API handler.
//
// verifier checks SigV4 on every operation (all of SSM's need IAM
// credentials): the credential scope must name the service ssm, in any
// region, and the call's region is the region of that scope; parameters
// are per region. defaultRegion is the region of a call that needs no
// signature, of which SSM has none today. svc and verifier must not be
// nil.
//
// log receives one record per failed call: server faults at error level
// with their detail, client errors at debug level. Request and response
// bodies are never logged, as they carry parameter values.
func NewSSM(svc *ssm.Service, verifier *sigv4.Verifier, defaultRegion string, log *slog.Logger) *SSM {
	h := &SSM{svc: svc}
	h.ops = map[string]operation{
		"PutParameter":            ssmOp(h.putParameter),
		"GetParameter":            ssmOp(h.getParameter),
		"GetParameters":           ssmOp(h.getParameters),
		"GetParametersByPath":     ssmOp(h.getParametersByPath),
		"DeleteParameter":         ssmOp(h.deleteParameter),
		"DeleteParameters":        ssmOp(h.deleteParameters),
		"DescribeParameters":      ssmOp(h.describeParameters),
		"GetParameterHistory":     ssmOp(h.getParameterHistory),
		"LabelParameterVersion":   ssmOp(h.labelParameterVersion),
		"UnlabelParameterVersion": ssmOp(h.unlabelParameterVersion),
	}
	h.api = newJSONHandler(ssmService, h.ops, verifier, defaultRegion, log)
	return h
}

// ssmOp builds an operation from a typed handler; absent required members
// are a ValidationException, as SSM answers.
func ssmOp[In any, Out any](fn func(ctx context.Context, region string, in *In) (Out, error)) operation {
	return typedOp(typeValidation, fn)
}

// ServeHTTP answers one API call. Every answer carries x-amzn-RequestId:
// the request id of the context (set by the server), or a fresh one.
func (h *SSM) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.api.ServeHTTP(w, r) }

// decodeRequest runs every check a request gets before the domain sees it,
// except SigV4. It is what FuzzDecodeSSMRequest exercises.
func (h *SSM) decodeRequest(target, contentType string, body []byte) (string, any, *apiError) {
	return h.api.decodeRequest(target, contentType, body)
}

// ssmTime is a timestamp on SSM's wire: epoch seconds as a JSON number with
// the milliseconds as a fraction ("LastModifiedDate": 1795591692.803)
// [emulator, matches AWS: APIGATEWAY.md §6]. Use it with omitzero.
type ssmTime time.Time

// IsZero reports whether the time is unset.
func (t ssmTime) IsZero() bool { return time.Time(t).IsZero() }

// MarshalJSON writes the time as epoch seconds.
func (t ssmTime) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(time.Time(t).UnixMilli())/1000, 'f', -1, 64), nil
}

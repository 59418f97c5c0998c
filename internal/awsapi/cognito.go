package awsapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/sigv4"
)

// Cognito serves the Amazon Cognito user pools API
// (AWSCognitoIdentityProviderService) over AWS JSON 1.1: POST / with
// X-Amz-Target "AWSCognitoIdentityProviderService.<Operation>". Mount it
// where that target arrives; it checks method, target, content type, body
// size and SigV4 itself, and answers every failure with the AWS error
// envelope. It is safe for concurrent use.
type Cognito struct {
	svc *identity.Service
	ops map[string]operation
	api *jsonHandler
}

// signingName is the service name in a Cognito request's SigV4 scope.
const signingName = "cognito-idp"

// cognitoService describes the Cognito API to the shared JSON dispatch.
var cognitoService = jsonService{
	name:          signingName,
	target:        cognitoTarget,
	signingName:   signingName,
	model:         cognitoOperations,
	methodMessage: "The Cognito API takes POST / with an X-Amz-Target header",
	validRegion:   identity.ValidRegion,
	apiError:      toAPIError,
}

// NewCognito returns the Cognito API handler.
//
// verifier checks SigV4 on every operation that needs IAM credentials:
// the credential scope must name the service cognito-idp, in any region,
// and the call's region is the region of that scope (one server holds
// every region). defaultRegion is the region of unsigned operations. svc
// and verifier must not be nil.
//
// log receives one record per failed call: server faults at error level
// with their detail, client errors at debug level. Request and response
// bodies are never logged, as they carry client secrets.
func NewCognito(svc *identity.Service, verifier *sigv4.Verifier, defaultRegion string, log *slog.Logger) *Cognito {
	if verifier == nil {
		panic("awsapi: NewCognito needs a SigV4 verifier")
	}
	h := &Cognito{svc: svc}
	h.ops = map[string]operation{
		"CreateUserPool":   op(h.createUserPool),
		"DescribeUserPool": op(h.describeUserPool),
		"ListUserPools":    op(h.listUserPools),
		"UpdateUserPool":   op(h.updateUserPool),
		"DeleteUserPool":   op(h.deleteUserPool),

		"CreateUserPoolDomain":   op(h.createUserPoolDomain),
		"DescribeUserPoolDomain": op(h.describeUserPoolDomain),
		"UpdateUserPoolDomain":   op(h.updateUserPoolDomain),
		"DeleteUserPoolDomain":   op(h.deleteUserPoolDomain),

		"CreateResourceServer":   op(h.createResourceServer),
		"DescribeResourceServer": op(h.describeResourceServer),
		"ListResourceServers":    op(h.listResourceServers),
		"UpdateResourceServer":   op(h.updateResourceServer),
		"DeleteResourceServer":   op(h.deleteResourceServer),

		"CreateUserPoolClient":   op(h.createUserPoolClient),
		"DescribeUserPoolClient": op(h.describeUserPoolClient),
		"ListUserPoolClients":    op(h.listUserPoolClients),
		"UpdateUserPoolClient":   op(h.updateUserPoolClient),
		"DeleteUserPoolClient":   op(h.deleteUserPoolClient),
	}
	h.api = newJSONHandler(cognitoService, h.ops, verifier, defaultRegion, log)
	return h
}

// op builds an operation from a typed handler. The input is decoded into
// a fresh In and its required members checked (absent ones are an
// InvalidParameterException, as Cognito answers) before fn runs.
func op[In any, Out any](fn func(ctx context.Context, region string, in *In) (Out, error)) operation {
	return typedOp(typeInvalidParameter, fn)
}

// empty is the answer of operations without output. [guess] AWS sends {}
// for them; SDKs ignore the body either way.
type empty struct{}

// ServeHTTP answers one API call. Every answer carries x-amzn-RequestId:
// the request id of the context (set by the server), or a fresh one.
func (h *Cognito) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.api.ServeHTTP(w, r) }

// decodeRequest runs every check a request body and its headers get
// before the domain sees them, except SigV4: target, content type and
// input decoding. It is what FuzzDecodeRequest exercises.
func (h *Cognito) decodeRequest(target, contentType string, body []byte) (string, any, *apiError) {
	return h.api.decodeRequest(target, contentType, body)
}

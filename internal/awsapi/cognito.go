package awsapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/requestid"
	"github.com/cognatehq/cognate/internal/sigv4"
)

// Cognito serves the Amazon Cognito user pools API
// (AWSCognitoIdentityProviderService) over AWS JSON 1.1: POST / with
// X-Amz-Target "AWSCognitoIdentityProviderService.<Operation>". Mount it
// where that target arrives; it checks method, target, content type, body
// size and SigV4 itself, and answers every failure with the AWS error
// envelope. It is safe for concurrent use.
type Cognito struct {
	svc           *identity.Service
	verifier      *sigv4.Verifier
	defaultRegion string
	log           *slog.Logger
	ops           map[string]operation
}

// signingName is the service name in a Cognito request's SigV4 scope.
const signingName = "cognito-idp"

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
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Cognito{svc: svc, verifier: verifier, defaultRegion: defaultRegion, log: log}
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
	return h
}

// operation is one API operation: how to decode its input, and the call.
type operation struct {
	decode func(body []byte) (any, *apiError)
	call   func(ctx context.Context, region string, in any) (any, error)
}

// op builds an operation from a typed handler. The input is decoded into
// a fresh In and its required members checked before fn runs.
func op[In any, Out any](fn func(ctx context.Context, region string, in *In) (Out, error)) operation {
	return operation{
		decode: func(body []byte) (any, *apiError) {
			in := new(In)
			if err := decodeJSON(body, in); err != nil {
				return nil, err
			}
			if rc, ok := any(in).(requiredChecker); ok {
				var v validation
				rc.checkRequired(&v)
				if err := v.err(); err != nil {
					return nil, err
				}
			}
			return in, nil
		},
		call: func(ctx context.Context, region string, in any) (any, error) {
			return fn(ctx, region, in.(*In))
		},
	}
}

// empty is the answer of operations without output. [guess] AWS sends {}
// for them; SDKs ignore the body either way.
type empty struct{}

// ServeHTTP answers one API call. Every answer carries x-amzn-RequestId:
// the request id of the context (set by the server), or a fresh one.
func (h *Cognito) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := requestid.FromContext(r.Context())
	if id == "" {
		id = requestid.New()
		r = r.WithContext(requestid.NewContext(r.Context(), id))
	}
	w.Header().Set("x-amzn-RequestId", id)
	opName := ""
	defer func() {
		// A panic below is a bug; answer it in the AWS envelope (nothing
		// has been written yet: answers are written whole at the end).
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			e := internalError(fmt.Errorf("panic: %v", p))
			h.logFailure(r.Context(), opName, e)
			writeError(w, e)
		}
	}()
	if err := h.serve(w, r, &opName); err != nil {
		e := toAPIError(err)
		h.logFailure(r.Context(), opName, e)
		writeError(w, e)
	}
}

// serve handles a call and returns the error to answer, if any. It sets
// *opName as soon as the target is known, for the log.
func (h *Cognito) serve(w http.ResponseWriter, r *http.Request, opName *string) error {
	if r.Method != http.MethodPost {
		// [guess] AWS's answer to other methods is not recorded.
		w.Header().Set("Allow", http.MethodPost)
		return &apiError{Type: typeUnknownOperation, Status: http.StatusMethodNotAllowed,
			Message: "The Cognito API takes POST / with an X-Amz-Target header"}
	}
	name, needsAuth, aerr := routeTarget(r.Header.Get("X-Amz-Target"))
	if aerr != nil {
		return aerr
	}
	*opName = name
	if aerr := checkContentType(r.Header.Get("Content-Type")); aerr != nil {
		return aerr
	}
	body, aerr := readBody(r)
	if aerr != nil {
		return aerr
	}
	region := h.defaultRegion
	if needsAuth {
		res, err := h.verifier.VerifyScope(r, body, sigv4.Scope{Service: signingName})
		if err != nil {
			return err
		}
		region = res.Region
	}
	if !identity.ValidRegion(region) {
		// [guess] wording after AWS's "Credential should be scoped to a
		// valid region".
		return clientError(typeInvalidSignature,
			fmt.Sprintf("Credential should be scoped to a valid region, not '%s'.", clip(region)))
	}
	o, in, aerr := h.decodeInput(name, body)
	if aerr != nil {
		return aerr
	}
	out, err := o.call(r.Context(), region, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// routeTarget resolves an X-Amz-Target to an operation of the model and
// whether it needs SigV4.
func routeTarget(target string) (name string, needsAuth bool, err *apiError) {
	name, err = parseTarget(target)
	if err != nil {
		return "", false, err
	}
	needsAuth, known := cognitoOperations[name]
	if !known {
		// [guess] Coral sends no message here; Cognate names the problem.
		return "", false, clientError(typeUnknownOperation,
			fmt.Sprintf("%s is not an operation of %s", clip(name), cognitoTarget))
	}
	return name, needsAuth, nil
}

// decodeInput finds the implementation of an operation of the model and
// decodes its input. An operation Cognito has but Cognate does not
// implement yet is UnsupportedOperationException (an exception of the
// Cognito model, so every SDK has a type for it), saying so plainly.
func (h *Cognito) decodeInput(name string, body []byte) (operation, any, *apiError) {
	o, ok := h.ops[name]
	if !ok {
		return operation{}, nil, clientError(typeUnsupportedOperation, "Cognate does not implement "+name+" yet")
	}
	in, err := o.decode(body)
	if err != nil {
		return operation{}, nil, err
	}
	return o, in, nil
}

// decodeRequest runs every check a request body and its headers get
// before the domain sees them, except SigV4: target, content type and
// input decoding. It is what FuzzDecodeRequest exercises.
func (h *Cognito) decodeRequest(target, contentType string, body []byte) (string, any, *apiError) {
	name, _, err := routeTarget(target)
	if err != nil {
		return "", nil, err
	}
	if err := checkContentType(contentType); err != nil {
		return "", nil, err
	}
	if len(body) > MaxBodyBytes {
		return "", nil, errBodyTooLarge
	}
	_, in, err := h.decodeInput(name, body)
	if err != nil {
		return "", nil, err
	}
	return name, in, nil
}

// logFailure logs a failed call once. Server faults go to the error level
// with their detail; client errors to debug. Bodies are never logged.
func (h *Cognito) logFailure(ctx context.Context, opName string, e *apiError) {
	attrs := []any{"op", opName, "error_type", e.Type, "status", e.Status}
	if e.Status >= http.StatusInternalServerError {
		h.log.ErrorContext(ctx, "cognito-idp call failed", append(attrs, "err", e.err)...)
		return
	}
	var se *sigv4.Error
	if errors.As(e.err, &se) && se.Detail != "" {
		attrs = append(attrs, "sigv4_detail", se.Detail)
	}
	h.log.DebugContext(ctx, "cognito-idp call rejected", append(attrs, "message", e.Message)...)
}

package awsapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/cognatehq/cognate/internal/requestid"
	"github.com/cognatehq/cognate/internal/sigv4"
)

// The AWS JSON 1.1 dispatch that every JSON service of this package shares
// (Cognito, SSM): request id, method, X-Amz-Target, content type, body
// size, SigV4 and region, input decoding, the call, and one error answer
// for every failure. A service describes itself in a jsonService; its
// operations are a map of operation values.

// jsonService describes one AWS JSON 1.1 service.
type jsonService struct {
	// name is the service's endpoint prefix, used in logs ("cognito-idp").
	name string
	// target is the X-Amz-Target prefix before the "." and the operation
	// ("AWSCognitoIdentityProviderService").
	target string
	// signingName is the service of a request's SigV4 credential scope.
	signingName string
	// model holds every operation of the service's model, mapped to
	// whether it needs SigV4. A target naming an operation missing here is
	// UnknownOperationException; one that is here but has no operation
	// value is UnsupportedOperationException (both services' models have
	// it), saying Cognate does not implement it yet.
	model map[string]bool
	// methodMessage answers a request whose method is not POST.
	methodMessage string
	// validRegion checks the region of a call.
	validRegion func(string) bool
	// apiError decides what the client sees for an error of the service's
	// domain, SigV4 or the codec.
	apiError func(error) *apiError
}

// jsonHandler serves one jsonService. It is safe for concurrent use.
type jsonHandler struct {
	svc           jsonService
	ops           map[string]operation
	verifier      *sigv4.Verifier
	defaultRegion string
	log           *slog.Logger
}

// newJSONHandler returns the handler of svc. ops is used as it is, not
// copied. verifier must not be nil; log may be.
func newJSONHandler(svc jsonService, ops map[string]operation, verifier *sigv4.Verifier, defaultRegion string, log *slog.Logger) *jsonHandler {
	if verifier == nil {
		panic("awsapi: the " + svc.name + " API needs a SigV4 verifier")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &jsonHandler{svc: svc, ops: ops, verifier: verifier, defaultRegion: defaultRegion, log: log}
}

// operation is one API operation: how to decode its input, and the call.
type operation struct {
	decode func(body []byte) (any, *apiError)
	call   func(ctx context.Context, region string, in any) (any, error)
}

// typedOp builds an operation from a typed handler. The input is decoded
// into a fresh In and its required members checked, reporting absent ones
// as an exception of type missing, before fn runs.
func typedOp[In any, Out any](missing string, fn func(ctx context.Context, region string, in *In) (Out, error)) operation {
	return operation{
		decode: func(body []byte) (any, *apiError) {
			in := new(In)
			if err := decodeJSON(body, in); err != nil {
				return nil, err
			}
			if rc, ok := any(in).(requiredChecker); ok {
				var v validation
				rc.checkRequired(&v)
				if err := v.errAs(missing); err != nil {
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

// ServeHTTP answers one API call. Every answer carries x-amzn-RequestId:
// the request id of the context (set by the server), or a fresh one.
func (h *jsonHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
			e := h.svc.apiError(fmt.Errorf("panic: %v", p))
			h.logFailure(r.Context(), opName, e)
			writeError(w, e)
		}
	}()
	if err := h.serve(w, r, &opName); err != nil {
		e := h.svc.apiError(err)
		h.logFailure(r.Context(), opName, e)
		writeError(w, e)
	}
}

// serve handles a call and returns the error to answer, if any. It sets
// *opName as soon as the target is known, for the log.
func (h *jsonHandler) serve(w http.ResponseWriter, r *http.Request, opName *string) error {
	if r.Method != http.MethodPost {
		// [guess] AWS's answer to other methods is not recorded.
		w.Header().Set("Allow", http.MethodPost)
		return &apiError{Type: typeUnknownOperation, Status: http.StatusMethodNotAllowed, Message: h.svc.methodMessage}
	}
	name, needsAuth, aerr := h.routeTarget(r.Header.Get("X-Amz-Target"))
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
		res, err := h.verifier.VerifyScope(r, body, sigv4.Scope{Service: h.svc.signingName})
		if err != nil {
			return err
		}
		region = res.Region
	}
	if !h.svc.validRegion(region) {
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
func (h *jsonHandler) routeTarget(target string) (name string, needsAuth bool, err *apiError) {
	name, err = parseServiceTarget(target, h.svc.target)
	if err != nil {
		return "", false, err
	}
	needsAuth, known := h.svc.model[name]
	if !known {
		// [guess] Coral sends no message here; Cognate names the problem.
		return "", false, clientError(typeUnknownOperation,
			fmt.Sprintf("%s is not an operation of %s", clip(name), h.svc.target))
	}
	return name, needsAuth, nil
}

// decodeInput finds the implementation of an operation of the model and
// decodes its input. An operation the service has but Cognate does not
// implement yet is UnsupportedOperationException, saying so plainly.
func (h *jsonHandler) decodeInput(name string, body []byte) (operation, any, *apiError) {
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
// input decoding. It is what the fuzz tests exercise.
func (h *jsonHandler) decodeRequest(target, contentType string, body []byte) (string, any, *apiError) {
	name, _, err := h.routeTarget(target)
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
func (h *jsonHandler) logFailure(ctx context.Context, opName string, e *apiError) {
	attrs := []any{"op", opName, "error_type", e.Type, "status", e.Status}
	if e.Status >= http.StatusInternalServerError {
		h.log.ErrorContext(ctx, h.svc.name+" call failed", append(attrs, "err", e.err)...)
		return
	}
	var se *sigv4.Error
	if errors.As(e.err, &se) && se.Detail != "" {
		attrs = append(attrs, "sigv4_detail", se.Detail)
	}
	h.log.DebugContext(ctx, h.svc.name+" call rejected", append(attrs, "message", e.Message)...)
}

package respond

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

// Error is a failure the gateway answers itself.
type Error struct {
	// Type is the gateway response type, e.g. UNAUTHORIZED; see the
	// constants in table.go.
	Type string
	// Message is $context.error.message. Nil renders as JSON null, as
	// AUTHORIZER_CONFIGURATION_ERROR does on AWS.
	Message *string
	// ValidationErrorString is $context.error.validationErrorString: the
	// request validator's bracketed list of schema errors, or "".
	ValidationErrorString string
}

// NewError returns an Error of the given type carrying the type's
// default message.
func NewError(typ string) Error {
	_, _, m := Default(typ)
	return Error{Type: typ, Message: m}
}

// WithMessage returns an Error of the given type with the given message.
func WithMessage(typ, message string) Error {
	return Error{Type: typ, Message: &message}
}

// Context is what templates and header mappings may read about the
// request being answered. Every field may be empty.
type Context struct {
	RequestID         string // $context.requestId and x-amzn-RequestId
	ExtendedRequestID string // $context.extendedRequestId and x-amz-apigw-id
	APIID             string // $context.apiId
	Stage             string // $context.stage
	ResourcePath      string // $context.resourcePath, e.g. /pets/{id}
	ResourceID        string // $context.resourceId
	HTTPMethod        string // $context.httpMethod
	Path              string // $context.path
	SourceIP          string // $context.identity.sourceIp
	UserAgent         string // $context.identity.userAgent
	DomainName        string // $context.domainName
	// RequestTime is $context.requestTime and $context.requestTimeEpoch.
	RequestTime time.Time
	// Authorizer holds the authorizer's claims, every value a string:
	// $context.authorizer.claims.X.
	Authorizer map[string]string
	// StageVariables are $stageVariables.X.
	StageVariables map[string]string
	// Header, Query and PathParams are the method request's parameters,
	// read by method.request.header.X, .querystring.X and .path.X
	// mappings.
	Header     http.Header
	Query      url.Values
	PathParams map[string]string
}

// Response is a rendered gateway response. Header keys keep AWS's exact
// spelling (x-amzn-RequestId, not X-Amzn-Requestid), so read them by
// indexing the map rather than with Header.Get.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// The headers every gateway response carries [obs: AWS-recorded
// LocalStack snapshots spell them this way].
const (
	headerContentType = "Content-Type"
	headerRequestID   = "x-amzn-RequestId"
	headerErrorType   = "x-amzn-ErrorType"
	headerAPIGWID     = "x-amz-apigw-id"
)

// Render builds the response for e. api is the API the request was routed
// to, or nil when none matched; its gateway responses override the
// built-in table: first the response for e.Type, then the API's
// DEFAULT_4XX or DEFAULT_5XX by the type's class [doc]. The chosen
// response's statusCode replaces the type's status only when set, and its
// responseParameters and responseTemplates apply.
func Render(api *apimodel.API, e Error, c Context) Response {
	status, errorType, _ := Default(e.Type)
	gr := resolve(api, e.Type)
	if gr != nil && gr.StatusCode != "" {
		if n, err := strconv.Atoi(gr.StatusCode); err == nil && n >= 100 && n <= 599 {
			status = n
		}
	}
	v := vars{e: e, c: c}

	contentType, body := "application/json", builtinBody(e)
	if gr != nil {
		// A gateway response put without templates gets the default
		// template [obs: AWS echoes {"message":$context.error.messageString}
		// for a response put with only parameters or a status].
		ct, tmpl, ok := pickTemplate(gr.ResponseTemplates)
		if !ok {
			ct, tmpl = "application/json", defaultTemplate
		}
		contentType, body = ct, []byte(renderTemplate(tmpl, v.lookup))
	}

	h := http.Header{}
	h[headerContentType] = []string{contentType}
	if c.RequestID != "" {
		h[headerRequestID] = []string{c.RequestID}
	}
	h[headerErrorType] = []string{errorType}
	if c.ExtendedRequestID != "" {
		h[headerAPIGWID] = []string{c.ExtendedRequestID}
	}
	if gr != nil {
		mapHeaders(h, gr.ResponseParameters, v)
	}
	return Response{Status: status, Header: h, Body: body}
}

// resolve finds the API's own gateway response that applies to typ.
func resolve(api *apimodel.API, typ string) *apimodel.GatewayResponse {
	if api == nil {
		return nil
	}
	if gr := api.GatewayResponses[typ]; gr != nil {
		return gr
	}
	return api.GatewayResponses[class(typ)]
}

// defaultTemplate is the template AWS reports for every gateway response
// nobody customised [obs].
const defaultTemplate = `{"message":$context.error.messageString}`

// builtinBody renders an error for an API that customised nothing that
// applies. 4XX answers are byte for byte defaultTemplate [obs: the
// widely captured {"message":"Unauthorized"}]. 5XX answers carry a space
// after the colon [obs: AWS sends a 36-byte {"message": "Internal server
// error"} in LocalStack's AWS-recorded integration snapshots]; that this
// holds for every 5XX type is a [guess].
func builtinBody(e Error) []byte {
	sep := ":"
	if class(e.Type) == Default5XX {
		sep = ": "
	}
	return []byte(`{"message"` + sep + messageString(e.Message) + `}`)
}

// pickTemplate chooses the template to render: application/json when
// present, else the first content type in sorted order [guess: AWS picks
// by the request's Accept header; JSON is what clients expect].
func pickTemplate(templates map[string]string) (contentType, tmpl string, ok bool) {
	if len(templates) == 0 {
		return "", "", false
	}
	if t, found := templates["application/json"]; found {
		return "application/json", t, true
	}
	keys := make([]string, 0, len(templates))
	for k := range templates {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys[0], templates[keys[0]], true
}

// mapHeaders applies gatewayresponse.header.X mappings. A value that
// names nothing the request carries leaves the header out [guess].
func mapHeaders(h http.Header, params map[string]string, v vars) {
	const prefix = "gatewayresponse.header."
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic when two keys differ only in case
	for _, k := range keys {
		name, ok := strings.CutPrefix(k, prefix)
		if !ok || name == "" {
			continue
		}
		val, ok := v.source(params[k])
		if !ok {
			continue
		}
		for existing := range h {
			if strings.EqualFold(existing, name) {
				delete(h, existing)
			}
		}
		h[name] = []string{val}
	}
}

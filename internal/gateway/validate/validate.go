package validate

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

// The gateway response types a Failure names.
const (
	BadRequestParameters = "BAD_REQUEST_PARAMETERS"
	BadRequestBody       = "BAD_REQUEST_BODY"
)

// invalidBody is the message of every body failure [obs].
const invalidBody = "Invalid request body"

// Request is the part of a method request that validation reads.
type Request struct {
	// ContentType is the request's Content-Type header, parameters and
	// all; "" means application/json [doc].
	ContentType string
	Body        []byte
	Header      http.Header
	Query       url.Values
	PathParams  map[string]string
}

// Failure is a request that did not pass validation.
type Failure struct {
	// Type is BAD_REQUEST_PARAMETERS or BAD_REQUEST_BODY.
	Type string
	// Message is $context.error.message, e.g. "Invalid request body".
	Message string
	// ValidationErrorString is $context.error.validationErrorString: for
	// a body, the schema errors as a bracketed, comma-separated list; for
	// parameters, "" [guess].
	ValidationErrorString string
}

// Checker validates requests for one method. A nil *Checker accepts
// every request.
type Checker struct {
	required []apimodel.Parameter // in the order AWS lists them
	bodies   map[string]*model    // by lower-case media type or "$default"
}

// Compile prepares the checks that m's request validator asks for. It
// returns a nil Checker, and no error, when m has no validator or the
// validator has nothing to check (no required parameters, no body model).
// Each body schema is compiled once, here; a schema that does not compile,
// or that refers to any document outside itself, is an error.
func Compile(m *apimodel.Method) (*Checker, error) {
	if m == nil || m.Validator == nil {
		return nil, nil
	}
	c := &Checker{}
	if m.Validator.Params {
		c.required = requiredParams(m.Parameters)
	}
	if m.Validator.Body && len(m.BodySchemas) > 0 {
		c.bodies = make(map[string]*model, len(m.BodySchemas))
		for contentType, raw := range m.BodySchemas {
			key := mediaType(contentType)
			if contentType == "$default" {
				key = contentType
			}
			mdl, err := compileModel(raw)
			if err != nil {
				return nil, fmt.Errorf("request model for %q: %w", contentType, err)
			}
			c.bodies[key] = mdl
		}
	}
	if len(c.required) == 0 && len(c.bodies) == 0 {
		return nil, nil
	}
	return c, nil
}

// Check validates r. It returns nil when r passes. Parameters are checked
// before the body [obs: AWS answers a request that lacks parameters and
// carries an invalid body with the parameters failure].
func (c *Checker) Check(r Request) *Failure {
	if c == nil {
		return nil
	}
	if missing := c.missingParams(r); len(missing) > 0 {
		return &Failure{
			Type:    BadRequestParameters,
			Message: "Missing required request parameters: [" + strings.Join(missing, ", ") + "]",
		}
	}
	return c.checkBody(r)
}

// requiredParams returns the required parameters in the order AWS lists
// the missing ones: sorted by their method.request.<in>.<name> key, so
// headers, then path, then query string [obs: AWS answered
// "[x-header-param, issuer, qs1]" for parameters declared as query
// string, header, then path].
func requiredParams(params []apimodel.Parameter) []apimodel.Parameter {
	var req []apimodel.Parameter
	for _, p := range params {
		if p.Required {
			req = append(req, p)
		}
	}
	sort.SliceStable(req, func(i, j int) bool {
		return req[i].In+"."+req[i].Name < req[j].In+"."+req[j].Name
	})
	return req
}

// missingParams names the required parameters r lacks. A parameter must
// be "included and not blank" [doc]; a value of only white space counts
// as blank [guess: the Java sense of the word]. Header names match
// case-insensitively, as HTTP requires; query and path names exactly.
func (c *Checker) missingParams(r Request) []string {
	var missing []string
	for _, p := range c.required {
		var values []string
		switch p.In {
		case "header":
			values = headerValues(r.Header, p.Name)
		case "querystring":
			values = r.Query[p.Name]
		case "path":
			if v, ok := r.PathParams[p.Name]; ok {
				values = []string{v}
			}
		default:
			continue // Compile's input is checked upstream; ignore the unknown
		}
		if blank(values) {
			missing = append(missing, p.Name)
		}
	}
	return missing
}

// headerValues returns the values of header name in any letter case,
// whether or not h's keys are in canonical form.
func headerValues(h http.Header, name string) []string {
	var values []string
	for k, v := range h {
		if strings.EqualFold(k, name) {
			values = append(values, v...)
		}
	}
	return values
}

// blank reports whether no value has anything but white space.
func blank(values []string) bool {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// mediaType lower-cases a content type and drops its parameters.
func mediaType(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

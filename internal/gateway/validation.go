package gateway

import (
	"github.com/cognatehq/cognate/internal/gateway/respond"
	"github.com/cognatehq/cognate/internal/gateway/validate"
)

// validate runs the method's request validator, after the authorizer as
// on AWS [doc]. Only a validator that checks the body makes the gateway
// read the body whole; otherwise it is streamed to the integration. It
// reports false when it has answered the request.
func (c *call) validate() bool {
	checker := c.stage.checkers[c.match.Method]
	if checker == nil {
		return true
	}
	var body []byte
	if v := c.match.Method.Validator; v != nil && v.Body {
		var ok bool
		if body, ok = c.readBody(); !ok {
			return false
		}
	}
	f := checker.Check(validate.Request{
		ContentType: c.r.Header.Get("Content-Type"),
		Body:        body,
		Header:      c.r.Header,
		Query:       c.r.URL.Query(),
		PathParams:  c.match.PathParams,
	})
	if f == nil {
		return true
	}
	msg := f.Message
	detail := f.ValidationErrorString
	if detail == "" {
		detail = f.Message
	}
	c.answer(respond.Error{Type: f.Type, Message: &msg, ValidationErrorString: f.ValidationErrorString}, 0, "validation", detail)
	return false
}

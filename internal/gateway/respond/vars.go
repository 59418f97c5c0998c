package respond

import (
	"github.com/cognatehq/cognate/internal/gateway/jsontext"

	"strconv"
	"strings"
)

// vars answers the variables a gateway response may read.
type vars struct {
	e Error
	c Context
}

// requestTimeLayout is $context.requestTime's CLF format [doc].
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

// lookup resolves a template reference path such as
// [context error messageString] or [stageVariables name].
func (v vars) lookup(path []string) (string, bool) {
	switch {
	case len(path) == 2 && path[0] == "stageVariables":
		s, ok := v.c.StageVariables[path[1]]
		return s, ok
	case len(path) >= 2 && path[0] == "context":
		return v.contextValue(path[1:])
	}
	return "", false
}

// contextValue resolves $context.<path>.
func (v vars) contextValue(path []string) (string, bool) {
	c := v.c
	if len(path) == 1 {
		switch path[0] {
		case "requestId":
			return c.RequestID, true
		case "extendedRequestId":
			return c.ExtendedRequestID, true
		case "apiId":
			return c.APIID, true
		case "stage":
			return c.Stage, true
		case "resourcePath":
			return c.ResourcePath, true
		case "resourceId":
			return c.ResourceID, true
		case "httpMethod":
			return c.HTTPMethod, true
		case "path":
			return c.Path, true
		case "domainName":
			return c.DomainName, true
		case "requestTime":
			if c.RequestTime.IsZero() {
				return "", false
			}
			return c.RequestTime.UTC().Format(requestTimeLayout), true
		case "requestTimeEpoch":
			if c.RequestTime.IsZero() {
				return "", false
			}
			return strconv.FormatInt(c.RequestTime.UnixMilli(), 10), true
		}
		return "", false
	}
	switch path[0] {
	case "identity":
		if len(path) == 2 {
			switch path[1] {
			case "sourceIp":
				return c.SourceIP, true
			case "userAgent":
				return c.UserAgent, true
			}
		}
	case "authorizer":
		// Claim names may hold dots when mapped as context.authorizer.claims.a.b.
		if len(path) >= 3 && path[1] == "claims" {
			s, ok := c.Authorizer[strings.Join(path[2:], ".")]
			return s, ok
		}
	case "error":
		if len(path) == 2 {
			return v.errorValue(path[1])
		}
	}
	return "", false
}

// errorValue resolves $context.error.<name>.
func (v vars) errorValue(name string) (string, bool) {
	switch name {
	case "message":
		if v.e.Message == nil {
			return "", true
		}
		return *v.e.Message, true
	case "messageString":
		return messageString(v.e.Message), true
	case "responseType":
		return v.e.Type, true
	case "validationErrorString":
		return v.e.ValidationErrorString, true
	}
	return "", false
}

// source resolves a responseParameters value: a static 'quoted' string,
// method.request.{header,multivalueheader,querystring,multivaluequerystring,path}.X,
// context.X or stageVariables.X.
func (v vars) source(expr string) (string, bool) {
	if len(expr) >= 2 && expr[0] == '\'' && expr[len(expr)-1] == '\'' {
		return expr[1 : len(expr)-1], true
	}
	if rest, ok := strings.CutPrefix(expr, "method.request."); ok {
		where, name, ok := strings.Cut(rest, ".")
		if !ok || name == "" {
			return "", false
		}
		return v.requestParam(where, name)
	}
	if rest, ok := strings.CutPrefix(expr, "stageVariables."); ok {
		s, found := v.c.StageVariables[rest]
		return s, found
	}
	if rest, ok := strings.CutPrefix(expr, "context."); ok {
		return v.contextValue(strings.Split(rest, "."))
	}
	return "", false
}

// requestParam reads a method request parameter. Single-valued reads take
// the last value, as the proxy event's headers and queryStringParameters
// do [obs]; multi-valued reads join with a comma [guess].
func (v vars) requestParam(where, name string) (string, bool) {
	var values []string
	switch where {
	case "header", "multivalueheader":
		values = v.c.Header.Values(name)
	case "querystring", "multivaluequerystring":
		values = v.c.Query[name]
	case "path":
		s, ok := v.c.PathParams[name]
		return s, ok
	default:
		return "", false
	}
	if len(values) == 0 {
		return "", false
	}
	if strings.HasPrefix(where, "multivalue") {
		return strings.Join(values, ","), true
	}
	return values[len(values)-1], true
}

// messageString is $context.error.messageString: the message as a JSON
// string literal, or null. It escapes only what JSON requires, as
// Jackson does (no \u003c for '<' as encoding/json would write), and
// replaces invalid UTF-8 with U+FFFD.
func messageString(m *string) string {
	if m == nil {
		return "null"
	}
	return jsontext.Quote(*m)
}

package sam

import (
	"maps"
	"slices"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

var corsKeys = map[string]bool{"AllowMethods": true, "AllowHeaders": true, "AllowOrigin": true, "MaxAge": true, "AllowCredentials": true}

// addCors adds an OPTIONS mock operation to every path that has none.
func (x *expander) addCors(a *api) {
	n := a.res.props.Get("Cors")
	if n == nil {
		return
	}
	path := a.res.path("Properties", "Cors")
	var origin, headers, methods, maxAge *template.Node
	creds := false
	if _, _, intr := n.Intrinsic(); intr || n.Kind == template.String {
		origin = n
	} else if n.Kind == template.Mapping {
		for _, f := range n.Fields {
			if !corsKeys[f.Key] {
				x.errorf(f.Value, template.JoinPath(path, f.Key), "Invalid key '%s' for 'Cors' property.", f.Key)
			}
		}
		origin, headers, methods, maxAge = n.Get("AllowOrigin"), n.Get("AllowHeaders"), n.Get("AllowMethods"), n.Get("MaxAge")
		if c := n.Get("AllowCredentials"); c != nil && c.Kind == template.Bool && c.Value == "true" {
			creds = true
		}
	} else {
		x.errorf(n, path, "Invalid value for 'Cors' property")
		return
	}
	if origin == nil || origin.Kind == template.Null {
		x.errorf(n, path, "Invalid input. Value for AllowedOrigins is required")
		return
	}
	if s, _ := origin.Text(); creds && s == "'*'" {
		x.errorf(n, path, "Unable to add Cors configuration because 'AllowCredentials' can not be true when 'AllowOrigin' is \"'*'\" or not set")
		return
	}
	done := map[string]bool{}
	for _, pf := range a.body.Get("paths").Fields {
		norm := pf.Key
		if norm != "/" {
			norm = strings.TrimRight(norm, "/")
		}
		if done[norm] {
			continue
		}
		done[norm] = true
		item := pf.Value
		if item == nil || item.Kind != template.Mapping || item.Get("options") != nil {
			continue
		}
		m := methods
		if m == nil {
			m = template.NewString("'" + allowedMethods(item) + "'")
		}
		set(item, "options", corsOperation(origin, headers, m, maxAge, creds))
	}
}

// allowedMethods is SAM's Access-Control-Allow-Methods for a path item
// when Cors gives none.
func allowedMethods(item *template.Node) string {
	if item.Get("x-amazon-apigateway-any-method") != nil {
		return "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT"
	}
	seen := map[string]bool{"OPTIONS": true}
	for _, k := range item.Keys() {
		seen[strings.ToUpper(k)] = true
	}
	ms := slices.Sorted(maps.Keys(seen))
	return strings.Join(ms, ",")
}

func corsOperation(origin, headers, methods, maxAge *template.Node, creds bool) *template.Node {
	const h = "method.response.header."
	params := obj(h+"Access-Control-Allow-Origin", origin)
	respHeaders := obj("Access-Control-Allow-Origin", obj("type", "string"))
	if nonEmpty(headers) {
		set(params, h+"Access-Control-Allow-Headers", headers)
		set(respHeaders, "Access-Control-Allow-Headers", obj("type", "string"))
	}
	if nonEmpty(methods) {
		set(params, h+"Access-Control-Allow-Methods", methods)
		set(respHeaders, "Access-Control-Allow-Methods", obj("type", "string"))
	}
	if maxAge != nil && maxAge.Kind != template.Null {
		set(params, h+"Access-Control-Max-Age", maxAge)
		set(respHeaders, "Access-Control-Max-Age", obj("type", "integer"))
	}
	if creds {
		set(params, h+"Access-Control-Allow-Credentials", template.NewString("'true'"))
		set(respHeaders, "Access-Control-Allow-Credentials", obj("type", "string"))
	}
	return obj(
		"summary", "CORS support",
		"consumes", []string{"application/json"},
		"produces", []string{"application/json"},
		"x-amazon-apigateway-integration", obj(
			"type", "mock",
			"requestTemplates", obj("application/json", "{\n  \"statusCode\" : 200\n}\n"),
			"responses", obj("default", obj(
				"statusCode", "200",
				"responseParameters", params,
				"responseTemplates", obj("application/json", "{}\n"),
			)),
		),
		"responses", obj("200", obj(
			"description", "Default response for CORS method",
			"headers", respHeaders,
		)),
	)
}

func nonEmpty(n *template.Node) bool {
	if n == nil || n.Kind == template.Null {
		return false
	}
	if n.Kind == template.String && n.Value == "" {
		return false
	}
	return true
}

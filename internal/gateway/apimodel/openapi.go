package apimodel

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// bodyCompiler reads one OpenAPI 2.0 or 3.0 body into the builder.
type bodyCompiler struct {
	b         *builder
	doc       document
	v3        bool
	schemes   map[string]*scheme
	validator map[string]*Validator
	schemas   schemaSource
}

// addBody compiles the RestApi's OpenAPI body into the builder.
func (b *builder) addBody(body json.RawMessage) {
	c := &bodyCompiler{b: b}
	// [guess] A Body written as a string holding the JSON document is
	// read as that document, as CloudFormation's Json type allows.
	var text string
	if json.Unmarshal(body, &text) == nil {
		body = json.RawMessage(text)
	}
	if err := json.Unmarshal(body, &c.doc); err != nil {
		b.errorf("API body: %v", err)
		return
	}
	switch {
	case c.doc.Swagger == "2.0":
		c.schemas = schemaSource{defs: c.doc.Definitions, resolve: pointerResolver("#/definitions/")}
	case strings.HasPrefix(c.doc.OpenAPI, "3."):
		c.v3 = true
		c.schemas = schemaSource{defs: c.doc.Components.Schemas, resolve: pointerResolver("#/components/schemas/")}
	default:
		b.errorf(`API body: neither "swagger": "2.0" nor "openapi": "3.x"`)
		return
	}
	defs := c.doc.SecurityDefinitions
	if c.v3 {
		defs = c.doc.Components.SecuritySchemes
	}
	c.schemes = compileSchemes(b, defs)
	c.validator = map[string]*Validator{}
	for name, v := range c.doc.Validators {
		c.validator[name] = &Validator{Name: name, Body: bool(v.Body), Params: bool(v.Params)}
	}
	for typ, r := range c.doc.GatewayResponses {
		b.responses[typ] = r.gatewayResponse(typ)
	}
	b.addBinary(c.doc.BinaryMediaTypes)
	for _, key := range slices.Sorted(maps.Keys(c.doc.Paths)) {
		if strings.HasPrefix(key, "x-") {
			continue // an extension of the paths object
		}
		c.addPath(key, c.doc.Paths[key])
	}
}

// addPath compiles one path item.
func (c *bodyCompiler) addPath(key string, raw json.RawMessage) {
	path := normalizePath(key)
	segs, err := ParsePath(path)
	if err != nil {
		c.b.errorf("API body: %v", err)
		return
	}
	var item map[string]json.RawMessage
	if err := json.Unmarshal(raw, &item); err != nil {
		c.b.errorf("API body: path %s: %v", key, err)
		return
	}
	var shared []json.RawMessage
	if p, ok := item["parameters"]; ok {
		if err := json.Unmarshal(p, &shared); err != nil {
			c.b.errorf("API body: path %s: parameters: %v", key, err)
			return
		}
	}
	res := c.b.resource(segs)
	for _, k := range slices.Sorted(maps.Keys(item)) {
		verb, ok := pathItemMethods[k]
		if !ok {
			continue
		}
		where := verb + " " + res.Path
		var op operation
		if err := json.Unmarshal(item[k], &op); err != nil {
			c.b.errorf("API body: %s: %v", where, err)
			continue
		}
		m, err := c.method(verb, where, shared, &op)
		if err != nil {
			c.b.errs = append(c.b.errs, err)
			continue
		}
		if _, dup := res.Methods[verb]; dup {
			c.b.warnf("%s is defined twice (path %q); the last definition is used", where, key)
		}
		res.Methods[verb] = m
	}
}

// method compiles one operation.
func (c *bodyCompiler) method(verb, where string, shared []json.RawMessage, op *operation) (*Method, error) {
	m := &Method{HTTPMethod: verb, Authorization: AuthNone}
	security := c.doc.Security
	if op.Security != nil {
		security = op.Security
	}
	if security != nil {
		if err := c.applySecurity(m, where, *security); err != nil {
			return nil, err
		}
	}
	name := c.doc.Validator
	if op.Validator != nil {
		name = *op.Validator
	}
	if name != "" {
		v, ok := c.validator[name]
		if !ok {
			return nil, fmt.Errorf("%s: request validator %q is not defined in x-amazon-apigateway-request-validators", where, name)
		}
		m.Validator = v
	}
	if err := c.parameters(m, where, shared, op); err != nil {
		return nil, err
	}
	if op.Integration == nil {
		return nil, fmt.Errorf("%s: no integration defined for method (x-amazon-apigateway-integration)", where)
	}
	m.Integration = op.Integration.integration()
	warns, err := checkIntegration(&m.Integration, where)
	if err != nil {
		return nil, err
	}
	c.b.warnings = append(c.b.warnings, warns...)
	return m, nil
}

// applySecurity applies an operation's security requirements.
// [doc] A scheme named NONE that is not defined means no authorization
// (SAM writes it for Auth.Authorizer: NONE).
func (c *bodyCompiler) applySecurity(m *Method, where string, reqs []map[string][]string) error {
	for _, req := range reqs {
		for _, name := range slices.Sorted(maps.Keys(req)) {
			s, ok := c.schemes[name]
			if !ok {
				if name == "NONE" {
					continue
				}
				return fmt.Errorf("%s: security scheme %q is not defined", where, name)
			}
			if err := applyScheme(m, s, req[name], where, c.b); err != nil {
				return err
			}
		}
	}
	return nil
}

// parameters records the declared parameters and the body schemas; the
// operation's parameters override the path item's of the same name and
// location.
func (c *bodyCompiler) parameters(m *Method, where string, shared []json.RawMessage, op *operation) error {
	var params []parameter
	index := map[string]int{}
	for _, raw := range append(slices.Clip(shared), op.Parameters...) {
		p, err := c.parameter(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		key := p.In + "\x00" + p.Name
		if i, ok := index[key]; ok {
			params[i] = p
			continue
		}
		index[key] = len(params)
		params = append(params, p)
	}
	for _, p := range params {
		switch p.In {
		case "query", "header", "path":
			in := p.In
			if in == "query" {
				in = "querystring"
			}
			m.Parameters = append(m.Parameters, Parameter{In: in, Name: p.Name, Required: bool(p.Required)})
		case "body":
			if len(p.Schema) == 0 {
				continue
			}
			types := op.Consumes
			if len(types) == 0 {
				types = c.doc.Consumes
			}
			if len(types) == 0 {
				types = []string{"application/json"}
			}
			for _, t := range types {
				if err := c.bodySchema(m, where, t, p.Schema); err != nil {
					return err
				}
			}
		}
	}
	if !c.v3 || len(op.RequestBody) == 0 {
		return nil
	}
	var rb requestBody
	if err := c.resolveRef(op.RequestBody, &rb, "#/components/requestBodies/", c.doc.Components.RequestBodies); err != nil {
		return fmt.Errorf("%s: requestBody: %w", where, err)
	}
	for _, t := range slices.Sorted(maps.Keys(rb.Content)) {
		if s := rb.Content[t].Schema; len(s) > 0 {
			if err := c.bodySchema(m, where, t, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// bodySchema records a self-contained body schema for a content type.
func (c *bodyCompiler) bodySchema(m *Method, where, contentType string, schema json.RawMessage) error {
	s, err := selfContained(schema, c.schemas)
	if err != nil {
		return fmt.Errorf("%s: body schema for %s: %w", where, contentType, err)
	}
	if m.BodySchemas == nil {
		m.BodySchemas = map[string]json.RawMessage{}
	}
	m.BodySchemas[contentType] = s
	return nil
}

// parameter decodes a parameter, following a $ref to the document's
// parameters (Swagger) or components.parameters (OpenAPI 3).
func (c *bodyCompiler) parameter(raw json.RawMessage) (parameter, error) {
	var p parameter
	prefix, defs := "#/parameters/", c.doc.Parameters
	if c.v3 {
		prefix, defs = "#/components/parameters/", c.doc.Components.Parameters
	}
	if err := c.resolveRef(raw, &p, prefix, defs); err != nil {
		return p, fmt.Errorf("parameter: %w", err)
	}
	if p.Name == "" || p.In == "" {
		return p, fmt.Errorf("parameter without name or in")
	}
	return p, nil
}

// resolveRef decodes raw into v, first following a local $ref of the form
// prefix+name into defs (a few hops at most, as references may chain).
func (c *bodyCompiler) resolveRef(raw json.RawMessage, v any, prefix string, defs map[string]json.RawMessage) error {
	for hop := 0; hop < 8; hop++ {
		var r struct {
			Ref string `json:"$ref"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		if r.Ref == "" {
			return json.Unmarshal(raw, v)
		}
		name, ok := strings.CutPrefix(r.Ref, prefix)
		next, found := defs[unescapeToken(name)]
		if !ok || !found {
			return fmt.Errorf("$ref %q is not defined", r.Ref)
		}
		raw = next
	}
	return fmt.Errorf("$ref chain too long")
}

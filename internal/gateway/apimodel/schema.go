package apimodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// schemaSource knows where a schema's references point: the named
// definitions it may carry and how a $ref names one of them.
type schemaSource struct {
	// defs are the schemas a reference may name: the Swagger document's
	// definitions, the OpenAPI 3 components.schemas, or the API's models.
	defs map[string]json.RawMessage
	// resolve splits a $ref into the definition it names and the JSON
	// pointer below it ("" or "/properties/x"); ok is false for a
	// reference that stays as it is.
	resolve func(ref string) (name, rest string, ok bool)
}

// pointerResolver resolves references of the form prefix+name+rest, the
// name being one JSON pointer token ("#/definitions/", "#/components/schemas/").
func pointerResolver(prefix string) func(string) (string, string, bool) {
	return func(ref string) (string, string, bool) {
		tail, ok := strings.CutPrefix(ref, prefix)
		if !ok || tail == "" {
			return "", "", false
		}
		token, rest, _ := strings.Cut(tail, "/")
		if rest != "" {
			rest = "/" + rest
		}
		return unescapeToken(token), rest, true
	}
}

func unescapeToken(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

func escapeToken(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}

// selfContained returns the schema as a JSON Schema draft-4 document that
// compiles alone: every definition it references, directly or through
// other definitions, is copied into its own "definitions" and the
// reference rewritten to "#/definitions/{name}". A root that is only a
// reference is replaced by the definition it names.
func selfContained(schema json.RawMessage, src schemaSource) (json.RawMessage, error) {
	root, err := decodeJSON(schema)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	c := &carrier{src: src, carried: map[string]any{}}
	if m, ok := root.(map[string]any); ok {
		if ref, ok := m["$ref"].(string); ok {
			if name, rest, ok := src.resolve(ref); ok && rest == "" {
				def, err := c.definition(name)
				if err != nil {
					return nil, err
				}
				root = copyJSON(def)
			}
		}
	}
	root, err = c.rewrite(root)
	if err != nil {
		return nil, err
	}
	for len(c.pending) > 0 {
		name := c.pending[0]
		c.pending = c.pending[1:]
		def, err := c.definition(name)
		if err != nil {
			return nil, err
		}
		def, err = c.rewrite(copyJSON(def))
		if err != nil {
			return nil, err
		}
		c.carried[name] = def
	}
	if m, ok := root.(map[string]any); ok && len(c.carried) > 0 {
		own, _ := m["definitions"].(map[string]any)
		merged := maps.Clone(c.carried)
		maps.Copy(merged, own) // the schema's own definitions win
		m["definitions"] = merged
	}
	return json.Marshal(root)
}

// carrier walks one schema, collecting the definitions it references.
type carrier struct {
	src     schemaSource
	carried map[string]any
	queued  map[string]bool
	pending []string
	decoded map[string]any
}

// definition decodes a named definition once.
func (c *carrier) definition(name string) (any, error) {
	if v, ok := c.decoded[name]; ok {
		return v, nil
	}
	raw, ok := c.src.defs[name]
	if !ok {
		return nil, fmt.Errorf("schema references %q, which is not defined", name)
	}
	v, err := decodeJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("schema %q: %w", name, err)
	}
	if c.decoded == nil {
		c.decoded = map[string]any{}
	}
	c.decoded[name] = v
	return v, nil
}

// schemaMaps are the draft-4 keywords whose value maps names to schemas;
// schemaKeys are those whose value is a schema or a list of schemas.
var (
	schemaMaps = []string{"properties", "patternProperties", "definitions", "dependencies"}
	schemaKeys = []string{"items", "additionalItems", "additionalProperties", "not", "allOf", "anyOf", "oneOf"}
)

// rewrite rewrites the references in the schema v (a fresh copy, changed
// in place) and queues the definitions they name. Only draft-4 schema
// keywords are walked, so an enum value or a property named "$ref" is
// left alone.
func (c *carrier) rewrite(v any) (any, error) {
	switch t := v.(type) {
	case []any:
		for i := range t {
			if _, err := c.rewrite(t[i]); err != nil {
				return nil, err
			}
		}
	case map[string]any:
		if ref, ok := t["$ref"].(string); ok {
			if err := c.reference(t, ref); err != nil {
				return nil, err
			}
		}
		for _, k := range schemaKeys {
			if _, err := c.rewrite(t[k]); err != nil {
				return nil, err
			}
		}
		for _, k := range schemaMaps {
			m, _ := t[k].(map[string]any)
			for _, name := range slices.Sorted(maps.Keys(m)) {
				if _, err := c.rewrite(m[name]); err != nil {
					return nil, err
				}
			}
		}
	}
	return v, nil
}

// reference rewrites one $ref of the schema object t.
func (c *carrier) reference(t map[string]any, ref string) error {
	name, rest, ok := c.src.resolve(ref)
	if !ok {
		return nil
	}
	if _, ok := c.src.defs[name]; !ok {
		return fmt.Errorf("schema references %q, which is not defined", name)
	}
	t["$ref"] = "#/definitions/" + escapeToken(name) + rest
	if c.queued == nil {
		c.queued = map[string]bool{}
	}
	if !c.queued[name] {
		c.queued[name] = true
		c.pending = append(c.pending, name)
	}
	return nil
}

// decodeJSON decodes one JSON value keeping numbers exact.
func decodeJSON(raw []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("trailing data after the schema")
	}
	return v, nil
}

// copyJSON deep-copies a decoded JSON value.
func copyJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = copyJSON(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = copyJSON(x)
		}
		return l
	}
	return v
}

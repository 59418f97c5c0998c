package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// model is one compiled body schema.
type model struct {
	schema *jsonschema.Schema
	// byLocation indexes every schema reachable from schema by its
	// Location, which validation errors carry as SchemaURL; messages
	// that need a count or a list from the schema read it here.
	byLocation map[string]*jsonschema.Schema
}

// modelURL is the base URL every model is compiled under. Relative
// references resolve against it, and nothing under it can be loaded.
const modelURL = "https://models.cognate.invalid/model.json"

// draft4URL is the meta-schema every model is compiled against.
const draft4URL = "http://json-schema.org/draft-04/schema#"

// noFormats are formats the compiler knows but fge's draft-4 library does
// not check (it knows date-time, email, hostname, ipv4, ipv6, regex and
// uri); API Gateway accepts any string for them.
var noFormats = []string{
	"date", "time", "duration", "period", "uuid", "json-pointer", "relative-json-pointer",
	"iri", "iri-reference", "uri-reference", "uri-template", "semver",
}

// noRemote refuses every load: a model may refer only to itself.
type noRemote struct{}

func (noRemote) Load(url string) (any, error) {
	return nil, fmt.Errorf("refusing to load %s: a request model may refer only to its own definitions", url)
}

// compileModel compiles one draft-4 model document.
func compileModel(raw json.RawMessage) (*model, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("schema is not JSON: %w", err)
	}
	// API Gateway models are draft 4 [doc]; whatever $schema says, the
	// model is read as draft 4.
	if obj, ok := doc.(map[string]any); ok {
		obj["$schema"] = draft4URL
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.UseLoader(noRemote{})
	for _, name := range noFormats {
		c.RegisterFormat(&jsonschema.Format{Name: name, Validate: func(any) error { return nil }})
	}
	if err := c.AddResource(modelURL, doc); err != nil {
		return nil, err
	}
	sch, err := c.Compile(modelURL)
	if err != nil {
		return nil, err
	}
	m := &model{schema: sch, byLocation: map[string]*jsonschema.Schema{}}
	index(sch, m.byLocation)
	return m, nil
}

// index records s and every schema reachable from it by Location.
func index(s *jsonschema.Schema, seen map[string]*jsonschema.Schema) {
	if s == nil || seen[s.Location] != nil {
		return
	}
	seen[s.Location] = s
	kids := []*jsonschema.Schema{s.Ref, s.Not}
	kids = append(kids, s.AllOf...)
	kids = append(kids, s.AnyOf...)
	kids = append(kids, s.OneOf...)
	for _, p := range s.Properties {
		kids = append(kids, p)
	}
	for _, p := range s.PatternProperties {
		kids = append(kids, p)
	}
	if p, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		kids = append(kids, p)
	}
	for _, d := range s.Dependencies {
		if p, ok := d.(*jsonschema.Schema); ok {
			kids = append(kids, p)
		}
	}
	switch items := s.Items.(type) {
	case *jsonschema.Schema:
		kids = append(kids, items)
	case []*jsonschema.Schema:
		kids = append(kids, items...)
	}
	if p, ok := s.AdditionalItems.(*jsonschema.Schema); ok {
		kids = append(kids, p)
	}
	for _, k := range kids {
		index(k, seen)
	}
}

// checkBody validates r's body against the model for its content type:
// the model for its media type, else the $default model, else none, in
// which case the body is not validated [doc].
func (c *Checker) checkBody(r Request) *Failure {
	if len(c.bodies) == 0 {
		return nil
	}
	ct := mediaType(r.ContentType)
	if ct == "" {
		ct = "application/json" // [doc]
	}
	m := c.bodies[ct]
	if m == nil {
		m = c.bodies["$default"]
	}
	if m == nil {
		return nil
	}
	body := bytes.TrimSpace(r.Body)
	if len(body) == 0 {
		// An absent body is validated as an empty object [emulator:
		// LocalStack does so, and its AWS-recorded tests (no body against
		// models requiring properties, or an array) fail as on AWS].
		body = []byte("{}")
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		// [guess] the wording; AWS reports Jackson's parse error here.
		return bodyFailure([]string{"instance is not valid JSON: " + err.Error()})
	}
	err = m.schema.Validate(inst)
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return bodyFailure([]string{err.Error()})
	}
	msgs := m.messages(verr, inst)
	if len(msgs) == 0 {
		// Cannot happen: an invalid instance has at least one leaf error.
		msgs = []string{verr.Error()}
	}
	return bodyFailure(msgs)
}

// bodyFailure builds a BAD_REQUEST_BODY failure listing msgs as fge's
// report prints them: "[a, b]" [obs].
func bodyFailure(msgs []string) *Failure {
	return &Failure{
		Type:                  BadRequestBody,
		Message:               invalidBody,
		ValidationErrorString: "[" + strings.Join(msgs, ", ") + "]",
	}
}

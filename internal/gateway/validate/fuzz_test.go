package validate

import (
	"encoding/json"
	"strings"
	"testing"
)

// fuzzSchema exercises every keyword the message mapping words.
const fuzzSchema = `{
  "definitions": {"leaf": {"type": ["string", "number"], "minLength": 2, "maximum": 10, "exclusiveMaximum": true}},
  "type": "object",
  "required": ["id", "tags"],
  "additionalProperties": false,
  "minProperties": 1, "maxProperties": 6,
  "dependencies": {"card": ["zip"], "zip": {"required": ["country"]}},
  "properties": {
    "id": {"type": "integer", "minimum": 1, "multipleOf": 1},
    "name": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 8, "format": "email"},
    "tags": {"type": "array", "items": {"$ref": "#/definitions/leaf"}, "minItems": 1, "maxItems": 3, "uniqueItems": true},
    "kind": {"enum": ["a", "b", {"c": [1]}]},
    "card": {"oneOf": [{"type": "string"}, {"type": "integer"}], "not": {"enum": [0]}},
    "zip": {"anyOf": [{"format": "ipv4"}, {"allOf": [{"type": "string"}, {"minLength": 5}]}]},
    "country": {"items": [{"type": "string"}], "additionalItems": false}
  }
}`

func FuzzCheckBody(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `{"id":1,"tags":["ab"]}`, `{"id":0,"tags":[1,1,"a"],"x":1}`,
		`{"id":"1","name":"ABC","kind":"z","card":true,"zip":"1.2.3"}`, `{"id":1.5e3,"tags":[],"country":["a",2]}`,
		`{"a":`, `{"id":1,"tags":["ab"]} x`, "\"\xff\"",
	} {
		f.Add(s)
	}
	c, err := Compile(bodyMethod(fuzzSchema))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := Request{ContentType: "application/json", Body: []byte(body)}
		got := c.Check(r)
		if got == nil {
			trimmed := strings.TrimSpace(body)
			if trimmed != "" && !json.Valid([]byte(trimmed)) {
				t.Fatalf("invalid JSON %q passed", body)
			}
			return
		}
		if got.Type != BadRequestBody || got.Message != "Invalid request body" {
			t.Fatalf("Check(%q) = %+v", body, got)
		}
		s := got.ValidationErrorString
		if len(s) < 3 || s[0] != '[' || s[len(s)-1] != ']' {
			t.Fatalf("validationErrorString %q is not a bracketed list", s)
		}
		// Go maps must not leak their random order into the answer.
		if again := c.Check(r); *again != *got {
			t.Fatalf("Check(%q) is not deterministic:\n%s\n%s", body, s, again.ValidationErrorString)
		}
	})
}

package validate

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

func mustCompile(t *testing.T, m *apimodel.Method) *Checker {
	t.Helper()
	c, err := Compile(m)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return c
}

// bodyMethod is a method that validates bodies against one JSON model.
func bodyMethod(schema string) *apimodel.Method {
	return &apimodel.Method{
		Validator:   &apimodel.Validator{Name: "body-only", Body: true},
		BodySchemas: map[string]json.RawMessage{"application/json": json.RawMessage(schema)},
	}
}

func TestCompileNothingToCheck(t *testing.T) {
	tests := map[string]*apimodel.Method{
		"nil method":   nil,
		"no validator": {Parameters: []apimodel.Parameter{{In: "header", Name: "a", Required: true}}},
		"params validator, nothing required": {
			Validator:  &apimodel.Validator{Params: true},
			Parameters: []apimodel.Parameter{{In: "header", Name: "a"}},
		},
		"body validator, no model": {Validator: &apimodel.Validator{Body: true}},
		"validator checks nothing": {
			Validator:   &apimodel.Validator{},
			Parameters:  []apimodel.Parameter{{In: "header", Name: "a", Required: true}},
			BodySchemas: map[string]json.RawMessage{"application/json": json.RawMessage(`{"type":"object"}`)},
		},
	}
	for name, m := range tests {
		t.Run(name, func(t *testing.T) {
			c := mustCompile(t, m)
			if c != nil {
				t.Fatalf("Compile = %+v, want nil", c)
			}
			if f := c.Check(Request{Body: []byte("not json")}); f != nil {
				t.Errorf("nil Checker failed a request: %+v", f)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := map[string]string{
		"not JSON":            `{"type":`,
		"remote ref":          `{"$ref":"https://example.com/schema.json"}`,
		"remote ref deep":     `{"properties":{"a":{"$ref":"http://example.com/a.json#/x"}}}`,
		"file ref":            `{"$ref":"file:///etc/passwd"}`,
		"relative ref":        `{"$ref":"other.json"}`,
		"apigateway model":    `{"$ref":"https://apigateway.amazonaws.com/restapis/abc/models/Pet"}`,
		"unknown local ref":   `{"$ref":"#/definitions/nope"}`,
		"bad type":            `{"type":"strin"}`,
		"draft 6 number form": `{"exclusiveMinimum":3}`,
		"bad regex":           `{"pattern":"("}`,
	}
	for name, schema := range tests {
		t.Run(name, func(t *testing.T) {
			if c, err := Compile(bodyMethod(schema)); err == nil {
				t.Fatalf("Compile(%s) = %v, nil; want an error", schema, c)
			}
		})
	}
}

func paramsMethod() *apimodel.Method {
	// Declared as AWS's recorded test declares them: path, query, header.
	return &apimodel.Method{
		Validator: &apimodel.Validator{Name: "body-and-params", Params: true, Body: true},
		Parameters: []apimodel.Parameter{
			{In: "path", Name: "issuer", Required: true},
			{In: "querystring", Name: "qs1", Required: true},
			{In: "header", Name: "x-header-param", Required: true},
			{In: "querystring", Name: "optional"},
		},
		BodySchemas: map[string]json.RawMessage{"application/json": json.RawMessage(`{"type":"object","required":["a"]}`)},
	}
}

func TestCheckParams(t *testing.T) {
	c := mustCompile(t, paramsMethod())
	full := func() Request {
		return Request{
			Header:     http.Header{"X-Header-Param": {"v"}},
			Query:      url.Values{"qs1": {"v"}},
			PathParams: map[string]string{"issuer": "i"},
			Body:       []byte(`{"a":1}`),
		}
	}
	tests := []struct {
		name string
		edit func(*Request)
		want string // "" for a pass
	}{
		{"all present", func(*Request) {}, ""},
		{"all missing, AWS's order", func(r *Request) { *r = Request{Body: []byte(`{"test":"test"}`)} },
			"Missing required request parameters: [x-header-param, issuer, qs1]"},
		{"header missing", func(r *Request) { r.Header = nil }, "Missing required request parameters: [x-header-param]"},
		{"header name in another case", func(r *Request) { r.Header = http.Header{}; r.Header["x-header-param"] = []string{"v"} }, ""},
		{"header blank", func(r *Request) { r.Header.Set("X-Header-Param", "") }, "Missing required request parameters: [x-header-param]"},
		{"header white space", func(r *Request) { r.Header.Set("X-Header-Param", " \t") }, "Missing required request parameters: [x-header-param]"},
		{"header one value non-blank", func(r *Request) { r.Header.Add("X-Header-Param", "") }, ""},
		{"query empty", func(r *Request) { r.Query.Set("qs1", "") }, "Missing required request parameters: [qs1]"},
		{"query case matters", func(r *Request) { r.Query = url.Values{"QS1": {"v"}} }, "Missing required request parameters: [qs1]"},
		{"path empty", func(r *Request) { r.PathParams["issuer"] = "" }, "Missing required request parameters: [issuer]"},
		{"params before body", func(r *Request) { r.Query = nil; r.Body = []byte(`[]`) }, "Missing required request parameters: [qs1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := full()
			tc.edit(&r)
			f := c.Check(r)
			switch {
			case tc.want == "" && f != nil:
				t.Fatalf("Check = %+v, want pass", f)
			case tc.want != "" && f == nil:
				t.Fatalf("Check passed, want %q", tc.want)
			case f != nil && (f.Type != BadRequestParameters || f.Message != tc.want || f.ValidationErrorString != ""):
				t.Fatalf("Check = %+v, want %s %q", f, BadRequestParameters, tc.want)
			}
		})
	}
}

func TestCheckParamsOnlyIgnoresBody(t *testing.T) {
	m := paramsMethod()
	m.Validator.Body = false
	c := mustCompile(t, m)
	r := Request{
		Header:     http.Header{"X-Header-Param": {"v"}},
		Query:      url.Values{"qs1": {"v"}},
		PathParams: map[string]string{"issuer": "i"},
		Body:       []byte(`not json`),
	}
	if f := c.Check(r); f != nil {
		t.Fatalf("params-only validator checked the body: %+v", f)
	}
}

func TestCheckModelSelection(t *testing.T) {
	m := &apimodel.Method{
		Validator: &apimodel.Validator{Body: true},
		BodySchemas: map[string]json.RawMessage{
			"application/json":      json.RawMessage(`{"type":"object"}`),
			"Text/Plain; charset=x": json.RawMessage(`{"type":"string"}`),
		},
	}
	c := mustCompile(t, m)
	withDefault := &apimodel.Method{Validator: m.Validator, BodySchemas: map[string]json.RawMessage{
		"application/json": m.BodySchemas["application/json"],
		"$default":         json.RawMessage(`{"type":"array"}`),
	}}
	d := mustCompile(t, withDefault)
	tests := []struct {
		name        string
		c           *Checker
		contentType string
		body        string
		fail        bool
	}{
		{"json matches", c, "application/json", `{}`, false},
		{"json mismatch", c, "application/json", `"s"`, true},
		{"no content type means json", c, "", `"s"`, true},
		{"parameters and case ignored", c, "Application/JSON; charset=utf-8", `"s"`, true},
		{"model key normalised", c, "text/plain", `"s"`, false},
		{"model key normalised, mismatch", c, "text/plain", `{}`, true},
		{"no model, no validation", c, "application/xml", `<x/>`, false},
		{"$default catches the rest", d, "application/xml", `{}`, true},
		{"$default passes", d, "application/xml", `[]`, false},
		{"exact match beats $default", d, "application/json", `{}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.c.Check(Request{ContentType: tc.contentType, Body: []byte(tc.body)})
			if (f != nil) != tc.fail {
				t.Fatalf("Check = %+v, want failure %v", f, tc.fail)
			}
		})
	}
}

func TestCheckBodyMessages(t *testing.T) {
	tests := []struct {
		name, schema, body, want string // want "" for a pass
	}{
		{"valid", `{"type":"object","required":["message"]}`, `{"message":"hi"}`, ""},
		{"required (obs)", `{"type":"object","required":["message"]}`, `{"other":1}`,
			`[object has missing required properties (["message"])]`},
		{"required in schema order", `{"required":["b","a","c"]}`, `{"c":1}`,
			`[object has missing required properties (["b","a"])]`},
		{"empty body is an empty object", `{"type":"object","required":["a","b"]}`, ``,
			`[object has missing required properties (["a","b"])]`},
		{"empty body passes the Empty model", `{"$schema":"http://json-schema.org/draft-04/schema#","title":"Empty Schema","type":"object"}`, ``, ""},
		{"empty body fails an array model", `{"type":"array"}`, "  \n",
			`[instance type (object) does not match any allowed primitive type (allowed: ["array"])]`},
		{"type", `{"properties":{"n":{"type":"integer"}}}`, `{"n":"x"}`,
			`[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]`},
		{"type number allows integer (obs)", `{"type":"number"}`, `"100"`,
			`[instance type (string) does not match any allowed primitive type (allowed: ["integer","number"])]`},
		{"type list in fge order", `{"type":["string","null","boolean"]}`, `{}`,
			`[instance type (object) does not match any allowed primitive type (allowed: ["boolean","null","string"])]`},
		{"decimal is a number", `{"type":"string"}`, `1.5`,
			`[instance type (number) does not match any allowed primitive type (allowed: ["string"])]`},
		{"null", `{"type":"string"}`, `null`,
			`[instance type (null) does not match any allowed primitive type (allowed: ["string"])]`},
		{"minLength", `{"minLength":3}`, `"ab"`, `[string "ab" is too short (length: 2, required minimum: 3)]`},
		{"minLength counts code points", `{"minLength":3}`, `"é😀"`, `[string "é😀" is too short (length: 2, required minimum: 3)]`},
		{"maxLength", `{"maxLength":2}`, `"abc"`, `[string "abc" is too long (length: 3, maximum allowed: 2)]`},
		{"pattern", `{"pattern":"^[a-z]+$"}`, `"AB1"`, `[ECMA 262 regex "^[a-z]+$" does not match input string "AB1"]`},
		{"enum", `{"enum":["a","b",1]}`, `"c"`, `[instance value ("c") not found in enum (possible values: ["a","b",1])]`},
		{"enum object value", `{"enum":[{"a":1}]}`, `{"b":[true,null]}`,
			`[instance value ({"b":[true,null]}) not found in enum (possible values: [{"a":1}])]`},
		{"additionalProperties", `{"properties":{"a":{}},"patternProperties":{"^x-":{}},"additionalProperties":false}`,
			`{"a":1,"z":2,"x-ok":3,"b":4}`, `[object instance has properties which are not allowed by the schema: ["b","z"]]`},
		{"minItems", `{"minItems":2}`, `[1]`, `[array is too short: must have at least 2 elements but instance has 1 elements]`},
		{"maxItems", `{"maxItems":1}`, `[1,2]`, `[array is too long: must have at most 1 elements but instance has 2 elements]`},
		{"uniqueItems", `{"uniqueItems":true}`, `[1,2,1]`, `[array must not contain duplicate elements]`},
		{"additionalItems", `{"items":[{},{}],"additionalItems":false}`, `[1,2,3,4]`,
			`[schema only allows 2 elements in array but instance has 4 elements]`},
		{"minimum", `{"minimum":3}`, `1`, `[numeric instance is lower than the required minimum (minimum: 3, found: 1)]`},
		{"minimum decimal", `{"minimum":2.5}`, `1.25`, `[numeric instance is lower than the required minimum (minimum: 2.5, found: 1.25)]`},
		{"minimum equal passes", `{"minimum":3}`, `3`, ""},
		{"exclusiveMinimum equal (draft 4 boolean)", `{"minimum":3,"exclusiveMinimum":true}`, `3`,
			`[numeric instance is not strictly greater than the required minimum 3]`},
		{"exclusiveMinimum below", `{"minimum":3,"exclusiveMinimum":true}`, `2`,
			`[numeric instance is lower than the required minimum (minimum: 3, found: 2)]`},
		{"maximum", `{"maximum":3}`, `4`, `[numeric instance is greater than the required maximum (maximum: 3, found: 4)]`},
		{"exclusiveMaximum equal", `{"maximum":3,"exclusiveMaximum":true}`, `3`,
			`[numeric instance is not strictly lower than the required maximum 3]`},
		{"multipleOf", `{"multipleOf":2}`, `3`, `[remainder of division is not zero (3 / 2)]`},
		{"dependencies", `{"dependencies":{"card":["billing","zip"]}}`, `{"card":1,"zip":2}`,
			`[property "card" of object has missing property dependencies (schema requires ["billing","zip"]; missing: ["billing"])]`},
		{"schema dependency reports its errors", `{"dependencies":{"card":{"required":["cvv"]}}}`, `{"card":1}`,
			`[object has missing required properties (["cvv"])]`},
		{"allOf", `{"allOf":[{"type":"string"},{"minLength":5},{"maxLength":1}]}`, `"abc"`,
			`[instance failed to match all required schemas (matched only 1 out of 3)]`},
		{"anyOf", `{"anyOf":[{"type":"string"},{"type":"integer"}]}`, `true`,
			`[instance failed to match at least one required schema among 2]`},
		{"oneOf none", `{"oneOf":[{"type":"string"},{"type":"integer"}]}`, `true`,
			`[instance failed to match exactly one schema (matched 0 out of 2)]`},
		{"oneOf several", `{"oneOf":[{"type":"integer"},{"minimum":1},{"maximum":9}]}`, `5`,
			`[instance failed to match exactly one schema (matched 3 out of 3)]`},
		{"not", `{"not":{"type":"string"}}`, `"s"`, `[instance matched a schema which it should not have]`},
		{"format date-time", `{"format":"date-time"}`, `"yesterday"`,
			`[string "yesterday" is invalid against requested date format(s) ["yyyy-MM-dd'T'HH:mm:ssZ","yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z"]]`},
		{"format email", `{"format":"email"}`, `"nope"`, `[string "nope" is not a valid email address]`},
		{"format ipv4", `{"format":"ipv4"}`, `"1.2.3"`, `[string "1.2.3" is not a valid IPv4 address]`},
		{"format fge does not know passes", `{"format":"uuid"}`, `"not-a-uuid"`, ""},
		{"unknown format passes", `{"format":"mine"}`, `"x"`, ""},
		{"local ref", `{"definitions":{"pet":{"type":"object","required":["name"]}},"type":"array","items":{"$ref":"#/definitions/pet"}}`,
			`[{"name":"a"},{}]`, `[object has missing required properties (["name"])]`},
		{"draft 7 $schema read as draft 4", `{"$schema":"http://json-schema.org/draft-07/schema#","minimum":1,"exclusiveMinimum":true}`, `1`,
			`[numeric instance is not strictly greater than the required minimum 1]`},
		{"not JSON", `{}`, `{"a":`, ""}, // checked below: any failure text
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCompile(t, bodyMethod(tc.schema))
			f := c.Check(Request{ContentType: "application/json", Body: []byte(tc.body)})
			if tc.name == "not JSON" {
				if f == nil || f.Type != BadRequestBody || f.Message != "Invalid request body" || !strings.HasPrefix(f.ValidationErrorString, "[") {
					t.Fatalf("Check = %+v, want an invalid body", f)
				}
				return
			}
			if tc.want == "" {
				if f != nil {
					t.Fatalf("Check = %+v, want pass", f)
				}
				return
			}
			if f == nil {
				t.Fatalf("Check passed, want %s", tc.want)
			}
			if f.Type != BadRequestBody || f.Message != "Invalid request body" {
				t.Errorf("Check = %s %q, want BAD_REQUEST_BODY \"Invalid request body\"", f.Type, f.Message)
			}
			if f.ValidationErrorString != tc.want {
				t.Errorf("validationErrorString:\n got %s\nwant %s", f.ValidationErrorString, tc.want)
			}
		})
	}
}

func TestCheckBodyInvalidJSON(t *testing.T) {
	c := mustCompile(t, bodyMethod(`{}`))
	for _, body := range []string{`{"a":`, `{"a":1} trailing`, `nul`, `{'a':1}`, "\xff"} {
		if f := c.Check(Request{Body: []byte(body)}); f == nil || f.Type != BadRequestBody {
			t.Errorf("Check(%q) = %+v, want BAD_REQUEST_BODY", body, f)
		}
	}
}

func TestCheckBodyFgeOrder(t *testing.T) {
	tests := []struct {
		name, schema, body, want string
	}{
		{"siblings in name order",
			`{"properties":{"b":{"type":"string"},"a":{"type":"integer"}}}`, `{"b":1,"a":"x"}`,
			`[instance type (string) does not match any allowed primitive type (allowed: ["integer"]), ` +
				`instance type (integer) does not match any allowed primitive type (allowed: ["string"])]`},
		{"keywords of one value in name order",
			`{"required":["z"],"minProperties":3,"additionalProperties":false}`, `{"a":1}`,
			`[object instance has properties which are not allowed by the schema: ["a"], ` +
				`object has too few properties (found 1 but schema requires at least 3), ` +
				`object has missing required properties (["z"])]`},
		{"a failing object is not entered",
			`{"required":["c"],"properties":{"a":{"type":"integer"}}}`, `{"a":"x"}`,
			`[object has missing required properties (["c"])]`},
		{"later siblings still checked, later containers not entered",
			`{"properties":{"a":{"properties":{"x":{"type":"string"}}},"b":{"properties":{"y":{"type":"string"}}},"c":{"type":"string"}}}`,
			`{"a":{"x":1},"b":{"y":1},"c":1}`,
			`[instance type (integer) does not match any allowed primitive type (allowed: ["string"]), ` +
				`instance type (integer) does not match any allowed primitive type (allowed: ["string"])]`},
		{"array elements by index, not by text",
			`{"items":{"type":"string"}}`, `[0,1,2,3,4,5,6,7,8,9,"s",11]`,
			`[` + strings.Repeat(`instance type (integer) does not match any allowed primitive type (allowed: ["string"]), `, 10) +
				`instance type (integer) does not match any allowed primitive type (allowed: ["string"])]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCompile(t, bodyMethod(tc.schema))
			f := c.Check(Request{Body: []byte(tc.body)})
			if f == nil {
				t.Fatalf("Check passed, want %s", tc.want)
			}
			if f.ValidationErrorString != tc.want {
				t.Errorf("validationErrorString:\n got %s\nwant %s", f.ValidationErrorString, tc.want)
			}
		})
	}
}

func TestCheckerConcurrentUse(t *testing.T) {
	c := mustCompile(t, bodyMethod(`{"type":"object","required":["a"],"properties":{"a":{"oneOf":[{"type":"string"},{"type":"integer"}]}}}`))
	done := make(chan bool)
	for i := 0; i < 8; i++ {
		go func() {
			for j := 0; j < 50; j++ {
				if c.Check(Request{Body: []byte(`{"a":true}`)}) == nil || c.Check(Request{Body: []byte(`{"a":1}`)}) != nil {
					done <- false
					return
				}
			}
			done <- true
		}()
	}
	for i := 0; i < 8; i++ {
		if !<-done {
			t.Fatal("concurrent Check gave a wrong answer")
		}
	}
}

func TestCheckBodyAllKeywordsOfAValue(t *testing.T) {
	// fge runs every keyword of a schema; the validator under it stops at
	// the first of type, const, enum and format, so the rest is recovered.
	tests := []struct {
		name, schema, body, want string
	}{
		{"enum and type",
			`{"type":"string","enum":["a","b"]}`, `5`,
			`[instance value (5) not found in enum (possible values: ["a","b"]), ` +
				`instance type (integer) does not match any allowed primitive type (allowed: ["string"])]`},
		{"type and the actual type's keywords",
			`{"type":"integer","minLength":5,"minimum":1}`, `"abc"`,
			`[string "abc" is too short (length: 3, required minimum: 5), ` +
				`instance type (string) does not match any allowed primitive type (allowed: ["integer"])]`},
		{"type, enum, format and a combinator",
			`{"type":"integer","enum":["x"],"format":"email","anyOf":[{"maxLength":1}]}`, `"abc"`,
			`[instance failed to match at least one required schema among 1, ` +
				`instance value ("abc") not found in enum (possible values: ["x"]), ` +
				`string "abc" is not a valid email address, ` +
				`instance type (string) does not match any allowed primitive type (allowed: ["integer"])]`},
		{"nested value",
			`{"properties":{"a":{"type":"object","required":["z"],"enum":[{"z":1}]}}}`, `{"a":{"y":1}}`,
			`[instance value ({"y":1}) not found in enum (possible values: [{"z":1}]), ` +
				`object has missing required properties (["z"])]`},
		{"a type failure still stops descent",
			`{"type":"array","properties":{"a":{"type":"string"}}}`, `{"a":1}`,
			`[instance type (object) does not match any allowed primitive type (allowed: ["array"])]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCompile(t, bodyMethod(tc.schema))
			f := c.Check(Request{Body: []byte(tc.body)})
			if f == nil {
				t.Fatalf("Check passed, want %s", tc.want)
			}
			if f.ValidationErrorString != tc.want {
				t.Errorf("validationErrorString:\n got %s\nwant %s", f.ValidationErrorString, tc.want)
			}
		})
	}
}

package validate

import (
	"fmt"
	"math/big"
	"slices"
	"sort"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// finding is one schema error, worded as fge words it.
type finding struct {
	path    []string // instance location
	keyword string   // the keyword fge files it under; orders a node's errors
	text    string
}

// messages turns the validator's error tree into fge's list of messages,
// in fge's order (see order.go).
func (m *model) messages(root *jsonschema.ValidationError, inst any) []string {
	var fs []finding
	m.collect(root, inst, &fs)
	return fgeOrder(fs, inst)
}

// collect walks the error tree down to the errors fge would report.
// Wrappers (the root, groups of sibling errors, $ref) are looked through;
// allOf, anyOf, oneOf and not are reported as one message each, without
// the errors of their branches, as fge does.
func (m *model) collect(e *jsonschema.ValidationError, inst any, out *[]finding) {
	switch e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference:
		for _, c := range e.Causes {
			m.collect(c, inst, out)
		}
		return
	}
	*out = append(*out, m.finding(e, inst))
	if stopsValue(e.ErrorKind) {
		m.siblings(e, inst, out)
	}
}

// english prints the compiler's own wording for the rare kinds fge has no
// message for.
var english = message.NewPrinter(language.English)

// dateTimeFormats are the patterns fge names in its date-time message.
const dateTimeFormats = `["yyyy-MM-dd'T'HH:mm:ssZ","yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z"]`

// finding words one error. The wording of each message is fge's
// (validation.properties of java-json-tools/json-schema-validator); only
// the object-has-missing-required-properties one is [obs] on AWS, and the
// type one [obs] in a captured AWS answer; the others are the same
// library's and assumed [guess] to reach AWS unchanged.
func (m *model) finding(e *jsonschema.ValidationError, inst any) finding {
	path := e.InstanceLocation
	value := valueAt(inst, path)
	f := finding{path: path}
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		f.keyword = "type"
		f.text = fmt.Sprintf("instance type (%s) does not match any allowed primitive type (allowed: %s)",
			fgeType(value), compactJSON(allowedTypes(k.Want)))
	case *kind.Enum:
		f.keyword = "enum"
		f.text = fmt.Sprintf("instance value (%s) not found in enum (possible values: %s)",
			compactJSON(value), compactJSON(k.Want))
	case *kind.Required:
		f.keyword = "required"
		f.text = fmt.Sprintf("object has missing required properties (%s)", compactJSON(k.Missing))
	case *kind.AdditionalProperties:
		f.keyword = "additionalProperties"
		props := slices.Clone(k.Properties)
		sort.Strings(props)
		f.text = "object instance has properties which are not allowed by the schema: " + compactJSON(props)
	case *kind.MinProperties:
		f.keyword = "minProperties"
		f.text = fmt.Sprintf("object has too few properties (found %d but schema requires at least %d)", k.Got, k.Want)
	case *kind.MaxProperties:
		f.keyword = "maxProperties"
		f.text = fmt.Sprintf("object has too many properties (found %d but schema requires at most %d)", k.Got, k.Want)
	case *kind.MinItems:
		f.keyword = "minItems"
		f.text = fmt.Sprintf("array is too short: must have at least %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.MaxItems:
		f.keyword = "maxItems"
		f.text = fmt.Sprintf("array is too long: must have at most %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.AdditionalItems:
		f.keyword = "additionalItems"
		n := len(asArray(value))
		f.text = fmt.Sprintf("schema only allows %d elements in array but instance has %d elements", n-k.Count, n)
	case *kind.UniqueItems:
		f.keyword = "uniqueItems"
		f.text = "array must not contain duplicate elements"
	case *kind.MinLength:
		f.keyword = "minLength"
		f.text = fmt.Sprintf(`string "%s" is too short (length: %d, required minimum: %d)`, asString(value), k.Got, k.Want)
	case *kind.MaxLength:
		f.keyword = "maxLength"
		f.text = fmt.Sprintf(`string "%s" is too long (length: %d, maximum allowed: %d)`, asString(value), k.Got, k.Want)
	case *kind.Pattern:
		f.keyword = "pattern"
		f.text = fmt.Sprintf(`ECMA 262 regex "%s" does not match input string "%s"`, k.Want, k.Got)
	case *kind.Minimum:
		f.keyword = "minimum"
		f.text = tooSmall(k.Want, value)
	case *kind.ExclusiveMinimum:
		f.keyword = "minimum"
		if k.Got.Cmp(k.Want) < 0 {
			f.text = tooSmall(k.Want, value)
		} else {
			f.text = "numeric instance is not strictly greater than the required minimum " + ratString(k.Want)
		}
	case *kind.Maximum:
		f.keyword = "maximum"
		f.text = tooLarge(k.Want, value)
	case *kind.ExclusiveMaximum:
		f.keyword = "maximum"
		if k.Got.Cmp(k.Want) > 0 {
			f.text = tooLarge(k.Want, value)
		} else {
			f.text = "numeric instance is not strictly lower than the required maximum " + ratString(k.Want)
		}
	case *kind.MultipleOf:
		f.keyword = "multipleOf"
		f.text = fmt.Sprintf("remainder of division is not zero (%s / %s)", compactJSON(value), ratString(k.Want))
	case *kind.Dependency:
		f.keyword = "dependencies"
		var requires []string
		if s := m.byLocation[e.SchemaURL]; s != nil {
			requires, _ = s.Dependencies[k.Prop].([]string)
		}
		f.text = fmt.Sprintf(`property "%s" of object has missing property dependencies (schema requires %s; missing: %s)`,
			k.Prop, compactJSON(requires), compactJSON(k.Missing))
	case *kind.Not:
		f.keyword = "not"
		f.text = "instance matched a schema which it should not have"
	case *kind.AllOf:
		f.keyword = "allOf"
		subs := m.subschemas(e, func(s *jsonschema.Schema) []*jsonschema.Schema { return s.AllOf })
		f.text = fmt.Sprintf("instance failed to match all required schemas (matched only %d out of %d)", matching(subs, value), len(subs))
	case *kind.AnyOf:
		f.keyword = "anyOf"
		subs := m.subschemas(e, func(s *jsonschema.Schema) []*jsonschema.Schema { return s.AnyOf })
		f.text = fmt.Sprintf("instance failed to match at least one required schema among %d", len(subs))
	case *kind.OneOf:
		f.keyword = "oneOf"
		subs := m.subschemas(e, func(s *jsonschema.Schema) []*jsonschema.Schema { return s.OneOf })
		f.text = fmt.Sprintf("instance failed to match exactly one schema (matched %d out of %d)", matching(subs, value), len(subs))
	case *kind.Format:
		f.keyword = "format"
		f.text = formatMessage(k.Want, asString(value))
	default:
		f.keyword = "~" // after every keyword
		f.text = e.ErrorKind.LocalizedString(english)
	}
	return f
}

// subschemas returns the branches of the combinator that failed in e.
func (m *model) subschemas(e *jsonschema.ValidationError, get func(*jsonschema.Schema) []*jsonschema.Schema) []*jsonschema.Schema {
	if s := m.byLocation[e.SchemaURL]; s != nil {
		return get(s)
	}
	return nil
}

// matching counts the schemas value is valid against.
func matching(subs []*jsonschema.Schema, value any) int {
	n := 0
	for _, s := range subs {
		if s.Validate(value) == nil {
			n++
		}
	}
	return n
}

func tooSmall(min *big.Rat, value any) string {
	return fmt.Sprintf("numeric instance is lower than the required minimum (minimum: %s, found: %s)", ratString(min), compactJSON(value))
}

func tooLarge(max *big.Rat, value any) string {
	return fmt.Sprintf("numeric instance is greater than the required maximum (maximum: %s, found: %s)", ratString(max), compactJSON(value))
}

// formatMessage words a failed draft-4 format.
func formatMessage(format, s string) string {
	switch format {
	case "date-time":
		return fmt.Sprintf(`string "%s" is invalid against requested date format(s) %s`, s, dateTimeFormats)
	case "email":
		return fmt.Sprintf(`string "%s" is not a valid email address`, s)
	case "hostname":
		return fmt.Sprintf(`string "%s" is not a valid hostname`, s)
	case "ipv4":
		return fmt.Sprintf(`string "%s" is not a valid IPv4 address`, s)
	case "ipv6":
		return fmt.Sprintf(`string "%s" is not a valid IPv6 address`, s)
	case "uri":
		return fmt.Sprintf(`string "%s" is not a valid URI`, s)
	case "regex":
		return fmt.Sprintf(`string "%s" is not a valid ECMA 262 regular expression`, s)
	}
	return fmt.Sprintf(`string "%s" is not a valid %s`, s, format)
}

// fgeTypeOrder is fge's order of primitive types (its NodeType enum),
// which its type message lists them in.
var fgeTypeOrder = []string{"array", "boolean", "integer", "null", "number", "object", "string"}

// allowedTypes lists a type keyword's types as fge does: "number"
// implies "integer", and the list is in fgeTypeOrder [obs: AWS answered
// (allowed: ["integer","number"]) for type number].
func allowedTypes(want []string) []string {
	set := map[string]bool{}
	for _, w := range want {
		set[w] = true
	}
	if set["number"] {
		set["integer"] = true
	}
	var out []string
	for _, t := range fgeTypeOrder {
		if set[t] {
			out = append(out, t)
		}
	}
	return out
}

package template

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Pos is a position in a template's source: a 1-based line and a 1-based
// column counted in characters. A zero Line means the position is unknown
// (a value that a function computed, say); a zero Column means only the
// line is known (the YAML library reports syntax errors by line).
type Pos struct {
	Line, Column int
}

// IsValid reports whether p names a place in the source.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats p as "line:column", "line", or "-" when unknown.
func (p Pos) String() string {
	switch {
	case p.Line <= 0:
		return "-"
	case p.Column <= 0:
		return strconv.Itoa(p.Line)
	default:
		return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
	}
}

// Kind is the JSON type of a Node.
type Kind uint8

// The kinds of Node. They are JSON's types: a template, in either syntax,
// is a JSON document once short-form tags are expanded.
const (
	Null Kind = iota
	Bool
	Number
	String
	Sequence
	Mapping
)

var kindNames = [...]string{"null", "boolean", "number", "string", "list", "object"}

// String names k as CloudFormation's error messages do.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// IsScalar reports whether k is a string, number or boolean: the kinds
// CloudFormation turns into strings where a string is expected.
func (k Kind) IsScalar() bool { return k == Bool || k == Number || k == String }

// Node is one value of a template with the position it was read from.
// Mappings keep their keys in source order, and the keys are unique.
type Node struct {
	Kind Kind
	Pos  Pos
	// Value holds a String's text, a Number's JSON text (YAML integers in
	// decimal) and a Bool's "true" or "false".
	Value string
	// Items holds a Sequence's elements.
	Items []*Node
	// Fields holds a Mapping's members in source order.
	Fields []Field
}

// Field is one member of a Mapping node.
type Field struct {
	Key    string
	KeyPos Pos
	Value  *Node
}

// NewString returns a String node.
func NewString(s string) *Node { return &Node{Kind: String, Value: s} }

// NewStringList returns a Sequence of String nodes.
func NewStringList(ss []string) *Node {
	n := &Node{Kind: Sequence, Items: make([]*Node, len(ss))}
	for i, s := range ss {
		n.Items[i] = NewString(s)
	}
	return n
}

// NewBool returns a Bool node.
func NewBool(b bool) *Node { return &Node{Kind: Bool, Value: strconv.FormatBool(b)} }

// NewInt returns a Number node holding i.
func NewInt(i int) *Node { return &Node{Kind: Number, Value: strconv.Itoa(i)} }

// FromValue converts a value as encoding/json decodes it (nil, bool,
// float64, json.Number, string, []any, map[string]any) into a Node.
// Map keys are sorted, as encoding/json writes them. Other types are an
// error.
func FromValue(v any) (*Node, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("template: value has no JSON form: %w", err)
	}
	n, errs, _ := readJSON(b)
	if len(errs) > 0 {
		return nil, errs
	}
	clearPos(n)
	return n, nil
}

func clearPos(n *Node) {
	n.Pos = Pos{}
	for _, it := range n.Items {
		clearPos(it)
	}
	for i := range n.Fields {
		n.Fields[i].KeyPos = Pos{}
		clearPos(n.Fields[i].Value)
	}
}

// Get returns the value of key in a Mapping, or nil when n is not a
// Mapping or has no such key.
func (n *Node) Get(key string) *Node {
	if f, ok := n.Field(key); ok {
		return f.Value
	}
	return nil
}

// Field returns the member of a Mapping named key.
func (n *Node) Field(key string) (Field, bool) {
	if n == nil || n.Kind != Mapping {
		return Field{}, false
	}
	for _, f := range n.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Keys returns a Mapping's keys in source order.
func (n *Node) Keys() []string {
	if n == nil || n.Kind != Mapping {
		return nil
	}
	keys := make([]string, len(n.Fields))
	for i, f := range n.Fields {
		keys[i] = f.Key
	}
	return keys
}

// Intrinsic reports whether n is an intrinsic function call in long form:
// a Mapping with exactly one key that is "Ref", "Condition" or starts with
// "Fn::". It returns the function's name and its argument. Whether a
// one-key {"Condition": ...} is a call depends on where it stands, which
// the evaluator decides.
func (n *Node) Intrinsic() (name string, arg *Node, ok bool) {
	if n == nil || n.Kind != Mapping || len(n.Fields) != 1 {
		return "", nil, false
	}
	k := n.Fields[0].Key
	if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
		return k, n.Fields[0].Value, true
	}
	return "", nil, false
}

// Text returns a scalar's value as CloudFormation turns it into a string:
// a String's text, a Number's digits, "true" or "false". ok is false for
// null, lists and objects.
func (n *Node) Text() (s string, ok bool) {
	if n == nil || !n.Kind.IsScalar() {
		return "", false
	}
	return n.Value, true
}

// Clone returns a deep copy of n.
func (n *Node) Clone() *Node {
	if n == nil {
		return nil
	}
	c := *n
	if n.Items != nil {
		c.Items = make([]*Node, len(n.Items))
		for i, it := range n.Items {
			c.Items[i] = it.Clone()
		}
	}
	if n.Fields != nil {
		c.Fields = make([]Field, len(n.Fields))
		for i, f := range n.Fields {
			c.Fields[i] = Field{Key: f.Key, KeyPos: f.KeyPos, Value: f.Value.Clone()}
		}
	}
	return &c
}

// Equal reports whether a and b hold the same JSON value; positions are
// ignored, and so is the order of a Mapping's keys. Numbers compare by
// their text.
func Equal(a, b *Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case Sequence:
		if len(a.Items) != len(b.Items) {
			return false
		}
		for i := range a.Items {
			if !Equal(a.Items[i], b.Items[i]) {
				return false
			}
		}
		return true
	case Mapping:
		if len(a.Fields) != len(b.Fields) {
			return false
		}
		index := make(map[string]*Node, len(b.Fields))
		for _, f := range b.Fields {
			index[f.Key] = f.Value
		}
		for _, f := range a.Fields {
			g, ok := index[f.Key]
			if !ok || !Equal(f.Value, g) {
				return false
			}
		}
		return true
	default:
		return a.Value == b.Value
	}
}

// Interface returns n as encoding/json would decode it with UseNumber:
// nil, bool, json.Number, string, []any or map[string]any.
func (n *Node) Interface() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Bool:
		return n.Value == "true"
	case Number:
		return json.Number(n.Value)
	case String:
		return n.Value
	case Sequence:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = it.Interface()
		}
		return out
	case Mapping:
		out := make(map[string]any, len(n.Fields))
		for _, f := range n.Fields {
			out[f.Key] = f.Value.Interface()
		}
		return out
	default:
		return nil
	}
}

// MarshalJSON writes n as compact JSON with a Mapping's keys in source
// order. A nil node is null.
func (n *Node) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	n.writeJSON(&b)
	return b.Bytes(), nil
}

// String returns n as compact JSON.
func (n *Node) String() string {
	b, _ := n.MarshalJSON()
	return string(b)
}

func (n *Node) writeJSON(b *bytes.Buffer) {
	if n == nil {
		b.WriteString("null")
		return
	}
	switch n.Kind {
	case Bool, Number:
		b.WriteString(n.Value)
	case String:
		writeJSONString(b, n.Value)
	case Sequence:
		b.WriteByte('[')
		for i, it := range n.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			it.writeJSON(b)
		}
		b.WriteByte(']')
	case Mapping:
		b.WriteByte('{')
		for i, f := range n.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, f.Key)
			b.WriteByte(':')
			f.Value.writeJSON(b)
		}
		b.WriteByte('}')
	default:
		b.WriteString("null")
	}
}

// writeJSONString writes s as a JSON string without encoding/json's HTML
// escapes: "<" stays "<", as CloudFormation writes it.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes; Encode adds a newline
	b.Truncate(b.Len() - 1)
}

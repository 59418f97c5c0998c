package template

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	yaml "go.yaml.in/yaml/v4"
)

// shortForms maps each CloudFormation short-form tag to the key of its
// long form: !Ref and !Condition keep their names, the rest gain "Fn::".
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!Join": "Fn::Join", "!Select": "Fn::Select",
	"!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!And": "Fn::And",
	"!Or": "Fn::Or", "!Not": "Fn::Not", "!FindInMap": "Fn::FindInMap", "!Base64": "Fn::Base64",
	"!ImportValue": "Fn::ImportValue", "!GetAZs": "Fn::GetAZs", "!Cidr": "Fn::Cidr",
	"!Transform": "Fn::Transform", "!ToJsonString": "Fn::ToJsonString", "!Length": "Fn::Length",
}

// maxNodes bounds the nodes one template may expand to. Aliases can
// repeat a value exponentially ("billion laughs"); a real template has a
// few thousand nodes, and CloudFormation caps templates at 1 MB.
const maxNodes = 1 << 20

// readYAML reads one YAML document into a Node tree.
func readYAML(src []byte) (*Node, error) {
	loader, err := yaml.NewLoader(bytes.NewReader(src))
	if err != nil {
		return nil, ErrorList{yamlError(err)}
	}
	var doc yaml.Node
	if err := loadYAML(loader, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &Node{Kind: Null, Pos: Pos{Line: 1, Column: 1}}, nil
		}
		return nil, ErrorList{yamlError(err)}
	}
	var next yaml.Node
	switch err := loadYAML(loader, &next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, ErrorList{yamlError(err)}
	default:
		return nil, ErrorList{{Pos: Pos{Line: next.Line, Column: next.Column}, Msg: "a template is one YAML document; found a second one"}}
	}
	if len(doc.Content) == 0 {
		return &Node{Kind: Null, Pos: Pos{Line: 1, Column: 1}}, nil
	}
	r := &yamlReader{budget: maxNodes, active: map[*yaml.Node]bool{}, done: map[*yaml.Node]*Node{}}
	n := r.node(doc.Content[0], "")
	if len(r.errs) > 0 {
		r.errs.Sort()
		return nil, r.errs
	}
	return n, nil
}

// loadYAML runs the YAML library's parser. The library reports syntax
// errors as values, but it is a port of C code that has panicked on
// hostile input before (CVE-2022-28948); a template comes from the user,
// so a panic there becomes an error here rather than a crash.
func loadYAML(loader *yaml.Loader, out *yaml.Node) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("the YAML parser failed on this input: %v", v)
		}
	}()
	return loader.Load(out)
}

// yamlError turns the YAML library's error into one with the position of
// the problem.
func yamlError(err error) *Error {
	var le *yaml.LoadError
	if errors.As(err, &le) {
		msg := strings.TrimPrefix(le.Message, "yaml: ")
		if le.ContextMsg != "" {
			msg += " (" + le.ContextMsg + ")"
		}
		return &Error{Pos: Pos{Line: le.Mark.Line, Column: le.Mark.Column}, Msg: "YAML not well-formed: " + msg}
	}
	return &Error{Msg: "YAML not well-formed: " + strings.TrimPrefix(err.Error(), "yaml: ")}
}

type yamlReader struct {
	errs   ErrorList
	budget int
	tooBig bool
	active map[*yaml.Node]bool  // anchored nodes being read, to catch an alias inside its own anchor
	done   map[*yaml.Node]*Node // anchored nodes already read, copied for each alias
}

func (r *yamlReader) errorf(y *yaml.Node, path, format string, args ...any) {
	r.errs.Add(Pos{Line: y.Line, Column: y.Column}, path, format, args...)
}

// node converts y and everything under it. On a problem it records an
// error and returns a null node, so reading goes on and finds the rest.
// An anchored value is converted once; its aliases copy it.
func (r *yamlReader) node(y *yaml.Node, path string) *Node {
	if y.Anchor == "" || y.Kind == yaml.AliasNode {
		return r.convert(y, path)
	}
	// While the anchored value is read, an alias to it inside it would
	// repeat forever.
	r.active[y] = true
	n := r.convert(y, path)
	delete(r.active, y)
	r.done[y] = n
	return n
}

func (r *yamlReader) convert(y *yaml.Node, path string) *Node {
	if r.budget--; r.budget < 0 {
		if !r.tooBig {
			r.tooBig = true
			r.errorf(y, path, "template too large: more than %d values once aliases are expanded", maxNodes)
		}
		return &Node{Kind: Null}
	}
	pos := Pos{Line: y.Line, Column: y.Column}
	switch y.Kind {
	case yaml.AliasNode:
		return r.alias(y, path)
	case yaml.ScalarNode:
		if y.Style&yaml.TaggedStyle != 0 {
			return r.taggedScalar(y, path)
		}
		if y.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return &Node{Kind: String, Pos: pos, Value: y.Value}
		}
		n, ok := resolvePlain(y.Value)
		if !ok {
			r.errorf(y, path, "%q is not a valid YAML 1.1 number", y.Value)
			return &Node{Kind: Null, Pos: pos}
		}
		n.Pos = pos
		return n
	case yaml.SequenceNode, yaml.MappingNode:
		if y.Style&yaml.TaggedStyle != 0 && y.Tag != "!!seq" && y.Tag != "!!map" {
			return r.shortForm(y, path)
		}
		if y.Kind == yaml.SequenceNode {
			return r.sequence(y, path)
		}
		return r.mapping(y, path)
	}
	r.errorf(y, path, "unexpected YAML node")
	return &Node{Kind: Null, Pos: pos}
}

// alias reads the value an alias names. Each alias gets its own copy,
// carrying the positions of the anchored text.
func (r *yamlReader) alias(y *yaml.Node, path string) *Node {
	target := y.Alias
	if target == nil {
		r.errorf(y, path, "alias *%s names no anchor", y.Value)
		return &Node{Kind: Null}
	}
	if r.active[target] {
		r.errorf(y, path, "alias *%s is inside the value its anchor names", y.Value)
		return &Node{Kind: Null}
	}
	if n, ok := r.done[target]; ok {
		if r.budget < 0 {
			return &Node{Kind: Null}
		}
		if r.budget -= size(n); r.budget < 0 {
			if !r.tooBig {
				r.tooBig = true
				r.errorf(y, path, "template too large: more than %d values once aliases are expanded", maxNodes)
			}
			return &Node{Kind: Null}
		}
		return n.Clone()
	}
	// YAML defines an anchor before its aliases, so this is rare: the
	// library hands over an alias whose anchor was never read.
	return r.node(target, path).Clone()
}

func size(n *Node) int {
	s := 1
	for _, it := range n.Items {
		s += size(it)
	}
	for _, f := range n.Fields {
		s += size(f.Value)
	}
	return s
}

// taggedScalar reads a scalar with an explicit tag: a CloudFormation
// short form, or one of YAML's own types.
func (r *yamlReader) taggedScalar(y *yaml.Node, path string) *Node {
	pos := Pos{Line: y.Line, Column: y.Column}
	switch y.Tag {
	case "!!str":
		return &Node{Kind: String, Pos: pos, Value: y.Value}
	case "!!timestamp":
		if !isTimestamp(y.Value) {
			r.errorf(y, path, "%q is not a YAML timestamp", y.Value)
		}
		return &Node{Kind: String, Pos: pos, Value: y.Value}
	case "!!int", "!!float", "!!bool", "!!null":
		var n *Node
		var ok bool
		switch y.Tag {
		case "!!int":
			n, ok = yamlIntNode(y.Value)
		case "!!float":
			n, ok = yamlFloatNode(y.Value)
		case "!!bool":
			if yamlBool.MatchString(y.Value) {
				n, ok = resolvePlain(y.Value)
			}
		case "!!null":
			if yamlNull.MatchString(y.Value) {
				n, ok = &Node{Kind: Null}, true
			}
		}
		if !ok {
			r.errorf(y, path, "%q is not a valid %s", y.Value, y.Tag)
			return &Node{Kind: Null, Pos: pos}
		}
		n.Pos = pos
		return n
	}
	return r.shortForm(y, path)
}

// shortForm expands a CloudFormation short-form tag into its long form,
// as cfn-lint's and the AWS CLI's loaders do: a scalar argument is always
// a string ("!Ref 5" is {"Ref": "5"}), "!GetAtt A.B.C" splits at the first
// dot into ["A", "B.C"], and lists and maps are read as usual.
func (r *yamlReader) shortForm(y *yaml.Node, path string) *Node {
	pos := Pos{Line: y.Line, Column: y.Column}
	key, ok := shortForms[y.Tag]
	if !ok {
		r.errorf(y, path, "unknown tag %s", y.Tag)
		return &Node{Kind: Null, Pos: pos}
	}
	var arg *Node
	switch y.Kind {
	case yaml.ScalarNode:
		arg = &Node{Kind: String, Pos: pos, Value: y.Value}
		if key == "Fn::GetAtt" {
			parts := strings.SplitN(y.Value, ".", 2)
			arg = &Node{Kind: Sequence, Pos: pos, Items: make([]*Node, len(parts))}
			for i, p := range parts {
				arg.Items[i] = &Node{Kind: String, Pos: pos, Value: p}
			}
		}
	case yaml.SequenceNode:
		arg = r.sequence(y, JoinPath(path, key))
	default:
		arg = r.mapping(y, JoinPath(path, key))
	}
	return &Node{Kind: Mapping, Pos: pos, Fields: []Field{{Key: key, KeyPos: pos, Value: arg}}}
}

func (r *yamlReader) sequence(y *yaml.Node, path string) *Node {
	n := &Node{Kind: Sequence, Pos: Pos{Line: y.Line, Column: y.Column}, Items: make([]*Node, 0, len(y.Content))}
	for i, c := range y.Content {
		n.Items = append(n.Items, r.node(c, IndexPath(path, i)))
	}
	return n
}

// mapping reads a mapping. Keys are scalars, turned into strings as
// CloudFormation sees them (an unquoted "yes" key is "true", "012" is
// "10"). A key given twice is an error, as CloudFormation rejects it.
// Merge keys ("<<: *base") are YAML 1.1's as PyYAML reads them: in a list
// of maps earlier ones win, and the mapping's own keys win over all of
// them.
func (r *yamlReader) mapping(y *yaml.Node, path string) *Node {
	n := &Node{Kind: Mapping, Pos: Pos{Line: y.Line, Column: y.Column}}
	var merged []Field
	own := make([]Field, 0, len(y.Content)/2)
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" && k.Style == 0 {
			merged = append(merged, r.merge(v, JoinPath(path, "<<"))...)
			continue
		}
		key, ok := r.key(k, path)
		if !ok {
			continue
		}
		if first, dup := seen[key]; dup {
			r.errorf(k, JoinPath(path, key), "duplicate key %q (first at line %d)", key, first.Line)
			continue
		}
		seen[key] = k
		own = append(own, Field{Key: key, KeyPos: Pos{Line: k.Line, Column: k.Column}, Value: r.node(v, JoinPath(path, key))})
	}
	if merged == nil {
		n.Fields = own
		return n
	}
	// Later pairs win, but a key keeps the place it first appeared in, as
	// PyYAML's dict does.
	index := map[string]int{}
	for _, f := range append(merged, own...) {
		if i, ok := index[f.Key]; ok {
			n.Fields[i].Value = f.Value
			continue
		}
		index[f.Key] = len(n.Fields)
		n.Fields = append(n.Fields, f)
	}
	return n
}

// merge reads the value of a "<<" key: a mapping or a list of mappings
// (through aliases), returning their members in PyYAML's order.
func (r *yamlReader) merge(v *yaml.Node, path string) []Field {
	if v.Kind == yaml.SequenceNode && v.Style&yaml.TaggedStyle == 0 {
		var out []Field
		for i, c := range v.Content {
			// Earlier maps win, so they come later.
			out = append(r.mergeOne(c, IndexPath(path, i)), out...)
		}
		return out
	}
	return r.mergeOne(v, path)
}

func (r *yamlReader) mergeOne(v *yaml.Node, path string) []Field {
	m := r.node(v, path)
	if m.Kind != Mapping {
		r.errorf(v, path, "a merge key (<<) takes a mapping or a list of mappings, not a %s", m.Kind)
		return nil
	}
	if _, _, ok := m.Intrinsic(); ok && v.Style&yaml.TaggedStyle != 0 {
		r.errorf(v, path, "a merge key (<<) takes a mapping, not the function %s", v.Tag)
		return nil
	}
	return m.Fields
}

// key reads a mapping key into the string CloudFormation sees.
func (r *yamlReader) key(k *yaml.Node, path string) (string, bool) {
	for k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind != yaml.ScalarNode || (k.Style&yaml.TaggedStyle != 0 && strings.HasPrefix(k.Tag, "!") && !strings.HasPrefix(k.Tag, "!!")) {
		r.errorf(k, path, "a mapping key must be a plain string")
		return "", false
	}
	n := r.node(k, path)
	switch n.Kind {
	case Null:
		r.errorf(k, path, "a mapping key must not be null")
		return "", false
	case String, Number, Bool:
		return n.Value, true
	}
	return "", false
}

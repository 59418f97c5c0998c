package intrinsic

import (
	"slices"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// RefKind says how a value refers to a resource.
type RefKind uint8

// The ways to refer to a resource.
const (
	ByRef    RefKind = iota + 1 // {"Ref": "Id"}
	ByGetAtt                    // {"Fn::GetAtt": ["Id", "Attr"]}
	BySub                       // "${Id}" or "${Id.Attr}" in Fn::Sub
)

// String names k.
func (k RefKind) String() string {
	switch k {
	case ByRef:
		return "Ref"
	case ByGetAtt:
		return "Fn::GetAtt"
	case BySub:
		return "Fn::Sub"
	}
	return "unknown"
}

// Reference is one reference to a resource found in a value.
type Reference struct {
	LogicalID string
	// Attribute is the attribute of Fn::GetAtt or "${Id.Attr}"; empty for
	// Ref, and when the attribute name is computed.
	Attribute string
	Kind      RefKind
	Pos       template.Pos
	Path      string
}

// References returns the references to resources in n through Ref,
// Fn::GetAtt and Fn::Sub variables, in source order, without evaluating
// anything. Pseudo parameters, names for which isParameter reports true,
// and Fn::Sub variables of the Sub's own map are left out. Both values of
// every Fn::If count, since which is chosen can change; the caller skips
// resources a false condition leaves out. DependsOn is the caller's to
// add. isParameter may be nil.
func References(n *template.Node, path string, isParameter func(string) bool) []Reference {
	w := refWalker{isParameter: isParameter}
	w.walk(n, path)
	return w.refs
}

// Dependencies returns the distinct logical ids References finds in n,
// sorted: the resources that must exist before n can be evaluated.
func Dependencies(n *template.Node, isParameter func(string) bool) []string {
	var ids []string
	for _, r := range References(n, "", isParameter) {
		ids = append(ids, r.LogicalID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

type refWalker struct {
	isParameter func(string) bool
	refs        []Reference
}

func (w *refWalker) add(id, attr string, kind RefKind, pos template.Pos, path string) {
	if id == "" || strings.HasPrefix(id, "AWS::") || (w.isParameter != nil && w.isParameter(id)) {
		return
	}
	w.refs = append(w.refs, Reference{LogicalID: id, Attribute: attr, Kind: kind, Pos: pos, Path: path})
}

func (w *refWalker) walk(n *template.Node, path string) {
	if n == nil {
		return
	}
	if name, arg, ok := n.Intrinsic(); ok {
		p := template.JoinPath(path, name)
		switch name {
		case "Ref":
			if arg.Kind == template.String {
				w.add(arg.Value, "", ByRef, n.Pos, p)
				return
			}
		case "Fn::GetAtt":
			switch {
			case arg.Kind == template.String:
				id, attr, _ := strings.Cut(arg.Value, ".")
				w.add(id, attr, ByGetAtt, n.Pos, p)
				return
			case arg.Kind == template.Sequence && len(arg.Items) == 2 && arg.Items[0].Kind == template.String:
				attr := ""
				if arg.Items[1].Kind == template.String {
					attr = arg.Items[1].Value
				}
				w.add(arg.Items[0].Value, attr, ByGetAtt, n.Pos, p)
				w.walk(arg.Items[1], template.IndexPath(p, 1))
				return
			}
		case "Fn::Sub":
			w.sub(arg, n.Pos, p)
			return
		case "Condition":
			return
		}
		w.walk(arg, p)
		return
	}
	for i, it := range n.Items {
		w.walk(it, template.IndexPath(path, i))
	}
	for _, f := range n.Fields {
		w.walk(f.Value, template.JoinPath(path, f.Key))
	}
}

// sub adds the variables of a Fn::Sub's text that its map does not
// define, then walks the map's values.
func (w *refWalker) sub(arg *template.Node, pos template.Pos, path string) {
	text, vars := arg, (*template.Node)(nil)
	if arg.Kind == template.Sequence && len(arg.Items) == 2 {
		text, vars = arg.Items[0], arg.Items[1]
	}
	if text.Kind == template.String {
		for _, name := range subVariables(text.Value) {
			if vars.Get(name) != nil {
				continue
			}
			id, attr, _ := strings.Cut(name, ".")
			w.add(id, attr, BySub, pos, path)
		}
	}
	if vars != nil {
		w.walk(vars, template.IndexPath(path, 1))
	} else if text.Kind != template.String {
		w.walk(text, path)
	}
}

// subVariables returns the names of the "${...}" variables of a Fn::Sub
// text, as the evaluator reads them.
func subVariables(s string) []string {
	var names []string
	for _, p := range subParts(s) {
		if p.variable {
			names = append(names, p.text)
		}
	}
	return names
}

package sam

import "github.com/cognatehq/cognate/internal/stack/template"

// globals holds the Function and Api sections of Globals.
type globals struct {
	function, api *template.Node
}

// readGlobals checks the Globals section: only Function and Api are
// supported, each a mapping.
func (x *expander) readGlobals(n *template.Node) globals {
	var g globals
	if n == nil {
		return g
	}
	if n.Kind != template.Mapping {
		x.errorf(n, template.SectionGlobals, "Globals must be a mapping")
		return g
	}
	for _, f := range n.Fields {
		path := template.JoinPath(template.SectionGlobals, f.Key)
		switch f.Key {
		case "Function", "Api":
		case "HttpApi", "SimpleTable", "LayerVersion", "StateMachine", "CapacityProvider":
			x.errorf(f.Value, path, "Cognate's SAM transform does not support Globals.%s yet", f.Key)
			continue
		default:
			x.errorf(f.Value, path, "'%s' is not a supported resource type in the Globals section", f.Key)
			continue
		}
		if f.Value == nil || f.Value.Kind != template.Mapping {
			x.errorf(f.Value, path, "Globals.%s must be a mapping", f.Key)
			continue
		}
		if f.Key == "Api" {
			if m, ok := f.Value.Field("Models"); ok {
				x.errorf(m.Value, template.JoinPath(path, "Models"), "'Models' is not a supported property of 'Api' in the Globals section")
				continue
			}
		}
		if f.Key == "Function" {
			g.function = f.Value
		} else {
			g.api = f.Value
		}
	}
	return g
}

// mergeGlobals returns local's properties over global's, as SAM merges
// Globals: mappings merge key by key (local wins), lists concatenate
// global-then-local, and any other value (a scalar, or an intrinsic
// function call) in local replaces the global one. Neither input is
// modified.
func mergeGlobals(global, local *template.Node) *template.Node {
	if global == nil {
		return local
	}
	return merge(global, local)
}

func merge(g, l *template.Node) *template.Node {
	if l == nil {
		return g.Clone()
	}
	if g == nil {
		return l
	}
	_, _, gi := g.Intrinsic()
	_, _, li := l.Intrinsic()
	switch {
	case g.Kind == template.Mapping && l.Kind == template.Mapping && !gi && !li:
		out := &template.Node{Kind: template.Mapping, Pos: l.Pos}
		for _, f := range g.Fields {
			if lf, ok := l.Field(f.Key); ok {
				out.Fields = append(out.Fields, template.Field{Key: f.Key, KeyPos: lf.KeyPos, Value: merge(f.Value, lf.Value)})
				continue
			}
			out.Fields = append(out.Fields, template.Field{Key: f.Key, KeyPos: f.KeyPos, Value: f.Value.Clone()})
		}
		for _, f := range l.Fields {
			if _, ok := g.Field(f.Key); !ok {
				out.Fields = append(out.Fields, f)
			}
		}
		return out
	case g.Kind == template.Sequence && l.Kind == template.Sequence:
		out := &template.Node{Kind: template.Sequence, Pos: l.Pos}
		for _, it := range g.Items {
			out.Items = append(out.Items, it.Clone())
		}
		out.Items = append(out.Items, l.Items...)
		return out
	}
	return l
}

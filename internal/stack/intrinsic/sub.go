package intrinsic

import (
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// sub evaluates Fn::Sub in both forms: "text" and ["text", {Var: value}].
// In the text, "${Name}" is a variable of the map, a parameter, a pseudo
// parameter or a resource's Ref; "${Res.Attr}" is Fn::GetAtt; "${!Text}"
// is the literal "${Text}". Spaces around a name are ignored, as
// cfn-lint does. A "${" with no "}" after it stays as it is.
func (r *run) sub(arg, call *template.Node, path string) *template.Node {
	var text *template.Node
	vars := map[string]*template.Node{}
	switch {
	case arg.Kind == template.String:
		text = arg
	case arg.Kind == template.Sequence && len(arg.Items) == 2 && arg.Items[0].Kind == template.String && arg.Items[1].Kind == template.Mapping:
		text = arg.Items[0]
		bad := false
		for _, f := range arg.Items[1].Fields {
			v := r.eval(f.Value, template.JoinPath(template.IndexPath(path, 1), f.Key))
			if v == invalid {
				bad = true
				continue
			}
			vars[f.Key] = v
		}
		if bad {
			return invalid
		}
	default:
		return r.errorf(call, path, "Fn::Sub takes a string or [string, {variables}], not %s", describe(arg))
	}
	var out strings.Builder
	ok := true
	for _, part := range subParts(text.Value) {
		if !part.variable {
			out.WriteString(part.text)
			continue
		}
		v, vok := r.subVar(part.text, vars, call, path)
		if !vok {
			ok = false
			continue
		}
		out.WriteString(v)
	}
	if !ok {
		return invalid
	}
	return &template.Node{Kind: template.String, Pos: call.Pos, Value: out.String()}
}

// subVar resolves one "${...}" of Fn::Sub to a string.
func (r *run) subVar(name string, vars map[string]*template.Node, call *template.Node, path string) (string, bool) {
	v, ok := vars[name]
	switch {
	case ok:
	case name == "":
		r.errorf(call, path, "Fn::Sub has an empty variable ${}")
		return "", false
	case name == NoValue:
		r.errorf(call, path, "Fn::Sub cannot use ${%s}", NoValue)
		return "", false
	case strings.Contains(name, ".") && !strings.HasPrefix(name, "AWS::"):
		v = r.getAtt(&template.Node{Kind: template.String, Pos: call.Pos, Value: name}, call, path)
	default:
		v, ok = r.resolveName(name, call, path)
		if !ok {
			return "", false
		}
	}
	if v == invalid {
		return "", false
	}
	s, ok := v.Text()
	if !ok {
		r.errorf(call, path, "Fn::Sub variable ${%s} is %s; only strings, numbers and booleans can be substituted", name, describe(v))
	}
	return s, ok
}

// subPart is a piece of a Fn::Sub text: literal text, or the name of a
// variable.
type subPart struct {
	text     string
	variable bool
}

// subParts splits a Fn::Sub text into literal text and variables.
// "${!Text}" is the literal "${Text}"; spaces around a variable's name
// are dropped, as cfn-lint does; a "${" with no "}" after it is literal.
func subParts(s string) []subPart {
	var parts []subPart
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		name := s[i+2 : i+j]
		if strings.HasPrefix(name, "!") {
			parts = append(parts, subPart{text: s[:i] + "${" + name[1:] + "}"})
		} else {
			parts = append(parts, subPart{text: s[:i]}, subPart{text: strings.TrimSpace(name), variable: true})
		}
		s = s[i+j+1:]
	}
	return append(parts, subPart{text: s})
}

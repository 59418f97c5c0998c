package intrinsic

import (
	"encoding/base64"
	"errors"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// ref evaluates Ref: a parameter, a pseudo parameter, or a resource.
func (r *run) ref(arg, call *template.Node, path string) *template.Node {
	var name string
	if _, _, fn := arg.Intrinsic(); fn && r.opts.LanguageExtensions {
		s, ok := r.str(arg, "Ref's argument", path)
		if !ok {
			return invalid
		}
		name = s
	} else if arg.Kind != template.String {
		return r.errorf(call, path, "Ref takes a parameter name or logical id as a string, not %s", describe(arg))
	} else {
		name = arg.Value
	}
	v, ok := r.resolveName(name, call, path)
	if !ok {
		return invalid
	}
	return v
}

// resolveName resolves what Ref and Fn::Sub's "${Name}" name.
func (r *run) resolveName(name string, call *template.Node, path string) (*template.Node, bool) {
	if name == NoValue {
		return noValue, true
	}
	if strings.HasPrefix(name, "AWS::") {
		v, ok := r.ctx.Pseudo().value(name)
		if !ok {
			r.errorf(call, path, "unknown pseudo parameter %s", name)
			return nil, false
		}
		return at(v, call), true
	}
	if v, ok := r.ctx.Parameter(name); ok && v != nil {
		return at(v, call), true
	}
	v, err := r.ctx.Ref(name)
	return r.fromContext(v, err, call, path, "Ref "+name, name)
}

// fromContext checks a value the Context returned for a resource.
func (r *run) fromContext(v *template.Node, err error, call *template.Node, path, what, id string) (*template.Node, bool) {
	switch {
	case errors.Is(err, ErrUnknown):
		r.errorf(call, path, "%s: %q is not a parameter, pseudo parameter or resource of this template", what, id)
		return nil, false
	case err != nil:
		r.errorf(call, path, "%s: %v", what, err)
		return nil, false
	case v == nil:
		r.errorf(call, path, "%s has no value", what)
		return nil, false
	}
	return at(v, call), true
}

// getAtt evaluates Fn::GetAtt: [logicalId, attribute], where the
// attribute may be computed, or "logicalId.attribute".
func (r *run) getAtt(arg, call *template.Node, path string) *template.Node {
	var id, attr string
	switch {
	case arg.Kind == template.String:
		var ok bool
		if id, attr, ok = strings.Cut(arg.Value, "."); !ok {
			return r.errorf(call, path, "Fn::GetAtt takes [logicalId, attribute] or \"logicalId.attribute\", not %q", arg.Value)
		}
	case arg.Kind == template.Sequence && len(arg.Items) == 2 && arg.Items[0].Kind == template.String:
		id = arg.Items[0].Value
		var ok bool
		if attr, ok = r.str(arg.Items[1], "Fn::GetAtt's attribute name", template.IndexPath(path, 1)); !ok {
			return invalid
		}
	default:
		return r.errorf(call, path, "Fn::GetAtt takes [logicalId, attribute], not %s", describe(arg))
	}
	if id == "" || attr == "" {
		return r.errorf(call, path, "Fn::GetAtt needs a logical id and an attribute name")
	}
	if _, isParam := r.ctx.Parameter(id); isParam || strings.HasPrefix(id, "AWS::") {
		return r.errorf(call, path, "Fn::GetAtt %s.%s: %s is a parameter, not a resource", id, attr, id)
	}
	v, err := r.ctx.GetAtt(id, attr)
	if errors.Is(err, ErrUnknown) {
		return r.errorf(call, path, "Fn::GetAtt %s.%s: %q is not a resource of this template", id, attr, id)
	}
	out, ok := r.fromContext(v, err, call, path, "Fn::GetAtt "+id+"."+attr, id)
	if !ok {
		return invalid
	}
	return out
}

// join evaluates Fn::Join: [delimiter, [values...]].
func (r *run) join(arg, call *template.Node, path string) *template.Node {
	args, ok := r.args("Fn::Join", arg, call, path, 2, 2)
	if !ok {
		return invalid
	}
	delim, ok := r.str(args[0], "Fn::Join's delimiter", template.IndexPath(path, 0))
	list, lok := r.list(args[1], "Fn::Join's values", template.IndexPath(path, 1))
	if !ok || !lok {
		return invalid
	}
	parts := make([]string, 0, len(list.Items))
	for i, it := range list.Items {
		if it == invalid {
			continue
		}
		s, ok := it.Text()
		if !ok {
			r.errorf(it, template.IndexPath(template.IndexPath(path, 1), i), "Fn::Join joins strings, not %s", describe(it))
			continue
		}
		parts = append(parts, s)
	}
	if len(parts) != len(list.Items) {
		return invalid
	}
	return &template.Node{Kind: template.String, Pos: call.Pos, Value: strings.Join(parts, delim)}
}

// selectFn evaluates Fn::Select: [index, list].
func (r *run) selectFn(arg, call *template.Node, path string) *template.Node {
	args, ok := r.args("Fn::Select", arg, call, path, 2, 2)
	if !ok {
		return invalid
	}
	i, iok := r.integer(args[0], "Fn::Select's index", template.IndexPath(path, 0))
	list, lok := r.list(args[1], "Fn::Select's list", template.IndexPath(path, 1))
	if !iok || !lok {
		return invalid
	}
	if i < 0 || i >= len(list.Items) {
		return r.errorf(call, path, "Fn::Select index %d is out of range: the list has %d items", i, len(list.Items))
	}
	return list.Items[i]
}

// split evaluates Fn::Split: [delimiter, string].
func (r *run) split(arg, call *template.Node, path string) *template.Node {
	args, ok := r.args("Fn::Split", arg, call, path, 2, 2)
	if !ok {
		return invalid
	}
	delim, dok := r.str(args[0], "Fn::Split's delimiter", template.IndexPath(path, 0))
	s, sok := r.str(args[1], "Fn::Split's source", template.IndexPath(path, 1))
	if !dok || !sok {
		return invalid
	}
	if delim == "" {
		return r.errorf(args[0], template.IndexPath(path, 0), "Fn::Split's delimiter must not be empty")
	}
	out := template.NewStringList(strings.Split(s, delim))
	out.Pos = call.Pos
	for _, it := range out.Items {
		it.Pos = call.Pos
	}
	return out
}

// findInMap evaluates Fn::FindInMap: [map, topKey, secondKey], and under
// AWS::LanguageExtensions a fourth item {DefaultValue: v} used when a key
// is missing.
func (r *run) findInMap(arg, call *template.Node, path string) *template.Node {
	hi := 3
	if r.opts.LanguageExtensions {
		hi = 4
	}
	args, ok := r.args("Fn::FindInMap", arg, call, path, 3, hi)
	if !ok {
		return invalid
	}
	var def *template.Node
	if len(args) == 4 {
		d, ok := args[3].Field("DefaultValue")
		if !ok || len(args[3].Fields) != 1 {
			return r.errorf(args[3], template.IndexPath(path, 3), "Fn::FindInMap's fourth item must be {DefaultValue: value}")
		}
		def = d.Value
	}
	keys := make([]string, 3)
	for i, what := range []string{"map name", "top-level key", "second-level key"} {
		s, ok := r.str(args[i], "Fn::FindInMap's "+what, template.IndexPath(path, i))
		if !ok {
			return invalid
		}
		keys[i] = s
	}
	m, ok := r.ctx.Mapping(keys[0])
	if !ok {
		return r.errorf(args[0], template.IndexPath(path, 0), "Fn::FindInMap: no mapping named %q in Mappings", keys[0])
	}
	v := m.Get(keys[1]).Get(keys[2])
	if v == nil {
		if def != nil {
			return r.eval(def, template.IndexPath(path, 3))
		}
		if m.Get(keys[1]) == nil {
			return r.errorf(call, path, "Fn::FindInMap: mapping %q has no key %q", keys[0], keys[1])
		}
		return r.errorf(call, path, "Fn::FindInMap: mapping %q has no key %q under %q", keys[0], keys[2], keys[1])
	}
	return at(v, call)
}

// base64 evaluates Fn::Base64.
func (r *run) base64(arg, call *template.Node, path string) *template.Node {
	s, ok := r.str(arg, "Fn::Base64's value", path)
	if !ok {
		return invalid
	}
	return &template.Node{Kind: template.String, Pos: call.Pos, Value: base64.StdEncoding.EncodeToString([]byte(s))}
}

// importValue evaluates Fn::ImportValue through the Context.
func (r *run) importValue(arg, call *template.Node, path string) *template.Node {
	name, ok := r.str(arg, "Fn::ImportValue's export name", path)
	if !ok {
		return invalid
	}
	v, err := r.ctx.ImportValue(name)
	if err != nil {
		return r.errorf(call, path, "Fn::ImportValue %q: %v", name, err)
	}
	if v == nil {
		return r.errorf(call, path, "Fn::ImportValue %q has no value", name)
	}
	return at(v, call)
}

// getAZs evaluates Fn::GetAZs. Cognate has no availability zones to ask
// about, so it answers as a region with three would: the region's name
// with "a", "b" and "c" appended. An empty region means the stack's own.
func (r *run) getAZs(arg, call *template.Node, path string) *template.Node {
	region, ok := r.str(arg, "Fn::GetAZs's region", path)
	if !ok {
		return invalid
	}
	if region == "" {
		region = r.ctx.Pseudo().Region
	}
	out := template.NewStringList([]string{region + "a", region + "b", region + "c"})
	out.Pos = call.Pos
	return out
}

// toJSONString evaluates Fn::ToJsonString: an object or list, evaluated,
// written as compact JSON.
func (r *run) toJSONString(arg, call *template.Node, path string) *template.Node {
	v := r.eval(arg, path)
	if v == invalid {
		return invalid
	}
	if v.Kind != template.Mapping && v.Kind != template.Sequence {
		return r.errorf(call, path, "Fn::ToJsonString takes an object or a list, not %s", describe(v))
	}
	return &template.Node{Kind: template.String, Pos: call.Pos, Value: v.String()}
}

// length evaluates Fn::Length: the number of items in a list.
func (r *run) length(arg, call *template.Node, path string) *template.Node {
	list, ok := r.list(arg, "Fn::Length's argument", path)
	if !ok {
		return invalid
	}
	n := template.NewInt(len(list.Items))
	n.Pos = call.Pos
	return n
}

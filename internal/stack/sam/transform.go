package sam

import (
	"fmt"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// Options configures Transform.
type Options struct {
	// Load returns the contents of a local file named by an AWS::Include
	// Location or an Api's DefinitionUri, as written in the template
	// (relative to the template's directory). A nil Load makes every
	// include an error.
	Load func(location string) ([]byte, error)
	// LocalCodeBucket is the S3Bucket given to a function whose CodeUri is
	// a local path; the path becomes the S3Key. Empty means "cognate-local".
	LocalCodeBucket string
}

// DefaultLocalCodeBucket is the bucket name a local CodeUri is given when
// Options.LocalCodeBucket is empty.
const DefaultLocalCodeBucket = "cognate-local"

// Resource types of the Serverless transform.
const (
	TypeFunction = "AWS::Serverless::Function"
	TypeAPI      = "AWS::Serverless::Api"
)

// ImplicitAPIID is the logical id SAM gives the API it creates for Api
// events without a RestApiId.
const ImplicitAPIID = "ServerlessRestApi"

// Transform returns a copy of t with AWS::Include snippets replaced by the
// files they name and, when t declares the AWS::Serverless-2016-10-31
// transform, every SAM resource expanded into CloudFormation resources and
// the Globals section and that transform removed. t is not modified.
//
// The error, when not nil, is a template.ErrorList naming every problem
// found, each with the logical id and property path.
func Transform(t *template.Template, opts Options) (*template.Template, error) {
	if t == nil || t.Root == nil || t.Root.Kind != template.Mapping {
		return nil, template.ErrorList{{Msg: "template is not a mapping"}}
	}
	if opts.LocalCodeBucket == "" {
		opts.LocalCodeBucket = DefaultLocalCodeBucket
	}
	x := &expander{opts: opts}
	root := x.include(t.Root.Clone(), "", 0)
	out := &template.Template{Root: root, Format: t.Format}
	if len(x.errs) > 0 {
		x.errs.Sort()
		return nil, x.errs
	}
	if !out.HasTransform(template.TransformServerless) {
		return out, nil
	}
	x.serverless(out)
	if len(x.errs) > 0 {
		x.errs.Sort()
		return nil, x.errs
	}
	return out, nil
}

// expander carries one Transform call's options and problems.
type expander struct {
	opts Options
	errs template.ErrorList
}

func (x *expander) errorf(n *template.Node, path, format string, args ...any) {
	var pos template.Pos
	if n != nil {
		pos = n.Pos
	}
	x.errs.Add(pos, path, format, args...)
}

// resource is one entry of the Resources section.
type resource struct {
	id    string
	node  *template.Node
	typ   string
	props *template.Node // never nil: an empty Mapping when absent
}

func (r *resource) path(elem ...string) string {
	p := "Resources/" + r.id
	for _, e := range elem {
		p = template.JoinPath(p, e)
	}
	return p
}

// serverless expands the SAM transform in place over out.
func (x *expander) serverless(out *template.Template) {
	root := out.Root
	globals := x.readGlobals(root.Get(template.SectionGlobals))
	resNode := root.Get(template.SectionResources)
	if resNode == nil || resNode.Kind != template.Mapping {
		x.errorf(resNode, template.SectionResources, "Resources must be a mapping")
		return
	}

	var all []*resource
	byID := map[string]*resource{}
	for _, f := range resNode.Fields {
		r := &resource{id: f.Key, node: f.Value, props: mapping()}
		if f.Value != nil && f.Value.Kind == template.Mapping {
			r.typ, _ = f.Value.Get("Type").Text()
			if p := f.Value.Get("Properties"); p != nil {
				if p.Kind != template.Mapping {
					x.errorf(p, r.path("Properties"), "Properties must be a mapping")
				} else {
					r.props = p
				}
			}
		}
		all = append(all, r)
		byID[r.id] = r
	}

	apis := map[string]*api{}
	var apiOrder []*api
	for _, r := range all {
		switch {
		case r.typ == TypeFunction:
			local := r.props
			r.props = mergeGlobals(globals.function, local)
			// SAM ignores a global CodeUri for a function with InlineCode.
			if local.Get("InlineCode") != nil && local.Get("CodeUri") == nil && r.props != local {
				del(r.props, "CodeUri")
			}
		case r.typ == TypeAPI:
			r.props = mergeGlobals(globals.api, r.props)
			a := x.newAPI(r)
			apis[r.id] = a
			apiOrder = append(apiOrder, a)
		case strings.HasPrefix(r.typ, "AWS::Serverless::"):
			x.errorf(r.node.Get("Type"), r.path("Type"), "Cognate's SAM transform does not support %s yet", r.typ)
		}
	}

	// Functions first: their Api events add paths to the APIs.
	generated := map[string][]template.Field{}
	var implicit *api
	for _, r := range all {
		if r.typ != TypeFunction {
			continue
		}
		fields, events := x.function(r)
		generated[r.id] = fields
		for _, ev := range events {
			var a *api
			if ev.restAPI == "" {
				if implicit == nil {
					ir := &resource{id: ImplicitAPIID, props: mergeGlobals(globals.api, mapping(
						template.Field{Key: "StageName", Value: template.NewString("Prod")},
					))}
					if _, taken := byID[ImplicitAPIID]; taken {
						x.errorf(nil, "Resources/"+ImplicitAPIID, "logical id %s is reserved for SAM's implicit API", ImplicitAPIID)
					}
					implicit = x.newAPI(ir)
					implicit.implicit = true
				}
				a = implicit
			} else {
				a = apis[ev.restAPI]
				if a == nil {
					x.errorf(ev.node, ev.path+"/RestApiId", "RestApiId must be a valid reference to an 'AWS::Serverless::Api' resource in same template")
					continue
				}
			}
			x.addEvent(a, r, ev)
			generated[r.id] = append(generated[r.id], x.permission(a, r, ev))
		}
	}
	if implicit != nil {
		apiOrder = append(apiOrder, implicit)
	}
	for _, a := range apiOrder {
		generated[a.res.id] = x.finishAPI(a)
	}

	// Rebuild Resources in source order, SAM resources replaced in place
	// by what they expand to; the implicit API goes last.
	var fields []template.Field
	for _, f := range resNode.Fields {
		if g, ok := generated[f.Key]; ok {
			fields = append(fields, g...)
			continue
		}
		fields = append(fields, f)
	}
	if implicit != nil {
		fields = append(fields, generated[ImplicitAPIID]...)
	}
	resNode.Fields = fields

	// Drop Globals and the Serverless transform.
	var top []template.Field
	for _, f := range root.Fields {
		switch f.Key {
		case template.SectionGlobals:
			continue
		case template.SectionTransform:
			if rest := withoutServerless(f.Value); rest != nil {
				f.Value = rest
				top = append(top, f)
			}
			continue
		}
		top = append(top, f)
	}
	root.Fields = top
}

// withoutServerless returns the Transform section without the Serverless
// transform, or nil when nothing is left.
func withoutServerless(n *template.Node) *template.Node {
	if n == nil {
		return nil
	}
	if s, ok := n.Text(); ok {
		if s == template.TransformServerless {
			return nil
		}
		return n
	}
	if n.Kind != template.Sequence {
		return n
	}
	out := &template.Node{Kind: template.Sequence, Pos: n.Pos}
	for _, it := range n.Items {
		if s, _ := it.Text(); s == template.TransformServerless {
			continue
		}
		out.Items = append(out.Items, it)
	}
	if len(out.Items) == 0 {
		return nil
	}
	return out
}

// mapping returns a Mapping node of fields.
func mapping(fields ...template.Field) *template.Node {
	return &template.Node{Kind: template.Mapping, Fields: fields}
}

// obj builds a Mapping from alternating keys and values; a value may be a
// *template.Node, a string or an int.
func obj(kv ...any) *template.Node {
	n := mapping()
	for i := 0; i+1 < len(kv); i += 2 {
		n.Fields = append(n.Fields, template.Field{Key: kv[i].(string), Value: value(kv[i+1])})
	}
	return n
}

func value(v any) *template.Node {
	switch v := v.(type) {
	case *template.Node:
		return v
	case string:
		return template.NewString(v)
	case int:
		return template.NewInt(v)
	case bool:
		return template.NewBool(v)
	case []string:
		return template.NewStringList(v)
	}
	panic(fmt.Sprintf("sam: obj value of type %T", v))
}

func list(items ...*template.Node) *template.Node {
	return &template.Node{Kind: template.Sequence, Items: items}
}

func ref(id string) *template.Node { return obj("Ref", id) }

// set sets key in the Mapping m, replacing an existing value in place.
func set(m *template.Node, key string, v *template.Node) {
	for i := range m.Fields {
		if m.Fields[i].Key == key {
			m.Fields[i].Value = v
			return
		}
	}
	m.Fields = append(m.Fields, template.Field{Key: key, Value: v})
}

// del removes key from the Mapping m.
func del(m *template.Node, key string) {
	for i := range m.Fields {
		if m.Fields[i].Key == key {
			m.Fields = append(m.Fields[:i:i], m.Fields[i+1:]...)
			return
		}
	}
}

// refTarget returns the logical id of a {"Ref": id} node.
func refTarget(n *template.Node) (string, bool) {
	name, arg, ok := n.Intrinsic()
	if !ok || name != "Ref" {
		return "", false
	}
	return arg.Text()
}

// passThroughAttributes are the resource attributes SAM copies from a SAM
// resource onto every resource it expands to.
var passThroughAttributes = []string{"Condition", "DeletionPolicy", "UpdateReplacePolicy"}

// resourceNode builds a resource entry with the given type and properties,
// copying the pass-through attributes of the SAM resource it comes from.
func resourceNode(from *resource, typ string, props *template.Node) *template.Node {
	n := obj("Type", typ)
	if from != nil && from.node != nil {
		for _, k := range passThroughAttributes {
			if v := from.node.Get(k); v != nil {
				set(n, k, v)
			}
		}
	}
	if props != nil && len(props.Fields) > 0 {
		set(n, "Properties", props)
	}
	return n
}

package intrinsic

import (
	"strconv"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// Options selects the dialect of the template being evaluated.
type Options struct {
	// LanguageExtensions enables what the AWS::LanguageExtensions
	// transform adds: Fn::ToJsonString, Fn::Length, Fn::FindInMap's
	// DefaultValue, and intrinsic functions as Ref's argument.
	LanguageExtensions bool
}

// Evaluator evaluates intrinsic functions against one Context. It holds
// no state between calls and does no I/O of its own; what it reads comes
// from the Context.
type Evaluator struct {
	ctx  Context
	opts Options
}

// New returns an Evaluator over ctx.
func New(ctx Context, opts Options) *Evaluator { return &Evaluator{ctx: ctx, opts: opts} }

// Eval evaluates every intrinsic function in n and returns the plain
// value that is left, a new tree; n is not changed. path names n in error
// messages ("Resources/Pool/Properties"). Properties and list items whose
// value is AWS::NoValue are removed, and the result is nil when n itself
// is AWS::NoValue. Evaluation goes on past a problem, so the list holds
// every problem in n; the result is nil when there is any.
func (e *Evaluator) Eval(n *template.Node, path string) (*template.Node, template.ErrorList) {
	r := &run{Evaluator: e}
	v := r.eval(n, path)
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	if v == noValue {
		return nil, nil
	}
	return v, nil
}

// EvalCondition evaluates a condition: an entry of the Conditions section
// built from Fn::Equals, Fn::And, Fn::Or, Fn::Not and {"Condition": name}.
func (e *Evaluator) EvalCondition(n *template.Node, path string) (bool, template.ErrorList) {
	r := &run{Evaluator: e}
	b := r.condition(n, path)
	return b, r.errs
}

// run is one evaluation: the problems it has found so far.
type run struct {
	*Evaluator
	errs template.ErrorList
}

// noValue is what AWS::NoValue evaluates to; the enclosing mapping or
// list drops it. invalid is what a failed function evaluates to: the
// problem is already reported, and whatever uses the value stays quiet
// about it rather than report the same problem again.
var (
	noValue = &template.Node{Kind: template.Null}
	invalid = &template.Node{Kind: template.Null}
)

func (r *run) errorf(n *template.Node, path, format string, args ...any) *template.Node {
	var pos template.Pos
	if n != nil {
		pos = n.Pos
	}
	r.errs.Add(pos, path, format, args...)
	return invalid
}

// eval evaluates n: a function call, or a mapping or list whose members
// are evaluated in turn.
func (r *run) eval(n *template.Node, path string) *template.Node {
	if n == nil {
		return invalid
	}
	switch n.Kind {
	case template.Mapping:
		if name, arg, ok := n.Intrinsic(); ok && name != "Condition" {
			return r.call(name, arg, n, template.JoinPath(path, name))
		}
		out := &template.Node{Kind: template.Mapping, Pos: n.Pos, Fields: make([]template.Field, 0, len(n.Fields))}
		for _, f := range n.Fields {
			p := template.JoinPath(path, f.Key)
			if len(n.Fields) > 1 && (f.Key == "Ref" || strings.HasPrefix(f.Key, "Fn::")) {
				r.errs.Add(f.KeyPos, p, "%s must be the only key of its object", f.Key)
				continue
			}
			v := r.eval(f.Value, p)
			if v == noValue {
				continue
			}
			out.Fields = append(out.Fields, template.Field{Key: f.Key, KeyPos: f.KeyPos, Value: v})
		}
		return out
	case template.Sequence:
		out := &template.Node{Kind: template.Sequence, Pos: n.Pos, Items: make([]*template.Node, 0, len(n.Items))}
		for i, it := range n.Items {
			v := r.eval(it, template.IndexPath(path, i))
			if v == noValue {
				continue
			}
			out.Items = append(out.Items, v)
		}
		return out
	default:
		c := *n
		return &c
	}
}

// call evaluates one intrinsic function. call is the {"Fn::X": arg}
// node, for its position.
func (r *run) call(name string, arg, call *template.Node, path string) *template.Node {
	switch name {
	case "Ref":
		return r.ref(arg, call, path)
	case "Fn::GetAtt":
		return r.getAtt(arg, call, path)
	case "Fn::Sub":
		return r.sub(arg, call, path)
	case "Fn::Join":
		return r.join(arg, call, path)
	case "Fn::Select":
		return r.selectFn(arg, call, path)
	case "Fn::Split":
		return r.split(arg, call, path)
	case "Fn::If":
		return r.ifFn(arg, call, path)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		b := r.conditionCall(name, arg, call, path)
		return &template.Node{Kind: template.Bool, Pos: call.Pos, Value: strconv.FormatBool(b)}
	case "Fn::FindInMap":
		return r.findInMap(arg, call, path)
	case "Fn::Base64":
		return r.base64(arg, call, path)
	case "Fn::ImportValue":
		return r.importValue(arg, call, path)
	case "Fn::GetAZs":
		return r.getAZs(arg, call, path)
	case "Fn::Cidr":
		return r.cidr(arg, call, path)
	case "Fn::ToJsonString":
		if !r.opts.LanguageExtensions {
			break
		}
		return r.toJSONString(arg, call, path)
	case "Fn::Length":
		if !r.opts.LanguageExtensions {
			break
		}
		return r.length(arg, call, path)
	case "Fn::Transform":
		return r.errorf(call, path, "Fn::Transform is expanded by the transform step (AWS::Include), not evaluated")
	default:
		return r.errorf(call, path, "unknown intrinsic function %s", name)
	}
	return r.errorf(call, path, "%s needs the %s transform", name, template.TransformLanguageExtensions)
}

// args checks that arg is a list of between lo and hi items (hi < 0: no
// limit) and returns them.
func (r *run) args(name string, arg, call *template.Node, path string, lo, hi int) ([]*template.Node, bool) {
	if arg.Kind != template.Sequence || len(arg.Items) < lo || (hi >= 0 && len(arg.Items) > hi) {
		want := "a list of " + strconv.Itoa(lo)
		switch {
		case hi == lo:
		case hi < 0:
			want += " or more"
		default:
			want += " to " + strconv.Itoa(hi)
		}
		r.errorf(call, path, "%s takes %s values, not %s", name, want, describe(arg))
		return nil, false
	}
	return arg.Items, true
}

// describe names a node's shape for an error message.
func describe(n *template.Node) string {
	switch n.Kind {
	case template.Sequence:
		return "a list of " + strconv.Itoa(len(n.Items))
	case template.Mapping:
		if name, _, ok := n.Intrinsic(); ok {
			return "the function " + name
		}
		return "an object"
	case template.Null:
		return "null"
	}
	return "a " + n.Kind.String() + " (" + n.String() + ")"
}

// str evaluates n and returns it as a string: CloudFormation turns
// numbers and booleans into strings where a string is expected.
func (r *run) str(n *template.Node, what, path string) (string, bool) {
	v := r.eval(n, path)
	if v == invalid {
		return "", false
	}
	s, ok := v.Text()
	if !ok {
		r.errorf(n, path, "%s must be a string, not %s", what, describe(v))
	}
	return s, ok
}

// literal returns n's text when n is a scalar written in the template,
// not computed.
func (r *run) literal(n *template.Node, what, path string) (string, bool) {
	s, ok := n.Text()
	if !ok {
		r.errorf(n, path, "%s must be a string, not %s", what, describe(n))
	}
	return s, ok
}

// integer evaluates n as a whole number, written as a number or a string.
func (r *run) integer(n *template.Node, what, path string) (int, bool) {
	s, ok := r.str(n, what, path)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(s)
	if err != nil {
		r.errorf(n, path, "%s must be a whole number, not %q", what, s)
		return 0, false
	}
	return i, true
}

// list evaluates n and checks it is a list.
func (r *run) list(n *template.Node, what, path string) (*template.Node, bool) {
	v := r.eval(n, path)
	if v == invalid {
		return nil, false
	}
	if v.Kind != template.Sequence {
		r.errorf(n, path, "%s must be a list, not %s", what, describe(v))
		return nil, false
	}
	return v, true
}

// at returns a copy of a value from the Context, placed at the call that
// produced it.
func at(v *template.Node, call *template.Node) *template.Node {
	c := v.Clone()
	c.Pos = call.Pos
	return c
}

package intrinsic

import (
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// ifFn evaluates Fn::If: [conditionName, valueIfTrue, valueIfFalse]. Only
// the chosen value is evaluated, and it may be AWS::NoValue.
func (r *run) ifFn(arg, call *template.Node, path string) *template.Node {
	args, ok := r.args("Fn::If", arg, call, path, 3, 3)
	if !ok {
		return invalid
	}
	if args[0].Kind != template.String {
		return r.errorf(args[0], template.IndexPath(path, 0), "Fn::If's first item names a condition by string, not %s", describe(args[0]))
	}
	b, known := r.ctx.Condition(args[0].Value)
	if !known {
		return r.errorf(args[0], template.IndexPath(path, 0), "Fn::If: no condition named %q in Conditions", args[0].Value)
	}
	if b {
		return r.eval(args[1], template.IndexPath(path, 1))
	}
	return r.eval(args[2], template.IndexPath(path, 2))
}

// condition evaluates n where a condition is expected: {"Condition":
// name}, a condition function, or a value that is a boolean (true,
// "true", false or "false").
func (r *run) condition(n *template.Node, path string) bool {
	if name, arg, ok := n.Intrinsic(); ok {
		switch name {
		case "Condition":
			if arg.Kind != template.String {
				r.errorf(n, template.JoinPath(path, name), "Condition names a condition by string, not %s", describe(arg))
				return false
			}
			b, known := r.ctx.Condition(arg.Value)
			if !known {
				r.errorf(n, template.JoinPath(path, name), "no condition named %q in Conditions", arg.Value)
			}
			return b
		case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
			return r.conditionCall(name, arg, n, template.JoinPath(path, name))
		}
	}
	v := r.eval(n, path)
	if v == invalid {
		return false
	}
	if s, ok := v.Text(); ok && (s == "true" || s == "false") && v.Kind != template.Number {
		return s == "true"
	}
	r.errorf(n, path, "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not, a Condition or a boolean, not %s", describe(v))
	return false
}

// conditionCall evaluates the condition functions.
func (r *run) conditionCall(name string, arg, call *template.Node, path string) bool {
	switch name {
	case "Fn::Equals":
		args, ok := r.args(name, arg, call, path, 2, 2)
		if !ok {
			return false
		}
		a := r.eval(args[0], template.IndexPath(path, 0))
		b := r.eval(args[1], template.IndexPath(path, 1))
		if a == invalid || b == invalid {
			return false
		}
		if as, ok := a.Text(); ok {
			bs, ok := b.Text()
			return ok && as == bs
		}
		return template.Equal(a, b)
	case "Fn::Not":
		args, ok := r.args(name, arg, call, path, 1, 1)
		if !ok {
			return false
		}
		return !r.condition(args[0], template.IndexPath(path, 0))
	default: // Fn::And, Fn::Or
		args, ok := r.args(name, arg, call, path, 2, 10)
		if !ok {
			return false
		}
		// Every operand is evaluated, so every problem is reported.
		and := name == "Fn::And"
		result := and
		for i, a := range args {
			b := r.condition(a, template.IndexPath(path, i))
			if and {
				result = result && b
			} else {
				result = result || b
			}
		}
		return result
	}
}

// EvalConditions evaluates every condition of a Conditions section, in
// whatever order their references to each other need. A condition that
// refers to itself, directly or through others, is an error naming the
// cycle. ctx supplies parameters and mappings; its Condition method is
// not used, since the conditions come from section.
func EvalConditions(section *template.Node, ctx Context, opts Options) (map[string]bool, template.ErrorList) {
	c := &condContext{Context: ctx, section: section, values: map[string]bool{}, state: map[string]int{}}
	c.eval = New(c, opts)
	out := map[string]bool{}
	if section == nil {
		return out, nil
	}
	if section.Kind != template.Mapping {
		c.errs.Add(section.Pos, template.SectionConditions, "the Conditions section must be a mapping, not a %s", section.Kind)
		return out, c.errs
	}
	for _, f := range section.Fields {
		b, _ := c.Condition(f.Key)
		out[f.Key] = b
	}
	c.errs.Sort()
	return out, c.errs
}

// condContext is a Context whose conditions are evaluated, once each,
// from a Conditions section.
type condContext struct {
	Context
	eval    *Evaluator
	section *template.Node
	values  map[string]bool
	state   map[string]int // 1 while being evaluated, 2 when done
	stack   []string
	errs    template.ErrorList
}

// Condition evaluates a condition of the section the first time it is
// asked for, and reports a cycle when it is asked for while being
// evaluated.
func (c *condContext) Condition(name string) (bool, bool) {
	f, ok := c.section.Field(name)
	if !ok {
		return false, false
	}
	switch c.state[name] {
	case 2:
		return c.values[name], true
	case 1:
		i := len(c.stack) - 1
		for i > 0 && c.stack[i] != name {
			i--
		}
		cycle := append(append([]string{}, c.stack[i:]...), name)
		c.errs.Add(f.KeyPos, template.JoinPath(template.SectionConditions, name),
			"conditions refer to each other in a cycle: %s", strings.Join(cycle, " -> "))
		return false, true
	}
	c.state[name] = 1
	c.stack = append(c.stack, name)
	b, errs := c.eval.EvalCondition(f.Value, template.JoinPath(template.SectionConditions, name))
	c.stack = c.stack[:len(c.stack)-1]
	c.errs.Append(errs)
	c.state[name] = 2
	c.values[name] = b
	return b, true
}

package stack

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

const ssmTypePrefix = "AWS::SSM::Parameter::Value<"

// resolvedParams is the outcome of resolving a template's parameters.
type resolvedParams struct {
	values   map[string]*template.Node
	shown    []Parameter
	ssmReads []string
}

// resolveParams checks the values given against the Parameters section
// and resolves defaults and SSM-typed parameters, reporting every problem.
func (e *Engine) resolveParams(ctx context.Context, region string, t *template.Template, given map[string]string) (resolvedParams, template.ErrorList) {
	var errs template.ErrorList
	out := resolvedParams{values: map[string]*template.Node{}}
	section := t.Section(template.SectionParameters)
	declared := map[string]bool{}
	var missing []string
	if section != nil {
		for _, f := range section.Fields {
			declared[f.Key] = true
			path := "Parameters/" + f.Key
			decl := f.Value
			typ, _ := decl.Get("Type").Text()
			noEcho := false
			if ne := decl.Get("NoEcho"); ne != nil {
				s, _ := ne.Text()
				noEcho = strings.EqualFold(s, "true")
			}
			raw, ok := given[f.Key]
			if !ok {
				d := decl.Get("Default")
				if d == nil {
					missing = append(missing, f.Key)
					continue
				}
				if d.Kind == template.Sequence { // a list default
					var parts []string
					for _, it := range d.Items {
						s, _ := it.Text()
						parts = append(parts, s)
					}
					raw = strings.Join(parts, ",")
				} else {
					raw, _ = d.Text()
				}
			}
			pos := decl.Pos
			val, resolved, perrs := e.checkParam(ctx, region, f.Key, typ, raw, decl, pos, path)
			errs.Append(perrs)
			if len(perrs) > 0 {
				continue
			}
			out.values[f.Key] = val
			p := Parameter{Key: f.Key, Value: raw, NoEcho: noEcho}
			if strings.HasPrefix(typ, ssmTypePrefix) {
				p.ResolvedValue = resolved
				out.ssmReads = append(out.ssmReads, raw)
			}
			if noEcho {
				p.Value, p.ResolvedValue = "****", ""
			}
			out.shown = append(out.shown, p)
		}
	}
	if len(missing) > 0 {
		errs.Add(template.Pos{}, "Parameters", "Parameters: [%s] must have values", strings.Join(missing, ", "))
	}
	var unknown []string
	for k := range given {
		if !declared[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		errs.Add(template.Pos{}, "Parameters", "Parameters: [%s] do not exist in the template", strings.Join(unknown, ", "))
	}
	return out, errs
}

// checkParam checks one value against its declaration and returns it as
// Ref returns it: a String, or a Sequence of Strings for list types.
func (e *Engine) checkParam(ctx context.Context, region, name, typ, raw string, decl *template.Node, pos template.Pos, path string) (*template.Node, string, template.ErrorList) {
	var errs template.ErrorList
	resolved := ""
	if strings.HasPrefix(typ, ssmTypePrefix) {
		if e.cfg.SSM == nil {
			errs.Add(pos, path, "parameter type %s needs SSM, which this engine was built without", typ)
			return nil, "", errs
		}
		v, err := e.cfg.SSM.ParameterValue(ctx, region, raw, false)
		if errors.Is(err, ErrParameterNotFound) {
			errs.Add(pos, path, "Unable to fetch parameters [%s] from parameter store for this account.", raw)
			return nil, "", errs
		}
		if err != nil {
			errs.Add(pos, path, "reading SSM parameter %s: %v", raw, err)
			return nil, "", errs
		}
		resolved = v
		inner := strings.TrimSuffix(strings.TrimPrefix(typ, ssmTypePrefix), ">")
		if strings.HasPrefix(inner, "List<") || inner == "CommaDelimitedList" {
			return listNode(v), resolved, nil
		}
		return template.NewString(v), resolved, nil
	}
	checkAllowed := func(v string) {
		if av := decl.Get("AllowedValues"); av != nil && av.Kind == template.Sequence {
			for _, it := range av.Items {
				if s, _ := it.Text(); s == v {
					return
				}
			}
			errs.Add(pos, path, "Parameter '%s' must be one of AllowedValues", name)
		}
	}
	intAttr := func(key string) (float64, bool) {
		n := decl.Get(key)
		if n == nil {
			return 0, false
		}
		s, _ := n.Text()
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			errs.Add(n.Pos, path+"/"+key, "%s must be a number", key)
			return 0, false
		}
		return f, true
	}
	checkNumber := func(v string) {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			errs.Add(pos, path, "Parameter '%s' must be a number", name)
			return
		}
		if lo, ok := intAttr("MinValue"); ok && f < lo {
			errs.Add(pos, path, "Parameter '%s' must be a number not less than %s", name, trimFloat(lo))
		}
		if hi, ok := intAttr("MaxValue"); ok && f > hi {
			errs.Add(pos, path, "Parameter '%s' must be a number not greater than %s", name, trimFloat(hi))
		}
	}
	switch {
	case typ == "Number":
		checkNumber(raw)
		checkAllowed(raw)
		return template.NewString(raw), "", errs
	case typ == "List<Number>":
		for _, p := range splitList(raw) {
			checkNumber(p)
		}
		return listNode(raw), "", errs
	case typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<"):
		for _, p := range splitList(raw) {
			checkAllowed(p)
		}
		return listNode(raw), "", errs
	case typ == "String" || strings.HasPrefix(typ, "AWS::"):
		if lo, ok := intAttr("MinLength"); ok && float64(len(raw)) < lo {
			errs.Add(pos, path, "Parameter '%s' must contain at least %s characters", name, trimFloat(lo))
		}
		if hi, ok := intAttr("MaxLength"); ok && float64(len(raw)) > hi {
			errs.Add(pos, path, "Parameter '%s' must contain at most %s characters", name, trimFloat(hi))
		}
		if pn := decl.Get("AllowedPattern"); pn != nil {
			pat, _ := pn.Text()
			re, err := regexp.Compile("^(?:" + pat + ")$")
			if err != nil {
				errs.Add(pn.Pos, path+"/AllowedPattern", "AllowedPattern is not a valid pattern: %v", err)
			} else if !re.MatchString(raw) {
				msg := "Parameter '" + name + "' must match pattern " + pat
				if cd := decl.Get("ConstraintDescription"); cd != nil {
					if s, ok := cd.Text(); ok {
						msg = s
					}
				}
				errs.Add(pos, path, "%s", msg)
			}
		}
		checkAllowed(raw)
		return template.NewString(raw), "", errs
	default:
		errs.Add(pos, path+"/Type", "Parameter '%s' has an unsupported type %q", name, typ)
		return nil, "", errs
	}
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func listNode(s string) *template.Node {
	parts := splitList(s)
	if parts == nil {
		parts = []string{}
	}
	return template.NewStringList(parts)
}

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

package stack

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/intrinsic"
	"github.com/cognatehq/cognate/internal/stack/template"
	"github.com/cognatehq/cognate/internal/store"
)

// resourceDecl is one resource of the template being deployed.
type resourceDecl struct {
	id        string
	typ       string
	pos       template.Pos
	props     *template.Node // as written; nil when none
	dependsOn []string
	deps      []string // everything it waits for, DependsOn included
	provider  Provider // nil for a type Cognate does not emulate
	// retain and retainOnReplace are DeletionPolicy: Retain and
	// UpdateReplacePolicy: Retain.
	retain, retainOnReplace bool
}

// plan is a template checked and ready to deploy.
type plan struct {
	region, stackName, stackID string
	body                       []byte
	tmpl                       *template.Template
	params                     resolvedParams
	paramHash                  string
	pseudo                     intrinsic.Pseudo
	conds                      map[string]bool
	opts                       intrinsic.Options
	resources                  map[string]*resourceDecl
	order                      []string
	imports                    []string
	ssmReads                   []string
	warnings                   []string
}

// resState is what the evaluation of other resources reads of a deployed
// resource.
type resState struct {
	typ        string
	physicalID string
	attrs      map[string]string
	props      []byte // the properties' JSON, for live attributes
}

// buildPlan reads, transforms, checks and orders a template, evaluating
// every value it can before anything exists; every problem is reported.
func (e *Engine) buildPlan(ctx context.Context, region, name, stackID string, body []byte, given map[string]string, o Options) (*plan, error) {
	t, err := template.Read(body)
	if err != nil {
		var el template.ErrorList
		if errors.As(err, &el) {
			return nil, validationErr(el)
		}
		return nil, fmt.Errorf("%w: %w", ErrValidation, err)
	}
	p := &plan{region: region, stackName: name, stackID: stackID, body: body}
	transform := e.cfg.Transform
	if o.Transform != nil {
		transform = o.Transform
	}
	others := false
	for _, tr := range t.Transforms() {
		if tr == template.TransformLanguageExtensions {
			p.opts.LanguageExtensions = true
			continue
		}
		others = true
		if transform == nil {
			var el template.ErrorList
			el.Add(t.Section(template.SectionTransform).Pos, "Transform", "transform %s is not supported by this deployer yet", tr)
			return nil, validationErr(el)
		}
	}
	if others {
		if t, err = transform(t); err != nil {
			var el template.ErrorList
			if errors.As(err, &el) {
				return nil, validationErr(el)
			}
			return nil, fmt.Errorf("%w: %w", ErrValidation, err)
		}
	}
	if errs := t.Check(); len(errs) > 0 {
		return nil, validationErr(errs)
	}
	p.tmpl = t
	p.pseudo = intrinsic.NewPseudo(e.cfg.AccountID, region, name, stackID)

	var errs template.ErrorList
	params, perrs := e.resolveParams(ctx, region, t, given)
	errs.Append(perrs)
	p.params = params
	p.paramHash = hashParams(given)
	p.ssmReads = append(p.ssmReads, params.ssmReads...)
	if len(perrs) > 0 {
		return nil, validationErr(errs)
	}

	base := &intrinsic.Values{PseudoParams: p.pseudo, Params: params.values, Mappings: t.Section(template.SectionMappings)}
	if cs := t.Section(template.SectionConditions); cs != nil {
		conds, cerrs := intrinsic.EvalConditions(cs, base, p.opts)
		errs.Append(cerrs)
		p.conds = conds
	}
	if len(errs) > 0 {
		return nil, validationErr(errs)
	}

	// Resources, with their conditions applied.
	p.resources = map[string]*resourceDecl{}
	var ids []string
	section := t.Section(template.SectionResources)
	for _, f := range section.Fields {
		r := f.Value
		path := "Resources/" + f.Key
		if c := r.Get("Condition"); c != nil {
			cn, _ := c.Text()
			v, ok := p.conds[cn]
			if !ok {
				errs.Add(c.Pos, path+"/Condition", "Condition %s is not defined in the Conditions section", cn)
				continue
			}
			if !v {
				continue
			}
		}
		typ, _ := r.Get("Type").Text()
		d := &resourceDecl{id: f.Key, typ: typ, pos: f.KeyPos, props: r.Get("Properties")}
		if pr, ok := e.cfg.Providers[typ]; ok {
			d.provider = pr
		} else if o.Strict {
			errs.Add(r.Get("Type").Pos, path+"/Type", "resource type %s is not emulated by Cognate (strict mode)", typ)
		} else {
			p.warnings = append(p.warnings, fmt.Sprintf("%s: resource type %s is not emulated; recorded only", f.Key, typ))
		}
		for key, dst := range map[string]*bool{"DeletionPolicy": &d.retain, "UpdateReplacePolicy": &d.retainOnReplace} {
			if n := r.Get(key); n != nil {
				v, _ := n.Text()
				switch v {
				case "Retain", "RetainExceptOnCreate":
					*dst = true
				case "Delete", "Snapshot":
				default:
					errs.Add(n.Pos, path+"/"+key, "%s must be Delete, Retain, RetainExceptOnCreate or Snapshot", key)
				}
			}
		}
		if dn := r.Get("DependsOn"); dn != nil {
			items := []*template.Node{dn}
			if dn.Kind == template.Sequence {
				items = dn.Items
			}
			for _, it := range items {
				s, ok := it.Text()
				if !ok {
					errs.Add(it.Pos, path+"/DependsOn", "DependsOn must be a logical id or a list of them")
					continue
				}
				d.dependsOn = append(d.dependsOn, s)
			}
		}
		p.resources[f.Key] = d
		ids = append(ids, f.Key)
	}
	declared := map[string]bool{}
	for _, f := range section.Fields {
		declared[f.Key] = true
	}
	for _, id := range ids {
		d := p.resources[id]
		for _, dep := range d.dependsOn {
			if _, ok := p.resources[dep]; !ok {
				errs.Add(d.pos, "Resources/"+id+"/DependsOn", "Template format error: Unresolved resource dependencies [%s] in the Resources block of the template", dep)
			}
		}
	}

	// Evaluate everything with placeholders for what does not exist yet.
	isParam := func(n string) bool { _, ok := params.values[n]; return ok }
	placeholder := e.evalContext(ctx, p, nil, true)
	ev := intrinsic.New(placeholder, p.opts)
	evaluated := map[string]*template.Node{}
	for _, id := range ids {
		d := p.resources[id]
		path := "Resources/" + id + "/Properties"
		deps := map[string]bool{}
		for _, dep := range d.dependsOn {
			deps[dep] = true
		}
		if d.props != nil {
			for _, dep := range intrinsic.Dependencies(d.props, isParam) {
				deps[dep] = true
			}
			v, everrs := ev.Eval(d.props, path)
			errs.Append(everrs)
			if len(everrs) > 0 && d.provider != nil && d.props.Kind == template.Mapping {
				// Which properties are given is known without their
				// values: report missing and unknown ones too.
				errs.Append(checkSchema(d.provider.Schema(), d.props, path, d.pos, &p.warnings, id, true))
			}
			if len(everrs) == 0 {
				v, derrs := e.resolveDynamic(ctx, p, v, path, true)
				errs.Append(derrs)
				evaluated[id] = v
				if d.provider != nil && len(derrs) == 0 {
					errs.Append(checkSchema(d.provider.Schema(), v, path, d.pos, &p.warnings, id, false))
					errs.Append(d.provider.Validate(v, path))
				}
			}
		} else if d.provider != nil {
			errs.Append(checkSchema(d.provider.Schema(), nil, path, d.pos, &p.warnings, id, false))
		}
		for dep := range deps {
			if !declared[dep] {
				continue // the evaluator reported it
			}
			if _, ok := p.resources[dep]; ok {
				d.deps = append(d.deps, dep)
			}
		}
		sort.Strings(d.deps)
	}
	addScopeDependencies(p, ids, evaluated)

	if outs := t.Section(template.SectionOutputs); outs != nil {
		for _, f := range outs.Fields {
			if skip, cerr := p.skipByCondition(f.Value, "Outputs/"+f.Key); cerr != nil {
				errs.Append(cerr)
				continue
			} else if skip {
				continue
			}
			v, oerrs := ev.Eval(f.Value, "Outputs/"+f.Key)
			errs.Append(oerrs)
			if en := v.Get("Export").Get("Name"); en != nil {
				name, _ := en.Text()
				if x, err := e.cfg.Store.GetStackExport(ctx, region, name); err == nil && x.StackID != stackID && !IsUnresolved(name) {
					errs.Add(en.Pos, "Outputs/"+f.Key+"/Export/Name", "Export with name %s is already exported by stack %s", name, stackNameOfID(x.StackID))
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, validationErr(errs)
	}
	sorted, cycle := order(ids, func() map[string][]string {
		m := map[string][]string{}
		for _, id := range ids {
			m[id] = p.resources[id].deps
		}
		return m
	}())
	if cycle != nil {
		errs.Add(template.Pos{}, "Resources", "Circular dependency between resources: %s", cycleText(cycle))
		return nil, validationErr(errs)
	}
	p.order = sorted
	sort.Strings(p.imports)
	p.imports = dedupe(p.imports)
	p.ssmReads = dedupe(p.ssmReads)
	return p, nil
}

// skipByCondition reports whether an output's Condition is false.
func (p *plan) skipByCondition(n *template.Node, path string) (bool, template.ErrorList) {
	c := n.Get("Condition")
	if c == nil {
		return false, nil
	}
	cn, _ := c.Text()
	v, ok := p.conds[cn]
	if !ok {
		var el template.ErrorList
		el.Add(c.Pos, path+"/Condition", "Condition %s is not defined in the Conditions section", cn)
		return false, el
	}
	return !v, nil
}

// addScopeDependencies makes a user-pool client wait for the resource
// servers of the same template whose scopes it names, with or without
// DependsOn: Cognito refuses a client whose scopes do not exist yet.
func addScopeDependencies(p *plan, ids []string, evaluated map[string]*template.Node) {
	servers := map[string]string{} // identifier -> logical id
	for _, id := range ids {
		if p.resources[id].typ != "AWS::Cognito::UserPoolResourceServer" || evaluated[id] == nil {
			continue
		}
		if ident, ok := evaluated[id].Get("Identifier").Text(); ok && !IsUnresolved(ident) {
			servers[ident] = id
		}
	}
	for _, id := range ids {
		d := p.resources[id]
		if d.typ != "AWS::Cognito::UserPoolClient" || evaluated[id] == nil {
			continue
		}
		scopes := evaluated[id].Get("AllowedOAuthScopes")
		if scopes == nil {
			continue
		}
		for _, it := range scopes.Items {
			s, _ := it.Text()
			i := strings.LastIndex(s, "/")
			if i <= 0 {
				continue
			}
			if rs, ok := servers[s[:i]]; ok && rs != id && !contains(d.deps, rs) {
				d.deps = append(d.deps, rs)
			}
		}
		sort.Strings(d.deps)
	}
}

// evalContext returns the Context resources are evaluated in. With
// placeholders, resources that do not exist yet evaluate to Unresolved
// markers; otherwise state supplies their values.
func (e *Engine) evalContext(ctx context.Context, p *plan, state map[string]*resState, placeholders bool) *intrinsic.Values {
	return &intrinsic.Values{
		PseudoParams: p.pseudo,
		Params:       p.params.values,
		Mappings:     p.tmpl.Section(template.SectionMappings),
		Conditions:   p.conds,
		RefFunc: func(id string) (*template.Node, error) {
			d, ok := p.resources[id]
			if !ok {
				return nil, intrinsic.ErrUnknown
			}
			if placeholders {
				return template.NewString(Unresolved + id), nil
			}
			st := state[id]
			if st == nil {
				return nil, fmt.Errorf("resource %s (%s) is not created yet", id, d.typ)
			}
			return template.NewString(st.physicalID), nil
		},
		GetAttFunc: func(id, attr string) (*template.Node, error) {
			d, ok := p.resources[id]
			if !ok {
				return nil, intrinsic.ErrUnknown
			}
			if d.provider != nil && !contains(d.provider.Schema().Attributes, attr) {
				return nil, fmt.Errorf("Template error: resource %s does not support attribute type %s in Fn::GetAtt", id, attr)
			}
			if placeholders {
				return template.NewString(Unresolved + id + "." + attr), nil
			}
			st := state[id]
			if st == nil {
				return nil, fmt.Errorf("resource %s (%s) is not created yet", id, d.typ)
			}
			if v, ok := st.attrs[attr]; ok {
				return template.NewString(v), nil
			}
			if la, ok := d.provider.(LiveAttributes); ok {
				props, _ := decodeNode(st.props)
				v, ok, err := la.LiveAttribute(ctx, p.request(id, props), st.physicalID, attr)
				if err != nil {
					return nil, err
				}
				if ok {
					return template.NewString(v), nil
				}
			}
			if d.provider == nil {
				return template.NewString(st.physicalID + "." + attr), nil
			}
			return nil, fmt.Errorf("resource %s has no value for attribute %s", id, attr)
		},
		ImportFunc: func(name string) (*template.Node, error) {
			x, err := e.cfg.Store.GetStackExport(ctx, p.region, name)
			if errors.Is(err, store.ErrNotFound) {
				return nil, fmt.Errorf("No export named %s found", name)
			}
			if err != nil {
				return nil, err
			}
			if placeholders {
				p.imports = append(p.imports, name)
			}
			return template.NewString(x.Value), nil
		},
	}
}

// request returns the provider request for one resource.
func (p *plan) request(id string, props *template.Node) Request {
	return Request{Region: p.region, StackName: p.stackName, StackID: p.stackID, LogicalID: id, Properties: props,
		AccountID: p.pseudo.AccountID}
}

// checkSchema checks evaluated properties against a provider's schema;
// keysOnly checks only which properties are given (for properties that
// could not be evaluated).
func checkSchema(s Schema, props *template.Node, path string, pos template.Pos, warnings *[]string, id string, keysOnly bool) template.ErrorList {
	var errs template.ErrorList
	if props != nil && props.Kind != template.Mapping {
		errs.Add(props.Pos, path, "Properties must be an object")
		return errs
	}
	for _, req := range s.Required {
		if props.Get(req) == nil {
			at := pos
			if props != nil {
				at = props.Pos
			}
			errs.Add(at, path+"/"+req, "Property %s cannot be empty (required property missing)", req)
		}
	}
	if props == nil {
		return errs
	}
	for _, f := range props.Fields {
		k, ok := s.Properties[f.Key]
		fp := path + "/" + f.Key
		if !ok {
			if s.Open {
				*warnings = append(*warnings, fmt.Sprintf("%s: property %s is accepted but not emulated", id, f.Key))
				continue
			}
			errs.Add(f.KeyPos, fp, "Encountered unsupported property %s", f.Key)
			continue
		}
		if keysOnly {
			continue
		}
		if msg := kindProblem(k, f.Value); msg != "" {
			errs.Add(f.Value.Pos, fp, "%s", msg)
		}
	}
	return errs
}

func kindProblem(k Kind, n *template.Node) string {
	switch k {
	case KindString:
		if !n.Kind.IsScalar() {
			return "Value of property must be of type String, got " + n.Kind.String()
		}
	case KindBool:
		s, ok := n.Text()
		if !ok || (s != "true" && s != "false" && !IsUnresolved(s)) {
			return "Value of property must be of type Boolean"
		}
	case KindInteger:
		s, ok := n.Text()
		if !ok || (!isInteger(s) && !IsUnresolved(s)) {
			return "Value of property must be of type Integer"
		}
	case KindList:
		if n.Kind != template.Sequence {
			return "Value of property must be of type List of String, got " + n.Kind.String()
		}
		for _, it := range n.Items {
			if !it.Kind.IsScalar() {
				return "Value of property must be of type List of String"
			}
		}
	case KindObject:
		if n.Kind != template.Mapping {
			return "Value of property must be an object, got " + n.Kind.String()
		}
	case KindObjectList:
		if n.Kind != template.Sequence {
			return "Value of property must be of type List, got " + n.Kind.String()
		}
		for _, it := range n.Items {
			if it.Kind != template.Mapping {
				return "Value of property must be a list of objects"
			}
		}
	}
	return ""
}

func isInteger(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func dedupe(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// stackNameOfID returns the name in a stack ARN
// (arn:aws:cloudformation:{region}:{account}:stack/{name}/{uuid}).
func stackNameOfID(id string) string {
	i := strings.Index(id, ":stack/")
	if i < 0 {
		return id
	}
	rest := id[i+len(":stack/"):]
	if j := strings.LastIndex(rest, "/"); j >= 0 {
		return rest[:j]
	}
	return rest
}

package template

import (
	"regexp"
	"slices"
	"strings"
)

// The top-level sections of a template. Globals is SAM's and is valid
// only under the AWS::Serverless-2016-10-31 transform, which removes it.
const (
	SectionFormatVersion = "AWSTemplateFormatVersion"
	SectionDescription   = "Description"
	SectionMetadata      = "Metadata"
	SectionParameters    = "Parameters"
	SectionRules         = "Rules"
	SectionMappings      = "Mappings"
	SectionConditions    = "Conditions"
	SectionTransform     = "Transform"
	SectionResources     = "Resources"
	SectionOutputs       = "Outputs"
	SectionHooks         = "Hooks"
	SectionGlobals       = "Globals"
)

// The transforms Cognate knows by name.
const (
	TransformServerless         = "AWS::Serverless-2016-10-31"
	TransformLanguageExtensions = "AWS::LanguageExtensions"
	TransformInclude            = "AWS::Include"
)

// FormatVersion is the only AWSTemplateFormatVersion there is.
const FormatVersion = "2010-09-09"

var sections = []string{
	SectionFormatVersion, SectionDescription, SectionMetadata, SectionParameters, SectionRules,
	SectionMappings, SectionConditions, SectionTransform, SectionResources, SectionOutputs,
	SectionHooks, SectionGlobals,
}

// Template is a template as read: its document, a Mapping, and the syntax
// it was written in. Nothing is evaluated or transformed.
type Template struct {
	Root   *Node
	Format Format
}

// Read reads a CloudFormation template in YAML or JSON (see ReadValue).
// Short-form tags become long-form functions, anchors and merge keys are
// expanded, and every node carries its position. The error, when not nil,
// is an ErrorList naming every problem the reader found: unknown tags,
// duplicate keys, a document that is not a mapping. The anatomy of the
// sections is checked by Check.
func Read(src []byte) (*Template, error) {
	root, format, err := ReadValue(src)
	if err != nil {
		return nil, err
	}
	if root.Kind != Mapping {
		msg := "a template must be a JSON object or YAML mapping, not a " + root.Kind.String()
		if root.Kind == Null {
			msg = "the template is empty"
		}
		return nil, ErrorList{{Pos: root.Pos, Msg: msg}}
	}
	return &Template{Root: root, Format: format}, nil
}

// Section returns a top-level section, or nil when the template has none.
func (t *Template) Section(name string) *Node { return t.Root.Get(name) }

// Transforms returns the names in the Transform section, in order.
func (t *Template) Transforms() []string {
	tr := t.Section(SectionTransform)
	if tr == nil {
		return nil
	}
	if tr.Kind == String {
		return []string{tr.Value}
	}
	var names []string
	for _, it := range tr.Items {
		if it.Kind == String {
			names = append(names, it.Value)
		}
	}
	return names
}

// HasTransform reports whether the Transform section names name.
func (t *Template) HasTransform(name string) bool { return slices.Contains(t.Transforms(), name) }

var logicalID = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// resourceKeys are the attributes a resource may have. Connectors and
// IgnoreGlobals are SAM's.
var resourceKeys = map[string]bool{
	"Type": true, "Properties": true, "DependsOn": true, "Condition": true, "DeletionPolicy": true,
	"UpdateReplacePolicy": true, "Metadata": true, "CreationPolicy": true, "UpdatePolicy": true,
	"Version": true, "Connectors": true, "IgnoreGlobals": true,
}

var outputKeys = map[string]bool{"Value": true, "Description": true, "Export": true, "Condition": true}

var policies = []string{"Delete", "Retain", "RetainExceptOnCreate", "Snapshot"}

// Check checks the template's anatomy, as CloudFormation does before it
// looks at any value: known top-level sections of the right kinds, at
// least one resource, logical ids that are alphanumeric, every resource
// with a Type, every output with a Value. It reports every problem, in
// source order. Intrinsic functions are the evaluator's to check.
func (t *Template) Check() ErrorList {
	var errs ErrorList
	for _, f := range t.Root.Fields {
		if !slices.Contains(sections, f.Key) {
			errs.Add(f.KeyPos, f.Key, "invalid template property %q; the sections are %s", f.Key, strings.Join(sections, ", "))
		}
	}
	if v := t.Section(SectionFormatVersion); v != nil && (v.Kind != String || v.Value != FormatVersion) {
		errs.Add(v.Pos, SectionFormatVersion, "unsupported template version %s; the only one is %q", v, FormatVersion)
	}
	if v := t.Section(SectionDescription); v != nil && v.Kind != String {
		errs.Add(v.Pos, SectionDescription, "Description must be a string, not a %s", v.Kind)
	}
	checkTransform(t.Section(SectionTransform), &errs)
	for _, name := range []string{SectionMetadata, SectionParameters, SectionRules, SectionMappings, SectionConditions, SectionOutputs, SectionHooks, SectionGlobals} {
		if v := t.Section(name); v != nil && v.Kind != Mapping {
			errs.Add(v.Pos, name, "the %s section must be a mapping, not a %s", name, v.Kind)
		}
	}
	t.checkNamed(SectionParameters, &errs, func(path string, p *Node) {
		if typ := p.Get("Type"); typ == nil || typ.Kind != String {
			errs.Add(p.Pos, path, "every parameter must have a Type that is a string")
		}
	})
	t.checkNamed(SectionMappings, &errs, func(path string, m *Node) {
		for _, top := range m.Fields {
			if top.Value.Kind != Mapping {
				errs.Add(top.Value.Pos, JoinPath(path, top.Key), "a mapping's keys must hold mappings, not a %s", top.Value.Kind)
			}
		}
	})
	t.checkResources(&errs)
	t.checkNamed(SectionOutputs, &errs, func(path string, o *Node) {
		for _, f := range o.Fields {
			if !outputKeys[f.Key] {
				errs.Add(f.KeyPos, JoinPath(path, f.Key), "invalid output property %q", f.Key)
			}
		}
		if o.Get("Value") == nil {
			errs.Add(o.Pos, path, "every output must have a Value")
		}
		if e := o.Get("Export"); e != nil && (e.Kind != Mapping || e.Get("Name") == nil) {
			errs.Add(e.Pos, JoinPath(path, "Export"), "Export must be a mapping with a Name")
		}
		checkConditionName(o, t.Section(SectionConditions), path, &errs)
	})
	errs.Sort()
	return errs
}

func checkTransform(tr *Node, errs *ErrorList) {
	if tr == nil {
		return
	}
	items := []*Node{tr}
	if tr.Kind == Sequence {
		items = tr.Items
	}
	for _, it := range items {
		if it.Kind != String {
			errs.Add(it.Pos, SectionTransform, "Transform names transforms by string, not a %s", it.Kind)
		}
	}
}

// checkNamed runs check on each member of a section that is a mapping of
// logical ids to mappings, reporting ids that are not alphanumeric and
// members that are not mappings.
func (t *Template) checkNamed(section string, errs *ErrorList, check func(path string, n *Node)) {
	s := t.Section(section)
	if s == nil || s.Kind != Mapping {
		return
	}
	for _, f := range s.Fields {
		path := JoinPath(section, f.Key)
		if !logicalID.MatchString(f.Key) {
			errs.Add(f.KeyPos, path, "logical id %q is not alphanumeric", f.Key)
		}
		if f.Value.Kind != Mapping {
			errs.Add(f.Value.Pos, path, "must be a mapping, not a %s", f.Value.Kind)
			continue
		}
		check(path, f.Value)
	}
}

func (t *Template) checkResources(errs *ErrorList) {
	res := t.Section(SectionResources)
	if res == nil || res.Kind != Mapping || len(res.Fields) == 0 {
		pos := t.Root.Pos
		if res != nil {
			pos = res.Pos
		}
		if res == nil || res.Kind == Mapping {
			errs.Add(pos, SectionResources, "at least one resource must be defined")
		} else {
			errs.Add(pos, SectionResources, "the Resources section must be a mapping, not a %s", res.Kind)
		}
		return
	}
	extensions := t.HasTransform(TransformLanguageExtensions)
	for _, f := range res.Fields {
		path := JoinPath(SectionResources, f.Key)
		if extensions && strings.HasPrefix(f.Key, "Fn::ForEach::") {
			continue // expanded by the transform
		}
		if !logicalID.MatchString(f.Key) {
			errs.Add(f.KeyPos, path, "logical id %q is not alphanumeric", f.Key)
		}
		r := f.Value
		if r.Kind != Mapping {
			errs.Add(r.Pos, path, "a resource must be a mapping, not a %s", r.Kind)
			continue
		}
		for _, a := range r.Fields {
			if !resourceKeys[a.Key] {
				errs.Add(a.KeyPos, JoinPath(path, a.Key), "invalid resource attribute %q", a.Key)
			}
		}
		if typ := r.Get("Type"); typ == nil {
			errs.Add(r.Pos, path, "every resource must have a Type")
		} else if typ.Kind != String || typ.Value == "" {
			errs.Add(typ.Pos, JoinPath(path, "Type"), "Type must be a non-empty string")
		}
		if p := r.Get("Properties"); p != nil && p.Kind != Mapping && p.Kind != Null {
			if _, _, fn := p.Intrinsic(); !fn {
				errs.Add(p.Pos, JoinPath(path, "Properties"), "Properties must be a mapping, not a %s", p.Kind)
			}
		}
		if d := r.Get("DependsOn"); d != nil {
			items := []*Node{d}
			if d.Kind == Sequence {
				items = d.Items
			}
			for _, it := range items {
				if it.Kind != String {
					errs.Add(it.Pos, JoinPath(path, "DependsOn"), "DependsOn names resources by string, not a %s", it.Kind)
				} else if res.Get(it.Value) == nil {
					errs.Add(it.Pos, JoinPath(path, "DependsOn"), "DependsOn names %q, which is not a resource of this template", it.Value)
				}
			}
		}
		for _, name := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
			if v := r.Get(name); v != nil && v.Kind == String && !slices.Contains(policies, v.Value) {
				errs.Add(v.Pos, JoinPath(path, name), "%s must be one of %s, not %q", name, strings.Join(policies, ", "), v.Value)
			}
		}
		checkConditionName(r, t.Section(SectionConditions), path, errs)
	}
}

// checkConditionName checks a resource's or output's Condition attribute
// names a condition of the Conditions section.
func checkConditionName(n, conditions *Node, path string, errs *ErrorList) {
	c := n.Get("Condition")
	switch {
	case c == nil:
	case c.Kind != String:
		errs.Add(c.Pos, JoinPath(path, "Condition"), "Condition names a condition by string, not a %s", c.Kind)
	case conditions.Get(c.Value) == nil:
		errs.Add(c.Pos, JoinPath(path, "Condition"), "no condition named %q in Conditions", c.Value)
	}
}

package provider

import (
	"context"
	"strings"

	"github.com/cognatehq/cognate/internal/ssm"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// Parameter provides AWS::SSM::Parameter. Ref is the parameter's name;
// Fn::GetAtt gives Type and Value.
type Parameter struct{ P Parameters }

// Schema lists the type's properties; a new Name replaces the parameter.
func (Parameter) Schema() stack.Schema {
	return stack.Schema{
		Properties: map[string]stack.Kind{
			"Name": stack.KindString, "Type": stack.KindString, "Value": stack.KindString,
			"Description": stack.KindString, "AllowedPattern": stack.KindString, "Tier": stack.KindString,
			"Policies": stack.KindString, "DataType": stack.KindString, "Tags": stack.KindObject,
		},
		Required:   []string{"Type", "Value"},
		Replace:    []string{"Name"},
		Attributes: []string{"Type", "Value"},
	}
}

// Validate checks the name and type as SSM and CloudFormation do before
// calling PutParameter: a hierarchical name must start with "/"
// (APIGATEWAY.md §6), and CloudFormation creates only String and
// StringList parameters.
func (Parameter) Validate(props *template.Node, path string) template.ErrorList {
	var errs template.ErrorList
	if n := props.Get("Name"); n != nil {
		name, _ := n.Text()
		if !stack.IsUnresolved(name) {
			trimmed := strings.TrimPrefix(name, "/")
			switch {
			case strings.Contains(name, "/") && !strings.HasPrefix(name, "/"):
				errs.Add(n.Pos, path+"/Name", "Parameter name must be a fully qualified name.")
			case hasReservedPrefix(trimmed):
				errs.Add(n.Pos, path+"/Name", `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`)
			}
		}
	}
	if t := props.Get("Type"); t != nil {
		typ, _ := t.Text()
		if !stack.IsUnresolved(typ) && typ != ssm.TypeString && typ != ssm.TypeStringList {
			errs.Add(t.Pos, path+"/Type", "Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [String, StringList]", typ)
		}
	}
	if v := props.Get("Value"); v != nil {
		if s, _ := v.Text(); s == "" {
			errs.Add(v.Pos, path+"/Value", "Property Value cannot be empty")
		}
	}
	return errs
}

func hasReservedPrefix(name string) bool {
	l := strings.ToLower(name)
	return strings.HasPrefix(l, "aws") || strings.HasPrefix(l, "ssm")
}

func putInput(p *template.Node, name string, overwrite bool) ssm.PutInput {
	in := ssm.PutInput{Name: name, Value: str(p, "Value"), Type: str(p, "Type"), Overwrite: overwrite,
		Tier: str(p, "Tier"), DataType: str(p, "DataType")}
	empty := ""
	in.Description, in.AllowedPattern = &empty, &empty
	if s := str(p, "Description"); s != "" {
		in.Description = &s
	}
	if s := str(p, "AllowedPattern"); s != "" {
		in.AllowedPattern = &s
	}
	if s := str(p, "Policies"); s != "" {
		in.Policies = &s
	}
	if tags := p.Get("Tags"); tags != nil && !overwrite {
		for _, f := range tags.Fields {
			v, _ := f.Value.Text()
			in.Tags = append(in.Tags, ssm.Tag{Key: f.Key, Value: v})
		}
	}
	return in
}

func paramErr(err error) error {
	if ssm.KindOf(err) == ssm.KindParameterPatternMismatch {
		return &stack.PropertyError{Property: "Value", Err: err}
	}
	return propErr(err, "Name", "Value", "Type", "AllowedPattern", "Tier", "Policies", "DataType")
}

// Create puts the parameter; without Name it gets a generated one.
func (s Parameter) Create(ctx context.Context, req stack.Request) (stack.Result, error) {
	name := str(req.Properties, "Name")
	if name == "" {
		name = "CFN-" + req.LogicalID + "-" + randomSuffix(12)
	}
	if _, err := s.P.PutParameter(ctx, req.Region, putInput(req.Properties, name, false)); err != nil {
		if ssm.KindOf(err) == ssm.KindValidation && strings.Contains(err.Error(), "name") {
			return stack.Result{}, &stack.PropertyError{Property: "Name", Err: err}
		}
		return stack.Result{}, paramErr(err)
	}
	return paramResult(name, req.Properties), nil
}

// Update writes a new version of the parameter.
func (s Parameter) Update(ctx context.Context, req stack.Request, id string, _ *template.Node) (stack.Result, error) {
	if _, err := s.P.PutParameter(ctx, req.Region, putInput(req.Properties, id, true)); err != nil {
		return stack.Result{}, paramErr(err)
	}
	return paramResult(id, req.Properties), nil
}

// Delete deletes the parameter.
func (s Parameter) Delete(ctx context.Context, req stack.Request, id string) error {
	if err := s.P.DeleteParameter(ctx, req.Region, id); err != nil && !notFound(err) {
		return err
	}
	return nil
}

func paramResult(name string, p *template.Node) stack.Result {
	return stack.Result{PhysicalID: name, Attributes: map[string]string{"Type": str(p, "Type"), "Value": str(p, "Value")}}
}

// PlannedID is the Name the template gives, "" when it gives none.
func (Parameter) PlannedID(req stack.Request) string { return str(req.Properties, "Name") }

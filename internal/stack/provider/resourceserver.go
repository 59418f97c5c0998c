package provider

import (
	"context"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// ResourceServer provides AWS::Cognito::UserPoolResourceServer. Ref is the
// identifier.
type ResourceServer struct{ C Cognito }

// Schema lists the type's properties; Identifier and UserPoolId replace it.
func (ResourceServer) Schema() stack.Schema {
	return stack.Schema{
		Properties: map[string]stack.Kind{
			"Identifier": stack.KindString, "Name": stack.KindString, "UserPoolId": stack.KindString, "Scopes": stack.KindObjectList,
		},
		Required: []string{"Identifier", "Name", "UserPoolId"},
		Replace:  []string{"Identifier", "UserPoolId"},
	}
}

// Validate checks that every scope has a name and a description.
func (ResourceServer) Validate(props *template.Node, path string) template.ErrorList {
	var errs template.ErrorList
	if sc := props.Get("Scopes"); sc != nil {
		for i, s := range sc.Items {
			for _, k := range []string{"ScopeName", "ScopeDescription"} {
				if s.Get(k) == nil {
					errs.Add(s.Pos, template.JoinPath(template.IndexPath(path+"/Scopes", i), k), "Property %s cannot be empty (required property missing)", k)
				}
			}
		}
	}
	return errs
}

func rsInput(p *template.Node) identity.ResourceServer {
	rs := identity.ResourceServer{PoolID: str(p, "UserPoolId"), Identifier: str(p, "Identifier"), Name: str(p, "Name")}
	if sc := p.Get("Scopes"); sc != nil {
		for _, s := range sc.Items {
			rs.Scopes = append(rs.Scopes, identity.Scope{Name: str(s, "ScopeName"), Description: str(s, "ScopeDescription")})
		}
	}
	return rs
}

func rsErr(err error) error { return propErr(err, "Scopes", "Identifier", "Name", "UserPoolId") }

// Create creates the resource server.
func (r ResourceServer) Create(ctx context.Context, req stack.Request) (stack.Result, error) {
	rs, err := r.C.CreateResourceServer(ctx, req.Region, rsInput(req.Properties))
	if err != nil {
		return stack.Result{}, rsErr(err)
	}
	return stack.Result{PhysicalID: rs.Identifier}, nil
}

// Update replaces the name and scopes.
func (r ResourceServer) Update(ctx context.Context, req stack.Request, id string, _ *template.Node) (stack.Result, error) {
	rs, err := r.C.UpdateResourceServer(ctx, req.Region, rsInput(req.Properties))
	if err != nil {
		return stack.Result{}, rsErr(err)
	}
	return stack.Result{PhysicalID: rs.Identifier}, nil
}

// Delete deletes the resource server.
func (r ResourceServer) Delete(ctx context.Context, req stack.Request, id string) error {
	if err := r.C.DeleteResourceServer(ctx, req.Region, str(req.Properties, "UserPoolId"), id); err != nil && !notFound(err) {
		return err
	}
	return nil
}

// PlannedID is the identifier.
func (ResourceServer) PlannedID(req stack.Request) string { return str(req.Properties, "Identifier") }

package awsapi

import (
	"context"

	"github.com/cognatehq/cognate/internal/identity"
)

// CreateResourceServer, DescribeResourceServer, ListResourceServers,
// UpdateResourceServer and DeleteResourceServer.

type resourceServerScopeType struct {
	ScopeDescription *string `json:",omitempty"`
	ScopeName        *string `json:",omitempty"`
}

// resourceServerInput is the input of CreateResourceServer and
// UpdateResourceServer.
type resourceServerInput struct {
	UserPoolId *string
	Identifier *string
	Name       *string
	Scopes     []resourceServerScopeType
}

func (in *resourceServerInput) checkRequired(v *validation) {
	v.notNull(in.UserPoolId != nil, "userPoolId")
	v.notNull(in.Identifier != nil, "identifier")
	v.notNull(in.Name != nil, "name")
	for i, s := range in.Scopes {
		v.notNull(s.ScopeName != nil, item("scopes", i)+".scopeName")
		v.notNull(s.ScopeDescription != nil, item("scopes", i)+".scopeDescription")
	}
}

func (in *resourceServerInput) domain() identity.ResourceServer {
	rs := identity.ResourceServer{PoolID: *in.UserPoolId, Identifier: *in.Identifier, Name: *in.Name}
	for _, s := range in.Scopes {
		rs.Scopes = append(rs.Scopes, identity.Scope{Name: *s.ScopeName, Description: *s.ScopeDescription})
	}
	return rs
}

type resourceServerIDInput struct {
	UserPoolId *string
	Identifier *string
}

func (in *resourceServerIDInput) checkRequired(v *validation) {
	v.notNull(in.UserPoolId != nil, "userPoolId")
	v.notNull(in.Identifier != nil, "identifier")
}

type listResourceServersInput struct {
	UserPoolId *string
	MaxResults *int64
	NextToken  string
}

func (in *listResourceServersInput) checkRequired(v *validation) {
	v.notNull(in.UserPoolId != nil, "userPoolId")
	v.atLeast(in.MaxResults, "maxResults", 1) // an explicit 0 is below the model's 1-50
}

// resourceServerType is ResourceServerType. Scopes is always sent, [] for
// a server without scopes [guess].
type resourceServerType struct {
	Identifier string
	Name       string
	Scopes     []resourceServerScopeType
	UserPoolId string
}

type resourceServerOutput struct {
	ResourceServer resourceServerType
}

type listResourceServersOutput struct {
	NextToken       string `json:",omitempty"`
	ResourceServers []resourceServerType
}

func describeResourceServer(rs identity.ResourceServer) resourceServerType {
	out := resourceServerType{Identifier: rs.Identifier, Name: rs.Name, UserPoolId: rs.PoolID,
		Scopes: make([]resourceServerScopeType, len(rs.Scopes))}
	for i, s := range rs.Scopes {
		out.Scopes[i] = resourceServerScopeType{ScopeDescription: ptr(s.Description), ScopeName: ptr(s.Name)}
	}
	return out
}

func (h *Cognito) createResourceServer(ctx context.Context, region string, in *resourceServerInput) (resourceServerOutput, error) {
	rs, err := h.svc.CreateResourceServer(ctx, region, in.domain())
	if err != nil {
		return resourceServerOutput{}, err
	}
	return resourceServerOutput{ResourceServer: describeResourceServer(rs)}, nil
}

func (h *Cognito) describeResourceServer(ctx context.Context, region string, in *resourceServerIDInput) (resourceServerOutput, error) {
	rs, err := h.svc.DescribeResourceServer(ctx, region, *in.UserPoolId, *in.Identifier)
	if err != nil {
		return resourceServerOutput{}, err
	}
	return resourceServerOutput{ResourceServer: describeResourceServer(rs)}, nil
}

func (h *Cognito) listResourceServers(ctx context.Context, region string, in *listResourceServersInput) (listResourceServersOutput, error) {
	list, next, err := h.svc.ListResourceServers(ctx, region, *in.UserPoolId, in.NextToken, int(deref(in.MaxResults)))
	if err != nil {
		return listResourceServersOutput{}, err
	}
	out := listResourceServersOutput{NextToken: next, ResourceServers: make([]resourceServerType, len(list))}
	for i, rs := range list {
		out.ResourceServers[i] = describeResourceServer(rs)
	}
	return out, nil
}

func (h *Cognito) updateResourceServer(ctx context.Context, region string, in *resourceServerInput) (resourceServerOutput, error) {
	rs, err := h.svc.UpdateResourceServer(ctx, region, in.domain())
	if err != nil {
		return resourceServerOutput{}, err
	}
	return resourceServerOutput{ResourceServer: describeResourceServer(rs)}, nil
}

func (h *Cognito) deleteResourceServer(ctx context.Context, region string, in *resourceServerIDInput) (empty, error) {
	return empty{}, h.svc.DeleteResourceServer(ctx, region, *in.UserPoolId, *in.Identifier)
}

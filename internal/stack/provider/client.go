package provider

import (
	"context"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// Client provides AWS::Cognito::UserPoolClient. Ref is the client id;
// Fn::GetAtt gives ClientId, Name and ClientSecret (read live from the
// identity service, never stored by the engine).
type Client struct{ C Cognito }

// Schema lists the type's properties; UserPoolId and GenerateSecret
// replace the client.
func (Client) Schema() stack.Schema {
	return stack.Schema{
		Properties: map[string]stack.Kind{
			"ClientName":                               stack.KindString,
			"UserPoolId":                               stack.KindString,
			"GenerateSecret":                           stack.KindBool,
			"AllowedOAuthFlows":                        stack.KindList,
			"AllowedOAuthScopes":                       stack.KindList,
			"AllowedOAuthFlowsUserPoolClient":          stack.KindBool,
			"ExplicitAuthFlows":                        stack.KindList,
			"CallbackURLs":                             stack.KindList,
			"LogoutURLs":                               stack.KindList,
			"DefaultRedirectURI":                       stack.KindString,
			"SupportedIdentityProviders":               stack.KindList,
			"ReadAttributes":                           stack.KindList,
			"WriteAttributes":                          stack.KindList,
			"AccessTokenValidity":                      stack.KindInteger,
			"IdTokenValidity":                          stack.KindInteger,
			"RefreshTokenValidity":                     stack.KindInteger,
			"TokenValidityUnits":                       stack.KindObject,
			"PreventUserExistenceErrors":               stack.KindString,
			"EnableTokenRevocation":                    stack.KindBool,
			"EnablePropagateAdditionalUserContextData": stack.KindBool,
			"AuthSessionValidity":                      stack.KindInteger,
			"AnalyticsConfiguration":                   stack.KindObject,
		},
		Required:   []string{"UserPoolId"},
		Replace:    []string{"UserPoolId", "GenerateSecret"},
		Attributes: []string{"ClientId", "ClientSecret", "Name"},
	}
}

// Validate has nothing to add to the schema.
func (Client) Validate(*template.Node, string) template.ErrorList { return nil }

func clientSettings(req stack.Request) identity.ClientSettings {
	p := req.Properties
	in := identity.ClientSettings{
		ClientName:                               str(p, "ClientName"),
		RefreshTokenValidity:                     integer(p, "RefreshTokenValidity"),
		AccessTokenValidity:                      integer(p, "AccessTokenValidity"),
		IDTokenValidity:                          integer(p, "IdTokenValidity"),
		ReadAttributes:                           list(p, "ReadAttributes"),
		WriteAttributes:                          list(p, "WriteAttributes"),
		ExplicitAuthFlows:                        list(p, "ExplicitAuthFlows"),
		SupportedIdentityProviders:               list(p, "SupportedIdentityProviders"),
		CallbackURLs:                             list(p, "CallbackURLs"),
		LogoutURLs:                               list(p, "LogoutURLs"),
		DefaultRedirectURI:                       str(p, "DefaultRedirectURI"),
		AllowedOAuthFlows:                        list(p, "AllowedOAuthFlows"),
		AllowedOAuthScopes:                       list(p, "AllowedOAuthScopes"),
		AllowedOAuthFlowsUserPoolClient:          boolean(p, "AllowedOAuthFlowsUserPoolClient"),
		PreventUserExistenceErrors:               str(p, "PreventUserExistenceErrors"),
		EnablePropagateAdditionalUserContextData: boolean(p, "EnablePropagateAdditionalUserContextData"),
		AuthSessionValidity:                      int(integer(p, "AuthSessionValidity")),
	}
	if p.Get("EnableTokenRevocation") != nil {
		b := boolean(p, "EnableTokenRevocation")
		in.EnableTokenRevocation = &b
	}
	if u := p.Get("TokenValidityUnits"); u != nil {
		in.TokenValidityUnits = &identity.TokenValidityUnits{AccessToken: str(u, "AccessToken"), IDToken: str(u, "IdToken"), RefreshToken: str(u, "RefreshToken")}
	}
	return in
}

func clientErr(err error) error {
	if identity.KindOf(err) == identity.KindScopeDoesNotExist {
		return &stack.PropertyError{Property: "AllowedOAuthScopes", Err: err}
	}
	return propErr(err, "AllowedOAuthScopes", "AllowedOAuthFlows", "ExplicitAuthFlows", "CallbackURLs", "LogoutURLs",
		"DefaultRedirectURI", "SupportedIdentityProviders", "ReadAttributes", "WriteAttributes", "TokenValidityUnits", "ClientName")
}

// PlannedID draws the id the client will have, so that the engine can
// journal it before the client exists.
func (Client) PlannedID(stack.Request) string { return identity.NewClientID() }

// Create creates the client with the planned id (a fresh one when the
// engine planned none); without ClientName it gets a generated name.
func (c Client) Create(ctx context.Context, req stack.Request) (stack.Result, error) {
	in := clientSettings(req)
	if in.ClientName == "" {
		in.ClientName = req.LogicalID + "-" + randomSuffix(12)
	}
	pool, secret := str(req.Properties, "UserPoolId"), boolean(req.Properties, "GenerateSecret")
	var cl identity.Client
	var err error
	if req.Planned != "" {
		cl, err = c.C.CreateUserPoolClientWithID(ctx, req.Region, pool, req.Planned, in, secret, "")
	} else {
		cl, err = c.C.CreateUserPoolClient(ctx, req.Region, pool, in, secret, "")
	}
	if err != nil {
		return stack.Result{}, clientErr(err)
	}
	return clientResult(cl), nil
}

// Update updates the client in place; the secret is kept.
func (c Client) Update(ctx context.Context, req stack.Request, id string, _ *template.Node) (stack.Result, error) {
	cl, err := c.C.UpdateUserPoolClient(ctx, req.Region, str(req.Properties, "UserPoolId"), id, clientSettings(req))
	if err != nil {
		return stack.Result{}, clientErr(err)
	}
	return clientResult(cl), nil
}

// Delete deletes the client.
func (c Client) Delete(ctx context.Context, req stack.Request, id string) error {
	if err := c.C.DeleteUserPoolClient(ctx, req.Region, str(req.Properties, "UserPoolId"), id); err != nil && !notFound(err) {
		return err
	}
	return nil
}

// LiveAttribute reads ClientSecret from the identity service.
func (c Client) LiveAttribute(ctx context.Context, req stack.Request, id, name string) (string, bool, error) {
	if name != "ClientSecret" {
		return "", false, nil
	}
	// The pool id is the Ref of the client's pool; the engine passes no
	// properties here, so find it from the client itself.
	pool := ""
	if req.Properties != nil {
		pool = str(req.Properties, "UserPoolId")
	}
	if pool == "" {
		return "", false, nil
	}
	cl, err := c.C.DescribeUserPoolClient(ctx, req.Region, pool, id)
	if err != nil {
		return "", false, err
	}
	return cl.ClientSecret, true, nil
}

func clientResult(cl identity.Client) stack.Result {
	return stack.Result{PhysicalID: cl.ClientID, Attributes: map[string]string{"ClientId": cl.ClientID, "Name": cl.Settings.ClientName}}
}

package awsapi

import (
	"context"
	"encoding/json"

	"github.com/cognatehq/cognate/internal/identity"
)

// CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients,
// UpdateUserPoolClient and DeleteUserPoolClient.
//
// Answers carry the client secret; like every response body they are
// never logged.

type tokenValidityUnitsType struct {
	AccessToken  string `json:",omitempty"`
	IdToken      string `json:",omitempty"`
	RefreshToken string `json:",omitempty"`
}

type analyticsConfigurationType struct {
	ApplicationArn string `json:",omitempty"`
	ApplicationId  string `json:",omitempty"`
	ExternalId     string `json:",omitempty"`
	RoleArn        string `json:",omitempty"`
	UserDataShared *bool  `json:",omitempty"`
}

type refreshTokenRotationType struct {
	Feature                 *string `json:",omitempty"`
	RetryGracePeriodSeconds *int    `json:",omitempty"`
}

// clientConfig holds the members CreateUserPoolClient and
// UpdateUserPoolClient share.
type clientConfig struct {
	ClientName                               *string
	RefreshTokenValidity                     int64
	AccessTokenValidity                      *int64
	IdTokenValidity                          *int64
	TokenValidityUnits                       *tokenValidityUnitsType
	ReadAttributes                           []string
	WriteAttributes                          []string
	ExplicitAuthFlows                        []string
	SupportedIdentityProviders               []string
	CallbackURLs                             []string
	LogoutURLs                               []string
	DefaultRedirectURI                       string
	AllowedOAuthFlows                        []string
	AllowedOAuthScopes                       []string
	AllowedOAuthFlowsUserPoolClient          bool
	AnalyticsConfiguration                   *analyticsConfigurationType
	PreventUserExistenceErrors               string
	EnableTokenRevocation                    *bool
	EnablePropagateAdditionalUserContextData bool
	AuthSessionValidity                      *int
	RefreshTokenRotation                     *refreshTokenRotationType
}

func (c *clientConfig) checkRequired(v *validation) {
	// The domain reads 0 as "not set"; only here can an explicit 0 be told
	// apart, and the model's minimums reject it [model].
	v.atLeast(c.AccessTokenValidity, "accessTokenValidity", 1)
	v.atLeast(c.IdTokenValidity, "idTokenValidity", 1)
	if c.AuthSessionValidity != nil {
		v.atLeast(ptr(int64(*c.AuthSessionValidity)), "authSessionValidity", 3)
	}
	if c.RefreshTokenRotation != nil {
		v.notNull(c.RefreshTokenRotation.Feature != nil, "refreshTokenRotation.feature")
	}
}

// settings converts the shared members to domain settings, with the
// unmodelled ones in Extra.
func (c *clientConfig) settings() (identity.ClientSettings, error) {
	s := identity.ClientSettings{
		ClientName:                               deref(c.ClientName),
		RefreshTokenValidity:                     c.RefreshTokenValidity,
		AccessTokenValidity:                      deref(c.AccessTokenValidity),
		IDTokenValidity:                          deref(c.IdTokenValidity),
		ReadAttributes:                           c.ReadAttributes,
		WriteAttributes:                          c.WriteAttributes,
		ExplicitAuthFlows:                        c.ExplicitAuthFlows,
		SupportedIdentityProviders:               c.SupportedIdentityProviders,
		CallbackURLs:                             c.CallbackURLs,
		LogoutURLs:                               c.LogoutURLs,
		DefaultRedirectURI:                       c.DefaultRedirectURI,
		AllowedOAuthFlows:                        c.AllowedOAuthFlows,
		AllowedOAuthScopes:                       c.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient:          c.AllowedOAuthFlowsUserPoolClient,
		PreventUserExistenceErrors:               c.PreventUserExistenceErrors,
		EnableTokenRevocation:                    c.EnableTokenRevocation,
		EnablePropagateAdditionalUserContextData: c.EnablePropagateAdditionalUserContextData,
		AuthSessionValidity:                      deref(c.AuthSessionValidity),
		Extra:                                    identity.Extra{},
	}
	if u := c.TokenValidityUnits; u != nil {
		s.TokenValidityUnits = &identity.TokenValidityUnits{AccessToken: u.AccessToken, IDToken: u.IdToken, RefreshToken: u.RefreshToken}
	}
	if c.AnalyticsConfiguration != nil {
		if err := putExtra(s.Extra, "AnalyticsConfiguration", c.AnalyticsConfiguration); err != nil {
			return s, err
		}
	}
	if c.RefreshTokenRotation != nil {
		if err := putExtra(s.Extra, "RefreshTokenRotation", c.RefreshTokenRotation); err != nil {
			return s, err
		}
	}
	return s, nil
}

type createUserPoolClientInput struct {
	UserPoolId     *string
	GenerateSecret bool
	ClientSecret   string
	clientConfig
}

func (in *createUserPoolClientInput) checkRequired(v *validation) {
	v.notNull(in.UserPoolId != nil, "userPoolId")
	v.notNull(in.ClientName != nil, "clientName")
	in.clientConfig.checkRequired(v)
}

type updateUserPoolClientInput struct {
	UserPoolId *string
	ClientId   *string
	clientConfig
}

func (in *updateUserPoolClientInput) checkRequired(v *validation) {
	v.notNull(in.UserPoolId != nil, "userPoolId")
	v.notNull(in.ClientId != nil, "clientId")
	in.clientConfig.checkRequired(v)
}

type clientIDInput struct {
	UserPoolId *string
	ClientId   *string
}

func (in *clientIDInput) checkRequired(v *validation) {
	v.notNull(in.UserPoolId != nil, "userPoolId")
	v.notNull(in.ClientId != nil, "clientId")
}

type listUserPoolClientsInput struct {
	UserPoolId *string
	MaxResults int
	NextToken  string
}

func (in *listUserPoolClientsInput) checkRequired(v *validation) {
	v.notNull(in.UserPoolId != nil, "userPoolId")
}

// userPoolClientType is UserPoolClientType, members in Coral's
// alphabetical order. Settings Cognito always reports after applying its
// defaults (refresh validity, auth flows, revocation, session validity,
// the OAuth switch) are always sent; the rest only when set.
type userPoolClientType struct {
	AccessTokenValidity                      int64                   `json:",omitempty"`
	AllowedOAuthFlows                        []string                `json:",omitempty"`
	AllowedOAuthFlowsUserPoolClient          bool                    //
	AllowedOAuthScopes                       []string                `json:",omitempty"`
	AnalyticsConfiguration                   json.RawMessage         `json:",omitempty"`
	AuthSessionValidity                      int                     `json:",omitempty"`
	CallbackURLs                             []string                `json:",omitempty"`
	ClientId                                 string                  `json:",omitempty"`
	ClientName                               string                  `json:",omitempty"`
	ClientSecret                             string                  `json:",omitempty"`
	CreationDate                             epochTime               `json:",omitzero"`
	DefaultRedirectURI                       string                  `json:",omitempty"`
	EnablePropagateAdditionalUserContextData bool                    //
	EnableTokenRevocation                    *bool                   `json:",omitempty"`
	ExplicitAuthFlows                        []string                `json:",omitempty"`
	IdTokenValidity                          int64                   `json:",omitempty"`
	LastModifiedDate                         epochTime               `json:",omitzero"`
	LogoutURLs                               []string                `json:",omitempty"`
	PreventUserExistenceErrors               string                  `json:",omitempty"`
	ReadAttributes                           []string                `json:",omitempty"`
	RefreshTokenRotation                     json.RawMessage         `json:",omitempty"`
	RefreshTokenValidity                     int64                   //
	SupportedIdentityProviders               []string                `json:",omitempty"`
	TokenValidityUnits                       *tokenValidityUnitsType `json:",omitempty"`
	UserPoolId                               string                  `json:",omitempty"`
	WriteAttributes                          []string                `json:",omitempty"`
}

type userPoolClientOutput struct {
	UserPoolClient userPoolClientType
}

// userPoolClientDescription is an item of ListUserPoolClients.
type userPoolClientDescription struct {
	ClientId   string `json:",omitempty"`
	ClientName string `json:",omitempty"`
	UserPoolId string `json:",omitempty"`
}

type listUserPoolClientsOutput struct {
	NextToken       string `json:",omitempty"`
	UserPoolClients []userPoolClientDescription
}

func describeClient(c identity.Client) userPoolClientType {
	s := c.Settings
	out := userPoolClientType{
		AccessTokenValidity:                      s.AccessTokenValidity,
		AllowedOAuthFlows:                        s.AllowedOAuthFlows,
		AllowedOAuthFlowsUserPoolClient:          s.AllowedOAuthFlowsUserPoolClient,
		AllowedOAuthScopes:                       s.AllowedOAuthScopes,
		AnalyticsConfiguration:                   s.Extra["AnalyticsConfiguration"],
		AuthSessionValidity:                      s.AuthSessionValidity,
		CallbackURLs:                             s.CallbackURLs,
		ClientId:                                 c.ClientID,
		ClientName:                               s.ClientName,
		ClientSecret:                             c.ClientSecret,
		CreationDate:                             epochTime(c.CreatedAt),
		DefaultRedirectURI:                       s.DefaultRedirectURI,
		EnablePropagateAdditionalUserContextData: s.EnablePropagateAdditionalUserContextData,
		EnableTokenRevocation:                    s.EnableTokenRevocation,
		ExplicitAuthFlows:                        s.ExplicitAuthFlows,
		IdTokenValidity:                          s.IDTokenValidity,
		LastModifiedDate:                         epochTime(c.UpdatedAt),
		LogoutURLs:                               s.LogoutURLs,
		PreventUserExistenceErrors:               s.PreventUserExistenceErrors,
		ReadAttributes:                           s.ReadAttributes,
		RefreshTokenRotation:                     s.Extra["RefreshTokenRotation"],
		RefreshTokenValidity:                     s.RefreshTokenValidity,
		SupportedIdentityProviders:               s.SupportedIdentityProviders,
		UserPoolId:                               c.PoolID,
		WriteAttributes:                          s.WriteAttributes,
	}
	if u := s.TokenValidityUnits; u != nil {
		out.TokenValidityUnits = &tokenValidityUnitsType{AccessToken: u.AccessToken, IdToken: u.IDToken, RefreshToken: u.RefreshToken}
	}
	return out
}

func (h *Cognito) createUserPoolClient(ctx context.Context, region string, in *createUserPoolClientInput) (userPoolClientOutput, error) {
	s, err := in.settings()
	if err != nil {
		return userPoolClientOutput{}, err
	}
	c, err := h.svc.CreateUserPoolClient(ctx, region, *in.UserPoolId, s, in.GenerateSecret, in.ClientSecret)
	if err != nil {
		return userPoolClientOutput{}, err
	}
	return userPoolClientOutput{UserPoolClient: describeClient(c)}, nil
}

func (h *Cognito) describeUserPoolClient(ctx context.Context, region string, in *clientIDInput) (userPoolClientOutput, error) {
	c, err := h.svc.DescribeUserPoolClient(ctx, region, *in.UserPoolId, *in.ClientId)
	if err != nil {
		return userPoolClientOutput{}, err
	}
	return userPoolClientOutput{UserPoolClient: describeClient(c)}, nil
}

func (h *Cognito) listUserPoolClients(ctx context.Context, region string, in *listUserPoolClientsInput) (listUserPoolClientsOutput, error) {
	list, next, err := h.svc.ListUserPoolClients(ctx, region, *in.UserPoolId, in.NextToken, in.MaxResults)
	if err != nil {
		return listUserPoolClientsOutput{}, err
	}
	out := listUserPoolClientsOutput{NextToken: next, UserPoolClients: make([]userPoolClientDescription, len(list))}
	for i, c := range list {
		out.UserPoolClients[i] = userPoolClientDescription{ClientId: c.ClientID, ClientName: c.Settings.ClientName, UserPoolId: c.PoolID}
	}
	return out, nil
}

func (h *Cognito) updateUserPoolClient(ctx context.Context, region string, in *updateUserPoolClientInput) (userPoolClientOutput, error) {
	s, err := in.settings()
	if err != nil {
		return userPoolClientOutput{}, err
	}
	c, err := h.svc.UpdateUserPoolClient(ctx, region, *in.UserPoolId, *in.ClientId, s)
	if err != nil {
		return userPoolClientOutput{}, err
	}
	return userPoolClientOutput{UserPoolClient: describeClient(c)}, nil
}

func (h *Cognito) deleteUserPoolClient(ctx context.Context, region string, in *clientIDInput) (empty, error) {
	return empty{}, h.svc.DeleteUserPoolClient(ctx, region, *in.UserPoolId, *in.ClientId)
}

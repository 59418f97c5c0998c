package awsapi

import (
	"context"
	"encoding/json"

	"github.com/cognatehq/cognate/internal/identity"
)

// CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool and
// DeleteUserPool.

type createUserPoolInput struct {
	PoolName              *string
	AliasAttributes       []string
	UsernameAttributes    []string
	Schema                []schemaAttributeType
	UsernameConfiguration *usernameConfigurationType
	poolConfig
}

func (in *createUserPoolInput) checkRequired(v *validation) {
	v.notNull(in.PoolName != nil, "poolName")
	in.poolConfig.checkRequired(v)
	if in.UsernameConfiguration != nil {
		v.notNull(in.UsernameConfiguration.CaseSensitive != nil, "usernameConfiguration.caseSensitive")
	}
}

type updateUserPoolInput struct {
	UserPoolId *string
	// PoolName is in the current model: when given it renames the pool.
	PoolName *string
	poolConfig
}

func (in *updateUserPoolInput) checkRequired(v *validation) {
	v.notNull(in.UserPoolId != nil, "userPoolId")
	in.poolConfig.checkRequired(v)
}

type userPoolIDInput struct {
	UserPoolId *string
}

func (in *userPoolIDInput) checkRequired(v *validation) {
	v.notNull(in.UserPoolId != nil, "userPoolId")
}

type listUserPoolsInput struct {
	MaxResults *int
	NextToken  string
}

func (in *listUserPoolsInput) checkRequired(v *validation) {
	v.notNull(in.MaxResults != nil, "maxResults")
}

// userPoolType is UserPoolType, members in Coral's alphabetical order.
// Status, EmailConfigurationFailure and SmsConfigurationFailure are never
// sent: current pools do not report Status, and Cognate sends no mail.
type userPoolType struct {
	AccountRecoverySetting      json.RawMessage       `json:",omitempty"`
	AdminCreateUserConfig       json.RawMessage       `json:",omitempty"`
	AliasAttributes             []string              `json:",omitempty"`
	Arn                         string                `json:",omitempty"`
	AutoVerifiedAttributes      []string              `json:",omitempty"`
	CreationDate                epochTime             `json:",omitzero"`
	CustomDomain                string                `json:",omitempty"`
	DeletionProtection          string                `json:",omitempty"`
	DeviceConfiguration         json.RawMessage       `json:",omitempty"`
	Domain                      string                `json:",omitempty"`
	EmailConfiguration          json.RawMessage       `json:",omitempty"`
	EmailVerificationMessage    json.RawMessage       `json:",omitempty"`
	EmailVerificationSubject    json.RawMessage       `json:",omitempty"`
	EstimatedNumberOfUsers      int                   // always sent, 0 until users exist
	Id                          string                `json:",omitempty"`
	LambdaConfig                json.RawMessage       `json:",omitempty"`
	LastModifiedDate            epochTime             `json:",omitzero"`
	MfaConfiguration            string                `json:",omitempty"`
	Name                        string                `json:",omitempty"`
	Policies                    *userPoolPolicyOut    `json:",omitempty"`
	SchemaAttributes            []schemaAttributeType `json:",omitempty"`
	SmsAuthenticationMessage    json.RawMessage       `json:",omitempty"`
	SmsConfiguration            json.RawMessage       `json:",omitempty"`
	SmsVerificationMessage      json.RawMessage       `json:",omitempty"`
	UserAttributeUpdateSettings json.RawMessage       `json:",omitempty"`
	UserPoolAddOns              json.RawMessage       `json:",omitempty"`
	// UserPoolTags is always sent, {} when the pool has none [guess: as
	// describe-user-pool captures show it].
	UserPoolTags                map[string]string
	UserPoolTier                string                     `json:",omitempty"`
	UsernameAttributes          []string                   `json:",omitempty"`
	UsernameConfiguration       *usernameConfigurationType `json:",omitempty"`
	VerificationMessageTemplate json.RawMessage            `json:",omitempty"`
}

type userPoolPolicyOut struct {
	PasswordPolicy passwordPolicyOut
	SignInPolicy   json.RawMessage `json:",omitempty"`
}

// passwordPolicyOut always carries every member but the history size, as
// Cognito reports it [obs].
type passwordPolicyOut struct {
	MinimumLength                 int
	PasswordHistorySize           *int `json:",omitempty"`
	RequireLowercase              bool
	RequireNumbers                bool
	RequireSymbols                bool
	RequireUppercase              bool
	TemporaryPasswordValidityDays int
}

// userPoolDescriptionType is an item of ListUserPools.
type userPoolDescriptionType struct {
	CreationDate     epochTime       `json:",omitzero"`
	Id               string          `json:",omitempty"`
	LambdaConfig     json.RawMessage `json:",omitempty"`
	LastModifiedDate epochTime       `json:",omitzero"`
	Name             string          `json:",omitempty"`
}

type userPoolOutput struct {
	UserPool userPoolType
}

type listUserPoolsOutput struct {
	NextToken string `json:",omitempty"`
	UserPools []userPoolDescriptionType
}

// describePool renders a pool as UserPoolType.
func describePool(p identity.Pool) userPoolType {
	s := p.Settings
	x := s.Extra
	pp := s.PasswordPolicy
	out := userPoolType{
		AccountRecoverySetting:   extraOrDefault(x, "AccountRecoverySetting"),
		AdminCreateUserConfig:    extraOrDefault(x, "AdminCreateUserConfig"),
		AliasAttributes:          s.AliasAttributes,
		Arn:                      p.Arn,
		AutoVerifiedAttributes:   s.AutoVerifiedAttributes,
		CreationDate:             epochTime(p.CreatedAt),
		CustomDomain:             p.CustomDomain,
		DeletionProtection:       s.DeletionProtection,
		DeviceConfiguration:      x["DeviceConfiguration"],
		Domain:                   p.Domain,
		EmailConfiguration:       extraOrDefault(x, "EmailConfiguration"),
		EmailVerificationMessage: x["EmailVerificationMessage"],
		EmailVerificationSubject: x["EmailVerificationSubject"],
		Id:                       p.ID,
		LambdaConfig:             extraOrDefault(x, "LambdaConfig"),
		LastModifiedDate:         epochTime(p.UpdatedAt),
		MfaConfiguration:         s.MfaConfiguration,
		Name:                     s.PoolName,
		Policies: &userPoolPolicyOut{
			PasswordPolicy: passwordPolicyOut{
				MinimumLength:                 pp.MinimumLength,
				PasswordHistorySize:           pp.PasswordHistorySize,
				RequireLowercase:              pp.RequireLowercase,
				RequireNumbers:                pp.RequireNumbers,
				RequireSymbols:                pp.RequireSymbols,
				RequireUppercase:              pp.RequireUppercase,
				TemporaryPasswordValidityDays: pp.TemporaryPasswordValidityDays,
			},
			SignInPolicy: x[extraSignInPolicy],
		},
		SchemaAttributes:            describeSchema(s.Schema),
		SmsAuthenticationMessage:    x["SmsAuthenticationMessage"],
		SmsConfiguration:            x["SmsConfiguration"],
		SmsVerificationMessage:      x["SmsVerificationMessage"],
		UserAttributeUpdateSettings: extraOrDefault(x, "UserAttributeUpdateSettings"),
		UserPoolAddOns:              x["UserPoolAddOns"],
		UserPoolTags:                s.Tags,
		UserPoolTier:                s.UserPoolTier,
		UsernameAttributes:          s.UsernameAttributes,
		VerificationMessageTemplate: extraOrDefault(x, "VerificationMessageTemplate"),
	}
	if out.UserPoolTags == nil {
		out.UserPoolTags = map[string]string{}
	}
	if s.UsernameCaseSensitive != nil {
		out.UsernameConfiguration = &usernameConfigurationType{CaseSensitive: s.UsernameCaseSensitive}
	}
	return out
}

func (h *Cognito) createUserPool(ctx context.Context, region string, in *createUserPoolInput) (userPoolOutput, error) {
	s, err := in.settings()
	if err != nil {
		return userPoolOutput{}, err
	}
	s.PoolName = *in.PoolName
	s.AliasAttributes = in.AliasAttributes
	s.UsernameAttributes = in.UsernameAttributes
	s.Schema = schemaToDomain(in.Schema)
	if in.UsernameConfiguration != nil {
		s.UsernameCaseSensitive = in.UsernameConfiguration.CaseSensitive
	}
	p, err := h.svc.CreateUserPool(ctx, region, s)
	if err != nil {
		return userPoolOutput{}, err
	}
	return userPoolOutput{UserPool: describePool(p)}, nil
}

func (h *Cognito) describeUserPool(ctx context.Context, region string, in *userPoolIDInput) (userPoolOutput, error) {
	p, err := h.svc.DescribeUserPool(ctx, region, *in.UserPoolId)
	if err != nil {
		return userPoolOutput{}, err
	}
	return userPoolOutput{UserPool: describePool(p)}, nil
}

func (h *Cognito) listUserPools(ctx context.Context, region string, in *listUserPoolsInput) (listUserPoolsOutput, error) {
	pools, next, err := h.svc.ListUserPools(ctx, region, in.NextToken, *in.MaxResults)
	if err != nil {
		return listUserPoolsOutput{}, err
	}
	out := listUserPoolsOutput{NextToken: next, UserPools: make([]userPoolDescriptionType, len(pools))}
	for i, p := range pools {
		out.UserPools[i] = userPoolDescriptionType{
			CreationDate:     epochTime(p.CreatedAt),
			Id:               p.ID,
			LambdaConfig:     extraOrDefault(p.Settings.Extra, "LambdaConfig"),
			LastModifiedDate: epochTime(p.UpdatedAt),
			Name:             p.Settings.PoolName,
		}
	}
	return out, nil
}

func (h *Cognito) updateUserPool(ctx context.Context, region string, in *updateUserPoolInput) (empty, error) {
	s, err := in.settings()
	if err != nil {
		return empty{}, err
	}
	if in.PoolName != nil {
		s.PoolName = *in.PoolName
	}
	return empty{}, h.svc.UpdateUserPool(ctx, region, *in.UserPoolId, s)
}

func (h *Cognito) deleteUserPool(ctx context.Context, region string, in *userPoolIDInput) (empty, error) {
	return empty{}, h.svc.DeleteUserPool(ctx, region, *in.UserPoolId)
}

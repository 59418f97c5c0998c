package awsapi

import (
	"encoding/json"
	"fmt"

	"github.com/cognatehq/cognate/internal/identity"
)

// Pool settings Cognate stores and returns but does not act on. They are
// decoded into typed structs (so a wrong JSON type is a
// SerializationException, as for every other member), then kept in
// identity.Extra under their API member names and written back verbatim
// when the pool is described. Members are in Coral's alphabetical order;
// pointers keep an explicit false or 0 apart from an absent member.

type lambdaConfigType struct {
	CreateAuthChallenge         string                   `json:",omitempty"`
	CustomEmailSender           *lambdaVersionConfigType `json:",omitempty"`
	CustomMessage               string                   `json:",omitempty"`
	CustomSMSSender             *lambdaVersionConfigType `json:",omitempty"`
	DefineAuthChallenge         string                   `json:",omitempty"`
	InboundFederation           *lambdaVersionConfigType `json:",omitempty"`
	KMSKeyID                    string                   `json:",omitempty"`
	PostAuthentication          string                   `json:",omitempty"`
	PostConfirmation            string                   `json:",omitempty"`
	PreAuthentication           string                   `json:",omitempty"`
	PreSignUp                   string                   `json:",omitempty"`
	PreTokenGeneration          string                   `json:",omitempty"`
	PreTokenGenerationConfig    *lambdaVersionConfigType `json:",omitempty"`
	UserMigration               string                   `json:",omitempty"`
	VerifyAuthChallengeResponse string                   `json:",omitempty"`
}

type lambdaVersionConfigType struct {
	LambdaArn     *string `json:",omitempty"`
	LambdaVersion *string `json:",omitempty"`
}

func (c *lambdaConfigType) checkRequired(v *validation) {
	for _, m := range []struct {
		cfg  *lambdaVersionConfigType
		path string
	}{
		{c.CustomEmailSender, "lambdaConfig.customEmailSender"},
		{c.CustomSMSSender, "lambdaConfig.customSMSSender"},
		{c.InboundFederation, "lambdaConfig.inboundFederation"},
		{c.PreTokenGenerationConfig, "lambdaConfig.preTokenGenerationConfig"},
	} {
		if m.cfg != nil {
			v.notNull(m.cfg.LambdaVersion != nil, m.path+".lambdaVersion")
			v.notNull(m.cfg.LambdaArn != nil, m.path+".lambdaArn")
		}
	}
}

type verificationMessageTemplateType struct {
	DefaultEmailOption string `json:",omitempty"`
	EmailMessage       string `json:",omitempty"`
	EmailMessageByLink string `json:",omitempty"`
	EmailSubject       string `json:",omitempty"`
	EmailSubjectByLink string `json:",omitempty"`
	SmsMessage         string `json:",omitempty"`
}

type userAttributeUpdateSettingsType struct {
	AttributesRequireVerificationBeforeUpdate []string
}

type deviceConfigurationType struct {
	ChallengeRequiredOnNewDevice     *bool `json:",omitempty"`
	DeviceOnlyRememberedOnUserPrompt *bool `json:",omitempty"`
}

type emailConfigurationType struct {
	ConfigurationSet    string `json:",omitempty"`
	EmailSendingAccount string `json:",omitempty"`
	From                string `json:",omitempty"`
	ReplyToEmailAddress string `json:",omitempty"`
	SourceArn           string `json:",omitempty"`
}

type smsConfigurationType struct {
	ExternalId   string  `json:",omitempty"`
	SnsCallerArn *string `json:",omitempty"`
	SnsRegion    string  `json:",omitempty"`
}

type adminCreateUserConfigType struct {
	AllowAdminCreateUserOnly  *bool                `json:",omitempty"`
	InviteMessageTemplate     *messageTemplateType `json:",omitempty"`
	UnusedAccountValidityDays *int                 `json:",omitempty"`
}

type messageTemplateType struct {
	EmailMessage string `json:",omitempty"`
	EmailSubject string `json:",omitempty"`
	SMSMessage   string `json:",omitempty"`
}

type userPoolAddOnsType struct {
	AdvancedSecurityAdditionalFlows *advancedSecurityAdditionalFlowsType `json:",omitempty"`
	AdvancedSecurityMode            *string                              `json:",omitempty"`
}

type advancedSecurityAdditionalFlowsType struct {
	CustomAuthMode string `json:",omitempty"`
}

type accountRecoverySettingType struct {
	RecoveryMechanisms []recoveryOptionType `json:",omitempty"`
}

type recoveryOptionType struct {
	Name     *string `json:",omitempty"`
	Priority *int    `json:",omitempty"`
}

type signInPolicyType struct {
	AllowedFirstAuthFactors []string `json:",omitempty"`
}

type usernameConfigurationType struct {
	CaseSensitive *bool `json:",omitempty"`
}

type passwordPolicyType struct {
	MinimumLength                 *int  `json:",omitempty"`
	PasswordHistorySize           *int  `json:",omitempty"`
	RequireLowercase              *bool `json:",omitempty"`
	RequireNumbers                *bool `json:",omitempty"`
	RequireSymbols                *bool `json:",omitempty"`
	RequireUppercase              *bool `json:",omitempty"`
	TemporaryPasswordValidityDays *int  `json:",omitempty"`
}

// userPoolPolicyType is UserPoolPolicyType in a request. SignInPolicy is
// stored in Extra as "Policies.SignInPolicy".
type userPoolPolicyType struct {
	PasswordPolicy *passwordPolicyType
	SignInPolicy   *signInPolicyType
}

// poolConfig holds the members CreateUserPool and UpdateUserPool share.
type poolConfig struct {
	AccountRecoverySetting      *accountRecoverySettingType
	AdminCreateUserConfig       *adminCreateUserConfigType
	AutoVerifiedAttributes      []string
	DeletionProtection          string
	DeviceConfiguration         *deviceConfigurationType
	EmailConfiguration          *emailConfigurationType
	EmailVerificationMessage    *string
	EmailVerificationSubject    *string
	LambdaConfig                *lambdaConfigType
	MfaConfiguration            string
	Policies                    *userPoolPolicyType
	SmsAuthenticationMessage    *string
	SmsConfiguration            *smsConfigurationType
	SmsVerificationMessage      *string
	UserAttributeUpdateSettings *userAttributeUpdateSettingsType
	UserPoolAddOns              *userPoolAddOnsType
	UserPoolTags                map[string]string
	UserPoolTier                string
	VerificationMessageTemplate *verificationMessageTemplateType
}

func (c *poolConfig) checkRequired(v *validation) {
	if c.LambdaConfig != nil {
		c.LambdaConfig.checkRequired(v)
	}
	if c.SmsConfiguration != nil {
		v.notNull(c.SmsConfiguration.SnsCallerArn != nil, "smsConfiguration.snsCallerArn")
	}
	if c.UserPoolAddOns != nil {
		v.notNull(c.UserPoolAddOns.AdvancedSecurityMode != nil, "userPoolAddOns.advancedSecurityMode")
	}
	if c.AccountRecoverySetting != nil {
		for i, m := range c.AccountRecoverySetting.RecoveryMechanisms {
			p := "accountRecoverySetting." + item("recoveryMechanisms", i)
			v.notNull(m.Priority != nil, p+".priority")
			v.notNull(m.Name != nil, p+".name")
		}
	}
}

// Extra keys of members nested below the top level.
const extraSignInPolicy = "Policies.SignInPolicy"

// settings converts the shared members to domain settings, with the
// unmodelled ones in Extra.
func (c *poolConfig) settings() (identity.PoolSettings, error) {
	s := identity.PoolSettings{
		DeletionProtection:     c.DeletionProtection,
		MfaConfiguration:       c.MfaConfiguration,
		AutoVerifiedAttributes: c.AutoVerifiedAttributes,
		Tags:                   c.UserPoolTags,
		UserPoolTier:           c.UserPoolTier,
		Extra:                  identity.Extra{},
	}
	if c.Policies != nil && c.Policies.PasswordPolicy != nil {
		p := c.Policies.PasswordPolicy
		s.PasswordPolicy = identity.PasswordPolicy{
			MinimumLength:       deref(p.MinimumLength),
			RequireUppercase:    deref(p.RequireUppercase),
			RequireLowercase:    deref(p.RequireLowercase),
			RequireNumbers:      deref(p.RequireNumbers),
			RequireSymbols:      deref(p.RequireSymbols),
			PasswordHistorySize: p.PasswordHistorySize,
			// 7 days unless set [doc].
			TemporaryPasswordValidityDays: 7,
		}
		if p.TemporaryPasswordValidityDays != nil {
			s.PasswordPolicy.TemporaryPasswordValidityDays = *p.TemporaryPasswordValidityDays
		}
	}
	if a := c.AdminCreateUserConfig; a != nil {
		// The members Cognito always reports get their defaults [obs].
		if a.AllowAdminCreateUserOnly == nil {
			a.AllowAdminCreateUserOnly = ptr(false)
		}
		if a.UnusedAccountValidityDays == nil {
			a.UnusedAccountValidityDays = ptr(7)
		}
	}
	var err error
	put := func(key string, present bool, v any) {
		if present && err == nil {
			err = putExtra(s.Extra, key, v)
		}
	}
	put("AccountRecoverySetting", c.AccountRecoverySetting != nil, c.AccountRecoverySetting)
	put("AdminCreateUserConfig", c.AdminCreateUserConfig != nil, c.AdminCreateUserConfig)
	put("DeviceConfiguration", c.DeviceConfiguration != nil, c.DeviceConfiguration)
	put("EmailConfiguration", c.EmailConfiguration != nil, c.EmailConfiguration)
	put("EmailVerificationMessage", c.EmailVerificationMessage != nil, c.EmailVerificationMessage)
	put("EmailVerificationSubject", c.EmailVerificationSubject != nil, c.EmailVerificationSubject)
	put("LambdaConfig", c.LambdaConfig != nil, c.LambdaConfig)
	put(extraSignInPolicy, c.Policies != nil && c.Policies.SignInPolicy != nil, c.signInPolicy())
	put("SmsAuthenticationMessage", c.SmsAuthenticationMessage != nil, c.SmsAuthenticationMessage)
	put("SmsConfiguration", c.SmsConfiguration != nil, c.SmsConfiguration)
	put("SmsVerificationMessage", c.SmsVerificationMessage != nil, c.SmsVerificationMessage)
	put("UserAttributeUpdateSettings", c.UserAttributeUpdateSettings != nil, c.UserAttributeUpdateSettings)
	put("UserPoolAddOns", c.UserPoolAddOns != nil, c.UserPoolAddOns)
	put("VerificationMessageTemplate", c.VerificationMessageTemplate != nil, c.VerificationMessageTemplate)
	return s, err
}

func (c *poolConfig) signInPolicy() *signInPolicyType {
	if c.Policies == nil {
		return nil
	}
	return c.Policies.SignInPolicy
}

// Defaults Cognito reports for members a pool was created without. The
// first three are in a real CreateUserPool answer [obs: boto3 issue 2516];
// the others are [guess]: UserAttributeUpdateSettings as current pools show
// it, and the account recovery order Cognito documents for pools without
// a setting (phone if the user has one, then email).
var poolDefaults = map[string]json.RawMessage{
	"AdminCreateUserConfig":       json.RawMessage(`{"AllowAdminCreateUserOnly":false,"UnusedAccountValidityDays":7}`),
	"EmailConfiguration":          json.RawMessage(`{"EmailSendingAccount":"COGNITO_DEFAULT"}`),
	"VerificationMessageTemplate": json.RawMessage(`{"DefaultEmailOption":"CONFIRM_WITH_CODE"}`),
	"LambdaConfig":                json.RawMessage(`{}`),
	"UserAttributeUpdateSettings": json.RawMessage(`{"AttributesRequireVerificationBeforeUpdate":[]}`),
	"AccountRecoverySetting":      json.RawMessage(`{"RecoveryMechanisms":[{"Name":"verified_phone_number","Priority":1},{"Name":"verified_email","Priority":2}]}`),
}

// putExtra stores v's JSON in x under key.
func putExtra(x identity.Extra, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	x[key] = b
	return nil
}

// extraOrDefault returns a stored member, or Cognito's default for it, or
// nil (omitted) when it has none.
func extraOrDefault(x identity.Extra, key string) json.RawMessage {
	if b, ok := x[key]; ok && len(b) > 0 {
		return b
	}
	return poolDefaults[key]
}

package identity

import (
	"encoding/json"
	"time"
)

// Extra holds settings that Cognate stores and returns as given but does
// not act on (for example LambdaConfig or VerificationMessageTemplate). Keys
// are the API member names; values are their JSON. Adapters fill it from
// members they do not model and write it back on describe.
type Extra map[string]json.RawMessage

// PasswordPolicy is a pool's password policy.
type PasswordPolicy struct {
	MinimumLength                 int
	RequireUppercase              bool
	RequireLowercase              bool
	RequireNumbers                bool
	RequireSymbols                bool
	PasswordHistorySize           *int
	TemporaryPasswordValidityDays int
}

// DefaultPasswordPolicy is Cognito's policy when none is given [doc].
func DefaultPasswordPolicy() PasswordPolicy {
	return PasswordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true,
		RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7}
}

// SchemaAttribute is one attribute of a pool's schema.
type SchemaAttribute struct {
	Name                   string
	AttributeDataType      string
	DeveloperOnlyAttribute bool
	Mutable                bool
	Required               bool
	StringMinLength        string // Cognito returns these as strings
	StringMaxLength        string
	NumberMinValue         string
	NumberMaxValue         string
}

// PoolSettings is what a caller sets on a pool with CreateUserPool or
// UpdateUserPool.
type PoolSettings struct {
	PoolName               string
	PasswordPolicy         PasswordPolicy
	DeletionProtection     string // ACTIVE | INACTIVE
	MfaConfiguration       string // OFF | ON | OPTIONAL
	UsernameAttributes     []string
	AliasAttributes        []string
	AutoVerifiedAttributes []string
	UsernameCaseSensitive  *bool // nil: not configured
	Schema                 []SchemaAttribute
	Tags                   map[string]string
	UserPoolTier           string
	Extra                  Extra
}

// Pool is a user pool as described to callers.
type Pool struct {
	ID           string
	Region       string
	Arn          string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Domain       string // prefix domain, "" when none
	CustomDomain string // custom domain, "" when none
	Settings     PoolSettings
}

// TokenValidityUnits holds the unit of each token validity setting:
// seconds, minutes, hours or days.
type TokenValidityUnits struct {
	AccessToken  string
	IDToken      string
	RefreshToken string
}

// ClientSettings is what a caller sets on an app client with
// CreateUserPoolClient or UpdateUserPoolClient. Zero validity values mean
// "not set": the defaults apply (1 hour access and ID, 30 days refresh).
type ClientSettings struct {
	ClientName                               string
	RefreshTokenValidity                     int64
	AccessTokenValidity                      int64
	IDTokenValidity                          int64
	TokenValidityUnits                       *TokenValidityUnits
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
	PreventUserExistenceErrors               string
	EnableTokenRevocation                    *bool
	EnablePropagateAdditionalUserContextData bool
	AuthSessionValidity                      int
	Extra                                    Extra
}

// Client is an app client as described to callers. ClientSecret is the
// plaintext secret (Cognito returns it on describe), "" for a public client.
type Client struct {
	PoolID       string
	ClientID     string
	ClientSecret string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Settings     ClientSettings
}

// ResourceServer is an OAuth 2.0 resource server and its scopes.
type ResourceServer struct {
	PoolID     string
	Identifier string
	Name       string
	Scopes     []Scope
}

// Scope is one custom scope of a resource server.
type Scope struct {
	Name        string
	Description string
}

// CustomDomainConfig is the certificate of a custom domain.
type CustomDomainConfig struct {
	CertificateArn string
}

// DomainDescription describes a hosted domain.
type DomainDescription struct {
	PoolID                 string
	AccountID              string
	Domain                 string
	CloudFrontDistribution string
	Version                string
	Status                 string // ACTIVE
	CustomDomainConfig     *CustomDomainConfig
	ManagedLoginVersion    int
}

// KeyInfo describes one published signing key.
type KeyInfo struct {
	KID       string
	Use       string // access | id
	CreatedAt time.Time
	RetireAt  *time.Time
}

// IssuedToken is the result of a token grant.
type IssuedToken struct {
	AccessToken string
	TokenType   string // Bearer
	ExpiresIn   int64  // seconds
	JTI         string // for logs: tokens are logged by jti only
	ClientID    string
	PoolID      string
	Scope       string
}

// ClientCredentialsRequest is a client_credentials grant as the token
// endpoint parsed it. Scope is the raw space-separated scope parameter;
// ScopeGiven is false when the parameter was absent.
type ClientCredentialsRequest struct {
	Domain       string // the hosted domain the request came in on
	Region       string // the region its host named ({domain}.auth.{region}...), "" when none
	ClientID     string
	ClientSecret string
	Scope        string
	ScopeGiven   bool
}

// PoolEndpoints is what discovery needs to know about a pool.
type PoolEndpoints struct {
	PoolID string
	Region string
	Issuer string
	Domain string // prefix domain, "" when the pool has none
}

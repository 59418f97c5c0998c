package provider

import (
	"context"
	"crypto/rand"
	"errors"
	"strconv"
	"strings"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/ssm"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// Cognito is what the Cognito providers need of the identity service.
type Cognito interface {
	CreateUserPool(ctx context.Context, region string, in identity.PoolSettings) (identity.Pool, error)
	CreateUserPoolWithID(ctx context.Context, region, poolID string, in identity.PoolSettings) (identity.Pool, error)
	DescribeUserPool(ctx context.Context, region, poolID string) (identity.Pool, error)
	UpdateUserPool(ctx context.Context, region, poolID string, in identity.PoolSettings) error
	DeleteUserPool(ctx context.Context, region, poolID string) error

	CreateUserPoolDomain(ctx context.Context, region, poolID, domain string, custom *identity.CustomDomainConfig, managedLoginVersion int) (string, error)
	UpdateUserPoolDomain(ctx context.Context, region, poolID, domain string, custom *identity.CustomDomainConfig, managedLoginVersion int) (string, error)
	DeleteUserPoolDomain(ctx context.Context, region, poolID, domain string) error

	CreateResourceServer(ctx context.Context, region string, rs identity.ResourceServer) (identity.ResourceServer, error)
	UpdateResourceServer(ctx context.Context, region string, rs identity.ResourceServer) (identity.ResourceServer, error)
	DeleteResourceServer(ctx context.Context, region, poolID, identifier string) error

	CreateUserPoolClient(ctx context.Context, region, poolID string, in identity.ClientSettings, generateSecret bool, secret string) (identity.Client, error)
	CreateUserPoolClientWithID(ctx context.Context, region, poolID, clientID string, in identity.ClientSettings, generateSecret bool, secret string) (identity.Client, error)
	DescribeUserPoolClient(ctx context.Context, region, poolID, clientID string) (identity.Client, error)
	UpdateUserPoolClient(ctx context.Context, region, poolID, clientID string, in identity.ClientSettings) (identity.Client, error)
	DeleteUserPoolClient(ctx context.Context, region, poolID, clientID string) error
}

// Parameters is what the SSM provider and SSMSource need of the ssm
// service.
type Parameters interface {
	PutParameter(ctx context.Context, region string, in ssm.PutInput) (ssm.PutResult, error)
	GetParameter(ctx context.Context, region, name string, decrypt bool) (ssm.Parameter, error)
	DeleteParameter(ctx context.Context, region, name string) error
}

// All returns the providers of every type Cognate emulates, keyed by
// CloudFormation resource type, for stack.Config.Providers.
func All(c Cognito, p Parameters) map[string]stack.Provider {
	return map[string]stack.Provider{
		"AWS::Cognito::UserPool":               UserPool{c},
		"AWS::Cognito::UserPoolDomain":         Domain{c},
		"AWS::Cognito::UserPoolResourceServer": ResourceServer{c},
		"AWS::Cognito::UserPoolClient":         Client{c},
		"AWS::SSM::Parameter":                  Parameter{p},
	}
}

// SSMSource adapts the ssm service to stack.ParameterSource.
type SSMSource struct{ Parameters Parameters }

// ParameterValue returns a parameter's value; a missing one wraps
// stack.ErrParameterNotFound.
func (s SSMSource) ParameterValue(ctx context.Context, region, name string, decrypt bool) (string, error) {
	p, err := s.Parameters.GetParameter(ctx, region, name, decrypt)
	if err != nil {
		if k := ssm.KindOf(err); k == ssm.KindParameterNotFound || k == ssm.KindParameterVersionNotFound {
			return "", errors.Join(stack.ErrParameterNotFound, err)
		}
		return "", err
	}
	return p.Value, nil
}

// Property readers over evaluated properties. Validation has checked the
// kinds, so they only convert.

func str(props *template.Node, key string) string {
	s, _ := props.Get(key).Text()
	return s
}

func boolean(props *template.Node, key string) bool { return str(props, key) == "true" }

func integer(props *template.Node, key string) int64 {
	n, _ := strconv.ParseInt(str(props, key), 10, 64)
	return n
}

func list(props *template.Node, key string) []string {
	n := props.Get(key)
	if n == nil {
		return nil
	}
	out := make([]string, 0, len(n.Items))
	for _, it := range n.Items {
		s, _ := it.Text()
		out = append(out, s)
	}
	return out
}

// propErr names the property a domain error is about, when the message
// makes it clear.
func propErr(err error, candidates ...string) error {
	if err == nil {
		return nil
	}
	msg := strings.ToLower(err.Error())
	for _, c := range candidates {
		if strings.Contains(msg, strings.ToLower(c)) {
			return &stack.PropertyError{Property: c, Err: err}
		}
	}
	return err
}

// randomSuffix returns n random upper-case letters and digits, as
// CloudFormation appends to the names it generates.
func randomSuffix(n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = chars[int(b[i])%len(chars)]
	}
	return string(b)
}

// generatedName is CloudFormation's name for a resource whose template
// gives none: {stack}-{logical id}-{random}.
func generatedName(req stack.Request) string {
	return req.StackName + "-" + req.LogicalID + "-" + randomSuffix(12)
}

// notFound reports whether err says the resource is already gone.
func notFound(err error) bool {
	return identity.KindOf(err) == identity.KindResourceNotFound || ssm.KindOf(err) == ssm.KindParameterNotFound
}

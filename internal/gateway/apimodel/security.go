package apimodel

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// scheme is a compiled security scheme: an authorizer, the API key, or
// something API Gateway ignores.
type scheme struct {
	kind       AuthorizationType // Cognito, Custom or IAM; "" for the others
	authorizer *Authorizer
	apiKey     bool // the x-api-key header scheme
}

// compileSchemes turns securityDefinitions (Swagger) or
// components.securitySchemes (OpenAPI 3) into schemes.
func compileSchemes(b *builder, defs map[string]securityScheme) map[string]*scheme {
	out := make(map[string]*scheme, len(defs))
	for _, name := range slices.Sorted(maps.Keys(defs)) {
		s := defs[name]
		authType := strings.ToLower(s.AuthType)
		azType := ""
		if s.Authorizer != nil {
			azType = strings.ToLower(s.Authorizer.Type)
		}
		switch {
		case authType == "cognito_user_pools" || azType == "cognito_user_pools":
			var ext authorizerExt
			if s.Authorizer != nil {
				ext = *s.Authorizer
			}
			if len(ext.ProviderARNs) == 0 {
				b.errorf("API body: Cognito authorizer %q has no providerARNs", name)
				continue
			}
			out[name] = &scheme{kind: AuthCognito, authorizer: &Authorizer{
				Name:                 name,
				Type:                 string(AuthCognito),
				ProviderARNs:         slices.Clone(ext.ProviderARNs),
				IdentityHeader:       identityHeader(ext.IdentitySource, s),
				ValidationExpression: ext.IdentityValidationExpression,
			}}
		case azType == "token" || azType == "request":
			out[name] = &scheme{kind: AuthCustom, authorizer: &Authorizer{
				Name:           name,
				Type:           strings.ToUpper(azType),
				IdentityHeader: identityHeader(s.Authorizer.IdentitySource, s),
			}}
		case authType == "awssigv4":
			out[name] = &scheme{kind: AuthIAM}
		case strings.EqualFold(s.Type, "apiKey") && strings.EqualFold(s.In, "header") && strings.EqualFold(s.Name, "x-api-key"):
			out[name] = &scheme{apiKey: true}
		default:
			// [guess] API Gateway's importer ignores schemes it has no
			// authorizer for (oauth2, http bearer...), so the methods that
			// name them are open on AWS too.
			b.warnf("security scheme %q is not an API Gateway authorizer (type %q); methods naming it are not authorized by it, as on AWS", name, s.Type)
			out[name] = &scheme{}
		}
	}
	return out
}

// identityHeader is the header the token is read from: the identity
// source's header, else the scheme's header name, else Authorization.
func identityHeader(source string, s securityScheme) string {
	first, _, _ := strings.Cut(source, ",")
	if h, ok := strings.CutPrefix(strings.TrimSpace(first), "method.request.header."); ok && h != "" {
		return h
	}
	if s.Name != "" && (s.In == "" || strings.EqualFold(s.In, "header")) {
		return s.Name
	}
	return "Authorization"
}

// applyScheme applies one security requirement to a method. A method
// takes the first authorizer it names; API Gateway has one per method.
func applyScheme(m *Method, s *scheme, scopes []string, where string, b *builder) error {
	if s.apiKey {
		m.APIKeyRequired = true
		b.warnf("%s requires an API key, which is recorded but not enforced", where)
		return nil
	}
	if s.kind == "" {
		return nil
	}
	if m.Authorization != AuthNone {
		b.warnf("%s names more than one authorizer; the first is used", where)
		return nil
	}
	m.Authorization = s.kind
	m.Authorizer = s.authorizer
	switch s.kind {
	case AuthCognito:
		if len(scopes) > 0 {
			m.Scopes = slices.Clone(scopes)
		}
	case AuthCustom:
		b.warnf("%s uses the Lambda authorizer %q, which Cognate does not emulate", where, s.authorizer.Name)
	case AuthIAM:
		b.warnf("%s uses AWS_IAM authorization, which Cognate does not emulate", where)
	}
	return nil
}

// authorizerFromParts converts an AWS::ApiGateway::Authorizer.
func authorizerFromParts(id string, p authorizerProps) (*Authorizer, AuthorizationType, error) {
	name := p.Name
	if name == "" {
		name = id
	}
	switch strings.ToUpper(p.Type) {
	case string(AuthCognito):
		if len(p.ProviderARNs) == 0 {
			return nil, "", fmt.Errorf("authorizer %s: a COGNITO_USER_POOLS authorizer needs ProviderARNs", name)
		}
		return &Authorizer{
			Name:                 name,
			Type:                 string(AuthCognito),
			ProviderARNs:         slices.Clone([]string(p.ProviderARNs)),
			IdentityHeader:       identityHeader(p.IdentitySource, securityScheme{}),
			ValidationExpression: p.IdentityValidationExpression,
		}, AuthCognito, nil
	case "TOKEN", "REQUEST":
		return &Authorizer{
			Name:           name,
			Type:           strings.ToUpper(p.Type),
			IdentityHeader: identityHeader(p.IdentitySource, securityScheme{}),
		}, AuthCustom, nil
	}
	return nil, "", fmt.Errorf("authorizer %s: unknown Type %q", name, p.Type)
}

package identity

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/cognatehq/cognate/internal/store"
	"github.com/cognatehq/cognate/internal/token"
)

// accessClaimsM2M are the claims of a client_credentials access token, in
// the order Cognito writes them [obs]: no aud, no username.
type accessClaimsM2M struct {
	Sub      string `json:"sub"`
	TokenUse string `json:"token_use"`
	Scope    string `json:"scope"`
	AuthTime int64  `json:"auth_time"`
	Iss      string `json:"iss"`
	Exp      int64  `json:"exp"`
	Iat      int64  `json:"iat"`
	Version  int    `json:"version"`
	JTI      string `json:"jti"`
	ClientID string `json:"client_id"`
}

// unknownDomain is the error (KindResourceNotFound) when no pool has the
// hosted domain a token request came in on.
func unknownDomain(domain string) error {
	return errorf(KindResourceNotFound, "no user pool has the domain %q", domain)
}

// LookupDomain returns the pool that owns a hosted domain.
func (s *Service) LookupDomain(ctx context.Context, domain string) (poolID string, err error) {
	d, err := s.store.GetDomain(ctx, domain)
	if errors.Is(err, store.ErrNotFound) {
		return "", unknownDomain(domain)
	}
	if err != nil {
		return "", internal("get domain", err)
	}
	return d.PoolID, nil
}

// checkDomain answers unknownDomain when no pool has the request's domain
// in the region its host named.
func (s *Service) checkDomain(ctx context.Context, req ClientCredentialsRequest) error {
	poolID, err := s.LookupDomain(ctx, req.Domain)
	if err != nil {
		return err
	}
	if req.Region != "" && RegionOfPool(poolID) != req.Region {
		return unknownDomain(req.Domain)
	}
	return nil
}

// IssueClientCredentials runs the client_credentials grant (RFC 6749 §4.4)
// with Cognito's rules: the client authenticates with its secret, must be
// enabled for OAuth, must allow only this flow, and gets the custom scopes
// it asked for (all of its scopes when it asked for none).
func (s *Service) IssueClientCredentials(ctx context.Context, req ClientCredentialsRequest) (IssuedToken, error) {
	if req.ClientID == "" {
		if err := s.checkDomain(ctx, req); err != nil {
			return IssuedToken{}, err
		}
		return IssuedToken{}, errorf(KindInvalidRequest, "client_id is required")
	}
	if validateClientID(req.ClientID) != nil {
		// Not an id Cognito could have issued: it never reaches the store.
		if err := s.checkDomain(ctx, req); err != nil {
			return IssuedToken{}, err
		}
		return IssuedToken{}, errorf(KindInvalidClient, "unknown client")
	}
	g, err := s.store.GetGrantContext(ctx, req.Domain, req.ClientID, useAccess)
	if errors.Is(err, store.ErrNotFound) {
		if err := s.checkDomain(ctx, req); err != nil {
			return IssuedToken{}, err
		}
		return IssuedToken{}, errorf(KindInvalidClient, "unknown client")
	}
	if err != nil {
		return IssuedToken{}, internal("read grant context", err)
	}
	if g.DomainPoolID == "" || (req.Region != "" && RegionOfPool(g.DomainPoolID) != req.Region) {
		// A prefix domain lives in its pool's region only: on AWS,
		// {domain}.auth.{other-region}.amazoncognito.com does not exist.
		return IssuedToken{}, unknownDomain(req.Domain)
	}
	poolID := g.DomainPoolID
	if g.Client.PoolID != poolID {
		return IssuedToken{}, errorf(KindInvalidClient, "unknown client")
	}
	client, err := s.cachedClient(g.Client)
	if err != nil {
		return IssuedToken{}, err
	}
	if client.ClientSecret != "" {
		// [guess] a confidential client that sends no secret is
		// invalid_client (the doc only says the secret is required).
		if req.ClientSecret == "" || !secretMatches(client.ClientSecret, req.ClientSecret) {
			return IssuedToken{}, errorf(KindInvalidClient, "client authentication failed")
		}
	}
	cs := client.Settings
	if !cs.AllowedOAuthFlowsUserPoolClient {
		return IssuedToken{}, errorf(KindInvalidGrant, "client is not enabled for OAuth flows") // [obs]
	}
	if !containsStr(cs.AllowedOAuthFlows, FlowClientCredentials) || client.ClientSecret == "" {
		return IssuedToken{}, errorf(KindUnauthorizedClient, "client may not use the client_credentials grant")
	}
	scopes, err := grantScopes(g.DefinedScopes, cs.AllowedOAuthScopes, req)
	if err != nil {
		return IssuedToken{}, err
	}

	now := s.now()
	ttl := cs.AccessTokenTTL()
	region := RegionOfPool(poolID)
	claims := accessClaimsM2M{
		Sub: client.ClientID, TokenUse: "access", Scope: strings.Join(scopes, " "),
		AuthTime: now.Unix(), Iss: s.Issuer(region, poolID), Exp: now.Add(ttl).Unix(), Iat: now.Unix(),
		Version: 2, JTI: uuid.NewString(), ClientID: client.ClientID,
	}
	if g.ActiveKey == nil {
		return IssuedToken{}, internal("pool "+poolID+" has no active access key", nil)
	}
	key, err := s.parsedKey(*g.ActiveKey)
	if err != nil {
		return IssuedToken{}, err
	}
	jwt, err := token.Sign(key.priv, key.kid, claims)
	if err != nil {
		return IssuedToken{}, internal("sign access token", err)
	}
	return IssuedToken{AccessToken: jwt, TokenType: "Bearer", ExpiresIn: int64(ttl.Seconds()),
		JTI: claims.JTI, ClientID: client.ClientID, PoolID: poolID, Scope: claims.Scope}, nil
}

// grantScopes decides the scopes of a client_credentials token. Requested
// scopes must all be allowed on the client (invalid_scope otherwise [obs]);
// allowed scopes whose resource server no longer defines them are dropped
// silently [doc]; reserved OIDC scopes do not apply to this grant.
func grantScopes(definedList, allowed []string, req ClientCredentialsRequest) ([]string, error) {
	defined := make(map[string]bool, len(definedList))
	for _, sc := range definedList {
		defined[sc] = true
	}
	var out []string
	seen := map[string]bool{}
	if req.ScopeGiven && strings.TrimSpace(req.Scope) != "" {
		for _, sc := range strings.Fields(req.Scope) {
			if seen[sc] {
				continue
			}
			seen[sc] = true
			if !containsStr(allowed, sc) || reservedScopes[sc] {
				return nil, errorf(KindInvalidScope, "scope %s is not allowed for this client", sc)
			}
			if defined[sc] {
				out = append(out, sc)
			}
		}
	} else {
		for _, sc := range allowed {
			if defined[sc] && !seen[sc] {
				seen[sc] = true
				out = append(out, sc)
			}
		}
	}
	if len(out) == 0 {
		// [guess] a client_credentials token needs at least one custom scope.
		return nil, errorf(KindInvalidScope, "no custom scope to grant")
	}
	return out, nil
}

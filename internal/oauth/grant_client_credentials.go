package oauth

import (
	"context"

	"github.com/cognatehq/cognate/internal/identity"
)

// grantClientCredentials runs the client_credentials grant (RFC 6749 §4.4).
// identity authenticates the client and decides the scopes; on success the
// token is counted and logged by its jti, never by its value.
func (h *Handler) grantClientCredentials(ctx context.Context, domain string, req *tokenRequest) (tokenResponse, error) {
	scope, scopeGiven := req.params["scope"]
	if !vschars(scope) {
		// RFC 6749 §3.3 scope tokens are printable ASCII separated by
		// spaces; a malformed scope is invalid_scope (§5.2). No scope a
		// client can be allowed contains anything else [model].
		return tokenResponse{}, oauthError(codeInvalidScope, "scope has characters outside printable ASCII")
	}
	tok, err := h.id.IssueClientCredentials(ctx, identity.ClientCredentialsRequest{
		Domain:       domain,
		Region:       req.region,
		ClientID:     req.client.ID,
		ClientSecret: req.client.Secret,
		Scope:        scope,
		ScopeGiven:   scopeGiven,
	})
	if err != nil {
		return tokenResponse{}, err
	}
	h.metrics.tokenIssued(grantTypeClientCredentials)
	h.log.InfoContext(ctx, "token issued",
		"client_id", tok.ClientID, "pool_id", tok.PoolID, "jti", tok.JTI, "scope", tok.Scope)
	return tokenResponse{AccessToken: tok.AccessToken, ExpiresIn: tok.ExpiresIn, TokenType: tok.TokenType}, nil
}

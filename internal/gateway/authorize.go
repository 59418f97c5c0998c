package gateway

import (
	"errors"
	"fmt"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/gateway/authorizer"
	"github.com/cognatehq/cognate/internal/gateway/respond"
)

// defaultIdentityHeader is where a Cognito authorizer reads the token
// unless its identity source names another header [doc].
const defaultIdentityHeader = "Authorization"

// authorize runs the method's authorizer. It reports false when it has
// answered the request.
func (c *call) authorize() bool {
	m := c.match.Method
	switch m.Authorization {
	case apimodel.AuthNone, "":
		return true
	case apimodel.AuthCognito:
		return c.authorizeCognito(m)
	case apimodel.AuthIAM:
		c.fail(respond.AuthorizerConfigurationError, "not_emulated",
			"AWS_IAM authorization is not emulated; use a Cognito authorizer or none")
	case apimodel.AuthCustom:
		c.fail(respond.AuthorizerConfigurationError, "not_emulated",
			"Lambda (CUSTOM) authorizers are not emulated; use a Cognito authorizer or none")
	default:
		c.fail(respond.AuthorizerConfigurationError, "not_emulated",
			fmt.Sprintf("authorization type %q is not emulated", m.Authorization))
	}
	return false
}

// authorizeCognito verifies the token of a COGNITO_USER_POOLS method:
// missing, invalid or expired tokens get 401 with the verifier's message;
// anything else the verifier reports is the authorizer's configuration
// (500 AUTHORIZER_CONFIGURATION_ERROR).
func (c *call) authorizeCognito(m *apimodel.Method) bool {
	az := m.Authorizer
	if az == nil {
		c.fail(respond.AuthorizerConfigurationError, "authorizer_missing", "the method names a Cognito authorizer the API does not define")
		return false
	}
	if c.g.cfg.Verifier == nil {
		c.fail(respond.AuthorizerConfigurationError, "authorizer_error", "the gateway was started without a token verifier")
		return false
	}
	header := az.IdentityHeader
	if header == "" {
		header = defaultIdentityHeader
	}
	token := c.r.Header.Get(header)
	res, err := c.g.cfg.Verifier.Verify(c.r.Context(), authorizer.Config{
		ProviderARNs:         az.ProviderARNs,
		Scopes:               m.Scopes,
		ValidationExpression: az.ValidationExpression,
	}, token)
	if err != nil {
		var d *authorizer.Denial
		if errors.As(err, &d) {
			c.g.metrics.denial(string(d.Reason))
			e := respond.NewError(respond.Unauthorized)
			if d.Message != "" {
				e = respond.WithMessage(respond.Unauthorized, d.Message)
			}
			c.answer(e, 0, string(d.Reason), d.Detail)
			return false
		}
		c.g.log.ErrorContext(c.r.Context(), "gateway: Cognito authorizer failed", "api", c.apiID, "stage", c.stageName,
			"authorizer", az.Name, "error", err)
		c.fail(respond.AuthorizerConfigurationError, "authorizer_error", err.Error())
		return false
	}
	c.authStore = res
	c.auth = &c.authStore
	if ci, ok := res.Memo.Load().(*claimInfo); ok {
		c.claimInfo = ci // the verifier's cache entry for this token keeps it
	} else {
		c.claimInfo = c.g.claims.get(token, c.auth)
		res.Memo.Store(c.claimInfo)
	}
	c.claims = c.claimInfo.strings
	return true
}

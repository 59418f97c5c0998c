package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// grant runs one grant type (RFC 6749 §4) for a parsed token request whose
// client credentials have been extracted but not yet checked: checking
// them, like every other decision, belongs to identity.
type grant func(ctx context.Context, domain string, req *tokenRequest) (tokenResponse, error)

// The grant types of Cognito's token endpoint [doc].
const (
	grantTypeClientCredentials = "client_credentials"
	grantTypeAuthorizationCode = "authorization_code"
	grantTypeRefreshToken      = "refresh_token"
)

// newGrants is the closed set of grant types the token endpoint knows.
// Cognito has three [doc]; a grant_type outside this map is
// unsupported_grant_type.
func newGrants(h *Handler) map[string]grant {
	return map[string]grant{
		grantTypeClientCredentials: h.grantClientCredentials,
		// TODO(oauth): the authorization_code and refresh_token grants
		// arrive with the hosted login page and user sign-in; until then
		// they answer honestly that Cognate lacks them.
		grantTypeAuthorizationCode: grantNotBuilt(grantTypeAuthorizationCode),
		grantTypeRefreshToken:      grantNotBuilt(grantTypeRefreshToken),
	}
}

func grantNotBuilt(grantType string) grant {
	return func(context.Context, string, *tokenRequest) (tokenResponse, error) {
		return tokenResponse{}, errGrantNotBuilt(grantType)
	}
}

// tokenResponse is a successful token response (RFC 6749 §5.1) with
// Cognito's members [doc][obs]. client_credentials fills only the first,
// fourth and fifth: it never returns an ID or refresh token.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// token serves POST /oauth2/token with one fixed pipeline: check the
// method, parse the form, pick the grant, extract the client credentials,
// run the grant, write the tokens. Failures before the grant runs give way
// to a 404 when the domain is unknown (domainFirst).
func (h *Handler) token(w http.ResponseWriter, r *http.Request, domain, region string) error {
	// Current docs say the token endpoint allows any origin and that no
	// other CORS policy can be set [doc].
	w.Header().Set("Access-Control-Allow-Origin", "*")
	ctx := r.Context()

	req, g, err := h.prepareToken(w, r)
	if err != nil {
		return h.domainFirst(ctx, domain, err)
	}
	if !plausibleDomain(domain) {
		return errUnknownDomain(domain)
	}
	req.region = region
	resp, err := g(ctx, domain, req)
	if err != nil {
		var own *httpError
		if errors.As(err, &own) {
			// The grant refused the request itself (a grant not built
			// yet, a malformed scope) without asking identity.
			return h.domainFirst(ctx, domain, err)
		}
		e := fromIdentity(err, domain)
		if req.client.ID != "" {
			e.logAttrs = append(e.logAttrs, "client_id", req.client.ID)
		}
		return e
	}
	body, err := json.Marshal(resp)
	if err != nil {
		return errServer(err)
	}
	hdr := w.Header()
	hdr.Set("Content-Type", contentTypeJSON)
	// Tokens must not be cached (RFC 6749 §5.1).
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Pragma", "no-cache")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return nil
}

// prepareToken runs the part of the pipeline that needs nothing but the
// request: method, form, grant type and client credentials.
func (h *Handler) prepareToken(w http.ResponseWriter, r *http.Request) (*tokenRequest, grant, error) {
	if r.Method != http.MethodPost {
		return nil, nil, errMethodNotAllowed(http.MethodPost)
	}
	req, err := parseTokenRequest(w, r)
	if err != nil {
		return nil, nil, err
	}
	g, ok := h.grants[req.grantType]
	if !ok {
		// There is no password grant, nor any other [doc].
		return nil, nil, oauthError(codeUnsupportedGrantType, "grant_type "+strconv.Quote(safeName(req.grantType))+" is not supported")
	}
	if req.client, err = clientFromRequest(r.Header, req.params); err != nil {
		return nil, nil, err
	}
	return req, g, nil
}

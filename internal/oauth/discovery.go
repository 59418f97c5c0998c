package oauth

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/cognatehq/cognate/internal/identity"
)

// Discovery is a user pool's OpenID Provider metadata (OpenID Connect
// Discovery 1.0 §3, RFC 8414 §2). The members and their order are those of
// Cognito's documents captured in 2018 and 2022 [obs]; response_types_supported
// is the 2022 value.
type Discovery struct {
	AuthorizationEndpoint             string   `json:"authorization_endpoint,omitempty"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	Issuer                            string   `json:"issuer"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	TokenEndpoint                     string   `json:"token_endpoint,omitempty"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint,omitempty"`
}

// NewDiscovery builds the discovery document of a pool. publicURL is
// Cognate's base URL without a trailing slash.
//
//   - issuer is ep.Issuer exactly, whichever style identity signs with,
//     because OIDC clients require the document's issuer to equal the URL
//     they discovered it from (less /.well-known/openid-configuration) and
//     to equal the tokens' iss.
//   - jwks_uri is always {publicURL}/{poolId}/.well-known/jwks.json: the
//     keys are served by Cognate even when the issuer has AWS's form.
//   - The hosted-domain endpoints use the path-style URL
//     {publicURL}/_domain/{domain}/oauth2/..., which every client can reach
//     without wildcard DNS. Cognito points them at the pool's domain [obs].
//   - A pool without a domain has no hosted endpoints, so the document
//     leaves authorization_endpoint, token_endpoint and userinfo_endpoint
//     out. Cognito then points them at cognito-idp URLs that do not serve
//     them [obs]; a URL that cannot work is worse than none. Discovery
//     clients (go-oidc among them) need only issuer and jwks_uri to verify
//     tokens.
func NewDiscovery(publicURL string, ep identity.PoolEndpoints) Discovery {
	d := Discovery{
		IDTokenSigningAlgValuesSupported:  []string{"RS256"},
		Issuer:                            ep.Issuer,
		JWKSURI:                           publicURL + "/" + url.PathEscape(ep.PoolID) + "/.well-known/jwks.json",
		ResponseTypesSupported:            []string{"code", "token"},
		ScopesSupported:                   []string{"openid", "email", "phone", "profile"},
		SubjectTypesSupported:             []string{"public"},
		TokenEndpointAuthMethodsSupported: []string{authBasic, authPost},
	}
	if ep.Domain != "" {
		base := publicURL + "/_domain/" + url.PathEscape(ep.Domain)
		d.AuthorizationEndpoint = base + "/oauth2/authorize"
		d.TokenEndpoint = base + pathToken
		d.UserinfoEndpoint = base + "/oauth2/userInfo"
	}
	return d
}

// wellKnownMaxAge is the Cache-Control max-age of the JWKS and discovery
// documents, in seconds. Short, because identity signs with a rotated key
// at once and a new domain changes the endpoints: a verifier that honours
// the header sees a new key within a minute (go-oidc and aws-jwt-verify
// also refetch on an unknown kid), while a busy gateway still fetches at
// most once a minute. [guess] AWS's own value is not recorded.
const wellKnownMaxAge = 60

// discovery serves /{poolId}/.well-known/openid-configuration.
func (h *Handler) discovery(w http.ResponseWriter, r *http.Request, poolID string) error {
	if err := wellKnownMethod(r); err != nil {
		return err
	}
	ep, err := h.id.Endpoints(r.Context(), poolID)
	if err != nil {
		return fromIdentityWellKnown(err, poolID)
	}
	body, err := json.Marshal(NewDiscovery(h.publicURL, ep))
	if err != nil {
		return errServer(err)
	}
	writeWellKnown(w, body)
	return nil
}

// wellKnownMethod allows GET and HEAD on the well-known documents.
func wellKnownMethod(r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return errMethodNotAllowed("GET, HEAD")
	}
	return nil
}

// writeWellKnown writes a public JSON document. Browsers' OIDC libraries
// fetch these cross-origin, so any origin may read them [guess: AWS's
// headers are not recorded].
func writeWellKnown(w http.ResponseWriter, body []byte) {
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Cache-Control", "public, max-age="+strconv.Itoa(wellKnownMaxAge))
	hdr.Set("Access-Control-Allow-Origin", "*")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

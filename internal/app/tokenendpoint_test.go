package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// Acceptance 3: the token endpoint, through the whole server, host style
// ({domain}.auth.{region}.localhost) and path style (/_domain/{domain}),
// with Basic and body client authentication, with and without scope,
// issues tokens with exactly Cognito's claims; every error case answers
// 400 with exactly {"error":"..."}.
func TestTokenEndpointThroughServer(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	ctx := testCtx(t)
	c := n.cognito(articleRegion)
	f := setupArticle(t, ctx, c, articleDomain)

	// A client that is not enabled for OAuth flows: invalid_grant.
	off, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: &f.PoolID, ClientName: aws.String("oauth-disabled"), GenerateSecret: true,
		AllowedOAuthFlows:               []ciptypes.OAuthFlowType{ciptypes.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes:              []string{articleScope},
		AllowedOAuthFlowsUserPoolClient: false,
	})
	if err != nil {
		t.Fatalf("CreateUserPoolClient (OAuth disabled): %v", err)
	}
	offID, offSecret := aws.ToString(off.UserPoolClient.ClientId), aws.ToString(off.UserPoolClient.ClientSecret)
	// A client for the code flow only: unauthorized_client.
	code, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: &f.PoolID, ClientName: aws.String("web"), GenerateSecret: true,
		AllowedOAuthFlows:               []ciptypes.OAuthFlowType{ciptypes.OAuthFlowTypeCode},
		AllowedOAuthScopes:              []string{"openid", articleScope},
		CallbackURLs:                    []string{"https://example.com/callback"},
		AllowedOAuthFlowsUserPoolClient: true,
	})
	if err != nil {
		t.Fatalf("CreateUserPoolClient (code flow): %v", err)
	}
	codeID, codeSecret := aws.ToString(code.UserPoolClient.ClientId), aws.ToString(code.UserPoolClient.ClientSecret)

	styles := []struct{ name, url string }{
		{"host", n.hostTokenURL(f.Domain, articleRegion)},
		{"path", n.pathTokenURL(f.Domain)},
	}
	for _, st := range styles {
		for _, auth := range []string{"basic", "body"} {
			for _, scope := range []string{articleScope, ""} {
				name := st.name + "/" + auth + "/scope=" + scope
				t.Run(name, func(t *testing.T) {
					form := url.Values{"grant_type": {"client_credentials"}}
					if scope != "" {
						form.Set("scope", scope)
					}
					call := tokenCall{URL: st.url, Form: form}
					if auth == "basic" {
						call.BasicID, call.BasicSecret = f.ClientID, f.Secret
					} else {
						form.Set("client_id", f.ClientID)
						form.Set("client_secret", f.Secret)
					}
					status, body := postToken(t, ctx, call)
					if status != http.StatusOK {
						t.Fatalf("status %d, body %s", status, body)
					}
					var raw map[string]json.RawMessage
					if err := json.Unmarshal(body, &raw); err != nil {
						t.Fatalf("response is not JSON: %s", body)
					}
					if keys := sortedKeys(raw); !slices.Equal(keys, []string{"access_token", "expires_in", "token_type"}) {
						t.Errorf("response members %v, want access_token, expires_in, token_type", keys)
					}
					var tr tokenResponse
					_ = json.Unmarshal(body, &tr)
					if tr.TokenType != "Bearer" || tr.ExpiresIn != 3600 {
						t.Errorf("token_type %q expires_in %d, want Bearer 3600", tr.TokenType, tr.ExpiresIn)
					}
					checkCognitoClaims(t, tr.AccessToken, n.URL+"/"+f.PoolID, f.ClientID, articleScope)
					verifyJWKS(t, tr.AccessToken, n.jwks(t, ctx, f.PoolID))
				})
			}
		}
	}

	errorCases := []struct {
		name string
		call tokenCall
		want string
	}{
		{"wrong secret", tokenCall{Form: url.Values{"grant_type": {"client_credentials"}}, BasicID: f.ClientID, BasicSecret: f.Secret + "x"}, "invalid_client"},
		{"unknown client", tokenCall{Form: url.Values{"grant_type": {"client_credentials"}}, BasicID: "0123456789abcdefghijklmnop", BasicSecret: f.Secret}, "invalid_client"},
		{"no secret", tokenCall{Form: url.Values{"grant_type": {"client_credentials"}, "client_id": {f.ClientID}}}, "invalid_client"},
		{"scope not allowed", tokenCall{Form: url.Values{"grant_type": {"client_credentials"}, "scope": {"layerless-esbuild/echo"}}, BasicID: f.ClientID, BasicSecret: f.Secret}, "invalid_scope"},
		{"oauth disabled", tokenCall{Form: url.Values{"grant_type": {"client_credentials"}}, BasicID: offID, BasicSecret: offSecret}, "invalid_grant"},
		{"code-flow client", tokenCall{Form: url.Values{"grant_type": {"client_credentials"}}, BasicID: codeID, BasicSecret: codeSecret}, "unauthorized_client"},
		{"password grant", tokenCall{Form: url.Values{"grant_type": {"password"}, "username": {"u"}, "password": {"p"}}, BasicID: f.ClientID, BasicSecret: f.Secret}, "unsupported_grant_type"},
		{"json body", tokenCall{Body: `{"grant_type":"client_credentials"}`, ContentType: "application/json", BasicID: f.ClientID, BasicSecret: f.Secret}, "invalid_request"},
		{"missing grant_type", tokenCall{Form: url.Values{"scope": {articleScope}}, BasicID: f.ClientID, BasicSecret: f.Secret}, "invalid_request"},
	}
	for _, st := range styles {
		for _, ec := range errorCases {
			t.Run(st.name+"/error/"+ec.name, func(t *testing.T) {
				call := ec.call
				call.URL = st.url
				status, body := postToken(t, ctx, call)
				want := `{"error":"` + ec.want + `"}`
				if status != http.StatusBadRequest || string(body) != want {
					t.Errorf("got %d %s, want 400 %s", status, body, want)
				}
			})
		}
	}

	// Other answers of the routing: a GET is 405 with no body, as on AWS;
	// a domain no pool has is 404 on both styles.
	for _, u := range []string{n.pathTokenURL(f.Domain), n.hostTokenURL(f.Domain, articleRegion)} {
		if status, body := httpGet(t, ctx, u); status != http.StatusMethodNotAllowed || len(body) != 0 {
			t.Errorf("GET %s: %d %q, want 405 with no body", u, status, body)
		}
	}
	for _, u := range []string{n.pathTokenURL("nosuchdomain"), n.hostTokenURL("nosuchdomain", articleRegion)} {
		status, body := postToken(t, ctx, tokenCall{URL: u, Form: url.Values{"grant_type": {"client_credentials"}},
			BasicID: f.ClientID, BasicSecret: f.Secret})
		if status != http.StatusNotFound {
			t.Errorf("POST %s: %d %s, want 404", u, status, body)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// checkCognitoClaims checks that tok carries exactly the header and claims
// of a Cognito client_credentials access token.
func checkCognitoClaims(t testing.TB, tok, issuer, clientID, scope string) map[string]any {
	t.Helper()
	header, claims := decodeJWT(t, tok)
	if keys := sortedKeys(header); !slices.Equal(keys, []string{"alg", "kid"}) {
		t.Errorf("header members %v, want exactly alg and kid", keys)
	}
	if header["alg"] != "RS256" {
		t.Errorf("alg %v, want RS256", header["alg"])
	}
	if kid, _ := header["kid"].(string); kid == "" {
		t.Errorf("kid %v, want a non-empty string", header["kid"])
	}
	want := []string{"auth_time", "client_id", "exp", "iat", "iss", "jti", "scope", "sub", "token_use", "version"}
	if keys := sortedKeys(claims); !slices.Equal(keys, want) {
		t.Errorf("claims %v, want exactly %v", keys, want)
	}
	str := func(k string) string { s, _ := claims[k].(string); return s }
	num := func(k string) int64 {
		n, ok := claims[k].(json.Number)
		if !ok {
			t.Errorf("claim %s = %#v, want a number", k, claims[k])
			return 0
		}
		v, err := n.Int64()
		if err != nil {
			t.Errorf("claim %s = %s, want an integer", k, n)
		}
		return v
	}
	if str("sub") != clientID || str("client_id") != clientID {
		t.Errorf("sub %q client_id %q, want both %q", str("sub"), str("client_id"), clientID)
	}
	if str("token_use") != "access" {
		t.Errorf("token_use %q, want access", str("token_use"))
	}
	if str("scope") != scope {
		t.Errorf("scope %q, want %q", str("scope"), scope)
	}
	if str("iss") != issuer {
		t.Errorf("iss %q, want %q", str("iss"), issuer)
	}
	if v := num("version"); v != 2 {
		t.Errorf("version %d, want 2", v)
	}
	if !uuidRe.MatchString(str("jti")) {
		t.Errorf("jti %q, want a UUID v4", str("jti"))
	}
	iat, exp, authTime := num("iat"), num("exp"), num("auth_time")
	if exp-iat != 3600 || authTime != iat {
		t.Errorf("iat %d exp %d auth_time %d: want exp = iat + 3600 and auth_time = iat", iat, exp, authTime)
	}
	if strings.Contains(tok, "=") {
		t.Errorf("token has base64 padding: %q", tok)
	}
	return claims
}

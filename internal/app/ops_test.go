package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognatehq/cognate/internal/config"
)

// Acceptance 9: health answers 200; metrics count requests by route, the
// tokens issued, and a latency histogram; POST /_cognate/reset on loopback
// answers 200 and wipes every pool.
func TestHealthMetricsReset(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	ctx := testCtx(t)
	c := n.cognito(articleRegion)

	if status, body := httpGet(t, ctx, n.URL+"/_cognate/health"); status != http.StatusOK {
		t.Fatalf("health: %d %s", status, body)
	}
	f := setupArticle(t, ctx, c, articleDomain)
	tok := mustToken(t, ctx, n, f, articleScope)
	postToken(t, ctx, tokenCall{URL: n.pathTokenURL(f.Domain), Form: url.Values{"grant_type": {"client_credentials"}},
		BasicID: f.ClientID, BasicSecret: "wrong"})

	status, metrics := httpGet(t, ctx, n.URL+"/_cognate/metrics")
	if status != http.StatusOK {
		t.Fatalf("metrics: %d", status)
	}
	for _, re := range []string{
		`(?m)^cognate_http_requests_total\{code="200",route="hosted-domain"\} 1$`,
		`(?m)^cognate_http_requests_total\{code="400",route="hosted-domain"\} 1$`,
		`(?m)^cognate_http_requests_total\{code="200",route="cognito-idp"\} 4$`,
		`(?m)^cognate_http_requests_total\{code="200",route="health"\} 1$`,
		`(?m)^cognate_tokens_issued_total\{grant="client_credentials"\} 1$`,
		`(?m)^cognate_http_request_duration_seconds_bucket\{route="hosted-domain",le="\+Inf"\} 2$`,
		`(?m)^cognate_http_request_duration_seconds_count\{route="cognito-idp"\} 4$`,
		`(?m)^# TYPE cognate_http_request_duration_seconds histogram$`,
	} {
		if !regexp.MustCompile(re).Match(metrics) {
			t.Errorf("metrics have no line matching %s", re)
		}
	}
	if strings.Contains(string(metrics), f.PoolID) || strings.Contains(string(metrics), f.ClientID) {
		t.Errorf("metrics carry a pool or client id as a label: a route label must be a fixed name")
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", metrics)
	}

	// Reset: only POST, then everything is gone.
	if status, _ := httpGet(t, ctx, n.URL+"/_cognate/reset"); status != http.StatusMethodNotAllowed {
		t.Errorf("GET /_cognate/reset: %d, want 405", status)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, n.URL+"/_cognate/reset", nil)
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /_cognate/reset: %d, want 200", resp.StatusCode)
	}
	pools, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil || len(pools.UserPools) != 0 {
		t.Errorf("ListUserPools after reset: %v %v, want none", pools, err)
	}
	if _, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &f.PoolID, ClientId: &f.ClientID}); apiErrorCode(err) != "ResourceNotFoundException" {
		t.Errorf("DescribeUserPoolClient after reset: %v, want ResourceNotFoundException", err)
	}
	if status, body := httpGet(t, ctx, n.URL+"/"+f.PoolID+"/.well-known/jwks.json"); status != http.StatusNotFound {
		t.Errorf("JWKS after reset: %d %s, want 404", status, body)
	}
	status, body := postToken(t, ctx, tokenCall{URL: n.pathTokenURL(f.Domain), Form: url.Values{"grant_type": {"client_credentials"}},
		BasicID: f.ClientID, BasicSecret: f.Secret})
	if status != http.StatusNotFound {
		t.Errorf("token endpoint of a domain wiped by reset: %d %s, want 404", status, body)
	}
	if status, body := httpGet(t, ctx, n.URL+"/_cognate/health"); status != http.StatusOK {
		t.Errorf("health after reset: %d %s", status, body)
	}
	// The server works as new: the same names can be created again.
	f2 := setupArticle(t, ctx, c, articleDomain)
	if tok2 := mustToken(t, ctx, n, f2, articleScope); tok2 == tok {
		t.Errorf("same token after reset")
	}
}

// Acceptance 10: the logs of a whole walkthrough (at debug level, in both
// formats) never hold a client secret or an access token; tokens are
// logged by jti.
func TestLogsNeverHoldSecretsOrTokens(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			n := startNode(t, func(c *config.Config) { c.LogFormat, c.LogLevel = format, "debug" })
			ctx := testCtx(t)
			c := n.cognito(articleRegion)
			f := setupArticle(t, ctx, c, articleDomain)
			desc, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &f.PoolID, ClientId: &f.ClientID})
			if err != nil || aws.ToString(desc.UserPoolClient.ClientSecret) != f.Secret {
				t.Fatalf("DescribeUserPoolClient: %v", err)
			}
			if _, err := c.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: &f.PoolID}); err != nil {
				t.Fatal(err)
			}
			// A failing admin call, logged at debug level.
			if _, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &f.PoolID,
				ClientName: aws.String("bad"), GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
				AllowedOAuthFlows: []ciptypes.OAuthFlowType{ciptypes.OAuthFlowTypeClientCredentials}, AllowedOAuthScopes: []string{"nope/none"}}); apiErrorCode(err) != "ScopeDoesNotExistException" {
				t.Errorf("CreateUserPoolClient with an undefined scope: %v, want ScopeDoesNotExistException", err)
			}
			var tokens []string
			// Basic and body auth, host and path style, and failures that
			// carry the secret.
			for _, u := range []string{n.pathTokenURL(f.Domain), n.hostTokenURL(f.Domain, articleRegion)} {
				for _, body := range []bool{false, true} {
					call := tokenCall{URL: u, Form: url.Values{"grant_type": {"client_credentials"}, "scope": {articleScope}}}
					if body {
						call.Form.Set("client_id", f.ClientID)
						call.Form.Set("client_secret", f.Secret)
					} else {
						call.BasicID, call.BasicSecret = f.ClientID, f.Secret
					}
					status, out := postToken(t, ctx, call)
					if status != http.StatusOK {
						t.Fatalf("token: %d %s", status, out)
					}
					tokens = append(tokens, extractToken(t, out))
				}
			}
			for _, call := range []tokenCall{
				{Form: url.Values{"grant_type": {"client_credentials"}, "scope": {"nope/none"}}, BasicID: f.ClientID, BasicSecret: f.Secret},
				{Form: url.Values{"grant_type": {"password"}, "client_id": {f.ClientID}, "client_secret": {f.Secret}}},
				{Body: `{"client_secret":"` + f.Secret + `"}`, ContentType: "application/json", BasicID: f.ClientID, BasicSecret: f.Secret},
				{Form: url.Values{"grant_type": {"client_credentials"}, "client_id": {f.ClientID}, "client_secret": {f.Secret + "-other"}}, BasicID: f.ClientID, BasicSecret: f.Secret},
			} {
				call.URL = n.pathTokenURL(f.Domain)
				if status, out := postToken(t, ctx, call); status != http.StatusBadRequest {
					t.Errorf("bad token request: %d %s, want 400", status, out)
				}
			}
			// A token and a secret sent where they do not belong.
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, n.URL+"/"+f.PoolID+"/.well-known/jwks.json?access_token="+tokens[0]+"&client_secret="+f.Secret, nil)
			req.Header.Set("Authorization", "Bearer "+tokens[0])
			if resp, err := httpClient.Do(req); err == nil {
				resp.Body.Close()
			}
			if _, err := c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: &f.PoolID, ClientId: &f.ClientID,
				ClientName: aws.String("renamed")}); err != nil {
				t.Fatalf("UpdateUserPoolClient: %v", err)
			}
			if _, err := c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: &f.PoolID, ClientId: &f.ClientID}); err != nil {
				t.Fatalf("DeleteUserPoolClient: %v", err)
			}

			logs := n.SettledLogs()
			if strings.Contains(logs, f.Secret) {
				t.Errorf("the logs hold the client secret")
			}
			for i, tok := range tokens {
				_, claims := decodeJWT(t, tok)
				// A JWT's signature alone is as good as the token for a
				// replay only with the rest, but no part of it belongs in a log.
				parts := strings.Split(tok, ".")
				if strings.Contains(logs, tok) || strings.Contains(logs, parts[2]) || strings.Contains(logs, parts[1]) {
					t.Errorf("the logs hold access token %d (or its payload or signature)", i)
				}
				if jti, _ := claims["jti"].(string); jti == "" || !strings.Contains(logs, jti) {
					t.Errorf("the logs do not hold the jti %q of token %d", jti, i)
				}
			}
			if t.Failed() {
				t.Logf("logs:\n%s", logs)
			}
		})
	}
}

func extractToken(t testing.TB, body []byte) string {
	t.Helper()
	m := regexp.MustCompile(`"access_token":"([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no access_token in %s", body)
	}
	return string(m[1])
}

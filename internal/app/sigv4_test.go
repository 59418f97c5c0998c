package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognatehq/cognate/internal/config"
)

// Acceptance 7: with admin credentials configured, SigV4 is verified: the
// SDK with the right credentials works, a wrong secret gets
// InvalidSignatureException, an unknown key UnrecognizedClientException,
// and an unsigned call 400 MissingAuthenticationTokenException. The
// hosted domain and the well-known documents stay unsigned.
func TestStrictSigV4(t *testing.T) {
	t.Parallel()
	const keyID, secret = "AKIACOGNATETEST00001", "s3cr3t/Key+ForCognateStrictSigV4Tests0000"
	n := startNode(t, func(c *config.Config) { c.AccessKeyID, c.SecretAccessKey, c.LogLevel = keyID, secret, "debug" })
	ctx := testCtx(t)

	good := n.cognitoAs(articleRegion, keyID, secret)
	f := setupArticle(t, ctx, good, articleDomain)
	if _, err := good.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
		t.Fatalf("ListUserPools with the right credentials: %v", err)
	}

	for _, tc := range []struct {
		name, id, secret, want string
	}{
		{"wrong secret", keyID, secret + "x", "InvalidSignatureException"},
		{"unknown key", "AKIAUNKNOWNKEY000000", secret, "UnrecognizedClientException"},
		{"placeholder key of loopback mode", "cognate", "cognate", "UnrecognizedClientException"},
	} {
		c := n.cognitoAs(articleRegion, tc.id, tc.secret)
		_, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
		if code := apiErrorCode(err); code != tc.want {
			t.Errorf("%s: ListUserPools error %v (code %q), want %s", tc.name, err, code, tc.want)
		}
		_, err = c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &f.PoolID, ClientId: &f.ClientID})
		if code := apiErrorCode(err); code != tc.want {
			t.Errorf("%s: DescribeUserPoolClient error %v (code %q), want %s", tc.name, err, code, tc.want)
		}
	}

	// A rejected call is logged at debug level with the server's canonical
	// request, but never with a session token or a secret key.
	const sessionToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789"
	withToken := cip.New(cip.Options{Region: articleRegion, BaseEndpoint: aws.String(n.URL), HTTPClient: httpClient, RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: keyID, SecretAccessKey: "wrong-" + secret, SessionToken: sessionToken}, nil
		})})
	if _, err := withToken.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); apiErrorCode(err) != "InvalidSignatureException" {
		t.Errorf("wrong secret with a session token: %v, want InvalidSignatureException", err)
	}
	if logs := n.SettledLogs(); strings.Contains(logs, sessionToken) || strings.Contains(logs, secret) {
		t.Errorf("the debug log holds the session token or the secret access key")
	} else if !strings.Contains(logs, "sigv4_detail") {
		t.Logf("no sigv4_detail in the debug log")
	}

	// An unsigned call.
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, n.URL+"/", strings.NewReader(`{"MaxResults":10}`))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools")
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusBadRequest || body.Type != "MissingAuthenticationTokenException" ||
		resp.Header.Get("x-amzn-ErrorType") != "MissingAuthenticationTokenException" {
		t.Errorf("unsigned call: %d %+v (%v), x-amzn-ErrorType %q; want 400 MissingAuthenticationTokenException",
			resp.StatusCode, body, err, resp.Header.Get("x-amzn-ErrorType"))
	}
	// docs/APIGATEWAY.md §8 gives "Missing Authentication Token" [guess-strong].
	t.Logf("unsigned call message: %q", body.Message)

	// Admin endpoints need the credentials too.
	status, out := adminPost(t, ctx, n.URL+"/_cognate/keys/rotate", []byte(`{"UserPoolId":"`+f.PoolID+`"}`), articleRegion)
	if status != http.StatusForbidden {
		t.Errorf("keys rotate signed with the placeholder key: %d %s, want 403", status, out)
	}

	// The token endpoint and the keys are public, as on AWS.
	tok := mustToken(t, ctx, n, f, articleScope)
	verifyJWKS(t, tok, n.jwks(t, ctx, f.PoolID))
	if status, _ := httpGet(t, ctx, n.URL+"/"+f.PoolID+"/.well-known/openid-configuration"); status != http.StatusOK {
		t.Errorf("discovery on a strict server: %d", status)
	}
}

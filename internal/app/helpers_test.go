package app_test

// Shared helpers of the end-to-end tests: start Cognate in-process through
// app.Run on a free loopback port, talk to it with real clients
// (aws-sdk-go-v2, net/http with *.localhost resolved to 127.0.0.1), and
// check tokens against the served JWKS.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	jose "github.com/go-jose/go-jose/v4"

	"github.com/cognatehq/cognate/internal/app"
	"github.com/cognatehq/cognate/internal/config"
	"github.com/cognatehq/cognate/internal/logging"
)

// The article's names.
const (
	articleDomain   = "andmoredev"
	articleRS       = "layerless-esbuild"
	articleScope    = "layerless-esbuild/api"
	articleRegion   = "us-east-1"
	testMasterKeyA  = "6d61737465722d6b65792d666f722d636f676e6174652d7465737473212121ab"
	defaultTestWait = 30 * time.Second
)

// skipOrFail skips a test whose external dependency is missing, except
// under CI=true, where a missing dependency is a failure.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true: "+format, args...)
	}
	t.Skipf(format, args...)
}

// syncBuffer is an io.Writer safe for the server's concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// SettledLogs returns everything the server has logged so far, once its
// buffered log output has caught up: the server writes info records in
// batches (logging.BufferedWriter), so a test waits until nothing new has
// come for two flush intervals.
func (n *node) SettledLogs() string {
	prev := n.Logs.String()
	deadline := time.Now().Add(defaultTestWait)
	for {
		time.Sleep(2 * logging.FlushEvery)
		cur := n.Logs.String()
		if cur == prev || time.Now().After(deadline) {
			return cur
		}
		prev = cur
	}
}

// node is one running Cognate server.
type node struct {
	URL    string // http://127.0.0.1:port
	Port   string
	Cfg    config.Config
	Logs   *syncBuffer // everything the server's logger wrote (its stderr)
	Stdout *syncBuffer // the banner
}

// startNode runs app.Run on 127.0.0.1:0 with a fresh data dir until the
// test ends. opt adjusts the default config before validation.
func startNode(t testing.TB, opt func(*config.Config)) *node {
	t.Helper()
	n, err := launchNode(t, opt)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// launchNode is startNode for any goroutine: it returns its failure.
func launchNode(t testing.TB, opt func(*config.Config)) (*node, error) {
	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	if opt != nil {
		opt(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	n := &node{Cfg: cfg, Logs: &syncBuffer{}, Stdout: &syncBuffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx, cfg, n.Stdout, n.Logs, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		return nil, fmt.Errorf("app.Run returned before ready: %v\nlogs:\n%s", err, n.Logs)
	case <-time.After(defaultTestWait):
		cancel()
		return nil, fmt.Errorf("app.Run not ready after %s\nlogs:\n%s", defaultTestWait, n.Logs)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("app.Run: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("app.Run did not return 20 s after its context was cancelled")
		}
		if t.Failed() {
			t.Logf("server logs (%s):\n%s", addr, n.Logs)
		}
	})
	_, n.Port, _ = net.SplitHostPort(addr)
	n.URL = "http://" + addr
	return n, nil
}

// dialLocalhost dials 127.0.0.1 for localhost and every *.localhost host
// (Go's resolver may not resolve them), keeping the request's Host.
func dialLocalhost(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	return d.DialContext(ctx, network, addr)
}

var httpClient = &http.Client{
	Timeout:   20 * time.Second,
	Transport: &http.Transport{DialContext: dialLocalhost, MaxIdleConnsPerHost: 8},
}

func staticCreds(id, secret string) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, Source: "test"}, nil
	})
}

// cognito returns an aws-sdk-go-v2 Cognito client pointed at the node.
func (n *node) cognito(region string) *cip.Client {
	return n.cognitoAs(region, "cognate", "cognate")
}

func (n *node) cognitoAs(region, keyID, secret string) *cip.Client {
	return cip.New(cip.Options{
		Region:           region,
		BaseEndpoint:     aws.String(n.URL),
		Credentials:      staticCreds(keyID, secret),
		HTTPClient:       httpClient,
		RetryMaxAttempts: 1,
	})
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fixture is the article's setup: a pool with a domain, a resource server
// with the scope "api", and a confidential client_credentials client.
type fixture struct {
	PoolID, Domain, ClientID, Secret string
}

// setupArticle creates the article's resources through c.
func setupArticle(t testing.TB, ctx context.Context, c *cip.Client, domain string) fixture {
	t.Helper()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("andmoredev")})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	if _, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: &poolID, Domain: &domain}); err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{
		UserPoolId: &poolID, Identifier: aws.String(articleRS), Name: aws.String("Layerless ESBuild"),
		Scopes: []ciptypes.ResourceServerScopeType{{ScopeName: aws.String("api"), ScopeDescription: aws.String("Allow api access")}},
	}); err != nil {
		t.Fatalf("CreateResourceServer: %v", err)
	}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: &poolID, ClientName: aws.String("test-automation"), GenerateSecret: true,
		AllowedOAuthFlows:               []ciptypes.OAuthFlowType{ciptypes.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes:              []string{articleScope},
		AllowedOAuthFlowsUserPoolClient: true,
	})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return fixture{PoolID: poolID, Domain: domain,
		ClientID: aws.ToString(cl.UserPoolClient.ClientId), Secret: aws.ToString(cl.UserPoolClient.ClientSecret)}
}

// apiErrorCode returns the AWS error code of an SDK error, or "".
func apiErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// pathTokenURL is the path-style token endpoint of a domain.
func (n *node) pathTokenURL(domain string) string {
	return n.URL + "/_domain/" + domain + "/oauth2/token"
}

// hostTokenURL is the host-style token endpoint of a domain.
func (n *node) hostTokenURL(domain, region string) string {
	return "http://" + domain + ".auth." + region + ".localhost:" + n.Port + "/oauth2/token"
}

// tokenCall describes one raw token request.
type tokenCall struct {
	URL         string
	Form        url.Values // body; nil sends Body as is
	Body        string
	ContentType string // default application/x-www-form-urlencoded
	BasicID     string // Basic auth when BasicID or BasicSecret is set
	BasicSecret string
}

// postToken sends a token request and returns the status and body.
func postToken(t testing.TB, ctx context.Context, c tokenCall) (int, []byte) {
	t.Helper()
	body := c.Body
	if c.Form != nil {
		body = c.Form.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	ct := c.ContentType
	if ct == "" {
		ct = "application/x-www-form-urlencoded"
	}
	req.Header.Set("Content-Type", ct)
	if c.BasicID != "" || c.BasicSecret != "" {
		req.SetBasicAuth(c.BasicID, c.BasicSecret)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", c.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read token response: %v", err)
	}
	return resp.StatusCode, b
}

// tokenResponse is a successful token endpoint answer.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	TokenType   string `json:"token_type"`
}

// mustToken gets a token with Basic auth from the path-style endpoint.
func mustToken(t testing.TB, ctx context.Context, n *node, f fixture, scope string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	if scope != "" {
		form.Set("scope", scope)
	}
	status, body := postToken(t, ctx, tokenCall{URL: n.pathTokenURL(f.Domain), Form: form, BasicID: f.ClientID, BasicSecret: f.Secret})
	if status != http.StatusOK {
		t.Fatalf("token endpoint of %s: %d %s", n.URL, status, body)
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" {
		t.Fatalf("token response %s: %v", body, err)
	}
	return tr.AccessToken
}

// httpGet fetches a URL and returns status and body.
func httpGet(t testing.TB, ctx context.Context, u string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", u, err)
	}
	return resp.StatusCode, b
}

// jwks fetches a pool's JWKS from a node.
func (n *node) jwks(t testing.TB, ctx context.Context, poolID string) []byte {
	t.Helper()
	status, body := httpGet(t, ctx, n.URL+"/"+poolID+"/.well-known/jwks.json")
	if status != http.StatusOK {
		t.Fatalf("JWKS of %s at %s: %d %s", poolID, n.URL, status, body)
	}
	return body
}

// decodeJWT returns a JWT's header and payload without verifying it.
func decodeJWT(t testing.TB, tok string) (header, payload map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3: %q", len(parts), tok)
	}
	dec := func(s string) map[string]any {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("token part is not base64url: %v", err)
		}
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			t.Fatalf("token part is not JSON: %v", err)
		}
		return m
	}
	return dec(parts[0]), dec(parts[1])
}

// verifyJWKS checks tok's RS256 signature against a JWKS document and
// returns its claims; it fails the test if no key of the set verifies it.
func verifyJWKS(t testing.TB, tok string, jwksDoc []byte) map[string]any {
	t.Helper()
	claims, err := checkJWKS(tok, jwksDoc)
	if err != nil {
		t.Fatalf("token does not verify against the JWKS: %v\nJWKS: %s", err, jwksDoc)
	}
	return claims
}

func checkJWKS(tok string, jwksDoc []byte) (map[string]any, error) {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(jwksDoc, &set); err != nil {
		return nil, err
	}
	jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, err
	}
	payload, err := jws.Verify(&set)
	if err != nil {
		return nil, err
	}
	var claims map[string]any
	d := json.NewDecoder(bytes.NewReader(payload))
	d.UseNumber()
	return claims, d.Decode(&claims)
}

// adminPost sends a SigV4-signed JSON POST to one of Cognate's admin
// endpoints (as `cognate keys rotate` does) and returns status and body.
func adminPost(t testing.TB, ctx context.Context, u string, body []byte, region string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: "cognate", SecretAccessKey: "cognate"}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "cognito-idp", region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

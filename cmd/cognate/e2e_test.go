package main

// End-to-end tests of the built binary: `cognate up` as a user runs it,
// killed with SIGKILL and restarted on the same data dir, and `cognate
// token` as a script runs it.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	jose "github.com/go-jose/go-jose/v4"
)

const (
	articleDomain = "andmoredev"
	articleScope  = "layerless-esbuild/api"
	otherKey      = "0000000000000000000000000000000000000000000000000000000000000001"
)

var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// cognateBinary builds ./cmd/cognate once per test binary.
func cognateBinary(t testing.TB) string {
	t.Helper()
	binary.once.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		binary.dir, binary.err = os.MkdirTemp("", "cognate-e2e-bin-")
		if binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "cognate")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, goBin, "build", "-o", binary.path, ".")
		binary.out, binary.err = cmd.CombinedOutput()
	})
	if binary.err != nil {
		t.Fatalf("go build ./cmd/cognate: %v\n%s", binary.err, binary.out)
	}
	return binary.path
}

// cleanEnv is the test's environment without Cognate's and AWS's
// variables, so that neither the developer's shell nor CI changes what
// the binary does, plus extra.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "COGNATE_") && !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// syncBuffer collects a child's output while the test reads it.
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

// proc is one `cognate up` process.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan struct{}
	err            error // Wait's result, once done is closed
	started        time.Time
	URL, Port      string
}

// startUp starts `cognate up --listen listen --data data args...` and
// kills it when the test ends if it still runs.
func startUp(t *testing.T, env []string, listen, data string, args ...string) *proc {
	t.Helper()
	p := &proc{stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(cognateBinary(t), append([]string{"up", "--listen", listen, "--data", data}, args...)...)
	p.cmd.Env = cleanEnv(env...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start cognate up: %v", err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("cognate up %s stdout:\n%s\nstderr:\n%s", listen, p.stdout, p.stderr)
		}
	})
	return p
}

var upRe = regexp.MustCompile(`is up on (\S+) `)

// waitHealthy waits for the banner and for GET /_cognate/health to answer
// 200, and returns the time from the process start to that answer.
func (p *proc) waitHealthy(t *testing.T) time.Duration {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	client := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("cognate up exited before it was healthy: %v\nstdout:\n%s\nstderr:\n%s", p.err, p.stdout, p.stderr)
		default:
		}
		if p.URL == "" {
			if m := upRe.FindStringSubmatch(p.stdout.String()); m != nil {
				_, p.Port, _ = net.SplitHostPort(m[1])
				p.URL = "http://127.0.0.1:" + p.Port
			}
		}
		if p.URL != "" {
			resp, err := client.Get(p.URL + "/_cognate/health")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return time.Since(p.started)
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("cognate up not healthy after 30 s\nstdout:\n%s\nstderr:\n%s", p.stdout, p.stderr)
	return 0
}

// exit waits for the process to end by itself and returns its error.
func (p *proc) exit(t *testing.T, within time.Duration) error {
	t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(within):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("cognate up still ran %s later\nstdout:\n%s\nstderr:\n%s", within, p.stdout, p.stderr)
		return nil
	}
}

func (p *proc) cognito() *cip.Client { return p.cognitoAs("cognate", "cognate") }

func (p *proc) cognitoAs(id, secret string) *cip.Client {
	return cip.New(cip.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(p.URL), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}, nil
		}),
	})
}

type fixture struct{ PoolID, ClientID, Secret string }

// setupArticle creates the README's pool, domain, resource server and
// client through the AWS SDK.
func setupArticle(t *testing.T, ctx context.Context, c *cip.Client) fixture {
	t.Helper()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("andmoredev")})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	id := pool.UserPool.Id
	if _, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: id, Domain: aws.String(articleDomain)}); err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: id,
		Identifier: aws.String("layerless-esbuild"), Name: aws.String("Layerless ESBuild"),
		Scopes: []ciptypes.ResourceServerScopeType{{ScopeName: aws.String("api"), ScopeDescription: aws.String("Allow api access")}}}); err != nil {
		t.Fatalf("CreateResourceServer: %v", err)
	}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: id,
		ClientName: aws.String("test-automation"), GenerateSecret: true,
		AllowedOAuthFlows:  []ciptypes.OAuthFlowType{ciptypes.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{articleScope}, AllowedOAuthFlowsUserPoolClient: true})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return fixture{PoolID: *id, ClientID: *cl.UserPoolClient.ClientId, Secret: *cl.UserPoolClient.ClientSecret}
}

func getToken(t *testing.T, ctx context.Context, base string, f fixture) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/_domain/"+articleDomain+"/oauth2/token",
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}, "scope": {articleScope}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(f.ClientID, f.Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("token request: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &tr) != nil || tr.AccessToken == "" {
		t.Fatalf("token request: %d %s", resp.StatusCode, body)
	}
	return tr.AccessToken
}

func fetchJWKS(t *testing.T, ctx context.Context, base, poolID string) []byte {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/"+poolID+"/.well-known/jwks.json", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET JWKS: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET JWKS: %d %s", resp.StatusCode, body)
	}
	return body
}

// claims of a verified access token.
type claims struct {
	Sub, Iss, Scope, ClientID, TokenUse, JTI string
	Exp                                      int64
	Kid                                      string
}

// verifyToken checks tok's signature against jwks, and its issuer, expiry
// and client.
func verifyToken(t *testing.T, tok string, jwks []byte, issuer, clientID string) claims {
	t.Helper()
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(jwks, &set); err != nil {
		t.Fatalf("JWKS: %v\n%s", err, jwks)
	}
	jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("parse token %q: %v", tok, err)
	}
	payload, err := jws.Verify(&set)
	if err != nil {
		t.Fatalf("token does not verify against the JWKS: %v\nJWKS: %s", err, jwks)
	}
	var raw struct {
		Sub, Iss, Scope, JTI string
		ClientID             string `json:"client_id"`
		TokenUse             string `json:"token_use"`
		Exp                  int64
	}
	if err := json.Unmarshal(payload, &raw); err != nil {
		t.Fatal(err)
	}
	c := claims{Sub: raw.Sub, Iss: raw.Iss, Scope: raw.Scope, ClientID: raw.ClientID, TokenUse: raw.TokenUse,
		JTI: raw.JTI, Exp: raw.Exp, Kid: jws.Signatures[0].Header.KeyID}
	if c.Iss != issuer || c.ClientID != clientID || c.Sub != clientID || c.TokenUse != "access" || time.Unix(c.Exp, 0).Before(time.Now()) {
		t.Errorf("claims %+v: want iss %s, client %s, an access token that has not expired", c, issuer, clientID)
	}
	return c
}

// freePort returns a TCP port that was free on 127.0.0.1 a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// Acceptance 1: `cognate up` starts on an empty data dir, is healthy
// quickly, prints its endpoints, and keeps every pool, domain, resource
// server, client, secret and signing key across a SIGKILL; it refuses a
// master key that does not match the data, and a non-loopback listener
// without admin credentials.
func TestUpStartsFastAndSurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	cognateBinary(t) // build before timing the start
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	data := filepath.Join(t.TempDir(), "data") // does not exist yet

	p := startUp(t, nil, "127.0.0.1:0", data)
	took := p.waitHealthy(t)
	t.Logf("cognate up on an empty data dir: healthy %d ms after exec", took.Milliseconds())
	if took >= 2*time.Second {
		t.Errorf("cognate up took %s to become healthy, want < 2 s", took)
	}
	banner := p.stdout.String()
	for _, want := range []string{
		"is up on 127.0.0.1:" + p.Port,
		"aws --endpoint-url " + p.URL + " --region us-east-1 cognito-idp",
		p.URL + "/_domain/{domain}/oauth2/token",
		"http://{domain}.auth.us-east-1.localhost:" + p.Port + "/oauth2/token",
		p.URL + "/{userPoolId}/.well-known/jwks.json",
		p.URL + "/{userPoolId}/.well-known/openid-configuration",
		p.URL + "/_cognate/health",
		p.URL + "/_cognate/metrics",
		data,
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("the banner does not show %q:\n%s", want, banner)
		}
	}
	if fi, err := os.Stat(filepath.Join(data, "master.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("generated master key: %v, mode %v, want 0600", err, fi)
	}

	f := setupArticle(t, ctx, p.cognito())
	issuer := p.URL + "/" + f.PoolID
	before := getToken(t, ctx, p.URL, f)
	beforeClaims := verifyToken(t, before, fetchJWKS(t, ctx, p.URL, f.PoolID), issuer, f.ClientID)

	// kill -9: no graceful shutdown, no chance to flush anything.
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	var ee *exec.ExitError
	if err := p.exit(t, 10*time.Second); !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("cognate up after SIGKILL: %v, want killed by SIGKILL", err)
	}

	// Restart on the same data dir and port.
	p2 := startUp(t, nil, "127.0.0.1:"+p.Port, data)
	t.Logf("restart after SIGKILL: healthy %d ms after exec", p2.waitHealthy(t).Milliseconds())
	c := p2.cognito()
	desc, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &f.PoolID, ClientId: &f.ClientID})
	if err != nil {
		t.Fatalf("DescribeUserPoolClient after SIGKILL and restart: %v", err)
	}
	if got := desc.UserPoolClient; aws.ToString(got.ClientSecret) != f.Secret || aws.ToString(got.ClientName) != "test-automation" ||
		fmt.Sprint(got.AllowedOAuthScopes) != "["+articleScope+"]" || !aws.ToBool(got.AllowedOAuthFlowsUserPoolClient) {
		t.Errorf("client after restart: secret kept %v, name %q, scopes %v, OAuth %v",
			aws.ToString(got.ClientSecret) == f.Secret, aws.ToString(got.ClientName), got.AllowedOAuthScopes, aws.ToBool(got.AllowedOAuthFlowsUserPoolClient))
	}
	pool, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.PoolID})
	if err != nil || aws.ToString(pool.UserPool.Domain) != articleDomain {
		t.Errorf("DescribeUserPool after restart: %v, domain %v", err, pool)
	}
	rs, err := c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &f.PoolID, MaxResults: aws.Int32(50)})
	if err != nil || len(rs.ResourceServers) != 1 || len(rs.ResourceServers[0].Scopes) != 1 {
		t.Errorf("ListResourceServers after restart: %v %+v", err, rs)
	}
	jwks := fetchJWKS(t, ctx, p2.URL, f.PoolID)
	verifyToken(t, before, jwks, issuer, f.ClientID) // issued before the kill
	after := getToken(t, ctx, p2.URL, f)
	afterClaims := verifyToken(t, after, jwks, issuer, f.ClientID)
	if afterClaims.Kid != beforeClaims.Kid {
		t.Errorf("the pool signs with kid %s after the restart, %s before: signing keys were not kept", afterClaims.Kid, beforeClaims.Kid)
	}

	// A graceful stop exits 0.
	if err := p2.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p2.exit(t, 15*time.Second); err != nil {
		t.Errorf("cognate up after SIGTERM: %v, want exit 0", err)
	}

	// Another master key does not open this data dir.
	p3 := startUp(t, []string{"COGNATE_MASTER_KEY=" + otherKey}, "127.0.0.1:"+p.Port, data)
	if err := p3.exit(t, 15*time.Second); err == nil {
		t.Errorf("cognate up with another COGNATE_MASTER_KEY exited 0, want a failure")
	}
	if msg := p3.stderr.String(); !strings.Contains(msg, "master key") {
		t.Errorf("cognate up with another COGNATE_MASTER_KEY: stderr does not mention the master key:\n%s", msg)
	}
	if strings.Contains(p3.stdout.String(), "is up") {
		t.Errorf("cognate up with another master key printed its banner:\n%s", p3.stdout)
	}

	// The data dir still opens with its own key afterwards.
	p4 := startUp(t, nil, "127.0.0.1:"+p.Port, data)
	p4.waitHealthy(t)
	verifyToken(t, getToken(t, ctx, p4.URL, f), fetchJWKS(t, ctx, p4.URL, f.PoolID), issuer, f.ClientID)
}

// Acceptance 1 (secure by default): a non-loopback listener without admin
// credentials is refused at start, naming --access-key-id.
func TestUpRefusesNonLoopbackWithoutCredentials(t *testing.T) {
	t.Parallel()
	p := startUp(t, nil, "0.0.0.0:"+freePort(t), t.TempDir())
	if err := p.exit(t, 15*time.Second); err == nil {
		t.Fatalf("cognate up --listen 0.0.0.0 without credentials exited 0, want a refusal")
	}
	if msg := p.stderr.String(); !strings.Contains(msg, "--access-key-id") || !strings.Contains(msg, "0.0.0.0") {
		t.Errorf("refusal does not name --access-key-id and the address:\n%s", msg)
	}
	if strings.Contains(p.stdout.String(), "is up") {
		t.Errorf("cognate up printed its banner although it refused to start:\n%s", p.stdout)
	}
}

// Acceptance 5: `cognate token` prints a token that verifies, with the
// secret from --client-secret or from COGNATE_CLIENT_SECRET; a wrong
// secret exits non-zero naming invalid_client.
func TestTokenCommand(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := startUp(t, nil, "127.0.0.1:0", t.TempDir())
	p.waitHealthy(t)
	f := setupArticle(t, ctx, p.cognito())
	issuer := p.URL + "/" + f.PoolID

	run := func(env []string, args ...string) (string, string, error) {
		t.Helper()
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(cctx, cognateBinary(t), append([]string{"token", "--endpoint", p.URL,
			"--domain", articleDomain, "--client-id", f.ClientID}, args...)...)
		cmd.Env = cleanEnv(env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}
	checkPrinted := func(name, out, errOut string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, errOut)
		}
		tok := strings.TrimSpace(out)
		if strings.Count(out, "\n") != 1 || strings.Count(tok, ".") != 2 {
			t.Errorf("%s printed %q, want one JWT on one line", name, out)
		}
		if c := verifyToken(t, tok, fetchJWKS(t, ctx, p.URL, f.PoolID), issuer, f.ClientID); c.Scope != articleScope {
			t.Errorf("%s: scope %q, want %q", name, c.Scope, articleScope)
		}
	}

	out, errOut, err := run(nil, "--client-secret", f.Secret, "--scope", articleScope)
	checkPrinted("cognate token --client-secret", out, errOut, err)

	out, errOut, err = run([]string{"COGNATE_CLIENT_SECRET=" + f.Secret}, "--scope", articleScope)
	checkPrinted("COGNATE_CLIENT_SECRET=... cognate token", out, errOut, err)

	out, errOut, err = run(nil, "--client-secret", f.Secret+"x", "--scope", articleScope)
	if err == nil {
		t.Errorf("cognate token with a wrong secret exited 0 and printed %q", out)
	} else if !strings.Contains(errOut, "invalid_client") {
		t.Errorf("cognate token with a wrong secret: stderr does not name invalid_client:\n%s", errOut)
	}
	if strings.Contains(errOut, f.Secret) {
		t.Errorf("cognate token echoes the secret in its error:\n%s", errOut)
	}

	out, errOut, err = run([]string{"COGNATE_CLIENT_SECRET=" + f.Secret}, "--scope", "layerless-esbuild/echo")
	if err == nil || !strings.Contains(errOut, "invalid_scope") {
		t.Errorf("cognate token for a scope the client may not have: %v %q %q, want a failure naming invalid_scope", err, out, errOut)
	}

	_, errOut, err = run(nil, "--scope", articleScope)
	if err == nil || !strings.Contains(errOut, "COGNATE_CLIENT_SECRET") {
		t.Errorf("cognate token without a secret: %v %q, want a failure naming COGNATE_CLIENT_SECRET", err, errOut)
	}
}

// A non-loopback listener with admin credentials (from the environment)
// starts, and verifies signatures.
func TestUpOnNonLoopbackWithCredentials(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const id, secret = "AKIACOGNATEE2E000001", "e2e-secret-access-key"
	p := startUp(t, []string{"COGNATE_ACCESS_KEY_ID=" + id, "COGNATE_SECRET_ACCESS_KEY=" + secret}, "0.0.0.0:0", t.TempDir(),
		"--public-url", "https://auth.example.test")
	p.waitHealthy(t)
	c := p.cognitoAs(id, secret)
	if _, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
		t.Errorf("ListUserPools with the configured credentials: %v", err)
	}
	_, err := p.cognito().ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	var ae interface{ ErrorCode() string }
	if !errors.As(err, &ae) || ae.ErrorCode() != "UnrecognizedClientException" {
		t.Errorf("ListUserPools with another key: %v, want UnrecognizedClientException", err)
	}
}

// `cognate keys rotate` adds keys that sign at once, signing its call with
// the admin credentials of its flags.
func TestKeysRotateCommand(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const id, secret = "AKIACOGNATEE2E000002", "e2e-secret-access-key-2"
	p := startUp(t, nil, "127.0.0.1:0", t.TempDir(), "--access-key-id", id, "--secret-access-key", secret)
	p.waitHealthy(t)
	f := setupArticle(t, ctx, p.cognitoAs(id, secret))
	issuer := p.URL + "/" + f.PoolID
	before := verifyToken(t, getToken(t, ctx, p.URL, f), fetchJWKS(t, ctx, p.URL, f.PoolID), issuer, f.ClientID)

	rotate := func(env []string, args ...string) (string, string, error) {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(cctx, cognateBinary(t), append([]string{"keys", "rotate", "--endpoint", p.URL, "--user-pool-id", f.PoolID}, args...)...)
		cmd.Env = cleanEnv(env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}
	if out, errOut, err := rotate(nil); err == nil {
		t.Errorf("keys rotate without credentials against a strict server succeeded: %s", out)
	} else if errOut == "" {
		t.Errorf("keys rotate without credentials: no message")
	}
	out, errOut, err := rotate(nil, "--access-key-id", id, "--secret-access-key", secret)
	if err != nil {
		t.Fatalf("keys rotate: %v\n%s", err, errOut)
	}
	var rotated struct {
		UserPoolID string `json:"user_pool_id"`
		Keys       []struct {
			KID      string `json:"kid"`
			Use      string `json:"use"`
			RetireAt string `json:"retire_at"`
		} `json:"keys"`
	}
	if err := json.Unmarshal([]byte(out), &rotated); err != nil || rotated.UserPoolID != f.PoolID || len(rotated.Keys) != 4 {
		t.Fatalf("keys rotate printed %s (%v): want the pool's 4 published keys", out, err)
	}
	after := verifyToken(t, getToken(t, ctx, p.URL, f), fetchJWKS(t, ctx, p.URL, f.PoolID), issuer, f.ClientID)
	if after.Kid == before.Kid {
		t.Errorf("after keys rotate the pool still signs with %s", before.Kid)
	}
	for _, k := range rotated.Keys {
		if k.KID == after.Kid && (k.Use != "access" || k.RetireAt != "") {
			t.Errorf("the new signing key is listed as %+v", k)
		}
		if k.KID == before.Kid && k.RetireAt == "" {
			t.Errorf("the old signing key has no retire_at: %+v", k)
		}
	}
	// With the AWS_* variables, as a shell with an AWS profile has them.
	if _, errOut, err := rotate([]string{"AWS_ACCESS_KEY_ID=" + id, "AWS_SECRET_ACCESS_KEY=" + secret}); err != nil {
		t.Errorf("keys rotate with AWS_ACCESS_KEY_ID: %v\n%s", err, errOut)
	}
}

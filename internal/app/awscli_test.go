package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	poolIDRe   = regexp.MustCompile(`^us-east-1_[A-Za-z0-9]{9}$`)
	clientIDRe = regexp.MustCompile(`^[a-z0-9]{26}$`)
	secretRe   = regexp.MustCompile(`^[a-z0-9]{50,52}$`)
)

// awsCLI runs the AWS CLI against a node, with the README's environment
// and nothing from the user's profile.
type awsCLI struct {
	bin      string
	endpoint string
	env      []string
}

func newAWSCLI(t *testing.T, n *node) awsCLI {
	t.Helper()
	bin, err := exec.LookPath("aws")
	if err != nil {
		skipOrFail(t, "the AWS CLI (aws) is not on PATH: install it (pip install awscli) to run the README walkthrough")
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_ACCESS_KEY_ID=cognate", "AWS_SECRET_ACCESS_KEY=cognate", "AWS_PAGER=",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true")
	return awsCLI{bin: bin, endpoint: n.URL, env: env}
}

// run runs `aws --endpoint-url E --region us-east-1 cognito-idp <args>`
// and returns stdout, stderr and the error of a non-zero exit.
func (a awsCLI) run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	full := append([]string{"--endpoint-url", a.endpoint, "--region", "us-east-1", "cognito-idp"}, args...)
	cmd := exec.CommandContext(ctx, a.bin, full...)
	cmd.Env = a.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after 60 s: %w", err)
	}
	return strings.TrimSpace(stdout.String()), strings.TrimSpace(stderr.String()), err
}

// try runs a command that must succeed; it reports a failure with
// t.Errorf, so it may run on any goroutine.
func (a awsCLI) try(t *testing.T, args ...string) (string, bool) {
	t.Helper()
	out, errOut, err := a.run(t, args...)
	if err != nil {
		t.Errorf("aws cognito-idp %s: %v\n%s", strings.Join(args, " "), err, errOut)
		return "", false
	}
	return out, true
}

// ok runs a command that must succeed, on the test's goroutine.
func (a awsCLI) ok(t *testing.T, args ...string) string {
	t.Helper()
	out, ok := a.try(t, args...)
	if !ok {
		t.FailNow()
	}
	return out
}

// json runs a command with --output json and decodes its output into v;
// like try, it may run on any goroutine.
func (a awsCLI) json(t *testing.T, v any, args ...string) {
	t.Helper()
	out, ok := a.try(t, append(args, "--output", "json")...)
	if !ok {
		return
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Errorf("aws cognito-idp %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// fails runs a command that must fail with the named AWS error code.
func (a awsCLI) fails(t *testing.T, code string, args ...string) {
	t.Helper()
	_, errOut, err := a.run(t, append(args, "--output", "json")...)
	if err == nil {
		t.Errorf("aws cognito-idp %s succeeded, want %s", strings.Join(args, " "), code)
		return
	}
	if !strings.Contains(errOut, "("+code+")") {
		t.Errorf("aws cognito-idp %s: error output does not name %s:\n%s", strings.Join(args, " "), code, errOut)
	}
}

// parallel runs fns at once (each AWS CLI start costs ~0.5 s of Python).
func parallel(fns ...func()) {
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Go(fn)
	}
	wg.Wait()
}

// Acceptance 2: the AWS CLI runs the README walkthrough exactly, the
// other operations of pools, domains, resource servers and clients, and
// gets Cognito's exceptions for the article's usual mistakes.
func TestAWSCLIWalkthrough(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	cli := newAWSCLI(t, n)

	// The README, command by command.
	pool := cli.ok(t, "create-user-pool", "--pool-name", "andmoredev", "--query", "UserPool.Id", "--output", "text")
	if !poolIDRe.MatchString(pool) {
		t.Fatalf("pool id %q, want us-east-1_ and 9 letters or digits", pool)
	}
	cli.ok(t, "create-user-pool-domain", "--user-pool-id", pool, "--domain", articleDomain)
	cli.ok(t, "create-resource-server", "--user-pool-id", pool, "--identifier", articleRS,
		"--name", "Layerless ESBuild", "--scopes", "ScopeName=api,ScopeDescription=Allow api access")
	client := cli.ok(t, "create-user-pool-client", "--user-pool-id", pool, "--client-name", "test-automation",
		"--generate-secret", "--allowed-o-auth-flows", "client_credentials",
		"--allowed-o-auth-scopes", articleScope, "--allowed-o-auth-flows-user-pool-client",
		"--query", "UserPoolClient.ClientId", "--output", "text")
	if !clientIDRe.MatchString(client) {
		t.Fatalf("client id %q, want 26 lower-case letters or digits", client)
	}
	secret := cli.ok(t, "describe-user-pool-client", "--user-pool-id", pool, "--client-id", client,
		"--query", "UserPoolClient.ClientSecret", "--output", "text")
	if !secretRe.MatchString(secret) {
		t.Fatalf("client secret %q (%d chars), want ~51 lower-case letters or digits", secret, len(secret))
	}

	// The README's curl commands, when curl is there (it resolves
	// *.localhost itself).
	f := fixture{PoolID: pool, Domain: articleDomain, ClientID: client, Secret: secret}
	var tokens []string
	if curl, err := exec.LookPath("curl"); err == nil {
		for _, u := range []string{n.pathTokenURL(articleDomain), n.hostTokenURL(articleDomain, articleRegion)} {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			out, err := exec.CommandContext(ctx, curl, "-s", "-u", client+":"+secret, "-d", "grant_type=client_credentials",
				"-d", "scope="+articleScope, u).Output()
			cancel()
			var ee *exec.ExitError
			if errors.As(err, &ee) && ee.ExitCode() == 6 && strings.Contains(u, ".localhost:") {
				// Older curl releases do not resolve *.localhost themselves.
				t.Logf("this curl cannot resolve %s (exit 6): skipping the host-style curl command", u)
				continue
			}
			var tr tokenResponse
			if err != nil || json.Unmarshal(out, &tr) != nil || tr.AccessToken == "" || tr.TokenType != "Bearer" || tr.ExpiresIn != 3600 {
				t.Errorf("curl %s: %v: %s", u, err, out)
				continue
			}
			checkCognitoClaims(t, tr.AccessToken, n.URL+"/"+pool, client, articleScope)
			tokens = append(tokens, tr.AccessToken)
		}
	} else {
		t.Log("curl is not on PATH: skipping the README's curl commands")
		tokens = append(tokens, mustToken(t, testCtx(t), n, f, articleScope))
	}

	// Listing and describing, at once.
	var (
		pools struct {
			UserPools []struct{ Id, Name string }
		}
		clients struct {
			UserPoolClients []struct{ ClientId, ClientName, UserPoolId string }
		}
		servers struct {
			ResourceServers []struct {
				Identifier, Name, UserPoolId string
				Scopes                       []struct{ ScopeName, ScopeDescription string }
			}
		}
		poolDesc struct {
			UserPool struct{ Id, Name, Domain, Arn string }
		}
		domainDesc struct {
			DomainDescription struct{ UserPoolId, Domain, Status string }
		}
		clientDesc struct {
			UserPoolClient struct {
				ClientId, ClientSecret, ClientName string
				AllowedOAuthFlows                  []string
				AllowedOAuthScopes                 []string
				AllowedOAuthFlowsUserPoolClient    bool
			}
		}
	)
	parallel(
		func() { cli.json(t, &pools, "list-user-pools", "--max-results", "60") },
		func() { cli.json(t, &clients, "list-user-pool-clients", "--user-pool-id", pool) },
		func() {
			cli.json(t, &servers, "list-resource-servers", "--user-pool-id", pool, "--max-results", "50")
		},
		func() { cli.json(t, &poolDesc, "describe-user-pool", "--user-pool-id", pool) },
		func() { cli.json(t, &domainDesc, "describe-user-pool-domain", "--domain", articleDomain) },
		func() {
			cli.json(t, &clientDesc, "describe-user-pool-client", "--user-pool-id", pool, "--client-id", client)
		},
		// The article's usual mistakes.
		func() {
			cli.fails(t, "ScopeDoesNotExistException", "create-user-pool-client", "--user-pool-id", pool,
				"--client-name", "echo", "--generate-secret", "--allowed-o-auth-flows", "client_credentials",
				"--allowed-o-auth-scopes", "layerless-esbuild/echo", "--allowed-o-auth-flows-user-pool-client")
		},
		func() {
			cli.fails(t, "InvalidOAuthFlowException", "create-user-pool-client", "--user-pool-id", pool,
				"--client-name", "no-secret", "--allowed-o-auth-flows", "client_credentials",
				"--allowed-o-auth-scopes", articleScope, "--allowed-o-auth-flows-user-pool-client")
		},
		func() {
			other, ok := cli.try(t, "create-user-pool", "--pool-name", "other", "--query", "UserPool.Id", "--output", "text")
			if !ok {
				return
			}
			cli.fails(t, "InvalidParameterException", "create-user-pool-domain", "--user-pool-id", other, "--domain", articleDomain)
			cli.try(t, "delete-user-pool", "--user-pool-id", other)
		},
	)
	if t.Failed() {
		t.FailNow()
	}
	if len(pools.UserPools) != 1 || pools.UserPools[0].Id != pool || pools.UserPools[0].Name != "andmoredev" {
		// The "other" pool may or may not be listed, depending on timing.
		found := false
		for _, p := range pools.UserPools {
			found = found || (p.Id == pool && p.Name == "andmoredev")
		}
		if !found {
			t.Errorf("list-user-pools: %+v, want %s andmoredev", pools.UserPools, pool)
		}
	}
	if len(clients.UserPoolClients) != 1 || clients.UserPoolClients[0] != (struct{ ClientId, ClientName, UserPoolId string }{client, "test-automation", pool}) {
		t.Errorf("list-user-pool-clients: %+v", clients.UserPoolClients)
	}
	if len(servers.ResourceServers) != 1 || servers.ResourceServers[0].Identifier != articleRS ||
		servers.ResourceServers[0].Name != "Layerless ESBuild" || servers.ResourceServers[0].UserPoolId != pool ||
		fmt.Sprint(servers.ResourceServers[0].Scopes) != "[{api Allow api access}]" {
		t.Errorf("list-resource-servers: %+v", servers.ResourceServers)
	}
	if poolDesc.UserPool.Id != pool || poolDesc.UserPool.Domain != articleDomain ||
		poolDesc.UserPool.Arn != "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"+pool {
		t.Errorf("describe-user-pool: %+v, want Domain %s", poolDesc.UserPool, articleDomain)
	}
	if d := domainDesc.DomainDescription; d.UserPoolId != pool || d.Domain != articleDomain || d.Status != "ACTIVE" {
		t.Errorf("describe-user-pool-domain: %+v", d)
	}
	if c := clientDesc.UserPoolClient; c.ClientId != client || c.ClientSecret != secret ||
		fmt.Sprint(c.AllowedOAuthFlows) != "[client_credentials]" || fmt.Sprint(c.AllowedOAuthScopes) != "["+articleScope+"]" ||
		!c.AllowedOAuthFlowsUserPoolClient {
		t.Errorf("describe-user-pool-client: %+v", c)
	}

	// Update keeps the id and the secret.
	var updated struct {
		UserPoolClient struct{ ClientId, ClientSecret, ClientName string }
	}
	cli.json(t, &updated, "update-user-pool-client", "--user-pool-id", pool, "--client-id", client,
		"--client-name", "test-automation-2", "--allowed-o-auth-flows", "client_credentials",
		"--allowed-o-auth-scopes", articleScope, "--allowed-o-auth-flows-user-pool-client")
	if u := updated.UserPoolClient; u.ClientId != client || u.ClientSecret != secret || u.ClientName != "test-automation-2" {
		t.Errorf("update-user-pool-client: %+v", u)
	}
	tokens = append(tokens, mustToken(t, testCtx(t), n, f, articleScope))

	// Delete everything, in the order a teardown script would.
	cli.ok(t, "delete-user-pool-client", "--user-pool-id", pool, "--client-id", client)
	cli.fails(t, "ResourceNotFoundException", "describe-user-pool-client", "--user-pool-id", pool, "--client-id", client)
	cli.ok(t, "delete-resource-server", "--user-pool-id", pool, "--identifier", articleRS)
	cli.ok(t, "delete-user-pool-domain", "--user-pool-id", pool, "--domain", articleDomain)
	cli.ok(t, "delete-user-pool", "--user-pool-id", pool)
	cli.fails(t, "ResourceNotFoundException", "describe-user-pool", "--user-pool-id", pool)

	// Acceptance 10 for the README's own walkthrough: the server's log
	// names tokens by jti only, and never holds the secret.
	logs := n.SettledLogs()
	if strings.Contains(logs, secret) {
		t.Errorf("the server log holds the client secret")
	}
	for i, tok := range tokens {
		_, claims := decodeJWT(t, tok)
		if strings.Contains(logs, tok) {
			t.Errorf("the server log holds access token %d", i)
		}
		if jti, _ := claims["jti"].(string); !strings.Contains(logs, "jti="+jti) {
			t.Errorf("the server log does not name token %d by its jti %s", i, jti)
		}
	}
}

package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/cognatehq/cognate/internal/config"
)

// Acceptance 4: real verifiers accept Cognate's tokens. go-oidc finds the
// keys through discovery at {public-url}/{poolId}; golang.org/x/oauth2's
// clientcredentials obtains a token; the npm aws-jwt-verify accepts it as
// JwtRsaVerifier (local issuer) and as CognitoJwtVerifier (a server with
// --issuer-style aws), and rejects a token whose payload was tampered with.
func TestRealVerifiersAcceptTokens(t *testing.T) {
	t.Parallel()
	n := startNode(t, nil)
	ctx := testCtx(t)
	f := setupArticle(t, ctx, n.cognito(articleRegion), articleDomain)
	issuer := n.URL + "/" + f.PoolID
	oidcCtx := oidc.ClientContext(ctx, httpClient)

	// golang.org/x/oauth2/clientcredentials, with both of its auth styles.
	var tok string
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleAutoDetect, oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		cc := clientcredentials.Config{ClientID: f.ClientID, ClientSecret: f.Secret,
			TokenURL: n.pathTokenURL(f.Domain), Scopes: []string{articleScope}, AuthStyle: style}
		ot, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, httpClient))
		if err != nil {
			t.Fatalf("clientcredentials (auth style %d): %v", style, err)
		}
		if ot.AccessToken == "" || ot.TokenType != "Bearer" || time.Until(ot.Expiry) < 59*time.Minute {
			t.Fatalf("clientcredentials (auth style %d): token %+v", style, ot)
		}
		tok = ot.AccessToken
	}

	t.Run("go-oidc", func(t *testing.T) {
		p, err := oidc.NewProvider(oidcCtx, issuer)
		if err != nil {
			t.Fatalf("oidc.NewProvider(%s): %v", issuer, err)
		}
		v := p.Verifier(&oidc.Config{SkipClientIDCheck: true})
		idt, err := v.Verify(oidcCtx, tok)
		if err != nil {
			t.Fatalf("go-oidc rejects the token: %v", err)
		}
		if idt.Subject != f.ClientID || idt.Issuer != issuer {
			t.Errorf("go-oidc: sub %q iss %q, want %q %q", idt.Subject, idt.Issuer, f.ClientID, issuer)
		}
		var claims struct {
			Scope    string `json:"scope"`
			TokenUse string `json:"token_use"`
		}
		if err := idt.Claims(&claims); err != nil || claims.Scope != articleScope || claims.TokenUse != "access" {
			t.Errorf("go-oidc claims %+v (%v)", claims, err)
		}
		if _, err := v.Verify(oidcCtx, tamper(t, tok)); err == nil {
			t.Errorf("go-oidc accepts a token whose payload was tampered with")
		}
	})

	jwks := string(n.jwks(t, ctx, f.PoolID))
	t.Run("aws-jwt-verify rsa", func(t *testing.T) {
		out, errOut, err := runAwsJwtVerify(t, "rsa", tok, jwks, issuer, f.ClientID, articleScope)
		if err != nil {
			t.Fatalf("aws-jwt-verify (JwtRsaVerifier) rejects the token: %v\n%s", err, errOut)
		}
		var payload map[string]any
		if err := json.Unmarshal([]byte(out), &payload); err != nil || payload["client_id"] != f.ClientID {
			t.Errorf("aws-jwt-verify printed %q (%v)", out, err)
		}
	})
	t.Run("aws-jwt-verify rejects tampered payload", func(t *testing.T) {
		_, errOut, err := runAwsJwtVerify(t, "rsa", tamper(t, tok), jwks, issuer, f.ClientID, articleScope)
		if err == nil {
			t.Fatalf("aws-jwt-verify accepts a token whose payload was tampered with")
		}
		if !strings.Contains(errOut, "Invalid signature") {
			t.Errorf("aws-jwt-verify rejected the tampered token for another reason than its signature: %s", errOut)
		}
	})
	t.Run("aws-jwt-verify rejects a wrong scope", func(t *testing.T) {
		if _, _, err := runAwsJwtVerify(t, "rsa", tok, jwks, issuer, f.ClientID, "layerless-esbuild/echo"); err == nil {
			t.Fatalf("aws-jwt-verify accepts the token for a scope it does not carry")
		}
	})

	t.Run("aws-jwt-verify cognito (issuer style aws)", func(t *testing.T) {
		t.Parallel()
		na := startNode(t, func(c *config.Config) { c.IssuerStyle = "aws" })
		fa := setupArticle(t, ctx, na.cognito(articleRegion), articleDomain)
		atok := mustToken(t, ctx, na, fa, articleScope)
		awsIssuer := "https://cognito-idp.us-east-1.amazonaws.com/" + fa.PoolID
		checkCognitoClaims(t, atok, awsIssuer, fa.ClientID, articleScope)
		// Discovery names the issuer that the tokens carry, and keys stay local.
		_, disc := httpGet(t, ctx, na.URL+"/"+fa.PoolID+"/.well-known/openid-configuration")
		var d struct {
			Issuer  string `json:"issuer"`
			JWKSURI string `json:"jwks_uri"`
		}
		if err := json.Unmarshal(disc, &d); err != nil || d.Issuer != awsIssuer || d.JWKSURI != na.URL+"/"+fa.PoolID+"/.well-known/jwks.json" {
			t.Errorf("discovery %s: issuer and jwks_uri want %s and local keys", disc, awsIssuer)
		}
		ajwks := string(na.jwks(t, ctx, fa.PoolID))
		if _, errOut, err := runAwsJwtVerify(t, "cognito", atok, ajwks, fa.PoolID, fa.ClientID, articleScope); err != nil {
			t.Fatalf("aws-jwt-verify (CognitoJwtVerifier) rejects the token: %v\n%s", err, errOut)
		}
		if _, _, err := runAwsJwtVerify(t, "cognito", tamper(t, atok), ajwks, fa.PoolID, fa.ClientID, articleScope); err == nil {
			t.Errorf("CognitoJwtVerifier accepts a token whose payload was tampered with")
		}
		// A token with the local issuer is not a Cognito token.
		if _, _, err := runAwsJwtVerify(t, "cognito", tok, jwks, f.PoolID, f.ClientID, articleScope); err == nil {
			t.Errorf("CognitoJwtVerifier accepts a token with the local issuer %s", issuer)
		}
	})
}

// tamper changes the payload of a JWT (a later exp) and keeps its
// signature.
func tamper(t testing.TB, tok string) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&claims); err != nil {
		t.Fatal(err)
	}
	exp, _ := claims["exp"].(json.Number).Int64()
	claims["exp"] = exp + 86400
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

var npmInstall struct {
	once sync.Once
	err  error
	out  []byte
}

// jwtVerifyDir returns test/jwtverify with its node_modules installed
// (npm ci once per test binary when scripts/test.sh has not done it), or
// skips (fails under CI=true) when Node.js is missing.
func jwtVerifyDir(t testing.TB) (string, string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		skipOrFail(t, "node is not on PATH: the aws-jwt-verify tests need Node.js 18+")
	}
	dir, err := filepath.Abs(filepath.Join("..", "..", "test", "jwtverify"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "aws-jwt-verify", "package.json")); err == nil {
		return node, dir
	}
	npmInstall.once.Do(func() {
		npm, err := exec.LookPath("npm")
		if err != nil {
			npmInstall.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = dir
		npmInstall.out, npmInstall.err = cmd.CombinedOutput()
	})
	if npmInstall.err != nil {
		if _, lerr := exec.LookPath("npm"); lerr != nil {
			skipOrFail(t, "npm is not on PATH and %s/node_modules is missing: run scripts/test.sh or npm ci there", dir)
		}
		t.Fatalf("npm ci in %s: %v\n%s", dir, npmInstall.err, npmInstall.out)
	}
	return node, dir
}

// runAwsJwtVerify runs test/jwtverify/verify.mjs and returns its stdout
// and stderr; err is non-nil when it rejected the token.
func runAwsJwtVerify(t testing.TB, mode, tok, jwks, issuer, clientID, scope string) (string, string, error) {
	t.Helper()
	node, dir := jwtVerifyDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "verify.mjs", mode, tok, jwks, issuer, clientID, scope)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("verify.mjs timed out")
	}
	return strings.TrimSpace(stdout.String()), strings.TrimSpace(stderr.String()), err
}

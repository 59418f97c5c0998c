package identity_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
	"github.com/cognatehq/cognate/internal/token"
)

const region = "us-east-1"

// clock is a settable fake clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func newService(t *testing.T) (*identity.Service, *clock) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "cognate.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seal, err := sealer.New(bytes.Repeat([]byte{1}, sealer.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	svc := identity.New(identity.Config{Store: st, Sealer: seal, AccountID: "123456789012",
		PublicURL: "http://127.0.0.1:4566", Now: clk.Now})
	return svc, clk
}

func wantKind(t *testing.T, err error, kind identity.Kind, msg string) {
	t.Helper()
	var e *identity.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want %v", err, kind)
	}
	if e.Kind != kind {
		t.Fatalf("kind = %v (%s), want %v", e.Kind, e.Msg, kind)
	}
	if msg != "" && !strings.Contains(e.Msg, msg) {
		t.Fatalf("message %q does not contain %q", e.Msg, msg)
	}
}

// articleSetup creates the article's pool, domain, resource server and
// client-credentials client.
func articleSetup(t *testing.T, svc *identity.Service, client identity.ClientSettings) (identity.Pool, identity.Client) {
	t.Helper()
	ctx := context.Background()
	pool, err := svc.CreateUserPool(ctx, region, identity.PoolSettings{PoolName: "andmoredev"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateUserPoolDomain(ctx, region, pool.ID, "andmoredev", nil, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateResourceServer(ctx, region, identity.ResourceServer{PoolID: pool.ID,
		Identifier: "layerless-esbuild", Name: "Layerless ESBuild",
		Scopes: []identity.Scope{{Name: "api", Description: "Allow api access"}, {Name: "echo", Description: "Echo"}}}); err != nil {
		t.Fatal(err)
	}
	if client.ClientName == "" {
		client = identity.ClientSettings{ClientName: "test-automation",
			AllowedOAuthFlows: []string{"client_credentials"}, AllowedOAuthScopes: []string{"layerless-esbuild/api", "layerless-esbuild/echo"},
			AllowedOAuthFlowsUserPoolClient: true}
	}
	c, err := svc.CreateUserPoolClient(ctx, region, pool.ID, client, true, "")
	if err != nil {
		t.Fatal(err)
	}
	return pool, c
}

func TestIdentifierFormats(t *testing.T) {
	svc, _ := newService(t)
	pool, client := articleSetup(t, svc, identity.ClientSettings{})
	if !regexp.MustCompile(`^us-east-1_[A-Za-z0-9]{9}$`).MatchString(pool.ID) {
		t.Errorf("pool id %q", pool.ID)
	}
	if pool.Arn != "arn:aws:cognito-idp:us-east-1:123456789012:userpool/"+pool.ID {
		t.Errorf("arn %q", pool.Arn)
	}
	if !regexp.MustCompile(`^[a-z0-9]{26}$`).MatchString(client.ClientID) {
		t.Errorf("client id %q", client.ClientID)
	}
	if !regexp.MustCompile(`^[a-z0-9]{51}$`).MatchString(client.ClientSecret) {
		t.Errorf("client secret has the wrong shape (len %d)", len(client.ClientSecret))
	}
	got, err := svc.DescribeUserPoolClient(context.Background(), region, pool.ID, client.ClientID)
	if err != nil || got.ClientSecret != client.ClientSecret {
		t.Fatalf("describe: secret mismatch, err %v", err)
	}
	p, err := svc.DescribeUserPool(context.Background(), region, pool.ID)
	if err != nil || p.Domain != "andmoredev" {
		t.Fatalf("describe pool: domain %q err %v", p.Domain, err)
	}
}

func TestPoolIsRegional(t *testing.T) {
	svc, _ := newService(t)
	pool, _ := articleSetup(t, svc, identity.ClientSettings{})
	_, err := svc.DescribeUserPool(context.Background(), "eu-west-1", pool.ID)
	wantKind(t, err, identity.KindResourceNotFound, "does not exist")
	west, err := svc.CreateUserPool(context.Background(), "eu-west-1", identity.PoolSettings{PoolName: "w"})
	if err != nil || !strings.HasPrefix(west.ID, "eu-west-1_") {
		t.Fatalf("%v %v", west.ID, err)
	}
	pools, _, err := svc.ListUserPools(context.Background(), "eu-west-1", "", 60)
	if err != nil || len(pools) != 1 || pools[0].ID != west.ID {
		t.Fatalf("list = %v, %v", pools, err)
	}
}

func TestDomainRules(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	pool, _ := articleSetup(t, svc, identity.ClientSettings{})
	other, _ := svc.CreateUserPool(ctx, region, identity.PoolSettings{PoolName: "other"})
	for _, c := range []struct{ domain, msg string }{
		{"newcognito", "Domain cannot contain reserved word: cognito"},
		{"my-aws-thing", "reserved word: aws"},
		{"amazonian", "reserved word: amazon"},
		{"Upper", "failed to satisfy constraint"},
		{"-dash", "failed to satisfy constraint"},
		{"andmoredev", "Domain already associated with another user pool."},
	} {
		_, err := svc.CreateUserPoolDomain(ctx, region, other.ID, c.domain, nil, 0)
		wantKind(t, err, identity.KindInvalidParameter, c.msg)
	}
	// A pool has at most one prefix domain.
	_, err := svc.CreateUserPoolDomain(ctx, region, pool.ID, "second", nil, 0)
	wantKind(t, err, identity.KindInvalidParameter, "")
	d, found, err := svc.DescribeUserPoolDomain(ctx, region, "andmoredev")
	if err != nil || !found || d.PoolID != pool.ID || d.Status != "ACTIVE" {
		t.Fatalf("describe = %+v %v %v", d, found, err)
	}
	_, found, err = svc.DescribeUserPoolDomain(ctx, region, "nobody")
	if err != nil || found {
		t.Fatalf("unknown domain: found=%v err=%v", found, err)
	}
}

func TestClientRules(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	pool, _ := articleSetup(t, svc, identity.ClientSettings{})
	cc := func(mod func(*identity.ClientSettings)) identity.ClientSettings {
		s := identity.ClientSettings{ClientName: "c", AllowedOAuthFlows: []string{"client_credentials"},
			AllowedOAuthScopes: []string{"layerless-esbuild/api"}, AllowedOAuthFlowsUserPoolClient: true}
		mod(&s)
		return s
	}
	_, err := svc.CreateUserPoolClient(ctx, region, pool.ID, cc(func(s *identity.ClientSettings) {
		s.AllowedOAuthScopes = []string{"layerless-esbuild/nope"}
	}), true, "")
	wantKind(t, err, identity.KindScopeDoesNotExist, "Invalid scope requested: layerless-esbuild/nope")

	_, err = svc.CreateUserPoolClient(ctx, region, pool.ID, cc(func(*identity.ClientSettings) {}), false, "")
	wantKind(t, err, identity.KindInvalidOAuthFlow, "client secret")

	_, err = svc.CreateUserPoolClient(ctx, region, pool.ID, cc(func(s *identity.ClientSettings) {
		s.AllowedOAuthFlows = []string{"client_credentials", "code"}
		s.CallbackURLs = []string{"https://example.com/cb"}
	}), true, "")
	wantKind(t, err, identity.KindInvalidOAuthFlow, "")

	_, err = svc.CreateUserPoolClient(ctx, region, pool.ID, cc(func(s *identity.ClientSettings) {
		s.AllowedOAuthFlows = []string{"token"}
	}), true, "")
	wantKind(t, err, identity.KindInvalidParameter, "Member must satisfy enum value set: [implicit, client_credentials, code]")

	_, err = svc.CreateUserPoolClient(ctx, region, pool.ID, cc(func(s *identity.ClientSettings) {
		s.AccessTokenValidity = 2
		s.TokenValidityUnits = &identity.TokenValidityUnits{AccessToken: "minutes"}
	}), true, "")
	wantKind(t, err, identity.KindInvalidParameter, "token validity")

	_, err = svc.DescribeUserPoolClient(ctx, region, pool.ID, "abcdefghijklmnopqrstuvwxyz")
	wantKind(t, err, identity.KindResourceNotFound, "User pool client abcdefghijklmnopqrstuvwxyz does not exist.")
}

func TestClientCredentialsToken(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	pool, client := articleSetup(t, svc, identity.ClientSettings{ClientName: "c",
		AllowedOAuthFlows: []string{"client_credentials"}, AllowedOAuthScopes: []string{"layerless-esbuild/api", "layerless-esbuild/echo"},
		AllowedOAuthFlowsUserPoolClient: true, AccessTokenValidity: 30,
		TokenValidityUnits: &identity.TokenValidityUnits{AccessToken: "minutes"}})

	tok, err := svc.IssueClientCredentials(ctx, identity.ClientCredentialsRequest{Domain: "andmoredev",
		ClientID: client.ClientID, ClientSecret: client.ClientSecret, Scope: "layerless-esbuild/echo", ScopeGiven: true})
	if err != nil {
		t.Fatal(err)
	}
	if tok.ExpiresIn != 1800 || tok.TokenType != "Bearer" {
		t.Errorf("expires_in %d type %q", tok.ExpiresIn, tok.TokenType)
	}
	claims := verify(t, svc, pool.ID, tok.AccessToken)
	want := []string{"auth_time", "client_id", "exp", "iat", "iss", "jti", "scope", "sub", "token_use", "version"}
	var keys []string
	for k := range claims {
		keys = append(keys, k)
	}
	if strings.Join(sorted(keys), ",") != strings.Join(want, ",") {
		t.Errorf("claims = %v", keys)
	}
	now := clk.Now().Unix()
	if claims["sub"] != client.ClientID || claims["client_id"] != client.ClientID || claims["token_use"] != "access" ||
		claims["scope"] != "layerless-esbuild/echo" || claims["iss"] != "http://127.0.0.1:4566/"+pool.ID ||
		claims["version"] != float64(2) || claims["iat"] != float64(now) || claims["exp"] != float64(now+1800) ||
		claims["auth_time"] != float64(now) {
		t.Errorf("claims = %v", claims)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(claims["jti"].(string)) {
		t.Errorf("jti %v", claims["jti"])
	}

	// No scope: every allowed scope.
	tok, err = svc.IssueClientCredentials(ctx, identity.ClientCredentialsRequest{Domain: "andmoredev",
		ClientID: client.ClientID, ClientSecret: client.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	if got := verify(t, svc, pool.ID, tok.AccessToken)["scope"]; got != "layerless-esbuild/api layerless-esbuild/echo" {
		t.Errorf("default scope = %v", got)
	}

	// A scope deleted from the resource server is dropped silently.
	if _, err := svc.UpdateResourceServer(ctx, region, identity.ResourceServer{PoolID: pool.ID, Identifier: "layerless-esbuild",
		Name: "Layerless ESBuild", Scopes: []identity.Scope{{Name: "api", Description: "Allow api access"}}}); err != nil {
		t.Fatal(err)
	}
	tok, err = svc.IssueClientCredentials(ctx, identity.ClientCredentialsRequest{Domain: "andmoredev",
		ClientID: client.ClientID, ClientSecret: client.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	if got := verify(t, svc, pool.ID, tok.AccessToken)["scope"]; got != "layerless-esbuild/api" {
		t.Errorf("scope after delete = %v", got)
	}
}

func TestClientCredentialsErrors(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	pool, client := articleSetup(t, svc, identity.ClientSettings{})
	req := func(mod func(*identity.ClientCredentialsRequest)) error {
		r := identity.ClientCredentialsRequest{Domain: "andmoredev", ClientID: client.ClientID, ClientSecret: client.ClientSecret}
		mod(&r)
		_, err := svc.IssueClientCredentials(ctx, r)
		return err
	}
	wantKind(t, req(func(r *identity.ClientCredentialsRequest) { r.ClientSecret = "wrong" }), identity.KindInvalidClient, "")
	wantKind(t, req(func(r *identity.ClientCredentialsRequest) { r.ClientSecret = "" }), identity.KindInvalidClient, "")
	wantKind(t, req(func(r *identity.ClientCredentialsRequest) { r.ClientID = "nope" }), identity.KindInvalidClient, "")
	wantKind(t, req(func(r *identity.ClientCredentialsRequest) { r.ClientID = "" }), identity.KindInvalidRequest, "")
	wantKind(t, req(func(r *identity.ClientCredentialsRequest) { r.Domain = "elsewhere" }), identity.KindResourceNotFound, "")
	wantKind(t, req(func(r *identity.ClientCredentialsRequest) { r.Scope, r.ScopeGiven = "layerless-esbuild/other", true }), identity.KindInvalidScope, "")
	wantKind(t, req(func(r *identity.ClientCredentialsRequest) { r.Scope, r.ScopeGiven = "openid", true }), identity.KindInvalidScope, "")

	// A client not enabled for OAuth gets invalid_grant [obs].
	if _, err := svc.UpdateUserPoolClient(ctx, region, pool.ID, client.ClientID, identity.ClientSettings{
		AllowedOAuthFlows: []string{"client_credentials"}, AllowedOAuthScopes: []string{"layerless-esbuild/api"}}); err != nil {
		t.Fatal(err)
	}
	wantKind(t, req(func(*identity.ClientCredentialsRequest) {}), identity.KindInvalidGrant, "")

	// Another pool's client on this domain is an unknown client.
	other, _ := svc.CreateUserPool(ctx, region, identity.PoolSettings{PoolName: "other"})
	oc, err := svc.CreateUserPoolClient(ctx, region, other.ID, identity.ClientSettings{ClientName: "o"}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	wantKind(t, req(func(r *identity.ClientCredentialsRequest) { r.ClientID, r.ClientSecret = oc.ClientID, oc.ClientSecret }), identity.KindInvalidClient, "")

	// A deleted client can no longer get tokens.
	if err := svc.DeleteUserPoolClient(ctx, region, pool.ID, client.ClientID); err != nil {
		t.Fatal(err)
	}
	wantKind(t, req(func(*identity.ClientCredentialsRequest) {}), identity.KindInvalidClient, "")
}

func TestKeyRotation(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	pool, client := articleSetup(t, svc, identity.ClientSettings{})
	issue := func() string {
		tok, err := svc.IssueClientCredentials(ctx, identity.ClientCredentialsRequest{Domain: "andmoredev",
			ClientID: client.ClientID, ClientSecret: client.ClientSecret})
		if err != nil {
			t.Fatal(err)
		}
		return tok.AccessToken
	}
	before := issue()
	if n := len(jwks(t, svc, pool.ID).Keys); n != 2 {
		t.Fatalf("new pool publishes %d keys, want 2 (access and ID)", n)
	}
	if _, err := svc.RotateSigningKeys(ctx, pool.ID); err != nil {
		t.Fatal(err)
	}
	after := issue()
	if kidOf(t, before) == kidOf(t, after) {
		t.Fatal("rotation did not change the signing key")
	}
	if n := len(jwks(t, svc, pool.ID).Keys); n != 4 {
		t.Fatalf("after rotation JWKS has %d keys, want 4", n)
	}
	verify(t, svc, pool.ID, before) // the old key still verifies
	clk.Advance(24*time.Hour + 6*time.Minute)
	if n := len(jwks(t, svc, pool.ID).Keys); n != 2 {
		t.Fatalf("after retention JWKS has %d keys, want 2", n)
	}
	if n, err := svc.PruneRetiredKeys(ctx); err != nil || n != 2 {
		t.Fatalf("pruned %d, %v", n, err)
	}
}

func TestPagination(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	pool, _ := articleSetup(t, svc, identity.ClientSettings{})
	for i := 0; i < 4; i++ {
		if _, err := svc.CreateUserPoolClient(ctx, region, pool.ID, identity.ClientSettings{ClientName: "c"}, false, ""); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	next := ""
	for pages := 0; ; pages++ {
		cs, n, err := svc.ListUserPoolClients(ctx, region, pool.ID, next, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			seen[c.ClientID] = true
		}
		if n == "" {
			break
		}
		next = n
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if len(seen) != 5 {
		t.Fatalf("saw %d clients, want 5", len(seen))
	}
	_, _, err := svc.ListUserPoolClients(ctx, region, pool.ID, "", 61)
	wantKind(t, err, identity.KindInvalidParameter, "less than or equal to 60")
	_, _, err = svc.ListResourceServers(ctx, region, pool.ID, "", 51)
	wantKind(t, err, identity.KindInvalidParameter, "less than or equal to 50")
	_, _, err = svc.ListUserPools(ctx, region, "!!!", 10)
	wantKind(t, err, identity.KindInvalidParameter, "pagination token")
}

type keySet struct {
	Keys []jose.JSONWebKey `json:"keys"`
}

func jwks(t *testing.T, svc *identity.Service, poolID string) keySet {
	t.Helper()
	b, err := svc.JWKS(context.Background(), poolID)
	if err != nil {
		t.Fatal(err)
	}
	var ks keySet
	if err := json.Unmarshal(b, &ks); err != nil {
		t.Fatal(err)
	}
	return ks
}

func verify(t *testing.T, svc *identity.Service, poolID, jwt string) map[string]any {
	t.Helper()
	ks := jwks(t, svc, poolID)
	_, payload, err := token.Verify(jwt, func(kid string) (*rsa.PublicKey, bool) {
		for _, k := range ks.Keys {
			if k.KeyID == kid {
				return k.Key.(*rsa.PublicKey), true
			}
		}
		return nil, false
	})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

func kidOf(t *testing.T, jwt string) string {
	t.Helper()
	hdr, err := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]string
	_ = json.Unmarshal(hdr, &h)
	return h["kid"]
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}

func TestSchemaRules(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	create := func(schema ...identity.SchemaAttribute) error {
		_, err := svc.CreateUserPool(ctx, region, identity.PoolSettings{PoolName: "p", Schema: schema})
		return err
	}
	if err := create(identity.SchemaAttribute{Name: "tenant", AttributeDataType: "String", Mutable: true},
		identity.SchemaAttribute{Name: "email", AttributeDataType: "String", Required: true}); err != nil {
		t.Fatal(err)
	}
	wantKind(t, create(identity.SchemaAttribute{Name: "tenant", AttributeDataType: "String", Required: true}),
		identity.KindInvalidParameter, "Required custom attributes are not supported currently.")
	wantKind(t, create(identity.SchemaAttribute{Name: "x", AttributeDataType: "Blob"}),
		identity.KindInvalidParameter, "enum value set")
	wantKind(t, create(identity.SchemaAttribute{Name: "averyveryverylongattributename", AttributeDataType: "String"}),
		identity.KindInvalidParameter, "less than or equal to 20")
	wantKind(t, create(identity.SchemaAttribute{Name: "t", AttributeDataType: "String"}, identity.SchemaAttribute{Name: "t", AttributeDataType: "String"}),
		identity.KindInvalidParameter, "Duplicate")
	wantKind(t, create(identity.SchemaAttribute{Name: "t", AttributeDataType: "String", StringMaxLength: "5000"}),
		identity.KindInvalidParameter, "2048")
}

func TestUpdateUserPoolRenamesAndResetsDefaults(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	pool, err := svc.CreateUserPool(ctx, region, identity.PoolSettings{PoolName: "before", MfaConfiguration: "OFF",
		Tags: map[string]string{"team": "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.UpdateUserPool(ctx, region, pool.ID, identity.PoolSettings{PoolName: "after"}); err != nil {
		t.Fatal(err)
	}
	got, err := svc.DescribeUserPool(ctx, region, pool.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Settings.PoolName != "after" || got.Settings.Tags["team"] != "a" || got.Settings.PasswordPolicy != identity.DefaultPasswordPolicy() {
		t.Fatalf("after update: %+v", got.Settings)
	}
	pools, _, _ := svc.ListUserPools(ctx, region, "", 10)
	if len(pools) != 1 || pools[0].Settings.PoolName != "after" {
		t.Fatalf("list after rename: %+v", pools)
	}
}

func TestHostRegionMustMatchPool(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	_, client := articleSetup(t, svc, identity.ClientSettings{})
	req := identity.ClientCredentialsRequest{Domain: "andmoredev", ClientID: client.ClientID, ClientSecret: client.ClientSecret}
	for _, region := range []string{"", "us-east-1"} {
		req.Region = region
		if _, err := svc.IssueClientCredentials(ctx, req); err != nil {
			t.Fatalf("region %q: %v", region, err)
		}
	}
	req.Region = "eu-west-1"
	_, err := svc.IssueClientCredentials(ctx, req)
	wantKind(t, err, identity.KindResourceNotFound, "")
	req.ClientID = "unknownclientunknownclient"
	_, err = svc.IssueClientCredentials(ctx, req)
	wantKind(t, err, identity.KindResourceNotFound, "")
}

func TestCustomSecretNeverEchoed(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	pool, err := svc.CreateUserPool(ctx, region, identity.PoolSettings{PoolName: "p"})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "MyRealSecretValue-with-a-dash-0123456789"
	_, err = svc.CreateUserPoolClient(ctx, region, pool.ID, identity.ClientSettings{ClientName: "c"}, false, secret)
	wantKind(t, err, identity.KindInvalidParameter, "Value at 'clientSecret' failed to satisfy constraint")
	if strings.Contains(err.Error(), secret) {
		t.Fatalf("error echoes the secret: %v", err)
	}
	c, err := svc.CreateUserPoolClient(ctx, region, pool.ID, identity.ClientSettings{ClientName: "c"}, false, "abc+def+ghi+jkl+mno+pqr+stu")
	if err != nil || c.ClientSecret != "abc+def+ghi+jkl+mno+pqr+stu" {
		t.Fatalf("custom secret: %v %q", err, c.ClientSecret)
	}
}

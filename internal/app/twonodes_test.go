package app_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/cognatehq/cognate/internal/config"
)

// postgresEnv holds the URL of a throwaway PostgreSQL server, as
// scripts/pgtest.sh sets it:
//
//	scripts/pgtest.sh go test ./internal/app/ -run TwoNodes
const postgresEnv = "COGNATE_TEST_POSTGRES"

// freshDatabase creates a database of its own on the server named by
// COGNATE_TEST_POSTGRES, dropped when the test ends, and returns its URL.
// Without that variable the test skips, except under CI=true.
func freshDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		skipOrFail(t, "%s is not set; run: scripts/pgtest.sh go test ./internal/app/ -run TwoNodes", postgresEnv)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("%s: %v", postgresEnv, err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	name := "cognate_e2e_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("CREATE DATABASE on %s: %v", postgresEnv, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", postgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// Acceptance 6: two Cognate nodes on one PostgreSQL database act as one
// service: a client created through A gets a token through B at once;
// tokens of either node verify against the JWKS of either; a key rotation
// through A makes B sign with the new key at once; a client deleted
// through B is refused by A at once.
func TestTwoNodesOnOnePostgres(t *testing.T) {
	t.Parallel()
	dsn := freshDatabase(t)
	// A cluster has one public URL (its load balancer's), so both nodes
	// put the same issuer in their tokens.
	const publicURL = "https://auth.example.test"
	pg := func(c *config.Config) {
		c.Store = dsn
		c.MasterKey = testMasterKeyA
		c.PublicURL = publicURL
	}
	// Both nodes start at once on the new database, as a cluster does.
	var a, b *node
	var errA, errB error
	var wg sync.WaitGroup
	wg.Go(func() { a, errA = launchNode(t, pg) })
	wg.Go(func() { b, errB = launchNode(t, pg) })
	wg.Wait()
	if errA != nil || errB != nil {
		t.Fatalf("two nodes starting at once on one new database: node A: %v; node B: %v", errA, errB)
	}
	ctx := testCtx(t)

	f := setupArticle(t, ctx, a.cognito(articleRegion), articleDomain)
	tokB := mustToken(t, ctx, b, f, articleScope) // at once, through the other node
	tokA := mustToken(t, ctx, a, f, "")
	jwksA, jwksB := a.jwks(t, ctx, f.PoolID), b.jwks(t, ctx, f.PoolID)
	for _, tc := range []struct {
		name, tok string
		jwks      []byte
	}{{"A's token, A's JWKS", tokA, jwksA}, {"A's token, B's JWKS", tokA, jwksB},
		{"B's token, A's JWKS", tokB, jwksA}, {"B's token, B's JWKS", tokB, jwksB}} {
		claims, err := checkJWKS(tc.tok, tc.jwks)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if claims["client_id"] != f.ClientID {
			t.Errorf("%s: client_id %v", tc.name, claims["client_id"])
		}
	}
	// Both nodes issue under the cluster's one public URL.
	checkCognitoClaims(t, tokB, publicURL+"/"+f.PoolID, f.ClientID, articleScope)
	if _, claimsA := decodeJWT(t, tokA); claimsA["iss"] != publicURL+"/"+f.PoolID {
		t.Errorf("node A's iss %v, want %s", claimsA["iss"], publicURL+"/"+f.PoolID)
	}

	// keys rotate through A: B signs with the new kid at once.
	oldHeader, _ := decodeJWT(t, tokB)
	body, _ := json.Marshal(map[string]string{"UserPoolId": f.PoolID})
	status, out := adminPost(t, ctx, a.URL+"/_cognate/keys/rotate", body, articleRegion)
	if status != http.StatusOK {
		t.Fatalf("keys rotate through A: %d %s", status, out)
	}
	var rotated struct {
		Keys []struct {
			KID      string `json:"kid"`
			Use      string `json:"use"`
			RetireAt string `json:"retire_at"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(out, &rotated); err != nil {
		t.Fatalf("keys rotate answer %s: %v", out, err)
	}
	newKID := ""
	for _, k := range rotated.Keys {
		if k.Use == "access" && k.RetireAt == "" {
			newKID = k.KID
		}
	}
	if newKID == "" || newKID == oldHeader["kid"] {
		t.Fatalf("keys rotate answer %s: no new active access key (old kid %v)", out, oldHeader["kid"])
	}
	tokB2 := mustToken(t, ctx, b, f, articleScope)
	if h, _ := decodeJWT(t, tokB2); h["kid"] != newKID {
		t.Errorf("after rotating through A, B signs with kid %v, want the new %s", h["kid"], newKID)
	}
	jwksB = b.jwks(t, ctx, f.PoolID)
	verifyJWKS(t, tokB2, jwksB)
	verifyJWKS(t, tokB, jwksB) // the old key stays published while its tokens live
	verifyJWKS(t, tokB2, a.jwks(t, ctx, f.PoolID))

	// A client deleted through B is refused at A at once.
	if _, err := b.cognito(articleRegion).DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{
		UserPoolId: aws.String(f.PoolID), ClientId: aws.String(f.ClientID)}); err != nil {
		t.Fatalf("DeleteUserPoolClient through B: %v", err)
	}
	status, out = postToken(t, ctx, tokenCall{URL: a.pathTokenURL(f.Domain),
		Form: url.Values{"grant_type": {"client_credentials"}}, BasicID: f.ClientID, BasicSecret: f.Secret})
	if status != http.StatusBadRequest || string(out) != `{"error":"invalid_client"}` {
		t.Errorf("token at A for a client deleted through B: %d %s, want 400 invalid_client", status, out)
	}
	if _, err := a.cognito(articleRegion).DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{
		UserPoolId: aws.String(f.PoolID), ClientId: aws.String(f.ClientID)}); apiErrorCode(err) != "ResourceNotFoundException" {
		t.Errorf("DescribeUserPoolClient at A after delete through B: %v, want ResourceNotFoundException", err)
	}
}

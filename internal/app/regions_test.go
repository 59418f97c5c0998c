package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognatehq/cognate/internal/config"
)

// Acceptance 8: one server holds every region. A client signing for
// eu-west-1 creates a pool with an eu-west-1_ id and an ARN with that
// region and the configured account; us-east-1 does not list it; its
// domain's token endpoint (unsigned, found through the domain) works.
func TestMultiRegion(t *testing.T) {
	t.Parallel()
	n := startNode(t, func(c *config.Config) { c.AccountID = "123456789012" })
	ctx := testCtx(t)
	eu, us := n.cognito("eu-west-1"), n.cognito("us-east-1")

	f := setupArticle(t, ctx, eu, "andmoredev-eu")
	if !regexp.MustCompile(`^eu-west-1_[A-Za-z0-9]{9}$`).MatchString(f.PoolID) {
		t.Errorf("pool id %q, want eu-west-1_ and 9 letters or digits", f.PoolID)
	}
	d, err := eu.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.PoolID})
	if err != nil {
		t.Fatalf("DescribeUserPool in eu-west-1: %v", err)
	}
	if arn := aws.ToString(d.UserPool.Arn); arn != "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/"+f.PoolID {
		t.Errorf("ARN %q, want arn:aws:cognito-idp:eu-west-1:123456789012:userpool/%s", arn, f.PoolID)
	}
	usPool := setupArticle(t, ctx, us, "andmoredev-us")

	listed := func(c *cip.Client) map[string]bool {
		out, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
		if err != nil {
			t.Fatalf("ListUserPools: %v", err)
		}
		m := map[string]bool{}
		for _, p := range out.UserPools {
			m[aws.ToString(p.Id)] = true
		}
		return m
	}
	if inUS := listed(us); inUS[f.PoolID] || !inUS[usPool.PoolID] || len(inUS) != 1 {
		t.Errorf("ListUserPools in us-east-1: %v, want only %s", inUS, usPool.PoolID)
	}
	if inEU := listed(eu); !inEU[f.PoolID] || len(inEU) != 1 {
		t.Errorf("ListUserPools in eu-west-1: %v, want only %s", inEU, f.PoolID)
	}
	if _, err := us.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.PoolID}); apiErrorCode(err) != "ResourceNotFoundException" {
		t.Errorf("DescribeUserPool of an eu-west-1 pool signed for us-east-1: %v, want ResourceNotFoundException", err)
	}

	// The token endpoint is unsigned: the domain finds the pool and its
	// region, path style and host style.
	tok := mustToken(t, ctx, n, f, articleScope)
	checkCognitoClaims(t, tok, n.URL+"/"+f.PoolID, f.ClientID, articleScope)
	verifyJWKS(t, tok, n.jwks(t, ctx, f.PoolID))
	status, body := postToken(t, ctx, tokenCall{URL: n.hostTokenURL(f.Domain, "eu-west-1"),
		Form: url.Values{"grant_type": {"client_credentials"}}, BasicID: f.ClientID, BasicSecret: f.Secret})
	if status != http.StatusOK {
		t.Errorf("host-style token endpoint in eu-west-1: %d %s", status, body)
	}

	// With AWS's issuer form, the issuer names the pool's region.
	na := startNode(t, func(c *config.Config) { c.IssuerStyle = "aws" })
	fa := setupArticle(t, ctx, na.cognito("eu-west-1"), "andmoredev-eu")
	checkCognitoClaims(t, mustToken(t, ctx, na, fa, ""), "https://cognito-idp.eu-west-1.amazonaws.com/"+fa.PoolID, fa.ClientID, articleScope)
}

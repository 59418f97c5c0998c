package awsapi

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestArticleSequence drives the article's setup with the real SDK: a pool,
// its prefix domain, a resource server with a scope, and a confidential
// client_credentials client whose secret DescribeUserPoolClient shows.
func TestArticleSequence(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client

	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("andmoredev-auth")})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	if !strings.HasPrefix(poolID, "us-east-1_") {
		t.Errorf("pool id %q: want the region of the SigV4 scope as prefix", poolID)
	}

	dom, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{
		UserPoolId: aws.String(poolID), Domain: aws.String("andmoredev")})
	if err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	if dom.CloudFrontDomain != nil {
		t.Errorf("prefix domain: CloudFrontDomain = %q, want none", *dom.CloudFrontDomain)
	}

	rs, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{
		UserPoolId: aws.String(poolID), Identifier: aws.String("layerless-esbuild"), Name: aws.String("Layerless ESBuild"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("echo"), ScopeDescription: aws.String("Call the echo API")}},
	})
	if err != nil {
		t.Fatalf("CreateResourceServer: %v", err)
	}
	if got := aws.ToString(rs.ResourceServer.Scopes[0].ScopeName); got != "echo" {
		t.Errorf("scope = %q", got)
	}

	created, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId:                      aws.String(poolID),
		ClientName:                      aws.String("echo-api-client"),
		GenerateSecret:                  true,
		AllowedOAuthFlows:               []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes:              []string{"layerless-esbuild/echo"},
		AllowedOAuthFlowsUserPoolClient: true,
		SupportedIdentityProviders:      []string{"COGNITO"},
	})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	clientID := aws.ToString(created.UserPoolClient.ClientId)
	secret := aws.ToString(created.UserPoolClient.ClientSecret)
	if len(clientID) != 26 || secret == "" {
		t.Fatalf("client id %q, secret set %v", clientID, secret != "")
	}

	desc, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientId: aws.String(clientID)})
	if err != nil {
		t.Fatalf("DescribeUserPoolClient: %v", err)
	}
	got := desc.UserPoolClient
	if aws.ToString(got.ClientSecret) != secret {
		t.Error("DescribeUserPoolClient: secret differs from the one CreateUserPoolClient returned")
	}
	if !aws.ToBool(got.AllowedOAuthFlowsUserPoolClient) || len(got.AllowedOAuthFlows) != 1 ||
		got.AllowedOAuthFlows[0] != types.OAuthFlowTypeClientCredentials ||
		!contains(got.AllowedOAuthScopes, "layerless-esbuild/echo") {
		t.Errorf("OAuth settings not round-tripped: %+v", got)
	}
	if got.CreationDate == nil || got.CreationDate.IsZero() || got.RefreshTokenValidity != 30 {
		t.Errorf("defaults: CreationDate %v, RefreshTokenValidity %v", got.CreationDate, got.RefreshTokenValidity)
	}

	pd, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		t.Fatalf("DescribeUserPool: %v", err)
	}
	if aws.ToString(pd.UserPool.Domain) != "andmoredev" {
		t.Errorf("pool Domain = %q, want andmoredev", aws.ToString(pd.UserPool.Domain))
	}

	if strings.Contains(e.logs.String(), secret) {
		t.Error("the client secret appears in the log")
	}
}

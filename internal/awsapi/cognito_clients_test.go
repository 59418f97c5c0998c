package awsapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestUserPoolClients(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client
	pool := createPool(t, c, "clients")
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool),
		Identifier: aws.String("orders"), Name: aws.String("orders"),
		Scopes: []types.ResourceServerScopeType{scope("read", "Read orders")}}); err != nil {
		t.Fatal(err)
	}

	// A public client has no secret, on create and on describe.
	pub, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("spa"),
		ExplicitAuthFlows:   []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		AccessTokenValidity: aws.Int32(30), TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes},
		AnalyticsConfiguration: &types.AnalyticsConfigurationType{ApplicationId: aws.String("abc123"), UserDataShared: true}})
	if err != nil {
		t.Fatalf("public client: %v", err)
	}
	pubID := aws.ToString(pub.UserPoolClient.ClientId)
	r := e.call(t, "DescribeUserPoolClient", fmt.Sprintf(`{"UserPoolId":%q,"ClientId":%q}`, pool, pubID))
	if r.status != 200 || strings.Contains(r.body, "ClientSecret") {
		t.Errorf("public client describe: %d %s", r.status, r.body)
	}
	d, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(pubID)})
	if err != nil {
		t.Fatal(err)
	}
	pc := d.UserPoolClient
	if aws.ToInt32(pc.AccessTokenValidity) != 30 || pc.TokenValidityUnits == nil || pc.TokenValidityUnits.AccessToken != types.TimeUnitsTypeMinutes ||
		!aws.ToBool(pc.EnableTokenRevocation) || aws.ToInt32(pc.AuthSessionValidity) != 3 || pc.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesLegacy ||
		pc.AnalyticsConfiguration == nil || aws.ToString(pc.AnalyticsConfiguration.ApplicationId) != "abc123" || len(pc.ExplicitAuthFlows) != 2 {
		t.Errorf("public client %+v", pc)
	}

	// Scopes no resource server defines.
	_, err = c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("m2m"),
		GenerateSecret: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{"orders/write"}, AllowedOAuthFlowsUserPoolClient: true})
	var sde *types.ScopeDoesNotExistException
	if !errors.As(err, &sde) || aws.ToString(sde.Message) != "Invalid scope requested: orders/write" {
		t.Errorf("undefined scope: %v, want ScopeDoesNotExistException", err)
	}
	// client_credentials needs a secret.
	_, err = c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("m2m"),
		AllowedOAuthFlows:  []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{"orders/read"}, AllowedOAuthFlowsUserPoolClient: true})
	var iof *types.InvalidOAuthFlowException
	if !errors.As(err, &iof) {
		t.Errorf("client_credentials without secret: %v, want InvalidOAuthFlowException", err)
	}
	_, err = c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String("us-east-1_nothere00"), ClientName: aws.String("x")})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("client of an unknown pool: %v, want ResourceNotFoundException", err)
	}

	m2m, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("m2m"),
		GenerateSecret: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{"orders/read"}, AllowedOAuthFlowsUserPoolClient: true})
	if err != nil {
		t.Fatalf("m2m client: %v", err)
	}
	m2mID, secret := aws.ToString(m2m.UserPoolClient.ClientId), aws.ToString(m2m.UserPoolClient.ClientSecret)

	// Update: unset members go back to their defaults, the secret stays.
	u, err := c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(m2mID),
		ClientName: aws.String("m2m-renamed"), RefreshTokenValidity: 10})
	if err != nil {
		t.Fatalf("UpdateUserPoolClient: %v", err)
	}
	uc := u.UserPoolClient
	if aws.ToString(uc.ClientName) != "m2m-renamed" || uc.RefreshTokenValidity != 10 || len(uc.AllowedOAuthFlows) != 0 ||
		aws.ToString(uc.ClientSecret) != secret || uc.LastModifiedDate == nil {
		t.Errorf("updated client %+v", uc)
	}
	_, err = c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(m2mID),
		AllowedOAuthScopes: []string{"nope/nope"}})
	if !errors.As(err, &sde) {
		t.Errorf("update with an undefined scope: %v, want ScopeDoesNotExistException", err)
	}

	for i := range 3 {
		if _, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool),
			ClientName: aws.String(fmt.Sprintf("extra-%d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	pages, seen := 0, map[string]string{}
	pg := cip.NewListUserPoolClientsPaginator(c, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(2)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, d := range page.UserPoolClients {
			if aws.ToString(d.UserPoolId) != pool {
				t.Errorf("description %+v", d)
			}
			seen[aws.ToString(d.ClientId)] = aws.ToString(d.ClientName)
		}
	}
	if pages != 3 || len(seen) != 5 || seen[m2mID] != "m2m-renamed" {
		t.Errorf("%d pages, clients %v", pages, seen)
	}

	if _, err := c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(m2mID)}); err != nil {
		t.Fatalf("DeleteUserPoolClient: %v", err)
	}
	_, err = c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(m2mID)})
	if !errors.As(err, &rnf) || aws.ToString(rnf.Message) != "User pool client "+m2mID+" does not exist." {
		t.Errorf("deleted client: %v, want ResourceNotFoundException", err)
	}
	if strings.Contains(e.logs.String(), secret) {
		t.Error("a client secret appears in the log")
	}
}

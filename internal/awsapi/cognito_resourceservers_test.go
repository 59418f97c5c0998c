package awsapi

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func scope(name, desc string) types.ResourceServerScopeType {
	return types.ResourceServerScopeType{ScopeName: aws.String(name), ScopeDescription: aws.String(desc)}
}

func TestResourceServers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client
	pool := createPool(t, c, "rs")

	for i := range 3 {
		_, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool),
			Identifier: aws.String(fmt.Sprintf("https://api%d.example.com", i)), Name: aws.String(fmt.Sprintf("api %d", i)),
			Scopes: []types.ResourceServerScopeType{scope("read", "Read"), scope("write", "Write")}})
		if err != nil {
			t.Fatalf("CreateResourceServer %d: %v", i, err)
		}
	}
	_, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool),
		Identifier: aws.String("https://api0.example.com"), Name: aws.String("again")})
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Errorf("duplicate identifier: %v, want InvalidParameterException", err)
	}

	d, err := c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("https://api1.example.com")})
	if err != nil {
		t.Fatalf("DescribeResourceServer: %v", err)
	}
	rs := d.ResourceServer
	if aws.ToString(rs.UserPoolId) != pool || aws.ToString(rs.Name) != "api 1" || len(rs.Scopes) != 2 ||
		aws.ToString(rs.Scopes[1].ScopeName) != "write" || aws.ToString(rs.Scopes[1].ScopeDescription) != "Write" {
		t.Errorf("ResourceServer %+v", rs)
	}

	pages, n := 0, 0
	pg := cip.NewListResourceServersPaginator(c, &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(1)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		n += len(page.ResourceServers)
	}
	if pages != 3 || n != 3 {
		t.Errorf("%d pages, %d servers; want 3, 3", pages, n)
	}
	_, err = c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(51)})
	if !errors.As(err, &ipe) {
		t.Errorf("MaxResults 51: %v, want InvalidParameterException", err)
	}

	u, err := c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: aws.String(pool),
		Identifier: aws.String("https://api1.example.com"), Name: aws.String("renamed"),
		Scopes: []types.ResourceServerScopeType{scope("admin", "Admin")}})
	if err != nil {
		t.Fatalf("UpdateResourceServer: %v", err)
	}
	if aws.ToString(u.ResourceServer.Name) != "renamed" || len(u.ResourceServer.Scopes) != 1 {
		t.Errorf("updated %+v", u.ResourceServer)
	}

	if _, err := c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("https://api1.example.com")}); err != nil {
		t.Fatalf("DeleteResourceServer: %v", err)
	}
	_, err = c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("https://api1.example.com")})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("deleted server: %v, want ResourceNotFoundException", err)
	}
	_, err = c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: aws.String(pool),
		Identifier: aws.String("https://api1.example.com"), Name: aws.String("x")})
	if !errors.As(err, &rnf) {
		t.Errorf("update of a deleted server: %v, want ResourceNotFoundException", err)
	}

	// A scope name with "/" breaks the model pattern.
	_, err = c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool),
		Identifier: aws.String("bad"), Name: aws.String("bad"), Scopes: []types.ResourceServerScopeType{scope("a/b", "x")}})
	if !errors.As(err, &ipe) {
		t.Fatalf("scope with slash: %v, want InvalidParameterException", err)
	}
	mustContain(t, aws.ToString(ipe.Message), "at 'scopes.1.member.scopeName'")
}

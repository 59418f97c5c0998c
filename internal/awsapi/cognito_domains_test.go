package awsapi

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func createPool(t *testing.T, c *cip.Client, name string) string {
	t.Helper()
	out, err := c.CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return aws.ToString(out.UserPool.Id)
}

func TestUserPoolDomains(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client
	pool := createPool(t, c, "domains")

	out, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("shop-login")})
	if err != nil {
		t.Fatalf("CreateUserPoolDomain: %v", err)
	}
	if out.CloudFrontDomain != nil || out.ManagedLoginVersion != nil {
		t.Errorf("prefix domain answer %+v, want {}", out)
	}
	if r := e.call(t, "DescribeUserPoolDomain", `{"Domain":"shop-login"}`); !strings.Contains(r.body, `"Status":"ACTIVE"`) {
		t.Errorf("DescribeUserPoolDomain wire: %s", r.body)
	}

	d, err := c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("shop-login")})
	if err != nil {
		t.Fatalf("DescribeUserPoolDomain: %v", err)
	}
	dd := d.DomainDescription
	if aws.ToString(dd.UserPoolId) != pool || aws.ToString(dd.AWSAccountId) != "000000000000" ||
		aws.ToString(dd.Domain) != "shop-login" || dd.Status != types.DomainStatusTypeActive || dd.CustomDomainConfig != nil {
		t.Errorf("DomainDescription %+v", dd)
	}

	// An unknown domain is an empty description with status 200.
	r := e.call(t, "DescribeUserPoolDomain", `{"Domain":"nobody-has-this"}`)
	if r.status != 200 || r.body != `{"DomainDescription":{}}` {
		t.Errorf("unknown domain: %d %s, want 200 {\"DomainDescription\":{}}", r.status, r.body)
	}

	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("mycognito")})
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) || aws.ToString(ipe.Message) != "Domain cannot contain reserved word: cognito" {
		t.Errorf("reserved word: %v", err)
	}
	other := createPool(t, c, "other")
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("shop-login")})
	if !errors.As(err, &ipe) {
		t.Errorf("taken prefix: %v, want InvalidParameterException", err)
	}

	// A custom domain answers its CloudFront name.
	cert := "arn:aws:acm:us-east-1:000000000000:certificate/abc"
	cd, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool),
		Domain: aws.String("auth.example.com"), CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(cert)},
		ManagedLoginVersion: aws.Int32(2)})
	if err != nil {
		t.Fatalf("custom domain: %v", err)
	}
	if !strings.HasSuffix(aws.ToString(cd.CloudFrontDomain), ".cloudfront.net") || aws.ToInt32(cd.ManagedLoginVersion) != 2 {
		t.Errorf("custom domain answer: %+v", cd)
	}
	pd, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(pd.UserPool.Domain) != "shop-login" || aws.ToString(pd.UserPool.CustomDomain) != "auth.example.com" {
		t.Errorf("pool domains: %q %q", aws.ToString(pd.UserPool.Domain), aws.ToString(pd.UserPool.CustomDomain))
	}

	cert2 := "arn:aws:acm:us-east-1:000000000000:certificate/def"
	up, err := c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(pool),
		Domain: aws.String("auth.example.com"), CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(cert2)}})
	if err != nil {
		t.Fatalf("UpdateUserPoolDomain: %v", err)
	}
	if up.CloudFrontDomain == nil {
		t.Error("UpdateUserPoolDomain on a custom domain: no CloudFrontDomain")
	}
	d, err = c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("auth.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if d.DomainDescription.CustomDomainConfig == nil || aws.ToString(d.DomainDescription.CustomDomainConfig.CertificateArn) != cert2 ||
		aws.ToInt32(d.DomainDescription.ManagedLoginVersion) != 2 || aws.ToString(d.DomainDescription.CloudFrontDistribution) == "" {
		t.Errorf("custom DomainDescription %+v", d.DomainDescription)
	}

	if _, err := c.DeleteUserPoolDomain(ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("shop-login")}); err != nil {
		t.Fatalf("DeleteUserPoolDomain: %v", err)
	}
	if _, err := c.DeleteUserPoolDomain(ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("shop-login")}); !errors.As(err, &ipe) {
		t.Errorf("second delete: %v, want InvalidParameterException", err)
	}
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String("us-east-1_nothere00"), Domain: aws.String("free-name")})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("domain for an unknown pool: %v, want ResourceNotFoundException", err)
	}
}

package awsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestUserPoolLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client
	start := time.Now().Add(-time.Second)

	created, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String("orders"),
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(12), RequireNumbers: true}},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("email"), Required: aws.Bool(true)},
			{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString,
				StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("64")}},
		},
		UserPoolTags:          map[string]string{"team": "payments"},
		LambdaConfig:          &types.LambdaConfigType{PreSignUp: aws.String("arn:aws:lambda:us-east-1:000000000000:function:pre")},
		UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		MfaConfiguration:      types.UserPoolMfaTypeOff,
	})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	id := aws.ToString(created.UserPool.Id)
	if !regexp.MustCompile(`^us-east-1_[0-9A-Za-z]{9}$`).MatchString(id) {
		t.Errorf("pool id %q", id)
	}

	d, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	if err != nil {
		t.Fatalf("DescribeUserPool: %v", err)
	}
	p := d.UserPool
	if got, want := aws.ToString(p.Arn), "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"+id; got != want {
		t.Errorf("Arn = %q, want %q", got, want)
	}
	if p.CreationDate == nil || p.CreationDate.Before(start) || p.LastModifiedDate == nil {
		t.Errorf("dates: %v %v", p.CreationDate, p.LastModifiedDate)
	}
	pp := p.Policies.PasswordPolicy
	if aws.ToInt32(pp.MinimumLength) != 12 || !pp.RequireNumbers || pp.RequireSymbols || pp.TemporaryPasswordValidityDays != 7 {
		t.Errorf("password policy %+v", pp)
	}
	if p.EstimatedNumberOfUsers != 0 || p.DeletionProtection != types.DeletionProtectionTypeInactive || p.MfaConfiguration != types.UserPoolMfaTypeOff {
		t.Errorf("EstimatedNumberOfUsers %d, DeletionProtection %q, Mfa %q", p.EstimatedNumberOfUsers, p.DeletionProtection, p.MfaConfiguration)
	}
	if p.AdminCreateUserConfig == nil || p.AdminCreateUserConfig.AllowAdminCreateUserOnly || p.AdminCreateUserConfig.UnusedAccountValidityDays != 7 {
		t.Errorf("AdminCreateUserConfig %+v", p.AdminCreateUserConfig)
	}
	if p.LambdaConfig == nil || aws.ToString(p.LambdaConfig.PreSignUp) == "" {
		t.Errorf("LambdaConfig not round-tripped: %+v", p.LambdaConfig)
	}
	if p.UserPoolTags["team"] != "payments" || p.UsernameConfiguration == nil || aws.ToBool(p.UsernameConfiguration.CaseSensitive) {
		t.Errorf("tags %v, username configuration %+v", p.UserPoolTags, p.UsernameConfiguration)
	}
	if p.AccountRecoverySetting == nil || len(p.AccountRecoverySetting.RecoveryMechanisms) == 0 {
		t.Errorf("AccountRecoverySetting %+v", p.AccountRecoverySetting)
	}
	attrs := map[string]types.SchemaAttributeType{}
	for _, a := range p.SchemaAttributes {
		attrs[aws.ToString(a.Name)] = a
	}
	if len(p.SchemaAttributes) != 21 {
		t.Errorf("%d schema attributes, want 20 standard + 1 custom", len(p.SchemaAttributes))
	}
	if sub := attrs["sub"]; aws.ToBool(sub.Mutable) || !aws.ToBool(sub.Required) || aws.ToString(sub.StringAttributeConstraints.MinLength) != "1" {
		t.Errorf("sub: %+v", sub)
	}
	if email := attrs["email"]; !aws.ToBool(email.Required) || !aws.ToBool(email.Mutable) {
		t.Errorf("email: %+v", email)
	}
	if ev := attrs["email_verified"]; ev.AttributeDataType != types.AttributeDataTypeBoolean || ev.StringAttributeConstraints != nil {
		t.Errorf("email_verified: %+v", ev)
	}
	tenant, ok := attrs["custom:tenant"]
	if !ok || !aws.ToBool(tenant.Mutable) || aws.ToString(tenant.StringAttributeConstraints.MaxLength) != "64" {
		t.Errorf("custom:tenant: %+v (present %v)", tenant, ok)
	}

	// Deletion protection blocks DeleteUserPool until it is lifted.
	if _, err := c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(id),
		DeletionProtection: types.DeletionProtectionTypeActive}); err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	_, err = c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Fatalf("DeleteUserPool with deletion protection: %v, want InvalidParameterException", err)
	}
	d, err = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if d.UserPool.DeletionProtection != types.DeletionProtectionTypeActive || d.UserPool.LambdaConfig == nil ||
		d.UserPool.LambdaConfig.PreSignUp != nil || aws.ToString(d.UserPool.Name) != "orders" {
		t.Errorf("after update (unset members back to defaults): %+v", d.UserPool)
	}
	if _, err := c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(id),
		DeletionProtection: types.DeletionProtectionTypeInactive}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)}); err != nil {
		t.Fatalf("DeleteUserPool: %v", err)
	}
	_, err = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) || aws.ToString(rnf.Message) != "User pool "+id+" does not exist." {
		t.Fatalf("DescribeUserPool after delete: %v, want ResourceNotFoundException", err)
	}
}

func TestUserPoolErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client

	_, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_nothere00")})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("unknown pool: %v, want ResourceNotFoundException", err)
	}
	// A pool of another region is not found in this one.
	_, err = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("eu-west-1_abcdefghi")})
	if !errors.As(err, &rnf) {
		t.Errorf("pool of another region: %v, want ResourceNotFoundException", err)
	}
	_, err = c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bad/name")})
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Fatalf("bad pool name: %v, want InvalidParameterException", err)
	}
	mustContain(t, aws.ToString(ipe.Message), "1 validation error detected: Value 'bad/name' at 'poolName'")
	_, err = c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(61)})
	if !errors.As(err, &ipe) {
		t.Errorf("MaxResults 61: %v, want InvalidParameterException", err)
	}
	_, err = c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(5), NextToken: aws.String("!!!")})
	if !errors.As(err, &ipe) {
		t.Errorf("bad NextToken: %v, want InvalidParameterException", err)
	}
}

func TestListUserPoolsPaginator(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	want := map[string]bool{}
	for i := range 5 {
		out, err := e.client.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(fmt.Sprintf("pool-%d", i))})
		if err != nil {
			t.Fatal(err)
		}
		want[aws.ToString(out.UserPool.Id)] = true
	}
	pages := 0
	got := map[string]bool{}
	pg := cip.NewListUserPoolsPaginator(e.client, &cip.ListUserPoolsInput{MaxResults: aws.Int32(2)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		pages++
		for _, p := range page.UserPools {
			if p.CreationDate == nil || p.LambdaConfig == nil || aws.ToString(p.Name) == "" {
				t.Errorf("description %+v", p)
			}
			got[aws.ToString(p.Id)] = true
		}
	}
	if pages != 3 || len(got) != 5 {
		t.Errorf("%d pages, %d pools; want 3 pages, 5 pools", pages, len(got))
	}
	for id := range want {
		if !got[id] {
			t.Errorf("pool %s missing from the listing", id)
		}
	}
}

// TestDescribeUserPoolWire checks the JSON Cognito sends, member by member,
// where the SDK would hide a difference: epoch-second timestamps, the
// always-present members, and empty members left out.
func TestDescribeUserPoolWire(t *testing.T) {
	e := newEnv(t)
	r := e.call(t, "CreateUserPool", `{"PoolName":"wire"}`)
	if r.status != 200 {
		t.Fatalf("CreateUserPool: %d %s", r.status, r.body)
	}
	var out struct {
		UserPool map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	p := out.UserPool
	if !regexp.MustCompile(`^1\.\d+E9$`).Match(p["CreationDate"]) {
		t.Errorf("CreationDate = %s, want epoch seconds as Cognito prints them (1.7...E9)", p["CreationDate"])
	}
	for member, want := range map[string]string{
		"EstimatedNumberOfUsers":      `0`,
		"LambdaConfig":                `{}`,
		"UserPoolTags":                `{}`,
		"AdminCreateUserConfig":       `{"AllowAdminCreateUserOnly":false,"UnusedAccountValidityDays":7}`,
		"DeletionProtection":          `"INACTIVE"`,
		"MfaConfiguration":            `"OFF"`,
		"VerificationMessageTemplate": `{"DefaultEmailOption":"CONFIRM_WITH_CODE"}`,
		"Policies":                    `{"PasswordPolicy":{"MinimumLength":8,"RequireLowercase":true,"RequireNumbers":true,"RequireSymbols":true,"RequireUppercase":true,"TemporaryPasswordValidityDays":7}}`,
	} {
		if got := string(p[member]); got != want {
			t.Errorf("%s = %s, want %s", member, got, want)
		}
	}
	for _, member := range []string{"AliasAttributes", "UsernameAttributes", "Domain", "CustomDomain", "Status", "UsernameConfiguration", "SmsConfiguration"} {
		if _, ok := p[member]; ok {
			t.Errorf("%s sent for a pool without it: %s", member, p[member])
		}
	}
}

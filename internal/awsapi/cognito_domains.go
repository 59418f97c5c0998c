package awsapi

import (
	"context"

	"github.com/cognatehq/cognate/internal/identity"
)

// CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain and
// DeleteUserPoolDomain.

type customDomainConfigType struct {
	CertificateArn *string `json:",omitempty"`
}

type userPoolDomainInput struct {
	Domain              *string
	UserPoolId          *string
	ManagedLoginVersion *int
	CustomDomainConfig  *customDomainConfigType
}

func (in *userPoolDomainInput) checkRequired(v *validation) {
	v.notNull(in.Domain != nil, "domain")
	v.notNull(in.UserPoolId != nil, "userPoolId")
	if in.CustomDomainConfig != nil {
		v.notNull(in.CustomDomainConfig.CertificateArn != nil, "customDomainConfig.certificateArn")
	}
}

func (in *userPoolDomainInput) custom() *identity.CustomDomainConfig {
	if in.CustomDomainConfig == nil {
		return nil
	}
	return &identity.CustomDomainConfig{CertificateArn: *in.CustomDomainConfig.CertificateArn}
}

type deleteUserPoolDomainInput struct {
	Domain     *string
	UserPoolId *string
}

func (in *deleteUserPoolDomainInput) checkRequired(v *validation) {
	v.notNull(in.Domain != nil, "domain")
	v.notNull(in.UserPoolId != nil, "userPoolId")
}

type describeUserPoolDomainInput struct {
	Domain *string
}

func (in *describeUserPoolDomainInput) checkRequired(v *validation) {
	v.notNull(in.Domain != nil, "domain")
}

// userPoolDomainOutput answers CreateUserPoolDomain and
// UpdateUserPoolDomain: {} for a prefix domain, the CloudFront name for a
// custom one [doc], and the managed-login version when one is set.
type userPoolDomainOutput struct {
	CloudFrontDomain    string `json:",omitempty"`
	ManagedLoginVersion *int   `json:",omitempty"`
}

// domainDescriptionType is DomainDescriptionType. S3Bucket is never sent:
// Cognate hosts no assets in S3.
type domainDescriptionType struct {
	AWSAccountId           string                  `json:",omitempty"`
	CloudFrontDistribution string                  `json:",omitempty"`
	CustomDomainConfig     *customDomainConfigType `json:",omitempty"`
	Domain                 string                  `json:",omitempty"`
	ManagedLoginVersion    *int                    `json:",omitempty"`
	Status                 string                  `json:",omitempty"`
	UserPoolId             string                  `json:",omitempty"`
	Version                string                  `json:",omitempty"`
}

// describeUserPoolDomainOutput always carries DomainDescription: an unknown
// domain is {"DomainDescription":{}} with status 200 [doc].
type describeUserPoolDomainOutput struct {
	DomainDescription domainDescriptionType
}

func domainOutput(cloudFront string, managedLoginVersion *int) userPoolDomainOutput {
	out := userPoolDomainOutput{CloudFrontDomain: cloudFront}
	if managedLoginVersion != nil && *managedLoginVersion != 0 {
		out.ManagedLoginVersion = managedLoginVersion
	}
	return out
}

func (h *Cognito) createUserPoolDomain(ctx context.Context, region string, in *userPoolDomainInput) (userPoolDomainOutput, error) {
	cf, err := h.svc.CreateUserPoolDomain(ctx, region, *in.UserPoolId, *in.Domain, in.custom(), deref(in.ManagedLoginVersion))
	if err != nil {
		return userPoolDomainOutput{}, err
	}
	return domainOutput(cf, in.ManagedLoginVersion), nil
}

func (h *Cognito) describeUserPoolDomain(ctx context.Context, region string, in *describeUserPoolDomainInput) (describeUserPoolDomainOutput, error) {
	d, found, err := h.svc.DescribeUserPoolDomain(ctx, region, *in.Domain)
	if err != nil || !found {
		return describeUserPoolDomainOutput{}, err
	}
	out := domainDescriptionType{
		AWSAccountId:           d.AccountID,
		CloudFrontDistribution: d.CloudFrontDistribution,
		Domain:                 d.Domain,
		Status:                 d.Status,
		UserPoolId:             d.PoolID,
		Version:                d.Version,
	}
	if d.CustomDomainConfig != nil {
		out.CustomDomainConfig = &customDomainConfigType{CertificateArn: nonEmpty(d.CustomDomainConfig.CertificateArn)}
	}
	if d.ManagedLoginVersion != 0 {
		out.ManagedLoginVersion = ptr(d.ManagedLoginVersion)
	}
	return describeUserPoolDomainOutput{DomainDescription: out}, nil
}

func (h *Cognito) updateUserPoolDomain(ctx context.Context, region string, in *userPoolDomainInput) (userPoolDomainOutput, error) {
	cf, err := h.svc.UpdateUserPoolDomain(ctx, region, *in.UserPoolId, *in.Domain, in.custom(), deref(in.ManagedLoginVersion))
	if err != nil {
		return userPoolDomainOutput{}, err
	}
	return domainOutput(cf, in.ManagedLoginVersion), nil
}

func (h *Cognito) deleteUserPoolDomain(ctx context.Context, region string, in *deleteUserPoolDomainInput) (empty, error) {
	return empty{}, h.svc.DeleteUserPoolDomain(ctx, region, *in.UserPoolId, *in.Domain)
}

package provider

import (
	"context"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// Domain provides AWS::Cognito::UserPoolDomain. Ref is the domain; Fn::GetAtt
// gives CloudFrontDistribution.
type Domain struct{ C Cognito }

// Schema lists the type's properties; Domain and UserPoolId replace it.
func (Domain) Schema() stack.Schema {
	return stack.Schema{
		Properties: map[string]stack.Kind{
			"Domain": stack.KindString, "UserPoolId": stack.KindString,
			"CustomDomainConfig": stack.KindObject, "ManagedLoginVersion": stack.KindInteger,
		},
		Required:   []string{"Domain", "UserPoolId"},
		Replace:    []string{"Domain", "UserPoolId"},
		Attributes: []string{"CloudFrontDistribution"},
	}
}

// Validate has nothing to add to the schema.
func (Domain) Validate(*template.Node, string) template.ErrorList { return nil }

func custom(p *template.Node) *identity.CustomDomainConfig {
	if c := p.Get("CustomDomainConfig"); c != nil {
		return &identity.CustomDomainConfig{CertificateArn: str(c, "CertificateArn")}
	}
	return nil
}

// Create creates the domain.
func (d Domain) Create(ctx context.Context, req stack.Request) (stack.Result, error) {
	p := req.Properties
	cf, err := d.C.CreateUserPoolDomain(ctx, req.Region, str(p, "UserPoolId"), str(p, "Domain"), custom(p), int(integer(p, "ManagedLoginVersion")))
	if err != nil {
		return stack.Result{}, propErr(err, "Domain", "UserPoolId", "CustomDomainConfig")
	}
	return domainResult(str(p, "Domain"), cf), nil
}

// Update changes a custom domain's certificate or the managed login
// version.
func (d Domain) Update(ctx context.Context, req stack.Request, id string, _ *template.Node) (stack.Result, error) {
	p := req.Properties
	cf, err := d.C.UpdateUserPoolDomain(ctx, req.Region, str(p, "UserPoolId"), id, custom(p), int(integer(p, "ManagedLoginVersion")))
	if err != nil {
		return stack.Result{}, propErr(err, "CustomDomainConfig", "ManagedLoginVersion")
	}
	return domainResult(id, cf), nil
}

// Delete deletes the domain.
func (d Domain) Delete(ctx context.Context, req stack.Request, id string) error {
	if err := d.C.DeleteUserPoolDomain(ctx, req.Region, str(req.Properties, "UserPoolId"), id); err != nil && !notFound(err) {
		return err
	}
	return nil
}

func domainResult(domain, cf string) stack.Result {
	return stack.Result{PhysicalID: domain, Attributes: map[string]string{"CloudFrontDistribution": cf}}
}

// PlannedID is the domain.
func (Domain) PlannedID(req stack.Request) string { return str(req.Properties, "Domain") }

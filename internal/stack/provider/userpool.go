package provider

import (
	"context"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// UserPool provides AWS::Cognito::UserPool. Ref is the pool id; Fn::GetAtt
// gives Arn, ProviderName, ProviderURL and UserPoolId.
type UserPool struct{ C Cognito }

// Schema lists the properties Cognate applies; others are accepted with a
// warning.
func (UserPool) Schema() stack.Schema {
	return stack.Schema{
		Properties: map[string]stack.Kind{
			"UserPoolName":           stack.KindString,
			"Policies":               stack.KindObject,
			"MfaConfiguration":       stack.KindString,
			"UsernameAttributes":     stack.KindList,
			"AliasAttributes":        stack.KindList,
			"AutoVerifiedAttributes": stack.KindList,
			"DeletionProtection":     stack.KindString,
			"UserPoolTags":           stack.KindObject,
			"UsernameConfiguration":  stack.KindObject,
			"Schema":                 stack.KindObjectList,
			"UserPoolTier":           stack.KindString,
		},
		// "Update requires: Replacement" in the resource reference.
		Replace:    []string{"AliasAttributes", "UsernameAttributes", "UsernameConfiguration"},
		Attributes: []string{"Arn", "ProviderName", "ProviderURL", "UserPoolId"},
		Open:       true,
	}
}

// Validate has nothing to add to the schema.
func (UserPool) Validate(*template.Node, string) template.ErrorList { return nil }

func (u UserPool) settings(req stack.Request, name string) identity.PoolSettings {
	p := req.Properties
	in := identity.PoolSettings{
		PoolName:               name,
		PasswordPolicy:         identity.DefaultPasswordPolicy(),
		MfaConfiguration:       str(p, "MfaConfiguration"),
		UsernameAttributes:     list(p, "UsernameAttributes"),
		AliasAttributes:        list(p, "AliasAttributes"),
		AutoVerifiedAttributes: list(p, "AutoVerifiedAttributes"),
		DeletionProtection:     str(p, "DeletionProtection"),
		UserPoolTier:           str(p, "UserPoolTier"),
	}
	if pp := p.Get("Policies").Get("PasswordPolicy"); pp != nil {
		if v := integer(pp, "MinimumLength"); v > 0 {
			in.PasswordPolicy.MinimumLength = int(v)
		}
		for key, dst := range map[string]*bool{"RequireUppercase": &in.PasswordPolicy.RequireUppercase,
			"RequireLowercase": &in.PasswordPolicy.RequireLowercase, "RequireNumbers": &in.PasswordPolicy.RequireNumbers,
			"RequireSymbols": &in.PasswordPolicy.RequireSymbols} {
			if pp.Get(key) != nil {
				*dst = boolean(pp, key)
			}
		}
		if v := integer(pp, "TemporaryPasswordValidityDays"); v > 0 {
			in.PasswordPolicy.TemporaryPasswordValidityDays = int(v)
		}
	}
	if uc := p.Get("UsernameConfiguration"); uc != nil && uc.Get("CaseSensitive") != nil {
		b := boolean(uc, "CaseSensitive")
		in.UsernameCaseSensitive = &b
	}
	if tags := p.Get("UserPoolTags"); tags != nil {
		in.Tags = map[string]string{}
		for _, f := range tags.Fields {
			in.Tags[f.Key], _ = f.Value.Text()
		}
	}
	if sc := p.Get("Schema"); sc != nil {
		for _, a := range sc.Items {
			in.Schema = append(in.Schema, identity.SchemaAttribute{
				Name: str(a, "Name"), AttributeDataType: str(a, "AttributeDataType"),
				DeveloperOnlyAttribute: boolean(a, "DeveloperOnlyAttribute"), Mutable: a.Get("Mutable") == nil || boolean(a, "Mutable"),
				Required:        boolean(a, "Required"),
				StringMinLength: str(a.Get("StringAttributeConstraints"), "MinLength"), StringMaxLength: str(a.Get("StringAttributeConstraints"), "MaxLength"),
				NumberMinValue: str(a.Get("NumberAttributeConstraints"), "MinValue"), NumberMaxValue: str(a.Get("NumberAttributeConstraints"), "MaxValue"),
			})
		}
	}
	return in
}

func poolErr(err error) error {
	return propErr(err, "UserPoolName", "PasswordPolicy", "MfaConfiguration", "UsernameAttributes", "AliasAttributes",
		"AutoVerifiedAttributes", "DeletionProtection", "Schema")
}

// PlannedID draws the id the pool will have, so that the engine can
// journal it before the pool exists.
func (UserPool) PlannedID(req stack.Request) string { return identity.NewPoolID(req.Region) }

// Create creates the pool with the planned id (a fresh one when the
// engine planned none); without UserPoolName it gets a generated name.
func (u UserPool) Create(ctx context.Context, req stack.Request) (stack.Result, error) {
	name := str(req.Properties, "UserPoolName")
	if name == "" {
		name = req.LogicalID + "-" + randomSuffix(12)
	}
	var pool identity.Pool
	var err error
	if req.Planned != "" {
		pool, err = u.C.CreateUserPoolWithID(ctx, req.Region, req.Planned, u.settings(req, name))
	} else {
		pool, err = u.C.CreateUserPool(ctx, req.Region, u.settings(req, name))
	}
	if err != nil {
		return stack.Result{}, poolErr(err)
	}
	return poolResult(pool), nil
}

// Update updates the pool in place, keeping its name when the template
// gives none.
func (u UserPool) Update(ctx context.Context, req stack.Request, id string, _ *template.Node) (stack.Result, error) {
	cur, err := u.C.DescribeUserPool(ctx, req.Region, id)
	if err != nil {
		return stack.Result{}, err
	}
	name := str(req.Properties, "UserPoolName")
	if name == "" {
		name = cur.Settings.PoolName
	}
	if err := u.C.UpdateUserPool(ctx, req.Region, id, u.settings(req, name)); err != nil {
		return stack.Result{}, poolErr(err)
	}
	cur, err = u.C.DescribeUserPool(ctx, req.Region, id)
	if err != nil {
		return stack.Result{}, err
	}
	return poolResult(cur), nil
}

// Delete deletes the pool.
func (u UserPool) Delete(ctx context.Context, req stack.Request, id string) error {
	if err := u.C.DeleteUserPool(ctx, req.Region, id); err != nil && !notFound(err) {
		return err
	}
	return nil
}

func poolResult(p identity.Pool) stack.Result {
	// ProviderName is cognito-idp.{region}.amazonaws.com/{id}; ProviderURL
	// the same with https:// [doc: AWS::Cognito::UserPool return values].
	provider := "cognito-idp." + p.Region + ".amazonaws.com/" + p.ID
	return stack.Result{PhysicalID: p.ID, Attributes: map[string]string{
		"Arn": p.Arn, "ProviderName": provider, "ProviderURL": "https://" + provider, "UserPoolId": p.ID,
	}}
}

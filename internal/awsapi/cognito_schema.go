package awsapi

import "github.com/cognatehq/cognate/internal/identity"

// A pool's SchemaAttributes, as Cognito describes them: every standard
// attribute, overlaid with what the pool's Schema says about it, followed
// by the pool's custom attributes under their "custom:" names.

// schemaAttributeType is SchemaAttributeType on the wire, in and out.
// Members are in Coral's alphabetical order.
type schemaAttributeType struct {
	AttributeDataType          string                 `json:",omitempty"`
	DeveloperOnlyAttribute     *bool                  `json:",omitempty"`
	Mutable                    *bool                  `json:",omitempty"`
	Name                       string                 `json:",omitempty"`
	NumberAttributeConstraints *numberConstraintsType `json:",omitempty"`
	Required                   *bool                  `json:",omitempty"`
	StringAttributeConstraints *stringConstraintsType `json:",omitempty"`
}

type numberConstraintsType struct {
	MaxValue *string `json:",omitempty"`
	MinValue *string `json:",omitempty"`
}

type stringConstraintsType struct {
	MaxLength *string `json:",omitempty"`
	MinLength *string `json:",omitempty"`
}

// standardAttribute is one of Cognito's standard attributes with its
// defaults.
type standardAttribute struct {
	name, dataType    string
	mutable, required bool
	minLength, maxLen string // String attributes
	minValue          string // Number attributes
	hasStringLimits   bool
	hasNumberMinimum  bool
}

func stringAttr(name, min, max string, mutable, required bool) standardAttribute {
	return standardAttribute{name: name, dataType: "String", mutable: mutable, required: required,
		minLength: min, maxLen: max, hasStringLimits: true}
}

// standardAttributes are the 20 standard attributes of every pool, in the
// order Cognito lists them, with their flags and constraints [obs:
// describe-user-pool captures in aws-cli 3162, amplify-js 9349, moto
// 5965; the same list as moto's STANDARD_SCHEMA].
var standardAttributes = []standardAttribute{
	stringAttr("sub", "1", "2048", false, true),
	stringAttr("name", "0", "2048", true, false),
	stringAttr("given_name", "0", "2048", true, false),
	stringAttr("family_name", "0", "2048", true, false),
	stringAttr("middle_name", "0", "2048", true, false),
	stringAttr("nickname", "0", "2048", true, false),
	stringAttr("preferred_username", "0", "2048", true, false),
	stringAttr("profile", "0", "2048", true, false),
	stringAttr("picture", "0", "2048", true, false),
	stringAttr("website", "0", "2048", true, false),
	stringAttr("email", "0", "2048", true, false),
	{name: "email_verified", dataType: "Boolean", mutable: true},
	stringAttr("gender", "0", "2048", true, false),
	stringAttr("birthdate", "10", "10", true, false),
	stringAttr("zoneinfo", "0", "2048", true, false),
	stringAttr("locale", "0", "2048", true, false),
	stringAttr("phone_number", "0", "2048", true, false),
	{name: "phone_number_verified", dataType: "Boolean", mutable: true},
	stringAttr("address", "0", "2048", true, false),
	{name: "updated_at", dataType: "Number", mutable: true, minValue: "0", hasNumberMinimum: true},
}

var standardByName = func() map[string]standardAttribute {
	m := make(map[string]standardAttribute, len(standardAttributes))
	for _, a := range standardAttributes {
		m[a.name] = a
	}
	return m
}()

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// schemaToDomain resolves the Schema of a CreateUserPool request to what
// the domain stores: each entry with its defaults applied (a standard
// attribute keeps its standard flags and limits unless the entry sets
// them; a custom attribute is mutable unless it says otherwise [doc]).
// Names stay as given; "custom:" is added when the pool is described.
func schemaToDomain(in []schemaAttributeType) []identity.SchemaAttribute {
	out := make([]identity.SchemaAttribute, 0, len(in))
	for _, s := range in {
		a := identity.SchemaAttribute{
			Name:                   s.Name,
			AttributeDataType:      s.AttributeDataType,
			DeveloperOnlyAttribute: deref(s.DeveloperOnlyAttribute),
			Mutable:                true,
			Required:               deref(s.Required),
		}
		if std, ok := standardByName[s.Name]; ok {
			a.AttributeDataType = std.dataType
			a.Mutable, a.Required = std.mutable, std.required
			if s.Required != nil {
				a.Required = *s.Required
			}
			a.StringMinLength, a.StringMaxLength, a.NumberMinValue = std.minLength, std.maxLen, std.minValue
		}
		if s.Mutable != nil {
			a.Mutable = *s.Mutable
		}
		if c := s.StringAttributeConstraints; c != nil {
			if c.MinLength != nil {
				a.StringMinLength = *c.MinLength
			}
			if c.MaxLength != nil {
				a.StringMaxLength = *c.MaxLength
			}
		}
		if c := s.NumberAttributeConstraints; c != nil {
			if c.MinValue != nil {
				a.NumberMinValue = *c.MinValue
			}
			if c.MaxValue != nil {
				a.NumberMaxValue = *c.MaxValue
			}
		}
		out = append(out, a)
	}
	return out
}

// describeSchema returns a pool's SchemaAttributes.
func describeSchema(schema []identity.SchemaAttribute) []schemaAttributeType {
	set := make(map[string]identity.SchemaAttribute, len(schema))
	for _, a := range schema {
		set[a.Name] = a
	}
	out := make([]schemaAttributeType, 0, len(standardAttributes)+len(schema))
	for _, std := range standardAttributes {
		if a, ok := set[std.name]; ok {
			out = append(out, schemaAttributeOut(std.name, a, false))
			continue
		}
		out = append(out, schemaAttributeOut(std.name, identity.SchemaAttribute{
			AttributeDataType: std.dataType, Mutable: std.mutable, Required: std.required,
			StringMinLength: std.minLength, StringMaxLength: std.maxLen, NumberMinValue: std.minValue,
		}, false))
	}
	for _, a := range schema {
		if _, ok := standardByName[a.Name]; ok {
			continue
		}
		name := "custom:" + a.Name
		if a.DeveloperOnlyAttribute {
			name = "dev:" + name // developer-only attributes carry both prefixes [doc]
		}
		out = append(out, schemaAttributeOut(name, a, true))
	}
	return out
}

func schemaAttributeOut(name string, a identity.SchemaAttribute, custom bool) schemaAttributeType {
	s := schemaAttributeType{
		Name:                   name,
		AttributeDataType:      a.AttributeDataType,
		DeveloperOnlyAttribute: ptr(a.DeveloperOnlyAttribute),
		Mutable:                ptr(a.Mutable),
		Required:               ptr(a.Required),
	}
	switch a.AttributeDataType {
	case "String":
		if a.StringMinLength != "" || a.StringMaxLength != "" || custom {
			// A custom String attribute without limits shows an empty
			// constraints object [moto; guess for AWS].
			s.StringAttributeConstraints = &stringConstraintsType{
				MinLength: nonEmpty(a.StringMinLength), MaxLength: nonEmpty(a.StringMaxLength)}
		}
	case "Number":
		if a.NumberMinValue != "" || a.NumberMaxValue != "" || custom {
			s.NumberAttributeConstraints = &numberConstraintsType{
				MinValue: nonEmpty(a.NumberMinValue), MaxValue: nonEmpty(a.NumberMaxValue)}
		}
	}
	return s
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package identity

import (
	"fmt"
	"regexp"
	"strconv"
)

// standardAttributeNames are the attributes every pool has [doc]. A Schema
// entry with one of these names configures it; any other name is a custom
// attribute (custom:<name>).
var standardAttributeNames = map[string]bool{
	"sub": true, "name": true, "given_name": true, "family_name": true, "middle_name": true,
	"nickname": true, "preferred_username": true, "profile": true, "picture": true, "website": true,
	"email": true, "email_verified": true, "gender": true, "birthdate": true, "zoneinfo": true,
	"locale": true, "phone_number": true, "phone_number_verified": true, "address": true, "updated_at": true,
}

// IsStandardAttribute reports whether name is one of Cognito's standard
// attributes.
func IsStandardAttribute(name string) bool { return standardAttributeNames[name] }

var attributeNameRe = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)

// Schema limits [doc][model]: at most 50 schema entries, names of 1-20
// characters, string lengths up to 2048.
const (
	maxSchemaAttributes = 50
	maxStringLength     = 2048
)

func validateSchema(schema []SchemaAttribute, v *validationErrors) error {
	if len(schema) > maxSchemaAttributes {
		v.add(fmt.Sprintf("%d attributes", len(schema)), "schema", fmt.Sprintf("Member must have length less than or equal to %d", maxSchemaAttributes))
	}
	for i, a := range schema {
		field := fmt.Sprintf("schema.%d.member", i+1)
		v.pattern(a.Name, field+".name", attributeNameRe, 1, 20)
		v.enum(a.AttributeDataType, field+".attributeDataType", "String", "Number", "DateTime", "Boolean")
	}
	if err := v.err(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, a := range schema {
		if seen[a.Name] {
			return errorf(KindInvalidParameter, "Duplicate attribute names are not allowed: %s", a.Name) // [guess] text
		}
		seen[a.Name] = true
		if !IsStandardAttribute(a.Name) && a.Required {
			return errorf(KindInvalidParameter, "Required custom attributes are not supported currently.") // [obs]
		}
		for _, lim := range []struct{ name, value string }{
			{"StringAttributeConstraints.MinLength", a.StringMinLength}, {"StringAttributeConstraints.MaxLength", a.StringMaxLength},
			{"NumberAttributeConstraints.MinValue", a.NumberMinValue}, {"NumberAttributeConstraints.MaxValue", a.NumberMaxValue},
		} {
			if lim.value == "" {
				continue
			}
			n, err := strconv.ParseInt(lim.value, 10, 64)
			if err != nil {
				return errorf(KindInvalidParameter, "%s of attribute %s must be a number, got %q.", lim.name, a.Name, lim.value) // [guess] text
			}
			if lim.name == "StringAttributeConstraints.MaxLength" && (n < 0 || n > maxStringLength) {
				return errorf(KindInvalidParameter, "%s of attribute %s must be between 0 and %d.", lim.name, a.Name, maxStringLength) // [guess] text
			}
		}
	}
	return nil
}

package ssm

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// validationErrors collects model-constraint failures and reports them the
// way AWS's Coral front end does, all in one ValidationException:
//
//	1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: Member must ...
//
// Members the model marks sensitive (a parameter's Value) are reported
// without their value: "Value at 'value' failed to satisfy constraint"
// [obs: "Value at 'value' failed to satisfy constraint: Member must have
// length less than or equal to 32768", terraform-provider-aws users].
type validationErrors []string

func (v *validationErrors) add(value any, field, constraint string) {
	*v = append(*v, fmt.Sprintf("Value '%v' at '%s' failed to satisfy constraint: %s", value, field, constraint))
}

func (v *validationErrors) addSensitive(field, constraint string) {
	*v = append(*v, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", field, constraint))
}

// length checks the length of a string member in characters.
func (v *validationErrors) length(value, field string, min, max int) {
	switch n := utf8.RuneCountInString(value); {
	case n < min:
		v.add(value, field, fmt.Sprintf("Member must have length greater than or equal to %d", min))
	case max > 0 && n > max:
		v.add(value, field, fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// pattern checks length and, when re is set, the model's pattern.
func (v *validationErrors) pattern(value, field string, re *regexp.Regexp, min, max int) {
	before := len(*v)
	v.length(value, field, min, max)
	if len(*v) == before && re != nil && !re.MatchString(value) {
		v.add(value, field, "Member must satisfy regular expression pattern: "+re.String())
	}
}

// enum checks a member against its enum; "" (absent) passes.
func (v *validationErrors) enum(value, field string, allowed ...string) {
	if value == "" {
		return
	}
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	v.add(value, field, "Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
}

// intRange checks an integer member.
func (v *validationErrors) intRange(value int64, field string, min, max int64) {
	if value < min {
		v.add(value, field, fmt.Sprintf("Member must have value greater than or equal to %d", min))
	} else if value > max {
		v.add(value, field, fmt.Sprintf("Member must have value less than or equal to %d", max))
	}
}

// listLength checks the number of items of a list member; the value is
// written as Coral writes lists: [a, b].
func (v *validationErrors) listLength(items []string, field string, min, max int) {
	switch {
	case len(items) < min:
		v.add("["+strings.Join(items, ", ")+"]", field, fmt.Sprintf("Member must have length greater than or equal to %d", min))
	case max > 0 && len(items) > max:
		v.add("["+strings.Join(items, ", ")+"]", field, fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// err returns the ValidationException listing every failure, or nil.
func (v validationErrors) err() error {
	if len(v) == 0 {
		return nil
	}
	noun := "error"
	if len(v) > 1 {
		noun = "errors"
	}
	return errorf(KindValidation, "%d validation %s detected: %s", len(v), noun, strings.Join(v, "; "))
}

// item returns the path of the i-th (0-based) element of a list member, as
// Coral writes it: "parameterFilters.1.member".
func item(list string, i int) string {
	return fmt.Sprintf("%s.%d.member", list, i+1)
}

package identity

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Patterns from the cognito-idp API model (botocore service-2.json).
var (
	nameRe             = regexp.MustCompile(`^[\w\s+=,.@-]+$`) // pool, client, resource server names
	domainRe           = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)
	identifierRe       = regexp.MustCompile(`^[\x21\x23-\x5B\x5D-\x7E]+$`)          // resource server identifier, scope
	scopeNameRe        = regexp.MustCompile(`^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$`) // identifier charset minus "/"
	clientIDRe         = regexp.MustCompile(`^[\w+]+$`)
	redirectURLRe      = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)
	regexpClientSecret = regexp.MustCompile(`^[\w+]+$`)
	fqdnRe             = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// validationErrors collects model-constraint failures and reports them the
// way AWS does: "1 validation error detected: Value 'x' at 'poolName' failed
// to satisfy constraint: ..." (one InvalidParameterException listing all).
type validationErrors []string

func (v *validationErrors) add(value any, field, constraint string) {
	*v = append(*v, fmt.Sprintf("Value '%v' at '%s' failed to satisfy constraint: %s", value, field, constraint))
}

func (v *validationErrors) pattern(value, field string, re *regexp.Regexp, min, max int) {
	if c := patternConstraint(value, re, min, max); c != "" {
		v.add(value, field, c)
	}
}

// sensitivePattern is pattern for members the model marks sensitive (a
// client secret): AWS leaves their value out of the message, and so does
// Cognate, so a secret never reaches a response or a log.
func (v *validationErrors) sensitivePattern(value, field string, re *regexp.Regexp, min, max int) {
	if c := patternConstraint(value, re, min, max); c != "" {
		*v = append(*v, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", field, c))
	}
}

func patternConstraint(value string, re *regexp.Regexp, min, max int) string {
	n := utf8.RuneCountInString(value)
	switch {
	case n < min:
		return fmt.Sprintf("Member must have length greater than or equal to %d", min)
	case n > max:
		return fmt.Sprintf("Member must have length less than or equal to %d", max)
	case re != nil && !re.MatchString(value):
		return "Member must satisfy regular expression pattern: " + strings.Trim(re.String(), "^$")
	}
	return ""
}

func (v *validationErrors) intRange(value int64, field string, min, max int64) {
	if value < min {
		v.add(value, field, fmt.Sprintf("Member must have value greater than or equal to %d", min))
	} else if value > max {
		v.add(value, field, fmt.Sprintf("Member must have value less than or equal to %d", max))
	}
}

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

func (v validationErrors) err() error {
	if len(v) == 0 {
		return nil
	}
	noun := "error"
	if len(v) > 1 {
		noun = "errors"
	}
	return errorf(KindInvalidParameter, "%d validation %s detected: %s", len(v), noun, strings.Join(v, "; "))
}

// reservedScopes are the OIDC and Cognito scopes that need no resource server.
var reservedScopes = map[string]bool{
	"openid": true, "email": true, "phone": true, "profile": true,
	"aws.cognito.signin.user.admin": true,
}

// reservedDomainWords may not appear anywhere in a prefix domain [obs].
var reservedDomainWords = []string{"aws", "amazon", "cognito"}

func validatePoolID(poolID string) error {
	var v validationErrors
	v.pattern(poolID, "userPoolId", poolIDRe, 1, 55)
	return v.err()
}

func validateClientID(clientID string) error {
	var v validationErrors
	v.pattern(clientID, "clientId", clientIDRe, 1, 128)
	return v.err()
}

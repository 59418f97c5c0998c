package awsapi

import (
	"strconv"
	"strings"
)

// Required members. The domain validates values (patterns, lengths,
// ranges); only the adapter can tell a member that is absent from one that
// is empty, so it reports absent required members, in AWS's validation
// format [obs]:
//
//	1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null
//
// Member paths are lower-camel, nested with ".", and list items are
// "<list>.<n>.member.<name>" counting from 1, as AWS writes them.

// requiredChecker is implemented by input structs with required members.
type requiredChecker interface {
	checkRequired(v *validation)
}

// validation collects model-constraint failures for one request.
type validation struct {
	failures []string
}

// notNull records a failure at path unless present.
func (v *validation) notNull(present bool, path string) {
	if !present {
		v.failures = append(v.failures,
			"Value null at '"+path+"' failed to satisfy constraint: Member must not be null")
	}
}

// atLeast records a failure at path when a present value is below min.
func (v *validation) atLeast(value *int64, path string, min int64) {
	if value != nil && *value < min {
		v.failures = append(v.failures, "Value '"+strconv.FormatInt(*value, 10)+"' at '"+path+
			"' failed to satisfy constraint: Member must have value greater than or equal to "+strconv.FormatInt(min, 10))
	}
}

// item returns the path of the i-th (0-based) element of a list member.
func item(list string, i int) string {
	return list + "." + strconv.Itoa(i+1) + ".member"
}

// err returns the InvalidParameterException listing every failure, or nil.
func (v *validation) err() *apiError {
	return v.errAs(typeInvalidParameter)
}

// errAs returns an exception of type typ listing every failure, or nil:
// Cognito reports them as InvalidParameterException, SSM as
// ValidationException.
func (v *validation) errAs(typ string) *apiError {
	if len(v.failures) == 0 {
		return nil
	}
	noun := "error"
	if len(v.failures) > 1 {
		noun = "errors"
	}
	return clientError(typ,
		strconv.Itoa(len(v.failures))+" validation "+noun+" detected: "+strings.Join(v.failures, "; "))
}

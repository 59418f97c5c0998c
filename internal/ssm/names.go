package ssm

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Parameter names [doc: PutParameter, "Naming Constraints"]:
//
//   - letters, digits, "_", ".", "-", with "/" between hierarchy levels;
//   - case-sensitive, unique per region;
//   - a name with a "/" must begin with one ("fully qualified"); a name of
//     one level may or may not, and SSM stores it without the slash ("/foo"
//     is the parameter "foo") [obs: terraform-provider-aws #49116, a
//     maintainer: "If a single name is passed with a leading slash, the AWS
//     API normalizes it to the name without the slash"];
//   - no more than 15 levels;
//   - not beginning with "aws" or "ssm" (any case, after the leading slash);
//   - at most 1011 characters counting the ARN prefix before the name
//     (arn:aws:ssm:us-east-2:111122223333:parameter/ is 45 of them); the
//     model's 2048 is checked first;
//   - spaces at either end are removed; spaces inside are an error.

var (
	nameCharsRe = regexp.MustCompile(`^[a-zA-Z0-9_.\-/]+$`)
	labelRe     = regexp.MustCompile(`^[a-zA-Z0-9_.\-]+$`)
	digitsRe    = regexp.MustCompile(`^[0-9]+$`)
)

// Messages of name failures.
const (
	// msgNameInvalid is AWS's answer to a name with characters outside the
	// allowed set, or otherwise malformed [obs: boto3 #1499, aws-sdk-php
	// #1952 (PutParameter), LocalStack #7712 and varlock #389
	// (GetParameter)].
	msgNameInvalid = `Parameter name: can't be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`
	// msgNamePrefix is the answer to a one-level name beginning with aws
	// or ssm [guess-strong, APIGATEWAY.md §6; moto says the same].
	msgNamePrefix = `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`
	// msgNotFullyQualified is PutParameter's answer to a path without its
	// leading slash [obs: terraform-provider-aws #7251, aws-samples
	// cdk-image-pipeline #148].
	msgNotFullyQualified = "Parameter name must be a fully qualified name."
	// msgPathInvalid is GetParametersByPath's answer to a malformed path
	// [obs: aws-samples/resource-autotagger #1; moto uses it too].
	msgPathInvalid = `The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can't be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.`
)

// maxNameWithARN is the longest a name may be, counting the ARN prefix.
const maxNameWithARN = 1011

// trimName removes the spaces SSM removes from the ends of a name.
func trimName(name string) string { return strings.Trim(name, " ") }

// canonicalName is the name SSM stores: a one-level name loses its leading
// slash.
func canonicalName(name string) string {
	if strings.HasPrefix(name, "/") && strings.Count(name, "/") == 1 {
		return name[1:]
	}
	return name
}

// wellFormed reports whether name uses only the allowed characters and,
// when it has levels, has no empty one: "/a//b" and "/a/" are malformed.
// [guess] AWS answers empty levels with msgNameInvalid like other
// malformed names.
func wellFormed(name string) bool {
	if !nameCharsRe.MatchString(name) || name == "/" {
		return false
	}
	rest := strings.TrimPrefix(name, "/")
	return !strings.Contains(rest, "//") && !strings.HasSuffix(rest, "/") && !strings.HasPrefix(rest, "/")
}

// levels returns the hierarchy depth of a name: "/a/b/c" and "a" have 3
// and 1 levels.
func levels(name string) int {
	if !strings.HasPrefix(name, "/") {
		return strings.Count(name, "/") + 1
	}
	return strings.Count(name, "/")
}

// checkPutName validates the name of a PutParameter (after the model's
// length check) and returns it trimmed and canonical.
func (s *Service) checkPutName(region, raw string) (string, error) {
	name := trimName(raw)
	if name == "" {
		return "", errorf(KindValidation, msgNameInvalid)
	}
	lower := strings.ToLower(name)
	if rest := strings.TrimPrefix(lower, "/"); strings.HasPrefix(rest, "aws") || strings.HasPrefix(rest, "ssm") {
		isPath := strings.Count(name, "/") > 1
		switch {
		case isPath && strings.HasPrefix(lower, "/aws"):
			// [emulator: moto] /aws/... holds AWS's public parameters.
			return "", errorf(KindAccessDenied, "No access to reserved parameter name: %s.", name)
		case !isPath:
			return "", errorf(KindValidation, msgNamePrefix)
		default:
			return "", errorf(KindValidation, msgNameInvalid)
		}
	}
	if !strings.HasPrefix(name, "/") && strings.Contains(name, "/") {
		return "", errorf(KindValidation, msgNotFullyQualified)
	}
	if !wellFormed(name) {
		return "", errorf(KindValidation, msgNameInvalid)
	}
	if n := levels(name); n > MaxHierarchyLevels {
		// [guess] text; the limit is [doc]. APIGATEWAY.md §6 records
		// "...hierarchy levels... Maximum levels allowed: 15".
		return "", errorf(KindHierarchyLevelLimitExceeded,
			"The parameter name %s has %d hierarchy levels. Maximum levels allowed: %d.", name, n, MaxHierarchyLevels)
	}
	name = canonicalName(name)
	if n := len(s.ARN(region, name)); n > maxNameWithARN {
		// [guess] text; the limit is [doc].
		return "", errorf(KindValidation,
			"Parameter name is too long: with its ARN prefix %s it has %d characters; the maximum is %d.",
			s.arnPrefix(region), n, maxNameWithARN)
	}
	return name, nil
}

// selector is the version or label part of "name:3" or "name:label".
type selector struct {
	text    string // "" when the name had none
	version int64  // > 0 when text is a version number
}

// parseGetName reads the name of a read (GetParameter, GetParameters,
// GetParameterHistory): a name or an ARN of this account and region, with a
// ":version" or ":label" selector when allowSelector. It returns the
// canonical name. ok is false when the ARN names another account or region,
// whose parameters this server cannot hold (the caller answers not found).
func (s *Service) parseGetName(region, raw string, allowSelector bool) (name string, sel selector, ok bool, err error) {
	name = trimName(raw)
	ok = true
	if strings.HasPrefix(name, "arn:") {
		// arn:<partition>:ssm:<region>:<account>:parameter/<name without its leading slash>
		parts := strings.SplitN(name, ":", 6)
		if len(parts) != 6 || parts[2] != "ssm" || !strings.HasPrefix(parts[5], "parameter/") {
			return "", selector{}, false, errorf(KindValidation, msgNameInvalid)
		}
		ok = parts[3] == region && parts[4] == s.accountID
		name = strings.TrimPrefix(parts[5], "parameter/")
		if base, _, _ := strings.Cut(name, ":"); strings.Contains(base, "/") {
			name = "/" + name
		}
	}
	base, text, hasSel := strings.Cut(name, ":")
	if hasSel {
		if !allowSelector || text == "" || strings.Contains(text, ":") || len(text) > 128 {
			// [guess] AWS's answer to a malformed selector is not recorded.
			return "", selector{}, false, errorf(KindValidation, msgNameInvalid)
		}
		sel.text = text
		if digitsRe.MatchString(text) {
			v, perr := strconv.ParseInt(text, 10, 64)
			if perr != nil || v == 0 {
				return "", selector{}, false, errorf(KindValidation, msgNameInvalid)
			}
			sel.version = v
		}
	}
	// A read of a path without its leading slash gets the general answer,
	// not PutParameter's "fully qualified" one [obs: varlock #389].
	if !wellFormed(base) || (!strings.HasPrefix(base, "/") && strings.Contains(base, "/")) {
		return "", selector{}, false, errorf(KindValidation, msgNameInvalid)
	}
	return canonicalName(base), sel, ok, nil
}

// pathPrefix validates a GetParametersByPath path and returns the name
// prefix it selects: "" for the root "/", else the path with one trailing
// "/". Paths under the reserved /aws and /ssm are valid (AWS serves public
// parameters there); Cognate holds none, so they select nothing.
func pathPrefix(path string) (string, error) {
	path = trimName(path)
	if !strings.HasPrefix(path, "/") || !nameCharsRe.MatchString(path) || strings.Contains(path, "//") {
		return "", errorf(KindValidation, msgPathInvalid)
	}
	if path == "/" {
		return "", nil
	}
	return strings.TrimSuffix(path, "/") + "/", nil
}

// validLabel reports whether a label follows the label rules [doc]:
// letters, digits, ".", "-" and "_", at most 100 characters, not beginning
// with a digit, "aws" or "ssm" (any case).
func validLabel(l string) bool {
	if !labelRe.MatchString(l) || len(l) > 100 {
		return false
	}
	lower := strings.ToLower(l)
	return !(l[0] >= '0' && l[0] <= '9') && !strings.HasPrefix(lower, "aws") && !strings.HasPrefix(lower, "ssm")
}

// arnPrefix is the ARN of a parameter without its name.
func (s *Service) arnPrefix(region string) string {
	return "arn:aws:ssm:" + region + ":" + s.accountID + ":parameter/"
}

// ARN returns the ARN of a parameter: arn:aws:ssm:{region}:{account}:
// parameter/{name without its leading slash} [doc; emulator].
func (s *Service) ARN(region, name string) string {
	return s.arnPrefix(region) + strings.TrimPrefix(name, "/")
}

// lastModifiedUser is the LastModifiedUser of every version. AWS records
// the IAM identity that made the change; Cognate has one administrator, the
// account itself. [guess] the account's root ARN stands for it.
func (s *Service) lastModifiedUser() string {
	return fmt.Sprintf("arn:aws:iam::%s:root", s.accountID)
}

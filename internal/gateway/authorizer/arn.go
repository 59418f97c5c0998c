package authorizer

import (
	"fmt"
	"strings"
)

// pool is a user pool an authorizer names.
type pool struct{ region, id string }

// awsIssuer is real Cognito's iss for the pool.
func (p pool) awsIssuer() string {
	return "https://cognito-idp." + p.region + ".amazonaws.com/" + p.id
}

// parseARN reads arn:{partition}:cognito-idp:{region}:{account}:userpool/{poolId}.
// It runs on every authorized request, so it cuts the string in place
// rather than splitting it into a slice.
func parseARN(arn string) (pool, error) {
	bad := func() (pool, error) {
		return pool{}, fmt.Errorf("authorizer: provider %q is not a user pool ARN", arn)
	}
	prefix, rest, ok1 := strings.Cut(arn, ":")
	_, rest, ok2 := strings.Cut(rest, ":") // partition
	service, rest, ok3 := strings.Cut(rest, ":")
	region, rest, ok4 := strings.Cut(rest, ":")
	_, resource, ok5 := strings.Cut(rest, ":") // account
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || prefix != "arn" || service != "cognito-idp" || region == "" {
		return bad()
	}
	id, ok := strings.CutPrefix(resource, "userpool/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return bad()
	}
	return pool{region: region, id: id}, nil
}

// poolOf returns the pool of the authorizer's providers that iss names by
// its last path segment; the caller then checks iss in full against that
// pool's issuers. ok is false when no provider is that pool. A provider
// that is not a user pool ARN is a configuration error.
func poolOf(providers []string, iss string) (p pool, ok bool, err error) {
	if len(providers) == 0 {
		return pool{}, false, fmt.Errorf("authorizer: no provider ARNs configured")
	}
	i := strings.LastIndexByte(iss, '/')
	if i < 0 {
		return pool{}, false, nil
	}
	id := iss[i+1:]
	for _, arn := range providers {
		// Cheap filter first: the ARN ends with the pool id.
		if !strings.HasSuffix(arn, "/"+id) {
			continue
		}
		p, err := parseARN(arn)
		if err != nil {
			return pool{}, false, err
		}
		if p.id == id {
			return p, true, nil
		}
	}
	return pool{}, false, nil
}

package apigw

import (
	"crypto/rand"
	"regexp"
)

const lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"

// randomID returns n characters of [a-z0-9] from crypto/rand.
func randomID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("apigw: crypto/rand failed: " + err.Error())
	}
	for i := range b {
		// 256 = 7·36 + 4: the bias is below 2% and ids are not secrets.
		b[i] = lowerAlnum[int(b[i])%len(lowerAlnum)]
	}
	return string(b)
}

// newAPIID returns a REST API id: 10 characters of [a-z0-9], as API
// Gateway makes them (e.g. "a1b2c3d4e5") [obs]. The root resource id has
// the same form [obs].
func newAPIID() string { return randomID(10) }

// newShortID returns a resource, authorizer, request validator, gateway
// response or deployment id: 6 characters of [a-z0-9] (e.g. "abc123")
// [obs; gateway responses: guess, by analogy with the others].
func newShortID() string { return randomID(6) }

// NewAPIID returns a new REST API id, for a caller that chooses the id
// before creating the API (the stack engine journals it first).
func NewAPIID() string { return newAPIID() }

// NewDeploymentID returns a new deployment id, for a caller that chooses
// the id before creating the deployment.
func NewDeploymentID() string { return newShortID() }

// NewPartID returns a new id in the form of resource, authorizer, request
// validator and gateway response ids, for a caller that chooses a part's
// id before adding it (the stack engine journals it first).
func NewPartID() string { return newShortID() }

var (
	apiIDRe   = regexp.MustCompile(`^[a-z0-9]{10}$`)
	shortIDRe = regexp.MustCompile(`^[a-z0-9]{6}$`)
	// stageNameRe: "Stage names can contain only alphanumeric characters,
	// hyphens, and underscores. Maximum length is 128 characters." [doc]
	stageNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	// stageVarNameRe and stageVarValueRe are the stage variable rules
	// [doc]: names [A-Za-z0-9_]+, values [A-Za-z0-9-._~:/?#&=,]+ (an
	// empty value is allowed [guess]).
	stageVarNameRe  = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
	stageVarValueRe = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#&=,]{0,512}$`)
	// functionNameRe is Lambda's function name rule for a plain name
	// [doc]: letters, digits, hyphens and underscores, 1 to 64 of them.
	functionNameRe = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
)

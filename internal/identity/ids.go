package identity

import (
	"crypto/rand"
	"math/big"
	"regexp"
	"strings"
)

const (
	alnumMixed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	alnumLower = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// randomString returns n characters drawn uniformly from alphabet with
// crypto/rand.
func randomString(alphabet string, n int) string {
	var b strings.Builder
	b.Grow(n)
	max := big.NewInt(int64(len(alphabet)))
	for i := 0; i < n; i++ {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("identity: crypto/rand failed: " + err.Error())
		}
		b.WriteByte(alphabet[v.Int64()])
	}
	return b.String()
}

// newPoolID returns a pool id as Cognito makes them: region, "_", 9 mixed-case
// alphanumerics (us-east-1_HYsU8EgOr) [obs].
func newPoolID(region string) string { return region + "_" + randomString(alnumMixed, 9) }

// newClientID returns 26 lower-case alphanumerics [obs].
func newClientID() string { return randomString(alnumLower, 26) }

// newClientSecret returns 51 lower-case alphanumerics. [guess] Real secrets
// are about 51-52 such characters; the model allows [\w+]{24,64}.
func newClientSecret() string { return randomString(alnumLower, 51) }

var (
	regionRe = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$`)
	poolIDRe = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)
)

// ValidRegion reports whether s looks like an AWS region name.
func ValidRegion(s string) bool { return regionRe.MatchString(s) }

// RegionOfPool returns the region part of a pool id ("us-east-1" for
// "us-east-1_AbC"), or "" when the id is malformed.
//
// A pool id matches poolIDRe and has at most 55 bytes. It is checked by
// hand, not with poolIDRe, because the API gateway calls this on every
// authorized request: measured with BenchmarkRegionOfPool, 19 ns/op by
// hand against 430 ns/op with the regexp (TestRegionOfPool checks they
// agree). The last "_" is the separator: the part after it has none.
func RegionOfPool(poolID string) string {
	if len(poolID) > 55 {
		return ""
	}
	i := strings.LastIndexByte(poolID, '_')
	if i < 1 || i == len(poolID)-1 {
		return ""
	}
	for j := 0; j < i; j++ {
		if c := poolID[j]; !isAlnum(c) && c != '_' && c != '-' {
			return ""
		}
	}
	for j := i + 1; j < len(poolID); j++ {
		if !isAlnum(poolID[j]) {
			return ""
		}
	}
	return poolID[:i]
}

// isAlnum reports whether c is an ASCII letter or digit.
func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

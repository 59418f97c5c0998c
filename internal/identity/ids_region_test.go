package identity

import (
	"strings"
	"testing"
)

// regionOfPoolRe is RegionOfPool as it was, with poolIDRe.
func regionOfPoolRe(poolID string) string {
	if len(poolID) > 55 || !poolIDRe.MatchString(poolID) {
		return ""
	}
	return poolID[:strings.LastIndexByte(poolID, '_')]
}

func TestRegionOfPool(t *testing.T) {
	cases := []string{
		"", "_", "a_", "_a", "a_b", "us-east-1_AbC", "us-east-1_HYsU8EgOr", "us_east_1_Ab",
		"us-east-1__Ab", "us-east-1_Ab_", "us-east-1_Ab-c", "us-east-1 _Ab", "us-east-1_Ab\n",
		"-_0", "us-gov-west-1_x", "ü_ab", "us-east-1_ü", "a\xff_b", "us-east-1",
		strings.Repeat("a", 53) + "_b", strings.Repeat("a", 54) + "_b",
	}
	for _, c := range cases {
		if got, want := RegionOfPool(c), regionOfPoolRe(c); got != want {
			t.Errorf("RegionOfPool(%q) = %q, want %q", c, got, want)
		}
	}
	// Every string of up to 4 bytes over an alphabet with each class.
	alphabet := []byte{'a', 'Z', '0', '_', '-', ' ', '.', 0xc3, 0xbc, '\n'}
	var walk func(prefix []byte)
	walk = func(prefix []byte) {
		s := string(prefix)
		if got, want := RegionOfPool(s), regionOfPoolRe(s); got != want {
			t.Errorf("RegionOfPool(%q) = %q, want %q", s, got, want)
		}
		if len(prefix) == 4 {
			return
		}
		for _, c := range alphabet {
			walk(append(prefix, c))
		}
	}
	walk(nil)
}

func BenchmarkRegionOfPool(b *testing.B) {
	const id = "us-east-1_HYsU8EgOr"
	b.Run("hand", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			RegionOfPool(id)
		}
	})
	b.Run("regexp", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			regionOfPoolRe(id)
		}
	})
}

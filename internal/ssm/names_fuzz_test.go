package ssm

import (
	"strings"
	"testing"
)

// FuzzNames feeds arbitrary names to the name rules. None may panic; a
// name PutParameter accepts must read back as itself, be well formed and
// within the level limit; a path GetParametersByPath accepts selects a
// prefix that is the root or ends with "/". Seeds live in
// testdata/fuzz/FuzzNames.
func FuzzNames(f *testing.F) {
	for _, s := range []string{"/a/b/c", "plain", "/root", " /x ", "a/b", "/aws/x", "ssm", "/a//b", "/a:3",
		"arn:aws:ssm:us-east-1:123456789012:parameter/a/b:prod", "/" + strings.Repeat("l/", 15) + "x", "/é"} {
		f.Add(s)
	}
	s := New(Config{AccountID: testAccount})
	f.Fuzz(func(t *testing.T, name string) {
		if canon, err := s.checkPutName(testRegion, name); err == nil {
			if !wellFormed(canon) || levels(canon) > MaxHierarchyLevels || canonicalName(canon) != canon {
				t.Fatalf("checkPutName(%q) accepted %q", name, canon)
			}
			got, sel, ok, err := s.parseGetName(testRegion, canon, true)
			if err != nil || !ok || got != canon || sel.text != "" {
				t.Fatalf("parseGetName(%q) = %q, %+v, %v, %v; want the name back", canon, got, sel, ok, err)
			}
			if !strings.HasPrefix(canon, "/") && strings.Contains(canon, "/") {
				t.Fatalf("checkPutName(%q) accepted a path without its leading slash: %q", name, canon)
			}
		} else if KindOf(err) == KindInternal {
			t.Fatalf("checkPutName(%q): %v", name, err)
		}
		if got, _, _, err := s.parseGetName(testRegion, name, true); err == nil && !wellFormed(got) {
			t.Fatalf("parseGetName(%q) accepted %q", name, got)
		}
		if prefix, err := pathPrefix(name); err == nil && prefix != "" && !strings.HasSuffix(prefix, "/") {
			t.Fatalf("pathPrefix(%q) = %q", name, prefix)
		}
	})
}

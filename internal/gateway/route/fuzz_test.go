package route

import (
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

// FuzzMatch checks, for any method and path, that Match does not panic,
// ignores trailing slashes, and returns parameters that rebuild the path
// from the resource's template.
func FuzzMatch(f *testing.F) {
	for _, s := range []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/pets/42"}, {"PATCH", "/files/a//b/"}, {"GET", "//"},
		{"POST", "/pets/mine"}, {"GET", "/a/b/d"}, {"GET", "/static/x/info"}, {"GET", ""},
	} {
		f.Add(s.method, s.path)
	}
	tab := New(testAPI(petstore))
	f.Fuzz(func(t *testing.T, method, path string) {
		m, ok := tab.Match(method, path)
		if !strings.HasPrefix(path, "/") {
			if ok {
				t.Fatalf("%s %q matched a path without a leading slash", method, path)
			}
			return
		}
		again, ok2 := tab.Match(method, path+"/")
		if ok != ok2 || (ok && again.Resource != m.Resource) {
			t.Fatalf("%s %q and its trailing-slash twin match differently", method, path)
		}
		if !ok {
			return
		}
		if m.Method == nil || m.Resource == nil {
			t.Fatalf("%s %q matched without a resource or method", method, path)
		}
		want := path
		for len(want) > 1 && strings.HasSuffix(want, "/") {
			want = want[:len(want)-1]
		}
		if got := rebuild(t, m); got != want {
			t.Fatalf("%s %q matched %s with %v, which rebuilds %q", method, path, m.Resource.Path, m.PathParams, got)
		}
	})
}

// rebuild substitutes a match's parameters into its resource template.
func rebuild(t *testing.T, m Match) string {
	segs, err := apimodel.ParsePath(m.Resource.Path)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) == 0 {
		return "/"
	}
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		if s.Kind == apimodel.SegmentLiteral {
			b.WriteString(s.Text)
		} else {
			b.WriteString(m.PathParams[s.Text])
		}
	}
	return b.String()
}

package sam

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// FuzzTransform checks that Transform never panics, returns either a
// template or an ErrorList, and never modifies its input. Seeds: every
// testdata template (golden and error cases) plus the committed corpus in
// testdata/fuzz/FuzzTransform.
func FuzzTransform(f *testing.F) {
	for _, pattern := range []string{"testdata/*.yaml", "testdata/errors/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	snippet, err := os.ReadFile("testdata/include/openapi.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		tpl, err := template.Read(src)
		if err != nil {
			return
		}
		before := tpl.Root.String()
		load := func(loc string) ([]byte, error) {
			if loc == "self.yaml" {
				return src, nil // an include that includes itself
			}
			return snippet, nil
		}
		out, err := Transform(tpl, Options{Load: load})
		if err != nil {
			var list template.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v is not a non-empty ErrorList", err)
			}
		} else if out == nil || out.Root == nil {
			t.Fatal("no template and no error")
		} else if _, err := out.Root.MarshalJSON(); err != nil {
			t.Fatalf("output does not marshal: %v", err)
		}
		if tpl.Root.String() != before {
			t.Fatal("Transform modified its input")
		}
	})
}

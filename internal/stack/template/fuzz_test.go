package template

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzReadTemplate feeds the reader arbitrary bytes. It must never panic;
// a tree it returns must carry a position on every node, write itself as
// valid JSON, and read back from that JSON as the same tree. The seeds are
// the test corpus plus testdata/fuzz/FuzzReadTemplate.
func FuzzReadTemplate(f *testing.F) {
	for _, dir := range []string{"templates", "compat", "errors"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.*"))
		for _, file := range files {
			if filepath.Ext(file) == ".golden" {
				continue
			}
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		n, _, err := ReadValue(src)
		if err != nil {
			if _, ok := err.(ErrorList); !ok {
				t.Fatalf("error %T is not an ErrorList: %v", err, err)
			}
			return
		}
		checkPositions(t, n, "")
		out, _ := n.MarshalJSON()
		if !json.Valid(out) {
			t.Fatalf("invalid JSON %q", out)
		}
		if utf8.Valid(src) {
			back, _, err := ReadValue(out)
			if err != nil {
				t.Fatalf("reading back %s: %v", out, err)
			}
			if !Equal(n, back) {
				t.Fatalf("round trip changed the tree:\n%s\n%s", n, back)
			}
		}
		if tmpl, err := Read(src); err == nil {
			_ = tmpl.Check()
			_ = tmpl.Transforms()
		}
	})
}

func checkPositions(t *testing.T, n *Node, path string) {
	if !n.Pos.IsValid() {
		t.Fatalf("%s: node %s has no position", path, n)
	}
	for i, it := range n.Items {
		checkPositions(t, it, IndexPath(path, i))
	}
	for _, f := range n.Fields {
		checkPositions(t, f.Value, JoinPath(path, f.Key))
	}
}

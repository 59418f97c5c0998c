package sam

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/stack/template"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testTemplates lists the SAM templates under testdata.
func testTemplates(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata templates: %v", err)
	}
	return files
}

// transformFile reads and transforms one template file.
func transformFile(t *testing.T, file string) *template.Template {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Read(src)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	out, err := Transform(tpl, Options{Load: DirLoader(filepath.Dir(file))})
	if err != nil {
		t.Fatalf("transform: %v", err)
	}
	return out
}

func indentJSON(t *testing.T, n *template.Node) []byte {
	t.Helper()
	raw, err := n.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		t.Fatal(err)
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// TestGolden transforms every testdata/*.yaml and compares the result with
// its .golden.json twin. go test -update rewrites them.
func TestGolden(t *testing.T) {
	for _, file := range testTemplates(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			got := indentJSON(t, transformFile(t, file).Root)
			golden := strings.TrimSuffix(file, ".yaml") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run go test -update to accept):\n%s", file, golden, got)
			}
		})
	}
}

package template

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden reads every file of testdata/templates, testdata/compat and
// testdata/errors and compares what the reader makes of it, as indented
// JSON, or the problems it reports (the template's anatomy included),
// with the file's .golden twin. go test -update rewrites them.
func TestGolden(t *testing.T) {
	var files []string
	for _, dir := range []string{"templates", "compat", "errors"} {
		for _, ext := range []string{"yaml", "json"} {
			m, _ := filepath.Glob(filepath.Join("testdata", dir, "*."+ext))
			files = append(files, m...)
		}
	}
	if len(files) == 0 {
		t.Fatal("no test files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := describeRead(src)
			golden := strings.TrimSuffix(file, filepath.Ext(file)) + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", file, golden, got, want)
			}
		})
	}
}

// describeRead returns what the golden files hold for src: the tree as
// indented JSON, or one problem per line. A document with a Resources
// section is a template and its anatomy is checked too.
func describeRead(src []byte) string {
	n, format, err := ReadValue(src)
	if err != nil {
		return "format: " + format.String() + "\nerror: " + strings.ReplaceAll(err.Error(), "\n", "\nerror: ") + "\n"
	}
	var out bytes.Buffer
	out.WriteString("format: " + format.String() + "\n")
	if n.Kind == Mapping && n.Get(SectionResources) != nil {
		tmpl := &Template{Root: n, Format: format}
		for _, e := range tmpl.Check() {
			out.WriteString("check: " + e.Error() + "\n")
		}
	}
	b, _ := n.MarshalJSON()
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return "bad JSON: " + err.Error()
	}
	out.WriteString("\n")
	return out.String()
}

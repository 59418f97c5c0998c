package template

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// knownDifferences are corpus files where this reader and cfn-lint's
// loader disagree on purpose, with the reason. The test checks they still
// differ, so a list entry that stops being true is noticed.
var knownDifferences = map[string]string{
	// PyYAML rejects a surrogate pair in a \u escape, and cfn-lint falls
	// back to its JSON reader only for other errors; JSON allows it and
	// CloudFormation reads it.
	"surrogate.json": "cfn-lint cannot load JSON with \\ud83d\\ude00 escapes",
}

// TestReaderMatchesCfnLint loads every corpus template with cfn-lint's
// loader (testdata/cfnload.py) and with Read, and compares the two as
// JSON values. cfn-lint's cfn_yaml loader is the reference for how tags
// and YAML 1.1 scalars read. Without python3 and cfn-lint the test skips,
// except under CI=true where it fails.
func TestReaderMatchesCfnLint(t *testing.T) {
	if err := exec.Command("python3", "-c", "import cfnlint").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs python3 with cfn-lint for this test: %v", err)
		}
		t.Skipf("python3 with cfn-lint not available: %v", err)
	}
	var files []string
	for _, pattern := range []string{"templates/*.yaml", "templates/*.json", "compat/*.yaml", "compat/*.json"} {
		m, _ := filepath.Glob(filepath.Join("testdata", pattern))
		files = append(files, m...)
	}
	out, err := exec.Command("python3", append([]string{filepath.Join("testdata", "cfnload.py")}, files...)...).Output()
	if err != nil {
		t.Fatalf("cfnload.py: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var want map[string]any
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("cfnload.py output: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			n, _, err := ReadValue(src)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			w := want[file]
			var diffs []string
			if m, ok := w.(map[string]any); ok && m["__error__"] != nil {
				diffs = []string{fmt.Sprintf("cfn-lint could not load it: %v", m["__error__"])}
			} else {
				diffs = compare("", n.Interface(), w)
			}
			if reason, known := knownDifferences[filepath.Base(file)]; known {
				if len(diffs) == 0 {
					t.Errorf("listed as a known difference (%s) but the readers agree", reason)
				}
				t.Logf("known difference: %s", reason)
				return
			}
			for _, d := range diffs {
				t.Error(d)
			}
		})
	}
}

// compare lists where got and want differ. Numbers compare by value, and
// object keys in any order.
func compare(path string, got, want any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %#v, cfn-lint %#v", path, got, want)}
		}
		var diffs []string
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			gv, gok := g[k]
			wv, wok := w[k]
			if gok != wok {
				diffs = append(diffs, fmt.Sprintf("%s/%s: present here %v, in cfn-lint %v", path, k, gok, wok))
				continue
			}
			diffs = append(diffs, compare(path+"/"+k, gv, wv)...)
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: got %#v, cfn-lint %#v", path, got, want)}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, compare(fmt.Sprintf("%s/%d", path, i), g[i], w[i])...)
		}
		return diffs
	case json.Number:
		g, ok := got.(json.Number)
		if ok && sameNumber(string(g), string(w)) {
			return nil
		}
		return []string{fmt.Sprintf("%s: got %#v, cfn-lint %#v", path, got, want)}
	default:
		if !reflect.DeepEqual(got, want) {
			return []string{fmt.Sprintf("%s: got %#v, cfn-lint %#v", path, got, want)}
		}
		return nil
	}
}

func sameNumber(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	if ok1 && ok2 {
		return x.Cmp(y) == 0
	}
	return strings.EqualFold(a, b)
}

package sam

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// needPython skips the test when python3 cannot import module, or fails it
// under CI=true, where every tool must be installed.
func needPython(t *testing.T, module string) {
	t.Helper()
	if err := exec.Command("python3", "-c", "import "+module).Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3 with %s is required under CI: %v", module, err)
		}
		t.Skipf("python3 with %s not available: %v", module, err)
	}
}

// TestOracle runs aws-sam-translator (testdata/sam_oracle.py) on every
// testdata template and compares its whole output with Transform's, after
// normalising the two documented differences: the Deployment hash and
// parameter Refs that the offline translator replaces by their Default.
func TestOracle(t *testing.T) {
	needPython(t, "samtranslator")
	needPython(t, "cfnlint")
	for _, file := range testTemplates(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command("python3", "testdata/sam_oracle.py", file).Output()
			if err != nil {
				t.Fatalf("sam_oracle.py: %v", err)
			}
			want, _, err := template.ReadValue(out)
			if err != nil {
				t.Fatalf("oracle output: %v", err)
			}
			if e := want.Get("error"); e != nil {
				t.Fatalf("aws-sam-translator rejects %s: %s", file, e)
			}
			got := transformFile(t, file).Root
			substituteParameterDefaults(got)
			gotN, wantN := normalise(t, got), normalise(t, want)
			compareResources(t, gotN, wantN)
			if !template.Equal(gotN, wantN) {
				t.Errorf("whole template differs from aws-sam-translator's")
			}
		})
	}
}

// TestLint runs cfn-lint on every testdata template.
func TestLint(t *testing.T) {
	needPython(t, "cfnlint")
	for _, file := range testTemplates(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command("python3", "-c", "import sys; from cfnlint.runner import main; sys.exit(main())", file).CombinedOutput()
			if err != nil {
				t.Errorf("cfn-lint %s: %v\n%s", file, err, out)
			}
		})
	}
}

var (
	deploymentID   = regexp.MustCompile(`(Deployment)[0-9a-f]{10}\b`)
	deploymentDesc = regexp.MustCompile(`RestApi deployment id: [0-9a-f]{40}`)
)

// normalise replaces Deployment hashes with a fixed marker.
func normalise(t *testing.T, n *template.Node) *template.Node {
	t.Helper()
	raw, err := n.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	raw = deploymentID.ReplaceAll(raw, []byte("${1}HASH"))
	raw = deploymentDesc.ReplaceAll(raw, []byte("RestApi deployment id: HASH"))
	v, _, err := template.ReadValue(raw)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// substituteParameterDefaults does what the offline translator does to
// authorizer providerARNs: a Ref to a parameter with a Default becomes the
// Default. Cognate keeps the Ref for the evaluator.
func substituteParameterDefaults(root *template.Node) {
	params := root.Get("Parameters")
	res := root.Get("Resources")
	if params == nil || res == nil {
		return
	}
	for _, r := range res.Fields {
		defs := r.Value.Get("Properties").Get("Body").Get("securityDefinitions")
		if defs == nil {
			continue
		}
		for _, d := range defs.Fields {
			arns := d.Value.Get("x-amazon-apigateway-authorizer").Get("providerARNs")
			if arns == nil {
				continue
			}
			for i, it := range arns.Items {
				if id, ok := refTarget(it); ok {
					if def := params.Get(id).Get("Default"); def != nil {
						arns.Items[i] = def
					}
				}
			}
		}
	}
}

// compareResources reports, resource by resource, what differs.
func compareResources(t *testing.T, got, want *template.Node) {
	t.Helper()
	g, w := got.Get("Resources"), want.Get("Resources")
	gk, wk := g.Keys(), w.Keys()
	slices.Sort(gk)
	slices.Sort(wk)
	if !slices.Equal(gk, wk) {
		t.Errorf("logical ids differ:\n got  %v\n want %v", gk, wk)
	}
	for _, id := range wk {
		gr, wr := g.Get(id), w.Get(id)
		if gr == nil || template.Equal(gr, wr) {
			continue
		}
		t.Errorf("resource %s differs:\n got  %s\n want %s", id, pretty(gr), pretty(wr))
	}
}

func pretty(n *template.Node) string {
	raw, _ := json.Marshal(n.Interface())
	var b bytes.Buffer
	_ = json.Indent(&b, raw, "      ", " ")
	return b.String()
}

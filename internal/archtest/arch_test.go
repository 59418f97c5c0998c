package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/cognatehq/cognate/"

// allowed lists, for each Cognate package, the Cognate packages it may
// import (short names, without the module prefix). A package missing here
// fails the test, so a new package must be placed in the layering
// deliberately. Keep in step with docs/ARCHITECTURE.md.
var allowed = map[string][]string{
	"cmd/cognate":  {"*"},
	"internal/app": {"*"},

	"internal/config":    {},
	"internal/server":    {"internal/requestid"},
	"internal/oauth":     {"internal/identity", "internal/token", "internal/requestid"},
	"internal/awsapi":    {"internal/identity", "internal/ssm", "internal/sigv4", "internal/requestid", "internal/stack", "internal/stack/template"},
	"internal/identity":  {"internal/store", "internal/sealer", "internal/token"},
	"internal/ssm":       {"internal/store", "internal/sealer"},
	"internal/logging":   {"internal/requestid"},
	"internal/store":     {},
	"internal/token":     {},
	"internal/sigv4":     {},
	"internal/sealer":    {},
	"internal/requestid": {},
	"internal/archtest":  {},
	"internal/profiling": {},

	"internal/store/sqlstore":  {"internal/store"},
	"internal/store/storetest": {"internal/store"},

	"internal/stack/template":  {},
	"internal/stack/intrinsic": {"internal/stack/template"},
	"internal/stack/sam":       {"internal/stack/template", "internal/stack/intrinsic"},
	"internal/stack":           {"internal/store", "internal/sealer", "internal/stack/template", "internal/stack/intrinsic"},
	"internal/stack/provider":  {"internal/stack", "internal/stack/template", "internal/identity", "internal/ssm", "internal/apigw", "internal/gateway/apimodel"},

	// Test-only: deploys the SAM example through the transform.
	"internal/stack/samexample": {},

	// The gateway: leaves that compile and check an API definition, the
	// apigw domain that keeps REST APIs, deployments, stages and
	// functions, and the HTTP adapter that serves them.
	"internal/gateway/apimodel":   {},
	"internal/gateway/route":      {"internal/gateway/apimodel"},
	"internal/gateway/authorizer": {"internal/token"},
	"internal/gateway/respond":    {"internal/gateway/apimodel", "internal/gateway/jsontext"},
	"internal/gateway/validate":   {"internal/gateway/apimodel", "internal/gateway/jsontext"},
	"internal/gateway/jsontext":   {},
	"internal/gateway/upstream":   {},
	"internal/apigw":              {"internal/store", "internal/gateway/apimodel"},
	"internal/gateway":            {"internal/apigw", "internal/identity", "internal/gateway/apimodel", "internal/gateway/route", "internal/gateway/authorizer", "internal/gateway/respond", "internal/gateway/validate", "internal/gateway/upstream", "internal/requestid", "internal/token"},
}

// forbiddenStd lists standard packages a Cognate package may not import:
// domain and store code never speaks HTTP.
var forbiddenStd = map[string][]string{
	"internal/identity":       {"net/http"},
	"internal/ssm":            {"net/http"},
	"internal/store":          {"net/http"},
	"internal/store/sqlstore": {"net/http"},
	"internal/token":          {"net/http"},
	"internal/sealer":         {"net/http"},

	"internal/stack/template":   {"net/http"},
	"internal/stack/intrinsic":  {"net/http"},
	"internal/stack/sam":        {"net/http"},
	"internal/stack":            {"net/http"},
	"internal/stack/provider":   {"net/http"},
	"internal/apigw":            {"net/http"},
	"internal/gateway/apimodel": {"net/http"},
}

// bench/ holds stand-alone tools; they may import anything.
func exempt(pkg string) bool { return strings.HasPrefix(pkg, "bench/") }

func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		if exempt(pkg) {
			continue
		}
		rules, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s is not placed in the layering: add it to allowed in internal/archtest and to docs/ARCHITECTURE.md", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			for _, bad := range forbiddenStd[pkg] {
				if imp == bad {
					t.Errorf("%s imports %s: domain and store packages must not speak HTTP", pkg, imp)
				}
			}
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			if !permits(rules, dep) {
				t.Errorf("%s imports %s, against the dependency direction (allowed: %v); see docs/ARCHITECTURE.md", pkg, dep, rules)
			}
		}
	}
}

func permits(rules []string, dep string) bool {
	for _, r := range rules {
		if r == "*" || r == dep {
			return true
		}
	}
	return false
}

package stack_test

import (
	"os/exec"
	"testing"
)

// TestTemplatesPassCfnLint runs cfn-lint, when installed, over the example
// and test templates.
func TestTemplatesPassCfnLint(t *testing.T) {
	if testing.Short() {
		t.Skip("cfn-lint takes seconds")
	}
	if _, err := exec.LookPath("cfn-lint"); err != nil {
		t.Skip("cfn-lint is not installed")
	}
	out, err := exec.Command("cfn-lint", "../../examples/auth/template.yaml", "../../examples/echo-api/template.yaml",
		"testdata/echo-api-cfn.yaml").CombinedOutput()
	if err != nil {
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}

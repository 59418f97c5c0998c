package apimodel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCompile compiles arbitrary bytes as an OpenAPI body: Compile must
// not panic, and what it accepts must hold together.
func FuzzCompile(f *testing.F) {
	for _, file := range []string{"testdata/oas3.json", "testdata/swagger.json"} {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte(`{"swagger":"2.0","paths":{"/{proxy+}":{"x-amazon-apigateway-any-method":{"x-amazon-apigateway-integration":{"type":"mock"}}}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkCompiled(t, Definition{Body: body, RootResourceID: "root"})
	})
}

// FuzzCompileDefinition compiles arbitrary bytes as a whole Definition
// (body and parts).
func FuzzCompileDefinition(f *testing.F) {
	raw, err := os.ReadFile("testdata/parts.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte(`{"rootResourceId":"r","parts":[{"kind":"AWS::ApiGateway::Resource","id":"a","properties":{"ParentId":"a","PathPart":"x"}}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var def Definition
		if json.Unmarshal(raw, &def) != nil {
			return
		}
		checkCompiled(t, def)
	})
}

// checkCompiled compiles def and checks the invariants of a compiled API.
func checkCompiled(t *testing.T, def Definition) {
	api, err := Compile(def)
	if err != nil {
		return
	}
	seen := map[string]bool{}
	for _, r := range api.Resources {
		if _, err := ParsePath(r.Path); err != nil {
			t.Fatalf("compiled resource with a bad path: %v", err)
		}
		if seen[r.Path] {
			t.Fatalf("resource %s appears twice", r.Path)
		}
		seen[r.Path] = true
		for verb, m := range r.Methods {
			if m.HTTPMethod != verb {
				t.Fatalf("method %s filed under %s", m.HTTPMethod, verb)
			}
			if _, ok := integrationTypes[lowerASCII(m.Integration.Type)]; !ok {
				t.Fatalf("%s %s: integration type %q", verb, r.Path, m.Integration.Type)
			}
			if (m.Authorization == AuthCognito || m.Authorization == AuthCustom) && m.Authorizer == nil {
				t.Fatalf("%s %s: %s without an authorizer", verb, r.Path, m.Authorization)
			}
			for ct, s := range m.BodySchemas {
				if !json.Valid(s) {
					t.Fatalf("%s %s: body schema for %s is not JSON: %s", verb, r.Path, ct, s)
				}
			}
		}
	}
	if !seen["/"] {
		t.Fatalf("no root resource")
	}
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestFuzzSeedsFromSAM keeps the SAM goldens' bodies compiling through
// the fuzz invariants too.
func TestFuzzSeedsFromSAM(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samTestdata, "*.golden.json"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, def := range restAPIs(t, raw) {
			checkCompiled(t, def)
		}
	}
}

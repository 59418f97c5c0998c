package intrinsic

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// FuzzEvaluate reads arbitrary bytes as a template value and evaluates
// it, with and without the language extensions, as a value and as a
// Conditions section, and extracts its references. Nothing may panic; a
// result without problems must hold no function calls and write valid
// JSON. The seeds are the corpus templates, expressions from the table
// tests' shapes, and testdata/fuzz/FuzzEvaluate.
func FuzzEvaluate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpus, "*.*"))
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
	for _, s := range []string{
		`!Sub "arn:${AWS::Partition}:s3:::${Bucket}/${Env}-${!Lit}-${Pool.Arn}"`,
		`!Join ["-", [a, !Ref Env, !Select [1, !Split [",", "a,b,c"]]]]`,
		`!If [IsProd, {A: !Ref AWS::NoValue}, [!Ref AWS::NoValue]]`,
		`!Cidr [!GetAtt Vpc.CidrBlock, 6, 5]`,
		`!Cidr ["2001:db8::/56", 256, 64]`,
		`!FindInMap [RegionMap, !Ref "AWS::Region", Zones, {DefaultValue: [x]}]`,
		`!ToJsonString {a: !Length [1, 2], b: !Base64 x, c: !GetAZs ""}`,
		`{A: !And [!Condition IsProd, !Not [!Equals [a, b]]], B: !Or [true, false]}`,
		`!ImportValue {"Fn::Sub": "${Env}-x"}`,
		`{Ref: {"Fn::Sub": "Po${Empty}ol"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		n, _, err := template.ReadValue(src)
		if err != nil {
			return
		}
		ctx := testContext(t)
		for _, opts := range []Options{{}, {LanguageExtensions: true}} {
			v, errs := New(ctx, opts).Eval(n, "V")
			if len(errs) > 0 {
				if v != nil {
					t.Fatalf("a result alongside problems: %s", v)
				}
				continue
			}
			if fn := findCall(v); fn != "" {
				t.Fatalf("%s left in the result %s", fn, v)
			}
			if out, _ := v.MarshalJSON(); !json.Valid(out) {
				t.Fatalf("invalid JSON %q", out)
			}
		}
		if n.Kind == template.Mapping {
			_, _ = EvalConditions(n, ctx, Options{})
		}
		_ = References(n, "", nil)
	})
}

// findCall returns the name of a function call left in n.
func findCall(n *template.Node) string {
	if n == nil {
		return ""
	}
	if name, _, ok := n.Intrinsic(); ok && name != "Condition" {
		return name
	}
	for _, it := range n.Items {
		if s := findCall(it); s != "" {
			return s
		}
	}
	for _, f := range n.Fields {
		if f.Key == "Ref" || strings.HasPrefix(f.Key, "Fn::") {
			return f.Key
		}
		if s := findCall(f.Value); s != "" {
			return s
		}
	}
	return ""
}

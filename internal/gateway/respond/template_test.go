package respond

import (
	"strings"
	"testing"
)

// testLookup knows a few paths, written as dotted keys.
func testLookup(path []string) (string, bool) {
	known := map[string]string{
		"context.stage":                              "prod",
		"context.requestId":                          "req-1",
		"context.error.messageString":                `"Unauthorized"`,
		"context.authorizer.claims.cognito:username": "alice",
		"context.authorizer.claims.sub":              "u-1",
		"stageVariables.env":                         "dev",
		"context":                                    "CTX",
	}
	v, ok := known[strings.Join(path, ".")]
	return v, ok
}

func TestRenderTemplate(t *testing.T) {
	tests := []struct {
		name, tmpl, want string
	}{
		{"plain text", `{"a":1}`, `{"a":1}`},
		{"simple", `{"message":$context.error.messageString}`, `{"message":"Unauthorized"}`},
		{"braced", `${context.stage}-x`, `prod-x`},
		{"quiet", `$!context.stage $!{context.requestId}`, `prod req-1`},
		{"bracket single quotes", `$context.authorizer.claims['cognito:username']`, `alice`},
		{"bracket double quotes", `$context.authorizer.claims["cognito:username"]!`, `alice!`},
		{"braced bracket", `${context.authorizer.claims['cognito:username']}`, `alice`},
		{"claims dot", `$context.authorizer.claims.sub`, `u-1`},
		{"stage variable", `"$stageVariables.env"`, `"dev"`},
		{"unknown renders empty", `[$context.nope]`, `[]`},
		{"unknown quiet renders empty", `[$!{nope}]`, `[]`},
		{"trailing dot stays", `$context.stage.`, `prod.`},
		{"dot then non-name stays", `$context.stage.-`, `prod.-`},
		{"hyphen ends a name", `$context.stage-x`, `prod-x`},
		{"method call is not taken", `$context.stage.length()`, `prod.length()`},
		{"lone dollar", `cost: $ 5 $`, `cost: $ 5 $`},
		{"dollar digit", `$1`, `$1`},
		{"unterminated brace", `${context.stage`, `${context.stage`},
		{"unterminated bracket", `$context.authorizer.claims['x`, `['x`},
		{"bracket without close", `$context.stage['a'`, `prod['a'`},
		{"directives stay as text", `#if($context.stage)x#end`, `#if(prod)x#end`},
		{"set stays as text", `#set($a = 1)$a`, `#set( = 1)`},
		{"comment stays as text", `## $context.stage`, `## prod`},
		{"adjacent", `$context.stage$context.stage`, `prodprod`},
		{"unicode around", `é$context.stage€`, `éprod€`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := renderTemplate(tc.tmpl, testLookup); got != tc.want {
				t.Errorf("renderTemplate(%q) = %q, want %q", tc.tmpl, got, tc.want)
			}
		})
	}
}

func TestParseReferencePath(t *testing.T) {
	path, n := parseReference(`$context.authorizer.claims['a.b'].x rest`)
	want := []string{"context", "authorizer", "claims", "a.b", "x"}
	if strings.Join(path, "|") != strings.Join(want, "|") {
		t.Errorf("path = %q, want %q", path, want)
	}
	if n != len(`$context.authorizer.claims['a.b'].x`) {
		t.Errorf("n = %d", n)
	}
}

func FuzzRenderTemplate(f *testing.F) {
	for _, s := range []string{
		`{"message":$context.error.messageString}`,
		`${context.stage}`, `$!{x}`, `$a['b']["c"].d`, `#if($a)$b#end`, `$`, `${`, `$a[`, `$a['`,
	} {
		f.Add(s)
	}
	none := func([]string) (string, bool) { return "", false }
	f.Fuzz(func(t *testing.T, tmpl string) {
		got := renderTemplate(tmpl, none)
		if !strings.Contains(tmpl, "$") && got != tmpl {
			t.Fatalf("text without references changed: %q -> %q", tmpl, got)
		}
		// With nothing defined, rendering only ever removes references.
		if len(got) > len(tmpl) {
			t.Fatalf("output grew: %q -> %q", tmpl, got)
		}
		// Every reference that lookup is asked for must be a well-formed path.
		renderTemplate(tmpl, func(p []string) (string, bool) {
			if len(p) == 0 || p[0] == "" {
				t.Fatalf("empty path from %q", tmpl)
			}
			return "X", true
		})
	})
}

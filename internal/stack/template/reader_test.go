package template

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustRead(t *testing.T, src string) *Node {
	t.Helper()
	n, _, err := ReadValue([]byte(src))
	if err != nil {
		t.Fatalf("ReadValue(%q): %v", src, err)
	}
	return n
}

// TestShortForms checks each short-form tag becomes the long form
// CloudFormation defines.
func TestShortForms(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`!Ref Pool`, `{"Ref":"Pool"}`},
		{`!Ref 5`, `{"Ref":"5"}`},
		{`!Condition IsProd`, `{"Condition":"IsProd"}`},
		{`!GetAtt A.B`, `{"Fn::GetAtt":["A","B"]}`},
		{`!GetAtt A.B.C`, `{"Fn::GetAtt":["A","B.C"]}`},
		{`!GetAtt [A, B]`, `{"Fn::GetAtt":["A","B"]}`},
		{`!Sub "x-${A}"`, `{"Fn::Sub":"x-${A}"}`},
		{"!Sub\n  - ${A}\n  - A: 1\n", `{"Fn::Sub":["${A}",{"A":1}]}`},
		{`!Join [",", [a, !Ref B]]`, `{"Fn::Join":[",",["a",{"Ref":"B"}]]}`},
		{`!Select [0, !GetAZs ""]`, `{"Fn::Select":[0,{"Fn::GetAZs":""}]}`},
		{`!Split [",", "a,b"]`, `{"Fn::Split":[",","a,b"]}`},
		{`!If [C, a, !Ref AWS::NoValue]`, `{"Fn::If":["C","a",{"Ref":"AWS::NoValue"}]}`},
		{`!Equals [a, b]`, `{"Fn::Equals":["a","b"]}`},
		{`!And [!Condition A, !Condition B]`, `{"Fn::And":[{"Condition":"A"},{"Condition":"B"}]}`},
		{`!Or [!Condition A, !Condition B]`, `{"Fn::Or":[{"Condition":"A"},{"Condition":"B"}]}`},
		{`!Not [!Condition A]`, `{"Fn::Not":[{"Condition":"A"}]}`},
		{`!FindInMap [M, K, V]`, `{"Fn::FindInMap":["M","K","V"]}`},
		{`!Base64 abc`, `{"Fn::Base64":"abc"}`},
		{`!ImportValue net-VpcId`, `{"Fn::ImportValue":"net-VpcId"}`},
		{`!Cidr [10.0.0.0/16, 4, 8]`, `{"Fn::Cidr":["10.0.0.0/16",4,8]}`},
		{"!Transform {Name: AWS::Include, Parameters: {Location: f.yaml}}", `{"Fn::Transform":{"Name":"AWS::Include","Parameters":{"Location":"f.yaml"}}}`},
		{`!ToJsonString {a: 1}`, `{"Fn::ToJsonString":{"a":1}}`},
		{`!Length [1, 2]`, `{"Fn::Length":[1,2]}`},
	} {
		if got := mustRead(t, tc.src).String(); got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.src, got, tc.want)
		}
	}
}

// TestPositions checks nodes carry the line and column of their text, in
// YAML and in JSON, including the characters before them that are not
// ASCII.
func TestPositions(t *testing.T) {
	yamlSrc := "Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      Name: !Sub \"é-${AWS::StackName}\"\n      List: [a, \"ü\", c]\n"
	jsonSrc := "{\n  \"Resources\": {\n    \"Pool\": {\"Type\": \"AWS::Cognito::UserPool\",\n      \"Properties\": {\"Name\": {\"Fn::Sub\": \"x\"}, \"List\": [\"é\", \"ü\", 3]}}}}\n"
	for _, tc := range []struct {
		name string
		src  string
		path []string
		want Pos
	}{
		{"yaml root", yamlSrc, nil, Pos{1, 1}},
		{"yaml resource", yamlSrc, []string{"Resources", "Pool"}, Pos{3, 5}},
		{"yaml type", yamlSrc, []string{"Resources", "Pool", "Type"}, Pos{3, 11}},
		{"yaml tag", yamlSrc, []string{"Resources", "Pool", "Properties", "Name"}, Pos{5, 13}},
		{"yaml list item after non-ASCII", yamlSrc, []string{"Resources", "Pool", "Properties", "List", "2"}, Pos{6, 22}},
		{"json root", jsonSrc, nil, Pos{1, 1}},
		{"json resource", jsonSrc, []string{"Resources", "Pool"}, Pos{3, 13}},
		{"json type", jsonSrc, []string{"Resources", "Pool", "Type"}, Pos{3, 22}},
		{"json function", jsonSrc, []string{"Resources", "Pool", "Properties", "Name"}, Pos{4, 30}},
		{"json list item after non-ASCII", jsonSrc, []string{"Resources", "Pool", "Properties", "List", "2"}, Pos{4, 67}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := mustRead(t, tc.src)
			for _, p := range tc.path {
				if n.Kind == Sequence {
					n = n.Items[p[0]-'0']
				} else {
					n = n.Get(p)
				}
				if n == nil {
					t.Fatalf("no %s", p)
				}
			}
			if n.Pos != tc.want {
				t.Errorf("position %v, want %v", n.Pos, tc.want)
			}
		})
	}
	n := mustRead(t, yamlSrc)
	if f, _ := n.Get("Resources").Field("Pool"); f.KeyPos != (Pos{2, 3}) {
		t.Errorf("key position %v, want 2:3", f.KeyPos)
	}
}

// TestReadErrors checks each problem is reported with its position, and
// all problems of a document together.
func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string // Error() of each problem, in order
	}{
		{"unknown tag", "A: !Reff x\nB: !GetAttr y.z\n", []string{"1:4: A: unknown tag !Reff", "2:4: B: unknown tag !GetAttr"}},
		{"duplicate key", "A: 1\nB:\n  C: 1\n  C: 2\n", []string{`4:3: B/C: duplicate key "C" (first at line 3)`}},
		{"duplicate through YAML 1.1", "A:\n  on: 1\n  true: 2\n", []string{`3:3: A/true: duplicate key "true" (first at line 2)`}},
		{"duplicate JSON key", "{\"A\": {\"B\": 1,\n \"B\": 2}}", []string{`2:2: A/B: duplicate key "B" (first at line 1)`}},
		{"YAML syntax", "A: 1\nB: [1, 2\nC: 3\n", []string{"3:2: YAML not well-formed: did not find expected ',' or ']' (while parsing a flow sequence)"}},
		{"JSON syntax", "{\"A\": 1,\n \"B\" 2}", []string{"2:6: JSON not well-formed: invalid character '2' after object key"}},
		{"JSON truncated", "{\"A\": [1,\n", []string{"2:1: JSON not well-formed: unexpected end of input"}},
		{"JSON trailing data", "{\"A\": 1} {}", []string{"1:10: JSON not well-formed: data after the top-level value"}},
		{"unknown anchor", "A: *nope\n", []string{"1:4: YAML not well-formed: unknown anchor 'nope' referenced"}},
		{"alias cycle", "A: &a [1, *a]\n", []string{"1:11: A/1: alias *a is inside the value its anchor names"}},
		{"bad int tag", "A: !!int abc\n", []string{`1:4: A: "abc" is not a valid !!int`}},
		{"unsupported tag", "A: !!binary aGk=\n", []string{"1:4: A: unknown tag !!binary"}},
		{"bad merge", "A: &a x\nB:\n  <<: *a\n", []string{"3:7: B/<<: a merge key (<<) takes a mapping or a list of mappings, not a string"}},
		{"second document", "A: 1\n---\nB: 2\n", []string{"2:1: a template is one YAML document; found a second one"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadValue([]byte(tc.src))
			var errs ErrorList
			if !errors.As(err, &errs) {
				t.Fatalf("error %v (%T), want an ErrorList", err, err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestDifferencesFromCfnLint pins where this reader parts from cfn-lint's
// loader on purpose; the comments say what cfn-lint does and why.
func TestDifferencesFromCfnLint(t *testing.T) {
	for _, tc := range []struct{ why, src, want string }{
		// cfn-lint turns any !Tag into {"Fn::Tag": ...}; CloudFormation
		// knows only its own functions, so an unknown one is an error here.
		{"unknown tags are errors", "!Foo x", "error: 1:1: unknown tag !Foo"},
		// cfn-lint makes a datetime of a YAML timestamp and writes it back
		// reformatted; a template has no date type, so the text is kept.
		{"timestamps keep their text", "2001-12-14t21:59:43.10-05:00", `"2001-12-14t21:59:43.10-05:00"`},
		// PyYAML reads .inf and .nan as floats, which JSON cannot hold.
		{"infinity stays a string", "[.inf, -.Inf, .NaN]", `[".inf","-.Inf",".NaN"]`},
		// cfn-lint skips its duplicate check in a mapping that has a merge
		// key; its own keys given twice are still a mistake.
		{"duplicates beside a merge key", "A: &a {x: 1}\nB:\n  <<: *a\n  y: 1\n  y: 2\n", `error: 5:3: B/y: duplicate key "y" (first at line 4)`},
		// PyYAML allows a plain "-" right before a flow indicator; the
		// YAML library, like YAML 1.2, does not.
		{"a lone dash in a flow list", "[a, -, b]", "error"},
		// A document starting with "{" is read as JSON first, as the AWS
		// CLI does: JSON's 1e3 is a number, YAML 1.1's a string.
		{"JSON numbers are JSON's", `{"A": 1e3}`, `{"A":1e3}`},
	} {
		t.Run(tc.why, func(t *testing.T) {
			n, _, err := ReadValue([]byte(tc.src))
			got := ""
			if err != nil {
				got = "error: " + err.Error()
			} else {
				got = n.String()
			}
			if tc.want == "error" && strings.HasPrefix(got, "error") {
				return
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestReadTemplate(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "the template is empty"},
		{"# only a comment\n", "the template is empty"},
		{"[1]", "1:1: a template must be a JSON object or YAML mapping, not a list"},
		{"just text", "1:1: a template must be a JSON object or YAML mapping, not a string"},
	} {
		if _, err := Read([]byte(tc.src)); err == nil || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("Read(%q) = %v, want %q", tc.src, err, tc.want)
		}
	}
	// A byte order mark is skipped, and a YAML flow mapping that is not
	// JSON is still read.
	for _, src := range []string{"\xef\xbb\xbf{\"Resources\": {}}", "{Resources: {A: !Ref B}}"} {
		tmpl, err := Read([]byte(src))
		if err != nil {
			t.Fatalf("Read(%q): %v", src, err)
		}
		if tmpl.Section(SectionResources) == nil {
			t.Errorf("Read(%q): no Resources", src)
		}
	}
}

// TestTemplatesCheck reads the corpus templates and checks their anatomy
// is clean.
func TestTemplatesCheck(t *testing.T) {
	for _, name := range []string{"article-auth.yaml", "article-api.yaml", "sam-globals.yaml", "vpc.json", "language-extensions.yaml"} {
		src, err := os.ReadFile(filepath.Join("testdata", "templates", name))
		if err != nil {
			t.Fatal(err)
		}
		tmpl, err := Read(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if errs := tmpl.Check(); len(errs) > 0 {
			t.Errorf("%s: %v", name, errs)
		}
	}
	tmpl, _ := Read([]byte("Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources: {A: {Type: X}}"))
	if !tmpl.HasTransform(TransformServerless) || !tmpl.HasTransform(TransformLanguageExtensions) || tmpl.HasTransform(TransformInclude) {
		t.Errorf("Transforms() = %v", tmpl.Transforms())
	}
}

// TestAliasBomb checks exponential alias expansion stops at the node
// budget with an error instead of eating memory.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	_, _, err := ReadValue([]byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "template too large") {
		t.Fatalf("err = %v, want template too large", err)
	}
}

func TestNodeHelpers(t *testing.T) {
	n := mustRead(t, "{a: 1, b: [x, true, null], c: {Ref: X}}")
	if name, arg, ok := n.Get("c").Intrinsic(); !ok || name != "Ref" || arg.Value != "X" {
		t.Errorf("Intrinsic() = %q %v %v", name, arg, ok)
	}
	if _, _, ok := n.Intrinsic(); ok {
		t.Error("a three-key mapping is not a function")
	}
	if got := strings.Join(n.Keys(), ","); got != "a,b,c" {
		t.Errorf("Keys() = %s", got)
	}
	c := n.Clone()
	c.Get("b").Items[0].Value = "changed"
	if n.Get("b").Items[0].Value != "x" {
		t.Error("Clone shares nodes")
	}
	if Equal(n, c) {
		t.Error("Equal ignores a changed value")
	}
	v, err := FromValue(n.Interface())
	if err != nil {
		t.Fatal(err)
	}
	if !Equal(v, n) {
		t.Errorf("FromValue(Interface()) = %s, want %s", v, n)
	}
	if s := NewString("a<b&c").String(); s != `"a<b&c"` {
		t.Errorf("JSON of a string = %s, want no HTML escapes", s)
	}
	var errs ErrorList
	if errs.Err() != nil {
		t.Error("empty ErrorList.Err() is not nil")
	}
	errs.Add(Pos{}, "B", "second")
	errs.Add(Pos{2, 1}, "A", "first")
	errs.Sort()
	if got := errs.Error(); got != "2 problems:\n2:1: A: first\nB: second" {
		t.Errorf("ErrorList = %q", got)
	}
}

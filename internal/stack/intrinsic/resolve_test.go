package intrinsic

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/stack/template"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// corpus is where internal/stack/template keeps the test templates.
const corpus = "../template/testdata/templates"

// TestResolveGolden takes each corpus template through what the deployer
// will do with this package: parameters from their defaults (SSM-typed
// ones as if read from SSM), conditions, each resource's dependencies,
// its properties evaluated against fake physical ids, and the outputs.
// The result is compared with testdata/<name>.golden; go test -update
// rewrites them.
func TestResolveGolden(t *testing.T) {
	for _, name := range []string{"article-auth.yaml", "article-api.yaml", "sam-globals.yaml", "vpc.json", "language-extensions.yaml"} {
		t.Run(name, func(t *testing.T) {
			got := resolve(t, name)
			golden := filepath.Join("testdata", strings.TrimSuffix(name, filepath.Ext(name))+".golden")
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
				t.Errorf("%s resolves differently from %s:\n%s", name, golden, got)
			}
		})
	}
}

func resolve(t *testing.T, name string) string {
	src, err := os.ReadFile(filepath.Join(corpus, name))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := template.Read(src)
	if err != nil {
		t.Fatal(err)
	}
	expandIncludes(t, tmpl.Root)
	opts := Options{LanguageExtensions: tmpl.HasTransform(template.TransformLanguageExtensions)}
	resources := tmpl.Section(template.SectionResources)
	ctx := &Values{
		PseudoParams: NewPseudo("123456789012", "us-east-1", "test-stack", "arn:aws:cloudformation:us-east-1:123456789012:stack/test-stack/guid"),
		Params:       map[string]*template.Node{},
		Mappings:     tmpl.Section(template.SectionMappings),
		RefFunc: func(id string) (*template.Node, error) {
			if resources.Get(id) == nil {
				return nil, fmt.Errorf("%w %q", ErrUnknown, id)
			}
			return template.NewString("phys-" + id), nil
		},
		GetAttFunc: func(id, attr string) (*template.Node, error) {
			if resources.Get(id) == nil {
				return nil, fmt.Errorf("%w %q", ErrUnknown, id)
			}
			if attr == "CidrBlock" {
				return template.NewString("10.20.0.0/16"), nil
			}
			return template.NewString(id + "." + attr), nil
		},
		ImportFunc: func(name string) (*template.Node, error) { return template.NewString("imported:" + name), nil },
	}
	var errs template.ErrorList
	for _, p := range fields(tmpl.Section(template.SectionParameters)) {
		def := p.Value.Get("Default")
		typ := p.Value.Get("Type").Value
		switch {
		case strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<"):
			ctx.Params[p.Key] = template.NewString("ssm:" + def.Value)
		case def == nil:
			ctx.Params[p.Key] = template.NewString("given-" + p.Key)
		case typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<"):
			items := []string{}
			if def.Value != "" {
				items = strings.Split(def.Value, ",")
			}
			ctx.Params[p.Key] = template.NewStringList(items)
		default:
			ctx.Params[p.Key] = template.NewString(def.Value)
		}
	}
	conds, cerrs := EvalConditions(tmpl.Section(template.SectionConditions), ctx, opts)
	errs.Append(cerrs)
	ctx.Conditions = conds
	isParam := func(name string) bool { _, ok := ctx.Params[name]; return ok }

	out := &template.Node{Kind: template.Mapping}
	add := func(parent *template.Node, key string, v *template.Node) {
		if v == nil {
			v = &template.Node{Kind: template.Null}
		}
		parent.Fields = append(parent.Fields, template.Field{Key: key, Value: v})
	}
	condNode := &template.Node{Kind: template.Mapping}
	for _, c := range tmpl.Section(template.SectionConditions).Keys() {
		add(condNode, c, template.NewBool(conds[c]))
	}
	add(out, "Conditions", condNode)
	ev := New(ctx, opts)
	if g := tmpl.Section(template.SectionGlobals); g != nil {
		v, e := ev.Eval(g, template.SectionGlobals)
		errs.Append(e)
		add(out, "Globals", v)
	}
	resNode := &template.Node{Kind: template.Mapping}
	for _, r := range fields(resources) {
		entry := &template.Node{Kind: template.Mapping}
		if c := r.Value.Get("Condition"); c != nil && !conds[c.Value] {
			add(entry, "Skipped", template.NewString("condition "+c.Value+" is false"))
			add(resNode, r.Key, entry)
			continue
		}
		add(entry, "Type", r.Value.Get("Type"))
		add(entry, "DependsOn", template.NewStringList(Dependencies(r.Value, isParam)))
		if p := r.Value.Get("Properties"); p != nil {
			v, e := ev.Eval(p, template.JoinPath(r.Key, "Properties"))
			errs.Append(e)
			add(entry, "Properties", v)
		}
		add(resNode, r.Key, entry)
	}
	add(out, "Resources", resNode)
	outNode := &template.Node{Kind: template.Mapping}
	for _, o := range fields(tmpl.Section(template.SectionOutputs)) {
		if c := o.Value.Get("Condition"); c != nil && !conds[c.Value] {
			continue
		}
		v, e := ev.Eval(o.Value, template.JoinPath(template.SectionOutputs, o.Key))
		errs.Append(e)
		add(outNode, o.Key, v)
	}
	add(out, "Outputs", outNode)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", name, errs)
	}
	var b bytes.Buffer
	raw, _ := out.MarshalJSON()
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		t.Fatal(err)
	}
	b.WriteString("\n")
	return b.String()
}

// expandIncludes stands in for the AWS::Include transform, which is not
// this package's: each {"Fn::Transform": {Name: AWS::Include, Parameters:
// {Location: file}}} becomes the file read from the corpus.
func expandIncludes(t *testing.T, n *template.Node) {
	for i, f := range n.Fields {
		if name, arg, ok := f.Value.Intrinsic(); ok && name == "Fn::Transform" && arg.Get("Name").Value == template.TransformInclude {
			src, err := os.ReadFile(filepath.Join(corpus, arg.Get("Parameters").Get("Location").Value))
			if err != nil {
				t.Fatal(err)
			}
			v, _, err := template.ReadValue(src)
			if err != nil {
				t.Fatal(err)
			}
			n.Fields[i].Value = v
			continue
		}
		expandIncludes(t, f.Value)
	}
	for _, it := range n.Items {
		expandIncludes(t, it)
	}
}

func fields(n *template.Node) []template.Field {
	if n == nil {
		return nil
	}
	return n.Fields
}

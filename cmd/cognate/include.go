package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// maxIncludeDepth bounds nested AWS::Include snippets, as the server's
// SAM transform does.
const maxIncludeDepth = 8

// readDeployTemplate reads the template at path and inlines what the
// server cannot read itself, local files: every {"Fn::Transform":
// {"Name": "AWS::Include", "Parameters": {"Location": L}}} is replaced
// by the document L, and a Serverless Api's local DefinitionUri becomes
// a DefinitionBody holding the file. Locations are relative to the
// template's directory. The Transform section is kept, so the server
// still runs the SAM transform. The result is the template as JSON.
func readDeployTemplate(path string) ([]byte, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--template-file: %w", err)
	}
	t, err := template.Read(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	x := includer{dir: filepath.Dir(path)}
	root, err := x.include(t.Root, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := x.definitionURIs(root); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return root.MarshalJSON()
}

type includer struct{ dir string }

func (x includer) load(what, loc string) (*template.Node, error) {
	if strings.Contains(loc, "://") {
		return nil, fmt.Errorf("%s %s: only local files (a path relative to the template) can be included, not S3 or URL locations", what, loc)
	}
	src, err := os.ReadFile(filepath.Join(x.dir, filepath.FromSlash(loc)))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, loc, err)
	}
	v, _, err := template.ReadValue(src)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, loc, err)
	}
	return v, nil
}

func (x includer) include(n *template.Node, depth int) (*template.Node, error) {
	if n == nil {
		return n, nil
	}
	switch n.Kind {
	case template.Sequence:
		for i, it := range n.Items {
			v, err := x.include(it, depth)
			if err != nil {
				return nil, err
			}
			n.Items[i] = v
		}
	case template.Mapping:
		if name, arg, ok := n.Intrinsic(); ok && name == "Fn::Transform" {
			if tn, _ := arg.Get("Name").Text(); tn == template.TransformInclude {
				loc, ok := arg.Get("Parameters").Get("Location").Text()
				if !ok || loc == "" {
					return nil, fmt.Errorf("line %s: AWS::Include needs Parameters.Location, a string", n.Pos)
				}
				if depth >= maxIncludeDepth {
					return nil, fmt.Errorf("AWS::Include %s: includes nested more than %d deep", loc, maxIncludeDepth)
				}
				v, err := x.load("AWS::Include", loc)
				if err != nil {
					return nil, err
				}
				return x.include(v, depth+1)
			}
		}
		for i := range n.Fields {
			v, err := x.include(n.Fields[i].Value, depth)
			if err != nil {
				return nil, err
			}
			n.Fields[i].Value = v
		}
	}
	return n, nil
}

// definitionURIs replaces the local DefinitionUri of every
// AWS::Serverless::Api and AWS::Serverless::HttpApi with a DefinitionBody
// holding the file, as `sam deploy` uploads the file for the transform to
// read.
func (x includer) definitionURIs(root *template.Node) error {
	res := root.Get("Resources")
	if res == nil || res.Kind != template.Mapping {
		return nil
	}
	for _, f := range res.Fields {
		typ, _ := f.Value.Get("Type").Text()
		if typ != "AWS::Serverless::Api" && typ != "AWS::Serverless::HttpApi" {
			continue
		}
		props := f.Value.Get("Properties")
		if props == nil || props.Kind != template.Mapping {
			continue
		}
		for i := range props.Fields {
			if props.Fields[i].Key != "DefinitionUri" {
				continue
			}
			loc, ok := props.Fields[i].Value.Text()
			if !ok {
				break // an S3 location mapping: the server says what it supports
			}
			v, err := x.load(f.Key+" DefinitionUri", loc)
			if err != nil {
				return err
			}
			if v, err = x.include(v, 1); err != nil {
				return err
			}
			props.Fields[i].Key, props.Fields[i].Value = "DefinitionBody", v
			break
		}
	}
	return nil
}

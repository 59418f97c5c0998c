package sam

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// maxIncludeDepth bounds nested AWS::Include snippets.
const maxIncludeDepth = 8

// include replaces every {"Fn::Transform": {"Name": "AWS::Include",
// "Parameters": {"Location": L}}} under n with the document L names, read
// through Options.Load. Snippets may include further snippets.
func (x *expander) include(n *template.Node, path string, depth int) *template.Node {
	if n == nil {
		return n
	}
	switch n.Kind {
	case template.Sequence:
		for i, it := range n.Items {
			n.Items[i] = x.include(it, template.IndexPath(path, i), depth)
		}
	case template.Mapping:
		if name, arg, ok := n.Intrinsic(); ok && name == "Fn::Transform" {
			if tn, _ := arg.Get("Name").Text(); tn == template.TransformInclude {
				return x.includeFile(n, arg, path, depth)
			}
		}
		for i := range n.Fields {
			n.Fields[i].Value = x.include(n.Fields[i].Value, template.JoinPath(path, n.Fields[i].Key), depth)
		}
	}
	return n
}

func (x *expander) includeFile(n, arg *template.Node, path string, depth int) *template.Node {
	loc, ok := arg.Get("Parameters").Get("Location").Text()
	if !ok || loc == "" {
		x.errorf(n, path, "AWS::Include needs Parameters.Location, a string")
		return n
	}
	v := x.load(n, path, loc, "AWS::Include")
	if v == nil {
		return n
	}
	if depth >= maxIncludeDepth {
		x.errorf(n, path, "AWS::Include %s: includes nested more than %d deep", loc, maxIncludeDepth)
		return n
	}
	return x.include(v, path, depth+1)
}

// load reads and parses a local file for what (AWS::Include,
// DefinitionUri). It reports a problem and returns nil on failure.
func (x *expander) load(n *template.Node, path, loc, what string) *template.Node {
	if strings.Contains(loc, "://") {
		x.errorf(n, path, "%s location %s: Cognate only includes local files (a path relative to the template), not S3 or URL locations", what, loc)
		return nil
	}
	if x.opts.Load == nil {
		x.errorf(n, path, "%s location %s: no file loader configured", what, loc)
		return nil
	}
	src, err := x.opts.Load(loc)
	if err != nil {
		x.errorf(n, path, "%s location %s: %v", what, loc, err)
		return nil
	}
	v, _, err := template.ReadValue(src)
	if err != nil {
		x.errorf(n, path, "%s location %s: %v", what, loc, err)
		return nil
	}
	return v
}

// DirLoader returns an Options.Load that reads locations relative to dir,
// the directory of the template being transformed.
func DirLoader(dir string) func(location string) ([]byte, error) {
	return func(location string) ([]byte, error) {
		return os.ReadFile(filepath.Join(dir, filepath.FromSlash(location)))
	}
}

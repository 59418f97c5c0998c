package route

import (
	"maps"
	"slices"
	"strings"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

// Table is an immutable route table, safe for concurrent use.
type Table struct {
	root *node
}

// node is one segment position of the resource tree.
type node struct {
	literal map[string]*node
	// param is the {name} child and its name.
	param     *node
	paramName string
	// greedy is the {name+} child's resource and its name.
	greedy     *apimodel.Resource
	greedyName string
	// res is the resource ending here; nil when there is none, or when it
	// has no methods (API Gateway routes nothing to such a resource).
	res *apimodel.Resource
}

// Match is a matched route.
type Match struct {
	// Resource is the matched resource.
	Resource *apimodel.Resource
	// Method is the resource's method that serves the request: the
	// request's own, else ANY.
	Method *apimodel.Method
	// PathParams map each path parameter to its value; a greedy value
	// has no leading slash. Nil when the resource has no parameters.
	PathParams map[string]string
}

// anyVerbs are the methods ANY serves (API Gateway's seven).
var anyVerbs = map[string]bool{
	"DELETE": true, "GET": true, "HEAD": true, "OPTIONS": true,
	"PATCH": true, "POST": true, "PUT": true,
}

// New builds the table of an API. Resources whose path does not parse are
// left out (Compile has already refused such an API).
func New(api *apimodel.API) *Table {
	t := &Table{root: &node{}}
	if api == nil {
		return t
	}
	for _, r := range api.Resources {
		segs, err := apimodel.ParsePath(r.Path)
		if err != nil || len(r.Methods) == 0 {
			continue
		}
		n := t.root
		for i, s := range segs {
			switch s.Kind {
			case apimodel.SegmentLiteral:
				if n.literal == nil {
					n.literal = map[string]*node{}
				}
				next := n.literal[s.Text]
				if next == nil {
					next = &node{}
					n.literal[s.Text] = next
				}
				n = next
			case apimodel.SegmentParam:
				if n.param == nil {
					n.param, n.paramName = &node{}, s.Text
				}
				n = n.param
			case apimodel.SegmentGreedy:
				if i == len(segs)-1 {
					n.greedy, n.greedyName = r, s.Text
				}
				n = nil
			}
			if n == nil {
				break
			}
		}
		if n != nil {
			n.res = r
		}
	}
	return t
}

// Match finds the resource and method for a request. path is the decoded
// request path without the stage (url.URL.Path form), starting with "/";
// it is not decoded again, so a "%" in it is literal. Trailing slashes are
// ignored, as API Gateway ignores them ("/pets/" is "/pets"). An empty
// segment ("/a//b") matches no literal and no {param}, but a greedy
// parameter takes it verbatim [guess: API Gateway passes "a//b" to
// {proxy+} unchanged, as LocalStack's AWS-recorded tests show, and has
// no resource with an empty path part].
func (t *Table) Match(method, path string) (Match, bool) {
	res, caps := t.find(path)
	if res == nil {
		return Match{}, false
	}
	m := res.Methods[method]
	if m == nil && anyVerbs[method] {
		m = res.Methods["ANY"]
	}
	if m == nil {
		return Match{}, false
	}
	out := Match{Resource: res, Method: m}
	if caps.n > 0 {
		out.PathParams = make(map[string]string, caps.n)
		for i := 0; i < caps.n; i++ {
			out.PathParams[caps.names[i]] = caps.values[i]
		}
	}
	return out, true
}

// Methods lists the methods the resource matching path defines, sorted
// ("ANY" included); nil when no resource matches. It is for diagnostics.
func (t *Table) Methods(path string) []string {
	res, _ := t.find(path)
	if res == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(res.Methods))
}

// maxParams bounds the path parameters of one match; a path template has
// at most one per segment, and API Gateway paths are short.
const maxParams = 16

// captures holds the parameters of a match without allocating.
type captures struct {
	n      int
	names  [maxParams]string
	values [maxParams]string
}

// find walks the tree for path and returns the matched resource.
func (t *Table) find(path string) (*apimodel.Resource, captures) {
	var caps captures
	for len(path) > 1 && path[len(path)-1] == '/' {
		path = path[:len(path)-1]
	}
	rest, ok := strings.CutPrefix(path, "/")
	if !ok {
		return nil, caps
	}
	return t.root.walk(rest, &caps), caps
}

// walk matches rest (the path after this node's segment and its slash;
// "" at the end) below n, trying a literal child, then the {param} child,
// then the greedy child, and backing out of a branch that ends nowhere.
func (n *node) walk(rest string, caps *captures) *apimodel.Resource {
	if rest == "" {
		return n.res
	}
	seg, tail, more := strings.Cut(rest, "/")
	if child := n.literal[seg]; child != nil {
		if r := child.next(tail, more, caps); r != nil {
			return r
		}
	}
	if n.param != nil && seg != "" && caps.n < maxParams {
		caps.names[caps.n], caps.values[caps.n] = n.paramName, seg
		caps.n++
		if r := n.param.next(tail, more, caps); r != nil {
			return r
		}
		caps.n--
	}
	if n.greedy != nil && caps.n < maxParams {
		caps.names[caps.n], caps.values[caps.n] = n.greedyName, rest
		caps.n++
		return n.greedy
	}
	return nil
}

// next continues below child after a segment: with the tail when a slash
// followed the segment, or at the end.
func (n *node) next(tail string, more bool, caps *captures) *apimodel.Resource {
	if !more {
		return n.walk("", caps)
	}
	if tail == "" {
		// Only reachable for "a//": trailing slashes are trimmed first,
		// so an empty tail after a slash is an empty last segment.
		return nil
	}
	return n.walk(tail, caps)
}

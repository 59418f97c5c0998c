package apimodel

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// builder collects an API while Compile reads the body and the parts.
type builder struct {
	rootID    string
	byPath    map[string]*Resource
	responses map[string]*GatewayResponse
	binary    []string
	warnings  []string
	errs      []error
}

func newBuilder(rootID string) *builder {
	b := &builder{
		rootID:    rootID,
		byPath:    map[string]*Resource{},
		responses: map[string]*GatewayResponse{},
	}
	if b.rootID == "" {
		b.rootID = resourceID("/")
	}
	b.byPath["/"] = &Resource{ID: b.rootID, Path: "/", Methods: map[string]*Method{}}
	return b
}

// resource returns the resource at a parsed path, creating it and every
// missing ancestor, each with an id derived from its path.
func (b *builder) resource(segs []Segment) *Resource {
	path := "/"
	r := b.byPath[path]
	for i, s := range segs {
		if i == 0 {
			path += s.String()
		} else {
			path += "/" + s.String()
		}
		next, ok := b.byPath[path]
		if !ok {
			next = &Resource{ID: resourceID(path), Path: path, Methods: map[string]*Method{}}
			b.byPath[path] = next
		}
		r = next
	}
	return r
}

// resourceID derives a stable resource id from a path, so that every node
// compiling the same deployment reports the same $context.resourceId. It
// has the shape of API Gateway's ids: ten lower-case letters and digits.
func resourceID(path string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte(path))
	id := make([]byte, 10)
	for i := range id {
		id[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return string(id)
}

func (b *builder) warnf(format string, args ...any) {
	b.warnings = append(b.warnings, fmt.Sprintf(format, args...))
}

func (b *builder) errorf(format string, args ...any) {
	b.errs = append(b.errs, fmt.Errorf(format, args...))
}

// addBinary adds media types, decoding CloudFormation's "~1" escape for
// "/" (SAM writes BinaryMediaTypes as "image~1png"), without duplicates.
func (b *builder) addBinary(types []string) {
	for _, t := range types {
		t = strings.ReplaceAll(t, "~1", "/")
		if t != "" && !slices.Contains(b.binary, t) {
			b.binary = append(b.binary, t)
		}
	}
}

// checkSiblings reports a parent whose children hold more than one path
// parameter (greedy or not): API Gateway refuses that, and a route table
// could not choose between them.
func (b *builder) checkSiblings() {
	vars := map[string][]string{}
	for path := range b.byPath {
		if path == "/" {
			continue
		}
		i := strings.LastIndex(path, "/")
		last := path[i+1:]
		if strings.HasPrefix(last, "{") {
			parent := path[:i]
			if parent == "" {
				parent = "/"
			}
			vars[parent] = append(vars[parent], last)
		}
	}
	for parent, v := range vars {
		if len(v) > 1 {
			slices.Sort(v)
			b.errorf("resource %s has more than one variable child (%s): API Gateway allows one", parent, strings.Join(v, ", "))
		}
	}
}

// api finishes the build: resources sorted by path, or every error found.
func (b *builder) api() (*API, error) {
	b.checkSiblings()
	if len(b.errs) > 0 {
		slices.SortFunc(b.errs, func(x, y error) int { return strings.Compare(x.Error(), y.Error()) })
		return nil, errors.Join(b.errs...)
	}
	api := &API{
		GatewayResponses: b.responses,
		BinaryMediaTypes: b.binary,
		Warnings:         b.warnings,
	}
	for _, r := range b.byPath {
		api.Resources = append(api.Resources, r)
	}
	slices.SortFunc(api.Resources, func(x, y *Resource) int { return strings.Compare(x.Path, y.Path) })
	return api, nil
}

package apimodel

import (
	"fmt"
	"strings"
)

// SegmentKind says what one segment of a resource path matches.
type SegmentKind int

// The segment kinds, in API Gateway's matching priority: a literal beats a
// path parameter, which beats a greedy parameter.
const (
	// SegmentLiteral matches exactly its text.
	SegmentLiteral SegmentKind = iota
	// SegmentParam, written {name}, matches one non-empty segment.
	SegmentParam
	// SegmentGreedy, written {name+}, matches one or more segments; it is
	// only allowed last.
	SegmentGreedy
)

// Segment is one segment of a resource path.
type Segment struct {
	// Kind says what the segment matches.
	Kind SegmentKind
	// Text is the literal text, or the parameter's name without braces
	// and plus sign.
	Text string
}

// ParsePath splits a resource path such as "/pets/{id}" or "/{proxy+}"
// into its segments; "/" has none. It rejects what API Gateway cannot
// serve: a path not starting with "/", an empty segment, a stray brace, an
// empty or repeated parameter name, or a greedy segment that is not last.
//
// Literal segments are accepted with any characters but "/", "{" and "}":
// API Gateway itself allows only a-zA-Z0-9._- (and a few more in
// practice), but accepting more costs nothing and never blocks a template
// that deploys on AWS.
func ParsePath(path string) ([]Segment, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("resource path %q does not start with /", path)
	}
	if path == "/" {
		return nil, nil
	}
	parts := strings.Split(path[1:], "/")
	segs := make([]Segment, 0, len(parts))
	seen := map[string]bool{}
	for i, p := range parts {
		seg, err := parseSegment(p)
		if err != nil {
			return nil, fmt.Errorf("resource path %q: %w", path, err)
		}
		if seg.Kind == SegmentGreedy && i != len(parts)-1 {
			return nil, fmt.Errorf("resource path %q: greedy segment {%s+} must be the last one", path, seg.Text)
		}
		if seg.Kind != SegmentLiteral {
			if seen[seg.Text] {
				return nil, fmt.Errorf("resource path %q: path parameter %q appears twice", path, seg.Text)
			}
			seen[seg.Text] = true
		}
		segs = append(segs, seg)
	}
	return segs, nil
}

// parseSegment parses one path part (a CloudFormation PathPart).
func parseSegment(p string) (Segment, error) {
	if p == "" {
		return Segment{}, fmt.Errorf("empty path segment")
	}
	if !strings.HasPrefix(p, "{") {
		if strings.ContainsAny(p, "{}") {
			return Segment{}, fmt.Errorf("path segment %q: braces are only allowed around a whole segment", p)
		}
		return Segment{Kind: SegmentLiteral, Text: p}, nil
	}
	if !strings.HasSuffix(p, "}") || len(p) < 2 {
		return Segment{}, fmt.Errorf("path segment %q: unclosed brace", p)
	}
	name := p[1 : len(p)-1]
	kind := SegmentParam
	if strings.HasSuffix(name, "+") {
		kind = SegmentGreedy
		name = name[:len(name)-1]
	}
	if name == "" || strings.ContainsAny(name, "{}+/") {
		return Segment{}, fmt.Errorf("path segment %q: bad parameter name", p)
	}
	return Segment{Kind: kind, Text: name}, nil
}

// String writes the segment as it appears in a resource path.
func (s Segment) String() string {
	switch s.Kind {
	case SegmentParam:
		return "{" + s.Text + "}"
	case SegmentGreedy:
		return "{" + s.Text + "+}"
	}
	return s.Text
}

// normalizePath trims trailing slashes from an OpenAPI path key, so that
// "/status/" names the resource "/status". [guess] API Gateway's importer
// does not create a resource with an empty last path part, and SAM emits
// such keys verbatim from event paths, which deploy and serve on AWS.
func normalizePath(p string) string {
	for len(p) > 1 && strings.HasSuffix(p, "/") {
		p = p[:len(p)-1]
	}
	return p
}

package apimodel

import (
	"reflect"
	"strings"
	"testing"
)

func TestParsePath(t *testing.T) {
	good := map[string][]Segment{
		"/":                 nil,
		"/pets":             {{SegmentLiteral, "pets"}},
		"/pets/{id}":        {{SegmentLiteral, "pets"}, {SegmentParam, "id"}},
		"/{proxy+}":         {{SegmentGreedy, "proxy"}},
		"/a/{b}/{rest+}":    {{SegmentLiteral, "a"}, {SegmentParam, "b"}, {SegmentGreedy, "rest"}},
		"/v1.0/my-res_x:@~": {{SegmentLiteral, "v1.0"}, {SegmentLiteral, "my-res_x:@~"}},
	}
	for path, want := range good {
		got, err := ParsePath(path)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParsePath(%q) = %v, %v; want %v", path, got, err, want)
		}
		var b strings.Builder
		for _, s := range got {
			b.WriteString("/" + s.String())
		}
		if rebuilt := b.String(); rebuilt != path && !(path == "/" && rebuilt == "") {
			t.Errorf("segments of %q rebuild %q", path, rebuilt)
		}
	}
	bad := map[string]string{
		"":                 "does not start with /",
		"pets":             "does not start with /",
		"/pets/":           "empty path segment",
		"/a//b":            "empty path segment",
		"/{proxy+}/x":      "must be the last one",
		"/{}":              "bad parameter name",
		"/{+}":             "bad parameter name",
		"/{a":              "unclosed brace",
		"/a{b}":            "braces are only allowed around a whole segment",
		"/{a}b":            "unclosed brace",
		"/{id}/x/{id}":     `path parameter "id" appears twice`,
		"/{id}/{id+}":      `path parameter "id" appears twice`,
		"/{a{b}}":          "bad parameter name",
		"/x/{proxy+}/{y}":  "must be the last one",
		"/x/{proxy+}/more": "must be the last one",
	}
	for path, want := range bad {
		if _, err := ParsePath(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParsePath(%q) error = %v, want one containing %q", path, err, want)
		}
	}
}

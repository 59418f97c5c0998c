package template

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Error is one problem found in a template: where it is in the source,
// the path to the value (a logical id and property path such as
// "Resources/Pool/Properties/UserPoolId"), and what is wrong.
type Error struct {
	Pos  Pos
	Path string
	Msg  string
}

// Error formats e as "line:column: path: message", leaving out the parts
// that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Pos.IsValid() {
		b.WriteString(e.Pos.String())
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in one pass over a template. Readers,
// checkers and the evaluator keep going after a problem, so a user sees
// all of them at once.
type ErrorList []*Error

// Add appends a problem.
func (l *ErrorList) Add(pos Pos, path, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Append appends every problem of other.
func (l *ErrorList) Append(other ErrorList) { *l = append(*l, other...) }

// Error lists the problems one per line.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strconv.Itoa(len(l)) + " problems:\n" + strings.Join(parts, "\n")
}

// Err returns nil when l is empty and l itself otherwise, so a caller
// can write `return errs.Err()` without returning a typed nil.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Sort orders the problems by position, then path, keeping the order of
// equal ones. Problems without a position go last.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		if a.Pos.IsValid() != b.Pos.IsValid() {
			if a.Pos.IsValid() {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column),
			cmp.Compare(a.Path, b.Path))
	})
}

// JoinPath appends one element to a slash-separated path.
func JoinPath(path, elem string) string {
	if path == "" {
		return elem
	}
	return path + "/" + elem
}

// IndexPath appends a list index to a slash-separated path.
func IndexPath(path string, i int) string { return JoinPath(path, strconv.Itoa(i)) }

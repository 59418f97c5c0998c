package template

import (
	"bytes"
)

// Format is the syntax a template was written in.
type Format uint8

// The template syntaxes.
const (
	YAML Format = iota + 1
	JSON
)

// String names f.
func (f Format) String() string {
	switch f {
	case YAML:
		return "YAML"
	case JSON:
		return "JSON"
	}
	return "unknown"
}

// ReadValue reads one YAML or JSON document into a Node tree, with
// CloudFormation's short-form tags expanded to their long forms. It is
// Read without the template's anatomy: for included snippets and
// OpenAPI documents. An empty document is a Null node.
//
// A document whose first character is "{" is read as JSON; if it is not
// well-formed JSON it is read as YAML (a YAML flow mapping also starts
// with "{"), and if that fails too the JSON error is reported, as the AWS
// CLI does. Anything else is YAML 1.1, as cfn-lint and the AWS CLI read
// it.
func ReadValue(src []byte) (*Node, Format, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	if trimmed := bytes.TrimLeft(src, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		n, errs, syntax := readJSON(src)
		if len(errs) == 0 {
			return n, JSON, nil
		}
		if !syntax {
			return nil, JSON, errs
		}
		if yn, err := readYAML(src); err == nil {
			return yn, YAML, nil
		}
		return nil, JSON, errs
	}
	n, err := readYAML(src)
	if err != nil {
		return nil, YAML, err
	}
	return n, YAML, nil
}

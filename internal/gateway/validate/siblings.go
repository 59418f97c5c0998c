package validate

import (
	"errors"
	"slices"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// stopsValue reports whether the validator stops checking a value after
// an error of kind k. It does for type, const, enum and format; fge does
// not, and runs every keyword of the schema.
func stopsValue(k jsonschema.ErrorKind) bool {
	switch k.(type) {
	case *kind.Type, *kind.Const, *kind.Enum, *kind.Format:
		return true
	}
	return false
}

// siblings collects the errors the validator skipped after e: it
// validates the value again against a copy of e's schema without the
// keyword that failed, until nothing stops it early.
func (m *model) siblings(e *jsonschema.ValidationError, inst any, out *[]finding) {
	s := m.byLocation[e.SchemaURL]
	if s == nil {
		return
	}
	cp := *s
	drop := func(k jsonschema.ErrorKind) {
		switch k.(type) {
		case *kind.Type:
			cp.Types = nil
		case *kind.Const:
			cp.Const = nil
		case *kind.Enum:
			cp.Enum = nil
		case *kind.Format:
			cp.Format = nil
		}
	}
	drop(e.ErrorKind)
	// fge reports nothing below a value that failed, so keywords that only
	// reach into members and elements are left out: they would cost a walk
	// of the whole subtree for errors fgeOrder drops.
	cp.Properties, cp.PatternProperties = nil, nil
	if _, ok := cp.AdditionalProperties.(*jsonschema.Schema); ok {
		cp.AdditionalProperties = nil
	}
	if _, ok := cp.Items.(*jsonschema.Schema); ok {
		cp.Items = nil
	}
	value := valueAt(inst, e.InstanceLocation)
	for range 4 { // at most one round per keyword that stops a value
		var verr *jsonschema.ValidationError
		if !errors.As(cp.Validate(value), &verr) {
			return
		}
		rebase(verr, e.InstanceLocation)
		if c := verr.Causes; len(c) == 1 && len(c[0].InstanceLocation) == len(e.InstanceLocation) && stopsValue(c[0].ErrorKind) {
			*out = append(*out, m.finding(c[0], inst))
			drop(c[0].ErrorKind)
			continue
		}
		for _, c := range verr.Causes {
			m.collect(c, inst, out)
		}
		return
	}
}

// rebase prefixes the instance locations of a tree of errors found by
// validating the value at base on its own.
func rebase(e *jsonschema.ValidationError, base []string) {
	e.InstanceLocation = append(slices.Clip(base), e.InstanceLocation...)
	for _, c := range e.Causes {
		rebase(c, base)
	}
}

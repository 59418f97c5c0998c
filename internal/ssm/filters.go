package ssm

import (
	"regexp"
	"strings"

	"github.com/cognatehq/cognate/internal/store"
)

// ParameterStringFilter, as DescribeParameters and GetParametersByPath use
// it [doc: model]:
//
//	key      DescribeParameters                 GetParametersByPath
//	Name     Equals, BeginsWith, Contains       not allowed
//	Path     OneLevel (default), Recursive      not allowed
//	Type     Equals, BeginsWith                 Equals, BeginsWith
//	KeyId    Equals, BeginsWith                 Equals, BeginsWith
//	Tier     Equals, BeginsWith                 not allowed
//	DataType Equals, BeginsWith                 not allowed
//	tag:k    Equals, BeginsWith                 not allowed
//	Label    not allowed                        Equals
//
// Cognate implements all of it except the Label filter of
// GetParametersByPath, which it refuses with InvalidFilterKey saying so.

// filterKeyRe is the model's pattern of a filter key.
var filterKeyRe = regexp.MustCompile(`^(tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType)$`)

// filter is a validated Filter.
type filter struct {
	key    string // the key; for tag filters, "tag:"
	tag    string // the tag key of a tag filter
	option string
	values []string
}

// checkFilters validates ParameterFilters for DescribeParameters (byPath
// false) or GetParametersByPath (byPath true) and returns them ready to
// match.
func checkFilters(in []Filter, byPath bool) ([]filter, error) {
	var v validationErrors
	for i, f := range in {
		path := item("parameterFilters", i)
		switch {
		case len(f.Key) < 1 || len(f.Key) > 132:
			v.length(f.Key, path+".key", 1, 132)
		case !filterKeyRe.MatchString(f.Key):
			v.add(f.Key, path+".key", "Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType")
		}
		if f.Option != "" {
			v.length(f.Option, path+".option", 1, 10)
		}
		if len(f.Values) > 50 {
			v.listLength(f.Values, path+".values", 1, 50)
		}
		for _, val := range f.Values {
			v.length(val, path+".values", 1, 1024)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	out := make([]filter, 0, len(in))
	seen := map[string]bool{}
	for _, f := range in {
		key := f.Key
		fl := filter{key: key, option: f.Option, values: f.Values}
		if strings.HasPrefix(key, "tag:") {
			fl.key, fl.tag = "tag:", strings.TrimPrefix(key, "tag:")
		}
		if err := checkFilterKey(fl.key, key, byPath); err != nil {
			return nil, err
		}
		if seen[key] {
			// [emulator: moto] text.
			return nil, errorf(KindInvalidFilterKey, "The following filter is duplicated in the request: %s. "+
				"A request can contain only one occurrence of a specific filter.", key)
		}
		seen[key] = true
		if err := checkFilterOption(&fl); err != nil {
			return nil, err
		}
		if err := checkFilterValues(fl); err != nil {
			return nil, err
		}
		out = append(out, fl)
	}
	return out, nil
}

// checkFilterKey checks that the operation takes a filter key; key is the
// key's kind ("tag:" for any tag) and given the key as the request has it.
func checkFilterKey(key, given string, byPath bool) error {
	switch {
	case byPath && key == "Label":
		return errorf(KindInvalidFilterKey, "Cognate does not support the Label filter of GetParametersByPath yet; "+
			"read a labelled version with GetParameter and a name:label selector")
	case byPath && key != "Type" && key != "KeyId":
		// [emulator: moto] text.
		return errorf(KindInvalidFilterKey,
			"The following filter key is not valid: %s. Valid filter keys include: [Type, KeyId].", given)
	case !byPath && key == "Label":
		// [emulator: moto] text.
		return errorf(KindInvalidFilterKey,
			"The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].")
	}
	return nil
}

func checkFilterOption(f *filter) error {
	allowed := []string{"BeginsWith", "Equals"}
	switch f.key {
	case "Path":
		allowed = []string{"Recursive", "OneLevel"}
		if f.option == "" {
			f.option = "OneLevel"
		}
	case "Name":
		allowed = append(allowed, "Contains")
	}
	if f.option == "" {
		f.option = "Equals"
	}
	for _, a := range allowed {
		if f.option == a {
			return nil
		}
	}
	// [emulator: moto] text.
	return errorf(KindInvalidFilterOption, "The following filter option is not valid: %s. Valid options include: [%s].",
		f.option, strings.Join(allowed, ", "))
}

func checkFilterValues(f filter) error {
	if len(f.values) == 0 {
		if f.key == "tag:" {
			return nil // a tag filter without values asks whether the tag exists
		}
		// [emulator: moto] text.
		return errorf(KindInvalidFilterValue, "The following filter values are missing : null for filter key %s.", f.key)
	}
	var allowed []string
	switch f.key {
	case "Type":
		allowed = []string{TypeString, TypeStringList, TypeSecureString}
	case "Tier":
		allowed = []string{TierStandard, TierAdvanced, TierIntelligentTiering}
	case "Path":
		for _, p := range f.values {
			if lower := strings.ToLower(p); strings.HasPrefix(lower, "/aws") || strings.HasPrefix(lower, "/ssm") {
				// [emulator: moto] text.
				return errorf(KindValidation, `Filters for common parameters can't be prefixed with "aws" or "ssm" `+
					`(case-insensitive). When using global parameters, please specify within a global namespace.`)
			}
			if _, err := pathPrefix(p); err != nil {
				return err
			}
		}
	}
	if allowed == nil || f.option != "Equals" {
		return nil
	}
	for _, val := range f.values {
		ok := false
		for _, a := range allowed {
			ok = ok || val == a
		}
		if !ok {
			// [guess] the exception; moto's text, which moto sends as
			// InvalidFilterOption.
			return errorf(KindInvalidFilterValue, "The following filter value is not valid: %s. Valid values include: [%s].",
				val, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// matchAll reports whether a parameter's newest version passes every filter.
func matchAll(rec store.Parameter, filters []filter) bool {
	for _, f := range filters {
		if !f.match(rec) {
			return false
		}
	}
	return true
}

func (f filter) match(rec store.Parameter) bool {
	var field string
	switch f.key {
	case "Name":
		field = rec.Name
	case "Type":
		field = rec.Type
	case "KeyId":
		field = rec.KeyID
	case "Tier":
		field = rec.Tier
	case "DataType":
		field = rec.DataType
	case "Path":
		return f.matchPath(rec.Name)
	case "tag:":
		v, ok := rec.Tags[f.tag]
		if !ok {
			return false
		}
		if len(f.values) == 0 {
			return true
		}
		field = v
	}
	if f.key == "Name" {
		// Names compare in their fully qualified form, so that a one-level
		// name matches with or without its leading slash, as it reads
		// [emulator: moto].
		return f.matchAny("/"+strings.TrimPrefix(field, "/"), f.option != "Contains")
	}
	return f.matchAny(field, false)
}

// matchAny reports whether field matches one of the values; qualify gives
// each value a leading slash first.
func (f filter) matchAny(field string, qualify bool) bool {
	for _, val := range f.values {
		if qualify {
			val = "/" + strings.TrimPrefix(val, "/")
		}
		switch f.option {
		case "Equals":
			if field == val {
				return true
			}
		case "BeginsWith":
			if strings.HasPrefix(field, val) {
				return true
			}
		case "Contains":
			if strings.Contains(field, val) {
				return true
			}
		}
	}
	return false
}

// matchPath reports whether name lies under one of the filter's paths: a
// direct child (OneLevel) or anywhere below (Recursive).
func (f filter) matchPath(name string) bool {
	for _, p := range f.values {
		prefix, err := pathPrefix(p)
		if err != nil || !strings.HasPrefix(name, prefix) {
			continue
		}
		if f.option == "Recursive" || !strings.Contains(name[len(prefix):], "/") {
			return true
		}
	}
	return false
}

// legacyFilters turns DescribeParameters' deprecated Filters into
// ParameterFilters. [emulator: moto] Name matches names that begin with a
// value; Type and KeyId match equal values.
func legacyFilters(in []Filter) ([]Filter, error) {
	var v validationErrors
	for i, f := range in {
		path := item("filters", i)
		v.enum(f.Key, path+".key", "Name", "Type", "KeyId")
		if f.Key == "" {
			v.add(nil, path+".key", "Member must not be null")
		}
		v.listLength(f.Values, path+".values", 1, 50)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	out := make([]Filter, len(in))
	for i, f := range in {
		out[i] = Filter{Key: f.Key, Option: "Equals", Values: f.Values}
		if f.Key == "Name" {
			out[i].Option = "BeginsWith"
		}
	}
	return out, nil
}

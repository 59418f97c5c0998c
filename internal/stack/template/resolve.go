package template

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// YAML 1.1 implicit types of plain scalars, as PyYAML's resolver reads
// them (cfn-lint and aws-sam-translator load templates with it, and
// CloudFormation reads YAML 1.1 the same way): "yes", "on" and "True" are
// booleans, "017" is octal, "1:30" is sexagesimal. The patterns are
// PyYAML's, checked in its order.
var (
	yamlBool  = regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	yamlFloat = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?` +
		`|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?` +
		`|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*` +
		`|[-+]?\.(?:inf|Inf|INF)` +
		`|\.(?:nan|NaN|NAN))$`)
	yamlInt = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+` +
		`|[-+]?0[0-7_]+` +
		`|[-+]?(?:0|[1-9][0-9_]*)` +
		`|[-+]?0x[0-9a-fA-F_]+` +
		`|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	yamlNull      = regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)
	yamlTimestamp = regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]` +
		`|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?` +
		`(?:[Tt]|[ \t]+)[0-9][0-9]?` +
		`:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?` +
		`(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)
	jsonNumber = regexp.MustCompile(`^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$`)
)

// resolvePlain turns a plain (unquoted, untagged) YAML scalar into a node
// of its YAML 1.1 type. Timestamps stay strings with their source text:
// a template has no date type, and CloudFormation reads
// "AWSTemplateFormatVersion: 2010-09-09" as the string. Infinities and
// NaN, which JSON cannot hold, stay strings too.
func resolvePlain(s string) (*Node, bool) {
	switch {
	case yamlBool.MatchString(s):
		switch s[0] {
		case 'y', 'Y', 't', 'T':
			return NewBool(true), true
		case 'o', 'O':
			return NewBool(len(s) == 2), true // "on", not "off"
		}
		return NewBool(false), true
	case yamlFloat.MatchString(s):
		return yamlFloatNode(s)
	case yamlInt.MatchString(s):
		return yamlIntNode(s)
	case yamlNull.MatchString(s):
		return &Node{Kind: Null}, true
	}
	return NewString(s), true
}

// yamlIntNode converts a YAML 1.1 integer as PyYAML's construct_yaml_int
// does. ok is false when the digits are missing ("0x_").
func yamlIntNode(s string) (*Node, bool) {
	v := strings.ReplaceAll(s, "_", "")
	neg := false
	if v != "" && (v[0] == '-' || v[0] == '+') {
		neg = v[0] == '-'
		v = v[1:]
	}
	n := new(big.Int)
	ok := true
	switch {
	case v == "0":
	case strings.HasPrefix(v, "0b"):
		_, ok = n.SetString(v[2:], 2)
	case strings.HasPrefix(v, "0x"):
		_, ok = n.SetString(v[2:], 16)
	case strings.HasPrefix(v, "0"):
		_, ok = n.SetString(v, 8)
	case strings.Contains(v, ":"):
		sixty := big.NewInt(60)
		for _, part := range strings.Split(v, ":") {
			d, err := strconv.ParseInt(part, 10, 64)
			if err != nil {
				return nil, false
			}
			n.Mul(n, sixty).Add(n, big.NewInt(d))
		}
	default:
		_, ok = n.SetString(v, 10)
	}
	if !ok {
		return nil, false
	}
	if neg {
		n.Neg(n)
	}
	return &Node{Kind: Number, Value: n.String()}, true
}

// yamlFloatNode converts a YAML 1.1 float as PyYAML's construct_yaml_float
// does. The number keeps its source text when that is already JSON.
func yamlFloatNode(s string) (*Node, bool) {
	v := strings.ToLower(strings.ReplaceAll(s, "_", ""))
	sign := 1.0
	if v != "" && (v[0] == '-' || v[0] == '+') {
		if v[0] == '-' {
			sign = -1
		}
		v = v[1:]
	}
	if v == ".inf" || v == ".nan" {
		return NewString(s), true
	}
	var f float64
	if strings.Contains(v, ":") {
		for _, part := range strings.Split(v, ":") {
			d, err := strconv.ParseFloat(part, 64)
			if err != nil {
				return nil, false
			}
			f = f*60 + d
		}
	} else {
		var err error
		if f, err = strconv.ParseFloat(v, 64); err != nil {
			return nil, false
		}
	}
	f *= sign
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return NewString(s), true
	}
	if text := strings.TrimPrefix(strings.ReplaceAll(s, "_", ""), "+"); jsonNumber.MatchString(text) {
		return &Node{Kind: Number, Value: text}, true
	}
	return &Node{Kind: Number, Value: formatFloat(f)}, true
}

// formatFloat writes f as the shortest JSON number that reads back as f,
// keeping a decimal point so it stays a float ("1.0", not "1").
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

// isTimestamp reports whether a plain scalar is a YAML 1.1 timestamp.
func isTimestamp(s string) bool { return yamlTimestamp.MatchString(s) }

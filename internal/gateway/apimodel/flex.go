package apimodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// The flex types decode scalars that definitions write loosely: SAM copies
// an integer Access-Control-Max-Age into a responseParameters value, and
// CloudFormation hands properties over as strings or numbers alike.

// flexString is a JSON string, number or boolean, kept as text.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
		return nil
	}
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		*s = flexString(b)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("want a string, got %.40s", b)
		}
		*s = flexString(n.String())
	}
	return nil
}

// flexInt is a JSON number or a string holding one.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if s == "" {
		*n = 0
		return nil
	}
	v, err := strconv.Atoi(string(s))
	if err != nil {
		return fmt.Errorf("want an integer, got %q", string(s))
	}
	*n = flexInt(v)
	return nil
}

// flexBool is a JSON boolean or the strings "true" and "false".
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	switch s {
	case "true", "True", "TRUE":
		*v = true
	case "false", "False", "FALSE", "":
		*v = false
	default:
		return fmt.Errorf("want a boolean, got %q", string(s))
	}
	return nil
}

// flexStrings is a JSON list of strings, or one string.
type flexStrings []string

func (l *flexStrings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var items []flexString
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = string(it)
		}
		*l = out
		return nil
	}
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if s == "" {
		*l = nil
	} else {
		*l = []string{string(s)}
	}
	return nil
}

// stringMap copies a map of flex strings to plain strings; nil stays nil.
func stringMap(m map[string]flexString) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

// orderedBools is a JSON object of booleans that keeps its keys' order, so
// that parameters declared in a part keep the order they were written in
// (API Gateway lists missing parameters in declared order).
type orderedBools []orderedBool

// orderedBool is one key of an orderedBools.
type orderedBool struct {
	Key   string
	Value bool
}

func (o *orderedBools) UnmarshalJSON(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	tok, err := d.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		*o = nil
		return nil
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("want an object of booleans")
	}
	var out orderedBools
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return err
		}
		var v flexBool
		if err := v.UnmarshalJSON(raw); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		out = append(out, orderedBool{Key: key, Value: bool(v)})
	}
	*o = out
	return nil
}

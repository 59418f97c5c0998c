package respond

import "strings"

// renderTemplate renders a gateway response body template with the small
// part of the Velocity Template Language that gateway responses use in
// practice: references, nothing else.
//
// A reference is $name or ${name}, optionally quiet ($!name, $!{name}),
// followed by any number of .name or ['key'] / ["key"] accessors, as in
// $context.authorizer.claims['cognito:username']. Each reference renders
// as lookup's value for its path, and as empty text when lookup knows no
// value: API Gateway renders undefined references as empty, unlike stock
// Velocity, which echoes them.
//
// Not supported, left in the output as they are written: directives and
// comments (#if, #set, #foreach, ##...), method calls (the accessor before
// "(" is not taken, so $context.error.message.length() renders the message
// followed by ".length()"), numeric indexes ([0]) and escapes (\$x). Names
// are letters, digits and underscores; Velocity 1.7 also allowed "-"
// [guess: AWS's engine does not, since "$context.stage-x" is common in
// hand-written templates and is expected to render the stage].
func renderTemplate(tmpl string, lookup func(path []string) (string, bool)) string {
	var b strings.Builder
	b.Grow(len(tmpl))
	for i := 0; i < len(tmpl); {
		if tmpl[i] != '$' {
			j := strings.IndexByte(tmpl[i:], '$')
			if j < 0 {
				b.WriteString(tmpl[i:])
				break
			}
			b.WriteString(tmpl[i : i+j])
			i += j
			continue
		}
		path, n := parseReference(tmpl[i:])
		if n == 0 {
			b.WriteByte('$')
			i++
			continue
		}
		if v, ok := lookup(path); ok {
			b.WriteString(v)
		}
		i += n
	}
	return b.String()
}

// parseReference parses the reference at the start of s, which begins
// with '$'. It returns the reference's path and the number of bytes it
// spans, or 0 when s does not start with a reference.
func parseReference(s string) ([]string, int) {
	i := 1
	if i < len(s) && s[i] == '!' {
		i++
	}
	braced := i < len(s) && s[i] == '{'
	if braced {
		i++
	}
	name := identifier(s[i:])
	if name == "" {
		return nil, 0
	}
	path := []string{name}
	i += len(name)
	for i < len(s) {
		if s[i] == '.' {
			next := identifier(s[i+1:])
			end := i + 1 + len(next)
			if next == "" || (end < len(s) && s[end] == '(') {
				break // a trailing dot or a method call: not ours
			}
			path = append(path, next)
			i = end
			continue
		}
		if s[i] == '[' {
			key, n := bracketKey(s[i:])
			if n == 0 {
				break
			}
			path = append(path, key)
			i += n
			continue
		}
		break
	}
	if braced {
		if i >= len(s) || s[i] != '}' {
			return nil, 0
		}
		i++
	}
	return path, i
}

// identifier returns the VTL identifier at the start of s: a letter, then
// letters, digits and underscores.
func identifier(s string) string {
	if s == "" || !isLetter(s[0]) {
		return ""
	}
	i := 1
	for i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || s[i] == '_') {
		i++
	}
	return s[:i]
}

// bracketKey parses ['key'] or ["key"] at the start of s and returns the
// key and the bytes it spans, or 0 when s does not start with one.
func bracketKey(s string) (string, int) {
	if len(s) < 4 || s[0] != '[' || (s[1] != '\'' && s[1] != '"') {
		return "", 0
	}
	quote := s[1]
	end := strings.IndexByte(s[2:], quote)
	if end < 0 {
		return "", 0
	}
	closing := 2 + end + 1
	if closing >= len(s) || s[closing] != ']' {
		return "", 0
	}
	return s[2 : 2+end], closing + 1
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// Package jsontext writes JSON text the way API Gateway's Java side
// (Jackson) does, where that differs from encoding/json: string literals
// escape only what JSON requires (no \u003c for '<'). It imports nothing
// from Cognate; respond and validate share it.
package jsontext

import "strings"

// Quote returns s as a JSON string literal, escaping only what JSON
// requires; invalid UTF-8 becomes U+FFFD.
func Quote(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s { // invalid UTF-8 decodes to U+FFFD
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

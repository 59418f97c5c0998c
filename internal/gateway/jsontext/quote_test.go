package jsontext

import "testing"

func TestQuote(t *testing.T) {
	tests := map[string]string{
		``:             `""`,
		`plain`:        `"plain"`,
		`"q" \ /`:      `"\"q\" \\ /"`,
		"\t\n\r\b\f":   `"\t\n\r\b\f"`,
		"\x00\x1f":     `"\u0000\u001f"`,
		"<&>":          `"<&>"`,
		"é€😀":          `"é€😀"`,
		"bad\xffbytes": "\"bad\uFFFDbytes\"",
	}
	for in, want := range tests {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

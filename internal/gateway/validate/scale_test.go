package validate

import (
	"strings"
	"testing"
	"time"
)

// TestCheckBodyScales guards against work that grows faster than the
// body: deep nesting and many failing elements must stay quick.
func TestCheckBodyScales(t *testing.T) {
	tests := []struct {
		name, schema, body string
	}{
		{"deep nesting", `{"type":"string","items":{"$ref":"#"}}`, strings.Repeat("[", 2000) + strings.Repeat("]", 2000)},
		{"deep nesting, recursive object", `{"type":"object","enum":[1],"properties":{"a":{"$ref":"#"}}}`,
			strings.Repeat(`{"a":`, 2000) + `{}` + strings.Repeat("}", 2000)},
		{"many failing elements", `{"items":{"type":"string","enum":["x"],"oneOf":[{"type":"integer"},{"minimum":0}]}}`,
			"[" + strings.Repeat("1,", 20000) + "1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCompile(t, bodyMethod(tc.schema))
			start := time.Now()
			if f := c.Check(Request{Body: []byte(tc.body)}); f == nil {
				t.Fatal("Check passed, want a failure")
			}
			if d := time.Since(start); d > 30*time.Second { // generous: -race and a busy CI machine slow it tenfold; a blow-up takes minutes
				t.Errorf("Check took %v", d)
			}
		})
	}
}

package gateway

import (
	"encoding/json"
	"testing"

	"github.com/cognatehq/cognate/internal/gateway/authorizer"
)

// TestClaimsJSON checks the hand-written encoder against encoding/json.
func TestClaimsJSON(t *testing.T) {
	cases := []map[string]string{
		{},
		{"sub": "abc", "scope": "a/b c/d", "exp": "Wed Nov 25 13:00:00 UTC 2026"},
		{"q": `quote " and \ backslash`, "ctl": "new\nline\ttab\x01\x1f", "uni": "héllo → 世界", "bad": "a\xffb"},
		{"cognito:groups": "admin,users", "<html>": "&amp;"},
	}
	for _, m := range cases {
		got := claimsJSON(m)
		var back map[string]string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Fatalf("claimsJSON(%q) = %s: not JSON: %v", m, got, err)
		}
		for k, v := range m {
			want := v
			if k == "bad" {
				want = "a\ufffdb"
			}
			if back[k] != want {
				t.Errorf("key %q: round trip %q, want %q", k, back[k], want)
			}
		}
		if len(back) != len(m) {
			t.Errorf("claimsJSON(%q) = %s: %d keys", m, got, len(back))
		}
	}
	if got := claimsJSON(map[string]string{"b": "2", "a": "1"}); got != `{"a":"1","b":"2"}` {
		t.Errorf("keys not sorted: %s", got)
	}
}

func FuzzClaimsJSON(f *testing.F) {
	f.Add("sub", "a\"b\\c\x00")
	f.Fuzz(func(t *testing.T, k, v string) {
		var back map[string]string
		if err := json.Unmarshal([]byte(claimsJSON(map[string]string{k: v})), &back); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
	})
}

// TestClaimCache checks that the cache answers repeated tokens from
// memory and stays bounded.
func TestClaimCache(t *testing.T) {
	c := newClaimCache()
	first := c.get("tok", &authorizer.Result{Claims: map[string]any{"sub": "a", "n": json.Number("5")}, Subject: "a"})
	if first.strings["sub"] != "a" || first.strings["n"] != "5" || first.headers.Get(headerClaims) != `{"n":"5","sub":"a"}` ||
		first.headers.Get(headerSub) != "a" {
		t.Fatalf("derived %+v", first)
	}
	if again := c.get("tok", &authorizer.Result{Claims: map[string]any{"sub": "other"}}); again != first {
		t.Fatal("a repeated token was derived again")
	}
	for i := 0; i < claimCacheSize+10; i++ {
		c.get(string(rune(i))+"-tok", &authorizer.Result{})
	}
	if n := len(c.m); n > claimCacheSize {
		t.Fatalf("cache holds %d entries, bound %d", n, claimCacheSize)
	}
}

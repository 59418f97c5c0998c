package authorizer_test

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/gateway/authorizer"
)

func TestStringClaims(t *testing.T) {
	var claims map[string]any
	dec := json.NewDecoder(strings.NewReader(`{"sub":"u-1","exp":1604704888,"iat":1604701288,"auth_time":1604701288,
		"email_verified":true,"phone_number_verified":false,"version":2,"cognito:groups":["admin","users"],
		"scope":"a/b c/d","identities":[{"providerName":"Google"}],"nothing":null,"ratio":1.5,"nbf":1604701288.9}`))
	dec.UseNumber()
	if err := dec.Decode(&claims); err != nil {
		t.Fatal(err)
	}
	got := authorizer.StringClaims(claims)
	want := map[string]string{
		"sub":                   "u-1",
		"exp":                   "Fri Nov 06 23:21:28 UTC 2020",
		"iat":                   "Fri Nov 06 22:21:28 UTC 2020",
		"nbf":                   "Fri Nov 06 22:21:28 UTC 2020",
		"auth_time":             "1604701288",
		"email_verified":        "true",
		"phone_number_verified": "false",
		"version":               "2",
		"cognito:groups":        "admin,users",
		"scope":                 "a/b c/d",
		"identities":            `{"providerName":"Google"}`,
		"ratio":                 "1.5",
	}
	if !maps.Equal(got, want) {
		t.Errorf("StringClaims:\n got  %v\n want %v", got, want)
	}
	// float64 values (claims decoded without UseNumber) read the same.
	if got := authorizer.StringClaims(map[string]any{"exp": float64(1604704888), "auth_time": float64(1604701288)}); got["exp"] != "Fri Nov 06 23:21:28 UTC 2020" || got["auth_time"] != "1604701288" {
		t.Errorf("float claims: %v", got)
	}
}

package authorizer

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// javaDate is the layout of Java's Date.toString() in UTC, which API
// Gateway uses for exp and iat in REST claims: "Fri Nov 06 23:21:28 UTC 2020" [obs].
const javaDate = "Mon Jan 02 15:04:05 MST 2006"

// dateClaims are the claims written as Java dates. exp and iat are [obs];
// nbf is [guess]: API Gateway's JWT library reads the three registered
// time claims alike, while auth_time stays a number [obs].
var dateClaims = map[string]bool{"exp": true, "iat": true, "nbf": true}

// StringClaims encodes claims the way a REST (v1) API delivers them in
// requestContext.authorizer.claims (APIGATEWAY.md §1.4): every value a
// string. exp and iat become Java Date.toString() text in UTC, other
// numbers their decimal text (auth_time "1604701288"), booleans
// "true"/"false", strings stay as they are.
//
// [guess] Arrays (cognito:groups) are joined with "," ("admin,users"):
// the format was never captured, and the split on "," is what consumers
// of v1 events were told to do (aws/chalice#783). Objects become their
// JSON text, and null claims are left out.
func StringClaims(claims map[string]any) map[string]string {
	out := make(map[string]string, len(claims))
	for name, v := range claims {
		if v == nil {
			continue
		}
		if dateClaims[name] {
			if sec, ok := number(v); ok && math.Abs(sec) <= maxEpoch {
				out[name] = time.Unix(int64(math.Floor(sec)), 0).UTC().Format(javaDate)
				continue
			}
		}
		out[name] = claimString(v)
	}
	return out
}

// claimString is the text of one claim value.
func claimString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = claimString(e)
		}
		return strings.Join(parts, ",")
	case nil:
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// number reads a numeric claim value.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	}
	return 0, false
}

package gateway

import (
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

// defaultResponseKey is the Responses key of the default integration
// response.
const defaultResponseKey = "default"

// mapResponse applies an HTTP (non-proxy) integration's response mapping
// to the upstream's answer: the integration response whose selection
// pattern matches the status (else the default) gives the status and
// the headers (static 'values' or integration.response.header.X); the
// body passes through. With no integration responses at all the answer
// passes through unchanged [guess: AWS requires one; passing through
// is the useful reading of a definition without any].
func mapResponse(resp *http.Response, it *apimodel.Integration) error {
	if len(it.Responses) == 0 {
		return nil
	}
	ir := selectResponse(it.Responses, strconv.Itoa(resp.StatusCode))
	if ir == nil {
		return errNoIntegrationResponse
	}
	if code, err := strconv.Atoi(ir.StatusCode); err == nil && code >= 100 && code <= 999 {
		resp.StatusCode = code
		resp.Status = ""
	}
	h := http.Header{}
	for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding"} {
		if v, ok := resp.Header[k]; ok {
			h[k] = v
		}
	}
	for k, src := range ir.ResponseParameters {
		name, ok := strings.CutPrefix(k, "method.response.header.")
		if !ok {
			continue
		}
		if v, ok := staticValue(src); ok {
			h.Set(name, v)
		} else if from, ok := strings.CutPrefix(src, "integration.response.header."); ok {
			if v := resp.Header.Get(from); v != "" {
				h.Set(name, v)
			}
		}
	}
	resp.Header = h
	return nil
}

// selectResponse picks the integration response whose selection pattern
// matches value in full (Java's String.matches, as API Gateway uses),
// else the default one; nil when neither exists. Patterns are tried in
// sorted order, so that a value two patterns match always maps the same
// way.
func selectResponse(responses map[string]*apimodel.IntegrationResponse, value string) *apimodel.IntegrationResponse {
	keys := make([]string, 0, len(responses))
	for k := range responses {
		if k != defaultResponseKey && k != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if re := selectionPattern(k); re != nil && re.MatchString(value) {
			return responses[k]
		}
	}
	if ir := responses[defaultResponseKey]; ir != nil {
		return ir
	}
	return responses[""]
}

// patterns caches compiled selection patterns; a nil entry is a pattern
// that does not compile.
var patterns sync.Map // string → *regexp.Regexp

func selectionPattern(p string) *regexp.Regexp {
	if re, ok := patterns.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		re = nil
	}
	patterns.Store(p, re)
	return re
}

// staticValue returns the text of a static 'value' mapping source.
func staticValue(src string) (string, bool) {
	if len(src) >= 2 && src[0] == '\'' && src[len(src)-1] == '\'' {
		return src[1 : len(src)-1], true
	}
	return "", false
}

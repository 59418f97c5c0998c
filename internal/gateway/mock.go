package gateway

import (
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/gateway/respond"
)

// mockStatusRe finds the status a MOCK integration's request template
// asks for: SAM's CORS preflight uses {"statusCode": 200}.
var mockStatusRe = regexp.MustCompile(`"statusCode"\s*:\s*"?(\d{3})`)

// mock answers a MOCK integration: the request template's statusCode
// (200 when it names none [guess]) selects the integration response,
// whose static 'value' headers and template body, as literal text,
// make the answer.
func (c *call) mock(it *apimodel.Integration) {
	status := http.StatusOK
	if _, tmpl := pickTemplate(it.RequestTemplates, c.r.Header.Get("Content-Type")); tmpl != "" {
		if m := mockStatusRe.FindStringSubmatch(tmpl); m != nil {
			status, _ = strconv.Atoi(m[1])
		}
	}
	h := c.w.Header()
	var body string
	contentType := "application/json"
	if len(it.Responses) > 0 {
		ir := selectResponse(it.Responses, strconv.Itoa(status))
		if ir == nil {
			c.fail(respond.APIConfigurationError, "no_integration_response", errNoIntegrationResponse.Error())
			return
		}
		if code, err := strconv.Atoi(ir.StatusCode); err == nil && code >= 100 && code <= 999 {
			status = code
		}
		for k, src := range ir.ResponseParameters {
			if name, ok := strings.CutPrefix(k, "method.response.header."); ok {
				if v, ok := staticValue(src); ok {
					h.Set(name, v)
				}
			}
		}
		if ct, tmpl := pickTemplate(ir.ResponseTemplates, c.r.Header.Get("Accept")); ct != "" {
			contentType, body = ct, tmpl
		}
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.w.WriteHeader(status)
	_, _ = c.w.Write([]byte(body))
}

// pickTemplate chooses a mapping template: the one for want's media
// type, else application/json, else the first by name. It returns the
// chosen content type and template; "" when there are none.
func pickTemplate(templates map[string]string, want string) (contentType, tmpl string) {
	if len(templates) == 0 {
		return "", ""
	}
	if mt, _, _ := strings.Cut(want, ";"); mt != "" {
		mt = strings.ToLower(strings.TrimSpace(mt))
		if t, ok := templates[mt]; ok {
			return mt, t
		}
	}
	if t, ok := templates["application/json"]; ok {
		return "application/json", t
	}
	keys := make([]string, 0, len(templates))
	for k := range templates {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys[0], templates[keys[0]]
}

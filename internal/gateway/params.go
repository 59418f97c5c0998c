package gateway

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

// The prefixes of an integration's requestParameters keys.
const (
	intPathPrefix   = "integration.request.path."
	intQueryPrefix  = "integration.request.querystring."
	intHeaderPrefix = "integration.request.header."
)

// integrationURL builds the URL an HTTP or HTTP_PROXY integration sends
// the request to: the integration URI with ${stageVariables.x}
// substituted and its {param} placeholders filled from the mapped path
// parameters, plus the mapped query string (and, for HTTP_PROXY, the
// request's own). It also returns the mapped request headers.
func (c *call) integrationURL(it *apimodel.Integration, mode proxyMode) (*url.URL, http.Header, error) {
	if u, ok := c.stage.targets[it]; ok {
		q := c.r.URL.RawQuery
		if mode != modeProxy || q == "" {
			// Shared by the stage's requests, read only: neither the
			// reverse proxy (after Rewrite) nor the transport writes
			// the outgoing URL. Copying it was one 144-byte allocation
			// per request (BenchmarkHandler).
			return u, nil, nil
		}
		out := *u
		if out.RawQuery == "" {
			out.RawQuery = q
		} else {
			out.RawQuery += "&" + q
		}
		return &out, nil, nil
	}
	raw := substituteStageVariables(it.URI, c.stage.Variables)
	query := url.Values{}
	headers := http.Header{}
	// Sorted, so that two mappings of one name resolve the same way on
	// every request.
	keys := make([]string, 0, len(it.RequestParameters))
	for k := range it.RequestParameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, ok := c.paramValue(it.RequestParameters[k])
		switch {
		case strings.HasPrefix(k, intPathPrefix):
			name := strings.TrimPrefix(k, intPathPrefix)
			esc := escapePathValue(v)
			raw = strings.ReplaceAll(raw, "{"+name+"}", esc)
			raw = strings.ReplaceAll(raw, "{"+name+"+}", esc)
		case !ok:
			// An absent optional parameter is not sent.
		case strings.HasPrefix(k, intQueryPrefix):
			query.Set(strings.TrimPrefix(k, intQueryPrefix), v)
		case strings.HasPrefix(k, intHeaderPrefix):
			headers.Set(strings.TrimPrefix(k, intHeaderPrefix), v)
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, nil, errors.New("not an http(s) URL with a host")
	}
	q := u.Query()
	if mode == modeProxy {
		for k, vs := range c.r.URL.Query() {
			q[k] = append(q[k], vs...)
		}
	}
	for k, vs := range query {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u, headers, nil
}

// functionURL is the URL of a function route's upstream: its base URL
// joined with the stage-relative path, and the request's query string.
func (c *call) functionURL(base string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, errors.New("not an http(s) URL with a host")
	}
	out := *u
	out.Path = strings.TrimSuffix(u.Path, "/") + c.path
	out.RawPath = ""
	out.RawQuery = c.r.URL.RawQuery
	return &out, nil
}

// paramValue resolves the source side of a request parameter mapping:
// method.request.{path,querystring,header}.X, a static 'value',
// stageVariables.X or a context variable. ok is false when the source
// is absent from the request.
func (c *call) paramValue(src string) (string, bool) {
	if len(src) >= 2 && src[0] == '\'' && src[len(src)-1] == '\'' {
		return src[1 : len(src)-1], true
	}
	if name, ok := strings.CutPrefix(src, "method.request.path."); ok {
		v, ok := c.match.PathParams[name]
		return v, ok
	}
	if name, ok := strings.CutPrefix(src, "method.request.querystring."); ok {
		vs, ok := c.r.URL.Query()[name]
		if !ok || len(vs) == 0 {
			return "", false
		}
		return vs[len(vs)-1], true // API Gateway takes the last value [doc]
	}
	if name, ok := strings.CutPrefix(src, "method.request.multivaluequerystring."); ok {
		vs, ok := c.r.URL.Query()[name]
		return strings.Join(vs, ","), ok
	}
	if name, ok := strings.CutPrefix(src, "method.request.header."); ok {
		vs := c.r.Header.Values(name)
		if len(vs) == 0 {
			return "", false
		}
		return vs[len(vs)-1], true
	}
	if name, ok := strings.CutPrefix(src, "stageVariables."); ok {
		v, ok := c.stage.Variables[name]
		return v, ok
	}
	if name, ok := strings.CutPrefix(src, "context.authorizer.claims."); ok {
		v, ok := c.claims[name]
		return v, ok
	}
	if name, ok := strings.CutPrefix(src, "context.authorizer."); ok {
		v, ok := c.claims[name]
		return v, ok
	}
	if name, ok := strings.CutPrefix(src, "context."); ok {
		return c.contextValue(name)
	}
	return "", false
}

// contextValue is $context.<name> for the variables a mapping can name.
func (c *call) contextValue(name string) (string, bool) {
	rc := c.respondContext()
	switch name {
	case "requestId":
		return rc.RequestID, true
	case "extendedRequestId":
		return rc.ExtendedRequestID, true
	case "apiId":
		return rc.APIID, true
	case "stage":
		return rc.Stage, true
	case "resourcePath":
		return rc.ResourcePath, true
	case "resourceId":
		return rc.ResourceID, true
	case "httpMethod":
		return rc.HTTPMethod, true
	case "path":
		return rc.Path, true
	case "domainName":
		return rc.DomainName, true
	case "identity.sourceIp":
		return rc.SourceIP, true
	case "identity.userAgent":
		return rc.UserAgent, true
	}
	return "", false
}

// substituteStageVariables replaces ${stageVariables.x} in s. An
// undefined variable becomes "" [guess: API Gateway substitutes an
// empty string for a stage variable the stage does not define].
func substituteStageVariables(s string, vars map[string]string) string {
	const open = "${stageVariables."
	var b strings.Builder
	for {
		i := strings.Index(s, open)
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(vars[s[i+len(open):i+j]])
		s = s[i+j+1:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s)
	return b.String()
}

// escapePathValue escapes a path parameter for a URL path, keeping the
// slashes of a greedy {proxy+} value.
func escapePathValue(v string) string {
	segs := strings.Split(v, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

package main

import (
	"github.com/cognatehq/cognate/internal/app"

	"fmt"
	"io"
	"net/url"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// Cognate's stack tags. They are ordinary CloudFormation tags, so the
// same calls are valid against AWS, and the AWS CLI can send them too
// (--tags Key=cognate:upstream:EchoFunction,Value=http://127.0.0.1:3000).
const (
	// strictTagKey = "true" makes resource types Cognate does not emulate
	// fail the deploy (awsapi.StrictTag).
	strictTagKey = "cognate:strict"
	// upstreamTagPrefix + a function's logical id = the URL of the HTTP
	// service the gateway sends that function's routes to.
	upstreamTagPrefix = app.UpstreamTagPrefix
)

// CloudFormation's limits on a stack tag.
const (
	maxTagKey   = 128
	maxTagValue = 256
	maxTags     = 50
)

// functionTypes are the resource types whose routes --upstream may point
// at an HTTP service.
var functionTypes = []string{"AWS::Serverless::Function", "AWS::Lambda::Function"}

// parseUpstreams checks each --upstream LogicalId=URL against the
// template and returns logical id → URL. An empty URL (LogicalId=) asks
// to forget a remembered upstream, and is not checked against the
// template, whose function may be gone. Every problem is reported at once.
func parseUpstreams(flags []string, body string) (map[string]string, error) {
	if len(flags) == 0 {
		return nil, nil
	}
	funcs, err := templateFunctions(body)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	var problems []string
	for _, f := range flags {
		id, raw, ok := strings.Cut(f, "=")
		id = strings.TrimSpace(id)
		if !ok || id == "" {
			problems = append(problems, fmt.Sprintf("--upstream %q: want LogicalId=http://host:port, e.g. EchoFunction=http://127.0.0.1:3000", f))
			continue
		}
		if prev, dup := out[id]; dup && prev != raw {
			problems = append(problems, fmt.Sprintf("--upstream %s is given twice, with %q and %q", id, prev, raw))
			continue
		}
		if len(upstreamTagPrefix)+len(id) > maxTagKey {
			problems = append(problems, fmt.Sprintf("--upstream %s: the logical id is too long for a stack tag key (at most %d characters)", id, maxTagKey-len(upstreamTagPrefix)))
			continue
		}
		if raw != "" {
			if msg := checkUpstreamURL(raw); msg != "" {
				problems = append(problems, fmt.Sprintf("--upstream %s=%s: %s", id, raw, msg))
				continue
			}
			if typ, found := funcs[id]; !found || !slices.Contains(functionTypes, typ) {
				what := "the template has no resource " + id
				if found {
					what = id + " is a " + typ + ", not a function"
				}
				problems = append(problems, fmt.Sprintf("--upstream %s: %s; %s", id, what, describeFunctions(funcs)))
				continue
			}
		}
		out[id] = raw
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return out, nil
}

// checkUpstreamURL says what is wrong with an upstream URL, or "".
func checkUpstreamURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil, u.Scheme != "http" && u.Scheme != "https":
		return "want an http:// or https:// URL, e.g. http://127.0.0.1:3000"
	case u.Host == "" || u.Hostname() == "":
		return "the URL names no host; want e.g. http://127.0.0.1:3000"
	case u.User != nil:
		// Tags are shown to anyone who may describe the stack.
		return "the URL carries credentials, which would be stored in the stack's tags for anyone to read; remove them"
	case u.RawQuery != "" || u.Fragment != "":
		return "the URL may not have a query or fragment; the request's own are sent"
	case len(raw) > maxTagValue:
		return fmt.Sprintf("longer than a stack tag value may be (%d characters)", maxTagValue)
	}
	return ""
}

// templateFunctions returns the template's resources by logical id, each
// with its type.
func templateFunctions(body string) (map[string]string, error) {
	t, err := template.Read([]byte(body))
	if err != nil {
		return nil, fmt.Errorf("read the template to check --upstream: %w", err)
	}
	out := map[string]string{}
	if rs := t.Section("Resources"); rs != nil && rs.Kind == template.Mapping {
		for _, f := range rs.Fields {
			typ, _ := f.Value.Get("Type").Text()
			out[f.Key] = typ
		}
	}
	return out, nil
}

// describeFunctions lists the template's functions for an error message.
func describeFunctions(resources map[string]string) string {
	var names []string
	for id, typ := range resources {
		if slices.Contains(functionTypes, typ) {
			names = append(names, id)
		}
	}
	if len(names) == 0 {
		return "the template has no AWS::Serverless::Function or AWS::Lambda::Function"
	}
	sort.Strings(names)
	return "its functions are " + strings.Join(names, ", ")
}

// stackTags returns the tags a deploy sends. CloudFormation keeps a
// stack's tags when an update sends none, and replaces them all when it
// sends any; so when this deploy changes none (no --strict, no
// --upstream), it sends nil, and otherwise the stack's current tags with
// the changes applied. Strictness is not remembered (the server reads
// only the call's own tags for it), so the strict tag is sent exactly
// when strict is set.
func stackTags(current []cfntypes.Tag, strict bool, upstreams map[string]string) ([]cfntypes.Tag, error) {
	if !strict && len(upstreams) == 0 {
		return nil, nil
	}
	m := map[string]string{}
	for _, t := range current {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	delete(m, strictTagKey)
	if strict {
		m[strictTagKey] = "true"
	}
	for id, u := range upstreams {
		if u == "" {
			delete(m, upstreamTagPrefix+id)
		} else {
			m[upstreamTagPrefix+id] = u
		}
	}
	if len(m) > maxTags {
		return nil, fmt.Errorf("the stack would have %d tags, more than CloudFormation's %d; forget some upstreams with --upstream LogicalId=", len(m), maxTags)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]cfntypes.Tag, 0, len(keys)) // empty, not nil: removes every tag
	for _, k := range keys {
		out = append(out, cfntypes.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out, nil
}

// upstreamsOf returns the upstreams a stack's tags remember, as
// {logical id, URL} pairs sorted by logical id.
func upstreamsOf(tags []cfntypes.Tag) [][2]string {
	var out [][2]string
	for _, t := range tags {
		if id, ok := strings.CutPrefix(aws.ToString(t.Key), upstreamTagPrefix); ok {
			out = append(out, [2]string{id, aws.ToString(t.Value)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// printUpstreams lists the upstreams the stack remembers, if any.
func printUpstreams(out io.Writer, tags []cfntypes.Tag) {
	ups := upstreamsOf(tags)
	if len(ups) == 0 {
		return
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Upstreams (remembered with the stack; --upstream LogicalId= forgets one)")
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, u := range ups {
		fmt.Fprintf(tw, "  %s\t%s\n", u[0], u[1])
	}
	tw.Flush()
}

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

const upstreamTemplate = `{"Transform": "AWS::Serverless-2016-10-31", "Resources": {
  "EchoFunction": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "index.handler", "Runtime": "nodejs20.x", "CodeUri": "src/"}},
  "Raw": {"Type": "AWS::Lambda::Function", "Properties": {}},
  "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}}}}`

func TestParseUpstreams(t *testing.T) {
	t.Parallel()
	got, err := parseUpstreams([]string{"EchoFunction=http://127.0.0.1:3000", "Raw=https://svc.internal/base", "Gone="}, upstreamTemplate)
	want := map[string]string{"EchoFunction": "http://127.0.0.1:3000", "Raw": "https://svc.internal/base", "Gone": ""}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("parseUpstreams = %v, %v; want %v", got, err, want)
	}
	for _, tc := range []struct{ flag, want string }{
		{"EchoFunction", "want LogicalId=http://host:port"},
		{"=http://127.0.0.1:3000", "want LogicalId=http://host:port"},
		{"Nope=http://127.0.0.1:3000", "the template has no resource Nope; its functions are EchoFunction, Raw"},
		{"Api=http://127.0.0.1:3000", "Api is a AWS::ApiGateway::RestApi, not a function"},
		{"EchoFunction=127.0.0.1:3000", "want an http:// or https:// URL"},
		{"EchoFunction=ftp://127.0.0.1/", "want an http:// or https:// URL"},
		{"EchoFunction=http://:3000", "names no host"},
		{"EchoFunction=http://user:pw@127.0.0.1:3000", "carries credentials"},
		{"EchoFunction=http://127.0.0.1:3000/?a=1", "query or fragment"},
		{"EchoFunction=http://127.0.0.1/" + strings.Repeat("a", 300), "longer than a stack tag value"},
		{strings.Repeat("F", 120) + "=http://127.0.0.1/", "too long for a stack tag key"},
	} {
		_, err := parseUpstreams([]string{tc.flag}, upstreamTemplate)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--upstream %.60s: %v, want an error containing %q", tc.flag, err, tc.want)
		}
	}
	// Every problem at once.
	_, err = parseUpstreams([]string{"A=http://x/", "B=http://x/", "EchoFunction=http://a/", "EchoFunction=http://b/"}, upstreamTemplate)
	if err == nil || !strings.Contains(err.Error(), "resource A") || !strings.Contains(err.Error(), "resource B") || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("several bad flags: %v", err)
	}
	if _, err := parseUpstreams([]string{"EchoFunction=http://x/"}, `{"Resources": {}}`); err == nil || !strings.Contains(err.Error(), "has no AWS::Serverless::Function") {
		t.Errorf("a template without functions: %v", err)
	}
}

func tagMap(tags []cfntypes.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func TestStackTagsMerge(t *testing.T) {
	t.Parallel()
	current := []cfntypes.Tag{
		{Key: aws.String(strictTagKey), Value: aws.String("true")},
		{Key: aws.String(upstreamTagPrefix + "A"), Value: aws.String("http://a/")},
		{Key: aws.String(upstreamTagPrefix + "B"), Value: aws.String("http://b/")},
		{Key: aws.String("team"), Value: aws.String("x")},
	}
	// No flag that touches tags: send none, so the stack keeps its own.
	if got, err := stackTags(current, false, nil); got != nil || err != nil {
		t.Errorf("no tag flags: %v %v, want nil (keep the stack's tags)", got, err)
	}
	// Strictness is the call's own: an --upstream deploy is not strict.
	got, err := stackTags(current, false, map[string]string{"A": "http://a2/", "B": "", "C": "http://c/"})
	want := map[string]string{upstreamTagPrefix + "A": "http://a2/", upstreamTagPrefix + "C": "http://c/", "team": "x"}
	if err != nil || !reflect.DeepEqual(tagMap(got), want) {
		t.Errorf("merged upstreams: %v %v, want %v", tagMap(got), err, want)
	}
	got, _ = stackTags(current[1:], true, nil)
	if m := tagMap(got); m[strictTagKey] != "true" || m[upstreamTagPrefix+"A"] != "http://a/" || len(m) != 4 {
		t.Errorf("--strict: %v, want the strict tag and the stack's other tags", m)
	}
	got, _ = stackTags(nil, true, nil)
	if !reflect.DeepEqual(tagMap(got), map[string]string{strictTagKey: "true"}) {
		t.Errorf("--strict on a new stack: %v", tagMap(got))
	}
	// Forgetting the last tag sends an empty list (CloudFormation then
	// removes every tag), not nil (which would keep them).
	got, _ = stackTags([]cfntypes.Tag{{Key: aws.String(upstreamTagPrefix + "A"), Value: aws.String("http://a/")}}, false, map[string]string{"A": ""})
	if got == nil || len(got) != 0 {
		t.Errorf("forgetting the only upstream: %#v, want an empty, non-nil list", got)
	}
	many := map[string]string{}
	for i := range 51 {
		many[fmt.Sprint("F", i)] = "http://x/"
	}
	if _, err := stackTags(nil, false, many); err == nil || !strings.Contains(err.Error(), "50") {
		t.Errorf("51 tags: %v, want an error naming the limit", err)
	}
	if ups := upstreamsOf(current); !reflect.DeepEqual(ups, [][2]string{{"A", "http://a/"}, {"B", "http://b/"}}) {
		t.Errorf("upstreamsOf = %v", ups)
	}
}

// fakeCFN answers the calls an update makes, for a stack that has tags,
// and records the forms of UpdateStack calls.
type fakeCFN struct {
	mu      sync.Mutex
	updates []url.Values
	tags    string // <member><Key>…</Key><Value>…</Value></member>…
}

func (f *fakeCFN) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	w.Header().Set("Content-Type", "text/xml")
	const ns = `xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"`
	switch action := form.Get("Action"); action {
	case "DescribeStacks":
		fmt.Fprintf(w, `<DescribeStacksResponse %s><DescribeStacksResult><Stacks><member><StackName>s</StackName><StackId>id</StackId>`+
			`<StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-11-25T00:00:00Z</CreationTime><Tags>%s</Tags></member></Stacks>`+
			`</DescribeStacksResult></DescribeStacksResponse>`, ns, f.tags)
	case "UpdateStack":
		f.mu.Lock()
		f.updates = append(f.updates, form)
		f.mu.Unlock()
		fmt.Fprintf(w, `<UpdateStackResponse %s><UpdateStackResult><StackId>id</StackId></UpdateStackResult></UpdateStackResponse>`, ns)
	case "DescribeStackEvents":
		fmt.Fprintf(w, `<DescribeStackEventsResponse %s><DescribeStackEventsResult><StackEvents></StackEvents></DescribeStackEventsResult></DescribeStackEventsResponse>`, ns)
	case "DescribeStackResources":
		fmt.Fprintf(w, `<DescribeStackResourcesResponse %s><DescribeStackResourcesResult><StackResources></StackResources></DescribeStackResourcesResult></DescribeStackResourcesResponse>`, ns)
	default:
		http.Error(w, "fakeCFN: unexpected "+action, http.StatusBadRequest)
	}
}

// An update that changes one upstream sends the stack's other tags too,
// since CloudFormation replaces the whole set; one that changes none
// sends no Tags at all.
func TestDeploySendsMergedTags(t *testing.T) {
	t.Parallel()
	fake := &fakeCFN{tags: `<member><Key>cognate:strict</Key><Value>true</Value></member><member><Key>team</Key><Value>x</Value></member>` +
		`<member><Key>cognate:upstream:EchoFunction</Key><Value>http://127.0.0.1:3000</Value></member>`}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	o := &cfnOptions{endpoint: srv.URL, region: "us-east-1"}
	var out strings.Builder
	in := deployInput{name: "s", body: upstreamTemplate, upstreams: map[string]string{"Raw": "http://127.0.0.1:4000"}}
	if err := deploy(context.Background(), &out, o, in); err != nil {
		t.Fatalf("deploy: %v\n%s", err, out.String())
	}
	in.upstreams = nil
	if err := deploy(context.Background(), &out, o, in); err != nil {
		t.Fatalf("deploy: %v\n%s", err, out.String())
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.updates) != 2 {
		t.Fatalf("%d UpdateStack calls, want 2", len(fake.updates))
	}
	sent := map[string]string{}
	for i := 1; fake.updates[0].Has(fmt.Sprintf("Tags.member.%d.Key", i)); i++ {
		sent[fake.updates[0].Get(fmt.Sprintf("Tags.member.%d.Key", i))] = fake.updates[0].Get(fmt.Sprintf("Tags.member.%d.Value", i))
	}
	want := map[string]string{"cognate:upstream:EchoFunction": "http://127.0.0.1:3000", "cognate:upstream:Raw": "http://127.0.0.1:4000", "team": "x"}
	if !reflect.DeepEqual(sent, want) {
		t.Errorf("UpdateStack with --upstream sent tags %v, want %v", sent, want)
	}
	for k := range fake.updates[1] {
		if strings.HasPrefix(k, "Tags") {
			t.Errorf("UpdateStack without tag flags sent %s; it must send no Tags so the stack keeps its own", k)
		}
	}
	if !strings.Contains(out.String(), "Upstreams (remembered with the stack") || !strings.Contains(out.String(), "EchoFunction  http://127.0.0.1:3000") {
		t.Errorf("deploy does not list the remembered upstreams:\n%s", out.String())
	}
}

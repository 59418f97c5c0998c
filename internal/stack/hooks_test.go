package stack_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/provider"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// warnType is the resource type of warnProvider.
const warnType = "Cognate::Test::Warn"

// warnProvider is a fake provider whose creates and updates succeed with
// the warnings its Note property names ("a|b" is two warnings; none when
// empty), except that a Note of "fail" fails them.
type warnProvider struct{}

func (warnProvider) Schema() stack.Schema {
	return stack.Schema{Properties: map[string]stack.Kind{"Note": stack.KindString}}
}

func (warnProvider) Validate(*template.Node, string) template.ErrorList { return nil }

func (warnProvider) result(req stack.Request, id string) (stack.Result, error) {
	note, _ := req.Properties.Get("Note").Text()
	if note == "fail" {
		return stack.Result{}, &stack.PropertyError{Property: "Note", Err: errors.New("told to fail")}
	}
	res := stack.Result{PhysicalID: id}
	if note != "" {
		res.Warnings = strings.Split(note, "|")
	}
	return res, nil
}

func (p warnProvider) Create(_ context.Context, req stack.Request) (stack.Result, error) {
	return p.result(req, "warn-"+req.LogicalID)
}

func (p warnProvider) Update(_ context.Context, req stack.Request, id string, _ *template.Node) (stack.Result, error) {
	return p.result(req, id)
}

func (warnProvider) Delete(context.Context, stack.Request, string) error { return nil }

// hookFixture is a fixture whose engine also has warnProvider and records
// every OnChange call; calling restart builds such an engine again over
// the same store, as a restarted process would.
func hookFixture(t *testing.T) (f *fixture, changes *[]string, restart func()) {
	t.Helper()
	f = newFixture(t)
	changes = &[]string{}
	restart = func() {
		providers := provider.All(f.ids, f.params)
		providers[warnType] = warnProvider{}
		seal, err := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
		if err != nil {
			t.Fatal(err)
		}
		f.eng = stack.New(stack.Config{Store: f.store, Sealer: seal, AccountID: account, Providers: providers,
			SSM: provider.SSMSource{Parameters: f.params}, OnChange: func(id string) { *changes = append(*changes, id) }})
	}
	restart()
	return f, changes, restart
}

func warnTemplate(notes ...string) string {
	var b strings.Builder
	b.WriteString("Resources:\n")
	for i, n := range notes {
		fmt.Fprintf(&b, "  W%d:\n    Type: %s\n    Properties: {Note: %q}\n", i+1, warnType, n)
	}
	return b.String()
}

// TestProviderWarnings: a provider's warnings reach the deploy's warnings
// (prefixed with the logical id), the reason of the resource's
// CREATE_COMPLETE or UPDATE_COMPLETE event, and DescribeStacks; those of a
// resource a later deploy leaves alone are kept.
func TestProviderWarnings(t *testing.T) {
	f, _, _ := hookFixture(t)
	ctx := context.Background()
	res := f.mustDeploy("w", warnTemplate("scope a/b is not obtainable|second warning", ""), nil)
	want := []string{"W1: scope a/b is not obtainable", "W1: second warning"}
	if !equalStrings(res.Warnings, want) {
		t.Errorf("deploy warnings %q, want %q", res.Warnings, want)
	}
	if i := eventIndex(f.events, "W1", stack.StatusCreateComplete); i < 0 || f.events[i].Reason != "scope a/b is not obtainable; second warning" {
		t.Errorf("W1's CREATE_COMPLETE event: %+v", f.events)
	}
	if i := eventIndex(f.events, "W2", stack.StatusCreateComplete); i < 0 || f.events[i].Reason != "" {
		t.Errorf("W2's CREATE_COMPLETE event has a reason: %+v", f.events)
	}
	evs, err := f.eng.Events(ctx, region, "w")
	if err != nil {
		t.Fatal(err)
	}
	if i := eventIndex(evs, "W1", stack.StatusCreateComplete); i < 0 || evs[i].Reason != "scope a/b is not obtainable; second warning" {
		t.Errorf("stored W1 CREATE_COMPLETE event: %+v", evs)
	}

	// W2 changes and warns; W1 is left alone and keeps its warnings.
	res = f.mustDeploy("w", warnTemplate("scope a/b is not obtainable|second warning", "new"), nil)
	want = append(want, "W2: new")
	if !equalStrings(res.Warnings, want) {
		t.Errorf("update warnings %q, want %q", res.Warnings, want)
	}
	if i := eventIndex(f.events, "W2", stack.StatusUpdateComplete); i < 0 || f.events[i].Reason != "new" {
		t.Errorf("W2's UPDATE_COMPLETE event: %+v", f.events)
	}
	info, err := f.eng.Describe(ctx, region, "w")
	if err != nil || !equalStrings(info.Warnings, want) {
		t.Errorf("described warnings %q (%v), want %q", info.Warnings, err, want)
	}
	if res := f.mustDeploy("w", warnTemplate("scope a/b is not obtainable|second warning", "new"), nil); !res.NoChanges || !equalStrings(res.Warnings, want) {
		t.Errorf("no-change redeploy: %+v, want warnings %q", res, want)
	}

	// The plan's warnings about a resource are on its event too.
	f.mustDeploy("logs", "Resources:\n  Logs: {Type: AWS::Logs::LogGroup, Properties: {RetentionInDays: 7}}\n", nil)
	if i := eventIndex(f.events, "Logs", stack.StatusCreateComplete); i < 0 || f.events[i].Reason != "resource type AWS::Logs::LogGroup is not emulated; recorded only" {
		t.Errorf("the unemulated resource's CREATE_COMPLETE event: %+v", f.events)
	}
}

// TestOnChange: OnChange is called once with the stack id after a create,
// an update, a rolled-back update, a tags-only update, a delete and a
// recovery, and not for a no-change deploy or a refused one.
func TestOnChange(t *testing.T) {
	f, changes, restart := hookFixture(t)
	ctx := context.Background()
	expect := func(what string, n int) {
		t.Helper()
		if len(*changes) != n {
			t.Fatalf("after %s: %d OnChange calls %v, want %d", what, len(*changes), *changes, n)
		}
	}
	res := f.mustDeploy("w", warnTemplate("x"), nil)
	expect("create", 1)
	if (*changes)[0] != res.StackID {
		t.Errorf("OnChange(%q), want the stack id %q", (*changes)[0], res.StackID)
	}
	f.mustDeploy("w", warnTemplate("x"), nil)
	expect("a no-change deploy", 1)
	if _, err := f.deploy("w", "Resources: {A: {Type: 1}}\n", nil); err == nil {
		t.Fatal("an invalid template deployed")
	}
	expect("an invalid template", 1)
	f.mustDeploy("w", warnTemplate("y"), nil)
	expect("update", 2)
	if _, err := f.deploy("w", warnTemplate("y", "fail"), nil); err == nil {
		t.Fatal("a deploy that must fail succeeded")
	}
	expect("a rolled-back update", 3)
	if _, err := f.eng.Deploy(ctx, region, "w", warnTemplate("y"), nil, stack.Options{Tags: []stack.Tag{{Key: "team", Value: "a"}}}); err != nil {
		t.Fatal(err)
	}
	expect("a tags-only update", 4)
	must(t, f.eng.Delete(ctx, region, "w", nil))
	expect("delete", 5)
	for _, id := range *changes {
		if id != res.StackID {
			t.Errorf("OnChange(%q), want %q", id, res.StackID)
		}
	}

	crashAt(t, f, "after-provider", "W1", "w2", warnTemplate("x"), nil)
	expect("a crash", 5)
	restart()
	if _, err := f.eng.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	expect("recovery", 6)
}

// TestStackTags: tags given on create are stored and described; an
// update without tags keeps them; an update with tags replaces them; a
// change of tags alone is an update, not "no changes"; a rollback puts the
// previous tags back.
func TestStackTags(t *testing.T) {
	f, _, _ := hookFixture(t)
	ctx := context.Background()
	deploy := func(body string, tags []stack.Tag) (stack.DeployResult, error) {
		return f.eng.Deploy(ctx, region, "t", body, nil, stack.Options{Tags: tags})
	}
	tagsOf := func() []stack.Tag {
		t.Helper()
		info, err := f.eng.Describe(ctx, region, "t")
		if err != nil {
			t.Fatal(err)
		}
		return info.Tags
	}
	ab := []stack.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}
	if _, err := deploy(warnTemplate("x"), ab); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(); fmt.Sprint(got) != fmt.Sprint(ab) {
		t.Errorf("tags after create %v, want %v", got, ab)
	}
	// No tags: kept, and with nothing else changed, no changes.
	res, err := deploy(warnTemplate("x"), nil)
	if err != nil || !res.NoChanges {
		t.Errorf("redeploy without tags: %+v %v, want no changes", res, err)
	}
	// The same tags in another order: no changes either.
	res, err = deploy(warnTemplate("x"), []stack.Tag{ab[1], ab[0]})
	if err != nil || !res.NoChanges {
		t.Errorf("redeploy with the same tags: %+v %v, want no changes", res, err)
	}
	// A template change without tags keeps them.
	if _, err := deploy(warnTemplate("y"), nil); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(); fmt.Sprint(got) != fmt.Sprint(ab) {
		t.Errorf("tags after an update without tags %v, want %v", got, ab)
	}
	// Tags alone change: an update that calls no provider.
	c := []stack.Tag{{Key: "c", Value: "3"}}
	res, err = deploy(warnTemplate("y"), c)
	if err != nil || res.NoChanges || res.Status != stack.StatusUpdateComplete {
		t.Fatalf("tags-only update: %+v %v", res, err)
	}
	if got := tagsOf(); fmt.Sprint(got) != fmt.Sprint(c) {
		t.Errorf("tags after the tags-only update %v, want %v", got, c)
	}
	// An empty, non-nil list removes them.
	if _, err := deploy(warnTemplate("y"), []stack.Tag{}); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(); len(got) != 0 {
		t.Errorf("tags after an update with an empty list %v, want none", got)
	}
	// A failed update with new tags leaves the old ones.
	if _, err := deploy(warnTemplate("y"), c); err != nil {
		t.Fatal(err)
	}
	if _, err := deploy(warnTemplate("z", "fail"), ab); err == nil {
		t.Fatal("a deploy that must fail succeeded")
	}
	if got := tagsOf(); fmt.Sprint(got) != fmt.Sprint(c) {
		t.Errorf("tags after a rolled-back update %v, want %v", got, c)
	}
}

// TestRollbackStatusReason: after a rollback the stack's status reason
// names the resource that failed, in CloudFormation's words.
func TestRollbackStatusReason(t *testing.T) {
	f, _, _ := hookFixture(t)
	ctx := context.Background()
	if _, err := f.deploy("r", warnTemplate("x", "fail"), nil); err == nil {
		t.Fatal("a deploy that must fail succeeded")
	}
	info, err := f.eng.Describe(ctx, region, "r")
	if err != nil {
		t.Fatal(err)
	}
	if want := "The following resource(s) failed to create: [W2]. Rollback requested by user."; info.Status != stack.StatusRollbackComplete || info.StatusReason != want {
		t.Errorf("after a failed create: %s %q, want ROLLBACK_COMPLETE %q", info.Status, info.StatusReason, want)
	}
	if i := eventIndex(f.events, "r", stack.StatusRollbackInProgress); i < 0 || !strings.Contains(f.events[i].Reason, "failed to create: [W2]") {
		t.Errorf("ROLLBACK_IN_PROGRESS event: %+v", f.events)
	}
	if i := eventIndex(f.events, "W2", stack.StatusCreateFailed); i < 0 || f.events[i].Reason != "Resources/W2/Properties/Note: told to fail" {
		t.Errorf("the resource's CREATE_FAILED event lost the provider's message: %+v", f.events)
	}

	f.mustDeploy("u", warnTemplate("x", "y"), nil)
	for _, tc := range []struct{ body, want string }{
		{warnTemplate("x", "fail"), "The following resource(s) failed to update: [W2]."},
		{warnTemplate("x", "y", "fail"), "The following resource(s) failed to create: [W3]."},
	} {
		if _, err := f.deploy("u", tc.body, nil); err == nil {
			t.Fatal("a deploy that must fail succeeded")
		}
		info, _ = f.eng.Describe(ctx, region, "u")
		if info.Status != stack.StatusUpdateRollbackComplete || info.StatusReason != tc.want {
			t.Errorf("after a failed update: %s %q, want UPDATE_ROLLBACK_COMPLETE %q", info.Status, info.StatusReason, tc.want)
		}
	}
	// A later successful update clears it.
	f.mustDeploy("u", warnTemplate("y"), nil)
	if info, _ = f.eng.Describe(ctx, region, "u"); info.StatusReason != "" {
		t.Errorf("status reason after a successful update %q", info.StatusReason)
	}
}

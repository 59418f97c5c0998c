package stack_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/provider"
)

// TestDeletedStacksAreKept: a deleted stack stays listed at
// DELETE_COMPLETE by ListWithDeleted and found by its stack id (with its
// events), never by its name, for 90 days; its name is free at once, and
// it holds nothing that blocks deleting another stack.
func TestDeletedStacksAreKept(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.mustDeploy("andmoredev-auth", authTemplate(t), nil)
	first := f.mustDeploy("echo-api", apiTemplate(t), nil).StackID
	must(t, f.eng.Delete(ctx, region, "echo-api", nil))
	// The deleted API stack read the auth stack's parameters; that no
	// longer counts.
	must(t, f.eng.Delete(ctx, region, "andmoredev-auth", nil))

	if _, err := f.eng.Describe(ctx, region, "echo-api"); err == nil {
		t.Error("a deleted stack is found by its name")
	}
	info, err := f.eng.Describe(ctx, region, first)
	if err != nil {
		t.Fatalf("a deleted stack is not found by its id: %v", err)
	}
	if info.Name != "echo-api" || info.Status != stack.StatusDeleteComplete || info.DeletedAt.IsZero() {
		t.Errorf("deleted stack: %+v", info)
	}
	evs, err := f.eng.Events(ctx, region, first)
	if err != nil || len(evs) == 0 || evs[0].Status != stack.StatusDeleteComplete || evs[0].LogicalID != "echo-api" {
		t.Errorf("events of the deleted stack (newest first): %+v %v", evs, err)
	}
	if live, _ := f.eng.List(ctx, region); len(live) != 0 {
		t.Errorf("List shows deleted stacks: %+v", live)
	}

	// The name is free again; both stacks are listed, the live one first.
	second := f.mustDeploy("echo-api", `Resources: {P: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: x}}}`, nil).StackID
	if second == first {
		t.Fatal("the new stack reused the deleted stack's id")
	}
	all, err := f.eng.ListWithDeleted(ctx, region)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range all {
		got = append(got, s.Name+" "+s.Status)
	}
	want := []string{"andmoredev-auth DELETE_COMPLETE", "echo-api CREATE_COMPLETE", "echo-api DELETE_COMPLETE"}
	if !equalStrings(got, want) {
		t.Errorf("ListWithDeleted: %q, want %q", got, want)
	}
	if info, err := f.eng.Describe(ctx, region, second); err != nil || info.Status != stack.StatusCreateComplete {
		t.Errorf("the live stack by its id: %+v %v", info, err)
	}
	if info, err := f.eng.Describe(ctx, region, first); err != nil || info.Status != stack.StatusDeleteComplete {
		t.Errorf("the deleted stack by its id, once the name is reused: %+v %v", info, err)
	}

	// 91 days later the deleted stacks are gone from every view, and the
	// next delete forgets them.
	seal, err := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	later := stack.New(stack.Config{Store: f.store, Sealer: seal, AccountID: account, Providers: provider.All(f.ids, f.params),
		SSM: provider.SSMSource{Parameters: f.params}, Now: func() time.Time { return time.Now().Add(91 * 24 * time.Hour) }})
	if _, err := later.Describe(ctx, region, first); err == nil {
		t.Error("a stack deleted 91 days ago is still found by its id")
	}
	if all, _ := later.ListWithDeleted(ctx, region); len(all) != 1 || all[0].ID != second {
		t.Errorf("91 days later ListWithDeleted shows %+v, want the live stack only", all)
	}
	must(t, later.Delete(ctx, region, "echo-api", nil))
	rows, err := f.store.ListStacks(ctx, region)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].ID != second {
		t.Errorf("stack records after pruning: %d, want only the one just deleted", len(rows))
	}
}

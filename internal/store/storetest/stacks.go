package storetest

import (
	"errors"
	"testing"

	"github.com/cognatehq/cognate/internal/store"
)

var stackTests = []test{
	{"Stack/CRUD", testStackCRUD},
	{"Stack/UniqueName", testStackUnique},
	{"Stack/Resources", testStackResources},
	{"Stack/Events", testStackEvents},
	{"Stack/Exports", testStackExports},
	{"Stack/DeleteCascades", testStackCascade},
	{"Stack/InTxRollback", testStackInTx},
}

func stackRec(region, name string) store.Stack {
	return store.Stack{
		ID:        "arn:aws:cloudformation:" + region + ":123456789012:stack/" + name + "/0a1b",
		Region:    region,
		Name:      name,
		Status:    "CREATE_IN_PROGRESS",
		Template:  []byte("Resources: {}"),
		Document:  []byte(`{"a":1}`),
		Operation: []byte(`{"kind":"CREATE"}`),
		CreatedAt: t0,
		UpdatedAt: t0,
	}
}

func testStackCRUD(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	want := stackRec("us-east-1", "auth")
	must(t, s.CreateStack(ctx, want), "CreateStack")
	got, err := s.GetStack(ctx, "us-east-1", "auth")
	must(t, err, "GetStack")
	equal(t, got, want, "GetStack")

	must(t, s.UpdateStack(ctx, want.ID, func(st store.Stack) (store.Stack, error) {
		st.Status = "CREATE_COMPLETE"
		st.StatusReason = "done"
		st.Operation = nil
		st.UpdatedAt = at(1e6)
		return st, nil
	}), "UpdateStack")
	want.Status, want.StatusReason, want.Operation, want.UpdatedAt = "CREATE_COMPLETE", "done", nil, at(1e6)
	got, err = s.GetStack(ctx, "us-east-1", "auth")
	must(t, err, "GetStack after update")
	equal(t, got, want, "GetStack after update")

	errStop := errors.New("stop")
	if err := s.UpdateStack(ctx, want.ID, func(store.Stack) (store.Stack, error) { return store.Stack{}, errStop }); err != errStop {
		t.Fatalf("UpdateStack closure error: got %v", err)
	}
	if err := s.UpdateStack(ctx, want.ID, func(st store.Stack) (store.Stack, error) { st.ID = "x"; return st, nil }); err == nil {
		t.Fatal("UpdateStack changing ID: no error")
	}

	must(t, s.CreateStack(ctx, stackRec("eu-west-1", "api")), "CreateStack eu-west-1")
	must(t, s.CreateStack(ctx, stackRec("us-east-1", "api")), "CreateStack api")
	all, err := s.ListStacks(ctx, "")
	must(t, err, "ListStacks all")
	var names []string
	for _, st := range all {
		names = append(names, st.Region+"/"+st.Name)
	}
	equal(t, names, []string{"eu-west-1/api", "us-east-1/api", "us-east-1/auth"}, "ListStacks all")
	one, err := s.ListStacks(ctx, "eu-west-1")
	must(t, err, "ListStacks region")
	equal(t, len(one), 1, "ListStacks region")

	must(t, s.DeleteStack(ctx, want.ID), "DeleteStack")
	_, err = s.GetStack(ctx, "us-east-1", "auth")
	wantErr(t, err, store.ErrNotFound, "GetStack after delete")
	wantErr(t, s.DeleteStack(ctx, want.ID), store.ErrNotFound, "DeleteStack twice")
	wantErr(t, s.UpdateStack(ctx, want.ID, func(st store.Stack) (store.Stack, error) { return st, nil }), store.ErrNotFound, "UpdateStack missing")
}

func testStackUnique(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	a := stackRec("us-east-1", "auth")
	must(t, s.CreateStack(ctx, a), "CreateStack")
	b := a
	b.ID += "-other"
	wantErr(t, s.CreateStack(ctx, b), store.ErrConflict, "CreateStack same region and name")
	wantErr(t, s.CreateStack(ctx, a), store.ErrConflict, "CreateStack same id")
	// Once deleted, the name is free again.
	must(t, s.DeleteStack(ctx, a.ID), "DeleteStack")
	must(t, s.CreateStack(ctx, b), "CreateStack after delete")
}

func testStackResources(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	st := stackRec("us-east-1", "auth")
	must(t, s.CreateStack(ctx, st), "CreateStack")
	r := store.StackResource{StackID: st.ID, LogicalID: "Pool", Type: "AWS::Cognito::UserPool", PhysicalID: "us-east-1_abc",
		Status: "CREATE_COMPLETE", Properties: []byte(`{}`), Attributes: []byte(`{"Arn":"x"}`), Rollback: []byte(`{"created":true}`), UpdatedAt: t0}
	must(t, s.PutStackResource(ctx, r), "PutStackResource")
	r2 := store.StackResource{StackID: st.ID, LogicalID: "Domain", Type: "AWS::Cognito::UserPoolDomain", Status: "CREATE_IN_PROGRESS", UpdatedAt: t0}
	must(t, s.PutStackResource(ctx, r2), "PutStackResource 2")
	got, err := s.ListStackResources(ctx, st.ID)
	must(t, err, "ListStackResources")
	equal(t, got, []store.StackResource{r2, r}, "ListStackResources")

	r.Rollback = nil
	r.Status = "UPDATE_COMPLETE"
	must(t, s.PutStackResource(ctx, r), "PutStackResource replace")
	got, err = s.ListStackResources(ctx, st.ID)
	must(t, err, "ListStackResources after replace")
	equal(t, got, []store.StackResource{r2, r}, "ListStackResources after replace")

	must(t, s.DeleteStackResource(ctx, st.ID, "Domain"), "DeleteStackResource")
	wantErr(t, s.DeleteStackResource(ctx, st.ID, "Domain"), store.ErrNotFound, "DeleteStackResource twice")
	wantErr(t, s.PutStackResource(ctx, store.StackResource{StackID: "nope", LogicalID: "X", UpdatedAt: t0}), store.ErrNotFound, "PutStackResource missing stack")
}

func testStackEvents(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	st := stackRec("us-east-1", "auth")
	must(t, s.CreateStack(ctx, st), "CreateStack")
	for i, status := range []string{"CREATE_IN_PROGRESS", "CREATE_COMPLETE"} {
		seq, err := s.AddStackEvent(ctx, store.StackEvent{StackID: st.ID, EventID: status, LogicalID: "Pool", Type: "AWS::Cognito::UserPool", Status: status, Timestamp: t0})
		must(t, err, "AddStackEvent")
		equal(t, seq, int64(i+1), "AddStackEvent seq")
	}
	evs, err := s.ListStackEvents(ctx, st.ID)
	must(t, err, "ListStackEvents")
	equal(t, len(evs), 2, "ListStackEvents count")
	equal(t, evs[1], store.StackEvent{StackID: st.ID, Seq: 2, EventID: "CREATE_COMPLETE", LogicalID: "Pool", Type: "AWS::Cognito::UserPool", Status: "CREATE_COMPLETE", Timestamp: t0}, "ListStackEvents[1]")
	_, err = s.AddStackEvent(ctx, store.StackEvent{StackID: "nope", Timestamp: t0})
	wantErr(t, err, store.ErrNotFound, "AddStackEvent missing stack")
}

func testStackExports(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	a, b := stackRec("us-east-1", "a"), stackRec("us-east-1", "b")
	c := stackRec("eu-west-1", "c")
	for _, st := range []store.Stack{a, b, c} {
		must(t, s.CreateStack(ctx, st), "CreateStack")
	}
	must(t, s.SetStackExports(ctx, a.ID, "us-east-1", map[string]string{"PoolId": "p1", "PoolArn": "arn"}), "SetStackExports a")
	got, err := s.GetStackExport(ctx, "us-east-1", "PoolId")
	must(t, err, "GetStackExport")
	equal(t, got, store.StackExport{Region: "us-east-1", Name: "PoolId", StackID: a.ID, Value: "p1"}, "GetStackExport")
	wantErr(t, s.SetStackExports(ctx, b.ID, "us-east-1", map[string]string{"Other": "x", "PoolId": "p2"}), store.ErrConflict, "SetStackExports clash")
	_, err = s.GetStackExport(ctx, "us-east-1", "Other")
	wantErr(t, err, store.ErrNotFound, "export of a failed SetStackExports")
	// Another region may use the same name.
	must(t, s.SetStackExports(ctx, c.ID, "eu-west-1", map[string]string{"PoolId": "p3"}), "SetStackExports other region")
	// Replacing drops names no longer exported.
	must(t, s.SetStackExports(ctx, a.ID, "us-east-1", map[string]string{"PoolArn": "arn2"}), "SetStackExports replace")
	_, err = s.GetStackExport(ctx, "us-east-1", "PoolId")
	wantErr(t, err, store.ErrNotFound, "GetStackExport dropped")
	must(t, s.SetStackExports(ctx, b.ID, "us-east-1", map[string]string{"PoolId": "p2"}), "SetStackExports freed name")
}

func testStackCascade(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	st := stackRec("us-east-1", "auth")
	must(t, s.CreateStack(ctx, st), "CreateStack")
	must(t, s.PutStackResource(ctx, store.StackResource{StackID: st.ID, LogicalID: "Pool", UpdatedAt: t0}), "PutStackResource")
	_, err := s.AddStackEvent(ctx, store.StackEvent{StackID: st.ID, Timestamp: t0})
	must(t, err, "AddStackEvent")
	must(t, s.SetStackExports(ctx, st.ID, "us-east-1", map[string]string{"X": "1"}), "SetStackExports")
	must(t, s.DeleteStack(ctx, st.ID), "DeleteStack")
	must(t, s.CreateStack(ctx, st), "CreateStack again")
	rs, err := s.ListStackResources(ctx, st.ID)
	must(t, err, "ListStackResources")
	equal(t, len(rs), 0, "resources after delete")
	evs, err := s.ListStackEvents(ctx, st.ID)
	must(t, err, "ListStackEvents")
	equal(t, len(evs), 0, "events after delete")
	_, err = s.GetStackExport(ctx, "us-east-1", "X")
	wantErr(t, err, store.ErrNotFound, "export after delete")
	must(t, s.Reset(ctx), "Reset")
	_, err = s.GetStack(ctx, "us-east-1", "auth")
	wantErr(t, err, store.ErrNotFound, "stack after Reset")
}

func testStackInTx(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	st := stackRec("us-east-1", "auth")
	errStop := errors.New("stop")
	err := s.InTx(ctx, func(tx store.Store) error {
		must(t, tx.CreateStack(ctx, st), "CreateStack in tx")
		must(t, tx.PutStackResource(ctx, store.StackResource{StackID: st.ID, LogicalID: "Pool", UpdatedAt: t0}), "PutStackResource in tx")
		return errStop
	})
	if err != errStop {
		t.Fatalf("InTx: got %v", err)
	}
	_, err = s.GetStack(ctx, "us-east-1", "auth")
	wantErr(t, err, store.ErrNotFound, "stack of a rolled-back transaction")
}

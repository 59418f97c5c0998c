package storetest

import (
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

var poolTests = []test{
	{"Pool/CRUD", testPoolCRUD},
	{"Pool/Conflict", testPoolConflict},
	{"Pool/NotFound", testPoolNotFound},
	{"Pool/ListByRegionAndPage", testPoolList},
	{"Pool/UpdateClosureError", testPoolUpdateClosureError},
	{"Pool/UpdateKeyChange", testPoolUpdateKeyChange},
}

func testPoolCRUD(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	want := createPool(t, s, "us-east-1_AAA")

	got, err := s.GetPool(ctx, want.ID)
	must(t, err, "GetPool")
	equal(t, got, want, "GetPool after CreatePool")

	must(t, s.UpdatePool(ctx, want.ID, func(p store.Pool) (store.Pool, error) {
		equal(t, p, want, "record passed to the update closure")
		p.Name = "renamed"
		p.Settings = []byte(`{"mfa":"ON"}`)
		p.UpdatedAt = at(time.Hour)
		return p, nil
	}), "UpdatePool")
	want.Name, want.Settings, want.UpdatedAt = "renamed", []byte(`{"mfa":"ON"}`), at(time.Hour)
	got, err = s.GetPool(ctx, want.ID)
	must(t, err, "GetPool after UpdatePool")
	equal(t, got, want, "GetPool after UpdatePool")

	must(t, s.DeletePool(ctx, want.ID), "DeletePool")
	_, err = s.GetPool(ctx, want.ID)
	wantErr(t, err, store.ErrNotFound, "GetPool after DeletePool")
}

func testPoolConflict(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	first := createPool(t, s, "us-east-1_AAA")
	dup := pool(first.ID, "eu-west-1")
	dup.Name = "other"
	wantErr(t, s.CreatePool(ctx, dup), store.ErrConflict, "CreatePool with a used ID")

	got, err := s.GetPool(ctx, first.ID)
	must(t, err, "GetPool")
	equal(t, got, first, "pool after the conflicting create")
}

func testPoolNotFound(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	_, err := s.GetPool(ctx, "us-east-1_missing")
	wantErr(t, err, store.ErrNotFound, "GetPool")
	err = s.UpdatePool(ctx, "us-east-1_missing", func(p store.Pool) (store.Pool, error) {
		t.Error("update closure called for a missing pool")
		return p, nil
	})
	wantErr(t, err, store.ErrNotFound, "UpdatePool")
	wantErr(t, s.DeletePool(ctx, "us-east-1_missing"), store.ErrNotFound, "DeletePool")
}

func testPoolList(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	// Created out of order, in two regions; IDs include upper and lower
	// case, which sort bytewise (upper case first).
	for _, id := range []string{"us-east-1_c", "us-east-1_B", "us-east-1_a", "us-east-1_D"} {
		createPool(t, s, id)
	}
	must(t, s.CreatePool(ctx, pool("eu-west-1_x", "eu-west-1")), "CreatePool eu-west-1")

	ids := func(ps []store.Pool) []string {
		out := []string{}
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	all, err := s.ListPools(ctx, "us-east-1", store.Page{})
	must(t, err, "ListPools")
	equal(t, ids(all), []string{"us-east-1_B", "us-east-1_D", "us-east-1_a", "us-east-1_c"}, "ListPools, no limit")
	equal(t, all[0], pool("us-east-1_B", "us-east-1"), "first listed pool")

	page, err := s.ListPools(ctx, "us-east-1", store.Page{Limit: 2})
	must(t, err, "ListPools page 1")
	equal(t, ids(page), []string{"us-east-1_B", "us-east-1_D"}, "ListPools page 1")
	page, err = s.ListPools(ctx, "us-east-1", store.Page{After: page[1].ID, Limit: 2})
	must(t, err, "ListPools page 2")
	equal(t, ids(page), []string{"us-east-1_a", "us-east-1_c"}, "ListPools page 2")
	page, err = s.ListPools(ctx, "us-east-1", store.Page{After: page[1].ID, Limit: 2})
	must(t, err, "ListPools page 3")
	equal(t, len(page), 0, "ListPools after the last pool")

	// After need not be an existing key.
	page, err = s.ListPools(ctx, "us-east-1", store.Page{After: "us-east-1_C", Limit: -1})
	must(t, err, "ListPools after a missing key")
	equal(t, ids(page), []string{"us-east-1_D", "us-east-1_a", "us-east-1_c"}, "ListPools after a missing key")

	eu, err := s.ListPools(ctx, "eu-west-1", store.Page{})
	must(t, err, "ListPools eu-west-1")
	equal(t, ids(eu), []string{"eu-west-1_x"}, "ListPools eu-west-1")
	none, err := s.ListPools(ctx, "ap-south-1", store.Page{})
	must(t, err, "ListPools of an empty region")
	equal(t, len(none), 0, "ListPools of an empty region")
}

func testPoolUpdateClosureError(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	want := createPool(t, s, "us-east-1_AAA")
	sent := &errTest{"policy says no"}
	err := s.UpdatePool(ctx, want.ID, func(p store.Pool) (store.Pool, error) {
		p.Name = "should not be written"
		return p, sent
	})
	wantSameErr(t, err, sent, "UpdatePool with a failing closure")
	got, err := s.GetPool(ctx, want.ID)
	must(t, err, "GetPool")
	equal(t, got, want, "pool after a failed update")
}

func testPoolUpdateKeyChange(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	want := createPool(t, s, "us-east-1_AAA")
	err := s.UpdatePool(ctx, want.ID, func(p store.Pool) (store.Pool, error) {
		p.ID = "us-east-1_BBB"
		return p, nil
	})
	if err == nil {
		t.Fatal("UpdatePool that changes the ID: got no error")
	}
	got, err := s.GetPool(ctx, want.ID)
	must(t, err, "GetPool")
	equal(t, got, want, "pool after an update that tried to change its ID")
	_, err = s.GetPool(ctx, "us-east-1_BBB")
	wantErr(t, err, store.ErrNotFound, "GetPool of the ID the closure tried to set")
}

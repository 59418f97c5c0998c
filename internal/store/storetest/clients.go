package storetest

import (
	"fmt"
	"testing"

	"github.com/cognatehq/cognate/internal/store"
)

var clientTests = []test{
	{"Client/CRUD", testClientCRUD},
	{"Client/PublicAndBytes", testClientBytes},
	{"Client/ConflictAndMissingPool", testClientConflict},
	{"Client/NotFound", testClientNotFound},
	{"Client/ListAndCount", testClientList},
	{"Client/UpdateRules", testClientUpdateRules},
}

func testClientCRUD(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	want := client("3n4b5urk1ft4fl3mg5e62d9ado", "p1")
	must(t, s.CreateClient(ctx, want), "CreateClient")

	got, err := s.GetClient(ctx, want.ID)
	must(t, err, "GetClient")
	equal(t, got, want, "GetClient")

	must(t, s.UpdateClient(ctx, want.ID, func(c store.Client) (store.Client, error) {
		c.Name = "renamed"
		c.SecretSealed = nil // made public
		c.UpdatedAt = at(61e9)
		return c, nil
	}), "UpdateClient")
	want.Name, want.SecretSealed, want.UpdatedAt = "renamed", nil, at(61e9)
	got, err = s.GetClient(ctx, want.ID)
	must(t, err, "GetClient after update")
	equal(t, got, want, "GetClient after update")

	must(t, s.DeleteClient(ctx, want.ID), "DeleteClient")
	_, err = s.GetClient(ctx, want.ID)
	wantErr(t, err, store.ErrNotFound, "GetClient after delete")
}

func testClientBytes(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	cases := []struct {
		name             string
		secret, settings []byte
	}{
		{"nil", nil, nil},
		{"empty", []byte{}, []byte{}},
		{"binary", []byte{0, 0xff, 0, 0x80}, []byte("{}")},
	}
	for _, tc := range cases {
		c := client("client-"+tc.name, "p1")
		c.SecretSealed, c.Settings = tc.secret, tc.settings
		must(t, s.CreateClient(ctx, c), "CreateClient "+tc.name)
		got, err := s.GetClient(ctx, c.ID)
		must(t, err, "GetClient "+tc.name)
		equal(t, got.SecretSealed, tc.secret, "SecretSealed "+tc.name)
		equal(t, got.Settings, tc.settings, "Settings "+tc.name)
		if (got.SecretSealed == nil) != (tc.secret == nil) {
			t.Fatalf("SecretSealed %s: nil-ness changed: got %#v, want %#v", tc.name, got.SecretSealed, tc.secret)
		}
	}
}

func testClientConflict(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	want := client("c1", "p1")
	must(t, s.CreateClient(ctx, want), "CreateClient")
	wantErr(t, s.CreateClient(ctx, client("c1", "p2")), store.ErrConflict, "CreateClient with an ID used in another pool")
	wantErr(t, s.CreateClient(ctx, client("c2", "no-such-pool")), store.ErrNotFound, "CreateClient in a missing pool")
	got, err := s.GetClient(ctx, "c1")
	must(t, err, "GetClient")
	equal(t, got, want, "client after the conflicting create")
}

func testClientNotFound(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	_, err := s.GetClient(ctx, "nope")
	wantErr(t, err, store.ErrNotFound, "GetClient")
	err = s.UpdateClient(ctx, "nope", func(c store.Client) (store.Client, error) { return c, nil })
	wantErr(t, err, store.ErrNotFound, "UpdateClient")
	wantErr(t, s.DeleteClient(ctx, "nope"), store.ErrNotFound, "DeleteClient")
}

func testClientList(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	var want []string
	for i := range 25 {
		id := fmt.Sprintf("client%02d", 24-i) // created in reverse order
		must(t, s.CreateClient(ctx, client(id, "p1")), "CreateClient "+id)
		want = append([]string{id}, want...)
	}
	must(t, s.CreateClient(ctx, client("aaa-other-pool", "p2")), "CreateClient in p2")

	// Walk the pages of ten the way a ListUserPoolClients caller does.
	var got []string
	page := store.Page{Limit: 10}
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("ListClients: paging does not end")
		}
		cs, err := s.ListClients(ctx, "p1", page)
		must(t, err, "ListClients")
		if len(cs) > 10 {
			t.Fatalf("ListClients returned %d clients for a limit of 10", len(cs))
		}
		for _, c := range cs {
			got = append(got, c.ID)
		}
		if len(cs) < 10 {
			break
		}
		page.After = cs[len(cs)-1].ID
	}
	equal(t, got, want, "ListClients, all pages")

	all, err := s.ListClients(ctx, "p1", store.Page{})
	must(t, err, "ListClients, no limit")
	equal(t, len(all), 25, "ListClients, no limit")
	equal(t, all[0], client("client00", "p1"), "first listed client")

	n, err := s.CountClients(ctx, "p1")
	must(t, err, "CountClients")
	equal(t, n, 25, "CountClients")
}

func testClientUpdateRules(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	want := client("c1", "p1")
	must(t, s.CreateClient(ctx, want), "CreateClient")
	for name, change := range map[string]func(*store.Client){
		"ID":     func(c *store.Client) { c.ID = "c2" },
		"PoolID": func(c *store.Client) { c.PoolID = "p2" },
	} {
		err := s.UpdateClient(ctx, "c1", func(c store.Client) (store.Client, error) {
			change(&c)
			c.Name = "changed"
			return c, nil
		})
		if err == nil {
			t.Fatalf("UpdateClient that changes %s: got no error", name)
		}
	}
	sent := &errTest{"no"}
	err := s.UpdateClient(ctx, "c1", func(c store.Client) (store.Client, error) {
		c.Name = "changed"
		return c, sent
	})
	wantSameErr(t, err, sent, "UpdateClient with a failing closure")
	got, err := s.GetClient(ctx, "c1")
	must(t, err, "GetClient")
	equal(t, got, want, "client after the rejected updates")
}

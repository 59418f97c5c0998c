package storetest

import (
	"testing"

	"github.com/cognatehq/cognate/internal/store"
)

var resourceServerTests = []test{
	{"ResourceServer/CRUD", testRSCRUD},
	{"ResourceServer/Scopes", testRSScopes},
	{"ResourceServer/ConflictAndMissingPool", testRSConflict},
	{"ResourceServer/NotFound", testRSNotFound},
	{"ResourceServer/ListAndCount", testRSList},
	{"ResourceServer/UpdateRules", testRSUpdateRules},
}

func testRSCRUD(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	want := resourceServer("p1", "https://api.example.com")
	must(t, s.CreateResourceServer(ctx, want), "CreateResourceServer")

	got, err := s.GetResourceServer(ctx, "p1", want.Identifier)
	must(t, err, "GetResourceServer")
	equal(t, got, want, "GetResourceServer")

	must(t, s.UpdateResourceServer(ctx, "p1", want.Identifier, func(rs store.ResourceServer) (store.ResourceServer, error) {
		rs.Name = "renamed"
		rs.Scopes = append(rs.Scopes, store.Scope{Name: "admin", Description: "Admin"})
		rs.UpdatedAt = at(5)
		return rs, nil
	}), "UpdateResourceServer")
	want.Name = "renamed"
	want.Scopes = append(want.Scopes, store.Scope{Name: "admin", Description: "Admin"})
	want.UpdatedAt = at(5)
	got, err = s.GetResourceServer(ctx, "p1", want.Identifier)
	must(t, err, "GetResourceServer after update")
	// at(5) is five nanoseconds past t0: stored with microsecond precision
	// it reads back as t0.
	want.UpdatedAt = t0
	equal(t, got, want, "GetResourceServer after update")

	must(t, s.DeleteResourceServer(ctx, "p1", want.Identifier), "DeleteResourceServer")
	_, err = s.GetResourceServer(ctx, "p1", want.Identifier)
	wantErr(t, err, store.ErrNotFound, "GetResourceServer after delete")
}

func testRSScopes(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	cases := map[string][]store.Scope{
		"nil":   nil,
		"empty": {},
		"ordered": {
			{Name: "z", Description: "last letter, first scope"},
			{Name: "a", Description: `quotes " and \ and unicode é 🔑`},
			{Name: "m", Description: ""},
		},
	}
	for id, scopes := range cases {
		rs := resourceServer("p1", id)
		rs.Scopes = scopes
		must(t, s.CreateResourceServer(ctx, rs), "CreateResourceServer "+id)
		got, err := s.GetResourceServer(ctx, "p1", id)
		must(t, err, "GetResourceServer "+id)
		equal(t, got.Scopes, scopes, "scopes "+id)
	}
}

func testRSConflict(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	must(t, s.CreateResourceServer(ctx, resourceServer("p1", "api")), "CreateResourceServer")
	wantErr(t, s.CreateResourceServer(ctx, resourceServer("p1", "api")), store.ErrConflict,
		"CreateResourceServer with a used identifier")
	must(t, s.CreateResourceServer(ctx, resourceServer("p2", "api")), "the same identifier in another pool")
	wantErr(t, s.CreateResourceServer(ctx, resourceServer("no-such-pool", "api")), store.ErrNotFound,
		"CreateResourceServer in a missing pool")
}

func testRSNotFound(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	must(t, s.CreateResourceServer(ctx, resourceServer("p1", "api")), "CreateResourceServer")
	_, err := s.GetResourceServer(ctx, "p2", "api")
	wantErr(t, err, store.ErrNotFound, "GetResourceServer in the wrong pool")
	err = s.UpdateResourceServer(ctx, "p2", "api", func(rs store.ResourceServer) (store.ResourceServer, error) { return rs, nil })
	wantErr(t, err, store.ErrNotFound, "UpdateResourceServer in the wrong pool")
	wantErr(t, s.DeleteResourceServer(ctx, "p2", "api"), store.ErrNotFound, "DeleteResourceServer in the wrong pool")
	_, err = s.GetResourceServer(ctx, "p1", "api")
	must(t, err, "GetResourceServer in the right pool")
}

func testRSList(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	for _, id := range []string{"https://c", "https://a", "B", "https://b"} {
		must(t, s.CreateResourceServer(ctx, resourceServer("p1", id)), "CreateResourceServer "+id)
	}
	must(t, s.CreateResourceServer(ctx, resourceServer("p2", "other")), "CreateResourceServer in p2")

	ids := func(rss []store.ResourceServer) []string {
		out := []string{}
		for _, rs := range rss {
			out = append(out, rs.Identifier)
		}
		return out
	}
	all, err := s.ListResourceServers(ctx, "p1", store.Page{})
	must(t, err, "ListResourceServers")
	equal(t, ids(all), []string{"B", "https://a", "https://b", "https://c"}, "ListResourceServers")
	equal(t, all[1], resourceServer("p1", "https://a"), "a listed resource server")

	page, err := s.ListResourceServers(ctx, "p1", store.Page{After: "https://a", Limit: 2})
	must(t, err, "ListResourceServers page")
	equal(t, ids(page), []string{"https://b", "https://c"}, "ListResourceServers after https://a")

	n, err := s.CountResourceServers(ctx, "p1")
	must(t, err, "CountResourceServers")
	equal(t, n, 4, "CountResourceServers p1")
	n, err = s.CountResourceServers(ctx, "no-such-pool")
	must(t, err, "CountResourceServers of a missing pool")
	equal(t, n, 0, "CountResourceServers of a missing pool")
}

func testRSUpdateRules(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	want := resourceServer("p1", "api")
	must(t, s.CreateResourceServer(ctx, want), "CreateResourceServer")

	for name, change := range map[string]func(*store.ResourceServer){
		"Identifier": func(rs *store.ResourceServer) { rs.Identifier = "api2" },
		"PoolID":     func(rs *store.ResourceServer) { rs.PoolID = "p2" },
	} {
		err := s.UpdateResourceServer(ctx, "p1", "api", func(rs store.ResourceServer) (store.ResourceServer, error) {
			change(&rs)
			rs.Name = "changed"
			return rs, nil
		})
		if err == nil {
			t.Fatalf("UpdateResourceServer that changes %s: got no error", name)
		}
	}
	sent := &errTest{"no"}
	err := s.UpdateResourceServer(ctx, "p1", "api", func(rs store.ResourceServer) (store.ResourceServer, error) {
		rs.Scopes = nil
		return rs, sent
	})
	wantSameErr(t, err, sent, "UpdateResourceServer with a failing closure")

	got, err := s.GetResourceServer(ctx, "p1", "api")
	must(t, err, "GetResourceServer")
	equal(t, got, want, "resource server after the rejected updates")
}

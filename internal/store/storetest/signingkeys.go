package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

var signingKeyTests = []test{
	{"SigningKey/AddAndListNewestFirst", testKeyList},
	{"SigningKey/ConflictAndMissingPool", testKeyConflict},
	{"SigningKey/Retire", testKeyRetire},
	{"SigningKey/DeleteRetired", testKeyDeleteRetired},
	{"SigningKey/GrantContext", testGrantContext},
	{"SigningKey/GrantContextScopes", testGrantContextScopes},
}

func testKeyList(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	oldAccess := signingKey("p1", "k-old", "access", at(0))
	newID := signingKey("p1", "k-new-id", "id", at(2*time.Hour))
	newAccess := signingKey("p1", "k-new", "access", at(time.Hour))
	retireAt := at(3 * time.Hour)
	oldAccess.RetireAt = &retireAt
	for _, k := range []store.SigningKey{oldAccess, newID, newAccess, signingKey("p2", "k-p2", "access", at(0))} {
		must(t, s.AddSigningKey(ctx, k), "AddSigningKey "+k.KID)
	}
	got, err := s.ListSigningKeys(ctx, "p1")
	must(t, err, "ListSigningKeys")
	equal(t, got, []store.SigningKey{newID, newAccess, oldAccess}, "ListSigningKeys p1, newest first")

	none, err := s.ListSigningKeys(ctx, "no-such-pool")
	must(t, err, "ListSigningKeys of a missing pool")
	equal(t, len(none), 0, "keys of a missing pool")
}

func testKeyConflict(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	must(t, s.AddSigningKey(ctx, signingKey("p1", "k1", "access", t0)), "AddSigningKey")
	wantErr(t, s.AddSigningKey(ctx, signingKey("p2", "k1", "id", t0)), store.ErrConflict,
		"AddSigningKey with a used KID")
	wantErr(t, s.AddSigningKey(ctx, signingKey("no-such-pool", "k2", "id", t0)), store.ErrNotFound,
		"AddSigningKey to a missing pool")
}

func testKeyRetire(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	earlier := at(30 * time.Minute)
	retired := signingKey("p1", "a-retired", "access", at(0))
	retired.RetireAt = &earlier
	keys := []store.SigningKey{
		retired,
		signingKey("p1", "a-old", "access", at(time.Minute)),
		signingKey("p1", "a-new", "access", at(time.Hour)),
		signingKey("p1", "i-old", "id", at(time.Minute)),
		signingKey("p2", "p2-a", "access", at(time.Minute)),
	}
	for _, k := range keys {
		must(t, s.AddSigningKey(ctx, k), "AddSigningKey "+k.KID)
	}
	retireAt := at(24 * time.Hour)
	must(t, s.RetireSigningKeys(ctx, "p1", "access", "a-new", retireAt), "RetireSigningKeys")

	want := map[string]*time.Time{
		"a-retired": &earlier,  // already retiring: keeps its time
		"a-old":     &retireAt, // retired now
		"a-new":     nil,       // kept
		"i-old":     nil,       // other use
		"p2-a":      nil,       // other pool
	}
	for _, pool := range []string{"p1", "p2"} {
		got, err := s.ListSigningKeys(ctx, pool)
		must(t, err, "ListSigningKeys "+pool)
		for _, k := range got {
			equal(t, k.RetireAt, want[k.KID], "RetireAt of "+k.KID)
		}
	}
}

func testKeyDeleteRetired(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	past, now, future := at(-time.Second), at(0), at(time.Second)
	mk := func(kid string, retire *time.Time) store.SigningKey {
		k := signingKey("p1", kid, "access", at(-time.Hour))
		k.RetireAt = retire
		return k
	}
	for _, k := range []store.SigningKey{mk("past", &past), mk("now", &now), mk("future", &future), mk("active", nil)} {
		must(t, s.AddSigningKey(ctx, k), "AddSigningKey "+k.KID)
	}
	n, err := s.DeleteRetiredKeys(ctx, now)
	must(t, err, "DeleteRetiredKeys")
	equal(t, n, 1, "keys deleted (RetireAt strictly before now)")

	got, err := s.ListSigningKeys(ctx, "p1")
	must(t, err, "ListSigningKeys")
	kids := []string{}
	for _, k := range got {
		kids = append(kids, k.KID)
	}
	equal(t, kids, []string{"active", "future", "now"}, "keys left (same CreatedAt, so by KID)")

	n, err = s.DeleteRetiredKeys(ctx, now)
	must(t, err, "DeleteRetiredKeys again")
	equal(t, n, 0, "keys deleted by a second run")
}

func testGrantContext(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	must(t, s.CreateDomain(ctx, store.Domain{Domain: "d1", PoolID: "p1", CreatedAt: t0}), "CreateDomain")
	c := store.Client{ID: "c1", PoolID: "p1", Name: "c", SecretSealed: []byte("sealed"), Settings: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateClient(ctx, c), "CreateClient")

	g, err := s.GetGrantContext(ctx, "d1", "c1", "access")
	must(t, err, "GetGrantContext without keys")
	equal(t, g, store.GrantContext{Client: c, DomainPoolID: "p1"}, "grant context of a pool without keys")

	retireAt := at(24 * time.Hour)
	retiring := signingKey("p1", "a-retiring", "access", at(3*time.Hour))
	retiring.RetireAt = &retireAt
	active := signingKey("p1", "a-active", "access", at(2*time.Hour))
	for _, k := range []store.SigningKey{retiring, active, signingKey("p1", "i-1", "id", at(4*time.Hour)),
		signingKey("p2", "p2-a", "access", at(5*time.Hour))} {
		must(t, s.AddSigningKey(ctx, k), "AddSigningKey "+k.KID)
	}
	g, err = s.GetGrantContext(ctx, "d1", "c1", "access")
	must(t, err, "GetGrantContext")
	equal(t, g, store.GrantContext{Client: c, DomainPoolID: "p1", ActiveKey: &active}, "grant context")

	g, err = s.GetGrantContext(ctx, "no-such-domain", "c1", "id")
	must(t, err, "GetGrantContext on an unknown domain")
	equal(t, g.DomainPoolID, "", "pool of an unknown domain")
	equal(t, g.ActiveKey.KID, "i-1", "active id key")

	_, err = s.GetGrantContext(ctx, "d1", "no-such-client", "access")
	wantErr(t, err, store.ErrNotFound, "GetGrantContext of a missing client")
}

func testGrantContextScopes(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	must(t, s.CreateClient(ctx, store.Client{ID: "c1", PoolID: "p1", Name: "c", Settings: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}), "CreateClient")
	for _, rs := range []store.ResourceServer{
		{PoolID: "p1", Identifier: "https://api.example.com", Name: "a", Scopes: []store.Scope{{Name: "read", Description: "r"}, {Name: "write", Description: "w \u001e odd"}}, CreatedAt: t0, UpdatedAt: t0},
		{PoolID: "p1", Identifier: "empty", Name: "e", Scopes: nil, CreatedAt: t0, UpdatedAt: t0},
		{PoolID: "p1", Identifier: "layerless-esbuild", Name: "l", Scopes: []store.Scope{{Name: "api", Description: "x"}}, CreatedAt: t0, UpdatedAt: t0},
		{PoolID: "p2", Identifier: "other", Name: "o", Scopes: []store.Scope{{Name: "x", Description: "x"}}, CreatedAt: t0, UpdatedAt: t0},
	} {
		must(t, s.CreateResourceServer(ctx, rs), "CreateResourceServer "+rs.Identifier)
	}
	g, err := s.GetGrantContext(ctx, "", "c1", "access")
	must(t, err, "GetGrantContext")
	got := append([]string(nil), g.DefinedScopes...)
	slices.Sort(got)
	equal(t, got, []string{"https://api.example.com/read", "https://api.example.com/write", "layerless-esbuild/api"}, "defined scopes of the client's pool")
}

package storetest

import (
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

var verifyTests = []test{
	{"Verify/Context", testVerifyContext},
	{"Verify/FollowsWrites", testVerifyContextFollowsWrites},
}

func testVerifyContext(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	must(t, s.CreateClient(ctx, store.Client{ID: "c1", PoolID: "p1", Name: "c", Settings: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}), "CreateClient c1")
	must(t, s.CreateClient(ctx, store.Client{ID: "c2", PoolID: "p2", Name: "c", Settings: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}), "CreateClient c2")
	retireAt := at(time.Hour)
	retired := signingKey("p1", "k-retired", "access", at(0))
	retired.RetireAt = &retireAt
	active := signingKey("p1", "k-active", "access", at(time.Minute))
	for _, k := range []store.SigningKey{retired, active, signingKey("p2", "k-p2", "id", at(0))} {
		must(t, s.AddSigningKey(ctx, k), "AddSigningKey "+k.KID)
	}
	public := func(k store.SigningKey) *store.SigningKey { k.PrivateSealed = nil; return &k }

	for _, tc := range []struct {
		name                string
		pool, kid, clientID string
		want                store.VerifyContext
	}{
		{"everything", "p1", "k-active", "c1", store.VerifyContext{PoolExists: true, Key: public(active), ClientExists: true}},
		{"retired key is still returned", "p1", "k-retired", "c1", store.VerifyContext{PoolExists: true, Key: public(retired), ClientExists: true}},
		{"unknown kid", "p1", "k-none", "c1", store.VerifyContext{PoolExists: true, ClientExists: true}},
		{"kid of another pool", "p1", "k-p2", "c1", store.VerifyContext{PoolExists: true, ClientExists: true}},
		{"client of another pool", "p1", "k-active", "c2", store.VerifyContext{PoolExists: true, Key: public(active)}},
		{"unknown client", "p1", "k-active", "", store.VerifyContext{PoolExists: true, Key: public(active)}},
		{"unknown pool", "p3", "k-active", "c1", store.VerifyContext{}},
	} {
		got, err := s.GetVerifyContext(ctx, tc.pool, tc.kid, tc.clientID)
		must(t, err, "GetVerifyContext "+tc.name)
		equal(t, got, tc.want, "GetVerifyContext "+tc.name)
	}
}

// testVerifyContextFollowsWrites reads a context, then deletes what it
// names one by one: a caching backend must see each change at once.
func testVerifyContextFollowsWrites(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	must(t, s.CreateClient(ctx, store.Client{ID: "c1", PoolID: "p1", Name: "c", Settings: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}), "CreateClient")
	must(t, s.AddSigningKey(ctx, signingKey("p1", "k1", "id", t0)), "AddSigningKey")
	read := func(what string) store.VerifyContext {
		t.Helper()
		v, err := s.GetVerifyContext(ctx, "p1", "k1", "c1")
		must(t, err, "GetVerifyContext "+what)
		return v
	}
	if v := read("first"); !v.PoolExists || v.Key == nil || !v.ClientExists {
		t.Fatalf("first read: %+v", v)
	}
	read("again, perhaps cached")
	must(t, s.DeleteClient(ctx, "c1"), "DeleteClient")
	if v := read("after client delete"); v.ClientExists || v.Key == nil {
		t.Fatalf("after client delete: %+v", v)
	}
	must(t, s.RetireSigningKeys(ctx, "p1", "id", "other", at(time.Hour)), "RetireSigningKeys")
	if v := read("after retire"); v.Key == nil || v.Key.RetireAt == nil || !v.Key.RetireAt.Equal(at(time.Hour)) {
		t.Fatalf("after retire: %+v", v.Key)
	}
	_, err := s.DeleteRetiredKeys(ctx, at(2*time.Hour))
	must(t, err, "DeleteRetiredKeys")
	if v := read("after prune"); v.Key != nil || !v.PoolExists {
		t.Fatalf("after prune: %+v", v)
	}
	must(t, s.DeletePool(ctx, "p1"), "DeletePool")
	equal(t, read("after pool delete"), store.VerifyContext{}, "context after pool delete")
	read("again, perhaps cached")
	createPool(t, s, "p1")
	must(t, s.AddSigningKey(ctx, signingKey("p1", "k1", "id", t0)), "AddSigningKey again")
	if v := read("after the pool is made again"); !v.PoolExists || v.Key == nil || v.ClientExists {
		t.Fatalf("after the pool is made again: %+v", v)
	}
}

package storetest

import (
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

var signingKeyTests = []test{
	{"SigningKey/AddAndListNewestFirst", testKeyList},
	{"SigningKey/ConflictAndMissingPool", testKeyConflict},
	{"SigningKey/Retire", testKeyRetire},
	{"SigningKey/DeleteRetired", testKeyDeleteRetired},
	{"SigningKey/Active", testKeyActive},
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

func testKeyActive(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	_, err := s.ActiveSigningKey(ctx, "p1", "access")
	wantErr(t, err, store.ErrNotFound, "ActiveSigningKey of a pool without keys")
	retireAt := at(24 * time.Hour)
	retiring := signingKey("p1", "a-newest-but-retiring", "access", at(3*time.Hour))
	retiring.RetireAt = &retireAt
	active := signingKey("p1", "a-active", "access", at(2*time.Hour))
	for _, k := range []store.SigningKey{
		signingKey("p1", "a-old", "access", at(time.Hour)), active, retiring,
		signingKey("p1", "i-newer", "id", at(4*time.Hour)),
	} {
		must(t, s.AddSigningKey(ctx, k), "AddSigningKey "+k.KID)
	}
	got, err := s.ActiveSigningKey(ctx, "p1", "access")
	must(t, err, "ActiveSigningKey")
	equal(t, got, active, "ActiveSigningKey: newest access key that is not retiring")
	_, err = s.ActiveSigningKey(ctx, "no-such-pool", "access")
	wantErr(t, err, store.ErrNotFound, "ActiveSigningKey of a missing pool")
}

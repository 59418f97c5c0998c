package storetest

import (
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

var miscTests = []test{
	{"DeletePoolCascades", testCascade},
	{"ResetKeepsMeta", testReset},
	{"TimeRoundTrip", testTimes},
	{"Ping", testPing},
}

func testCascade(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	for _, p := range []string{"doomed", "kept"} {
		createPool(t, s, p)
		must(t, s.CreateDomain(ctx, domain(p+"-prefix", p, false)), "CreateDomain")
		must(t, s.CreateDomain(ctx, domain(p+".example.com", p, true)), "CreateDomain")
		must(t, s.CreateResourceServer(ctx, resourceServer(p, "api")), "CreateResourceServer")
		must(t, s.CreateClient(ctx, client(p+"-client", p)), "CreateClient")
		must(t, s.AddSigningKey(ctx, signingKey(p, p+"-key", "access", t0)), "AddSigningKey")
	}
	must(t, s.DeletePool(ctx, "doomed"), "DeletePool")

	_, err := s.GetDomain(ctx, "doomed-prefix")
	wantErr(t, err, store.ErrNotFound, "prefix domain of the deleted pool")
	_, err = s.GetDomain(ctx, "doomed.example.com")
	wantErr(t, err, store.ErrNotFound, "custom domain of the deleted pool")
	_, err = s.GetResourceServer(ctx, "doomed", "api")
	wantErr(t, err, store.ErrNotFound, "resource server of the deleted pool")
	_, err = s.GetClient(ctx, "doomed-client")
	wantErr(t, err, store.ErrNotFound, "client of the deleted pool")
	keys, err := s.ListSigningKeys(ctx, "doomed")
	must(t, err, "ListSigningKeys")
	equal(t, len(keys), 0, "keys of the deleted pool")

	ds, err := s.ListDomainsByPool(ctx, "kept")
	must(t, err, "ListDomainsByPool kept")
	equal(t, len(ds), 2, "domains of the other pool")
	_, err = s.GetClient(ctx, "kept-client")
	must(t, err, "client of the other pool")
	keys, err = s.ListSigningKeys(ctx, "kept")
	must(t, err, "ListSigningKeys kept")
	equal(t, len(keys), 1, "keys of the other pool")

	// The names the deleted pool held are free again.
	createPool(t, s, "doomed")
	must(t, s.CreateDomain(ctx, domain("doomed-prefix", "doomed", false)), "CreateDomain of a freed name")
	must(t, s.CreateClient(ctx, client("doomed-client", "doomed")), "CreateClient of a freed ID")
}

func testReset(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	must(t, s.CreateDomain(ctx, domain("d", "p1", false)), "CreateDomain")
	must(t, s.CreateResourceServer(ctx, resourceServer("p1", "api")), "CreateResourceServer")
	must(t, s.CreateClient(ctx, client("c1", "p1")), "CreateClient")
	must(t, s.AddSigningKey(ctx, signingKey("p1", "k1", "id", t0)), "AddSigningKey")
	_, err := s.PutMetaIfAbsent(ctx, "check", []byte("v1"))
	must(t, err, "PutMetaIfAbsent")

	must(t, s.Reset(ctx), "Reset")

	pools, err := s.ListPools(ctx, "us-east-1", store.Page{})
	must(t, err, "ListPools")
	equal(t, len(pools), 0, "pools after Reset")
	_, err = s.GetDomain(ctx, "d")
	wantErr(t, err, store.ErrNotFound, "domain after Reset")
	_, err = s.GetClient(ctx, "c1")
	wantErr(t, err, store.ErrNotFound, "client after Reset")
	n, err := s.CountResourceServers(ctx, "p1")
	must(t, err, "CountResourceServers")
	equal(t, n, 0, "resource servers after Reset")
	keys, err := s.ListSigningKeys(ctx, "p1")
	must(t, err, "ListSigningKeys")
	equal(t, len(keys), 0, "keys after Reset")

	v, err := s.GetMeta(ctx, "check")
	must(t, err, "GetMeta after Reset")
	equal(t, v, []byte("v1"), "meta after Reset")

	// The same records can be created again.
	createPool(t, s, "p1")
	must(t, s.CreateClient(ctx, client("c1", "p1")), "CreateClient after Reset")
}

func testTimes(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	cases := map[string]time.Time{
		"micro":    time.Date(2026, 2, 3, 4, 5, 6, 789012000, zone),
		"nano":     time.Date(2026, 2, 3, 4, 5, 6, 789012345, zone),
		"epoch":    time.Unix(0, 0),
		"pre-1970": time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC),
		"far":      time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC),
		"zero":     {},
		"monotime": time.Now(),
	}
	for name, in := range cases {
		p := pool("p-"+name, "us-east-1")
		p.CreatedAt, p.UpdatedAt = in, in
		must(t, s.CreatePool(ctx, p), "CreatePool "+name)
		k := signingKey(p.ID, "k-"+name, "id", in)
		k.RetireAt = &in
		must(t, s.AddSigningKey(ctx, k), "AddSigningKey "+name)

		got, err := s.GetPool(ctx, p.ID)
		must(t, err, "GetPool "+name)
		keys, err := s.ListSigningKeys(ctx, p.ID)
		must(t, err, "ListSigningKeys "+name)
		for what, tm := range map[string]time.Time{
			"Pool.CreatedAt": got.CreatedAt, "Pool.UpdatedAt": got.UpdatedAt,
			"SigningKey.CreatedAt": keys[0].CreatedAt, "SigningKey.RetireAt": *keys[0].RetireAt,
		} {
			if tm.Location() != time.UTC {
				t.Errorf("%s %s: location %v, want UTC", name, what, tm.Location())
			}
			if loss := in.Sub(tm); tm.After(in) || loss >= time.Microsecond {
				t.Errorf("%s %s: got %v, want %v to the microsecond (lost %v)", name, what, tm, in, loss)
			}
		}
	}
}

func testPing(t *testing.T, s store.Store) {
	must(t, s.Ping(ctxFor(t)), "Ping")
}

package storetest

import (
	"testing"

	"github.com/cognatehq/cognate/internal/store"
)

var domainTests = []test{
	{"Domain/CRUD", testDomainCRUD},
	{"Domain/Conflicts", testDomainConflicts},
	{"Domain/MissingPool", testDomainMissingPool},
	{"Domain/NotFound", testDomainNotFound},
	{"Domain/UpdateRules", testDomainUpdateRules},
}

func testDomainCRUD(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	custom := domain("auth.example.com", "p1", true)
	prefix := domain("myapp", "p1", false)
	must(t, s.CreateDomain(ctx, custom), "CreateDomain custom")
	must(t, s.CreateDomain(ctx, prefix), "CreateDomain prefix")

	got, err := s.GetDomain(ctx, "myapp")
	must(t, err, "GetDomain")
	equal(t, got, prefix, "GetDomain")

	list, err := s.ListDomainsByPool(ctx, "p1")
	must(t, err, "ListDomainsByPool")
	equal(t, list, []store.Domain{prefix, custom}, "ListDomainsByPool (prefix first)")
	none, err := s.ListDomainsByPool(ctx, "no-such-pool")
	must(t, err, "ListDomainsByPool of a missing pool")
	equal(t, len(none), 0, "domains of a missing pool")

	must(t, s.UpdateDomain(ctx, "auth.example.com", func(d store.Domain) (store.Domain, error) {
		d.Settings = []byte(`{"cert":"arn:aws:acm:us-east-1:1:certificate/2"}`)
		return d, nil
	}), "UpdateDomain")
	custom.Settings = []byte(`{"cert":"arn:aws:acm:us-east-1:1:certificate/2"}`)
	got, err = s.GetDomain(ctx, "auth.example.com")
	must(t, err, "GetDomain after update")
	equal(t, got, custom, "GetDomain after update")

	must(t, s.DeleteDomain(ctx, "myapp"), "DeleteDomain")
	_, err = s.GetDomain(ctx, "myapp")
	wantErr(t, err, store.ErrNotFound, "GetDomain after delete")
	// The pool may now get another prefix domain.
	must(t, s.CreateDomain(ctx, domain("myapp2", "p1", false)), "CreateDomain after deleting the prefix domain")
}

func testDomainConflicts(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	must(t, s.CreateDomain(ctx, domain("myapp", "p1", false)), "CreateDomain")

	wantErr(t, s.CreateDomain(ctx, domain("myapp", "p2", false)), store.ErrConflict,
		"CreateDomain of a name another pool uses")
	wantErr(t, s.CreateDomain(ctx, domain("myapp", "p2", true)), store.ErrConflict,
		"CreateDomain of a used name, as a custom domain")
	wantErr(t, s.CreateDomain(ctx, domain("other", "p1", false)), store.ErrConflict,
		"CreateDomain of a second prefix domain for a pool")

	must(t, s.CreateDomain(ctx, domain("auth.example.com", "p1", true)), "CreateDomain custom next to prefix")
	wantErr(t, s.CreateDomain(ctx, domain("auth2.example.com", "p1", true)), store.ErrConflict,
		"CreateDomain of a second custom domain for a pool")
	must(t, s.CreateDomain(ctx, domain("other", "p2", false)), "CreateDomain in another pool")

	list, err := s.ListDomainsByPool(ctx, "p1")
	must(t, err, "ListDomainsByPool")
	equal(t, len(list), 2, "domains of p1 after the conflicts")
}

func testDomainMissingPool(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	wantErr(t, s.CreateDomain(ctx, domain("myapp", "no-such-pool", false)), store.ErrNotFound,
		"CreateDomain in a missing pool")
	_, err := s.GetDomain(ctx, "myapp")
	wantErr(t, err, store.ErrNotFound, "GetDomain after the failed create")
}

func testDomainNotFound(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	_, err := s.GetDomain(ctx, "nope")
	wantErr(t, err, store.ErrNotFound, "GetDomain")
	err = s.UpdateDomain(ctx, "nope", func(d store.Domain) (store.Domain, error) { return d, nil })
	wantErr(t, err, store.ErrNotFound, "UpdateDomain")
	wantErr(t, s.DeleteDomain(ctx, "nope"), store.ErrNotFound, "DeleteDomain")
}

func testDomainUpdateRules(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	createPool(t, s, "p2")
	prefix := domain("myapp", "p1", false)
	must(t, s.CreateDomain(ctx, prefix), "CreateDomain prefix")
	must(t, s.CreateDomain(ctx, domain("auth.example.com", "p1", true)), "CreateDomain custom")

	err := s.UpdateDomain(ctx, "myapp", func(d store.Domain) (store.Domain, error) {
		d.Custom = true
		return d, nil
	})
	wantErr(t, err, store.ErrConflict, "UpdateDomain that makes a second custom domain")

	err = s.UpdateDomain(ctx, "myapp", func(d store.Domain) (store.Domain, error) {
		d.PoolID = "p2"
		return d, nil
	})
	if err == nil {
		t.Fatal("UpdateDomain that moves the domain to another pool: got no error")
	}
	err = s.UpdateDomain(ctx, "myapp", func(d store.Domain) (store.Domain, error) {
		d.Domain = "renamed"
		return d, nil
	})
	if err == nil {
		t.Fatal("UpdateDomain that renames the domain: got no error")
	}
	sent := &errTest{"no"}
	err = s.UpdateDomain(ctx, "myapp", func(d store.Domain) (store.Domain, error) {
		d.Settings = nil
		return d, sent
	})
	wantSameErr(t, err, sent, "UpdateDomain with a failing closure")

	got, err := s.GetDomain(ctx, "myapp")
	must(t, err, "GetDomain")
	equal(t, got, prefix, "domain after the rejected updates")
}

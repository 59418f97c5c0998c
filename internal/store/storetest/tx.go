package storetest

import (
	"errors"
	"testing"

	"github.com/cognatehq/cognate/internal/store"
)

var txTests = []test{
	{"InTx/Commit", testTxCommit},
	{"InTx/RollbackOnError", testTxRollback},
	{"InTx/RollbackOnPanic", testTxPanic},
	{"InTx/ContinueAfterHandledError", testTxHandledError},
	{"InTx/Nested", testTxNested},
}

func testTxCommit(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	err := s.InTx(ctx, func(tx store.Store) error {
		must(t, tx.CreatePool(ctx, pool("p1", "us-east-1")), "CreatePool in tx")
		must(t, tx.CreateClient(ctx, client("c1", "p1")), "CreateClient in tx")
		// The transaction reads its own writes.
		got, err := tx.GetClient(ctx, "c1")
		must(t, err, "GetClient in tx")
		equal(t, got, client("c1", "p1"), "GetClient in tx")
		return tx.UpdatePool(ctx, "p1", func(p store.Pool) (store.Pool, error) {
			p.Name = "updated in tx"
			return p, nil
		})
	})
	must(t, err, "InTx")
	p, err := s.GetPool(ctx, "p1")
	must(t, err, "GetPool after commit")
	equal(t, p.Name, "updated in tx", "pool name after commit")
	_, err = s.GetClient(ctx, "c1")
	must(t, err, "GetClient after commit")
}

func testTxRollback(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	before := createPool(t, s, "p0")
	sent := &errTest{"abort"}
	err := s.InTx(ctx, func(tx store.Store) error {
		must(t, tx.CreatePool(ctx, pool("p1", "us-east-1")), "CreatePool in tx")
		must(t, tx.CreateClient(ctx, client("c1", "p1")), "CreateClient in tx")
		must(t, tx.UpdatePool(ctx, "p0", func(p store.Pool) (store.Pool, error) {
			p.Name = "changed"
			return p, nil
		}), "UpdatePool in tx")
		must(t, tx.DeletePool(ctx, "p0"), "DeletePool in tx")
		_, err := tx.PutMetaIfAbsent(ctx, "k", []byte("v"))
		must(t, err, "PutMetaIfAbsent in tx")
		return sent
	})
	wantSameErr(t, err, sent, "InTx with a failing function")

	_, err = s.GetPool(ctx, "p1")
	wantErr(t, err, store.ErrNotFound, "pool created in the rolled-back tx")
	_, err = s.GetClient(ctx, "c1")
	wantErr(t, err, store.ErrNotFound, "client created in the rolled-back tx")
	_, err = s.GetMeta(ctx, "k")
	wantErr(t, err, store.ErrNotFound, "meta put in the rolled-back tx")
	got, err := s.GetPool(ctx, "p0")
	must(t, err, "GetPool p0")
	equal(t, got, before, "pool updated and deleted in the rolled-back tx")
}

func testTxPanic(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Fatalf("InTx: recovered %v, want the function's panic", r)
			}
		}()
		_ = s.InTx(ctx, func(tx store.Store) error {
			must(t, tx.CreatePool(ctx, pool("p1", "us-east-1")), "CreatePool in tx")
			panic("boom")
		})
	}()
	_, err := s.GetPool(ctx, "p1")
	wantErr(t, err, store.ErrNotFound, "pool created before the panic")
	// The store still works.
	createPool(t, s, "p2")
}

// A caller may handle an expected error inside a transaction and go on: on
// every backend, the failed statement leaves the transaction usable.
func testTxHandledError(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	must(t, s.CreateClient(ctx, client("taken", "p1")), "CreateClient")
	err := s.InTx(ctx, func(tx store.Store) error {
		err := tx.CreateClient(ctx, client("taken", "p1"))
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("CreateClient of a used ID in tx: got %v, want ErrConflict", err)
		}
		err = tx.CreateDomain(ctx, domain("d", "no-such-pool", false))
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("CreateDomain in a missing pool in tx: got %v, want ErrNotFound", err)
		}
		err = tx.UpdateClient(ctx, "taken", func(c store.Client) (store.Client, error) { return c, &errTest{"no"} })
		if err == nil {
			t.Fatal("UpdateClient with a failing closure in tx: got no error")
		}
		return tx.CreateClient(ctx, client("fresh", "p1"))
	})
	must(t, err, "InTx that handles errors")
	_, err = s.GetClient(ctx, "fresh")
	must(t, err, "client created after the handled errors")
}

func testTxNested(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	sent := &errTest{"inner"}
	err := s.InTx(ctx, func(tx store.Store) error {
		must(t, tx.CreatePool(ctx, pool("outer", "us-east-1")), "CreatePool in outer tx")
		must(t, tx.InTx(ctx, func(inner store.Store) error {
			return inner.CreatePool(ctx, pool("inner-ok", "us-east-1"))
		}), "nested InTx")
		err := tx.InTx(ctx, func(inner store.Store) error {
			must(t, inner.CreatePool(ctx, pool("inner-failed", "us-east-1")), "CreatePool in failing nested tx")
			return sent
		})
		wantSameErr(t, err, sent, "nested InTx with a failing function")
		return nil
	})
	must(t, err, "outer InTx")
	for _, id := range []string{"outer", "inner-ok"} {
		_, err := s.GetPool(ctx, id)
		must(t, err, "GetPool "+id)
	}
	_, err = s.GetPool(ctx, "inner-failed")
	wantErr(t, err, store.ErrNotFound, "pool created in the failed nested InTx")

	err = s.InTx(ctx, func(tx store.Store) error {
		must(t, tx.InTx(ctx, func(inner store.Store) error {
			return inner.CreatePool(ctx, pool("nested-in-rolled-back", "us-east-1"))
		}), "nested InTx")
		return sent
	})
	wantSameErr(t, err, sent, "outer InTx that fails after a nested one succeeded")
	_, err = s.GetPool(ctx, "nested-in-rolled-back")
	wantErr(t, err, store.ErrNotFound, "pool created in a nested InTx of a rolled-back one")
}

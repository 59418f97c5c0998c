package storetest

import (
	"testing"

	"github.com/cognatehq/cognate/internal/store"
)

var metaTests = []test{
	{"Meta/GetAndPutIfAbsent", testMeta},
}

func testMeta(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	_, err := s.GetMeta(ctx, "master-key-check")
	wantErr(t, err, store.ErrNotFound, "GetMeta of a missing key")

	first := []byte{1, 2, 3, 0, 255}
	got, err := s.PutMetaIfAbsent(ctx, "master-key-check", first)
	must(t, err, "PutMetaIfAbsent")
	equal(t, got, first, "PutMetaIfAbsent of a new key")

	got, err = s.PutMetaIfAbsent(ctx, "master-key-check", []byte("second"))
	must(t, err, "PutMetaIfAbsent of a present key")
	equal(t, got, first, "PutMetaIfAbsent of a present key returns the stored value")

	got, err = s.GetMeta(ctx, "master-key-check")
	must(t, err, "GetMeta")
	equal(t, got, first, "GetMeta")

	got, err = s.PutMetaIfAbsent(ctx, "other", []byte("x"))
	must(t, err, "PutMetaIfAbsent of another key")
	equal(t, got, []byte("x"), "PutMetaIfAbsent of another key")
}

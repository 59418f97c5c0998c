package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/cognatehq/cognate/internal/store"
)

// testRacePutParameter: concurrent overwrites of one parameter each write
// their own version; none is lost or written twice (PutParameter runs them
// one after another). 20 overwrites of version 1 give versions 1 to 21.
func testRacePutParameter(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	putParam(t, s, paramRegion, "/contested")
	written := make([]int64, workers)
	errs := race(workers, func(i int) error {
		return s.PutParameter(ctx, paramRegion, "/contested", 0, func(newest, _ *store.Parameter) (store.Parameter, error) {
			p := param(paramRegion, "/contested", newest.Version+1)
			p.Description = fmt.Sprintf("goroutine %d", i)
			written[i] = p.Version
			return p, nil
		})
	})
	for i, err := range errs {
		must(t, err, fmt.Sprintf("PutParameter in goroutine %d", i))
	}
	checkVersions(t, s, "/contested", workers+1)
	// Each goroutine's last attempt is the version that was committed.
	slices.Sort(written)
	want := make([]int64, workers)
	for i := range want {
		want[i] = int64(i + 2)
	}
	equal(t, written, want, "versions the goroutines wrote")
	vs, err := s.ListParameterVersions(ctx, paramRegion, "/contested", 1, 0)
	must(t, err, "ListParameterVersions")
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v.Description] {
			t.Fatalf("two versions written by %s", v.Description)
		}
		seen[v.Description] = true
	}
}

// testRaceCreateParameter: concurrent puts of a name that does not exist
// yet queue like overwrites: exactly one sees no parameter and creates
// version 1, and the others follow it.
func testRaceCreateParameter(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	created := make([]bool, workers)
	errs := race(workers, func(i int) error {
		return s.PutParameter(ctx, paramRegion, "/new", 100, func(newest, _ *store.Parameter) (store.Parameter, error) {
			created[i] = newest == nil
			v := int64(1)
			if newest != nil {
				v = newest.Version + 1
			}
			return param(paramRegion, "/new", v), nil
		})
	})
	for i, err := range errs {
		must(t, err, fmt.Sprintf("PutParameter in goroutine %d", i))
	}
	n := 0
	for _, c := range created {
		if c {
			n++
		}
	}
	equal(t, n, 1, "goroutines that created the parameter")
	checkVersions(t, s, "/new", workers)
}

// checkVersions fails unless the parameter has exactly the versions 1 to
// n and its newest is n.
func checkVersions(t *testing.T, s store.Store, name string, n int) {
	t.Helper()
	vs, err := s.ListParameterVersions(ctxFor(t), paramRegion, name, 0, 0)
	must(t, err, "ListParameterVersions "+name)
	got := make([]int64, len(vs))
	want := make([]int64, n)
	for i, v := range vs {
		got[i] = v.Version
	}
	for i := range want {
		want[i] = int64(i + 1)
	}
	equal(t, got, want, "versions of "+name)
	newest, err := s.GetParameter(ctxFor(t), paramRegion, name)
	must(t, err, "GetParameter "+name)
	equal(t, newest.Version, int64(n), "newest version of "+name)
}

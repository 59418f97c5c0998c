package sqlstore_test

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
	"github.com/cognatehq/cognate/internal/store/storetest"
)

func openExclusive(t testing.TB) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.OpenSQLiteExclusive(t.Context(), filepath.Join(t.TempDir(), "cognate.db"))
	if err != nil {
		t.Fatalf("OpenSQLiteExclusive: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// The exclusive store caches grant contexts; the whole conformance suite
// runs against it to prove the cache never answers with stale data.
func TestSQLiteExclusiveConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openExclusive(t) })
}

func TestSQLiteExclusiveConcurrent(t *testing.T) {
	storetest.RunConcurrent(t, func(t *testing.T) store.Store { return openExclusive(t) })
}

func TestSQLiteExclusiveLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cognate.db")
	s, err := sqlstore.OpenSQLiteExclusive(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlstore.OpenSQLiteExclusive(t.Context(), path); !errors.Is(err, sqlstore.ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlstore.OpenSQLiteExclusive(t.Context(), path)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	s.Close()
}

// TestGrantCacheFollowsWrites reads a grant context through the cache,
// changes each thing it holds, and checks the next read sees the change,
// also while readers run concurrently with the writes.
func TestGrantCacheFollowsWrites(t *testing.T) {
	s := openExclusive(t)
	ctx := t.Context()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreatePool(ctx, store.Pool{ID: "p", Region: "us-east-1", Name: "p", Settings: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}))
	must(s.CreateDomain(ctx, store.Domain{Domain: "d", PoolID: "p", CreatedAt: t0}))
	must(s.CreateClient(ctx, store.Client{ID: "c", PoolID: "p", Name: "c", Settings: []byte(`{"v":1}`), CreatedAt: t0, UpdatedAt: t0}))
	must(s.AddSigningKey(ctx, store.SigningKey{PoolID: "p", KID: "k1", Use: "access", Algorithm: "RS256", PublicJWK: []byte("{}"), PrivateSealed: []byte("x"), CreatedAt: t0}))

	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 { // readers racing the writes below
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					_, _ = s.GetGrantContext(ctx, "d", "c", "access")
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()

	read := func() store.GrantContext {
		t.Helper()
		g, err := s.GetGrantContext(ctx, "d", "c", "access")
		must(err)
		return g
	}
	if g := read(); g.ActiveKey == nil || g.ActiveKey.KID != "k1" || string(g.Client.Settings) != `{"v":1}` {
		t.Fatalf("first read: %+v", g)
	}
	for i := 2; i <= 20; i++ {
		want := []byte(`{"v":` + string(rune('0'+i%10)) + `}`)
		must(s.UpdateClient(ctx, "c", func(c store.Client) (store.Client, error) { c.Settings = want; return c, nil }))
		if g := read(); string(g.Client.Settings) != string(want) {
			t.Fatalf("after update %d: settings %s, want %s", i, g.Client.Settings, want)
		}
	}
	must(s.AddSigningKey(ctx, store.SigningKey{PoolID: "p", KID: "k2", Use: "access", Algorithm: "RS256", PublicJWK: []byte("{}"), PrivateSealed: []byte("x"), CreatedAt: t0.Add(time.Hour)}))
	must(s.RetireSigningKeys(ctx, "p", "access", "k2", t0.Add(48*time.Hour)))
	if g := read(); g.ActiveKey == nil || g.ActiveKey.KID != "k2" {
		t.Fatalf("after rotation: %+v", g.ActiveKey)
	}
	must(s.CreateResourceServer(ctx, store.ResourceServer{PoolID: "p", Identifier: "api", Name: "a", Scopes: []store.Scope{{Name: "read", Description: "r"}}, CreatedAt: t0, UpdatedAt: t0}))
	if g := read(); len(g.DefinedScopes) != 1 || g.DefinedScopes[0] != "api/read" {
		t.Fatalf("after resource server: %v", g.DefinedScopes)
	}
	must(s.DeleteDomain(ctx, "d"))
	if g := read(); g.DomainPoolID != "" {
		t.Fatalf("after domain delete: %q", g.DomainPoolID)
	}
	must(s.DeleteClient(ctx, "c"))
	if _, err := s.GetGrantContext(ctx, "d", "c", "access"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after client delete: %v", err)
	}
}

package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cognatehq/cognate/internal/store"
)

// workers is how many goroutines each concurrency test races.
const workers = 20

var concurrentTests = []test{
	{"Concurrent/CreateSameDomain", testRaceSameDomain},
	{"Concurrent/CreatePrefixDomainsForOnePool", testRaceDomainKind},
	{"Concurrent/UpdateClientCounter", testRaceUpdateCounter},
	{"Concurrent/InTxCheckThenCreate", testRaceInTxLimit},
	{"Concurrent/PutMetaIfAbsent", testRaceMeta},
	{"Concurrent/ReadsDuringWrites", testReadsDuringWrites},
	{"Concurrent/PutParameterVersions", testRacePutParameter},
	{"Concurrent/CreateParameter", testRaceCreateParameter},
}

// race runs fn(i) for i in [0, n) in n goroutines released at once, and
// returns their errors by index.
func race(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// oneWinner fails the test unless exactly one of errs is nil and every
// other matches loser.
func oneWinner(t *testing.T, errs []error, loser error, what string) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("%s: both goroutine %d and %d succeeded", what, winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, loser):
			t.Fatalf("%s: goroutine %d: got %v, want %v", what, i, err, loser)
		}
	}
	if winner < 0 {
		t.Fatalf("%s: no goroutine succeeded", what)
	}
	return winner
}

func testRaceSameDomain(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	for i := range workers {
		createPool(t, s, fmt.Sprintf("p%02d", i))
	}
	errs := race(workers, func(i int) error {
		return s.CreateDomain(ctx, domain("contested", fmt.Sprintf("p%02d", i), false))
	})
	w := oneWinner(t, errs, store.ErrConflict, "CreateDomain of one name from many pools")
	d, err := s.GetDomain(ctx, "contested")
	must(t, err, "GetDomain")
	equal(t, d.PoolID, fmt.Sprintf("p%02d", w), "owner of the contested domain")
}

func testRaceDomainKind(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	errs := race(workers, func(i int) error {
		return s.CreateDomain(ctx, domain(fmt.Sprintf("name%02d", i), "p1", false))
	})
	oneWinner(t, errs, store.ErrConflict, "CreateDomain of many prefix domains for one pool")
	ds, err := s.ListDomainsByPool(ctx, "p1")
	must(t, err, "ListDomainsByPool")
	equal(t, len(ds), 1, "prefix domains of the pool")
}

// counter is the Settings document the update test increments.
type counter struct {
	N int `json:"n"`
}

func testRaceUpdateCounter(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	c := client("c1", "p1")
	c.Settings = []byte(`{"n":0}`)
	must(t, s.CreateClient(ctx, c), "CreateClient")

	const perWorker = 5
	var calls atomic.Int64
	errs := race(workers, func(int) error {
		for range perWorker {
			err := s.UpdateClient(ctx, "c1", func(c store.Client) (store.Client, error) {
				calls.Add(1)
				var n counter
				if err := json.Unmarshal(c.Settings, &n); err != nil {
					return c, err
				}
				n.N++
				b, err := json.Marshal(n)
				c.Settings = b
				return c, err
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	for i, err := range errs {
		must(t, err, fmt.Sprintf("UpdateClient in goroutine %d", i))
	}
	got, err := s.GetClient(ctx, "c1")
	must(t, err, "GetClient")
	var n counter
	must(t, json.Unmarshal(got.Settings, &n), "decode counter")
	equal(t, n.N, workers*perWorker, "counter after concurrent increments")
	if c := calls.Load(); c > workers*perWorker {
		t.Logf("update closures ran %d times for %d updates (retries)", c, workers*perWorker)
	}
}

// InTx must make check-then-write atomic: however the goroutines
// interleave, the pool ends up with exactly limit clients.
func testRaceInTxLimit(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	const limit = 5
	errFull := errors.New("pool is full")
	errs := race(workers, func(i int) error {
		return s.InTx(ctx, func(tx store.Store) error {
			n, err := tx.CountClients(ctx, "p1")
			if err != nil {
				return err
			}
			if n >= limit {
				return errFull
			}
			return tx.CreateClient(ctx, client(fmt.Sprintf("c%02d", i), "p1"))
		})
	})
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, errFull):
			t.Fatalf("goroutine %d: %v", i, err)
		}
	}
	n, err := s.CountClients(ctx, "p1")
	must(t, err, "CountClients")
	equal(t, n, limit, "clients after racing check-then-create transactions")
	equal(t, ok, limit, "transactions that succeeded")
}

func testRaceMeta(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	got := make([][]byte, workers)
	errs := race(workers, func(i int) (err error) {
		got[i], err = s.PutMetaIfAbsent(ctx, "check", fmt.Appendf(nil, "value-%02d", i))
		return err
	})
	for i, err := range errs {
		must(t, err, fmt.Sprintf("PutMetaIfAbsent in goroutine %d", i))
	}
	stored, err := s.GetMeta(ctx, "check")
	must(t, err, "GetMeta")
	for i, v := range got {
		equal(t, v, stored, fmt.Sprintf("value goroutine %d was told is stored", i))
	}
}

// Readers must neither fail nor see a half-written record while writers
// update it.
func testReadsDuringWrites(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	createPool(t, s, "p1")
	must(t, s.CreateClient(ctx, client("c1", "p1")), "CreateClient")
	must(t, s.CreateResourceServer(ctx, resourceServer("p1", "api")), "CreateResourceServer")

	var writing atomic.Bool
	writing.Store(true)
	errs := race(workers, func(i int) error {
		if i < 2 { // writers
			defer writing.Store(false)
			for j := range 25 {
				err := s.UpdateClient(ctx, "c1", func(c store.Client) (store.Client, error) {
					c.Name = fmt.Sprintf("name-%d-%d", i, j)
					c.Settings = []byte(c.Name)
					return c, nil
				})
				if err != nil {
					return err
				}
			}
			return nil
		}
		for reads := 0; writing.Load() || reads < 10; reads++ {
			c, err := s.GetClient(ctx, "c1")
			if err != nil {
				return err
			}
			if c.Name != "client c1" && string(c.Settings) != c.Name {
				return fmt.Errorf("read a torn record: name %q, settings %q", c.Name, c.Settings)
			}
			if _, err := s.ListResourceServers(ctx, "p1", store.Page{}); err != nil {
				return err
			}
		}
		return nil
	})
	for i, err := range errs {
		must(t, err, fmt.Sprintf("goroutine %d", i))
	}
}

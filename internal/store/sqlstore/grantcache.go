package sqlstore

import (
	"sync"

	"github.com/cognatehq/cognate/internal/store"
)

// grantCache keeps GetGrantContext results of a store that is the only
// writer of its database (OpenSQLiteExclusive). Every committed write of
// the store clears it, so it never answers with data older than the last
// write: with no other writer, it cannot go stale.
//
// Why: the token endpoint reads one grant context per token, and that read
// cost about 5 points of the signing ceiling over HTTP (tokens/s ÷ one-core
// RS256 rate: 0.89 reading SQLite each time, 0.94 without the read,
// bench/tokens.sh, 2026-11-25). The microbenchmark says ~10 µs; in the
// server it runs with caches cold after each 750 µs signature.
//
// The generation counter closes the race between a reader that read before
// a commit and stores after it: a result is stored only if no write ended
// since the reader began.
type grantCache struct {
	mu  sync.Mutex
	gen uint64
	m   map[grantKey]store.GrantContext
	// v holds GetVerifyContext results the same way (verify.go).
	v map[verifyKey]store.VerifyContext
}

type grantKey struct{ domain, clientID, use string }

// maxGrantEntries bounds the cache; past it, it starts over.
const maxGrantEntries = 10000

// begin returns the generation a read starts in.
func (c *grantCache) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *grantCache) get(k grantKey) (store.GrantContext, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.m[k]
	return g, ok
}

// put stores g, read in generation gen, unless a write has ended since.
func (c *grantCache) put(k grantKey, g store.GrantContext, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= maxGrantEntries {
		c.m = make(map[grantKey]store.GrantContext)
	}
	c.m[k] = g
}

// invalidate is called after every write transaction ends, committed or
// not (a failed commit may still have committed).
func (c *grantCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
	c.v = nil
}

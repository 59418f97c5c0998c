package authorizer

import (
	"container/list"
	"sync"
)

// verified is what the cache keeps of a token whose signature has been
// checked: its parsed claims, and the pool and key that signed it.
type verified struct {
	*parsed
	pool  pool
	local bool // signed by a local pool's key (else by a remote JWKS key)
	memo  Memo // Result.Memo of the token's requests
}

// tokenCache is a bounded LRU of verified tokens, keyed by the token
// itself: Go's map hashes and compares the whole string, so no two tokens
// share an entry. The token stays in memory only, and only as a key.
type tokenCache struct {
	mu   sync.Mutex
	max  int
	ll   *list.List // front is most recently used; elements hold *cacheEntry
	byID map[string]*list.Element
}

type cacheEntry struct {
	token string
	v     *verified
}

func newTokenCache(max int) *tokenCache {
	return &tokenCache{max: max, ll: list.New(), byID: make(map[string]*list.Element)}
}

func (c *tokenCache) get(tok string) (*verified, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[tok]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(e)
	return e.Value.(*cacheEntry).v, true
}

func (c *tokenCache) put(tok string, v *verified) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[tok]; ok {
		e.Value.(*cacheEntry).v = v
		c.ll.MoveToFront(e)
		return
	}
	c.byID[tok] = c.ll.PushFront(&cacheEntry{tok, v})
	for c.ll.Len() > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.byID, old.Value.(*cacheEntry).token)
	}
}

func (c *tokenCache) remove(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[tok]; ok {
		c.ll.Remove(e)
		delete(c.byID, tok)
	}
}

func (c *tokenCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

package botframework

import (
	"crypto/sha256"
	"sync"
	"time"
)

// verifiedTokensMax bounds how many verified tokens are remembered.
const verifiedTokensMax = 4096

// verifiedTokens remembers what verifying a token established, keyed by
// the SHA-256 of the token (the token itself is not kept), until the token
// expires. The Bot Connector reuses a token for an hour, so most requests
// skip the JWT parse and the RSA signature check. Only the checks that do
// not depend on the activity are remembered: every request still has its
// channel, endorsement, serviceUrl and tenant checked. When full, expired
// entries are dropped first, then the oldest. Safe for concurrent use; a
// nil *verifiedTokens remembers nothing.
type verifiedTokens struct {
	max int

	mu      sync.Mutex
	entries map[[sha256.Size]byte]*verified
	order   [][sha256.Size]byte // insertion order, oldest first
}

func newVerifiedTokens(max int) *verifiedTokens {
	return &verifiedTokens{max: max, entries: make(map[[sha256.Size]byte]*verified)}
}

// tokenKey is the cache key of a raw token.
func tokenKey(raw string) [sha256.Size]byte { return sha256.Sum256([]byte(raw)) }

// get returns the remembered result for key if the token is still within
// its lifetime at now (with the usual clock skew).
func (c *verifiedTokens) get(key [sha256.Size]byte, now time.Time) (*verified, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	v, ok := c.entries[key]
	c.mu.Unlock()
	if !ok || !v.validAt(now) {
		return nil, false
	}
	return v, true
}

// put remembers v for key.
func (c *verifiedTokens) put(key [sha256.Size]byte, v *verified, now time.Time) {
	if c == nil || v.expires.IsZero() || !v.validAt(now) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	if len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[key] = v
	c.order = append(c.order, key)
}

// evict drops the expired entries, and the oldest ones while the cache is
// still full. c.mu is held.
func (c *verifiedTokens) evict(now time.Time) {
	kept := c.order[:0]
	for _, k := range c.order {
		if v, ok := c.entries[k]; ok && v.validAt(now) {
			kept = append(kept, k)
		} else {
			delete(c.entries, k)
		}
	}
	for len(kept) >= c.max {
		delete(c.entries, kept[0])
		kept = kept[1:]
	}
	c.order = append([][sha256.Size]byte(nil), kept...)
}

// len returns how many tokens are remembered.
func (c *verifiedTokens) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// validAt reports whether the token's lifetime, with the clock skew, holds
// now: as the JWT check (exp required, nbf optional).
func (v *verified) validAt(now time.Time) bool {
	if v.expires.IsZero() || !now.Before(v.expires.Add(clockSkew)) {
		return false
	}
	return v.notBefore.IsZero() || !now.Before(v.notBefore.Add(-clockSkew))
}

package inproc

import (
	"sync"
	"time"
)

// Cache is an in-process cache with expiry. When full it drops expired
// entries, else the one that expires first.
type Cache struct {
	now func() time.Time
	max int

	mu sync.Mutex
	m  map[string]entry
}

type entry struct {
	v       []byte
	expires time.Time
}

// NewCache returns a cache of at most max entries on the clock now
// (time.Now when nil).
func NewCache(max int, now func() time.Time) *Cache {
	if now == nil {
		now = time.Now
	}
	return &Cache{now: now, max: max, m: map[string]entry{}}
}

// Get returns the value stored under key and not expired.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return nil, false
	}
	if !c.now().Before(e.expires) {
		delete(c.m, key)
		return nil, false
	}
	return e.v, true
}

// Put stores a copy of v under key for ttl.
func (c *Cache) Put(key string, v []byte, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if _, ok := c.m[key]; !ok && len(c.m) >= c.max {
		c.evict(now)
	}
	c.m[key] = entry{v: append([]byte(nil), v...), expires: now.Add(ttl)}
}

// Delete forgets key.
func (c *Cache) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}

// evict drops expired entries, or the one expiring first when none has.
// Call with mu held.
func (c *Cache) evict(now time.Time) {
	var first string
	var firstAt time.Time
	for k, e := range c.m {
		if !now.Before(e.expires) {
			delete(c.m, k)
			continue
		}
		if firstAt.IsZero() || e.expires.Before(firstAt) {
			first, firstAt = k, e.expires
		}
	}
	if len(c.m) >= c.max && !firstAt.IsZero() {
		delete(c.m, first)
	}
}

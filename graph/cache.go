package graph

import (
	"sync"
	"time"
)

// ttlCache is a small concurrency-safe cache whose entries expire after a
// fixed time on the client's clock. When full it drops the oldest entry.
type ttlCache[K comparable, V any] struct {
	now func() time.Time
	ttl time.Duration
	max int

	mu sync.Mutex
	m  map[K]cached[V]
}

type cached[V any] struct {
	v  V
	at time.Time
}

func newTTLCache[K comparable, V any](now func() time.Time, ttl time.Duration, max int) *ttlCache[K, V] {
	return &ttlCache[K, V]{now: now, ttl: ttl, max: max, m: map[K]cached[V]{}}
}

// get returns a value stored less than ttl ago.
func (c *ttlCache[K, V]) get(k K) (V, bool) {
	var zero V
	if c.ttl <= 0 {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return zero, false
	}
	if age := c.now().Sub(e.at); age >= c.ttl || age < 0 {
		delete(c.m, k)
		return zero, false
	}
	return e.v, true
}

// put stores v under k.
func (c *ttlCache[K, V]) put(k K, v V) { c.putAt(k, v, time.Time{}) }

// putAt stores v, read at the time at (zero: now), under k: it expires
// ttl after at, and is not stored when that is past.
func (c *ttlCache[K, V]) putAt(k K, v V, at time.Time) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if at.IsZero() || at.After(now) {
		at = now
	}
	if now.Sub(at) >= c.ttl {
		return
	}
	if _, ok := c.m[k]; !ok && len(c.m) >= c.max {
		c.evict(now)
	}
	c.m[k] = cached[V]{v: v, at: at}
}

// evict drops expired entries, or the oldest one when none has expired.
func (c *ttlCache[K, V]) evict(now time.Time) {
	var oldest K
	var oldestAt time.Time
	first := true
	for k, e := range c.m {
		if now.Sub(e.at) >= c.ttl {
			delete(c.m, k)
			continue
		}
		if first || e.at.Before(oldestAt) {
			oldest, oldestAt, first = k, e.at, false
		}
	}
	if len(c.m) >= c.max && !first {
		delete(c.m, oldest)
	}
}

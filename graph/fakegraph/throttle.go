package fakegraph

import (
	"math"
	"sync"
	"time"
)

// throttle is a sliding-window rate limiter keyed by the caller (the
// Authorization header value; no header is one anonymous caller). Only
// admitted requests count, so the Retry-After it answers is exact: after
// that many seconds the oldest admitted request has left the window.
type throttle struct {
	limit  int
	window time.Duration

	mu   sync.Mutex
	seen map[string][]time.Time
}

func newThrottle(limit int, window time.Duration) *throttle {
	return &throttle{limit: limit, window: window, seen: map[string][]time.Time{}}
}

// admit records a request from key at now, or refuses it and returns the
// whole seconds to wait (at least 1).
func (t *throttle) admit(key string, now time.Time) (ok bool, retryAfter int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	cutoff := now.Add(-t.window)
	kept := t.seen[key][:0]
	for _, at := range t.seen[key] {
		if at.After(cutoff) {
			kept = append(kept, at)
		}
	}
	t.seen[key] = kept
	if len(kept) < t.limit {
		t.seen[key] = append(kept, now)
		return true, 0
	}
	wait := kept[0].Add(t.window).Sub(now)
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return false, secs
}

func (t *throttle) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seen = map[string][]time.Time{}
}

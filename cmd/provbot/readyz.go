package main

import (
	"context"
	"sync"
	"time"
)

// readyTTL is how long /readyz serves a result before checking again, and
// readyTimeout how long one check may take.
const (
	readyTTL     = 30 * time.Second
	readyTimeout = 10 * time.Second
)

// readiness is the cached answer of /readyz. The endpoint is public: a
// check reaches Microsoft Graph and the Bot Connector's key endpoint, so
// callers share one check at a time and its result for readyTTL, however
// often they ask and whatever the result.
type readiness struct {
	// check returns what is not ready, in words that quote nothing from
	// upstream (it logs the causes).
	check func(ctx context.Context) []string
	now   func() time.Time

	mu      sync.Mutex
	result  []string
	at      time.Time
	valid   bool
	gen     int           // bumped by invalidate
	running chan struct{} // closed when the check in flight ends
}

// problems returns the cached result, or waits for a fresh one: the first
// caller runs the check (detached from its request, so that its going
// away does not fail the others), the others wait for it or for their own
// context to end.
func (r *readiness) problems(ctx context.Context) ([]string, error) {
	r.mu.Lock()
	if r.valid && r.now().Sub(r.at) < readyTTL {
		defer r.mu.Unlock()
		return r.result, nil
	}
	if done := r.running; done != nil {
		r.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.result, nil
	}
	done, gen := make(chan struct{}), r.gen
	r.running = done
	r.mu.Unlock()

	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readyTimeout)
	res := r.check(cctx)
	cancel()

	r.mu.Lock()
	defer r.mu.Unlock()
	r.result, r.at, r.valid, r.running = res, r.now(), r.gen == gen, nil
	close(done)
	return res, nil
}

// invalidate drops the cached result (something it depends on changed,
// such as the app catalogue being built at start).
func (r *readiness) invalidate() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.valid = false
	r.gen++
}

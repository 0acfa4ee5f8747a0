package graph

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// budget keeps the client within the reporting service's limit: at most
// limit requests to /auditLogs/* in any window. It counts a request from
// the moment it starts until window after its answer arrived, which is
// never shorter than the span Graph counts it (from when Graph received
// it), so the client does not provoke 429s by itself. A 429 from Graph
// (another tool spending the same app's quota) pauses every request for
// its Retry-After.
type budget struct {
	limit  int
	window time.Duration
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error

	mu          sync.Mutex
	inFlight    int
	done        []time.Time // answer times still inside the window, oldest first
	pausedUntil time.Time
	waiting     int           // callers blocked in acquire
	changed     chan struct{} // closed when a slot is released
}

func newBudget(limit int, window time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) *budget {
	return &budget{limit: limit, window: window, now: now, sleep: sleep, changed: make(chan struct{})}
}

// prune forgets answers that left the window. Call with mu held.
func (b *budget) prune(now time.Time) {
	cut := 0
	for cut < len(b.done) && !b.done[cut].Add(b.window).After(now) {
		cut++
	}
	b.done = b.done[cut:]
}

// nextFree returns how long until a slot frees (0: one is free now), and
// whether only an in-flight request's answer can free one. Call with mu
// held.
func (b *budget) nextFree(now time.Time) (wait time.Duration, onRelease bool) {
	b.prune(now)
	switch {
	case now.Before(b.pausedUntil):
		return b.pausedUntil.Sub(now), false
	case b.inFlight+len(b.done) < b.limit:
		return 0, false
	case len(b.done) > 0:
		return b.done[0].Add(b.window).Sub(now), false
	default:
		return 0, true
	}
}

// acquire waits for a slot and returns the function that gives it back;
// used says whether a request was sent. When the wait for a slot would
// outlast ctx's deadline it returns an ErrThrottled *Error at once.
func (b *budget) acquire(ctx context.Context, op string) (release func(used bool), err error) {
	for {
		b.mu.Lock()
		now := b.now()
		wait, onRelease := b.nextFree(now)
		if wait == 0 && !onRelease {
			b.inFlight++
			b.mu.Unlock()
			return b.releaser(), nil
		}
		changed := b.changed
		b.waiting++
		b.mu.Unlock()

		if onRelease {
			select {
			case <-changed:
			case <-ctx.Done():
				err = ctx.Err()
			}
		} else {
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
				err = b.exhausted(op, wait)
			} else {
				err = b.sleep(ctx, wait)
			}
		}
		b.mu.Lock()
		b.waiting--
		b.mu.Unlock()
		if err != nil {
			if _, ok := err.(*Error); ok {
				return nil, err
			}
			return nil, toError(operation{name: op}, err, nil)
		}
	}
}

// tryAcquire takes a slot only if one is free with reserve more left over
// and nobody is waiting: for best-effort requests that must never delay a
// provisioning log lookup.
func (b *budget) tryAcquire(reserve int) (release func(used bool), ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	b.prune(now)
	if b.waiting > 0 || now.Before(b.pausedUntil) || b.inFlight+len(b.done)+reserve >= b.limit {
		return nil, false
	}
	b.inFlight++
	return b.releaser(), true
}

// releaser returns a function that gives a slot back once.
func (b *budget) releaser() func(used bool) {
	var once sync.Once
	return func(used bool) {
		once.Do(func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.inFlight--
			if used {
				b.done = append(b.done, b.now())
			}
			close(b.changed)
			b.changed = make(chan struct{})
		})
	}
}

// pause holds every request for d (a Retry-After from Graph).
func (b *budget) pause(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if until := b.now().Add(d); until.After(b.pausedUntil) {
		b.pausedUntil = until
	}
}

// spareSlot takes a slot for a best-effort request: one free now with a
// slot left over (tryAcquire(1)), or, failing that, one free with a slot
// left over once until is closed (the rest of the lookup is done, so
// waiting for it makes the answer no slower). It never waits for a slot
// somebody else needs.
func (b *budget) spareSlot(ctx context.Context, until <-chan struct{}) (release func(used bool), ok bool) {
	if release, ok := b.tryAcquire(1); ok {
		return release, true
	}
	select {
	case <-until:
		return b.tryAcquire(1)
	case <-ctx.Done():
		return nil, false
	}
}

// estimate is how long a request queued behind ahead others would wait
// for a slot, roughly: the time until the next slot frees plus one window
// per limit requests ahead of it.
func (b *budget) estimate(ahead int) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	wait, _ := b.nextFree(b.now())
	return wait + time.Duration(ahead/b.limit)*b.window
}

// exhausted is the error for a wait the caller cannot afford.
func (b *budget) exhausted(op string, wait time.Duration) *Error {
	return &Error{
		Op:   op,
		Code: CodeBudgetExhausted,
		Message: fmt.Sprintf("the reporting API allows %d requests per %s and none is free before the deadline",
			b.limit, b.window),
		RetryAfter: wait.Round(time.Millisecond),
		kind:       ErrThrottled,
	}
}

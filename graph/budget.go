package graph

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
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
//
// Within that limit it spreads the requests that start a batch of
// lookups (acquireSpaced): one every window/limit (2 s for Microsoft's 5
// per 10 s) rather than the whole window's worth at once and then
// nothing until the window ends. The throughput is the same, but lookups
// queued meanwhile go out in the next request, batched, instead of
// waiting for a whole window. A lookup's own follow-up requests (later
// pages, the audit read it may need) are not spaced, only counted.
//
// Slots are granted in the order they were asked for (first come, first
// served), whoever asks: the log batcher, a later page of a lookup, a
// directory audit read.
//
// With a SharedBudget (several replicas), the shared one keeps the count
// and the line, and this one only passes the calls on.
type budget struct {
	limit   int
	window  time.Duration
	spacing time.Duration // window/limit
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	shared  SharedBudget                  // nil: the count and the line are kept here
	log     *slog.Logger                  // for the shared budget's failures
	idle    func(context.Context, func()) // runs a wait for a turn in the line

	mu          sync.Mutex
	inFlight    int
	done        []time.Time // answer times still inside the window, oldest first
	pausedUntil time.Time
	lastSpaced  time.Time // when the last spaced request was granted
	queue       []*ticket // callers waiting for a slot, first come first
	changed     chan struct{}

	skewMu sync.Mutex
	skew   time.Duration // time slept that the clock did not show (a frozen clock)
}

// ticket is one caller waiting in acquire. It is not zero-sized, so that
// distinct tickets have distinct addresses.
type ticket struct{ spaced bool }

func newBudget(limit int, window time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) *budget {
	b := &budget{limit: limit, window: window, spacing: window / time.Duration(limit), sleep: sleep, changed: make(chan struct{}),
		idle: func(_ context.Context, wait func()) { wait() }}
	b.now = func() time.Time { return now().Add(b.skewed()) }
	return b
}

// skewed returns the time slept that the clock did not show.
func (b *budget) skewed() time.Duration {
	b.skewMu.Lock()
	defer b.skewMu.Unlock()
	return b.skew
}

// prune forgets answers that left the window. Call with mu held.
func (b *budget) prune(now time.Time) {
	cut := 0
	for cut < len(b.done) && !b.done[cut].Add(b.window).After(now) {
		cut++
	}
	b.done = b.done[cut:]
}

// nextFree returns how long until a slot frees (0: one is free now) for a
// spaced request or not, and whether only an in-flight request's answer
// can free one. Call with mu held.
func (b *budget) nextFree(now time.Time, spaced bool) (wait time.Duration, onRelease bool) {
	b.prune(now)
	switch {
	case now.Before(b.pausedUntil):
		return b.pausedUntil.Sub(now), false
	case b.inFlight+len(b.done) >= b.limit && len(b.done) == 0:
		return 0, true
	case b.inFlight+len(b.done) >= b.limit:
		wait = b.done[0].Add(b.window).Sub(now)
	}
	if next := b.lastSpaced.Add(b.spacing); spaced && !b.lastSpaced.IsZero() && next.After(now) {
		wait = max(wait, next.Sub(now))
	}
	return wait, false
}

// acquire waits, in arrival order, for a slot and returns the function
// that gives it back; used says whether a request was sent. It waits as
// long as ctx allows: a busy budget is a reason to wait, not to fail.
// When ctx ends first it returns an ErrThrottled *Error
// (CodeBudgetExhausted) saying how much longer the wait would have been.
func (b *budget) acquire(ctx context.Context, op string) (release func(used bool), err error) {
	if b.shared != nil {
		return b.takeShared(ctx, op, false)
	}
	return b.take(ctx, op, &ticket{})
}

// acquireSpaced is acquire for a request that starts a batch of lookups:
// it also waits until window/limit after the previous such request.
func (b *budget) acquireSpaced(ctx context.Context, op string) (release func(used bool), err error) {
	if b.shared != nil {
		return b.takeShared(ctx, op, true)
	}
	return b.take(ctx, op, &ticket{spaced: true})
}

// take waits for t's turn and a slot.
func (b *budget) take(ctx context.Context, op string, t *ticket) (release func(used bool), err error) {
	b.mu.Lock()
	b.queue = append(b.queue, t)
	b.mu.Unlock()
	defer func() {
		if err != nil {
			b.mu.Lock()
			b.leave(t)
			b.mu.Unlock()
		}
	}()
	for {
		b.mu.Lock()
		now := b.now()
		wait, onRelease := b.nextFree(now, t.spaced)
		head := b.queue[0] == t
		if head && wait == 0 && !onRelease {
			b.inFlight++
			if t.spaced {
				b.lastSpaced = now
			}
			b.leave(t)
			b.mu.Unlock()
			return b.releaser(), nil
		}
		changed := b.changed
		b.mu.Unlock()

		if !head || onRelease {
			var ended bool
			b.waitIdle(ctx, func() {
				select {
				case <-changed:
				case <-ctx.Done():
					ended = true
				}
			})
			if ended {
				return nil, b.exhausted(op, b.estimate(0))
			}
			continue
		}
		before := b.now()
		if err := b.sleep(ctx, wait); err != nil {
			return nil, b.exhausted(op, wait)
		}
		if moved := b.now().Sub(before); moved < wait {
			// A clock that stands still (a demo or a test pinned to one
			// instant) must not keep the budget waiting for ever: the
			// time slept counts.
			b.skewMu.Lock()
			b.skew += wait - moved
			b.skewMu.Unlock()
		}
	}
}

// waitIdle runs wait, a wait for a turn in the line, through the
// client's idle function (WithIdle).
func (b *budget) waitIdle(ctx context.Context, wait func()) {
	if b.idle == nil {
		wait()
		return
	}
	b.idle(ctx, wait)
}

// leave removes t from the queue and wakes the others. Call with mu held.
func (b *budget) leave(t *ticket) {
	if i := slices.Index(b.queue, t); i >= 0 {
		b.queue = slices.Delete(b.queue, i, i+1)
		b.wake()
	}
}

// wake tells waiters that something changed. Call with mu held.
func (b *budget) wake() {
	close(b.changed)
	b.changed = make(chan struct{})
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
			b.wake()
		})
	}
}

// pause holds every request for d (a Retry-After from Graph).
func (b *budget) pause(d time.Duration) {
	if b.shared != nil {
		b.pauseShared(d)
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if until := b.now().Add(d); until.After(b.pausedUntil) {
		b.pausedUntil = until
	}
	b.wake()
}

// estimate is how long a spaced request with ahead requests queued
// before it (besides the callers already waiting here) would wait for a
// slot, roughly: the time until the next slot frees, then one spacing per
// request ahead.
func (b *budget) estimate(ahead int) time.Duration {
	if b.shared != nil {
		return b.shared.Estimate(ahead)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	wait, onRelease := b.nextFree(b.now(), true)
	if onRelease {
		wait = b.spacing
	}
	ahead += len(b.queue)
	return wait + time.Duration(ahead)*b.spacing
}

// exhausted is the error for a wait the caller could not afford.
func (b *budget) exhausted(op string, wait time.Duration) *Error {
	return &Error{
		Op:   op,
		Code: CodeBudgetExhausted,
		Message: fmt.Sprintf("the reporting API allows %d requests per %s and the caller stopped waiting for one",
			b.limit, b.window),
		RetryAfter: wait.Round(time.Millisecond),
		kind:       ErrThrottled,
	}
}

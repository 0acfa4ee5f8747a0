package fcfs

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Config says how big a [Line]'s budget is and how its callers wait.
type Config struct {
	// Limit requests per Window.
	Limit  int
	Window time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Sleep waits d or until ctx ends; the first caller in line waits
	// with it for a slot that frees at a known time (or for the line to
	// change). nil: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Idle runs wait, a wait for a turn in the line or for an answer to
	// free a slot, and returns when it returns. nil: runs wait.
	Idle func(ctx context.Context, wait func())
}

// Line is a budget of Limit requests per Window whose slots are granted
// first come, first served. It counts a request from its grant until
// Window after its answer (the release), which is never shorter than
// the span a server counts it, and spreads the spaced requests one every
// Window/Limit. Its methods are safe for concurrent use.
type Line struct {
	limit   int
	window  time.Duration
	spacing time.Duration // window/limit
	clock   func() time.Time
	sleep   func(context.Context, time.Duration) error
	idle    func(context.Context, func())

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

// ticket is one caller waiting in Take. It is not zero-sized, so that
// distinct tickets have distinct addresses.
type ticket struct{ spaced bool }

// New returns a line with cfg's budget; Limit must be at least 1 and
// Window positive.
func New(cfg Config) *Line {
	l := &Line{limit: cfg.Limit, window: cfg.Window, spacing: cfg.Window / time.Duration(cfg.Limit),
		clock: cfg.Now, sleep: cfg.Sleep, idle: cfg.Idle, changed: make(chan struct{})}
	if l.clock == nil {
		l.clock = time.Now
	}
	if l.idle == nil {
		l.idle = func(_ context.Context, wait func()) { wait() }
	}
	return l
}

// StoppedError is Take's error when its context ended before a slot was
// granted.
type StoppedError struct {
	// Wait is roughly how much longer the caller would have waited.
	Wait time.Duration
	// Err is the context's error.
	Err error
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("stopped waiting for a request slot %v early: %v", e.Wait.Round(time.Millisecond), e.Err)
}

// Unwrap returns the context's error.
func (e *StoppedError) Unwrap() error { return e.Err }

// Limit returns the limit and window.
func (l *Line) Limit() (int, time.Duration) { return l.limit, l.window }

// Waiting returns how many callers wait in Take.
func (l *Line) Waiting() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue)
}

// now is the clock plus the time slept that it did not show.
func (l *Line) now() time.Time {
	l.skewMu.Lock()
	defer l.skewMu.Unlock()
	return l.clock().Add(l.skew)
}

// Take waits, in arrival order and as long as ctx allows, for a slot and
// returns the function that gives it back once; used says whether a
// request was sent. A spaced request also waits until Window/Limit after
// the previous spaced grant. When ctx ends first the error is a
// *StoppedError.
func (l *Line) Take(ctx context.Context, spaced bool) (release func(used bool), err error) {
	t := &ticket{spaced: spaced}
	l.mu.Lock()
	l.queue = append(l.queue, t)
	l.mu.Unlock()
	defer func() {
		if err != nil {
			l.mu.Lock()
			l.leave(t)
			l.mu.Unlock()
		}
	}()
	for {
		l.mu.Lock()
		now := l.now()
		wait, onRelease := l.nextFree(now, spaced)
		head := l.queue[0] == t
		if head && wait == 0 && !onRelease {
			l.inFlight++
			if spaced {
				l.lastSpaced = now
			}
			l.leave(t)
			l.mu.Unlock()
			return l.releaser(), nil
		}
		changed := l.changed
		l.mu.Unlock()

		if !head || onRelease {
			var ended bool
			l.idle(ctx, func() {
				select {
				case <-changed:
				case <-ctx.Done():
					ended = true
				}
			})
			if ended {
				return nil, &StoppedError{Wait: l.Estimate(0), Err: ctx.Err()}
			}
			continue
		}
		if err := l.sleepUntilChanged(ctx, wait, changed); err != nil {
			return nil, &StoppedError{Wait: wait, Err: err}
		}
	}
}

// sleepUntilChanged sleeps wait, or less when the line changes meanwhile
// (an answer that frees a slot sooner); it fails only when ctx ended.
func (l *Line) sleepUntilChanged(ctx context.Context, wait time.Duration, changed <-chan struct{}) error {
	before := l.now()
	var slept bool
	if l.sleep == nil {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
			slept = true
		case <-changed:
		case <-ctx.Done():
		}
	} else {
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case <-changed:
				cancel()
			case <-sctx.Done():
			}
		}()
		slept = l.sleep(sctx, wait) == nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if moved := l.now().Sub(before); slept && moved < wait {
		// A clock that stands still (a demo or a test pinned to one
		// instant) must not keep the line waiting for ever: the time
		// slept counts.
		l.skewMu.Lock()
		l.skew += wait - moved
		l.skewMu.Unlock()
	}
	return nil
}

// prune forgets answers that left the window. Call with mu held.
func (l *Line) prune(now time.Time) {
	cut := 0
	for cut < len(l.done) && !l.done[cut].Add(l.window).After(now) {
		cut++
	}
	l.done = l.done[cut:]
}

// nextFree returns how long until a slot frees (0: one is free now) for a
// spaced request or not, and whether only an in-flight request's answer
// can free one. Call with mu held.
func (l *Line) nextFree(now time.Time, spaced bool) (wait time.Duration, onRelease bool) {
	l.prune(now)
	switch {
	case now.Before(l.pausedUntil):
		return l.pausedUntil.Sub(now), false
	case l.inFlight+len(l.done) >= l.limit && len(l.done) == 0:
		return 0, true
	case l.inFlight+len(l.done) >= l.limit:
		wait = l.done[0].Add(l.window).Sub(now)
	}
	if next := l.lastSpaced.Add(l.spacing); spaced && !l.lastSpaced.IsZero() && next.After(now) {
		wait = max(wait, next.Sub(now))
	}
	return wait, false
}

// leave removes t from the queue and wakes the others. Call with mu held.
func (l *Line) leave(t *ticket) {
	if i := slices.Index(l.queue, t); i >= 0 {
		l.queue = slices.Delete(l.queue, i, i+1)
		l.wake()
	}
}

// wake tells waiters that something changed. Call with mu held.
func (l *Line) wake() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// releaser returns a function that gives a slot back once.
func (l *Line) releaser() func(used bool) {
	var once sync.Once
	return func(used bool) {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.inFlight--
			if used {
				l.done = append(l.done, l.now())
			}
			l.wake()
		})
	}
}

// Pause holds every grant for d (a server's Retry-After).
func (l *Line) Pause(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until := l.now().Add(d); until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
	l.wake()
}

// Estimate is how long a spaced request with ahead requests queued
// before it (besides the callers already waiting here) would wait for a
// slot, roughly: the time until the next slot frees, then one spacing per
// request ahead.
func (l *Line) Estimate(ahead int) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	wait, onRelease := l.nextFree(l.now(), true)
	if onRelease {
		wait = l.spacing
	}
	return wait + time.Duration(ahead+len(l.queue))*l.spacing
}

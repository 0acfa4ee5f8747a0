package inproc

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/provbot/provbot/store"
)

// Bucket is an in-process store.Bucket: at most limit requests per
// window, counted from the grant until window after the answer, spaced
// requests one every window/limit, callers served in arrival order.
type Bucket struct {
	limit   int
	window  time.Duration
	spacing time.Duration
	now     func() time.Time

	mu          sync.Mutex
	inFlight    int
	done        []time.Time // answer times still inside the window, oldest first
	pausedUntil time.Time
	lastSpaced  time.Time
	queue       []*ticket
	changed     chan struct{}
}

var _ store.Bucket = (*Bucket)(nil)

// ticket is one caller waiting in Take; not zero-sized, so distinct
// tickets have distinct addresses.
type ticket struct{ spaced bool }

// NewBucket returns a bucket of limit requests per window on the clock
// now (time.Now when nil); it waits on timers.
func NewBucket(limit int, window time.Duration, now func() time.Time) *Bucket {
	if now == nil {
		now = time.Now
	}
	return &Bucket{limit: limit, window: window, spacing: window / time.Duration(limit), now: now, changed: make(chan struct{})}
}

// Limit returns the limit and window.
func (b *Bucket) Limit() (int, time.Duration) { return b.limit, b.window }

// Take waits in arrival order for a slot; see store.Bucket.
func (b *Bucket) Take(ctx context.Context, spaced bool) (release func(used bool), err error) {
	t := &ticket{spaced: spaced}
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
		wait, onRelease := b.nextFree(now, spaced)
		head := b.queue[0] == t
		if head && wait == 0 && !onRelease {
			b.inFlight++
			if spaced {
				b.lastSpaced = now
			}
			b.leave(t)
			b.mu.Unlock()
			return b.releaser(), nil
		}
		changed := b.changed
		b.mu.Unlock()
		var timer <-chan time.Time
		if head && !onRelease {
			tm := time.NewTimer(wait)
			timer = tm.C
			defer tm.Stop()
		}
		select {
		case <-changed:
		case <-timer:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// nextFree returns how long until a slot frees for a spaced request or
// not, and whether only an in-flight request's answer can free one. Call
// with mu held.
func (b *Bucket) nextFree(now time.Time, spaced bool) (wait time.Duration, onRelease bool) {
	cut := 0
	for cut < len(b.done) && !b.done[cut].Add(b.window).After(now) {
		cut++
	}
	b.done = b.done[cut:]
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

// leave removes t from the queue and wakes the others. Call with mu held.
func (b *Bucket) leave(t *ticket) {
	if i := slices.Index(b.queue, t); i >= 0 {
		b.queue = slices.Delete(b.queue, i, i+1)
		b.wake()
	}
}

// wake tells waiters that something changed. Call with mu held.
func (b *Bucket) wake() {
	close(b.changed)
	b.changed = make(chan struct{})
}

// releaser returns a function that gives a slot back once.
func (b *Bucket) releaser() func(used bool) {
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

// Pause holds every grant for d.
func (b *Bucket) Pause(_ context.Context, d time.Duration) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if until := b.now().Add(d); until.After(b.pausedUntil) {
		b.pausedUntil = until
	}
	b.wake()
	return nil
}

// Estimate says how long a spaced Take would wait with ahead more
// requests queued before it.
func (b *Bucket) Estimate(ahead int) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	wait, onRelease := b.nextFree(b.now(), true)
	if onRelease {
		wait = b.spacing
	}
	return wait + time.Duration(ahead+len(b.queue))*b.spacing
}

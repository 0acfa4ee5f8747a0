package redis

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/provbot/provbot/store"
)

var (
	bucketTake    = script("bucket_take", false)
	bucketRelease = script("bucket_release", false)
	bucketPause   = script("bucket_pause", false)
	bucketLeave   = script("bucket_leave", false)
)

// Timing of a shared bucket's waiters.
const (
	// slotHold is how long a granted slot counts while its request is in
	// flight, at most: a replica that dies holding one loses it for this
	// long (plus the window), never more.
	slotHold = 2 * time.Minute
	// pollEvery is how often a waiter that is not first in line, or waits
	// for an answer to free a slot, asks again.
	pollEvery = 50 * time.Millisecond
	// aliveFor is how long a waiter stays in line without asking again:
	// the line forgets the waiters of a replica that died after this.
	aliveFor = 2 * time.Second
	// releaseTimeout bounds giving a slot back.
	releaseTimeout = 5 * time.Second
)

// Bucket is a token bucket in Redis that every replica shares: the
// reporting budget. Its state lives under provbot:budget:<name>:* (see
// doc.go) and is changed only by Lua scripts, atomically, on the Redis
// server's clock.
type Bucket struct {
	s       *Store
	name    string
	limit   int
	window  time.Duration
	spacing time.Duration
	keys    []string

	mu   sync.Mutex
	seen ledger // what the last script answer said
}

// ledger is a bucket's state as a script last returned it.
type ledger struct {
	at         time.Time // when the answer arrived, on the local clock
	now        int64     // the server's time then, ms
	paused     int64
	lastSpaced int64
	queued     int
	slots      []int64 // expiries, ms, ascending
}

// Bucket returns the shared bucket called name.
func (s *Store) Bucket(name string, limit int, window time.Duration) (store.Bucket, error) {
	if err := store.CheckBucket(name, limit, window); err != nil {
		return nil, err
	}
	b := &Bucket{s: s, name: name, limit: limit, window: window, spacing: window / time.Duration(limit)}
	for _, k := range []string{"slots", "queue", "alive", "seq", "state"} {
		b.keys = append(b.keys, s.key("budget", name, k))
	}
	return b, nil
}

// Limit returns the limit and window.
func (b *Bucket) Limit() (int, time.Duration) { return b.limit, b.window }

// idle is how long the bucket's keys outlive their last use.
func (b *Bucket) idle() int64 { return (slotHold + b.window + aliveFor).Milliseconds() }

// Take waits in arrival order, across replicas, for a slot.
func (b *Bucket) Take(ctx context.Context, spaced bool) (func(used bool), error) {
	ticket, slot := newID(), newID()
	sp := 0
	if spaced {
		sp = 1
	}
	for {
		res, err := bucketTake.Run(ctx, b.s.rdb, b.keys, ticket, sp, b.limit, b.window.Milliseconds(), slotHold.Milliseconds(),
			aliveFor.Milliseconds(), slot, b.idle()).Int64Slice()
		if err != nil {
			b.leave(ticket)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("reporting budget %s: %w", b.name, err)
		}
		if len(res) < 8 {
			b.leave(ticket)
			return nil, fmt.Errorf("reporting budget %s: unexpected script answer %v", b.name, res)
		}
		b.remember(ledger{at: time.Now(), now: res[4], paused: res[5], lastSpaced: res[6], queued: int(res[7]), slots: res[8:]})
		if res[0] == 1 {
			return b.releaser(slot), nil
		}
		wait, onRelease, ahead := time.Duration(res[1])*time.Millisecond, res[2] == 1, res[3]
		next := pollEvery
		if ahead == 0 && !onRelease {
			next = min(max(wait, time.Millisecond), aliveFor/4)
		}
		t := time.NewTimer(next)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			b.leave(ticket)
			return nil, ctx.Err()
		}
	}
}

// leave takes a ticket out of the line (or the line forgets it after
// aliveFor).
func (b *Bucket) leave(ticket string) {
	ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout)
	defer cancel()
	if err := bucketLeave.Run(ctx, b.s.rdb, b.keys[1:3], ticket).Err(); err != nil {
		b.s.log.Warn("leave the reporting budget's line", "bucket", b.name, "err", err)
	}
}

// releaser returns the function that gives slot back, once.
func (b *Bucket) releaser(slot string) func(used bool) {
	var once sync.Once
	return func(used bool) {
		once.Do(func() {
			u := 0
			if used {
				u = 1
			}
			ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout)
			defer cancel()
			// When this fails, the slot counts until slotHold has passed:
			// later, never sooner.
			if err := bucketRelease.Run(ctx, b.s.rdb, b.keys[:1], slot, u, b.window.Milliseconds(), b.idle()).Err(); err != nil {
				b.s.log.Warn("give a reporting budget slot back", "bucket", b.name, "err", err)
			}
		})
	}
}

// Pause holds every grant, on every replica, for d.
func (b *Bucket) Pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if err := bucketPause.Run(ctx, b.s.rdb, b.keys[4:5], max(d.Milliseconds(), 1), b.idle()).Err(); err != nil {
		return fmt.Errorf("pause reporting budget %s: %w", b.name, err)
	}
	return nil
}

// remember keeps the latest state seen.
func (b *Bucket) remember(l ledger) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seen = l
}

// Estimate says how long a spaced Take would wait with ahead more
// requests before it, from the state the last script answer showed, aged
// by the local time since.
func (b *Bucket) Estimate(ahead int) time.Duration {
	b.mu.Lock()
	l := b.seen
	b.mu.Unlock()
	if l.at.IsZero() {
		return time.Duration(ahead) * b.spacing
	}
	now := l.now + time.Since(l.at).Milliseconds()
	win := b.window.Milliseconds()
	var wait int64
	onRelease := false
	var live []int64
	for _, s := range l.slots {
		if s > now {
			live = append(live, s)
		}
	}
	switch {
	case now < l.paused:
		wait = l.paused - now
	case len(live) >= b.limit && live[0] > now+win:
		onRelease = true
	case len(live) >= b.limit:
		wait = live[0] - now
	}
	if next := l.lastSpaced + b.spacing.Milliseconds(); !onRelease && now >= l.paused && l.lastSpaced > 0 && next > now {
		wait = max(wait, next-now)
	}
	d := time.Duration(wait) * time.Millisecond
	if onRelease {
		d = b.spacing
	}
	return d + time.Duration(ahead+l.queued)*b.spacing
}

var _ store.Bucket = (*Bucket)(nil)

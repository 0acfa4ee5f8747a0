package inproc

import (
	"context"
	"time"

	"github.com/provbot/provbot/internal/fcfs"
	"github.com/provbot/provbot/store"
)

// Bucket is an in-process store.Bucket: at most limit requests per
// window, counted from the grant until window after the answer, spaced
// requests one every window/limit, callers served in arrival order (an
// fcfs.Line waiting on timers).
type Bucket struct {
	line *fcfs.Line
}

var _ store.Bucket = (*Bucket)(nil)

// NewBucket returns a bucket of limit requests per window on the clock
// now (time.Now when nil); it waits on timers.
func NewBucket(limit int, window time.Duration, now func() time.Time) *Bucket {
	return &Bucket{line: fcfs.New(fcfs.Config{Limit: limit, Window: window, Now: now})}
}

// Limit returns the limit and window.
func (b *Bucket) Limit() (int, time.Duration) { return b.line.Limit() }

// Take waits in arrival order for a slot; see store.Bucket. When ctx
// ends first the error wraps ctx's.
func (b *Bucket) Take(ctx context.Context, spaced bool) (release func(used bool), err error) {
	return b.line.Take(ctx, spaced)
}

// Pause holds every grant for d.
func (b *Bucket) Pause(_ context.Context, d time.Duration) error {
	b.line.Pause(d)
	return nil
}

// Estimate says how long a spaced Take would wait with ahead more
// requests queued before it.
func (b *Bucket) Estimate(ahead int) time.Duration { return b.line.Estimate(ahead) }

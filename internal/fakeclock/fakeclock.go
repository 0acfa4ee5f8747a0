// Package fakeclock is the settable clock the tests of the whole tree share:
// code under test takes it as its "now" function (and as its sleep function
// where it waits), and the test moves it. Tests whose waits are all in one
// process and need no network can use testing/synctest instead.
package fakeclock

import (
	"context"
	"sync"
	"time"
)

// Start is the time a clock from [New] shows first.
var Start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Clock is a clock that moves only when told. It is safe for concurrent
// use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock at start, or at [Start] when start is zero.
func New(start time.Time) *Clock {
	if start.IsZero() {
		start = Start
	}
	return &Clock{now: start}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t (forward or back).
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Sleep waits without waiting: it moves the clock forward by d at once
// (never back) and returns ctx's error, so that retries and throttling run
// instantly in tests while their waits still show on the clock.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if d > 0 {
		c.Advance(d)
	}
	return ctx.Err()
}

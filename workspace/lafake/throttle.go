package lafake

import (
	"context"
	"sync"
	"time"
)

// The query API's documented limits per caller: 200 requests per 30
// seconds; at most 5 queries running at once, with up to 40 more queued;
// a query that waits in the queue for more than 2.5 minutes is refused.
// Every refusal is HTTP 429.
// https://learn.microsoft.com/azure/azure-monitor/service-limits#la-query-api
// https://azure.microsoft.com/updates/azure-monitor-logs-concurrency-query-throttle/
const (
	DefaultRequests    = 200
	DefaultWindow      = 30 * time.Second
	DefaultConcurrency = 5
	DefaultQueue       = 40
	DefaultQueueWait   = 150 * time.Second
)

// limiter enforces the per-caller limits.
type limiter struct {
	mu        sync.Mutex
	requests  int
	window    time.Duration
	callers   map[string]*callerState
	running   int // per caller in callers; this is the limit
	queue     int
	queueWait time.Duration
}

// callerState is one caller's window and queue.
type callerState struct {
	start   time.Time
	count   int
	slots   chan struct{}
	waiting int
}

// allow counts a request in the caller's window and reports how long to
// wait when the window is full.
func (l *limiter) allow(caller string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.caller(caller)
	if c.start.IsZero() || now.Sub(c.start) >= l.window {
		c.start, c.count = now, 0
	}
	if l.requests > 0 && c.count >= l.requests {
		return false, c.start.Add(l.window).Sub(now)
	}
	c.count++
	return true, 0
}

// acquire takes one of the caller's running slots, waiting in the queue;
// it fails when the queue is full or the wait is too long. release frees
// the slot.
func (l *limiter) acquire(ctx context.Context, caller string) (release func(), ok bool) {
	l.mu.Lock()
	c := l.caller(caller)
	select {
	case c.slots <- struct{}{}:
		l.mu.Unlock()
		return func() { <-c.slots }, true
	default:
	}
	if c.waiting >= l.queue {
		l.mu.Unlock()
		return nil, false
	}
	c.waiting++
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		c.waiting--
		l.mu.Unlock()
	}()
	t := time.NewTimer(l.queueWait)
	defer t.Stop()
	select {
	case c.slots <- struct{}{}:
		return func() { <-c.slots }, true
	case <-t.C:
		return nil, false
	case <-ctx.Done():
		return nil, false
	}
}

func (l *limiter) caller(key string) *callerState {
	c, ok := l.callers[key]
	if !ok {
		c = &callerState{slots: make(chan struct{}, max(1, l.running))}
		l.callers[key] = c
	}
	return c
}

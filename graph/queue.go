package graph

import (
	"context"
	"sync"
	"time"
)

// QueueWait says how long a lookup waits for the reporting budget before
// its provisioning logs are requested: Microsoft allows 5 requests per
// 10 seconds per tenant, each request serves up to 15 users, and lookups
// are served in the order they arrived. A bot can pass it on ("Busy: 40
// people ahead of you, about a minute") and let the lookup's own deadline
// follow it instead of a fixed one.
type QueueWait struct {
	// Ahead is how many other people's lookups are queued before this one.
	Ahead int
	// Wait is the expected wait before the lookup's request goes out
	// (the answer takes one more round trip, more for a long history).
	Wait time.Duration
}

type queueNotifierKey struct{}

// WithQueueNotifier returns a context that makes a lookup (Gather,
// Lookup) call fn once, as soon as it is queued, when its provisioning
// logs cannot be requested at once because the reporting budget is busy.
// Lookups that go out at once, or are answered from the cache, do not
// call it. A lookup that was not told so at once (the budget looked
// free) but still waits lateNoteAfter later, for the budget or for
// another replica fetching the same user, calls it then. fn runs on the
// lookup's goroutine or, for that later note, on a timer's while the
// lookup waits (never after the lookup returned); it must not block.
func WithQueueNotifier(ctx context.Context, fn func(QueueWait)) context.Context {
	return context.WithValue(ctx, queueNotifierKey{}, fn)
}

// queueNotifier returns ctx's notifier, or nil.
func queueNotifier(ctx context.Context) func(QueueWait) {
	fn, _ := ctx.Value(queueNotifierKey{}).(func(QueueWait))
	return fn
}

type reportingGateKey struct{}

// WithReportingGate returns a context that makes a lookup (Gather,
// Lookup) call gate before it requests provisioning logs, which spend the
// reporting budget: an error from gate ends the lookup with that error.
// A bot uses it to look someone up while it is still checking whether the
// asker may see them: the directory reads go out at once, and the budget
// is spent only for an asker who may see the answer. gate may block (it
// runs on the lookup's goroutine, with the lookup's context).
func WithReportingGate(ctx context.Context, gate func(context.Context) error) context.Context {
	return context.WithValue(ctx, reportingGateKey{}, gate)
}

// reportingGate returns ctx's gate, or nil.
func reportingGate(ctx context.Context) func(context.Context) error {
	fn, _ := ctx.Value(reportingGateKey{}).(func(context.Context) error)
	return fn
}

// ReportingQueue says how long a lookup for a new user would wait now for
// the reporting budget: zero when it would go out at once.
func (c *Client) ReportingQueue() QueueWait {
	if c.budget == nil {
		return QueueWait{}
	}
	c.logs.mu.Lock()
	ahead := len(c.logs.pending)
	c.logs.mu.Unlock()
	return QueueWait{Ahead: ahead, Wait: c.budget.estimate(requestsFor(ahead))}
}

// requestsFor is how many requests the lookups of n users need, batched.
func requestsFor(n int) int { return (n + maxBatchUsers - 1) / maxBatchUsers }

// lateNoteAfter is how long a lookup waits, untold, before it is told it
// waits: long enough that an answer coming in one round trip never
// brings a note, short enough that a wait of a few seconds does.
const lateNoteAfter = time.Second

// lateNote calls ctx's queue notifier, if any, lateNoteAfter from now
// when waiting still says so, with the budget's estimate of the wait:
// for waits whose length the lookup could not know when it began (the
// budget looked free, or another replica is fetching the same user).
// stop ends it; once stop returned the notifier is not called. The
// timer is a real one: the note is for a person waiting.
func (c *Client) lateNote(ctx context.Context, waiting func() bool) (stop func()) {
	notify := queueNotifier(ctx)
	if notify == nil {
		return func() {}
	}
	var (
		mu   sync.Mutex
		done bool
	)
	t := time.AfterFunc(lateNoteAfter, func() {
		mu.Lock()
		defer mu.Unlock()
		if done || !waiting() {
			return
		}
		done = true
		var w QueueWait
		if c.budget != nil {
			w.Wait = c.budget.estimate(0)
		}
		notify(w)
	})
	return func() {
		t.Stop()
		mu.Lock()
		done = true
		mu.Unlock()
	}
}

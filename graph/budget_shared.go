package graph

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// SharedBudget is a reporting budget kept outside the client, which every
// replica of provbot spending the same app's quota in the same tenant
// shares: Microsoft's 5 requests per 10 s per app per tenant is one budget
// however many replicas ask. store/redis's Bucket implements it. Its
// semantics are the client's own budget's: slots granted first come,
// first served across every replica, counted from the grant until a
// window after the answer, requests that start a batch spread one every
// window/limit, a Retry-After pausing everyone.
type SharedBudget interface {
	// Take waits, as long as ctx allows, for a slot; spaced also waits
	// until window/limit after the previous spaced grant. release gives
	// the slot back; used says whether a request was sent.
	Take(ctx context.Context, spaced bool) (release func(used bool), err error)
	// Pause holds every grant, on every replica, for d.
	Pause(ctx context.Context, d time.Duration) error
	// Estimate says, without I/O, how long a spaced Take would wait now
	// with ahead more requests queued before it.
	Estimate(ahead int) time.Duration
	// Limit returns the budget's requests per window.
	Limit() (n int, per time.Duration)
}

// CodeBudgetUnavailable means the shared reporting budget (the state
// store) could not be reached, so no reporting request was sent.
const CodeBudgetUnavailable = "ReportBudgetUnavailable"

// WithSharedBudget makes the client spend a budget shared with other
// replicas instead of its own (WithReportBudget is then ignored: the
// shared budget has its own limit).
func WithSharedBudget(b SharedBudget) Option {
	return func(c *config) {
		if b == nil {
			c.invalid("shared budget is nil")
			return
		}
		if n, per := b.Limit(); n < 1 || per <= 0 {
			c.invalid("shared budget of %d per %v: want at least 1 per a positive window", n, per)
			return
		}
		c.shared = b
	}
}

// newSharedBudget is the client's budget over a shared one.
func newSharedBudget(s SharedBudget, log *slog.Logger, idle func(context.Context, func())) *budget {
	n, per := s.Limit()
	return &budget{limit: n, window: per, shared: s, log: log, idle: idle}
}

// takeShared is take for a shared budget.
func (b *budget) takeShared(ctx context.Context, op string, spaced bool) (func(used bool), error) {
	var release func(used bool)
	var err error
	b.waitIdle(ctx, func() { release, err = b.shared.Take(ctx, spaced) })
	switch {
	case err == nil:
		return release, nil
	case ctx.Err() != nil:
		return nil, b.exhausted(op, b.shared.Estimate(0))
	}
	return nil, &Error{Op: op, Code: CodeBudgetUnavailable, Err: err, kind: ErrUnavailable,
		Message: fmt.Sprintf("the reporting budget shared by provbot's replicas could not be reached: %v", err)}
}

// pauseShared is pause for a shared budget: every replica waits.
func (b *budget) pauseShared(d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.shared.Pause(ctx, d); err != nil {
		// The next Take fails the same way, or Graph answers 429 again.
		b.log.Warn("pause the shared reporting budget", "err", err)
	}
}

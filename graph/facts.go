package graph

import (
	"context"
	"errors"

	"github.com/provbot/provbot/diagnose"
)

// FactObserver is told about every fact a lookup could not read (an
// Observer may also implement it), for the skipped-facts metric. Calls
// happen on request goroutines and must not block.
type FactObserver interface {
	// ObserveSkippedFact is called once per fact and app a Gather could
	// not read, with why (diagnose.Unread: budget, forbidden, timeout,
	// failed, not-found).
	ObserveSkippedFact(fact diagnose.Fact, reason diagnose.Unread)
}

// unreadOf says why a read failed, in the diagnosis's terms.
func unreadOf(err error) diagnose.Unread {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded):
		return diagnose.UnreadTimeout
	case errors.As(err, &e) && e.Code == CodeBudgetExhausted:
		return diagnose.UnreadBudget
	case errors.Is(err, ErrForbidden):
		return diagnose.UnreadForbidden
	case errors.Is(err, ErrNotFound):
		return diagnose.UnreadNotFound
	case errors.As(err, &e) && e.Code == CodeTransport:
		return diagnose.UnreadTimeout
	}
	return diagnose.UnreadFailed
}

// skipped records that a fact could not be read: in the input's unknowns,
// in the log (at info: it is expected, and the answer says so) and in the
// metric.
func (c *Client) skipped(ctx context.Context, u *diagnose.Unknowns, fact diagnose.Fact, why diagnose.Unread, attrs ...any) {
	*u = u.Set(fact, why)
	c.log.InfoContext(ctx, "fact not read", append([]any{"fact", string(fact), "reason", string(why)}, attrs...)...)
	if fo, ok := c.cfg.observer.(FactObserver); ok {
		fo.ObserveSkippedFact(fact, why)
	}
}

package redis

import (
	"context"
	"fmt"
	"time"

	"github.com/provbot/provbot/store"
)

var (
	queueOffer    = script("queue_offer", false)
	queueClaim    = script("queue_claim", false)
	queueWithdraw = script("queue_withdraw", false)
)

// queueIdle is how long a queue's keys outlive their last use at least
// (and never less than the longest offer or claim in them): a queue
// nobody uses any more disappears.
const queueIdle = time.Minute

// queueKeys are a queue's order zset, state hash and sequence.
func (s *Store) queueKeys(queue string) []string {
	return []string{s.key("queue", queue, "order"), s.key("queue", queue, "state"), s.key("queue", queue, "seq")}
}

// QueueOffer puts item at the back of queue, or refreshes it; one
// script, so that an offer never undoes a claim made meanwhile.
func (s *Store) QueueOffer(ctx context.Context, queue, item string, ttl time.Duration) (bool, error) {
	if err := store.CheckOffer(queue, item, ttl); err != nil {
		return false, err
	}
	n, err := queueOffer.Run(ctx, s.rdb, s.queueKeys(queue), item, ttl.Milliseconds(), store.MaxQueued, queueIdle.Milliseconds()).Int64()
	switch {
	case err != nil:
		return false, fmt.Errorf("queue offer: %w", err)
	case n == -4:
		return false, fmt.Errorf("queue %s holds %d items: %w", queue, store.MaxQueued, store.ErrFull)
	}
	return n == 1, nil
}

// QueueClaim takes up to max of queue's oldest offered items, in one
// script: two claimers never take the same item.
func (s *Store) QueueClaim(ctx context.Context, queue string, max int, lease time.Duration) ([]string, error) {
	if err := store.CheckClaim(queue, max, lease); err != nil {
		return nil, err
	}
	items, err := queueClaim.Run(ctx, s.rdb, s.queueKeys(queue), max, lease.Milliseconds(), queueIdle.Milliseconds()).StringSlice()
	if err != nil && !isNil(err) {
		return nil, fmt.Errorf("queue claim: %w", err)
	}
	return items, nil
}

// QueueWithdraw takes items off queue but those under a live claim, in
// one script: an item is either withdrawn or claimed, never both.
func (s *Store) QueueWithdraw(ctx context.Context, queue string, items ...string) ([]string, error) {
	if err := store.CheckWithdraw(queue, items); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, nil
	}
	args := make([]any, len(items))
	for i, it := range items {
		args[i] = it
	}
	claimed, err := queueWithdraw.Run(ctx, s.rdb, s.queueKeys(queue)[:2], args...).StringSlice()
	if err != nil && !isNil(err) {
		return nil, fmt.Errorf("queue withdraw: %w", err)
	}
	return claimed, nil
}

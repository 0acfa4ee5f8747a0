package inproc

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/provbot/provbot/store"
)

// Queues are in-process work queues (store.Shared's QueueOffer and the
// others, in one process): items offered for a ttl, claimed for a lease,
// withdrawn by their owner.
type Queues struct {
	now func() time.Time

	mu sync.Mutex
	m  map[string]*queue
}

// queue is one queue's items by name.
type queue struct {
	seq   int64
	items map[string]*queued
}

// queued is one item: its place, and until when it is offered or
// claimed.
type queued struct {
	seq     int64
	until   time.Time
	claimed bool
}

// live says whether the item's offer or claim still holds at now.
func (q *queued) live(now time.Time) bool { return now.Before(q.until) }

// NewQueues returns empty queues on the clock now (time.Now when nil).
func NewQueues(now func() time.Time) *Queues {
	if now == nil {
		now = time.Now
	}
	return &Queues{now: now, m: map[string]*queue{}}
}

// Offer puts item at the back of name, or refreshes it; see
// store.Shared.QueueOffer.
func (qs *Queues) Offer(name, item string, ttl time.Duration) (bool, error) {
	qs.mu.Lock()
	defer qs.mu.Unlock()
	now := qs.now()
	q := qs.m[name]
	if q == nil {
		q = &queue{items: map[string]*queued{}}
		qs.m[name] = q
	}
	it := q.items[item]
	switch {
	case it != nil && it.live(now) && it.claimed:
		return false, nil
	case it != nil && it.live(now):
		it.until = now.Add(ttl)
		return true, nil
	}
	delete(q.items, item) // a lapsed item goes to the back
	if len(q.items) >= store.MaxQueued {
		q.prune(now)
		if len(q.items) >= store.MaxQueued {
			return false, fmt.Errorf("queue %s holds %d items: %w", name, len(q.items), store.ErrFull)
		}
	}
	q.seq++
	q.items[item] = &queued{seq: q.seq, until: now.Add(ttl)}
	return true, nil
}

// Claim takes up to max of name's oldest offered items; see
// store.Shared.QueueClaim.
func (qs *Queues) Claim(name string, max int, lease time.Duration) []string {
	qs.mu.Lock()
	defer qs.mu.Unlock()
	q := qs.m[name]
	if q == nil {
		return nil
	}
	now := qs.now()
	q.prune(now)
	var offered []string
	for k, it := range q.items {
		if !it.claimed {
			offered = append(offered, k)
		}
	}
	slices.SortFunc(offered, func(a, b string) int { return cmp.Compare(q.items[a].seq, q.items[b].seq) })
	offered = offered[:min(max, len(offered))]
	for _, k := range offered {
		q.items[k].claimed, q.items[k].until = true, now.Add(lease)
	}
	qs.forget(name, q)
	return offered
}

// Withdraw takes items off name but those under a live claim, which it
// returns; see store.Shared.QueueWithdraw.
func (qs *Queues) Withdraw(name string, items []string) []string {
	qs.mu.Lock()
	defer qs.mu.Unlock()
	q := qs.m[name]
	if q == nil {
		return nil
	}
	now := qs.now()
	var claimed []string
	for _, k := range items {
		if it := q.items[k]; it != nil && it.claimed && it.live(now) {
			claimed = append(claimed, k)
			continue
		}
		delete(q.items, k)
	}
	qs.forget(name, q)
	return claimed
}

// prune drops the items whose offer or claim lapsed.
func (q *queue) prune(now time.Time) {
	for k, it := range q.items {
		if !it.live(now) {
			delete(q.items, k)
		}
	}
}

// forget drops an empty queue. Call with mu held.
func (qs *Queues) forget(name string, q *queue) {
	if len(q.items) == 0 {
		delete(qs.m, name)
	}
}

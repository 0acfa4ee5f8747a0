package store

import (
	"context"
	"fmt"
	"time"
)

// Shared is what replicas share so that together they behave as one: the
// reporting budget, coalescing of identical work and a cache. In
// store/sqlite (one replica) they are in-process.
type Shared interface {
	// Bucket returns the token bucket called name: at most limit requests
	// per window, the reporting budget of package graph (see Bucket). Every
	// replica must use the same limit and window for a name.
	Bucket(name string, limit int, window time.Duration) (Bucket, error)
	// Coalesce runs fn once for everyone asking for key at the same time,
	// across replicas, and returns its value to all of them; shared says
	// whether the value came from another caller's run. While fn runs, it
	// holds key's lock for up to hold (fn's context ends then; another
	// caller takes over when the holder dies); its value is kept for keep
	// after it returns, so that callers arriving meanwhile get it too. An
	// error from fn is returned to its own caller only; the callers waiting
	// then run fn themselves, one at a time.
	Coalesce(ctx context.Context, key string, hold, keep time.Duration, fn func(ctx context.Context) ([]byte, error)) (v []byte, shared bool, err error)
	// CacheGet returns the value stored under key and not yet expired.
	CacheGet(ctx context.Context, key string) (v []byte, ok bool, err error)
	// CachePut stores v under key for ttl.
	CachePut(ctx context.Context, key string, v []byte, ttl time.Duration) error
	// CacheDelete forgets key.
	CacheDelete(ctx context.Context, key string) error

	// A queue is work waiting, published so that whoever has room for it
	// takes it: package graph puts there the users whose provisioning
	// logs wait for the reporting budget, and a replica that gets a slot
	// fills its request with other replicas' users. An item is offered
	// for a ttl (its owner refreshes it while it waits; a dead owner's
	// items leave the queue), claimed for a lease (a claimer that dies
	// lets its claim lapse) and withdrawn by its owner when it stops
	// waiting. Items are opaque strings, each at most once in a queue.

	// QueueOffer puts item at the back of queue for ttl, or, when it is
	// there already and not claimed, refreshes its ttl and keeps its
	// place. It returns false, changing nothing, when a claim on the item
	// is live. A queue holds at most MaxQueued items: an offer of a new
	// item to a full queue fails with ErrFull.
	QueueOffer(ctx context.Context, queue, item string, ttl time.Duration) (offered bool, err error)
	// QueueClaim takes up to max of queue's oldest offered items, marks
	// them claimed for lease and returns them, oldest first. Items whose
	// offer or claim has lapsed leave the queue (a lapsed claim is not
	// offered again: its owner, seeing it gone, does the work itself).
	QueueClaim(ctx context.Context, queue string, max int, lease time.Duration) (items []string, err error)
	// QueueWithdraw takes items off queue but for those under a live
	// claim, which it returns. Items not in the queue (never offered,
	// lapsed, taken off already) are no error.
	QueueWithdraw(ctx context.Context, queue string, items ...string) (claimed []string, err error)
}

// Bucket is a reporting budget: at most Limit requests in any window,
// granted first come, first served, whoever asks. A request counts from
// the moment its slot is granted until a window after its answer (never
// shorter than the span the service counts it), and requests that start a
// batch of work are spread one every window/limit. Package graph takes it
// through its SharedBudget interface.
type Bucket interface {
	// Take waits, in arrival order among every caller of the bucket, for a
	// slot, for as long as ctx allows; spaced also waits until window/limit
	// after the previous spaced grant. release gives the slot back: used
	// says whether a request was sent (an unused slot frees at once).
	// release may be called more than once; only the first call counts.
	Take(ctx context.Context, spaced bool) (release func(used bool), err error)
	// Pause holds every grant for d (a Retry-After from the service).
	Pause(ctx context.Context, d time.Duration) error
	// Estimate says how long a spaced Take would wait now with ahead more
	// requests queued before it (besides those waiting already), from what
	// the bucket last saw; it does no I/O.
	Estimate(ahead int) time.Duration
	// Limit returns the bucket's limit and window.
	Limit() (n int, per time.Duration)
}

// CheckBucket checks Bucket's arguments.
func CheckBucket(name string, limit int, window time.Duration) error {
	if err := CheckKey("bucket name", name); err != nil {
		return err
	}
	if limit < 1 || window < time.Millisecond {
		return fmt.Errorf("bucket %s: %d per %v: want at least 1 per 1ms: %w", name, limit, window, ErrInvalid)
	}
	return nil
}

// CheckCoalesce checks Coalesce's arguments.
func CheckCoalesce(key string, hold, keep time.Duration) error {
	if err := CheckKey("coalesce key", key); err != nil {
		return err
	}
	if err := CheckTTL("coalesce hold", hold); err != nil {
		return err
	}
	return CheckTTL("coalesce keep", keep)
}

// CheckCached returns an ErrInvalid error when a cached or coalesced
// value is larger than MaxCached.
func CheckCached(what string, v []byte) error {
	if len(v) > MaxCached {
		return fmt.Errorf("%s is %d bytes, at most %d: %w", what, len(v), MaxCached, ErrInvalid)
	}
	return nil
}

// Limits of the queues (Shared.QueueOffer and the others).
const (
	// MaxQueued is how many items a queue holds at most.
	MaxQueued = 1000
	// MaxClaimed is how many items one claim or withdrawal names at most.
	MaxClaimed = 100
)

// CheckOffer checks QueueOffer's arguments.
func CheckOffer(queue, item string, ttl time.Duration) error {
	if err := CheckKey("queue name", queue); err != nil {
		return err
	}
	if err := CheckKey("queue item", item); err != nil {
		return err
	}
	return CheckTTL("queue offer ttl", ttl)
}

// CheckClaim checks QueueClaim's arguments.
func CheckClaim(queue string, max int, lease time.Duration) error {
	if err := CheckKey("queue name", queue); err != nil {
		return err
	}
	if max < 1 || max > MaxClaimed {
		return fmt.Errorf("claim of %d items: want 1 to %d: %w", max, MaxClaimed, ErrInvalid)
	}
	return CheckTTL("queue claim lease", lease)
}

// CheckWithdraw checks QueueWithdraw's arguments.
func CheckWithdraw(queue string, items []string) error {
	if err := CheckKey("queue name", queue); err != nil {
		return err
	}
	if len(items) > MaxClaimed {
		return fmt.Errorf("withdrawal of %d items: at most %d: %w", len(items), MaxClaimed, ErrInvalid)
	}
	for _, it := range items {
		if err := CheckKey("queue item", it); err != nil {
			return err
		}
	}
	return nil
}

// CheckTTL returns an ErrInvalid error for a duration under a
// millisecond, the store's resolution.
func CheckTTL(what string, d time.Duration) error {
	if d < time.Millisecond {
		return fmt.Errorf("%s %v: want at least 1ms: %w", what, d, ErrInvalid)
	}
	return nil
}

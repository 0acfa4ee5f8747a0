package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// DefaultLeaseTTL is how long a Leader's lease lasts without renewal: how
// long the pollers may stand still after their leader died.
const DefaultLeaseTTL = 15 * time.Second

// Leader runs work on one replica at a time: the one that holds the lease
// Name. It renews the lease every TTL/3; a replica that dies stops
// renewing, and another takes the lease once it has lapsed. A leader
// whose renewals fail stops its work a tenth of the TTL before the lease
// can lapse (counted from when the last renewal that got through was
// sent), so that two replicas do not work at once while clocks and
// timers are only roughly on time; the fence covers what is left.
type Leader struct {
	// Leases is where the lease is kept.
	Leases Leases
	// Name is the lease's name ("pollers").
	Name string
	// Holder identifies this replica; it must differ between replicas.
	Holder string
	// TTL is how long the lease lasts without renewal (DefaultLeaseTTL
	// when zero).
	TTL time.Duration
	// Logger logs terms won and lost; nil discards.
	Logger *slog.Logger
}

// Run campaigns for the lease until ctx ends. Each time it wins a term it
// calls lead with a context that ends when the term does (the lease was
// lost, could not be renewed within its TTL, or ctx ended) and the term's
// Fence, which lead passes to its writes so that the store refuses them
// once another replica leads. lead should return soon after its context
// ends. When lead returns while the term lasts, the lease is released and
// Run campaigns again. When ctx ends, Run waits for lead, releases the
// lease so that another replica takes over at once, and returns.
func (l *Leader) Run(ctx context.Context, lead func(ctx context.Context, f Fence)) error {
	ttl := l.TTL
	if ttl <= 0 {
		ttl = DefaultLeaseTTL
	}
	if err := CheckLease(l.Name, l.Holder, ttl); err != nil {
		return fmt.Errorf("leader: %w", err)
	}
	if l.Leases == nil || lead == nil {
		return fmt.Errorf("leader: no leases or no work: %w", ErrInvalid)
	}
	log := l.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("lease", l.Name, "holder", l.Holder)
	every := ttl / 3
	for {
		asked := time.Now()
		lease, err := l.acquire(ctx, ttl, every)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, ErrLeaseHeld):
		case err != nil:
			log.Warn("lease not taken", "err", err)
		default:
			lapse := asked.Add(ttl - ttl/10)
			for lease.Token != 0 {
				lease, lapse = l.term(ctx, lease, lapse, ttl, every, lead, log)
			}
		}
		if err := sleep(ctx, every); err != nil {
			return err
		}
	}
}

// term runs lead for the term that lease began, renewing the lease; it
// holds until lapse unless renewed. It returns the next term's lease and
// lapse when the lease lapsed and this holder took it again at once, else
// the zero Lease.
func (l *Leader) term(ctx context.Context, lease Lease, lapse time.Time, ttl, every time.Duration,
	lead func(context.Context, Fence), log *slog.Logger) (Lease, time.Time) {
	log.Info("leading", "token", lease.Token)
	tctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		lead(tctx, lease.Fence())
	}()
	stop := func(why string, release bool) {
		cancel()
		<-done
		log.Info("term over", "token", lease.Token, "why", why)
		if release {
			rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), every)
			defer rcancel()
			if err := l.Leases.ReleaseLease(rctx, lease); err != nil {
				log.Warn("lease not released", "err", err)
			}
		}
	}
	lapsed := time.NewTimer(time.Until(lapse))
	defer lapsed.Stop()
	renew := time.NewTimer(every)
	defer renew.Stop()
	for {
		select {
		case <-ctx.Done():
			stop("stopping", true)
			return Lease{}, time.Time{}
		case <-done:
			stop("the work returned", true)
			return Lease{}, time.Time{}
		case <-lapsed.C:
			// No renewal got through in time: the store may give the
			// lease to another replica now.
			stop("not renewed in time", false)
			return Lease{}, time.Time{}
		case <-renew.C:
		}
		asked := time.Now()
		next, err := l.acquire(ctx, ttl, time.Until(lapse))
		switch {
		case err == nil && next.Token == lease.Token:
			lapse = asked.Add(ttl - ttl/10)
			lapsed.Reset(time.Until(lapse))
			renew.Reset(every)
		case err == nil:
			// The lease lapsed meanwhile and this holder took it anew:
			// whatever the old term wrote from now on is refused.
			stop("lapsed", false)
			return next, asked.Add(ttl - ttl/10)
		case errors.Is(err, ErrLeaseHeld):
			stop("taken by another holder", false)
			return Lease{}, time.Time{}
		default:
			if ctx.Err() == nil {
				log.Warn("lease not renewed", "token", lease.Token, "err", err)
			}
			renew.Reset(min(every, max(time.Until(lapse)/2, time.Millisecond)))
		}
	}
}

// acquire asks for the lease, for at most wait.
func (l *Leader) acquire(ctx context.Context, ttl, wait time.Duration) (Lease, error) {
	actx, cancel := context.WithTimeout(ctx, max(wait, time.Millisecond))
	defer cancel()
	return l.Leases.AcquireLease(actx, l.Name, l.Holder, ttl)
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

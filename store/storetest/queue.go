package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/store"
)

// offer offers items on q for ttl, failing t unless each is offered.
func offer(t *testing.T, s store.Store, q string, ttl time.Duration, items ...string) {
	t.Helper()
	for _, it := range items {
		ok, err := s.QueueOffer(ctx(t), q, it, ttl)
		if err != nil || !ok {
			t.Fatalf("offer %s: %v, %v; want it offered", it, ok, err)
		}
	}
}

// claim claims up to max items of q for lease.
func claim(t *testing.T, s store.Store, q string, max int, lease time.Duration) []string {
	t.Helper()
	items, err := s.QueueClaim(ctx(t), q, max, lease)
	must(t, "claim", err)
	return items
}

// wantItems fails t unless got holds want, in order (nil and empty alike).
func wantItems(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

func testQueues(t *testing.T, b Backend) {
	const q = "graph:v1:xbatch:servicenow"
	t.Run("ClaimsTakeTheOldestOffersUpToMax", func(t *testing.T) {
		ss := sharers(t, b, 2)
		for i, u := range []string{"u1", "u2", "u3", "u4"} {
			offer(t, ss[i%2], q, time.Minute, u)
		}
		offer(t, ss[0], q, time.Minute, "u1") // a refresh keeps u1's place
		wantItems(t, "first claim of 2", claim(t, ss[1], q, 2, time.Minute), []string{"u1", "u2"})
		wantItems(t, "second claim of 5", claim(t, ss[0], q, 5, time.Minute), []string{"u3", "u4"})
		wantItems(t, "claim of an empty queue", claim(t, ss[1], q, 5, time.Minute), nil)
		wantItems(t, "claim of another queue", claim(t, ss[1], q+"x", 5, time.Minute), nil)
	})
	t.Run("AClaimedItemIsNeitherOfferedNorWithdrawn", func(t *testing.T) {
		ss := sharers(t, b, 2)
		offer(t, ss[0], q, time.Minute, "u1", "u2")
		wantItems(t, "claim", claim(t, ss[1], q, 1, time.Minute), []string{"u1"})
		if ok, err := ss[0].QueueOffer(ctx(t), q, "u1", time.Minute); ok || err != nil {
			t.Errorf("offer of a claimed item = %v, %v; want false", ok, err)
		}
		claimed, err := ss[0].QueueWithdraw(ctx(t), q, "u1", "u2", "never-offered")
		must(t, "withdraw", err)
		wantItems(t, "withdrawal's claimed items", claimed, []string{"u1"})
		wantItems(t, "claim after the withdrawal", claim(t, ss[1], q, 5, time.Minute), nil)
	})
	t.Run("ALapsedClaimLeavesTheQueue", func(t *testing.T) {
		ss := sharers(t, b, 2)
		offer(t, ss[0], q, time.Minute, "u1")
		wantItems(t, "claim", claim(t, ss[1], q, 1, 100*time.Millisecond), []string{"u1"})
		time.Sleep(150 * time.Millisecond) // the claimer died
		claimed, err := ss[0].QueueWithdraw(ctx(t), q, "u1")
		must(t, "withdraw", err)
		wantItems(t, "withdrawal after the lease", claimed, nil)
		wantItems(t, "claim after the lease", claim(t, ss[1], q, 1, time.Minute), nil)
		offer(t, ss[0], q, time.Minute, "u1") // offered again, it is claimable
		wantItems(t, "claim of the new offer", claim(t, ss[1], q, 1, time.Minute), []string{"u1"})
	})
	t.Run("ALapsedOfferIsNotClaimed", func(t *testing.T) {
		ss := sharers(t, b, 2)
		offer(t, ss[0], q, 100*time.Millisecond, "dead-owner")
		offer(t, ss[0], q, time.Minute, "u2")
		time.Sleep(150 * time.Millisecond)
		wantItems(t, "claim", claim(t, ss[1], q, 5, time.Minute), []string{"u2"})
	})
	t.Run("ClaimersNeverTakeTheSameItem", func(t *testing.T) {
		ss := sharers(t, b, 3)
		var all []string
		for i := range 60 {
			all = append(all, fmt.Sprintf("u%02d", i))
		}
		offer(t, ss[0], q, time.Minute, all...)
		var (
			mu  sync.Mutex
			got []string
			wg  sync.WaitGroup
		)
		for i := range 6 {
			wg.Go(func() {
				for {
					items, err := ss[i%3].QueueClaim(ctx(t), q, 7, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if len(items) == 0 {
						return
					}
					mu.Lock()
					got = append(got, items...)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		slices.Sort(got)
		wantItems(t, "items claimed by six claimers together", got, all)
	})
	t.Run("AFullQueueRefusesNewItems", func(t *testing.T) {
		ss := sharers(t, b, 2)
		for i := range store.MaxQueued - 1 {
			offer(t, ss[0], q, time.Minute, fmt.Sprintf("u%d", i))
		}
		offer(t, ss[0], q, 200*time.Millisecond, "short")
		_, err := ss[1].QueueOffer(ctx(t), q, "one-more", time.Minute)
		wantErr(t, "offer to a full queue", err, store.ErrFull)
		offer(t, ss[1], q, time.Minute, "u0")                // a refresh still works
		offer(t, ss[1], q+"-other", time.Minute, "one-more") // so do other queues
		time.Sleep(250 * time.Millisecond)
		offer(t, ss[1], q, time.Minute, "one-more") // "short" lapsed: room
		if got := claim(t, ss[0], q, store.MaxClaimed, time.Minute); len(got) != store.MaxClaimed || got[0] != "u0" {
			t.Errorf("claim of %d from a full queue: %d items from %v", store.MaxClaimed, len(got), got[:min(1, len(got))])
		}
	})
}

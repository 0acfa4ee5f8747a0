package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/store"
)

// The suite's bucket: Microsoft's 5 per 10 s, scaled down ten times.
const (
	bucketLimit  = 5
	bucketWindow = time.Second
	spacing      = bucketWindow / bucketLimit
	// early is how much sooner than its due time a grant may come: the
	// stores keep milliseconds.
	early = 2 * time.Millisecond
	// late is how much later than due a grant may come on a busy machine
	// (CI runs every package's tests at once): less than a window, so
	// that a grant one window late is caught.
	late = 800 * time.Millisecond
)

// grant takes a slot and returns it as used at once, returning when it
// was granted after start.
func grant(t *testing.T, bk store.Bucket, spaced bool, start time.Time) time.Duration {
	t.Helper()
	_, at := asked(t, bk, spaced, start)
	return at
}

// asked is grant that also returns when the slot was asked for: the
// grant happened between the two (store/redis grants on the server's
// clock, and its answer can arrive late).
func asked(t *testing.T, bk store.Bucket, spaced bool, start time.Time) (asked, granted time.Duration) {
	t.Helper()
	asked = time.Since(start)
	release, err := bk.Take(ctx(t), spaced)
	if err != nil {
		t.Fatalf("take: %v", err)
	}
	granted = time.Since(start)
	release(true)
	return asked, granted
}

// wantAt fails t unless got is due or at most late after it, never more
// than early before it.
func wantAt(t *testing.T, what string, got, due time.Duration) {
	t.Helper()
	if got < due-early || got > due+late {
		t.Errorf("%s granted at %v, want %v (at most %v later)", what, got.Round(time.Millisecond), due, late)
	}
}

// buckets returns the bucket on n replicas of one state (one replica, n
// times, when the backend's buckets are in-process).
func buckets(t *testing.T, b Backend, n int) []store.Bucket {
	open := b.New(t)
	var s store.Store
	var out []store.Bucket
	for range n {
		if s == nil || b.Replicated {
			s = open()
		}
		bk, err := s.Bucket("reports", bucketLimit, bucketWindow)
		must(t, "bucket", err)
		out = append(out, bk)
	}
	return out
}

func testBucket(t *testing.T, b Backend) {
	t.Run("SpreadsTheRequestsThatStartBatches", func(t *testing.T) {
		bk := buckets(t, b, 1)[0]
		start := time.Now()
		for i := range 7 {
			wantAt(t, fmt.Sprintf("spaced request %d", i), grant(t, bk, true, start), time.Duration(i)*spacing)
		}
	})
	t.Run("CountsEveryRequestInTheWindow", func(t *testing.T) {
		bk := buckets(t, b, 1)[0]
		start := time.Now()
		for i := range bucketLimit {
			wantAt(t, fmt.Sprintf("request %d", i), grant(t, bk, false, start), 0)
		}
		wantAt(t, "the request over the limit", grant(t, bk, false, start), bucketWindow)
	})
	t.Run("CountsFromTheAnswer", func(t *testing.T) {
		bk := buckets(t, b, 1)[0]
		start := time.Now()
		var releases []func(bool)
		for range bucketLimit {
			r, err := bk.Take(ctx(t), false)
			must(t, "take", err)
			releases = append(releases, r)
		}
		time.Sleep(200 * time.Millisecond) // the requests take 200 ms
		answered := time.Since(start)
		for _, r := range releases {
			r(true)
		}
		wantAt(t, "the next request", grant(t, bk, false, start), answered+bucketWindow)
	})
	t.Run("UnusedSlotsComeBackAtOnce", func(t *testing.T) {
		bk := buckets(t, b, 1)[0]
		start := time.Now()
		for range 2 * bucketLimit {
			r, err := bk.Take(ctx(t), false)
			must(t, "take", err)
			r(false)
			r(true) // only the first call counts
		}
		// Had the unused slots counted, the sixth would have waited for
		// the window.
		if d := time.Since(start); d >= bucketWindow {
			t.Errorf("ten unused slots took %v, a window or more", d)
		}
	})
	t.Run("WaitsForAnswersInFlight", func(t *testing.T) {
		bk := buckets(t, b, 1)[0]
		var releases []func(bool)
		for range bucketLimit {
			r, err := bk.Take(ctx(t), false)
			must(t, "take", err)
			releases = append(releases, r)
		}
		short, cancel := context.WithTimeout(ctx(t), 150*time.Millisecond)
		defer cancel()
		if r, err := bk.Take(short, false); !errors.Is(err, context.DeadlineExceeded) {
			if r != nil {
				r(false)
			}
			t.Fatalf("take with every slot in flight: %v, want the caller's deadline", err)
		}
		start := time.Now()
		releases[0](false)
		wantAt(t, "after an answer", grant(t, bk, false, start), 0)
	})
	t.Run("PausesOnRetryAfter", func(t *testing.T) {
		bk := buckets(t, b, 1)[0]
		start := time.Now()
		must(t, "pause", bk.Pause(ctx(t), 300*time.Millisecond))
		wantAt(t, "after the pause", grant(t, bk, true, start), 300*time.Millisecond)
	})
	t.Run("ServesCallersInArrivalOrderAcrossReplicas", func(t *testing.T) {
		bks := buckets(t, b, 2)
		start := time.Now()
		for range bucketLimit {
			grant(t, bks[0], false, start)
		}
		const waiters = 4
		granted := make([]time.Duration, waiters)
		var wg sync.WaitGroup
		for i := range waiters {
			wg.Go(func() { granted[i] = grant(t, bks[i%2], true, start) })
			time.Sleep(100 * time.Millisecond) // caller i is in line before i+1 comes
		}
		wg.Wait()
		for i := range waiters {
			wantAt(t, fmt.Sprintf("caller %d", i), granted[i], bucketWindow+time.Duration(i)*spacing)
		}
	})
	t.Run("ACallerThatGivesUpLeavesTheLine", func(t *testing.T) {
		bks := buckets(t, b, 2)
		start := time.Now()
		for range bucketLimit {
			grant(t, bks[0], false, start)
		}
		short, cancel := context.WithTimeout(ctx(t), 100*time.Millisecond)
		defer cancel()
		if _, err := bks[0].Take(short, true); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("take that gives up: %v", err)
		}
		wantAt(t, "the next caller", grant(t, bks[1], true, start), bucketWindow)
	})
	t.Run("EstimatesTheWait", func(t *testing.T) {
		bk := buckets(t, b, 1)[0]
		start := time.Now()
		if d := bk.Estimate(0); d != 0 {
			t.Errorf("estimate of an empty bucket = %v", d)
		}
		for range bucketLimit {
			grant(t, bk, false, start)
		}
		left := bucketWindow - time.Since(start)
		if d := bk.Estimate(0); d > bucketWindow || d < left-50*time.Millisecond {
			t.Errorf("estimate of a full bucket = %v, want about %v", d, left)
		}
		if d := bk.Estimate(10); d > bucketWindow+10*spacing || d < left+10*spacing-50*time.Millisecond {
			t.Errorf("estimate behind 10 requests = %v, want about %v", d, left+10*spacing)
		}
		if n, per := bk.Limit(); n != bucketLimit || per != bucketWindow {
			t.Errorf("limit = %d per %v", n, per)
		}
	})
	t.Run("ReplicasSpendOneBudget", func(t *testing.T) {
		bks := buckets(t, b, 2)
		start := time.Now()
		type take struct{ asked, granted time.Duration }
		var mu sync.Mutex
		var all []take
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() {
				for range 5 {
					a, g := asked(t, bks[i], true, start)
					mu.Lock()
					all = append(all, take{a, g})
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		// Grant k happened after it was asked for and before its answer
		// arrived; sorted by answer, grants i < j are at least (j-i)
		// spacings apart, so answer j comes at least that long after
		// grant i was asked for.
		slices.SortFunc(all, func(a, b take) int { return int(a.granted - b.granted) })
		for i := range all {
			for j := i + 1; j < len(all); j++ {
				if d, want := all[j].granted-all[i].asked, time.Duration(j-i)*spacing; d < want-early {
					t.Errorf("spaced grants %d and %d within %v, want at least %v apart: %v", i, j, d, want, all)
				}
			}
		}
	})
}

package graph

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// The budget's tests run in a testing/synctest bubble: time.Now and
// timers are the bubble's fake clock, which moves only when every
// goroutine waits, so waits are exact and instant.

func newTestBudget(limit int, window time.Duration) *budget {
	return newBudget(limit, window, time.Now, sleepContext)
}

// take acquires a slot (spaced or not) and gives it back as used,
// returning when it was granted, relative to start.
func take(t *testing.T, b *budget, start time.Time, spaced bool) time.Duration {
	t.Helper()
	acquire := b.acquire
	if spaced {
		acquire = b.acquireSpaced
	}
	release, err := acquire(t.Context(), "op")
	if err != nil {
		t.Fatal(err)
	}
	release(true)
	return time.Since(start)
}

func TestBudgetSpreadsTheRequestsThatStartBatches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBudget(5, 10*time.Second)
		start := time.Now()
		var got []time.Duration
		for range 7 {
			got = append(got, take(t, b, start, true))
		}
		// One every 2 s, which the 10-s window allows for ever.
		want := []time.Duration{0, 2 * time.Second, 4 * time.Second, 6 * time.Second, 8 * time.Second, 10 * time.Second, 12 * time.Second}
		if !equalDurations(got, want) {
			t.Errorf("granted at %v, want %v", got, want)
		}
	})
}

func TestBudgetCountsUnspacedRequestsInTheWindowOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBudget(5, 10*time.Second)
		start := time.Now()
		var got []time.Duration
		for range 6 {
			got = append(got, take(t, b, start, false))
		}
		want := []time.Duration{0, 0, 0, 0, 0, 10 * time.Second}
		if !equalDurations(got, want) {
			t.Errorf("granted at %v, want %v", got, want)
		}
	})
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBudgetCountsFromTheAnswer(t *testing.T) {
	// A request that took 3 s keeps its slot until 10 s after its answer,
	// never less than Graph counts it.
	synctest.Test(t, func(t *testing.T) {
		b := newTestBudget(1, 10*time.Second)
		start := time.Now()
		release, _ := b.acquire(t.Context(), "op")
		time.Sleep(3 * time.Second)
		release(true)
		if at := take(t, b, start, false); at != 13*time.Second {
			t.Errorf("second request at %v, want 13s", at)
		}
	})
}

func TestBudgetUnusedSlotsComeBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBudget(1, 10*time.Second)
		start := time.Now()
		release, _ := b.acquire(t.Context(), "op")
		release(false)
		release(true) // a second call is ignored
		release2, _ := b.acquire(t.Context(), "op")
		release2(false)
		if d := time.Since(start); d != 0 {
			t.Errorf("waited %v for an unused slot", d)
		}
	})
}

func TestBudgetWaitsForAnInFlightRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBudget(1, 10*time.Second)
		release, _ := b.acquire(t.Context(), "op")
		got := make(chan error, 1)
		go func() {
			r, err := b.acquire(t.Context(), "op")
			if err == nil {
				r(false)
			}
			got <- err
		}()
		synctest.Wait()
		select {
		case <-got:
			t.Fatal("a second request got the only slot while the first was in flight")
		default:
		}
		release(false)
		if err := <-got; err != nil {
			t.Fatal(err)
		}
	})
}

func TestBudgetServesCallersInArrivalOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBudget(5, 10*time.Second)
		for range 5 {
			r, _ := b.acquire(t.Context(), "op")
			r(true)
		}
		granted := make([]time.Duration, 4)
		start := time.Now()
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() {
				r, err := b.acquireSpaced(t.Context(), "op")
				if err != nil {
					t.Error(err)
					return
				}
				granted[i] = time.Since(start)
				r(true)
			})
			synctest.Wait() // caller i is queued before caller i+1 arrives
		}
		wg.Wait()
		// The window frees at 10 s, then one per 2 s.
		if want := []time.Duration{10 * time.Second, 12 * time.Second, 14 * time.Second, 16 * time.Second}; !equalDurations(granted, want) {
			t.Errorf("granted at %v, want %v (in arrival order)", granted, want)
		}
	})
}

func TestBudgetWaitsAsLongAsTheCallerAllowsThenSaysHowMuchLonger(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBudget(1, 10*time.Second)
		r, _ := b.acquire(t.Context(), "op")
		r(true)
		// A caller with 30 s gets the slot after 10 s: busy is no reason
		// to fail.
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		start := time.Now()
		r, err := b.acquire(ctx, "op")
		if err != nil || time.Since(start) != 10*time.Second {
			t.Fatalf("after %v: %v, want the slot after 10s", time.Since(start), err)
		}
		r(true)
		// A caller that stops after 1 s is told the budget was busy.
		ctx2, cancel2 := context.WithTimeout(t.Context(), time.Second)
		defer cancel2()
		_, err = b.acquire(ctx2, "list provisioning logs")
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrThrottled) || e.Code != CodeBudgetExhausted || e.RetryAfter < 8*time.Second {
			t.Errorf("error = %v, want ErrThrottled with about 9s left", err)
		}
		if len(b.queue) != 0 {
			t.Errorf("%d callers left in the queue", len(b.queue))
		}
	})
}

func TestBudgetPausesOnRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBudget(5, 10*time.Second)
		b.pause(4 * time.Second)
		if at := take(t, b, time.Now(), true); at != 4*time.Second {
			t.Errorf("granted after %v, want the 4s pause", at)
		}
	})
}

func TestBudgetEstimate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBudget(5, 10*time.Second)
		if d := b.estimate(0); d != 0 {
			t.Errorf("estimate with a free slot = %v", d)
		}
		for range 5 {
			take(t, b, time.Now(), false)
		}
		// The window frees at 10 s, then one request per 2 s.
		if d := b.estimate(0); d != 10*time.Second {
			t.Errorf("estimate = %v, want 10s", d)
		}
		if d := b.estimate(10); d != 30*time.Second {
			t.Errorf("estimate behind 10 requests = %v, want 30s", d)
		}
	})
}

package graph

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// The budget's algorithm (internal/fcfs) has its own tests; these check
// what the client adds: which requests are spaced, and the error of a
// caller that stopped waiting. They run in a testing/synctest bubble, so
// waits are exact and instant.

func newTestBudget(limit int, window time.Duration) *budget {
	return newBudget(limit, window, time.Now, sleepContext, nil)
}

func TestBudgetSpacesOnlyTheRequestsThatStartBatches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBudget(5, 10*time.Second)
		start := time.Now()
		steps := []struct {
			acquire func(context.Context, string) (func(bool), error)
			want    time.Duration
		}{
			{b.acquireSpaced, 0},
			{b.acquire, 0}, // a lookup's later page goes out at once
			{b.acquireSpaced, 2 * time.Second},
		}
		for i, s := range steps {
			release, err := s.acquire(t.Context(), "op")
			if err != nil {
				t.Fatal(err)
			}
			release(true)
			if at := time.Since(start); at != s.want {
				t.Errorf("request %d granted at %v, want %v", i, at, s.want)
			}
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
		if n := b.line.Waiting(); n != 0 {
			t.Errorf("%d callers left in the queue", n)
		}
	})
}

func TestBudgetPausesOnRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newTestBudget(5, 10*time.Second)
		b.pause(4 * time.Second)
		if d := b.estimate(0); d != 4*time.Second {
			t.Errorf("estimate during the pause = %v, want 4s", d)
		}
		start := time.Now()
		release, err := b.acquireSpaced(t.Context(), "op")
		if err != nil {
			t.Fatal(err)
		}
		release(true)
		if at := time.Since(start); at != 4*time.Second {
			t.Errorf("granted after %v, want the 4s pause", at)
		}
	})
}

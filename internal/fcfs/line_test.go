package fcfs_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/internal/fakeclock"
	"github.com/provbot/provbot/internal/fcfs"
)

// The line's tests run in a testing/synctest bubble: time.Now and timers
// are the bubble's fake clock, which moves only when every goroutine
// waits, so waits are exact and instant.

func newLine(limit int, window time.Duration) *fcfs.Line {
	return fcfs.New(fcfs.Config{Limit: limit, Window: window})
}

// take takes a slot (spaced or not) and gives it back as used, returning
// when it was granted, relative to start.
func take(t *testing.T, l *fcfs.Line, start time.Time, spaced bool) time.Duration {
	t.Helper()
	release, err := l.Take(t.Context(), spaced)
	if err != nil {
		t.Fatal(err)
	}
	release(true)
	return time.Since(start)
}

// takeConcurrently starts n spaced callers one after the other (each
// queued before the next arrives) and returns when each was granted,
// relative to start.
func takeConcurrently(t *testing.T, l *fcfs.Line, n int, start time.Time) []time.Duration {
	t.Helper()
	granted := make([]time.Duration, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := l.Take(t.Context(), true)
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
	return granted
}

func TestLineGrants(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name   string
		spaced []bool
		want   []time.Duration
	}{
		{"spaced requests go out one every window/limit, which the window allows for ever",
			[]bool{true, true, true, true, true, true, true}, []time.Duration{0, 2 * s, 4 * s, 6 * s, 8 * s, 10 * s, 12 * s}},
		{"unspaced requests are only counted in the window",
			[]bool{false, false, false, false, false, false}, []time.Duration{0, 0, 0, 0, 0, 10 * s}},
		{"unspaced requests after spaced ones fill the window",
			[]bool{true, true, true, false, false, false}, []time.Duration{0, 2 * s, 4 * s, 4 * s, 4 * s, 10 * s}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := newLine(5, 10*time.Second)
				start := time.Now()
				var got []time.Duration
				for _, spaced := range tt.spaced {
					got = append(got, take(t, l, start, spaced))
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("grants (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestLineCountsFromTheAnswer(t *testing.T) {
	// A request that took 3 s keeps its slot until 10 s after its answer,
	// never less than a server counts it.
	synctest.Test(t, func(t *testing.T) {
		l := newLine(1, 10*time.Second)
		start := time.Now()
		release, _ := l.Take(t.Context(), false)
		time.Sleep(3 * time.Second)
		release(true)
		if at := take(t, l, start, false); at != 13*time.Second {
			t.Errorf("second request at %v, want 13s", at)
		}
	})
}

func TestLineUnusedSlotsComeBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLine(1, 10*time.Second)
		start := time.Now()
		release, _ := l.Take(t.Context(), false)
		release(false)
		release(true) // a second call is ignored
		release2, _ := l.Take(t.Context(), false)
		release2(false)
		if d := time.Since(start); d != 0 {
			t.Errorf("waited %v for an unused slot", d)
		}
	})
}

func TestLineWaitsForAnInFlightRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLine(1, 10*time.Second)
		release, _ := l.Take(t.Context(), false)
		got := make(chan error, 1)
		go func() {
			r, err := l.Take(t.Context(), false)
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

func TestLineAnAnswerThatFreesASlotSoonerWakesTheFirstInLine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLine(2, 10*time.Second)
		start := time.Now()
		take(t, l, start, false) // counted until 10 s
		inFlight, _ := l.Take(t.Context(), false)
		go func() {
			time.Sleep(time.Second)
			inFlight(false) // unused: its slot is free at 1 s
		}()
		if at := take(t, l, start, false); at != time.Second {
			t.Errorf("granted at %v, want 1s, when the unused slot came back", at)
		}
	})
}

func TestLineServesCallersInArrivalOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLine(5, 10*time.Second)
		for range 5 {
			r, _ := l.Take(t.Context(), false)
			r(true)
		}
		// The window frees at 10 s, then one per 2 s.
		got := takeConcurrently(t, l, 4, time.Now())
		if diff := cmp.Diff([]time.Duration{10 * time.Second, 12 * time.Second, 14 * time.Second, 16 * time.Second}, got); diff != "" {
			t.Errorf("grants in arrival order (-want +got):\n%s", diff)
		}
	})
}

func TestLinePausesEveryone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLine(5, 10*time.Second)
		l.Pause(3 * time.Second)
		got := takeConcurrently(t, l, 3, time.Now())
		if diff := cmp.Diff([]time.Duration{3 * time.Second, 5 * time.Second, 7 * time.Second}, got); diff != "" {
			t.Errorf("grants in arrival order after the pause (-want +got):\n%s", diff)
		}
	})
}

func TestLineStopsWhenTheCallerDoesAndSaysHowMuchLonger(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLine(1, 10*time.Second)
		take(t, l, time.Now(), false)
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		_, err := l.Take(ctx, false)
		stopped, ok := errors.AsType[*fcfs.StoppedError](err)
		if !ok || !errors.Is(err, context.DeadlineExceeded) || stopped.Wait != 10*time.Second {
			t.Errorf("error = %v, want a StoppedError of the 10s wait wrapping the deadline", err)
		}
		if n := l.Waiting(); n != 0 {
			t.Errorf("%d callers left in the line", n)
		}
	})
}

func TestLineEstimate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLine(5, 10*time.Second)
		if d := l.Estimate(0); d != 0 {
			t.Errorf("estimate with a free slot = %v", d)
		}
		for range 5 {
			take(t, l, time.Now(), false)
		}
		// The window frees at 10 s, then one request per 2 s.
		if d := l.Estimate(0); d != 10*time.Second {
			t.Errorf("estimate = %v, want 10s", d)
		}
		if d := l.Estimate(10); d != 30*time.Second {
			t.Errorf("estimate behind 10 requests = %v, want 30s", d)
		}
	})
}

func TestLineCountsTheTimeSleptOnAFrozenClock(t *testing.T) {
	// A demo pinned to one instant sleeps without the clock showing it;
	// the line must not wait for ever.
	clk := fakeclock.New(time.Time{})
	frozen := func() time.Time { return fakeclock.Start }
	l := fcfs.New(fcfs.Config{Limit: 1, Window: 10 * time.Second, Now: frozen,
		Sleep: func(ctx context.Context, d time.Duration) error { return clk.Sleep(ctx, d) }})
	for range 3 {
		r, err := l.Take(t.Context(), true)
		if err != nil {
			t.Fatal(err)
		}
		r(true)
	}
	if slept := clk.Now().Sub(fakeclock.Start); slept != 20*time.Second {
		t.Errorf("slept %v for three requests of a 1-per-10s line, want 20s", slept)
	}
}

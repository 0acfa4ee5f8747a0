package inproc_test

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/store/inproc"
)

// The in-process bucket's pacing, exact on synctest's clock (the
// conformance suite checks it, and store/redis's, on real clocks).

func TestBucketPacesExactly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := inproc.NewBucket(5, 10*time.Second, nil)
		start := time.Now()
		take := func(spaced bool) time.Duration {
			r, err := b.Take(t.Context(), spaced)
			if err != nil {
				t.Fatal(err)
			}
			r(true)
			return time.Since(start)
		}
		var got []time.Duration
		for range 3 {
			got = append(got, take(true))
		}
		for range 3 {
			got = append(got, take(false)) // the fifth fills the window
		}
		want := []time.Duration{0, 2 * time.Second, 4 * time.Second, 4 * time.Second, 4 * time.Second, 10 * time.Second}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("grants (-want +got):\n%s", diff)
		}
		if d := b.Estimate(0); d != 2*time.Second {
			t.Errorf("estimate = %v, want 2s, until the answer of 2s leaves the window", d)
		}
	})
}

func TestBucketServesArrivalOrderAfterAPause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := inproc.NewBucket(5, 10*time.Second, nil)
		b.Pause(t.Context(), 3*time.Second)
		start := time.Now()
		granted := make([]time.Duration, 3)
		var wg sync.WaitGroup
		for i := range 3 {
			wg.Go(func() {
				r, err := b.Take(t.Context(), true)
				if err != nil {
					t.Error(err)
					return
				}
				granted[i] = time.Since(start)
				r(true)
			})
			synctest.Wait()
		}
		wg.Wait()
		if diff := cmp.Diff([]time.Duration{3 * time.Second, 5 * time.Second, 7 * time.Second}, granted); diff != "" {
			t.Errorf("grants in arrival order (-want +got):\n%s", diff)
		}
	})
}

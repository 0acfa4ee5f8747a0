package storetest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/provbot/provbot/store"
)

// sharers returns n replicas of one state (one replica, n times, when
// the backend's coalescing and cache are in-process).
func sharers(t *testing.T, b Backend, n int) []store.Store {
	open := b.New(t)
	var out []store.Store
	for i := range n {
		if i == 0 || b.Replicated {
			out = append(out, open())
		} else {
			out = append(out, out[0])
		}
	}
	return out
}

func testCoalesce(t *testing.T, b Backend) {
	t.Run("OneRunForEveryoneAskingAtOnce", func(t *testing.T) {
		ss := sharers(t, b, 2)
		var runs atomic.Int32
		work := func(ctx context.Context) ([]byte, error) {
			runs.Add(1)
			time.Sleep(150 * time.Millisecond)
			return []byte("adele's entries"), nil
		}
		const callers = 10
		var wg sync.WaitGroup
		var mu sync.Mutex
		own := 0
		for i := range callers {
			wg.Go(func() {
				v, shared, err := ss[i%2].Coalesce(ctx(t), "logs:adele", time.Second, time.Second, work)
				if err != nil || string(v) != "adele's entries" {
					t.Errorf("caller %d: %q, %v", i, v, err)
				}
				if !shared {
					mu.Lock()
					own++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if runs.Load() != 1 || own != 1 {
			t.Errorf("%d runs, %d callers not shared; want 1 and 1", runs.Load(), own)
		}
		// Kept for keep: a late caller gets it without a run.
		v, shared, err := ss[1].Coalesce(ctx(t), "logs:adele", time.Second, time.Second, work)
		if err != nil || !shared || runs.Load() != 1 || string(v) != "adele's entries" {
			t.Errorf("late caller: %q shared %v, %v, %d runs", v, shared, err, runs.Load())
		}
	})
	t.Run("TheValueExpiresAfterKeep", func(t *testing.T) {
		s := sharers(t, b, 1)[0]
		var runs atomic.Int32
		work := func(context.Context) ([]byte, error) { runs.Add(1); return []byte("v"), nil }
		for range 2 {
			if _, _, err := s.Coalesce(ctx(t), "k", time.Second, 100*time.Millisecond, work); err != nil {
				t.Fatal(err)
			}
			time.Sleep(150 * time.Millisecond)
		}
		if runs.Load() != 2 {
			t.Errorf("%d runs, want 2 (the value expired in between)", runs.Load())
		}
	})
	t.Run("AnErrorIsNotShared", func(t *testing.T) {
		ss := sharers(t, b, 2)
		var runs atomic.Int32
		started := make(chan struct{})
		failing := func(context.Context) ([]byte, error) {
			runs.Add(1)
			close(started)
			time.Sleep(100 * time.Millisecond)
			return nil, errors.New("graph unavailable")
		}
		errc := make(chan error, 1)
		go func() {
			_, _, err := ss[0].Coalesce(ctx(t), "k", time.Second, time.Second, failing)
			errc <- err
		}()
		<-started
		v, shared, err := ss[1].Coalesce(ctx(t), "k", time.Second, time.Second, func(context.Context) ([]byte, error) {
			runs.Add(1)
			return []byte("second try"), nil
		})
		if err != nil || shared || string(v) != "second try" {
			t.Errorf("waiter after a failed run: %q shared %v, %v; want its own run's value", v, shared, err)
		}
		if err := <-errc; err == nil || err.Error() != "graph unavailable" {
			t.Errorf("failed run returned %v", err)
		}
		if runs.Load() != 2 {
			t.Errorf("%d runs, want 2", runs.Load())
		}
	})
	t.Run("AStuckRunLosesItsLockAfterHold", func(t *testing.T) {
		ss := sharers(t, b, 3)
		const hold = 200 * time.Millisecond
		var runs atomic.Int32
		stuck := make(chan struct{})
		go ss[0].Coalesce(context.Background(), "k", hold, time.Second, func(ctx context.Context) ([]byte, error) {
			runs.Add(1)
			close(stuck)
			<-ctx.Done() // ends at hold
			time.Sleep(hold)
			return nil, ctx.Err()
		})
		<-stuck
		start := time.Now()
		second := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			v, _, err := ss[1].Coalesce(ctx(t), "k", time.Second, time.Second, func(context.Context) ([]byte, error) {
				runs.Add(1)
				close(second)
				time.Sleep(2 * hold) // runs past the first run's end, which must not unlock it
				return []byte("taken over"), nil
			})
			if err != nil || string(v) != "taken over" {
				t.Errorf("taking over: %q, %v", v, err)
			}
		})
		<-second
		if d := time.Since(start); d < hold-50*time.Millisecond {
			t.Errorf("took over after %v, before the hold (%v) ended", d, hold)
		}
		time.Sleep(hold + 50*time.Millisecond) // the stuck run has returned
		v, shared, err := ss[2].Coalesce(ctx(t), "k", time.Second, time.Second, func(context.Context) ([]byte, error) {
			runs.Add(1)
			return []byte("third"), nil
		})
		if err != nil || !shared || !bytes.Equal(v, []byte("taken over")) {
			t.Errorf("third caller: %q shared %v, %v; want the second run's value", v, shared, err)
		}
		wg.Wait()
		if runs.Load() != 2 {
			t.Errorf("%d runs, want 2", runs.Load())
		}
	})
}

func testCache(t *testing.T, b Backend) {
	ss := sharers(t, b, 2)
	c := ctx(t)
	must(t, "put", ss[0].CachePut(c, "jobs:servicenow", []byte("[job]"), 200*time.Millisecond))
	v, ok, err := ss[1].CacheGet(c, "jobs:servicenow")
	if err != nil || !ok || string(v) != "[job]" {
		t.Errorf("get = %q %v %v", v, ok, err)
	}
	if _, ok, _ := ss[1].CacheGet(c, "jobs:other"); ok {
		t.Error("an absent key was found")
	}
	time.Sleep(250 * time.Millisecond)
	if _, ok, _ := ss[1].CacheGet(c, "jobs:servicenow"); ok {
		t.Error("found after its TTL")
	}
	must(t, "put again", ss[1].CachePut(c, "jobs:servicenow", []byte("[job2]"), time.Minute))
	must(t, "delete", ss[0].CacheDelete(c, "jobs:servicenow"))
	if _, ok, _ := ss[1].CacheGet(c, "jobs:servicenow"); ok {
		t.Error("found after delete")
	}
}

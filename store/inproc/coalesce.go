package inproc

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Flights runs identical work once for concurrent callers and keeps its
// value for a while (store.Shared.Coalesce, in one process).
type Flights struct {
	values *Cache

	mu      sync.Mutex
	running map[string]*flight
}

// flight is one run of a key's work.
type flight struct {
	done chan struct{}
	v    []byte
	err  error
}

// NewFlights returns flights whose kept values go in values.
func NewFlights(values *Cache) *Flights {
	return &Flights{values: values, running: map[string]*flight{}}
}

// Coalesce runs fn once for everyone asking for key at the same time;
// see store.Shared.
func (f *Flights) Coalesce(ctx context.Context, key string, hold, keep time.Duration, fn func(ctx context.Context) ([]byte, error)) ([]byte, bool, error) {
	for {
		// The value and the running flights are looked at together, and a
		// flight publishes its value as it leaves: no caller starts a
		// second run in between.
		f.mu.Lock()
		if v, ok := f.values.Get(key); ok {
			f.mu.Unlock()
			return v, true, nil
		}
		if fl := f.running[key]; fl != nil {
			f.mu.Unlock()
			select {
			case <-fl.done:
				if fl.err == nil {
					return fl.v, true, nil
				}
				continue // its runner failed: try again, one at a time
			case <-ctx.Done():
				return nil, false, ctx.Err()
			}
		}
		fl := &flight{done: make(chan struct{})}
		f.running[key] = fl
		f.mu.Unlock()

		fl.v, fl.err = run(ctx, hold, fn)
		f.mu.Lock()
		if fl.err == nil {
			f.values.Put(key, fl.v, keep)
		}
		delete(f.running, key)
		f.mu.Unlock()
		close(fl.done)
		return fl.v, false, fl.err
	}
}

// run calls fn with ctx bounded by hold; a panic in fn is its error.
func run(ctx context.Context, hold time.Duration, fn func(context.Context) ([]byte, error)) (v []byte, err error) {
	rctx, cancel := context.WithTimeout(ctx, hold)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("coalesced work panicked: %v", r)
		}
	}()
	return fn(rctx)
}

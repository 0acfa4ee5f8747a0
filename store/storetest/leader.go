package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/store"
)

// term is one leader term as the work saw it.
type term struct {
	holder string
	token  int64
	start  time.Time
	// overlapped says that an earlier term had not been told to stop
	// (its context was not done) when this one started.
	overlapped bool
	ctx        context.Context
}

// terms records the terms of several leaders.
type terms struct {
	mu   sync.Mutex
	list []term
	new  chan struct{}
}

// lead returns the work of holder: it records its term and waits for its
// end.
func (ts *terms) lead(holder string) func(ctx context.Context, f store.Fence) {
	return func(ctx context.Context, f store.Fence) {
		ts.mu.Lock()
		overlapped := false
		for _, earlier := range ts.list {
			overlapped = overlapped || earlier.ctx.Err() == nil
		}
		ts.list = append(ts.list, term{holder: holder, token: f.Token, start: time.Now(), overlapped: overlapped, ctx: ctx})
		ts.mu.Unlock()
		ts.new <- struct{}{}
		<-ctx.Done()
	}
}

func (ts *terms) snapshot() []term {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]term(nil), ts.list...)
}

// waitTerm waits for the next term to start, at most d.
func (ts *terms) waitTerm(t *testing.T, d time.Duration, what string) term {
	t.Helper()
	select {
	case <-ts.new:
	case <-time.After(d):
		t.Fatalf("%s: no term started within %v (terms %+v)", what, d, ts.snapshot())
	}
	s := ts.snapshot()
	return s[len(s)-1]
}

// testLeader kills the leader (its connection closes, as when its
// process dies: no renewal, no release) and sees the lease move to the
// other replica, whose term starts only after the dead leader's work was
// told to stop (its context ended); then stops the new leader gracefully
// and sees a third replica take over at once.
func testLeader(t *testing.T, b Backend) {
	open := b.New(t)
	const ttl = 1200 * time.Millisecond
	ts := &terms{new: make(chan struct{}, 10)}
	run := func(ctx context.Context, s store.Store, holder string) chan error {
		done := make(chan error, 1)
		l := &store.Leader{Leases: s, Name: "pollers", Holder: holder, TTL: ttl}
		go func() { done <- l.Run(ctx, ts.lead(holder)) }()
		return done
	}
	ctxA, stopA := context.WithCancel(t.Context())
	defer stopA()
	a := open()
	doneA := run(ctxA, a, "a")
	first := ts.waitTerm(t, 2*ttl, "a alone")
	if first.holder != "a" {
		t.Fatalf("first term %+v, want a's", first)
	}
	ctxB, stopB := context.WithCancel(t.Context())
	defer stopB()
	doneB := run(ctxB, open(), "b")
	// While a renews, b waits.
	select {
	case <-ts.new:
		t.Fatalf("b led while a renewed: %+v", ts.snapshot())
	case <-time.After(2 * ttl):
	}

	killed := time.Now()
	a.Close()
	second := ts.waitTerm(t, 3*ttl, "after a died")
	if second.holder != "b" || second.token <= first.token {
		t.Fatalf("term after a died: %+v, want b's with a token above %d", second, first.token)
	}
	if moved := second.start.Sub(killed); moved > 2*ttl {
		t.Errorf("the lease moved %v after a died, want within 2×TTL (%v)", moved, 2*ttl)
	}
	if second.overlapped {
		t.Errorf("b's term began before a's work was told to stop: two leaders at once")
	}
	// a's fence is refused from now on.
	_, _, err := open().OpenEpisode(ctx(t), store.Episode{Key: "e", OpenedAt: at}, store.Fence{Lease: "pollers", Token: first.token})
	wantErr(t, "a's write after it died", err, store.ErrFenced)
	stopA()
	<-doneA

	// A graceful stop releases: a third replica takes over at once, not
	// a TTL later.
	ctxC, stopC := context.WithCancel(t.Context())
	defer stopC()
	doneC := run(ctxC, open(), "c")
	time.Sleep(ttl / 2) // c is campaigning
	stopped := time.Now()
	stopB()
	if err := <-doneB; err != context.Canceled {
		t.Errorf("b's Run returned %v, want context.Canceled", err)
	}
	third := ts.waitTerm(t, 2*ttl, "after b stopped")
	if third.holder != "c" || third.token <= second.token || third.overlapped {
		t.Fatalf("term after b stopped: %+v", third)
	}
	if moved := third.start.Sub(stopped); moved > ttl/3+ttl/2 {
		t.Errorf("c took over %v after b stopped, want within one campaign interval (%v)", moved, ttl/3)
	}
	stopC()
	<-doneC
}

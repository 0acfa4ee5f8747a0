package graph

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// fakeTime is a clock whose sleeps move it forward.
type fakeTime struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func (f *fakeTime) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeTime) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.slept = append(f.slept, d)
	f.mu.Unlock()
	return ctx.Err()
}

func newFakeBudget(limit int, window time.Duration) (*budget, *fakeTime) {
	ft := &fakeTime{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	return newBudget(limit, window, ft.now, ft.sleep), ft
}

func TestBudgetAdmitsLimitRequestsPerWindow(t *testing.T) {
	b, ft := newFakeBudget(5, 10*time.Second)
	ctx := context.Background()
	for i := range 5 {
		release, err := b.acquire(ctx, "op")
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		release(true)
	}
	if len(ft.slept) != 0 {
		t.Fatalf("slept %v within the budget", ft.slept)
	}
	release, err := b.acquire(ctx, "op")
	if err != nil {
		t.Fatal(err)
	}
	release(true)
	if len(ft.slept) != 1 || ft.slept[0] != 10*time.Second {
		t.Errorf("sixth request slept %v, want one window", ft.slept)
	}
}

func TestBudgetCountsFromTheAnswer(t *testing.T) {
	// A request that took 3 s keeps its slot until 10 s after its answer,
	// never less than Graph counts it.
	b, ft := newFakeBudget(1, 10*time.Second)
	ctx := context.Background()
	release, _ := b.acquire(ctx, "op")
	ft.sleep(ctx, 3*time.Second)
	release(true)
	release2, _ := b.acquire(ctx, "op")
	release2(true)
	if want := []time.Duration{3 * time.Second, 10 * time.Second}; len(ft.slept) != 2 || ft.slept[1] != want[1] {
		t.Errorf("slept %v, want %v", ft.slept, want)
	}
}

func TestBudgetUnusedSlotsComeBack(t *testing.T) {
	b, ft := newFakeBudget(1, 10*time.Second)
	release, _ := b.acquire(context.Background(), "op")
	release(false)
	release(true) // a second call is ignored
	release2, _ := b.acquire(context.Background(), "op")
	release2(false)
	if len(ft.slept) != 0 {
		t.Errorf("slept %v for an unused slot", ft.slept)
	}
}

func TestBudgetWaitsForAnInFlightRequest(t *testing.T) {
	b, _ := newFakeBudget(1, 10*time.Second)
	release, _ := b.acquire(context.Background(), "op")
	got := make(chan error, 1)
	go func() {
		r, err := b.acquire(context.Background(), "op")
		if err == nil {
			r(false)
		}
		got <- err
	}()
	select {
	case <-got:
		t.Fatal("a second request got the only slot while the first was in flight")
	case <-time.After(20 * time.Millisecond):
	}
	release(false)
	if err := <-got; err != nil {
		t.Fatal(err)
	}
}

func TestBudgetRefusesAWaitBeyondTheDeadline(t *testing.T) {
	b, ft := newFakeBudget(1, 10*time.Second)
	release, _ := b.acquire(context.Background(), "op")
	release(true)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := b.acquire(ctx, "list provisioning logs")
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrThrottled) || e.Code != CodeBudgetExhausted || e.RetryAfter != 10*time.Second {
		t.Errorf("error = %v, want ErrThrottled with RetryAfter 10s", err)
	}
	if len(ft.slept) != 0 {
		t.Errorf("slept %v", ft.slept)
	}
}

func TestBudgetPausesOnRetryAfter(t *testing.T) {
	b, ft := newFakeBudget(5, 10*time.Second)
	b.pause(4 * time.Second)
	release, err := b.acquire(context.Background(), "op")
	if err != nil {
		t.Fatal(err)
	}
	release(true)
	if len(ft.slept) != 1 || ft.slept[0] != 4*time.Second {
		t.Errorf("slept %v, want the 4s pause", ft.slept)
	}
}

func TestBudgetTryAcquireKeepsAReserve(t *testing.T) {
	b, _ := newFakeBudget(3, 10*time.Second)
	r1, ok := b.tryAcquire(1)
	if !ok {
		t.Fatal("first best-effort request refused")
	}
	r2, ok := b.tryAcquire(1)
	if !ok {
		t.Fatal("second best-effort request refused")
	}
	if _, ok := b.tryAcquire(1); ok {
		t.Error("best effort took the last slot")
	}
	r1(true)
	r2(true)
	if _, ok := b.tryAcquire(0); !ok {
		t.Error("the last slot was not free")
	}
}

func TestBudgetEstimate(t *testing.T) {
	b, _ := newFakeBudget(5, 10*time.Second)
	if d := b.estimate(0); d != 0 {
		t.Errorf("estimate with a free slot = %v", d)
	}
	for range 5 {
		r, _ := b.acquire(context.Background(), "op")
		r(true)
	}
	if d := b.estimate(0); d != 10*time.Second {
		t.Errorf("estimate = %v, want 10s", d)
	}
	if d := b.estimate(10); d != 30*time.Second {
		t.Errorf("estimate behind 10 = %v, want 30s", d)
	}
}

// TestSpareSlotTriesAgainWhenTheLookupIsDone: a best-effort request
// takes a slot only with one left over, now or once the rest of its
// lookup is done, and never blocks beyond that.
func TestSpareSlotTriesAgainWhenTheLookupIsDone(t *testing.T) {
	synctest.Test(t, testSpareSlot)
}

func testSpareSlot(t *testing.T) {
	ctx := context.Background()
	b, _ := newFakeBudget(3, 10*time.Second)
	logs, err := b.acquire(ctx, "logs") // the lookup's own log request
	if err != nil {
		t.Fatal(err)
	}
	other, _ := b.acquire(ctx, "logs") // somebody else's
	done := make(chan struct{})
	got := make(chan bool, 1)
	go func() {
		_, ok := b.spareSlot(ctx, done)
		got <- ok
	}()
	synctest.Wait() // spareSlot is blocked, or has returned
	select {
	case ok := <-got:
		t.Fatalf("returned %v before the lookup was done, with no slot to spare", ok)
	default:
	}
	logs(false) // the log request was answered from the cache: its slot is free again
	close(done)
	if ok := <-got; !ok {
		t.Error("no slot once the lookup was done and one was to spare")
	}
	other(true)

	// With no slot to spare even then, it gives up at once.
	b, _ = newFakeBudget(2, 10*time.Second)
	busy, _ := b.acquire(ctx, "logs")
	defer busy(true)
	closed := make(chan struct{})
	close(closed)
	if _, ok := b.spareSlot(ctx, closed); ok {
		t.Error("took the reserve slot")
	}
}

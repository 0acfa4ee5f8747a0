package fakeclock_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/internal/fakeclock"
)

func TestClockMovesOnlyWhenTold(t *testing.T) {
	c := fakeclock.New(time.Time{})
	if got := c.Now(); !got.Equal(fakeclock.Start) {
		t.Fatalf("New(zero) = %v, want %v", got, fakeclock.Start)
	}
	c.Advance(90 * time.Second)
	if err := c.Sleep(context.Background(), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := c.Sleep(context.Background(), -time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, want := c.Now(), fakeclock.Start.Add(150*time.Second); !got.Equal(want) {
		t.Errorf("Now = %v, want %v", got, want)
	}
	c.Set(fakeclock.Start)
	if got := c.Now(); !got.Equal(fakeclock.Start) {
		t.Errorf("after Set, Now = %v", got)
	}
}

func TestSleepReportsACancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := fakeclock.New(time.Time{}).Sleep(ctx, time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep = %v, want context.Canceled", err)
	}
}

func TestClockIsSafeForConcurrentUse(t *testing.T) {
	c := fakeclock.New(time.Time{})
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			c.Advance(time.Second)
			_ = c.Now()
		})
	}
	wg.Wait()
	if got := c.Now().Sub(fakeclock.Start); got != 50*time.Second {
		t.Errorf("advanced %v, want 50s", got)
	}
}

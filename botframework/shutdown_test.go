package botframework_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/provbot/provbot/botframework"
)

func TestActivityHandlerPanicIsContained(t *testing.T) {
	rec := newTurnRecorder()
	calls := 0
	var mu sync.Mutex
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, turn *botframework.Turn) error {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			panic("handler bug")
		}
		return rec.OnActivity(ctx, turn)
	}}
	h := newHarness(t, handler)
	for range 2 {
		if status, _ := h.postSigned(h.activity("teams/teams-message-personal.json")); status != 200 {
			t.Fatalf("status = %d", status)
		}
	}
	rec.next(t)
	if len(h.logs.records("panic in activity handler")) != 1 {
		t.Errorf("panic not logged:\n%s", h.logs)
	}
}

func TestShutdownWaitsForTurnsInFlight(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	finished := make(chan struct{})
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, turn *botframework.Turn) error {
		close(started)
		<-release
		_, err := turn.ReplyText(ctx, "done")
		close(finished)
		return err
	}}
	h := newHarness(t, handler)
	if status, _ := h.postSigned(h.activity("teams/teams-message-personal.json")); status != 200 {
		t.Fatalf("status = %d", status)
	}
	<-started
	shutdown := make(chan error, 1)
	go func() { shutdown <- h.server.Shutdown(t.Context()) }()
	// Once shutting down, new activities are refused. (The probe's type is
	// not dispatched, so probes accepted before that do not reach the
	// handler.)
	probe := h.activity("teams/teams-message-personal.json", func(m map[string]any) { m["type"] = "probe" })
	for {
		status, _ := h.postSigned(probe)
		if status == http.StatusServiceUnavailable {
			break
		}
	}
	select {
	case err := <-shutdown:
		t.Fatalf("Shutdown returned %v while a turn was running", err)
	default:
	}
	close(release)
	if err := <-shutdown; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	select {
	case <-finished:
	default:
		t.Fatal("Shutdown returned before the turn finished")
	}
	h.connector.WaitForCall(t, 1, waitLimit)
}

func TestShutdownOutOfTimeCancelsTurns(t *testing.T) {
	started := make(chan struct{})
	cancelled := make(chan error, 1)
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, _ *botframework.Turn) error {
		close(started)
		<-ctx.Done()
		cancelled <- ctx.Err()
		return ctx.Err()
	}}
	h := newHarness(t, handler)
	h.postSigned(h.activity("teams/teams-message-personal.json"))
	<-started
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := h.server.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown = %v, want context.Canceled", err)
	}
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Errorf("turn context ended with %v, want Canceled", err)
	}
}

package botframework_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework"
)

// gatedHandler records when turns start and holds each until released.
type gatedHandler struct {
	mu      sync.Mutex
	started []string
	running int
	peak    int
	gates   map[string]chan struct{}
	idle    map[string]chan struct{} // a turn with one waits for it in Idle
	change  chan struct{}
}

func newGatedHandler() *gatedHandler {
	return &gatedHandler{gates: map[string]chan struct{}{}, idle: map[string]chan struct{}{}, change: make(chan struct{}, 1000)}
}

func (g *gatedHandler) gate(id string) chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.gates[id] == nil {
		g.gates[id] = make(chan struct{})
	}
	return g.gates[id]
}

func (g *gatedHandler) OnActivity(ctx context.Context, t *botframework.Turn) error {
	id := t.Activity.ID
	g.mu.Lock()
	g.started = append(g.started, id)
	g.running++
	g.peak = max(g.peak, g.running)
	wait := g.idle[id]
	g.mu.Unlock()
	g.change <- struct{}{}
	if wait != nil {
		botframework.Idle(ctx, func() { <-wait })
		g.mu.Lock()
		g.started = append(g.started, id+" resumed")
		g.mu.Unlock()
		g.change <- struct{}{}
	}
	<-g.gate(id)
	g.mu.Lock()
	g.running--
	g.mu.Unlock()
	return nil
}

func (g *gatedHandler) OnInvoke(context.Context, *botframework.Turn) (botframework.InvokeResponse, error) {
	return botframework.InvokeNotImplemented(), nil
}

// waitStarted waits until the started list has n entries and returns it.
func (g *gatedHandler) waitStarted(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		g.mu.Lock()
		if len(g.started) >= n {
			out := append([]string(nil), g.started...)
			g.mu.Unlock()
			return out
		}
		g.mu.Unlock()
		select {
		case <-g.change:
		case <-deadline:
			t.Fatalf("only %v started", g.started)
		}
	}
}

func (g *gatedHandler) snapshot() ([]string, int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.started...), g.peak
}

// postID posts the personal message with activity id id and returns the
// status.
func (h *harness) postID(id string) int {
	status, _ := h.postSigned(h.activity("teams/teams-message-personal.json", func(m map[string]any) { m["id"] = id }))
	return status
}

func TestTurnsBeyondThePoolWaitTheirTurnInArrivalOrder(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e", "f"}
	t.Run("no more at once than the pool", func(t *testing.T) {
		g := newGatedHandler()
		h := newHarness(t, g, func(_ *harness, s *setup) { s.opts.MaxConcurrentTurns = 2 })
		for _, id := range ids {
			if status := h.postID(id); status != http.StatusOK {
				t.Fatalf("%s: status %d, want an immediate 200", id, status)
			}
		}
		g.waitStarted(t, 2)
		time.Sleep(50 * time.Millisecond)
		if started, peak := g.snapshot(); len(started) != 2 || peak != 2 {
			t.Fatalf("started %v (peak %d) with a pool of 2", started, peak)
		}
		for _, id := range ids {
			close(g.gate(id))
		}
		g.waitStarted(t, len(ids))
		if _, peak := g.snapshot(); peak > 2 {
			t.Errorf("%d turns worked at once with a pool of 2", peak)
		}
	})
	t.Run("in arrival order", func(t *testing.T) {
		g := newGatedHandler()
		h := newHarness(t, g, func(_ *harness, s *setup) { s.opts.MaxConcurrentTurns = 1 })
		for _, id := range ids {
			if status := h.postID(id); status != http.StatusOK {
				t.Fatalf("%s: status %d, want an immediate 200", id, status)
			}
		}
		for _, id := range ids {
			close(g.gate(id))
		}
		if started := g.waitStarted(t, len(ids)); !slices.Equal(started, ids) {
			t.Fatalf("turns started in the order %v, want %v", started, ids)
		}
	})
}

func TestATurnWaitingForAnotherServiceGivesItsPlaceUp(t *testing.T) {
	g := newGatedHandler()
	slow := make(chan struct{})
	g.idle["a"] = slow
	h := newHarness(t, g, func(_ *harness, s *setup) { s.opts.MaxConcurrentTurns = 1 })
	h.postID("a")
	g.waitStarted(t, 1)
	h.postID("b") // a is idle: b gets the place
	h.postID("c") // queued behind b
	g.waitStarted(t, 2)
	close(slow) // a's wait is over: it comes back before c
	for deadline := time.Now().Add(waitLimit); ; time.Sleep(time.Millisecond) {
		if queued, resuming := botframework.PoolWaiting(h.server); queued == 1 && resuming == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a did not wait to work again")
		}
	}
	close(g.gate("b"))
	started := g.waitStarted(t, 3)
	if started[2] != "a resumed" {
		t.Fatalf("after b, %v; want a to resume before c starts", started)
	}
	close(g.gate("a"))
	close(g.gate("c"))
	if started := g.waitStarted(t, 4); started[3] != "c" {
		t.Errorf("started %v", started)
	}
}

func TestAFullQueueAnswers503(t *testing.T) {
	g := newGatedHandler()
	h := newHarness(t, g, func(_ *harness, s *setup) { s.opts.MaxConcurrentTurns, s.opts.MaxQueuedTurns = 1, 2 })
	for i, want := range []int{200, 200, 200, 503} {
		if got := h.postID(string(rune('a' + i))); got != want {
			t.Errorf("activity %d: status %d, want %d", i, got, want)
		}
	}
	for _, id := range []string{"a", "b", "c", "d"} {
		close(g.gate(id))
	}
}

func TestRoundTripsToOtherServicesDoNotHoldAPlace(t *testing.T) {
	slow := make(chan struct{})
	graph := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-slow }))
	defer graph.Close()
	defer close(slow)
	client := &http.Client{Transport: botframework.IdleTransport(nil)}
	started := make(chan string, 10)
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, turn *botframework.Turn) error {
		started <- turn.Activity.ID
		switch turn.Activity.ID {
		case "graph":
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, graph.URL, nil)
			if resp, err := client.Do(req); err == nil {
				resp.Body.Close()
			}
		case "connector":
			_, _ = turn.ReplyText(ctx, "slow reply")
		}
		return nil
	}}
	h := newHarness(t, handler, func(_ *harness, s *setup) { s.opts.MaxConcurrentTurns = 1 })
	release := h.connector.Hold()
	defer release()
	for _, waiting := range []string{"graph", "connector"} {
		h.postID(waiting)
		if got := <-started; got != waiting {
			t.Fatalf("started %q, want %q", got, waiting)
		}
		h.postID(waiting + "-next")
		select {
		case got := <-started:
			if got != waiting+"-next" {
				t.Fatalf("started %q", got)
			}
		case <-time.After(waitLimit):
			t.Fatalf("a turn waiting for %s held the only place", waiting)
		}
	}
}

package fakegraph

import (
	"testing"
	"time"
)

func TestReportingThrottleWithFakeClock(t *testing.T) {
	clock := newClock()
	srv := NewTestServer(t, fixture(t), WithNow(clock.Now))
	path := "/v1.0/auditLogs/provisioning"
	auth := []string{"Authorization", "Bearer app-one"}

	for i := 1; i <= 5; i++ {
		wantStatus(t, get(t, srv, path, auth...), 200)
		clock.Advance(time.Second)
	}
	// Five requests at t=0..4s; the sixth at t=5s waits for the first to
	// leave the window at t=10s.
	r := get(t, srv, path, auth...)
	wantError(t, r, 429, "TooManyRequests", "Please retry again later.")
	if got := r.header.Get("Retry-After"); got != "5" {
		t.Errorf("Retry-After = %q, want 5", got)
	}
	inner := r.obj(t)["error"].(map[string]any)["innerError"].(map[string]any)
	if inner["code"] != "429" || inner["status"] != "429" {
		t.Errorf("innerError = %v", inner)
	}

	// Another app (Authorization value) has its own window.
	wantStatus(t, get(t, srv, path, "Authorization", "Bearer app-two"), 200)
	// directoryAudits shares the reporting window.
	wantStatus(t, get(t, srv, "/v1.0/auditLogs/directoryAudits", auth...), 429)
	// Directory routes are not throttled.
	wantStatus(t, get(t, srv, "/v1.0/users", auth...), 200)

	clock.Advance(4 * time.Second) // t=9s
	r = get(t, srv, path, auth...)
	wantStatus(t, r, 429)
	if got := r.header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	clock.Advance(time.Second) // t=10s: the first request has left the window
	wantStatus(t, get(t, srv, path, auth...), 200)
	wantStatus(t, get(t, srv, path, auth...), 429)
}

func TestThrottleAnonymousAndDisabled(t *testing.T) {
	clock := newClock()
	srv := NewTestServer(t, fixture(t), WithNow(clock.Now), WithThrottle(2, time.Minute))
	wantStatus(t, get(t, srv, "/v1.0/auditLogs/directoryAudits"), 200)
	wantStatus(t, get(t, srv, "/v1.0/auditLogs/directoryAudits"), 200)
	r := get(t, srv, "/v1.0/auditLogs/directoryAudits")
	wantStatus(t, r, 429)
	if r.header.Get("Retry-After") != "60" {
		t.Errorf("Retry-After = %q, want 60", r.header.Get("Retry-After"))
	}
	srv.Reset()
	wantStatus(t, get(t, srv, "/v1.0/auditLogs/directoryAudits"), 200)

	off := NewTestServer(t, fixture(t), WithNow(clock.Now), WithThrottle(0, 0))
	for i := 0; i < 20; i++ {
		wantStatus(t, get(t, off, "/v1.0/auditLogs/provisioning"), 200)
	}
}

func TestThrottleSlidingWindow(t *testing.T) {
	th := newThrottle(2, 10*time.Second)
	t0 := testNow()
	steps := []struct {
		at        time.Duration
		ok        bool
		retryWant int
	}{
		{0, true, 0},
		{3 * time.Second, true, 0},
		{4 * time.Second, false, 6},
		{9500 * time.Millisecond, false, 1},
		{10 * time.Second, true, 0},
		{11 * time.Second, false, 2},
		{13 * time.Second, true, 0},
	}
	for _, s := range steps {
		ok, retry := th.admit("k", t0.Add(s.at))
		if ok != s.ok || retry != s.retryWant {
			t.Errorf("at %v: admit = %v, %d; want %v, %d", s.at, ok, retry, s.ok, s.retryWant)
		}
	}
}

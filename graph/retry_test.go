package graph_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// observer records what the client reports for metrics.
type observer struct {
	mu        sync.Mutex
	requests  []string // "route status"
	throttles []string
}

func (o *observer) ObserveRequest(route string, status int, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requests = append(o.requests, route+" "+itoa(status))
}

func (o *observer) ObserveThrottle(route string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.throttles = append(o.throttles, route)
}

func (o *observer) snapshot() (reqs, throttles []string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.requests...), append([]string(nil), o.throttles...)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

const jobsRoute = "/v1.0/servicePrincipals/*/synchronization/jobs"

func TestThrottledRequestsAreRetriedOnceEach(t *testing.T) {
	for _, tc := range []struct {
		name   string
		effect fakegraph.Effect
	}{
		{"429 with Retry-After", fakegraph.Status(429, fakegraph.RetryAfter(2))},
		{"503 with Retry-After", fakegraph.Status(503, fakegraph.RetryAfter(1))},
		{"503 without Retry-After", fakegraph.Status(503)},
		{"504", fakegraph.Status(504)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			obs := &observer{}
			e := newEnv(t, nil, nil, graph.WithObserver(obs))
			e.srv.Fault(fakegraph.Route("GET", jobsRoute), tc.effect, fakegraph.Times(1))
			start := e.clock.Now()
			jobs, err := e.client.Jobs(t.Context(), salesforceID)
			if err != nil || len(jobs) != 1 {
				t.Fatalf("Jobs = %d jobs, %v", len(jobs), err)
			}
			if n := len(requests(e.srv, "/synchronization/jobs")); n != 2 {
				t.Errorf("%d requests, want exactly 2 (one retry, no retry by the SDK)", n)
			}
			if waited := e.clock.Now().Sub(start); waited < time.Second {
				t.Errorf("waited %v before retrying", waited)
			}
			reqs, throttles := obs.snapshot()
			wantThrottles := 1
			if strings.Contains(tc.name, "without") || tc.name == "504" {
				wantThrottles = 0
			}
			if len(reqs) != 2 || len(throttles) != wantThrottles {
				t.Errorf("observed %v and throttles %v, want 2 requests and %d throttles", reqs, throttles, wantThrottles)
			}
		})
	}
}

func TestRetriesAreBoundedAndNeverDoubled(t *testing.T) {
	// The SDK's RetryHandler would turn each of the client's attempts into
	// four requests and sleep in real time; the client's retries run on
	// the fake clock, so the whole test takes milliseconds.
	for _, tc := range []struct {
		retries int
		want    int
	}{{0, 1}, {1, 2}, {3, 4}} {
		e := newEnv(t, nil, nil, graph.WithMaxRetries(tc.retries))
		e.srv.Fault(fakegraph.Route("GET", jobsRoute), fakegraph.Status(429, fakegraph.RetryAfter(1)))
		began := time.Now()
		_, err := e.client.Jobs(t.Context(), salesforceID)
		var ge *graph.Error
		if !errors.Is(err, graph.ErrThrottled) || !errors.As(err, &ge) || ge.RetryAfter != time.Second || ge.Status != 429 {
			t.Errorf("retries %d: error = %v, want ErrThrottled with Retry-After 1s", tc.retries, err)
		}
		if n := len(requests(e.srv, "/synchronization/jobs")); n != tc.want {
			t.Errorf("retries %d: %d requests, want %d", tc.retries, n, tc.want)
		}
		if real := time.Since(began); real > 900*time.Millisecond {
			t.Errorf("retries %d took %v of real time: something slept outside the client", tc.retries, real)
		}
	}
}

func TestRetryAfterBeyondTheDeadlineFailsAtOnce(t *testing.T) {
	e := newEnv(t, nil, nil, graph.WithSleep(func(ctx context.Context, d time.Duration) error {
		t.Errorf("slept %v although the deadline is sooner", d)
		return nil
	}))
	e.srv.Fault(fakegraph.Route("GET", jobsRoute), fakegraph.Status(429, fakegraph.RetryAfter(30)))
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	_, err := e.client.Jobs(ctx, salesforceID)
	var ge *graph.Error
	if !errors.Is(err, graph.ErrThrottled) || !errors.As(err, &ge) || ge.RetryAfter != 30*time.Second {
		t.Fatalf("error = %v, want ErrThrottled with RetryAfter 30s", err)
	}
	if n := len(requests(e.srv, "/synchronization/jobs")); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestServerErrorsAreNotRetried(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.srv.Fault(fakegraph.Route("GET", jobsRoute), fakegraph.Status(500))
	_, err := e.client.Jobs(t.Context(), salesforceID)
	if !errors.Is(err, graph.ErrUnavailable) || errors.Is(err, graph.ErrThrottled) {
		t.Errorf("error = %v, want ErrUnavailable", err)
	}
	if n := len(requests(e.srv, "/synchronization/jobs")); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestObserverSeesRouteTemplatesWithoutIDs(t *testing.T) {
	obs := &observer{}
	e := newEnv(t, nil, nil, graph.WithObserver(obs))
	if _, err := e.client.Jobs(t.Context(), salesforceID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.Jobs(t.Context(), "12345678-1234-4234-8234-123456789012"); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("unknown app: %v", err)
	}
	reqs, _ := obs.snapshot()
	want := []string{
		"GET /servicePrincipals/{servicePrincipal-id}/synchronization/jobs 200",
		"GET /servicePrincipals/{servicePrincipal-id}/synchronization/jobs 404",
	}
	if strings.Join(reqs, "\n") != strings.Join(want, "\n") {
		t.Errorf("observed\n%s\nwant\n%s", strings.Join(reqs, "\n"), strings.Join(want, "\n"))
	}
}

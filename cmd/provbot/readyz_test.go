package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/logtest"
)

func TestReadinessSharesOneCheckAndKeepsItThirtySeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		release := make(chan struct{})
		r := &readiness{now: time.Now, check: func(ctx context.Context) []string {
			calls.Add(1)
			<-release
			return []string{"graph: down"}
		}}
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				if p, err := r.problems(t.Context()); err != nil || len(p) != 1 {
					t.Errorf("problems = %q, %v", p, err)
				}
			})
		}
		synctest.Wait() // one of them runs the check, the others wait
		// A caller that gives up while waiting gets its context's error;
		// the check goes on for the others.
		ctx, cancel := context.WithCancel(t.Context())
		gaveUp := make(chan error)
		go func() { _, err := r.problems(ctx); gaveUp <- err }()
		synctest.Wait()
		cancel()
		if err := <-gaveUp; err == nil {
			t.Error("a caller whose context ended got no error")
		}
		close(release)
		wg.Wait()
		if n := calls.Load(); n != 1 {
			t.Fatalf("11 concurrent callers ran %d checks, want 1", n)
		}
		for _, tc := range []struct {
			wait time.Duration
			want int32
		}{{29 * time.Second, 1}, {time.Second, 2}, {10 * time.Second, 2}} {
			time.Sleep(tc.wait)
			r.problems(t.Context())
			if n := calls.Load(); n != tc.want {
				t.Errorf("after %v more: %d checks, want %d", tc.wait, n, tc.want)
			}
		}
		r.invalidate()
		r.problems(t.Context())
		if n := calls.Load(); n != 3 {
			t.Errorf("after invalidate: %d checks, want 3", n)
		}
	})
}

// TestReadyzSparesAFailingGraphAndQuotesNothingFromIt asks /readyz ten
// times at once and ten times in a row while Graph refuses every request.
func TestReadyzSparesAFailingGraphAndQuotesNothingFromIt(t *testing.T) {
	tenant, err := fakegraph.DemoTenant(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	const upstream = "Tenant 72f988bf is being moved to the EU data boundary"
	srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
	srv.Fault(fakegraph.Route("*", "/v1.0/*"), fakegraph.Status(http.StatusForbidden, fakegraph.WithError("Authorization_RequestDenied", upstream)))
	var logs logtest.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	gc, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", graph.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s, err := buildServer(serverParts{listener: l, graph: gc, metrics: newMetrics(), logger: logger, now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	get := func() (int, string) {
		rec := httptest.NewRecorder()
		s.http.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		return rec.Code, rec.Body.String()
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { get() })
	}
	wg.Wait()
	for range 10 {
		code, body := get()
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "graph:") {
			t.Errorf("GET /readyz = %d %q, want 503 naming graph", code, body)
		}
		if strings.Contains(body, upstream) || strings.Contains(body, "Authorization_RequestDenied") {
			t.Errorf("GET /readyz quotes Graph: %q", body)
		}
	}
	if n := len(srv.Requests()); n > 1 {
		t.Errorf("20 readiness probes sent %d requests to a failing Graph, want 1", n)
	}
	if !strings.Contains(logs.String(), upstream) {
		t.Errorf("the log does not say why Graph failed:\n%s", logs.String())
	}
}

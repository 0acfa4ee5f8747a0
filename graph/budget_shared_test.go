package graph_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/redistest"
	"github.com/provbot/provbot/store/redis"
)

// The shared budget's scale: Microsoft's 5 requests per 10 s per app per
// tenant, five times faster so that the test takes seconds.
const (
	sharedLimit  = 5
	sharedWindow = 2 * time.Second
	sharedUsers  = 100
)

// replicaRun is what two replicas' lookups of sharedUsers distinct users
// saw.
type replicaRun struct {
	reports   int // requests to /auditLogs
	throttled int // of which Graph answered 429
	failed    []error
	took      time.Duration
}

// runTwoReplicas starts a fake Graph throttling the reporting API at
// sharedLimit per sharedWindow (one app: both replicas send the same
// credentials), gives each of two clients its budget, and looks up
// sharedUsers distinct users, half on each replica, all at once.
func runTwoReplicas(t *testing.T, budgets [2][]graph.Option) replicaRun {
	t.Helper()
	tenant := fakegraph.GenerateTenant(fakegraph.TenantSize{ServicePrincipals: 5, Provisioning: 5, Users: sharedUsers}, time.Now())
	srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(sharedLimit, sharedWindow))
	var clients [2]*graph.Client
	for i := range clients {
		c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", append([]graph.Option{graph.WithHTTPClient(&http.Client{})}, budgets[i]...)...)
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	var mu sync.Mutex
	var run replicaRun
	var wg sync.WaitGroup
	for i := range sharedUsers {
		wg.Go(func() {
			in, err := clients[i%2].Gather(ctx, diagnose.Query{UserID: fakegraph.LargeUserID(i), AppID: fakegraph.LargeAppID(i % 5)})
			if err == nil && len(in.Entries) == 0 {
				err = errors.New("no entries for " + fakegraph.LargeUserID(i))
			}
			if err != nil {
				mu.Lock()
				run.failed = append(run.failed, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	run.took = time.Since(start)
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/v1.0/auditLogs/") {
			run.reports++
			if r.Status == http.StatusTooManyRequests {
				run.throttled++
			}
		}
	}
	return run
}

// TestReplicasSharingOneBudgetAreNeverThrottled: two replicas on one
// Redis serve 100 distinct users under Graph's throttle with zero 429s,
// where the same replicas with a budget each are throttled.
func TestReplicasSharingOneBudgetAreNeverThrottled(t *testing.T) {
	rs := redistest.Start(t)
	var shared [2][]graph.Option
	for i := range shared {
		s, err := redis.Open(t.Context(), rs.URL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		b, err := s.Bucket("reports", sharedLimit, sharedWindow)
		if err != nil {
			t.Fatal(err)
		}
		shared[i] = []graph.Option{graph.WithSharedBudget(b)}
	}
	run := runTwoReplicas(t, shared)
	if len(run.failed) > 0 || run.throttled > 0 {
		t.Errorf("sharing one budget: %d lookups failed (first: %v), %d of %d reporting requests throttled; want none",
			len(run.failed), errors.Join(run.failed...), run.throttled, run.reports)
	}
	t.Logf("shared budget: %d users in %v, %d reporting requests, %d throttled", sharedUsers, run.took.Round(time.Millisecond), run.reports, run.throttled)

	// The control: each replica keeps the same budget to itself.
	own := graph.WithReportBudget(sharedLimit, sharedWindow)
	control := runTwoReplicas(t, [2][]graph.Option{{own}, {own}})
	if control.throttled == 0 {
		t.Errorf("a budget per replica was never throttled (%d reporting requests): the test cannot tell sharing from not", control.reports)
	}
	t.Logf("a budget per replica: %d users in %v, %d reporting requests, %d throttled", sharedUsers, control.took.Round(time.Millisecond), control.reports, control.throttled)
}

func TestASharedBudgetThatCannotBeReachedFailsTheLookupAsUnavailable(t *testing.T) {
	rs := redistest.Start(t)
	s, err := redis.Open(t.Context(), rs.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Bucket("reports", sharedLimit, sharedWindow)
	if err != nil {
		t.Fatal(err)
	}
	s.Close() // the store is gone
	tenant := fakegraph.GenerateTenant(fakegraph.TenantSize{ServicePrincipals: 1, Provisioning: 1, Users: 1}, time.Now())
	srv := fakegraph.NewTestServer(t, tenant)
	c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", graph.WithSharedBudget(b))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	_, err = c.Gather(ctx, diagnose.Query{UserID: fakegraph.LargeUserID(0), AppID: fakegraph.LargeAppID(0)})
	var ge *graph.Error
	if !errors.As(err, &ge) || !errors.Is(err, graph.ErrUnavailable) || ge.Code != graph.CodeBudgetUnavailable {
		t.Errorf("lookup with the store gone: %v, want ErrUnavailable with code %s", err, graph.CodeBudgetUnavailable)
	}
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/v1.0/auditLogs/") {
			t.Errorf("a reporting request went out without the budget: %s", r.Path)
		}
	}
}

func TestWithSharedBudgetRefusesNil(t *testing.T) {
	if _, err := graph.NewUnauthenticated("http://127.0.0.1:1/v1.0", graph.WithSharedBudget(nil)); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("nil shared budget: %v, want ErrInvalid", err)
	}
}

// TestReplicasBatchingAcrossReplicasAreNeverThrottled: the same burst,
// the replicas also sharing their waiting users (WithSharedQueue) and
// lookups in flight: zero 429s and every lookup answered. (Its 20 users
// per app need 2 requests each however they are batched: the log shows
// the counts, with the budget alone for comparison.)
func TestReplicasBatchingAcrossReplicasAreNeverThrottled(t *testing.T) {
	rs := redistest.Start(t)
	var alone, batched [2][]graph.Option
	for i := range batched {
		s := redisCache(t, rs)
		b, err := s.Bucket("reports", sharedLimit, sharedWindow)
		if err != nil {
			t.Fatal(err)
		}
		batched[i] = []graph.Option{graph.WithSharedBudget(b), graph.WithSharedCache(s), graph.WithSharedQueue(s)}
		s2 := redisCache(t, rs)
		b2, err := s2.Bucket("reports-alone", sharedLimit, sharedWindow)
		if err != nil {
			t.Fatal(err)
		}
		alone[i] = []graph.Option{graph.WithSharedBudget(b2)}
	}
	control := runTwoReplicas(t, alone)
	run := runTwoReplicas(t, batched)
	t.Logf("budget only: %d users in %v, %d reporting requests; batched across replicas: %v, %d requests, %d throttled",
		sharedUsers, control.took.Round(time.Millisecond), control.reports, run.took.Round(time.Millisecond), run.reports, run.throttled)
	if len(run.failed) > 0 || run.throttled > 0 {
		t.Errorf("%d lookups failed (first: %v), %d of %d reporting requests throttled; want none",
			len(run.failed), errors.Join(run.failed...), run.throttled, run.reports)
	}
}

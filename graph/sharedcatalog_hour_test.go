package graph_test

import (
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/store/sqlite"
)

// hourCounts are the Graph requests two replicas sent in a simulated
// hour: service principal lists, jobs reads (alone or in JSON batches)
// and HTTP requests (a batch is one).
type hourCounts struct{ lists, jobs, http int }

// replicasForAnHour runs n replicas of provbot serve for an hour of the
// fake clock, sharing a store or not: all start (Warm), each
// answers a question that lists the apps with their jobs every minute,
// each refreshes its catalog when due (the background refresh, run in
// line here), and the leader's job poller reads every job fresh every 5
// minutes. The shared store is SQLite's in-process one on the same fake
// clock, so that its expiries follow the simulated hour (Redis expires
// on its own clock; the tests above show it shares the same way).
func replicasForAnHour(t *testing.T, n int, share bool) hourCounts {
	t.Helper()
	clk := newClock()
	srv := fakegraph.NewTestServer(t, loadTenant(t), fakegraph.WithNow(clk.Now), fakegraph.WithThrottle(0, 0))
	var opts []graph.Option
	if share {
		s, err := sqlite.Open(t.Context(), sqlite.Memory, sqlite.WithNow(clk.Now))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		opts = append(opts, graph.WithSharedCache(s))
	}
	replicas := make([]*graph.Client, n)
	for i := range replicas {
		replicas[i] = newClient(t, srv, clk, opts...)
	}
	leader, ctx := replicas[0], t.Context()
	for m := range 60 {
		for _, c := range replicas {
			if m%10 == 0 {
				if err := c.Warm(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := c.Apps(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if m%5 == 0 {
			if _, err := leader.AppsFresh(ctx); err != nil {
				t.Fatal(err)
			}
		}
		clk.Advance(time.Minute)
	}
	var sent hourCounts
	for _, r := range srv.Requests() {
		path := strings.ToLower(r.Path)
		switch {
		case path == "/v1.0/serviceprincipals":
			sent.lists++
		case strings.HasSuffix(path, "/synchronization/jobs"):
			sent.jobs++
		}
		if r.Batch == "" {
			sent.http++
		}
	}
	return sent
}

// TestTwoReplicasSharingTheCatalogAndJobsReadThemOnce: over a simulated
// hour, two replicas sharing a store list the service principals and
// read jobs exactly as often as one replica alone; apart, the lists
// double and the jobs reads nearly do (the job poller runs on the leader
// only). The figures are in BENCHMARKS.md.
func TestTwoReplicasSharingTheCatalogAndJobsReadThemOnce(t *testing.T) {
	one, apart, shared := replicasForAnHour(t, 1, false), replicasForAnHour(t, 2, false), replicasForAnHour(t, 2, true)
	t.Logf("one replica: %+v; two apart: %+v; two sharing: %+v", one, apart, shared)
	if shared != one {
		t.Errorf("two replicas sharing sent %+v, want what one replica sends alone: %+v", shared, one)
	}
	if apart.lists != 2*one.lists || apart.jobs <= one.jobs {
		t.Errorf("two replicas apart sent %+v, want twice the lists of one (%+v) and more jobs reads: the test cannot tell sharing from not", apart, one)
	}
}

package graph_test

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/logtest"
	"github.com/provbot/provbot/internal/redistest"
	"github.com/provbot/provbot/store/sqlite"
)

// pastKeep outlasts how long a coalesced catalog or jobs answer stays
// available after its run (on the store's clock): a test that moves the
// client's clock past a TTL waits it out, so that what follows is read
// from the shared cache or Graph, not from the run that just ended.
const pastKeep = 1100 * time.Millisecond

// catalogReads counts the service principal lists and the jobs requests
// (batched or not) Graph has received.
func catalogReads(srv *fakegraph.Server) (lists, jobs int) {
	return len(requests(srv, "/v1.0/servicePrincipals")), len(requests(srv, "/synchronization/jobs"))
}

// sqliteCache opens an in-memory SQLite store, whose shared parts are
// in-process: what several Clients of one process share.
func sqliteCache(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestReplicasShareTheCatalogAndTheJobs: replica B takes the app catalog
// and the jobs replica A read, within their TTLs, without asking Graph;
// past them, one replica reads again for both; AppsFresh reads Graph
// and what it reads serves the others.
func TestReplicasShareTheCatalogAndTheJobs(t *testing.T) {
	stores := []struct {
		name string
		open func(t *testing.T) func() graph.SharedCache
	}{
		{"redis", func(t *testing.T) func() graph.SharedCache {
			rs := redistest.Start(t)
			return func() graph.SharedCache { return redisCache(t, rs) }
		}},
		{"sqlite (in-process)", func(t *testing.T) func() graph.SharedCache {
			s := sqliteCache(t)
			return func() graph.SharedCache { return s }
		}},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			cache := st.open(t)
			e := newEnv(t, nil, nil, graph.WithSharedCache(cache()))
			b := newClient(t, e.srv, e.clock, graph.WithSharedCache(cache()))
			a := e.client
			ctx := t.Context()

			// A builds the catalog: one list, the jobs of every service
			// principal.
			if err := a.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			lists, jobs := catalogReads(e.srv)
			if lists != 1 || jobs == 0 {
				t.Fatalf("A's build: %d lists and %d jobs requests, want 1 and some", lists, jobs)
			}
			appsA, err := a.Apps(ctx)
			if err != nil {
				t.Fatal(err)
			}

			// B starts: catalog and jobs come from the shared cache.
			if err := b.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			appsB, err := b.Apps(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.Jobs(ctx, salesforceID); err != nil {
				t.Fatal(err)
			}
			if l, j := catalogReads(e.srv); l != lists || j != jobs {
				t.Errorf("B within the TTLs: %d lists and %d jobs requests, want none", l-lists, j-jobs)
			}
			if !reflect.DeepEqual(appsA, appsB) {
				t.Errorf("the replicas' apps differ:\nA %+v\nB %+v", appsA, appsB)
			}

			// Past the app TTL, one of them builds again for both.
			time.Sleep(pastKeep)
			e.clock.Advance(graph.DefaultAppCacheTTL)
			for _, c := range []*graph.Client{a, b} {
				if err := c.Warm(ctx); err != nil {
					t.Fatal(err)
				}
				if _, err := c.Apps(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if l, j := catalogReads(e.srv); l != 2 || j != 2*jobs {
				t.Errorf("past the app TTL: %d lists and %d jobs requests, want 1 and %d", l-lists, j-jobs, jobs)
			}

			// Past the job TTL, an app's jobs are read once for both.
			time.Sleep(pastKeep)
			e.clock.Advance(graph.DefaultJobCacheTTL)
			_, before := catalogReads(e.srv)
			for _, c := range []*graph.Client{a, b} {
				if _, err := c.Jobs(ctx, salesforceID); err != nil {
					t.Fatal(err)
				}
			}
			if _, j := catalogReads(e.srv); j != before+1 {
				t.Errorf("past the job TTL: %d jobs requests for Salesforce, want 1", j-before)
			}

			// AppsFresh reads every app's jobs from Graph; a replica
			// starting then takes the new jobs from the shared cache.
			e.srv.Update(func(t *fakegraph.Tenant) {
				t.AddJob(salesforceID, fakegraph.Object{"id": "salesforce.second", "templateId": "salesforce",
					"schedule": map[string]any{"interval": "PT40M", "state": "Active"}, "status": map[string]any{"code": "Active"}})
			})
			_, before = catalogReads(e.srv)
			fresh, err := b.AppsFresh(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, j := catalogReads(e.srv); j != before+len(fresh) {
				t.Errorf("AppsFresh sent %d jobs requests, want one per app (%d)", j-before, len(fresh))
			}
			c := newClient(t, e.srv, e.clock, graph.WithSharedCache(cache()))
			_, before = catalogReads(e.srv)
			got, err := c.Jobs(ctx, salesforceID)
			if err != nil {
				t.Fatal(err)
			}
			if _, j := catalogReads(e.srv); j != before || len(got) != 2 {
				t.Errorf("a third replica after AppsFresh: %d jobs requests and %d Salesforce jobs, want 0 and the 2 AppsFresh read", j-before, len(got))
			}
		})
	}
}

// TestGarbageInTheSharedCacheIsReadFromGraph: whatever the shared cache
// holds under the catalog's and the jobs' keys, a replica answers as one
// without a shared cache, reading Graph, and says so once in its log.
func TestGarbageInTheSharedCacheIsReadFromGraph(t *testing.T) {
	now := testNow().UTC().Format(time.RFC3339Nano)
	for _, tc := range []struct {
		name, catalog, jobs string
		warning             string
	}{
		{"not JSON", "{{{", "\x00", "a shared cache value does not decode; asking Graph instead"},
		{"an app without an id", `{"at":"` + now + `","v":{"apps":[{"id":"","name":"Ghost"}]}}`, `{"at":"` + now + `","v":{"jobs":[]}}`,
			"the shared app catalog holds an app without an object id; building it here"},
		{"jobs that are no answer of Graph", `{"v":{"apps":[]}}`, `{"at":"` + now + `","v":"nope"}`,
			"shared jobs do not decode; asking Graph instead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := redistest.Start(t)
			var logs logtest.Buffer
			s := redisCache(t, rs)
			ctx := t.Context()
			for key, v := range map[string]string{"graph:v1:catalog": tc.catalog, "graph:v1:jobs:" + salesforceID: tc.jobs} {
				if err := s.CachePut(ctx, key, []byte(v), time.Hour); err != nil {
					t.Fatal(err)
				}
			}
			e := newEnv(t, nil, nil, graph.WithSharedCache(s), graph.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			plain := newClient(t, e.srv, e.clock)
			want, err := plain.Apps(ctx)
			if err != nil {
				t.Fatal(err)
			}
			wantJobs, err := plain.Jobs(ctx, salesforceID)
			if err != nil {
				t.Fatal(err)
			}
			lists, jobs := catalogReads(e.srv)
			// Jobs first: the catalog's build puts every app's jobs in
			// the shared cache.
			gotJobs, err := e.client.Jobs(ctx, salesforceID)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.client.Apps(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotJobs, wantJobs) {
				t.Errorf("with garbage in the shared cache:\napps %+v\njobs %+v\nwant\napps %+v\njobs %+v", got, gotJobs, want, wantJobs)
			}
			if l, _ := catalogReads(e.srv); l != lists+1 {
				t.Errorf("%d service principal lists, want 1: the catalog built here", l-lists)
			}
			if _, j := catalogReads(e.srv); j == jobs {
				t.Error("no jobs read from Graph")
			}
			if recs := logs.Records(tc.warning); len(recs) != 1 || recs[0]["level"] != "WARN" {
				t.Errorf("want one warning %q in the log; it has:\n%s", tc.warning, logs.String())
			}
		})
	}
}

// TestTheCatalogAndJobsAnswerWhenRedisStops: with Redis gone, a replica
// builds its catalog and reads jobs itself, with the same answers.
func TestTheCatalogAndJobsAnswerWhenRedisStops(t *testing.T) {
	rs := redistest.Start(t)
	e := newEnv(t, nil, nil, graph.WithSharedCache(redisCache(t, rs)))
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	before, err := e.client.Apps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := newClient(t, e.srv, e.clock, graph.WithSharedCache(redisCache(t, rs)))
	rs.Stop()
	e.clock.Advance(graph.DefaultAppCacheTTL) // past every cache of the client
	for name, c := range map[string]*graph.Client{"the replica that built the catalog": e.client, "a replica starting": b} {
		if err := c.Warm(ctx); err != nil {
			t.Fatalf("%s: Warm with Redis stopped: %v", name, err)
		}
		for _, apps := range []func(context.Context) ([]diagnose.App, error){c.Apps, c.AppsFresh} {
			got, err := apps(ctx)
			if err != nil || !reflect.DeepEqual(got, before) {
				t.Errorf("%s with Redis stopped: %+v, %v; want %+v", name, got, err, before)
			}
		}
	}
	if n := len(requests(e.srv, "/v1.0/servicePrincipals")); n != 3 {
		t.Errorf("%d service principal lists, want 3: one before Redis stopped, one by each replica after", n)
	}
}

// TestReplicasAskingTogetherReadTheCatalogAndJobsOnce: two replicas on
// one Redis starting at the same moment list the service principals
// once, and asking for an app's jobs at the same moment read them once
// (while Graph takes 200 ms to answer); apart, each reads.
func TestReplicasAskingTogetherReadTheCatalogAndJobsOnce(t *testing.T) {
	together := func(t *testing.T, share bool, ask func(*graph.Client) error) *fakegraph.Server {
		t.Helper()
		var opts [2][]graph.Option
		if share {
			rs := redistest.Start(t) // empty
			opts = [2][]graph.Option{{graph.WithSharedCache(redisCache(t, rs))}, {graph.WithSharedCache(redisCache(t, rs))}}
		}
		e := newEnv(t, nil, nil, opts[0]...)
		b := newClient(t, e.srv, e.clock, opts[1]...)
		e.srv.Fault(fakegraph.Route("GET", "/v1.0/servicePrincipals"), fakegraph.Latency(200*time.Millisecond))
		e.srv.Fault(fakegraph.Route("GET", "/v1.0/servicePrincipals/*/synchronization/jobs"), fakegraph.Latency(200*time.Millisecond))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, c := range []*graph.Client{e.client, b} {
			wg.Go(func() {
				<-start
				if err := ask(c); err != nil {
					t.Error(err)
				}
			})
		}
		close(start)
		wg.Wait()
		return e.srv
	}
	warm := func(c *graph.Client) error { return c.Warm(t.Context()) }
	jobs := func(c *graph.Client) error {
		got, err := c.Jobs(t.Context(), salesforceID)
		if err == nil && len(got) != 1 {
			err = fmt.Errorf("%d Salesforce jobs, want 1", len(got))
		}
		return err
	}
	for _, tc := range []struct {
		name         string
		share        bool
		lists, reads int
	}{
		{"sharing", true, 1, 1},
		{"apart", false, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n := len(requests(together(t, tc.share, warm), "/v1.0/servicePrincipals")); n != tc.lists {
				t.Errorf("starting together: %d service principal lists, want %d", n, tc.lists)
			}
			if n := len(requests(together(t, tc.share, jobs), "/"+salesforceID+"/synchronization/jobs")); n != tc.reads {
				t.Errorf("asking together: %d reads of Salesforce's jobs, want %d", n, tc.reads)
			}
		})
	}
}

// TestAFailedCatalogBuildSharesNothing: a replica whose build fails (Graph
// refuses the list) leaves the shared cache empty, so the next replica
// builds the catalog itself and gets it whole.
func TestAFailedCatalogBuildSharesNothing(t *testing.T) {
	rs := redistest.Start(t)
	e := newEnv(t, nil, nil, graph.WithSharedCache(redisCache(t, rs)))
	b := newClient(t, e.srv, e.clock, graph.WithSharedCache(redisCache(t, rs)))
	e.srv.Fault(fakegraph.Route("GET", "/v1.0/servicePrincipals"), fakegraph.Status(403))
	if err := e.client.Warm(t.Context()); err == nil {
		t.Fatal("A's build succeeded; the test needs it to fail")
	}
	e.srv.ClearFaults()
	time.Sleep(pastKeep)
	if err := b.Warm(t.Context()); err != nil {
		t.Fatalf("B's build after A's failed: %v", err)
	}
	apps, err := b.Apps(t.Context())
	if err != nil || len(apps) != 6 {
		t.Errorf("B's apps = %d, %v; want the demo tenant's 6", len(apps), err)
	}
	if n := len(requests(e.srv, "/v1.0/servicePrincipals")); n != 2 {
		t.Errorf("%d service principal lists, want 2: A's that failed, B's", n)
	}
}

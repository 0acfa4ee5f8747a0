package graph_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// BenchmarkLargeTenant measures the adapter on fakegraph's generated
// large tenant (5,000 service principals of which 300 provision, an app
// with 200,000 assignments, a user in 1,000 groups, a user with 5,000
// entries in 30 days), with 20 ms of latency on every request and no
// throttling: the catalog build (time, requests) and lookups (time,
// requests as HTTP exchanges and as Graph operations, the heap in use
// after them).
func BenchmarkLargeTenant(b *testing.B) {
	ctx := context.Background()
	tenant := fakegraph.GenerateTenant(fakegraph.LargeTenantSize, time.Now())
	srv := fakegraph.NewTestServer(b, tenant, fakegraph.WithThrottle(0, 0))
	withLatency(srv, roundTrip)
	newLargeClient := func(b *testing.B) *graph.Client {
		c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", graph.WithReportBudget(0, 0))
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	// requests reports the requests since the last Reset: HTTP exchanges
	// and Graph operations (the parts of JSON batches counted one each).
	requests := func(b *testing.B) {
		http, ops := 0, 0
		for _, r := range srv.Requests() {
			if r.Batch == "" {
				http++
			}
			if r.Path != "/v1.0/$batch" && r.Path != "/beta/$batch" {
				ops++
			}
		}
		b.ReportMetric(float64(http)/float64(b.N), "http-requests/op")
		b.ReportMetric(float64(ops)/float64(b.N), "graph-requests/op")
	}
	heap := func(b *testing.B) {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "heap-MB")
	}

	b.Run("catalog-build", func(b *testing.B) {
		var cpu cpuMeter
		srv.Reset()
		cpu.start()
		for range b.N {
			if err := newLargeClient(b).Warm(ctx); err != nil {
				b.Fatal(err)
			}
		}
		requests(b)
		cpu.report(b)
	})

	c := newLargeClient(b)
	if err := c.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	for _, lc := range []struct {
		name string
		ref  string
		app  string
	}{
		{"user-in-1000-groups/all-apps", fakegraph.LargeGroupsUserID, ""},
		{"user-with-5000-entries/big-app", fakegraph.LargeBusyUserID, fakegraph.LargeBigAppID},
		{"user-with-5000-entries/all-apps", fakegraph.LargeBusyUserID, ""},
		{"ordinary-user-by-UPN/all-apps", "user7@contoso.com", ""},
	} {
		b.Run(lc.name, func(b *testing.B) {
			var cpu cpuMeter
			srv.Reset()
			cpu.start()
			for range b.N {
				in, cands, err := c.Lookup(ctx, lc.ref, diagnose.Query{AppID: lc.app, Refresh: true})
				if err != nil || cands != nil || in.User == nil {
					b.Fatalf("Lookup %s: %v %v", lc.ref, cands, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(roundTrip), "roundtrips/op")
			requests(b)
			cpu.report(b)
			heap(b)
		})
	}
}

package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// roundTrip is the latency the fake adds to every request.
const roundTrip = 20 * time.Millisecond

// withLatency delays every route of srv by d.
func withLatency(srv *fakegraph.Server, d time.Duration) {
	for _, p := range []string{"/v1.0/*", "/v1.0/*/*", "/v1.0/*/*/*", "/v1.0/*/*/*/*", "/v1.0/*/*/*/*/*", "/beta/*/*/*/*"} {
		srv.Fault(fakegraph.Route("*", p), fakegraph.Latency(d))
	}
}

// BenchmarkLookupRoundTrips reports the wall time of one lookup divided
// by one Graph round trip (roundtrips/op), with 20 ms of latency on every
// request and no throttling: by object id and by UPN with the app catalog
// built, and by UPN with a cold catalog (a new client each time). Every
// lookup is for all apps and bypasses the caches (Refresh).
func BenchmarkLookupRoundTrips(b *testing.B) {
	ctx := context.Background()
	tenant := loadTenant(b)
	srv := fakegraph.NewTestServer(b, tenant, fakegraph.WithThrottle(0, 0))
	withLatency(srv, roundTrip)
	newBenchClient := func() *graph.Client {
		c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", graph.WithReportBudget(0, 0))
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	byUPN := func(c *graph.Client) {
		users, err := c.ResolveUser(ctx, "alan@contoso.com")
		if err != nil || len(users) != 1 {
			b.Fatalf("ResolveUser: %v %v", users, err)
		}
		if _, err := c.Gather(ctx, diagnose.Query{UserID: users[0].ObjectID, Refresh: true}); err != nil {
			b.Fatal(err)
		}
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(roundTrip), "roundtrips/op")
	}

	b.Run("by-object-id/warm-catalog", func(b *testing.B) {
		c := newBenchClient()
		if err := c.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if _, err := c.Gather(ctx, diagnose.Query{UserID: alanID, Refresh: true}); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("by-UPN/warm-catalog", func(b *testing.B) {
		c := newBenchClient()
		if err := c.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			byUPN(c)
		}
		report(b)
	})
	b.Run("by-UPN/cold-catalog", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			c := newBenchClient()
			b.StartTimer()
			byUPN(c)
		}
		report(b)
	})
}

// BenchmarkDistinctUsersPer10s simulates a help desk looking up distinct
// users against a fake Graph that throttles the reporting API as Microsoft
// does (5 requests per 10 s), with the client's default budget, on a
// simulated clock. It reports, in simulated time, the users served per
// 10 s and the latency percentiles for 300 users at once (saturation) and
// for a steady 6 new users a second (60 per 10 s) over a minute.
func BenchmarkDistinctUsersPer10s(b *testing.B) {
	for _, sc := range []struct {
		name               string
		perSecond, seconds int
	}{
		{"burst-of-300", 300, 0},
		{"steady-6-per-second", 6, 60},
	} {
		b.Run(sc.name, func(b *testing.B) {
			var r simResult
			for range b.N {
				r = simulateLookups(b, sc.perSecond, sc.seconds)
			}
			b.ReportMetric(r.served, "users/10s")
			b.ReportMetric(r.saturation, "users/10s-conservative")
			b.ReportMetric(r.p50.Seconds(), "p50-s")
			b.ReportMetric(r.p95.Seconds(), "p95-s")
			b.ReportMetric(float64(r.requests), "log-requests")
			b.ReportMetric(float64(r.throttled), "throttled")
		})
	}
}

// BenchmarkReadLogs decodes a 500-entry page with kiota's parse nodes and
// the lenient conversion, as every live page is decoded.
func BenchmarkReadLogs(b *testing.B) {
	objs := backgroundEntries(adaID, 500)
	for _, o := range objs {
		o["provisioningSteps"] = []any{
			map[string]any{"name": "EntryImport", "provisioningStepType": "Import", "status": "success", "description": "Retrieved", "details": map[string]any{"a": "b"}},
			map[string]any{"name": "EntryExportUpdate", "provisioningStepType": "export", "status": "success", "description": "Updated", "details": map[string]any{}},
		}
	}
	data, err := json.Marshal(map[string]any{"value": objs})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		entries, err := graph.ReadLogs(bytes.NewReader(data))
		if err != nil || len(entries) != 500 {
			b.Fatal(len(entries), err)
		}
	}
}

package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"syscall"
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
	var cpu cpuMeter
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(roundTrip), "roundtrips/op")
		cpu.report(b)
	}

	b.Run("by-object-id/warm-catalog", func(b *testing.B) {
		c := newBenchClient()
		if err := c.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		cpu.start()
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
		cpu.start()
		for range b.N {
			byUPN(c)
		}
		report(b)
	})
	b.Run("by-UPN-with-Lookup/warm-catalog", func(b *testing.B) {
		c := newBenchClient()
		if err := c.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		cpu.start()
		for range b.N {
			if _, _, err := c.Lookup(ctx, "alan@contoso.com", diagnose.Query{Refresh: true}); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("by-object-id-one-app-direct/warm-catalog", func(b *testing.B) {
		c := newBenchClient()
		if err := c.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		cpu.start()
		for range b.N {
			if _, err := c.Gather(ctx, diagnose.Query{UserID: adaID, AppID: salesforceID, Refresh: true}); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("by-UPN/cold-catalog", func(b *testing.B) {
		cpu.start()
		for range b.N {
			b.StopTimer()
			c := newBenchClient()
			b.StartTimer()
			byUPN(c)
		}
		report(b)
	})
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

// cpuMeter measures the process's CPU time (user and system) over a
// benchmark loop: the client's and the in-process fake Graph's together.
type cpuMeter struct{ begin time.Duration }

func (m *cpuMeter) start() { m.begin = processCPU() }

// report adds cpu-ms/op.
func (m *cpuMeter) report(b *testing.B) {
	b.ReportMetric(float64(processCPU()-m.begin)/float64(b.N)/float64(time.Millisecond), "cpu-ms/op")
}

// processCPU is the CPU time the process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

package graph_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// simResult is what a throughput simulation measured, in simulated time.
type simResult struct {
	users               int
	elapsed, p50, p95   time.Duration
	last                time.Duration // the last answer, from the start
	served              float64       // users per 10 s over the run
	saturation          float64       // the same, counting one more window (conservative)
	requests, throttled int
	notified            int // lookups told they wait, with a position
	maxAhead            int // the longest queue a lookup was told about
}

func (r simResult) String() string {
	return fmt.Sprintf("%d users in %v: %.1f users per 10 s served (%.1f counting the last window whole), latency p50 %v p95 %v, "+
		"%d log requests, %d throttled, %d told to wait (up to %d ahead)",
		r.users, r.elapsed, r.served, r.saturation, r.p50, r.p95, r.requests, r.throttled, r.notified, r.maxAhead)
}

// simulateLookups looks up distinct users through Gather, perSecond new
// users every second for seconds seconds (all at once when seconds is 0),
// against a fake Graph that throttles the reporting API as Microsoft does
// (5 requests per 10 s) and answers every request after latency, with a
// client with its default budget and no deadline. It runs in a
// testing/synctest bubble: time is simulated and exact.
func simulateLookups(t *testing.T, perSecond, seconds int, latency time.Duration) (r simResult) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		n := perSecond * max(seconds, 1)
		tenant := loadTenant(t)
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("%08x-0000-4000-8000-%012x", 0x50000000+i, i)
			tenant.AddUser(fakegraph.Object{"id": ids[i], "displayName": fmt.Sprintf("Sim User %d", i),
				"userPrincipalName": fmt.Sprintf("sim%d@contoso.com", i), "accountEnabled": true})
			tenant.AddProvisioning(backgroundEntries(ids[i], 3)...)
		}
		srv, client := newInProcess(t, tenant, []fakegraph.Option{
			fakegraph.WithThrottle(graph.DefaultReportBudget, graph.DefaultReportWindow)})
		if latency > 0 {
			withLatency(srv, latency)
		}
		ctx := t.Context()
		if err := client.Warm(ctx); err != nil {
			t.Fatal(err)
		}
		srv.Reset()
		start := time.Now()
		lat := make([]time.Duration, n)
		ended := make([]time.Time, n)
		errs := make([]error, n)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for s := range max(seconds, 1) {
			if s > 0 {
				time.Sleep(time.Second)
			}
			for i := s * perSecond; i < (s+1)*perSecond; i++ {
				wg.Go(func() {
					began := time.Now()
					qctx := graph.WithQueueNotifier(ctx, func(w graph.QueueWait) {
						mu.Lock()
						defer mu.Unlock()
						r.notified++
						r.maxAhead = max(r.maxAhead, w.Ahead)
					})
					in, err := client.Gather(qctx, diagnose.Query{UserID: ids[i], AppID: salesforceID})
					if err == nil && len(in.Entries) != 3 {
						err = fmt.Errorf("user %d: %d entries", i, len(in.Entries))
					}
					errs[i], ended[i] = err, time.Now()
					lat[i] = ended[i].Sub(began)
				})
			}
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		r.users = n
		r.elapsed = slices.MaxFunc(ended, func(a, b time.Time) int { return a.Compare(b) }).Sub(start)
		r.last = r.elapsed
		slices.Sort(lat)
		r.p50, r.p95 = lat[n/2], lat[n*95/100]
		w := float64(graph.DefaultReportWindow)
		r.served = float64(n) * w / float64(max(r.elapsed, graph.DefaultReportWindow))
		r.saturation = float64(n) * w / float64(r.elapsed+graph.DefaultReportWindow)
		for _, q := range srv.Requests() {
			if q.Path == "/v1.0/auditLogs/provisioning" {
				r.requests++
				if q.Status == 429 {
					r.throttled++
				}
			}
		}
	})
	return r
}

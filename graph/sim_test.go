package graph_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// simClock is a discrete-event clock for throughput simulations. Sleepers
// wait for their wake time; the clock jumps to the earliest wake time only
// once no HTTP request has been in flight for a couple of milliseconds of
// real time, so requests cost no simulated time and a 10-second budget
// window costs none of the real kind.
type simClock struct {
	mu       sync.Mutex
	now      time.Time
	sleepers []simSleeper
	inFlight atomic.Int64
}

type simSleeper struct {
	wake time.Time
	ch   chan struct{}
}

func newSimClock(tb testing.TB) *simClock {
	c := &simClock{now: testNow()}
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	go c.run(ctx)
	return c
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *simClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	ch := make(chan struct{})
	c.mu.Lock()
	c.sleepers = append(c.sleepers, simSleeper{wake: c.now.Add(d), ch: ch})
	c.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run advances the clock whenever the system is quiet.
func (c *simClock) run(ctx context.Context) {
	quiet := 0
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if c.inFlight.Load() != 0 {
			quiet = 0
			continue
		}
		if quiet++; quiet < 3 {
			continue
		}
		c.mu.Lock()
		if len(c.sleepers) > 0 {
			slices.SortFunc(c.sleepers, func(a, b simSleeper) int { return a.wake.Compare(b.wake) })
			c.now = c.sleepers[0].wake
			for len(c.sleepers) > 0 && !c.sleepers[0].wake.After(c.now) {
				close(c.sleepers[0].ch)
				c.sleepers = c.sleepers[1:]
			}
			quiet = 0
		}
		c.mu.Unlock()
	}
}

// transport counts requests in flight, bodies included.
func (c *simClock) transport() http.RoundTripper { return simTransport{c} }

type simTransport struct{ c *simClock }

func (t simTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.c.inFlight.Add(1)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.c.inFlight.Add(-1)
		return nil, err
	}
	resp.Body = &simBody{ReadCloser: resp.Body, done: func() { t.c.inFlight.Add(-1) }}
	return resp, nil
}

type simBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *simBody) Close() error {
	b.once.Do(b.done)
	return b.ReadCloser.Close()
}

// simResult is what a throughput simulation measured, in simulated time.
type simResult struct {
	users               int
	elapsed, p50, p95   time.Duration
	served              float64 // users per 10 s over the run
	saturation          float64 // the same, counting one more window (conservative)
	requests, throttled int
}

func (r simResult) String() string {
	return fmt.Sprintf("%d users in %v: %.1f users per 10 s served (%.1f counting the last window whole), latency p50 %v p95 %v, %d log requests, %d throttled",
		r.users, r.elapsed, r.served, r.saturation, r.p50, r.p95, r.requests, r.throttled)
}

// simulateLookups looks up distinct users through Gather, perSecond new
// users every simulated second for seconds seconds (all at once when
// seconds is 0), against a fake Graph that throttles the reporting API as
// Microsoft does (5 requests per 10 s) and a client with its default
// budget, on a shared simulated clock.
func simulateLookups(tb testing.TB, perSecond, seconds int) simResult {
	tb.Helper()
	n := perSecond * max(seconds, 1)
	tenant := loadTenant(tb)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-0000-4000-8000-%012x", 0x50000000+i, i)
		tenant.AddUser(fakegraph.Object{"id": ids[i], "displayName": fmt.Sprintf("Sim User %d", i),
			"userPrincipalName": fmt.Sprintf("sim%d@contoso.com", i), "accountEnabled": true})
		tenant.AddProvisioning(backgroundEntries(ids[i], 3)...)
	}
	clk := newSimClock(tb)
	srv := fakegraph.NewTestServer(tb, tenant, fakegraph.WithNow(clk.Now),
		fakegraph.WithThrottle(graph.DefaultReportBudget, graph.DefaultReportWindow))
	client, err := graph.NewUnauthenticated(srv.URL()+"/v1.0",
		graph.WithHTTPClient(&http.Client{Transport: clk.transport()}),
		graph.WithNow(clk.Now), graph.WithSleep(clk.Sleep))
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	if err := client.Warm(ctx); err != nil {
		tb.Fatal(err)
	}
	srv.Reset()
	start := clk.Now()
	lat := make([]time.Duration, n)
	ended := make([]time.Time, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for s := 0; s < max(seconds, 1); s++ {
		if s > 0 {
			_ = clk.Sleep(ctx, time.Second)
		}
		for i := s * perSecond; i < (s+1)*perSecond; i++ {
			wg.Go(func() {
				began := clk.Now()
				in, err := client.Gather(ctx, diagnose.Query{UserID: ids[i], AppID: salesforceID})
				if err == nil && len(in.Entries) != 3 {
					err = fmt.Errorf("user %d: %d entries", i, len(in.Entries))
				}
				errs[i], ended[i] = err, clk.Now()
				lat[i] = ended[i].Sub(began)
			})
		}
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	r := simResult{users: n, elapsed: slices.MaxFunc(ended, func(a, b time.Time) int { return a.Compare(b) }).Sub(start)}
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
	return r
}

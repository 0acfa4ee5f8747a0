package graph_test

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

func TestIdenticalLookupsInFlightShareOneRequest(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.srv.Fault(fakegraph.Route("GET", "/v1.0/auditLogs/provisioning"), fakegraph.Latency(100*time.Millisecond))
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() {
			in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: adaID, AppID: salesforceID})
			if err == nil && len(in.Entries) != 2 {
				err = fmt.Errorf("%d entries", len(in.Entries))
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := len(requests(e.srv, "/auditLogs/provisioning")); n != 1 {
		t.Errorf("%d provisioning log requests for ten identical lookups, want 1", n)
	}
}

func TestLookupsWaitingForTheBudgetGoOutAsOneBatch(t *testing.T) {
	sent := make(chan struct{})
	var once sync.Once
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/auditLogs/provisioning") {
			once.Do(func() { close(sent) })
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	e := newEnv(t, nil, []fakegraph.Option{fakegraph.WithThrottle(5, 10*time.Second)},
		graph.WithReportBudget(1, 10*time.Second), graph.WithHTTPClient(hc))
	e.srv.Fault(fakegraph.Route("GET", "/v1.0/auditLogs/provisioning"), fakegraph.Latency(100*time.Millisecond), fakegraph.Times(1))
	first := make(chan error, 1)
	go func() {
		_, err := e.client.Gather(t.Context(), diagnose.Query{UserID: adaID, AppID: salesforceID})
		first <- err
	}()
	<-sent // the first lookup holds the only slot while these queue
	users := []string{alanID, zoeID, conanID}
	got := make([][]string, len(users))
	errs := make([]error, len(users))
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: u, AppID: salesforceID})
			errs[i] = err
			for _, en := range in.Entries {
				got[i] = append(got[i], en.ID)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(append(errs, <-first)...); err != nil {
		t.Fatal(err)
	}
	reqs := requests(e.srv, "/auditLogs/provisioning")
	if len(reqs) != 2 {
		t.Fatalf("%d provisioning log requests, want 2 (one, then a batch of three)", len(reqs))
	}
	ids := regexp.MustCompile(`sourceIdentity/id eq '([^']+)'`).FindAllStringSubmatch(reqs[1].Filter, -1)
	var batched []string
	for _, m := range ids {
		batched = append(batched, m[1])
	}
	sort.Strings(batched)
	want := slices.Clone(users)
	sort.Strings(want)
	if !slices.Equal(batched, want) || reqs[1].Status != 200 {
		t.Errorf("batch filter %q answered %d, want the three users", reqs[1].Filter, reqs[1].Status)
	}
	if !slices.Equal(got[1], []string{"p-zoe-delete"}) || got[0] != nil || got[2] != nil {
		t.Errorf("entries were not split per user: %v", got)
	}
}

func TestALookupWaitsForTheBudgetInsteadOfFailing(t *testing.T) {
	e := newEnv(t, nil, nil, graph.WithReportBudget(1, 10*time.Second))
	if _, err := e.client.Gather(t.Context(), diagnose.Query{UserID: adaID, AppID: salesforceID}); err != nil {
		t.Fatal(err)
	}
	began := e.clock.Now()
	var told []graph.QueueWait
	ctx := graph.WithQueueNotifier(t.Context(), func(w graph.QueueWait) { told = append(told, w) })
	if _, err := e.client.Gather(ctx, diagnose.Query{UserID: alanID, AppID: salesforceID}); err != nil {
		t.Fatalf("a lookup failed because the budget was busy: %v", err)
	}
	if waited := e.clock.Now().Sub(began); waited < 10*time.Second {
		t.Errorf("waited %v, want the 10-s window", waited)
	}
	if len(told) != 1 || told[0].Wait < 9*time.Second {
		t.Errorf("told %+v, want one notice of about 10s", told)
	}
}

func TestGraphThrottlingPausesTheBudgetAndRetries(t *testing.T) {
	// Another tool spends the same app's quota: Graph allows one request
	// per window although the client's budget allows five.
	e := newEnv(t, nil, []fakegraph.Option{fakegraph.WithThrottle(1, 10*time.Second)}, graph.WithReportBudget(5, 10*time.Second))
	for _, u := range []string{adaID, alanID} {
		if _, err := e.client.ProvisioningLogs(t.Context(), graph.LogQuery{UserID: u}); err != nil {
			t.Fatalf("user %s: %v", u, err)
		}
	}
	var statuses []int
	for _, r := range requests(e.srv, "/auditLogs/provisioning") {
		statuses = append(statuses, r.Status)
	}
	if want := []int{200, 429, 200}; !slices.Equal(statuses, want) {
		t.Errorf("statuses %v, want %v", statuses, want)
	}
}

func TestServesFiftyDistinctUsersPer10s(t *testing.T) {
	// Saturation: 300 people asked about at once.
	r := simulateLookups(t, 300, 0, 0)
	t.Log("300 at once:", r)
	if r.saturation < 50 {
		t.Errorf("%.1f distinct users per 10 s, want at least 50", r.saturation)
	}
	if r.throttled != 0 {
		t.Errorf("Graph throttled %d requests: the budget let too many through", r.throttled)
	}
	// A steady 60 users per 10 s is served without a growing queue, most
	// within one spacing of the budget.
	r = simulateLookups(t, 6, 60, 0)
	t.Log("6 a second:", r)
	if r.served < 50 || r.p95 > 3*time.Second || r.throttled != 0 {
		t.Errorf("steady load: %v; want at least 50 users per 10 s, p95 at most 3s, no 429", r)
	}
}

func TestABurstOf200IsServedInTurnAndEveryoneWaitingIsTold(t *testing.T) {
	// 200 different people at once, no deadline: nobody gives up, each
	// request serves 15 users, one goes out about every 2 s, so the last
	// answer comes after about 200/15 × 2 s; everyone who waits is told.
	r := simulateLookups(t, 200, 0, 50*time.Millisecond)
	t.Log("200 at once:", r)
	requests := (200 + 14) / 15
	if limit := time.Duration(requests+1)*2*time.Second + time.Second; r.last > limit {
		t.Errorf("the last answer came after %v, want within %v", r.last, limit)
	}
	if r.requests > requests+2 || r.throttled != 0 {
		t.Errorf("%d log requests (%d throttled), want about %d", r.requests, r.throttled, requests)
	}
	if r.notified < 200-2*15 || r.maxAhead < 150 {
		t.Errorf("%d lookups told they wait (at most %d ahead), want nearly all and a long queue", r.notified, r.maxAhead)
	}
}

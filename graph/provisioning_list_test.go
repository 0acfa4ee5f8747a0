package graph_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
)

func TestListProvisioningLogsListsEveryoneAndSaysWhenThereIsMore(t *testing.T) {
	tenant := loadTenant(t)
	tenant.AddProvisioning(backgroundEntries(bobID, 1200)...)
	tenant.AddProvisioning(backgroundEntries(adaID, 30)...)
	e := newEnv(t, tenant, nil)

	all, err := e.client.ListProvisioningLogs(t.Context(), graph.LogQuery{Max: 100000})
	if err != nil {
		t.Fatal(err)
	}
	if all.More || all.Pages < 3 {
		t.Errorf("everything: more %v after %d pages, want no more after paging", all.More, all.Pages)
	}
	users := map[string]bool{}
	for _, en := range all.Entries {
		users[en.Source.ID] = true
	}
	if !users[bobID] || !users[adaID] || len(all.Entries) < 1230 {
		t.Errorf("everyone's entries: %d entries of %d users", len(all.Entries), len(users))
	}
	for _, r := range requests(e.srv, "/auditLogs/provisioning") {
		if q, _ := url.ParseQuery(r.RawQuery); q.Has("$filter") {
			t.Errorf("listing everyone sent a filter: %s", r.RawQuery)
		}
	}

	for _, tc := range []struct {
		name string
		q    graph.LogQuery
		n    int
		more bool
	}{
		{"cut inside the first page", graph.LogQuery{Max: 7}, 7, true},
		{"cut at a page boundary, a next page exists", graph.LogQuery{Max: 500}, 500, true},
		{"exactly everything", graph.LogQuery{Max: len(all.Entries)}, len(all.Entries), false},
		{"one user's failures, fewer than the cap", graph.LogQuery{UserID: bobID, Status: diagnose.ResultFailure, Max: 10}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.client.ListProvisioningLogs(t.Context(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Entries) != tc.n || got.More != tc.more {
				t.Errorf("%d entries, more %v; want %d, %v", len(got.Entries), got.More, tc.n, tc.more)
			}
		})
	}
}

// TestListingEveryoneKeepsToTheBudgetAndLetsLookupsIn pages through a
// large tenant's logs against a fake Graph that throttles as Graph does
// (5 requests per 10 s): no request is throttled, and a user's lookup
// asked for while the listing pages is answered before the listing ends,
// in its turn, instead of after it.
func TestListingEveryoneKeepsToTheBudgetAndLetsLookupsIn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tenant := loadTenant(t)
		tenant.AddProvisioning(backgroundEntries(bobID, 6000)...)
		srv, c := newInProcess(t, tenant, nil)
		if err := c.Warm(t.Context()); err != nil {
			t.Fatal(err)
		}
		var (
			mu                sync.Mutex
			listed, looked    time.Time
			fifthPage         = make(chan struct{})
			fifthPageReported sync.Once
		)
		began := time.Now()
		var wg sync.WaitGroup
		wg.Go(func() {
			l, err := c.ListProvisioningLogs(t.Context(), graph.LogQuery{Max: 6000, Progress: func(pages, _ int) {
				if pages == 5 {
					fifthPageReported.Do(func() { close(fifthPage) })
				}
			}})
			if err != nil || len(l.Entries) != 6000 {
				t.Errorf("listing: %d entries, %v", len(l.Entries), err)
			}
			mu.Lock()
			listed = time.Now()
			mu.Unlock()
		})
		<-fifthPage
		wg.Go(func() {
			if _, err := c.Gather(t.Context(), diagnose.Query{UserID: adaID, Refresh: true}); err != nil {
				t.Errorf("lookup: %v", err)
			}
			mu.Lock()
			looked = time.Now()
			mu.Unlock()
		})
		wg.Wait()

		if !looked.Before(listed) {
			t.Errorf("the lookup was answered after %v, the listing after %v: the listing kept it waiting", looked.Sub(began), listed.Sub(began))
		}
		var times []time.Time
		for _, r := range srv.Requests() {
			if r.Status == http.StatusTooManyRequests {
				t.Errorf("throttled: %s %s", r.Method, r.Path)
			}
			if strings.Contains(strings.ToLower(r.Path), "/auditlogs/") {
				times = append(times, r.Time)
			}
		}
		for i := range times {
			n := 0
			for _, u := range times[i:] {
				if u.Sub(times[i]) < 10*time.Second {
					n++
				}
			}
			if n > 5 {
				t.Errorf("%d reporting requests within 10 s of %v", n, times[i].Sub(began))
			}
		}
	})
}

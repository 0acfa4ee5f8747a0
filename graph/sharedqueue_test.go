package graph_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/logtest"
	"github.com/provbot/provbot/internal/redistest"
	"github.com/provbot/provbot/store"
	"github.com/provbot/provbot/store/sqlite"
)

// crossApp is the app every lookup of these tests asks about: the
// generated tenant's users all have entries for it, three each.
var crossApp = fakegraph.LargeAppID(0)

// crossQueue is the shared queue of crossApp's lookups, as the client
// names it (a test claims from it as a replica would).
var crossQueue = "graph:v1:xbatch:" + strings.ToLower(crossApp)

// crossTenant is a fake Graph of n users with entries for crossApp. It
// does not throttle: the tests count the requests themselves.
func crossTenant(t *testing.T, n int) *fakegraph.Server {
	t.Helper()
	tenant := fakegraph.GenerateTenant(fakegraph.TenantSize{ServicePrincipals: 1, Provisioning: 1, Users: n}, time.Now())
	return fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
}

// sharingReplica is a client for srv on a real clock that spends the
// store's bucket of one request per window and shares its cache and
// queue: a replica of provbot on st.
func sharingReplica(t *testing.T, srv *fakegraph.Server, st store.Store, window time.Duration, opts ...graph.Option) *graph.Client {
	t.Helper()
	b, err := st.Bucket("reports", 1, window)
	if err != nil {
		t.Fatal(err)
	}
	all := append([]graph.Option{graph.WithHTTPClient(&http.Client{}), graph.WithSharedBudget(b),
		graph.WithSharedCache(st), graph.WithSharedQueue(st)}, opts...)
	c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// soloAnswers is what a client of its own, sharing nothing, finds for
// each user: the answers the replicas must give.
func soloAnswers(t *testing.T, srv *fakegraph.Server, users []string) map[string][]diagnose.Entry {
	t.Helper()
	c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", graph.WithHTTPClient(&http.Client{}), graph.WithReportBudget(100, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]diagnose.Entry{}
	for _, u := range users {
		in, err := c.Gather(t.Context(), diagnose.Query{UserID: u, AppID: crossApp})
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Entries) == 0 {
			t.Fatalf("%s has no entries: the test needs some", u)
		}
		out[u] = in.Entries
	}
	return out
}

// logFilters returns the filters of srv's provisioning log requests
// from the from-th on.
func logFilters(srv *fakegraph.Server, from int) []string {
	var out []string
	for _, r := range requests(srv, "/auditLogs/provisioning")[from:] {
		out = append(out, r.Filter)
	}
	return out
}

// filterUsers returns the user ids a provisioning log filter names,
// sorted.
func filterUsers(filter string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`sourceIdentity/id eq '([^']+)'`).FindAllStringSubmatch(filter, -1) {
		ids = append(ids, strings.ToLower(m[1]))
	}
	slices.Sort(ids)
	return ids
}

// gatherAll looks up each user on its client at once and returns the
// entries per user and how many times each asker was told they wait,
// failing t on any error.
func gatherAll(t *testing.T, ctx context.Context, on map[string]*graph.Client) (map[string][]diagnose.Entry, map[string]int) {
	t.Helper()
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		out  = map[string][]diagnose.Entry{}
		told = map[string]int{}
	)
	for u, c := range on {
		wg.Go(func() {
			qctx := graph.WithQueueNotifier(ctx, func(graph.QueueWait) {
				mu.Lock()
				defer mu.Unlock()
				told[u]++
			})
			in, err := c.Gather(qctx, diagnose.Query{UserID: u, AppID: crossApp})
			if err != nil {
				t.Errorf("lookup of %s: %v", u, err)
				return
			}
			mu.Lock()
			out[u] = in.Entries
			mu.Unlock()
		})
	}
	wg.Wait()
	return out, told
}

// wantAnswers fails t unless every user got the solo client's answer.
func wantAnswers(t *testing.T, got, want map[string][]diagnose.Entry) {
	t.Helper()
	for u, w := range want {
		if !reflect.DeepEqual(got[u], w) {
			t.Errorf("%s: got %d entries %v, want its own %d", u, len(got[u]), entryIDs(got[u]), len(w))
		}
	}
}

func entryIDs(es []diagnose.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// TestReplicasFillOneRequestWithEachOthersWaitingUsers: with the budget
// spent, replica A has users 1-3 waiting and replica B users 4-6, all of
// one app; when the slot frees, one provisioning log request carries the
// six, and each lookup gets its own user's entries. On Redis (two
// connections, as two processes) and on the in-process store of SQLite
// (two clients of one process).
func TestReplicasFillOneRequestWithEachOthersWaitingUsers(t *testing.T) {
	for _, backend := range []struct {
		name   string
		stores func(t *testing.T) [2]store.Store
	}{
		{"redis", func(t *testing.T) [2]store.Store {
			rs := redistest.Start(t)
			return [2]store.Store{redisCache(t, rs), redisCache(t, rs)}
		}},
		{"sqlite", func(t *testing.T) [2]store.Store {
			st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "provbot.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return [2]store.Store{st, st}
		}},
	} {
		t.Run(backend.name, func(t *testing.T) {
			const window = 3 * time.Second
			srv := crossTenant(t, 7)
			users := make([]string, 7)
			for i := range users {
				users[i] = fakegraph.LargeUserID(i)
			}
			want := soloAnswers(t, srv, users[1:])
			sts := backend.stores(t)
			a, b := sharingReplica(t, srv, sts[0], window), sharingReplica(t, srv, sts[1], window)
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()

			// User 0 takes the window's one request.
			if _, err := a.Gather(ctx, diagnose.Query{UserID: users[0], AppID: crossApp}); err != nil {
				t.Fatal(err)
			}
			before := len(requests(srv, "/auditLogs/provisioning"))
			got, told := gatherAll(t, ctx, map[string]*graph.Client{
				users[1]: a, users[2]: a, users[3]: a,
				users[4]: b, users[5]: b, users[6]: b,
			})
			wantAnswers(t, got, want)
			// Each waited for the budget, on its replica or another.
			for _, u := range users[1:] {
				if told[u] != 1 {
					t.Errorf("the asker about %s was told %d times that they wait, want once", u, told[u])
				}
			}
			filters := logFilters(srv, before)
			if len(filters) != 1 || !slices.Equal(filterUsers(filters[0]), filterUsers(eqUsers(users[1:]))) {
				t.Errorf("provisioning log requests for the six waiting users: %q; want one naming all six", filters)
			}
		})
	}
}

// eqUsers is a filter naming users, as filterUsers reads it.
func eqUsers(users []string) string {
	var parts []string
	for _, u := range users {
		parts = append(parts, "sourceIdentity/id eq '"+u+"'")
	}
	return strings.Join(parts, " or ")
}

// TestALookupAnotherReplicaClaimedIsFetchedByItsOwnerWhenNoAnswerComes:
// a replica claims a waiting lookup and then dies (its lease lapses), or
// publishes that its fetch failed: the owner fetches the user itself, at
// the lease's end or at once, and answers right.
func TestALookupAnotherReplicaClaimedIsFetchedByItsOwnerWhenNoAnswerComes(t *testing.T) {
	const (
		window = time.Second
		lease  = 2500 * time.Millisecond
	)
	for _, tc := range []struct {
		name     string
		failed   bool          // the claimer publishes that its fetch failed
		earliest time.Duration // after the claim
		latest   time.Duration
	}{
		{"the claimer dies", false, lease - 200*time.Millisecond, lease + window + time.Second},
		{"the claimer's fetch fails", true, 0, lease - 500*time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := redistest.Start(t)
			srv := crossTenant(t, 2)
			users := []string{fakegraph.LargeUserID(0), fakegraph.LargeUserID(1)}
			want := soloAnswers(t, srv, users[1:])
			claimer := redisCache(t, rs)
			owner := sharingReplica(t, srv, redisCache(t, rs), window)
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			if _, err := owner.Gather(ctx, diagnose.Query{UserID: users[0], AppID: crossApp}); err != nil {
				t.Fatal(err)
			}
			answered := make(chan map[string][]diagnose.Entry, 1)
			go func() {
				got, _ := gatherAll(t, ctx, map[string]*graph.Client{users[1]: owner})
				answered <- got
			}()

			// The claimer takes the offer as a replica would, and never
			// answers (or answers that it failed).
			var items []string
			for deadline := time.Now().Add(5 * time.Second); len(items) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				var err error
				if items, err = claimer.QueueClaim(ctx, crossQueue, 15, lease); err != nil {
					t.Fatal(err)
				}
			}
			claimedAt := time.Now()
			if len(items) != 1 || !strings.HasPrefix(items[0], strings.ToLower(users[1])+"/") {
				t.Fatalf("claimed %q, want the owner's offer of %s", items, users[1])
			}
			if tc.failed {
				key := "graph:v1:xbatch-result:" + strings.ToLower(crossApp) + ":" + items[0]
				if err := claimer.CachePut(ctx, key, []byte(`{"failed":true}`), time.Minute); err != nil {
					t.Fatal(err)
				}
			}
			got := <-answered
			took := time.Since(claimedAt)
			wantAnswers(t, got, want)
			if took < tc.earliest || took > tc.latest {
				t.Errorf("answered %v after the claim, want between %v and %v", took, tc.earliest, tc.latest)
			}
			if n := len(requests(srv, "/auditLogs/provisioning")); n != 2+len(want) {
				t.Errorf("%d provisioning log requests, want %d (the solo answers, user 0, and the owner's own fetch)", n, 2+len(want))
			}
		})
	}
}

// TestLookupsAnswerAloneWhenTheSharedQueueFails: with Redis stopped,
// waiting lookups are batched by their replica alone, as without a
// shared queue, and the failure is one warning.
func TestLookupsAnswerAloneWhenTheSharedQueueFails(t *testing.T) {
	rs := redistest.Start(t)
	srv := crossTenant(t, 4)
	users := []string{fakegraph.LargeUserID(0), fakegraph.LargeUserID(1), fakegraph.LargeUserID(2), fakegraph.LargeUserID(3)}
	want := soloAnswers(t, srv, users[1:])
	var logs logtest.Buffer
	st := redisCache(t, rs)
	c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", graph.WithHTTPClient(&http.Client{}),
		graph.WithReportBudget(1, 5*time.Second), graph.WithSharedCache(st), graph.WithSharedQueue(st),
		graph.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, err := c.Gather(ctx, diagnose.Query{UserID: users[0], AppID: crossApp}); err != nil {
		t.Fatal(err)
	}
	rs.Stop()
	before := len(requests(srv, "/auditLogs/provisioning"))
	got, _ := gatherAll(t, ctx, map[string]*graph.Client{users[1]: c, users[2]: c, users[3]: c})
	wantAnswers(t, got, want)
	if filters := logFilters(srv, before); len(filters) != 1 || len(filterUsers(filters[0])) != 3 {
		t.Errorf("requests %q, want one batch of the three users", filters)
	}
	msg := "offer a provisioning log lookup to other replicas; this replica fetches it alone"
	if recs := logs.Records(msg); len(recs) != 1 || recs[0]["level"] != "WARN" {
		t.Errorf("want one warning %q; the log has:\n%s", msg, logs.String())
	}
}

// TestALookupWaitingForAnotherReplicasFetchIsToldItWaits: replica B asks
// about a user replica A is fetching, queued behind the budget: B's
// asker is told it waits (as A's would be), once, and gets A's answer.
func TestALookupWaitingForAnotherReplicasFetchIsToldItWaits(t *testing.T) {
	rs := redistest.Start(t)
	const window = 3 * time.Second
	srv := crossTenant(t, 2)
	users := []string{fakegraph.LargeUserID(0), fakegraph.LargeUserID(1)}
	want := soloAnswers(t, srv, users[1:])
	a, b := sharingReplica(t, srv, redisCache(t, rs), window), sharingReplica(t, srv, redisCache(t, rs), window)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// B spends the window's request (and so knows the budget's state).
	if _, err := b.Gather(ctx, diagnose.Query{UserID: users[0], AppID: crossApp}); err != nil {
		t.Fatal(err)
	}
	before := len(requests(srv, "/auditLogs/provisioning"))
	var fromA map[string][]diagnose.Entry
	var wg sync.WaitGroup
	wg.Go(func() { fromA, _ = gatherAll(t, ctx, map[string]*graph.Client{users[1]: a}) })
	time.Sleep(300 * time.Millisecond) // A is fetching (waiting for the budget)

	var (
		mu   sync.Mutex
		told []graph.QueueWait
		at   time.Duration
	)
	start := time.Now()
	bctx := graph.WithQueueNotifier(ctx, func(w graph.QueueWait) {
		mu.Lock()
		defer mu.Unlock()
		told, at = append(told, w), time.Since(start)
	})
	in, err := b.Gather(bctx, diagnose.Query{UserID: users[1], AppID: crossApp})
	took := time.Since(start)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	wantAnswers(t, map[string][]diagnose.Entry{users[1]: in.Entries}, want)
	wantAnswers(t, fromA, want)
	if n := len(requests(srv, "/auditLogs/provisioning")) - before; n != 1 {
		t.Errorf("%d provisioning log requests for the user both replicas asked about, want 1", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(told) != 1 || told[0].Wait <= 0 || at < 900*time.Millisecond || at > took {
		t.Errorf("waited %v and was told %+v after %v; want one note with an estimate, about a second in", took, told, at)
	}
}

func TestWithSharedQueueRefusesNil(t *testing.T) {
	if _, err := graph.NewUnauthenticated("http://127.0.0.1:1/v1.0", graph.WithSharedQueue(nil)); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("nil shared queue: %v, want ErrInvalid", err)
	}
}

// TestALookupWhoseAskerGivesUpLeavesTheSharedQueue: of two lookups
// waiting for the budget, offered to other replicas, the one whose
// asker stops waiting is withdrawn; the other is still there to claim.
func TestALookupWhoseAskerGivesUpLeavesTheSharedQueue(t *testing.T) {
	rs := redistest.Start(t)
	const window = 5 * time.Second
	srv := crossTenant(t, 3)
	users := []string{fakegraph.LargeUserID(0), fakegraph.LargeUserID(1), fakegraph.LargeUserID(2)}
	claimer := redisCache(t, rs)
	c := sharingReplica(t, srv, redisCache(t, rs), window)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, err := c.Gather(ctx, diagnose.Query{UserID: users[0], AppID: crossApp}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { gatherAll(t, ctx, map[string]*graph.Client{users[2]: c}) })
	short, stop := context.WithTimeout(ctx, time.Second) // offered after 150-300 ms, then given up
	defer stop()
	if _, err := c.Gather(short, diagnose.Query{UserID: users[1], AppID: crossApp}); !errors.Is(err, graph.ErrThrottled) {
		t.Fatalf("a lookup given up while the budget is busy: %v, want ErrThrottled", err)
	}
	time.Sleep(200 * time.Millisecond) // the withdrawal runs in the background
	items, err := claimer.QueueClaim(ctx, crossQueue, 15, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || !strings.HasPrefix(items[0], users[2]+"/") {
		t.Errorf("the queue holds %q, want only the offer of %s, still waited for", items, users[2])
	}
}

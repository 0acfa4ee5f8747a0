package graph_test

import (
	"context"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/logtest"
	"github.com/provbot/provbot/internal/redistest"
	"github.com/provbot/provbot/store/redis"
)

// redisCache opens a store on rs for one replica.
func redisCache(t *testing.T, rs *redistest.Server) *redis.Store {
	t.Helper()
	s, err := redis.Open(t.Context(), rs.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// logRequestsPerUser counts, for each user, the provisioning log requests
// whose filter names them.
func logRequestsPerUser(srv *fakegraph.Server, users []string) map[string]int {
	n := map[string]int{}
	for _, r := range requests(srv, "/auditLogs/provisioning") {
		for _, u := range users {
			if strings.Contains(strings.ToLower(r.Filter), u) {
				n[u]++
			}
		}
	}
	return n
}

// askTogether has two replicas look up each of users at the same moment,
// twice each (while Graph takes 200 ms to answer provisioning logs), and
// returns how many provisioning log requests named each user.
func askTogether(t *testing.T, replicas [2][]graph.Option) map[string]int {
	t.Helper()
	e := newEnv(t, nil, nil, replicas[0]...)
	b := newClient(t, e.srv, e.clock, replicas[1]...)
	e.srv.Fault(fakegraph.Route("GET", "/v1.0/auditLogs/provisioning"), fakegraph.Latency(200*time.Millisecond))
	users := []string{adaID, conanID}
	type answer struct {
		user    string
		entries []diagnose.Entry
		err     error
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		answers []answer
	)
	start := make(chan struct{})
	for _, c := range []*graph.Client{e.client, b, e.client, b} {
		for _, u := range users {
			wg.Go(func() {
				<-start
				in, err := c.Gather(t.Context(), diagnose.Query{UserID: u})
				mu.Lock()
				answers = append(answers, answer{u, in.Entries, err})
				mu.Unlock()
			})
		}
	}
	close(start)
	wg.Wait()
	first := map[string][]diagnose.Entry{}
	for _, a := range answers {
		if a.err != nil {
			t.Fatalf("lookup of %s: %v", a.user, a.err)
		}
		if len(a.entries) == 0 {
			t.Fatalf("%s: no entries; the test needs users with some", a.user)
		}
		if f, ok := first[a.user]; !ok {
			first[a.user] = a.entries
		} else if !reflect.DeepEqual(f, a.entries) {
			t.Errorf("%s: the answers' entries differ:\n%+v\n%+v", a.user, f, a.entries)
		}
	}
	return logRequestsPerUser(e.srv, users)
}

// TestReplicasAskingAboutTheSameUserAtOnceSendOneRequest: two replicas on
// one Redis looking up the same user at the same moment send Graph one
// provisioning log request for that user; without the shared cache they
// send one each.
func TestReplicasAskingAboutTheSameUserAtOnceSendOneRequest(t *testing.T) {
	rs := redistest.Start(t)
	shared := [2][]graph.Option{{graph.WithSharedCache(redisCache(t, rs))}, {graph.WithSharedCache(redisCache(t, rs))}}
	for u, n := range askTogether(t, shared) {
		if n != 1 {
			t.Errorf("sharing a cache: %d provisioning log requests named %s, want 1", n, u)
		}
	}
	for u, n := range askTogether(t, [2][]graph.Option{}) {
		if n != 2 {
			t.Errorf("not sharing: %d provisioning log requests named %s, want 2 (the test cannot tell sharing from not)", n, u)
		}
	}
}

// TestAGroupsAssignmentsReadByOneReplicaAreNotReadAgainByAnother: the
// app role assignments of the groups of a user, read by replica A, are
// taken from the shared cache by replica B within the TTL (and give the
// same answer), and read again after it.
func TestAGroupsAssignmentsReadByOneReplicaAreNotReadAgainByAnother(t *testing.T) {
	rs := redistest.Start(t)
	ttl := 2 * time.Second // Redis expires on its own clock
	opts := func() []graph.Option {
		return []graph.Option{graph.WithSharedCache(redisCache(t, rs)), graph.WithJobCacheTTL(ttl)}
	}
	e := newEnv(t, nil, nil, opts()...)
	b := newClient(t, e.srv, e.clock, opts()...)
	grantReads := func() int {
		n := 0
		for _, r := range e.srv.Requests() {
			if strings.HasPrefix(strings.ToLower(r.Path), "/v1.0/groups/") && strings.HasSuffix(strings.ToLower(r.Path), "/approleassignments") {
				n++
			}
		}
		return n
	}
	q := diagnose.Query{UserID: graceID}
	inA, err := e.client.Gather(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	first := grantReads()
	if first == 0 {
		t.Fatal("replica A read no group's assignments: the test needs a user in groups")
	}
	inB, err := b.Gather(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if n := grantReads(); n != first {
		t.Errorf("replica B read %d groups' assignments again within the TTL, want 0", n-first)
	}
	if !reflect.DeepEqual(inA.Apps, inB.Apps) {
		t.Errorf("the replicas' assignments differ:\nA %+v\nB %+v", inA.Apps, inB.Apps)
	}

	// Past the TTL (Redis' clock and the replicas'), B reads them again.
	time.Sleep(ttl + 100*time.Millisecond)
	e.clock.Advance(ttl + time.Second)
	if _, err := b.Gather(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	if n := grantReads(); n != 2*first {
		t.Errorf("past the TTL replica B read %d groups' assignments, want %d", n-first, first)
	}
}

// TestAMembershipAnswerIsSharedOnlyBetweenReplicasWithTheSameGroups: a
// help-desk answer checked by replica A is reused by B; a replica
// configured with other groups asks Graph itself.
func TestAMembershipAnswerIsSharedOnlyBetweenReplicasWithTheSameGroups(t *testing.T) {
	rs := redistest.Start(t)
	e := newEnv(t, nil, nil, graph.WithSharedCache(redisCache(t, rs)), graph.WithHelpDeskGroups(itSupportID))
	b := newClient(t, e.srv, e.clock, graph.WithSharedCache(redisCache(t, rs)), graph.WithHelpDeskGroups(itSupportID))
	other := newClient(t, e.srv, e.clock, graph.WithSharedCache(redisCache(t, rs)), graph.WithHelpDeskGroups(itSupportID, staffID))
	for i, step := range []struct {
		c        *graph.Client
		want     bool
		requests int // checkMemberGroups requests so far
	}{
		{e.client, true, 1},
		{b, true, 1},
		{other, true, 2},
	} {
		got, err := step.c.IsHelpDesk(t.Context(), graceID)
		if err != nil || got != step.want {
			t.Errorf("step %d: IsHelpDesk = %v, %v; want %v", i, got, err, step.want)
		}
		if n := len(requests(e.srv, "/checkMemberGroups")); n != step.requests {
			t.Errorf("step %d: %d checkMemberGroups requests, want %d", i, n, step.requests)
		}
	}
}

// TestLookupsAnswerWhenRedisStopsMidRun: with Redis gone, lookups go to
// Graph and answer as before, and each failure is a warning in the log.
func TestLookupsAnswerWhenRedisStopsMidRun(t *testing.T) {
	rs := redistest.Start(t)
	var logs logtest.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	e := newEnv(t, nil, nil, graph.WithSharedCache(redisCache(t, rs)), graph.WithHelpDeskGroups(itSupportID),
		graph.WithLogger(logger), graph.WithEntryCacheTTL(0))
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	// Grace is in groups; Ada has provisioning log entries.
	before := map[string]diagnose.Input{}
	for _, u := range []string{graceID, adaID} {
		in, err := e.client.Gather(ctx, diagnose.Query{UserID: u})
		if err != nil {
			t.Fatal(err)
		}
		before[u] = in
	}
	if len(before[adaID].Entries) == 0 || len(before[graceID].Apps) == 0 {
		t.Fatal("the test needs Ada's entries and Grace's apps")
	}
	rs.Stop()
	e.clock.Advance(10 * time.Minute) // past every cache of the client
	for _, q := range []diagnose.Query{{UserID: graceID}, {UserID: adaID}, {UserID: adaID, Refresh: true}} {
		in, err := e.client.Gather(ctx, q)
		if err != nil {
			t.Fatalf("Gather(%+v) with Redis stopped: %v", q, err)
		}
		if want := before[q.UserID]; !reflect.DeepEqual(in.Entries, want.Entries) || !reflect.DeepEqual(in.Apps, want.Apps) {
			t.Errorf("Gather(%+v) with Redis stopped: %d entries and apps %+v, want %d and %+v",
				q, len(in.Entries), in.Apps, len(want.Entries), want.Apps)
		}
	}
	if ok, err := e.client.IsHelpDesk(ctx, graceID); err != nil || !ok {
		t.Errorf("IsHelpDesk with Redis stopped = %v, %v; want true", ok, err)
	}
	for _, msg := range []string{
		"coalesce a provisioning log lookup with other replicas; asking Graph alone",
		"read the shared cache; asking Graph instead",
	} {
		// Every failure on the client's clock, which stood still: one
		// warning each, the others left out.
		recs := logs.Records(msg)
		if len(recs) != 1 || recs[0]["level"] != "WARN" {
			t.Errorf("want one warning %q in the log; it has:\n%s", msg, logs.String())
		}
	}
}

func TestWithSharedCacheRefusesNil(t *testing.T) {
	if _, err := graph.NewUnauthenticated("http://127.0.0.1:1/v1.0", graph.WithSharedCache(nil)); err == nil {
		t.Error("nil shared cache accepted")
	}
}

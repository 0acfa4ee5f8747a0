package graph_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// factObserver records the facts a lookup could not read.
type factObserver struct {
	observer
	mu      sync.Mutex
	skipped []string // "fact reason"
}

func (o *factObserver) ObserveSkippedFact(f diagnose.Fact, why diagnose.Unread) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.skipped = append(o.skipped, string(f)+" "+string(why))
}

// TestUnreadMembershipDateStaysUnknown: when the reporting budget has no
// slot for the membership audit lookup before the lookup's deadline, Emily's group
// membership date stays unknown (not "long ago"), the skipped fact is
// counted and logged at info, and the answer says what it depends on
// instead of calling her not effectively entitled.
func TestUnreadMembershipDateStaysUnknown(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	tenant, err := fakegraph.DemoTenant(now)
	if err != nil {
		t.Fatal(err)
	}
	srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithNow(func() time.Time { return now }), fakegraph.WithThrottle(0, 0))
	obs := &factObserver{}
	var logs strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// A budget of one request per window: the provisioning logs take it,
	// and the audit lookup would wait for the next window, beyond the
	// lookup's deadline.
	c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", graph.WithLogger(logger), graph.WithObserver(obs),
		graph.WithNow(func() time.Time { return now }), graph.WithReportBudget(1, 10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	const emily, serviceNow = "009bc394-7e3c-5d0f-b3fc-81fc921b6030", "79867c67-c485-5f9f-8ac7-e327ede941e0"
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	in, err := c.Gather(ctx, diagnose.Query{UserID: emily, AppID: serviceNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Apps) != 1 {
		t.Fatalf("%d apps", len(in.Apps))
	}
	if why, ok := in.Apps[0].Unknown.Has(diagnose.FactAssignmentSince); !ok || why != diagnose.UnreadBudget {
		t.Fatalf("assignment date unknowns %v, want budget", in.Apps[0].Unknown)
	}
	obs.mu.Lock()
	skipped := strings.Join(obs.skipped, ",")
	obs.mu.Unlock()
	if !strings.Contains(skipped, "assignment-since budget") {
		t.Errorf("observer saw %q", skipped)
	}
	mu.Lock()
	logged := logs.String()
	mu.Unlock()
	if !strings.Contains(logged, "level=INFO") || !strings.Contains(logged, "fact=assignment-since") || !strings.Contains(logged, "reason=budget") {
		t.Errorf("no info log line for the skipped fact:\n%s", logged)
	}
	for _, aud := range []diagnose.Audience{diagnose.HelpDesk, diagnose.EndUser} {
		in.Audience = aud
		d := diagnose.Diagnose(in, now)[0]
		if d.RuleID != "S01u" || d.Category != diagnose.PendingNextCycle {
			t.Errorf("%s: %s / %s, want S01u / pending-next-cycle: %s", aud, d.RuleID, d.Category, d.Explanation)
		}
		if aud == diagnose.HelpDesk && !strings.Contains(d.Explanation, "the reporting budget was used up") {
			t.Errorf("the answer does not say why the date is unknown: %s", d.Explanation)
		}
		for _, v := range diagnose.CheckInvariants(in, d, now) {
			t.Errorf("%s: %s", aud, v)
		}
	}
}

// lockedWriter serialises writes to a builder.
type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

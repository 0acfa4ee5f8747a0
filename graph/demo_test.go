package graph_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// TestDemoTenantStoriesThroughAdapterAndEngine asserts every story of the
// demo tenant end to end: the fake Graph serves the demo tenant, the real
// adapter gathers each user's facts through the SDK, and the real engine
// gives the category (and rule) the cast promises. This is what a newcomer
// sees in `provbot demo`. Every answer keeps the diagnosis invariants.
func TestDemoTenantStoriesThroughAdapterAndEngine(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	tenant, err := fakegraph.DemoTenant(now)
	if err != nil {
		t.Fatal(err)
	}
	// The throttle is the subject of other tests; here every story gets
	// its audit lookups (group membership dates) without waiting.
	srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithNow(func() time.Time { return now }), fakegraph.WithThrottle(0, 0))
	c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", graph.WithLogger(slog.New(slog.DiscardHandler)),
		graph.WithNow(func() time.Time { return now }), graph.WithReportBudget(1000, 10*time.Second),
		graph.WithHelpDeskGroups(fakegraph.DemoHelpDeskGroupID))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, x := range fakegraph.DemoExpectations() {
		t.Run(x.DisplayName+" in "+x.App, func(t *testing.T) {
			in, err := c.Gather(t.Context(), diagnose.Query{UserID: x.UserID, AppID: x.AppID})
			if err != nil {
				t.Fatalf("Gather: %v", err)
			}
			for _, aud := range []diagnose.Audience{diagnose.HelpDesk, diagnose.EndUser} {
				in.Audience = aud
				var got *diagnose.Diagnosis
				ds := diagnose.Diagnose(in, now)
				for _, d := range ds {
					for _, v := range diagnose.CheckInvariants(in, d, now) {
						t.Errorf("%s, %s: invariant broken (rule %s): %s", aud, d.App.Name, d.RuleID, v)
					}
				}
				for i := range ds {
					if ds[i].App.ServicePrincipalID == x.AppID {
						got = &ds[i]
					}
				}
				if got == nil {
					t.Fatalf("%s: no diagnosis for %s among %d", aud, x.App, len(ds))
				}
				if string(got.Category) != x.Category || x.RuleID != "" && got.RuleID != x.RuleID {
					t.Errorf("%s: %s / %s, want %s / %s (%s)\n%s", aud, got.RuleID, got.Category, x.RuleID, x.Category, x.Signal, got.Explanation)
				}
			}
			seen[x.Category] = true
		})
	}
	// The group stories, as the help desk asks them.
	for _, g := range fakegraph.DemoGroupStories() {
		t.Run("group "+g.Name+" in "+g.App, func(t *testing.T) {
			groups, err := c.ResolveGroup(t.Context(), "the "+g.Name+" group")
			if err != nil || len(groups) != 1 || groups[0].ObjectID != g.GroupID {
				t.Fatalf("ResolveGroup: %v %+v", err, groups)
			}
			in, err := c.Gather(t.Context(), diagnose.Query{GroupID: g.GroupID, AppID: g.AppID})
			if err != nil {
				t.Fatalf("Gather: %v", err)
			}
			ds := diagnose.Diagnose(in, now)
			if len(ds) != 1 || string(ds[0].Category) != g.Category || ds[0].RuleID != g.RuleID {
				t.Fatalf("diagnoses %+v, want %s / %s", ds, g.RuleID, g.Category)
			}
			if d := ds[0]; !strings.Contains(d.Headline, "the Sales group") || d.User.Type != diagnose.SubjectGroup {
				t.Errorf("the answer does not speak of the group: %s", d.Headline)
			}
			for _, v := range diagnose.CheckInvariants(in, ds[0], now) {
				t.Errorf("invariant broken: %s", v)
			}
		})
	}

	// Every app of every cast member, as "check my accounts" asks.
	asked := map[string]bool{}
	for _, x := range fakegraph.DemoExpectations() {
		if asked[x.UserID] {
			continue
		}
		asked[x.UserID] = true
		in, err := c.Gather(t.Context(), diagnose.Query{UserID: x.UserID})
		if err != nil {
			t.Errorf("%s, every app: Gather: %v", x.DisplayName, err)
			continue
		}
		for _, aud := range []diagnose.Audience{diagnose.HelpDesk, diagnose.EndUser} {
			in.Audience = aud
			for _, d := range diagnose.Diagnose(in, now) {
				for _, v := range diagnose.CheckInvariants(in, d, now) {
					t.Errorf("%s, every app, %s, %s: invariant broken (rule %s): %s", x.DisplayName, aud, d.App.Name, d.RuleID, v)
				}
			}
		}
	}
	for _, cat := range diagnose.Categories() {
		if !seen[string(cat)] {
			t.Errorf("no demo story produces %s", cat)
		}
	}
}

// TestDemoHelpDeskAgentIsOnTheHelpDesk checks the demo's authorization
// story through the adapter: the help-desk agents are, the others are not.
func TestDemoHelpDeskAgentIsOnTheHelpDesk(t *testing.T) {
	now := time.Now().UTC()
	tenant, err := fakegraph.DemoTenant(now)
	if err != nil {
		t.Fatal(err)
	}
	srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
	c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", graph.WithLogger(slog.New(slog.DiscardHandler)),
		graph.WithHelpDeskGroups(fakegraph.DemoHelpDeskGroupID))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range fakegraph.DemoCast() {
		if m.ObjectID == "" {
			continue
		}
		want := m.Role == fakegraph.RoleHelpDesk
		got, err := c.IsHelpDesk(t.Context(), m.ObjectID)
		if err != nil {
			// A deleted cast member cannot be asked about.
			continue
		}
		if got != want {
			t.Errorf("%s: help desk %v, want %v", m.DisplayName, got, want)
		}
	}
}

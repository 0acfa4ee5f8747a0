package graph_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

func TestGatherWorksOutHowEachUserIsAssigned(t *testing.T) {
	now := testNow()
	for _, tc := range []struct {
		name    string
		user    string
		app     string
		want    *diagnose.Assignment
		inScope int // counted only while a job is in its initial cycle (Box)
	}{
		{"directly, with a named role", adaID, salesforceID, &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-30 * 24 * time.Hour),
			RoleID: "0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f", RoleName: "Standard User", Scope: diagnose.ScopeAssigned, SkipOutOfScopeDeletions: true}, 0},
		{"through a group joined after it was assigned", alanID, salesforceID, &diagnose.Assignment{Kind: diagnose.AssignmentGroup, Since: now.Add(-48 * time.Hour),
			Group: "Sales", RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access", Scope: diagnose.ScopeAssigned, SkipOutOfScopeDeletions: true}, 0},
		{"only through a nested group", bobID, boxID, &diagnose.Assignment{Kind: diagnose.AssignmentNestedGroupOnly,
			Group: "All Staff", ViaGroup: "Team Blue", Path: []string{"Team Blue"}, RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access", Scope: diagnose.ScopeAll}, 1},
		{"just assigned, scope unreadable", ninaID, serviceNowID, &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-5 * time.Minute),
			RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access"}, 0},
		{"not at all", zoeID, salesforceID, &diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: diagnose.ScopeAssigned, SkipOutOfScopeDeletions: true}, 0},
		{"an app without provisioning", adaID, dropboxID, &diagnose.Assignment{Kind: diagnose.AssignmentNone}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, nil)
			if err := e.client.Warm(t.Context()); err != nil {
				t.Fatal(err)
			}
			in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: tc.user, AppID: tc.app})
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Apps) != 1 || !strings.EqualFold(in.Apps[0].ID, tc.app) {
				t.Fatalf("apps = %+v", in.Apps)
			}
			app := in.Apps[0]
			if diff := cmp.Diff(tc.want, app.Assignment); diff != "" {
				t.Errorf("assignment (-want +got):\n%s", diff)
			}
			if app.InScope != tc.inScope || !app.JobsKnown {
				t.Errorf("InScope %d (want %d), JobsKnown %v", app.InScope, tc.inScope, app.JobsKnown)
			}
			for _, en := range in.Entries {
				if !strings.EqualFold(en.ServicePrincipal.ID, tc.app) || en.Source.ID != tc.user {
					t.Errorf("entry %s is about %s in %s", en.ID, en.Source.ID, en.ServicePrincipal.ID)
				}
			}
		})
	}
}

func TestGatherCollectsTheUserEntriesAndJobs(t *testing.T) {
	e := newEnv(t, nil, nil)
	in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: adaID, AppID: salesforceID})
	if err != nil {
		t.Fatal(err)
	}
	if in.User == nil || in.User.UPN != "ada@contoso.com" {
		t.Errorf("user = %+v", in.User)
	}
	var ids []string
	for _, en := range in.Entries {
		ids = append(ids, en.ID)
	}
	if want := []string{"p-ada-update", "p-ada-create"}; !slices.Equal(ids, want) {
		t.Errorf("entries = %v, want %v (newest first)", ids, want)
	}
	app := in.Apps[0]
	if app.Name != "Salesforce" || len(app.Jobs) != 1 || app.Jobs[0].Status.Code != diagnose.StatusActive || app.Jobs[0].Schedule.Interval != 40*time.Minute {
		t.Errorf("app = %+v", app)
	}
	// What the engine makes of it: the failure was resolved by the update.
	if ds := diagnose.Diagnose(in, testNow()); len(ds) != 1 {
		t.Errorf("diagnoses = %d", len(ds))
	}
}

func TestGatherForEveryAppListsTheRelevantOnes(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, tc := range []struct {
		user string
		want []string
	}{
		{adaID, []string{"Box", "Salesforce"}},                // direct; Box syncs everyone
		{alanID, []string{"Box", "Salesforce", "ServiceNow"}}, // group; Box; entries in ServiceNow
		{bobID, []string{"Box"}},                              // nested only
		{conanID, []string{"Box", "Slack"}},                   // entries in Slack
		{ninaID, []string{"Box", "ServiceNow"}},               // just assigned
	} {
		in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: tc.user})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range in.Apps {
			names = append(names, a.Name)
		}
		if !slices.Equal(names, tc.want) {
			t.Errorf("user %s: apps %v, want %v", tc.user, names, tc.want)
		}
	}
}

func TestGatherExplainsADeletedUser(t *testing.T) {
	e := newEnv(t, nil, nil)
	in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: deletedID, AppID: salesforceID})
	if err != nil {
		t.Fatal(err)
	}
	if !in.User.SoftDeleted || !in.User.DeletedAt.Equal(testNow().Add(-48*time.Hour)) {
		t.Errorf("user = %+v", in.User)
	}
	if len(in.Entries) != 1 || in.Entries[0].Action != diagnose.ActionDisable {
		t.Errorf("entries = %+v", in.Entries)
	}
}

func TestGatherRefusesAndReports(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, tc := range []struct {
		name string
		q    diagnose.Query
		kind error
	}{
		{"a UPN instead of an object id", diagnose.Query{UserID: "ada@contoso.com"}, graph.ErrInvalid},
		{"an app name instead of an id", diagnose.Query{UserID: adaID, AppID: "Salesforce"}, graph.ErrInvalid},
		{"an injection", diagnose.Query{UserID: adaID + "' or 'a' eq 'a"}, graph.ErrInvalid},
		{"a user nobody knows", diagnose.Query{UserID: "12345678-1234-4234-8234-123456789012"}, graph.ErrNotFound},
		{"an app nobody knows", diagnose.Query{UserID: adaID, AppID: "12345678-1234-4234-8234-123456789012"}, graph.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.client.Gather(t.Context(), tc.q)
			if !errors.Is(err, tc.kind) {
				t.Errorf("error = %v, want %v", err, tc.kind)
			}
		})
	}
}

func TestGatherDegradesWhenAssignmentFactsAreUnreadable(t *testing.T) {
	tenant := loadTenant(t)
	tenant.Deny("GroupMember.Read.All", "Synchronization.Read.All")
	e := newEnv(t, tenant, nil)
	in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: alanID, AppID: salesforceID})
	if err != nil {
		t.Fatalf("Gather failed instead of degrading: %v", err)
	}
	app := in.Apps[0]
	if app.JobsKnown || app.Assignment != nil {
		t.Errorf("app = %+v, assignment %+v; want jobs and assignment unknown", app, app.Assignment)
	}
	in, err = e.client.Gather(t.Context(), diagnose.Query{UserID: adaID, AppID: salesforceID})
	if err != nil {
		t.Fatal(err)
	}
	if a := in.Apps[0].Assignment; a == nil || a.Kind != diagnose.AssignmentDirect {
		t.Errorf("a direct assignment needs no group facts: %+v", a)
	}
}

func TestGatherLeavesTheMembershipDateUnknownWhenTheAuditLogIsUnreadable(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.srv.Fault(fakegraph.Route("GET", "/v1.0/auditLogs/directoryAudits"), fakegraph.Status(500))
	in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: alanID, AppID: salesforceID})
	if err != nil {
		t.Fatal(err)
	}
	if a := in.Apps[0].Assignment; a.Kind != diagnose.AssignmentGroup || !a.Since.IsZero() {
		t.Errorf("assignment = %+v, want a group assignment with an unknown date", a)
	}
	if n := len(requests(e.srv, "/directoryAudits")); n != 1 {
		t.Errorf("%d audit requests: a best-effort lookup must not be retried", n)
	}
}

func TestGatherUsesCachesUnlessRefreshed(t *testing.T) {
	e := newEnv(t, nil, nil)
	q := diagnose.Query{UserID: adaID, AppID: salesforceID}
	count := func() (logs, jobs int) {
		return len(requests(e.srv, "/auditLogs/provisioning")), len(requests(e.srv, "/synchronization/jobs"))
	}
	for range 3 {
		if _, err := e.client.Gather(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	if logs, jobs := count(); logs != 1 || jobs != 1 {
		t.Errorf("three lookups within a minute: %d log and %d job requests, want 1 and 1", logs, jobs)
	}
	q.Refresh = true
	if _, err := e.client.Gather(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	if logs, jobs := count(); logs != 2 || jobs != 2 {
		t.Errorf("a refresh: %d log and %d job requests, want 2 and 2", logs, jobs)
	}
	q.Refresh = false
	e.clock.Advance(61 * time.Second)
	if _, err := e.client.Gather(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	if logs, jobs := count(); logs != 3 || jobs != 3 {
		t.Errorf("after the TTL: %d log and %d job requests, want 3 and 3", logs, jobs)
	}
	// Every app's entries, once complete, answer one app's lookup.
	if _, err := e.client.Gather(t.Context(), diagnose.Query{UserID: alanID}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.Gather(t.Context(), diagnose.Query{UserID: alanID, AppID: serviceNowID}); err != nil {
		t.Fatal(err)
	}
	if logs, _ := count(); logs != 4 {
		t.Errorf("%d log requests, want 4", logs)
	}
}

func TestALookupCostsOneRoundTripPerDependentWave(t *testing.T) {
	// With every request answered after exactly one round trip, in a
	// synctest bubble where only waits take time, the duration of a
	// lookup is its number of sequential waves, exactly.
	const rt = 100 * time.Millisecond
	for _, tc := range []struct {
		name  string
		run   func(ctx context.Context, c *graph.Client) error
		waves int
	}{
		{"by object id, one app assigned directly", func(ctx context.Context, c *graph.Client) error {
			_, err := c.Gather(ctx, diagnose.Query{UserID: adaID, AppID: salesforceID, Refresh: true})
			return err
		}, 1},
		{"by object id, every app: the groups' assignments follow the groups", func(ctx context.Context, c *graph.Client) error {
			_, err := c.Gather(ctx, diagnose.Query{UserID: adaID, Refresh: true})
			return err
		}, 2},
		{"by object id, every app, asked again within a minute (cached groups and entries)", func(ctx context.Context, c *graph.Client) error {
			_, err := c.Gather(ctx, diagnose.Query{UserID: adaID})
			return err
		}, 1},
		{"by UPN with Lookup, one app: logs wait for the object id", func(ctx context.Context, c *graph.Client) error {
			_, _, err := c.Lookup(ctx, "ada@contoso.com", diagnose.Query{AppID: salesforceID, Refresh: true})
			return err
		}, 2},
		{"by UPN with Lookup, every app", func(ctx context.Context, c *graph.Client) error {
			_, _, err := c.Lookup(ctx, "ada@contoso.com", diagnose.Query{Refresh: true})
			return err
		}, 2},
		{"by UPN, resolve then Gather (what Lookup saves)", func(ctx context.Context, c *graph.Client) error {
			users, err := c.ResolveUser(ctx, "ada@contoso.com")
			if err != nil {
				return err
			}
			_, err = c.Gather(ctx, diagnose.Query{UserID: users[0].ObjectID, Refresh: true})
			return err
		}, 3},
		{"a group member with no entry yet: the join date is read after", func(ctx context.Context, c *graph.Client) error {
			_, err := c.Gather(ctx, diagnose.Query{UserID: alanID, AppID: salesforceID, Refresh: true})
			return err
		}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, c := newInProcess(t, loadTenant(t), []fakegraph.Option{fakegraph.WithThrottle(0, 0)})
				if err := c.Warm(t.Context()); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(tc.name, "asked again") {
					if _, err := c.Gather(t.Context(), diagnose.Query{UserID: adaID}); err != nil {
						t.Fatal(err)
					}
				}
				withLatency(srv, rt)
				began := time.Now()
				if err := tc.run(t.Context(), c); err != nil {
					t.Fatal(err)
				}
				if got := time.Since(began); got != time.Duration(tc.waves)*rt {
					t.Errorf("took %v, want %d round trips of %v", got, tc.waves, rt)
				}
			})
		})
	}
}

func TestTheAuditLogIsReadOnlyWhenTheJoinDateMatters(t *testing.T) {
	now := testNow()
	for _, tc := range []struct {
		name   string
		user   string
		fault  bool
		audits int
		since  time.Time
	}{
		{"assigned directly", adaID, false, 0, now.Add(-30 * 24 * time.Hour)},
		{"not assigned", zoeID, false, 0, time.Time{}},
		{"through a group, no entry yet", alanID, false, 1, now.Add(-48 * time.Hour)},
		{"through a group, the audit log unreadable: unknown, not older", alanID, true, 1, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, nil, graph.WithReportBudget(5, 10*time.Second))
			if tc.fault {
				e.srv.Fault(fakegraph.Route("GET", "/v1.0/auditLogs/directoryAudits"), fakegraph.Status(403))
			}
			in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: tc.user, AppID: salesforceID})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(requests(e.srv, "/directoryAudits")); n != tc.audits {
				t.Errorf("%d audit requests, want %d", n, tc.audits)
			}
			if a := in.Apps[0].Assignment; a == nil || !a.Since.Equal(tc.since) {
				t.Errorf("assignment = %+v, want since %v", a, tc.since)
			}
		})
	}
}

func TestSecretsNeverReachLogsOrErrors(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, nil, nil, graph.WithLogger(logger))
	if _, err := e.client.Gather(t.Context(), diagnose.Query{UserID: adaID}); err != nil {
		t.Fatal(err)
	}
	e.srv.Fault(fakegraph.Route("GET", "/beta/*/*/*/*"), fakegraph.Status(500))
	if _, err := e.client.Gather(t.Context(), diagnose.Query{UserID: adaID, Refresh: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "s3cr3t") || strings.Contains(buf.String(), "contoso.my.salesforce.com") {
		t.Errorf("a synchronization secret reached the log:\n%s", buf.String())
	}
}

func TestGatherForOneAppNeedsNoApplicationPermission(t *testing.T) {
	tenant := loadTenant(t)
	tenant.Deny("Application.Read.All")
	e := newEnv(t, tenant, nil)
	in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: adaID, AppID: salesforceID})
	if err != nil {
		t.Fatalf("Gather failed instead of degrading: %v", err)
	}
	app := in.Apps[0]
	if app.Name != "Salesforce" || !app.JobsKnown || app.InScope != 0 {
		t.Errorf("app = %+v", app)
	}
	if a := app.Assignment; a == nil || a.Kind != diagnose.AssignmentDirect || a.RoleName != "" {
		t.Errorf("assignment = %+v, want direct with the role unnamed", a)
	}
	if _, err := e.client.Gather(t.Context(), diagnose.Query{UserID: adaID}); !errors.Is(err, graph.ErrForbidden) {
		t.Errorf("every app without Application.Read.All: %v, want ErrForbidden", err)
	}
}

package workspace_test

import (
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/workspace"
	"github.com/provbot/provbot/workspace/lafake"
)

// salesforceApp is the app as Graph gathers it: an Active job and the
// user's assignment.
func salesforceApp(assignedAgo time.Duration) diagnose.App {
	return diagnose.App{ID: sf.ID, Name: sf.Name, JobsKnown: true, Jobs: []diagnose.Job{{
		ID: sf.JobID, Schedule: diagnose.Schedule{Interval: 40 * time.Minute, State: diagnose.ScheduleActive, RawState: "Active"},
		Status: diagnose.JobStatus{Code: diagnose.StatusActive, RawCode: "Active",
			SteadyStateFirstAchieved: now.Add(-400 * day), SteadyStateLastAchieved: now.Add(-10 * time.Minute),
			LastExecution: &diagnose.Execution{Began: now.Add(-12 * time.Minute), Ended: now.Add(-10 * time.Minute),
				State: diagnose.ExecutionSucceeded, RawState: "Succeeded"}},
	}}, Assignment: &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-assignedAgo), Scope: diagnose.ScopeAssigned}}
}

func adeleUser() *diagnose.User {
	return &diagnose.User{ObjectID: adele.ObjectID, UPN: adele.UPN, DisplayName: adele.Name, Mail: adele.UPN, Enabled: true}
}

func TestNeededSaysWhenGraphCannotExplain(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   diagnose.Input
		q    diagnose.Query
		want string // the reason, "" when not needed
	}{
		{name: "no entry in Graph's 30 days", in: diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(95 * day)}},
			want: "no entry in Graph's 30 days"},
		{name: "Graph shows the account being made: nothing more needed",
			in: diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(20 * day)}, Entries: []diagnose.Entry{made(adele, sf, 19*day)}}},
		{name: "assigned long ago and Graph shows only updates: how the account was made is older",
			in: diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(200 * day)},
				Entries: []diagnose.Entry{made(adele, sf, 3*day, func(e *diagnose.Entry) { e.Action, e.RawAction = diagnose.ActionUpdate, "update" })}},
			want: "before Graph's 30 days, and no entry shows the account being made"},
		{name: "assigned recently and Graph shows only updates: Graph explains it",
			in: diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(10 * day)},
				Entries: []diagnose.Entry{made(adele, sf, 3*day, func(e *diagnose.Entry) { e.Action, e.RawAction = diagnose.ActionUpdate, "update" })}}},
		{name: "the question names a date before Graph's 30 days",
			in: diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(20 * day)}, Entries: []diagnose.Entry{made(adele, sf, 19*day)}},
			q:  diagnose.Query{Since: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}, want: "the question is about 1 Mar 2026"},
		{name: "a shorter retention (7 days without Entra ID P1/P2) counts",
			in: diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(20 * day)}, Retention: 7 * day,
				Entries: []diagnose.Entry{made(adele, sf, 3*day, func(e *diagnose.Entry) { e.Action, e.RawAction = diagnose.ActionUpdate, "update" })}},
			want: "before Graph's 7 days"},
		{name: "another app asked about", in: diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(95 * day)}},
			q: diagnose.Query{AppID: "00000000-0000-0000-0000-000000000009"}},
		{name: "a group's entries do not count as the user's",
			in: diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(95 * day)},
				Entries: []diagnose.Entry{made(adele, sf, 2*day, func(e *diagnose.Entry) { e.Source.Type = "Group" })}},
			want: "no entry in Graph's 30 days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			needs := workspace.Needed(tc.in, tc.q, now)
			switch {
			case tc.want == "" && len(needs) != 0:
				t.Errorf("needed: %+v", needs)
			case tc.want != "" && (len(needs) != 1 || !strings.Contains(needs[0].Reason, tc.want) || needs[0].AppID != sf.ID):
				t.Errorf("needs %+v, want one for Salesforce saying %q", needs, tc.want)
			}
		})
	}
}

func TestMergeKeepsGraphsCopyAndRecordsTheSearch(t *testing.T) {
	recent := made(adele, sf, 3*day, func(e *diagnose.Entry) { e.Action, e.RawAction = diagnose.ActionUpdate, "update" })
	dup := recent
	dup.Origin, dup.RawStatus = diagnose.OriginWorkspace, "Success"
	older := made(adele, sf, 200*day)
	older.Origin = diagnose.OriginWorkspace
	other := made(adele, lafake.App{ID: "other-app", Name: "Other"}, 100*day)
	other.Origin = diagnose.OriginWorkspace
	res := workspace.Result{Entries: []diagnose.Entry{dup, older, other}, Since: now.Add(-365 * day)}

	t.Run("auto: the workspace fills in the apps that need it, once each", func(t *testing.T) {
		in := diagnose.Input{User: adeleUser(), Entries: []diagnose.Entry{recent}}
		workspace.Merge(&in, res, []string{sf.ID}, workspace.ModeAuto)
		if len(in.Entries) != 2 || in.Entries[0].Origin != diagnose.OriginGraph || in.Entries[1].ID != older.ID {
			t.Errorf("entries %+v", in.Entries)
		}
		if a := in.Archive; a == nil || a.Origin != diagnose.OriginWorkspace || len(a.Apps) != 1 || !a.Since.Equal(res.Since) {
			t.Errorf("archive %+v", in.Archive)
		}
	})
	t.Run("workspace only: Graph's entries are left out", func(t *testing.T) {
		in := diagnose.Input{User: adeleUser(), Entries: []diagnose.Entry{recent}}
		workspace.Merge(&in, res, nil, workspace.ModeWorkspace)
		for _, e := range in.Entries {
			if e.Origin != diagnose.OriginWorkspace {
				t.Errorf("a Graph entry stayed: %+v", e)
			}
		}
		if len(in.Entries) != 3 || len(in.Archive.Apps) != 0 {
			t.Errorf("%d entries, archive %+v", len(in.Entries), in.Archive)
		}
	})
	t.Run("a truncated search says older entries may be missing", func(t *testing.T) {
		in := diagnose.Input{User: adeleUser()}
		r := res
		r.Truncated = true
		workspace.Merge(&in, r, nil, workspace.ModeBoth)
		if !strings.Contains(in.Archive.Partial, "only the newest 3 entries") {
			t.Errorf("archive %+v", in.Archive)
		}
	})
}

func TestAddHistoryAnswersWithOlderEntriesAndNamesTheirSource(t *testing.T) {
	lookup := func(t *testing.T, rows []lafake.Row, mode workspace.Mode, fopts ...lafake.Option) (diagnose.Diagnosis, *lafake.Server) {
		t.Helper()
		fake, c := startFake(t, rows, fopts)
		in := diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(95 * day)}}
		if err := c.AddHistory(t.Context(), &in, diagnose.Query{UserID: adele.ObjectID}, mode); err != nil {
			t.Fatal(err)
		}
		ds := diagnose.Diagnose(in, now)
		if len(ds) != 1 {
			t.Fatalf("%d diagnoses", len(ds))
		}
		return ds[0], fake
	}
	notes := func(d diagnose.Diagnosis) string {
		var b strings.Builder
		for _, n := range d.Notes {
			b.WriteString(n.Text + "\n")
		}
		return b.String()
	}
	t.Run("the only entries are 90 days old: provisioned, from the workspace, 3 months ago", func(t *testing.T) {
		d, _ := lookup(t, history(adele, sf, made(adele, sf, 90*day)), workspace.ModeAuto)
		if d.Category != diagnose.Provisioned || d.Source == nil || d.Source.Text != "from the Log Analytics workspace, 3 months ago" {
			t.Fatalf("%s (%s): source %+v", d.Category, d.RuleID, d.Source)
		}
		if !strings.Contains(notes(d), "Evidence from the Log Analytics workspace") {
			t.Errorf("notes:\n%s", notes(d))
		}
	})
	t.Run("nothing in the workspace either: no logs, and it says how far back it looked", func(t *testing.T) {
		d, _ := lookup(t, history(bob, sf, made(bob, sf, 200*day)), workspace.ModeAuto)
		if d.Category != diagnose.NoLogs || !strings.Contains(notes(d), "has no entries for Adele Vance in Salesforce either, back to") {
			t.Errorf("%s: notes:\n%s", d.Category, notes(d))
		}
	})
	t.Run("the workspace throttles: the answer rests on Graph and says when to try again", func(t *testing.T) {
		fake, c := startFake(t, history(adele, sf, made(adele, sf, 90*day)), []lafake.Option{lafake.WithThrottle(1, time.Minute)})
		if _, err := c.Coverage(t.Context()); err != nil { // spends the one request of the window
			t.Fatal(err)
		}
		in := diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(95 * day)}}
		if err := c.AddHistory(t.Context(), &in, diagnose.Query{UserID: adele.ObjectID}, workspace.ModeAuto); err != nil {
			t.Fatal(err)
		}
		d := diagnose.Diagnose(in, now)[0]
		if d.Category != diagnose.NoLogs || !strings.Contains(notes(d), "the workspace asked provbot to slow down; try again in 60 seconds") {
			t.Errorf("%s: notes:\n%s", d.Category, notes(d))
		}
		if got := fake.Requests()[1].Status; got != 429 {
			t.Errorf("status %d", got)
		}
	})
	t.Run("the workspace cannot be read: no logs, and the note says it could not look further", func(t *testing.T) {
		fake, c := startFake(t, history(adele, sf, made(adele, sf, 90*day)), nil)
		fake.Deny(wsID)
		in := diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(95 * day)}}
		if err := c.AddHistory(t.Context(), &in, diagnose.Query{UserID: adele.ObjectID}, workspace.ModeAuto); err != nil {
			t.Fatalf("auto mode goes on without the workspace: %v", err)
		}
		ds := diagnose.Diagnose(in, now)
		if ds[0].Category != diagnose.NoLogs || !strings.Contains(notes(ds[0]), "provbot lacks the Log Analytics Reader role on the workspace") {
			t.Errorf("%s: notes:\n%s", ds[0].Category, notes(ds[0]))
		}
		in = diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(95 * day)}}
		if err := c.AddHistory(t.Context(), &in, diagnose.Query{UserID: adele.ObjectID}, workspace.ModeWorkspace); err == nil {
			t.Error("asked for the workspace only, a failure must be an error")
		}
	})
	t.Run("Graph explains it: the workspace is not asked", func(t *testing.T) {
		fake, c := startFake(t, nil, nil)
		in := diagnose.Input{User: adeleUser(), Apps: []diagnose.App{salesforceApp(20 * day)}, Entries: []diagnose.Entry{made(adele, sf, 19*day)}}
		if err := c.AddHistory(t.Context(), &in, diagnose.Query{UserID: adele.ObjectID}, workspace.ModeAuto); err != nil || in.Archive != nil {
			t.Fatalf("err %v, archive %+v", err, in.Archive)
		}
		if n := len(fake.Requests()); n != 0 {
			t.Errorf("%d requests", n)
		}
	})
}

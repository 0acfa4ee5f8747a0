package diagnose_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// fromWorkspace marks an entry as read from the Log Analytics workspace.
func fromWorkspace(e *diagnose.Entry) { e.Origin = diagnose.OriginWorkspace }

// withArchive adds the archive search to an input.
func withArchive(in func() diagnose.Input, a diagnose.Archive) func() diagnose.Input {
	return func() diagnose.Input {
		i := in()
		i.Archive = &a
		return i
	}
}

func TestOriginNotes(t *testing.T) {
	day := 24 * time.Hour
	healthy := job()
	longAgo := &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-120 * day), Scope: diagnose.ScopeAssigned}
	searched := diagnose.Archive{Origin: diagnose.OriginWorkspace, Since: now.Add(-365 * day)}
	runRuleCases(t, []ruleCase{
		{
			name:     "the only entry is three months old and comes from the workspace: the account was made, and the answer says where from",
			in:       withArchive(appWith(&healthy, longAgo, entry(90*day, fromWorkspace)), searched),
			wantRule: "M01", wantCategory: diagnose.Provisioned, wantNotes: []string{"W01"},
			wantHelpDesk: []string{"created Adele Vance in Salesforce"},
		},
		{
			name: "nothing in Graph's 30 days nor in the workspace's year: no logs, and the workspace was searched too",
			in:   withArchive(appWith(&healthy, longAgo), searched),
			// The verdict stays what Graph alone gives; the note adds the workspace.
			wantRule: "L01", wantCategory: diagnose.NoLogs, wantNotes: []string{"W02"},
		},
		{
			name: "the workspace answered in part: the found entry decides, with a warning that older ones may be missing",
			in: withArchive(appWith(&healthy, longAgo, entry(70*day, fromWorkspace)),
				diagnose.Archive{Origin: diagnose.OriginWorkspace, Partial: "the result exceeded the service's record limit"}),
			wantRule: "M01", wantCategory: diagnose.Provisioned, wantNotes: []string{"W01", "W03"},
		},
		{
			name: "the workspace could not be read: the answer rests on Graph and says so",
			in: withArchive(appWith(&healthy, longAgo),
				diagnose.Archive{Origin: diagnose.OriginWorkspace, Failed: "the workspace asked provbot to slow down"}),
			wantRule: "L01", wantCategory: diagnose.NoLogs, wantNotes: []string{"W04"},
		},
	})
}

func TestOriginIsNamedWithTheEntrysAge(t *testing.T) {
	day := 24 * time.Hour
	healthy := job()
	for _, tc := range []struct {
		name      string
		in        diagnose.Input
		want      *diagnose.Source
		wantNotes []string
		noNotes   []string
	}{
		{
			name: "an entry 90 days old from the workspace is named with its age in months",
			in: diagnose.Input{User: adele(), Apps: []diagnose.App{salesforce(&healthy, nil)},
				Entries: []diagnose.Entry{entry(90*day, fromWorkspace)},
				Archive: &diagnose.Archive{Origin: diagnose.OriginWorkspace, Since: now.Add(-400 * day)}},
			want: &diagnose.Source{Origin: "workspace", Name: "the Log Analytics workspace", Time: now.Add(-90 * day),
				Text: "from the Log Analytics workspace, 3 months ago"},
			wantNotes: []string{"from Thu 27 Aug 14:00 UTC, 3 months ago", "Microsoft Graph keeps provisioning logs for 30 days only"},
		},
		{
			name: "Graph's own recent entry decides when the workspace was searched too: Graph is named",
			in: diagnose.Input{User: adele(), Apps: []diagnose.App{salesforce(&healthy, nil)},
				Entries: []diagnose.Entry{entry(3 * time.Hour), entry(200*day, fromWorkspace)},
				Archive: &diagnose.Archive{Origin: diagnose.OriginWorkspace}},
			want: &diagnose.Source{Origin: "graph", Name: "Microsoft Graph's provisioning logs", Time: now.Add(-3 * time.Hour),
				Text: "from Microsoft Graph's provisioning logs, 3 hours ago"},
			noNotes: []string{"Log Analytics"},
		},
		{
			name: "no workspace searched: the answer carries no source, as before",
			in:   diagnose.Input{User: adele(), Apps: []diagnose.App{salesforce(&healthy, nil)}, Entries: []diagnose.Entry{entry(3 * time.Hour)}},
		},
		{
			name: "the workspace was searched for another app only: this app's answer does not mention it",
			in: diagnose.Input{User: adele(), Apps: []diagnose.App{salesforce(&healthy, nil)},
				Entries: []diagnose.Entry{entry(3 * time.Hour)},
				Archive: &diagnose.Archive{Origin: diagnose.OriginWorkspace, Apps: []string{"another-app"}, Failed: "throttled"}},
			noNotes: []string{"could not be read"},
		},
		{
			name: "searched, but how far back the workspace reaches is unknown: the note claims no date",
			in: diagnose.Input{User: adele(), Apps: []diagnose.App{salesforce(&healthy, nil)},
				Archive: &diagnose.Archive{Origin: diagnose.OriginWorkspace}},
			wantNotes: []string{"has no entries for Adele Vance in Salesforce either."},
			noNotes:   []string{"(unknown)", "back to"},
		},
		{
			name: "searched back to a date: the note says how far back",
			in: diagnose.Input{User: adele(), Apps: []diagnose.App{salesforce(&healthy, nil)},
				Archive: &diagnose.Archive{Origin: diagnose.OriginWorkspace, Since: time.Date(2025, 12, 2, 9, 0, 0, 0, time.UTC)}},
			wantNotes: []string{"has no entries for Adele Vance in Salesforce either, back to 2 Dec 2025."},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := diagnose.Diagnose(tc.in, now)
			if len(ds) != 1 {
				t.Fatalf("%d diagnoses", len(ds))
			}
			d := ds[0]
			got, _ := json.Marshal(d.Source)
			want, _ := json.Marshal(tc.want)
			if string(got) != string(want) {
				t.Errorf("source %s\nwant   %s", got, want)
			}
			var notes []string
			for _, n := range d.Notes {
				notes = append(notes, n.Text)
			}
			all := strings.Join(notes, "\n")
			for _, w := range tc.wantNotes {
				if !strings.Contains(all, w) {
					t.Errorf("notes lack %q:\n%s", w, all)
				}
			}
			for _, w := range tc.noNotes {
				if strings.Contains(all, w) {
					t.Errorf("notes say %q:\n%s", w, all)
				}
			}
		})
	}
}

func TestAgeSaysMonthsAndYearsForOldHistory(t *testing.T) {
	day := 24 * time.Hour
	for _, tc := range []struct {
		ago  time.Duration
		want string
	}{
		{30 * time.Second, "just now"},
		{3 * time.Hour, "3 hours ago"},
		{12 * day, "12 days ago"},
		{44 * day, "44 days ago"},
		{46 * day, "2 months ago"},
		{90 * day, "3 months ago"},
		{120 * day, "4 months ago"},
		{365 * day, "12 months ago"},
		{600 * day, "2 years ago"},
		{-2 * time.Hour, "in 2 hours"},
	} {
		if got := diagnose.Age(now.Add(-tc.ago), now); got != tc.want {
			t.Errorf("Age(now-%v) = %q, want %q", tc.ago, got, tc.want)
		}
	}
}

package diagnose_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// benchInput is one user with n entries spread over five apps: a mix of
// successes, failures, skips and disables over 30 days.
func benchInput(n int) diagnose.Input {
	apps := make([]diagnose.App, 5)
	for i := range apps {
		j := healthyJob(time.Duration(i+1) * 7 * time.Minute)
		j.ID = fmt.Sprintf("App%dOutDelta.job", i)
		apps[i] = diagnose.App{ID: fmt.Sprintf("sp-%d", i), Name: fmt.Sprintf("App %d", i), JobsKnown: true,
			Jobs: []diagnose.Job{j}, InScope: 1000,
			Assignment: &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-40 * 24 * time.Hour)}}
	}
	entries := make([]diagnose.Entry, n)
	step := 30 * 24 * time.Hour / time.Duration(n)
	for i := range entries {
		var mods []mod
		switch i % 7 {
		case 1:
			mods = append(mods, failed("AppEntryConflict", "StatusCode: 409 Conflict"))
		case 3:
			mods = append(mods, skipped(map[string]string{"SkipReason": "NotEffectivelyEntitled", "Assigned to the application": "False"}))
		case 5:
			mods = append(mods, action("Update"))
		}
		a := i % 5
		mods = append(mods, func(e *diagnose.Entry) {
			e.ServicePrincipal = diagnose.ServicePrincipal{ID: apps[a].ID, Name: apps[a].Name}
			e.JobID = apps[a].Jobs[0].ID
			e.ID = fmt.Sprintf("entry-%d", i)
		})
		entries[i] = entry(time.Duration(i)*step, mods...)
	}
	return diagnose.Input{User: adele(), Entries: entries, Apps: apps, Audience: diagnose.HelpDesk}
}

// BenchmarkDiagnose measures one diagnosis of a user with 10,000 entries
// across 5 apps (the target is under 20 ms and 5 MB per diagnosis).
func BenchmarkDiagnose(b *testing.B) {
	in := benchInput(10000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ds := diagnose.Diagnose(in, now)
		if len(ds) != 5 {
			b.Fatalf("%d diagnoses, want 5", len(ds))
		}
	}
}

// BenchmarkDiagnoseNaiveBaseline is the floor BenchmarkDiagnose is compared
// with in the same run: what any diagnosis has to do with the same 10,000
// entries, group them by app and sort each app's newest first, and
// nothing else.
func BenchmarkDiagnoseNaiveBaseline(b *testing.B) {
	in := benchInput(10000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		byApp := map[string][]*diagnose.Entry{}
		for i := range in.Entries {
			e := &in.Entries[i]
			byApp[e.ServicePrincipal.ID] = append(byApp[e.ServicePrincipal.ID], e)
		}
		for _, es := range byApp {
			slices.SortFunc(es, func(x, y *diagnose.Entry) int { return y.ActivityTime.Compare(x.ActivityTime) })
		}
		if len(byApp) != 5 {
			b.Fatalf("%d apps, want 5", len(byApp))
		}
	}
}

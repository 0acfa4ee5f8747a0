package diagnose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// savedAgo moves every time of a job back by d: the job as a file saved d
// before now shows it.
func savedAgo(d time.Duration) jobMod {
	return func(j *diagnose.Job) {
		back := func(t *time.Time) {
			if !diagnose.IsNever(*t) {
				*t = t.Add(-d)
			}
		}
		st := &j.Status
		for _, x := range []*diagnose.Execution{st.LastExecution, st.LastSuccessfulExecution, st.LastSuccessfulExecutionWithExports} {
			if x != nil {
				back(&x.Began)
				back(&x.Ended)
			}
		}
		back(&st.SteadyStateFirstAchieved)
		back(&st.SteadyStateLastAchieved)
		if q := st.Quarantine; q != nil {
			back(&q.CurrentBegan)
			back(&q.SeriesBegan)
			back(&q.NextAttempt)
		}
	}
}

// savedInput is Adele's question answered from saved files: a job file,
// and entries when given.
func savedInput(j diagnose.Job, taken time.Time, entries ...diagnose.Entry) func() diagnose.Input {
	return func() diagnose.Input {
		app := salesforce(&j, nil)
		app.Assignment = nil
		app.Unknown = app.Unknown.Set(diagnose.FactAssignment, diagnose.UnreadOffline)
		in := diagnose.Input{User: adele(), Entries: entries, Apps: []diagnose.App{app},
			Saved: &diagnose.SavedLogs{Entries: len(entries), Taken: taken}}
		in.Unknown = in.Unknown.Set(diagnose.FactUserState, diagnose.UnreadOffline)
		return in
	}
}

// TestSavedFilesAreToldAsOfTheirTime: files saved long before the question
// are told as they stood then, and the answer says so; a job still
// quarantined and scheduled in them is not "switched off after four weeks"
// because the question comes months later.
func TestSavedFilesAreToldAsOfTheirTime(t *testing.T) {
	day := 24 * time.Hour
	creds := job(quarantined("EncounteredQuarantineException", "SystemForCrossDomainIdentityManagementCredentialValidationFailure", "", 5*day), savedAgo(200*day))
	runRuleCases(t, []ruleCase{
		{
			name:     "a quarantine five days old in files saved 200 days ago is a quarantine, told as of the files",
			in:       savedInput(creds, time.Time{}),
			wantRule: "J08", wantCategory: diagnose.JobQuarantinedCredentials,
			wantNotes:    []string{"F01"},
			wantHelpDesk: []string{"Quarantined since 4 May 2026 14:00 UTC (5 days ago)"},
		},
		{
			name:     "the person asking says when the files were taken",
			in:       savedInput(creds, now.Add(-200*day+2*time.Hour)),
			wantRule: "J08", wantCategory: diagnose.JobQuarantinedCredentials,
			wantNotes: []string{"F01"},
		},
	})
	for _, tc := range []struct {
		name   string
		in     diagnose.Input
		asOf   time.Time
		saysAs string
	}{
		{"files newer than a day are told as of now", savedInput(job(), time.Time{})(), time.Time{}, ""},
		{"old files are told as of their newest time", savedInput(creds, time.Time{})(), now.Add(-200 * day).Add(-10 * time.Minute),
			"as of the saved files, 9 May 2026 13:50 UTC (the newest time they hold, more than a day before the question)"},
		{"an entry newer than the job moves the time on", savedInput(creds, time.Time{}, entry(199*day))(), now.Add(-199 * day),
			"as of the saved files, 10 May 2026 14:00 UTC"},
		{"a time the asker gives wins", savedInput(creds, now.Add(-100*day))(), now.Add(-100 * day), "(when they were taken)"},
		{"a live answer is about now, however old its facts", func() diagnose.Input {
			in := savedInput(creds, time.Time{})()
			in.Saved = nil
			return in
		}(), time.Time{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := diagnose.Diagnose(tc.in, now)[0]
			if !d.AsOf.Equal(tc.asOf) {
				t.Errorf("asOf %v, want %v", d.AsOf, tc.asOf)
			}
			var note string
			for _, n := range d.Notes {
				if n.RuleID == "F01" {
					note = n.Text
				}
			}
			if tc.saysAs == "" && note != "" || !strings.Contains(note, tc.saysAs) {
				t.Errorf("note %q, want one saying %q", note, tc.saysAs)
			}
			checkInvariants(t, tc.in, []diagnose.Diagnosis{d})
		})
	}
}

// TestNewestLeavesOutFutureTimes: a quarantine's next attempt, or a clock
// set wrong, does not make files newer than the question.
func TestNewestLeavesOutFutureTimes(t *testing.T) {
	j := job(quarantined("EncounteredQuarantineException", "", "", time.Hour))
	j.Status.Quarantine.NextAttempt = now.Add(5 * time.Hour)
	j.Status.LastExecution.Ended = now.Add(48 * time.Hour)
	in := savedInput(j, time.Time{})()
	if got, want := in.Newest(now), now.Add(-10*time.Minute); !got.Equal(want) {
		t.Errorf("Newest = %v, want %v (steady state last reached; later times are in the future)", got, want)
	}
}

package bot

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/golden"
	"github.com/provbot/provbot/store"
)

var cardNow = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

func conflictDiagnosis(aud diagnose.Audience) diagnose.Diagnosis {
	d := diagnose.Diagnosis{
		User:     diagnose.UserRef{ObjectID: "7faf8ab2-3d56-4244-b585-20c8a42ed2b8", DisplayName: "Adele Vance", UPN: "adele@contoso.com"},
		App:      diagnose.AppRef{ServicePrincipalID: "chc46a42-966b-47d7-9774-576b1c8bd0b8", Name: "ServiceNow"},
		Audience: aud, RuleID: "M02", Category: diagnose.MatchingConflict, Severity: diagnose.SeverityError,
		Headline:    "Adele Vance has no ServiceNow account: one with the same name already exists there.",
		Explanation: "ServiceNow already has an account with your email address, so a second one could not be made.",
		Recommendations: []diagnose.Recommendation{
			{Who: diagnose.PartyHelpDesk, Text: "Ask the help desk to link your existing ServiceNow account."},
		},
		Estimate: &diagnose.Estimate{Kind: diagnose.EstimateAdminAction, Text: "Nothing will change until the cause is fixed."},
		Notes:    []diagnose.Note{{RuleID: "E16", Severity: diagnose.SeverityInfo, Text: "This has failed 3 times since Mon 23 Nov 09:12 UTC."}},
		Status: &diagnose.AppStatus{JobID: "ServiceNowOutDelta.1", Code: diagnose.StatusActive, State: "running", CycleKind: "incremental",
			InitialCycleComplete: true, Users: 412, Groups: 9, LastRun: cardNow.Add(-10 * time.Minute), LastRunState: diagnose.ExecutionSucceeded,
			NextRun: cardNow.Add(30 * time.Minute), Verdict: "Healthy: running every 40 minutes, last ran 10 minutes ago.", Healthy: true},
		Timeline: []diagnose.TimelineStep{
			{Type: diagnose.StepImport, Name: "EntryImportAdd", Status: diagnose.ResultSuccess, Description: "Received User 'adele@contoso.com' change of type (Add)"},
			{Type: diagnose.StepMatching, Name: "EntrySynchronizationAdd", Status: diagnose.ResultSuccess, Description: "User will be created in ServiceNow"},
			{Type: diagnose.StepExport, Name: "EntryExportAdd", Status: diagnose.ResultFailure, Description: "Failed to create User 'adele@contoso.com' in ServiceNow"},
		},
		Ticket: diagnose.Ticket{EntryID: "gc532ff9", ChangeID: "eaad2f8b-e6e3-409b-83bd-e4e2e57177d5", CycleID: "44576n58", JobID: "ServiceNowOutDelta.1",
			ServicePrincipalID: "chc46a42-966b-47d7-9774-576b1c8bd0b8", ErrorCode: "ServiceNowEntryConflict", Time: cardNow.Add(-2 * time.Hour)},
		Article: diagnose.Article{Title: "Analyze provisioning logs", URL: "https://learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs"},
	}
	if aud == diagnose.HelpDesk {
		d.Explanation = "Export failed with ServiceNowEntryConflict (HTTP 409): an account with userName adele@contoso.com already exists and was not matched."
		d.Recommendations = []diagnose.Recommendation{
			{Who: diagnose.PartyAppAdmin, Text: "Match the existing ServiceNow account or remove the duplicate."},
			{Who: diagnose.PartyHelpDesk, Text: "Tell Adele Vance once it is fixed."},
		}
		d.Evidence = []diagnose.Evidence{{Field: "errorInformation.errorCode", Value: "ServiceNowEntryConflict", ChangeID: "eaad2f8b", CycleID: "44576n58", Time: cardNow.Add(-2 * time.Hour)}}
	}
	return d
}

func cardScenarios() map[string]card.AdaptiveCard {
	opts := cardOptions{Now: cardNow, Loc: time.UTC}
	initial := diagnose.AppStatus{JobID: "SlackOutDelta.1", Code: diagnose.StatusNotRun, State: "initial cycle", CycleKind: "initial",
		HasProgress: true, Progress: 37, LastRun: cardNow.Add(-20 * time.Minute), Verdict: "The first full cycle is still running (37% done).", Healthy: true}
	quarantined := diagnose.AppStatus{JobID: "SalesforceOutDelta.1", Code: diagnose.StatusQuarantine, State: "quarantined", CycleKind: "incremental",
		InitialCycleComplete: true, Quarantined: true, QuarantineReason: "the app rejected the admin credentials provisioning signs in with",
		NextAttempt: cardNow.Add(4 * time.Hour), Verdict: "Quarantined: the app rejected the admin credentials provisioning signs in with.",
		LastRunError: &diagnose.SyncError{Code: "SalesforceInvalidCredentials", Message: "Your Salesforce.com credentials are invalid."}}
	notConfigured := diagnose.AppStatus{State: "not configured", Verdict: "Provisioning was never set up for this app."}
	ok := conflictDiagnosis(diagnose.EndUser)
	ok.Severity, ok.Category, ok.Headline = diagnose.SeverityOK, diagnose.Provisioned, "Adele Vance's Salesforce account was created at 11:00 UTC."
	ok.Explanation = "Your Salesforce account was made at 11:00 UTC. It is ready to use."
	ok.App = diagnose.AppRef{ServicePrincipalID: "sp-sf", Name: "Salesforce"}
	info := conflictDiagnosis(diagnose.EndUser)
	info.Severity, info.Category, info.Headline = diagnose.SeverityInfo, diagnose.PendingNextCycle, "Adele Vance was given Dropbox at 13:55 UTC; the next cycle will create the account."
	info.Explanation = "New accounts are sent in batches that run about every 40 minutes. Yours is in the next batch."
	info.App = diagnose.AppRef{ServicePrincipalID: "sp-db", Name: "Dropbox"}
	info.Estimate = &diagnose.Estimate{Kind: diagnose.EstimateNextCycle, Earliest: cardNow.Add(30 * time.Minute),
		Text: "The next provisioning cycle should pick this up at about 14:40 UTC (in 30 minutes)."}
	hdOK, hdInfo := ok, info
	hdOK.Audience, hdInfo.Audience = diagnose.HelpDesk, diagnose.HelpDesk
	watchOpts := opts
	watchOpts.Watchable = true
	watch := store.Watch{ID: "w1", Owner: "u1", Subject: "u1", App: "sp-db", CreatedAt: cardNow, DueAt: cardNow.Add(40 * time.Minute), ExpiresAt: cardNow.Add(watchFor)}
	quarantinedJob := diagnose.Job{ID: "salesforce.job", Schedule: diagnose.Schedule{Interval: 40 * time.Minute, State: diagnose.ScheduleActive},
		Status: diagnose.JobStatus{Code: diagnose.StatusQuarantine,
			LastExecution: &diagnose.Execution{State: diagnose.ExecutionFailed, Began: cardNow.Add(-time.Hour), Ended: cardNow.Add(-time.Hour),
				Error: &diagnose.SyncError{Code: "SalesforceInvalidCredentials", Message: "Token of grady.archie@contoso.com was revoked"}},
			Quarantine: &diagnose.Quarantine{Reason: diagnose.QuarantineException, CurrentBegan: cardNow.Add(-72 * time.Hour), SeriesBegan: cardNow.Add(-72 * time.Hour),
				NextAttempt: cardNow.Add(3 * time.Hour), Error: &diagnose.SyncError{Code: "SalesforceInvalidCredentials"}}}}
	salesforce := diagnose.App{ID: "sp-sf", Name: "Salesforce", JobsKnown: true, Jobs: []diagnose.Job{quarantinedJob}}
	healthyJob := quarantinedJob
	ran := &diagnose.Execution{State: diagnose.ExecutionSucceeded, Began: cardNow.Add(-7 * time.Minute), Ended: cardNow.Add(-5 * time.Minute)}
	healthyJob.Status = diagnose.JobStatus{Code: diagnose.StatusActive, LastExecution: ran, LastSuccessfulExecution: ran, SteadyStateFirstAchieved: cardNow.Add(-400 * 24 * time.Hour)}
	apps := []appInfo{{ID: "sp-sf", Name: "Salesforce", Status: &quarantined}, {ID: "sp-slack", Name: "Slack", Status: &initial}, {ID: "sp-x", Name: "Zoom"}}
	var many []diagnose.User
	for i, n := range []string{"Adele Vance", "Adele Smith", "Adele Moreau", "Adele Bauer", "Adele Novak", "Adele Rossi", "Adele Tanaka", "Adele Okafor"} {
		many = append(many, diagnose.User{ObjectID: fmt.Sprintf("u%d", i+1), DisplayName: n, UPN: strings.ToLower(strings.ReplaceAll(n, " ", ".")) + "@contoso.com"})
	}
	return map[string]card.AdaptiveCard{
		"diagnosis-help-desk":           diagnosisCard(conflictDiagnosis(diagnose.HelpDesk), opts),
		"diagnosis-end-user":            diagnosisCard(conflictDiagnosis(diagnose.EndUser), opts),
		"diagnosis-help-desk-details":   diagnosisCard(conflictDiagnosis(diagnose.HelpDesk), cardOptions{Now: cardNow, Loc: time.UTC, AllSteps: true}),
		"diagnosis-end-user-notify-me":  diagnosisCard(info, watchOpts),
		"diagnosis-help-desk-notify-me": diagnosisCard(hdInfo, watchOpts),
		"watch-confirmed":               watchCard(watchState{AppName: "Dropbox", Self: true}, watch, opts, ""),
		"watch-confirmed-on-diagnosis":  watchingCard(info, watchState{AppName: "Dropbox", Self: true}, watch, opts, ""),
		"watch-ready": noticeCard(watchNotice{Kind: "ready", Final: true, Title: "Your Dropbox account is ready",
			Text: "Your Dropbox account was made at 14:45 UTC. It is ready to use."}, watch),
		"watch-late": noticeCard(watchNotice{Kind: "late", Title: "Adele Vance's Dropbox account is taking longer than expected",
			Text: "It is still not ready. The next provisioning cycle runs at about 15:20 UTC. I'll keep watching until Mon 9 Mar 14:10 UTC and tell you when it is ready."}, watch),
		"alert-quarantine":         alertCard(condQuarantine, salesforce, &salesforce.Jobs[0], false, cardNow, time.UTC),
		"alert-quarantine-over":    alertCard(condQuarantine, salesforce, &healthyJob, true, cardNow, time.UTC),
		"summary-three-apps":       summaryCard([]diagnose.Diagnosis{conflictDiagnosis(diagnose.EndUser), info, ok}, opts),
		"summary-help-desk":        summaryCard([]diagnose.Diagnosis{conflictDiagnosis(diagnose.HelpDesk), hdInfo, hdOK}, opts),
		"status-initial-cycle":     statusCard(appInfo{ID: "sp-slack", Name: "Slack", Status: &initial}, opts),
		"status-quarantined":       statusCard(appInfo{ID: "sp-sf", Name: "Salesforce", Status: &quarantined}, opts),
		"status-end-user-working":  plainStatusCard(appInfo{ID: "sp-slack", Name: "Slack", Status: &initial}, "the IT help desk"),
		"status-end-user-on-hold":  plainStatusCard(appInfo{ID: "sp-sf", Name: "Salesforce", Status: &quarantined}, "the IT help desk"),
		"status-end-user-manual":   plainStatusCard(appInfo{ID: "sp-adobe", Name: "Adobe Creative Cloud", Status: &notConfigured}, "the IT help desk"),
		"apps":                     appsCard(apps, diagnose.HelpDesk),
		"apps-end-user":            appsCard(apps, diagnose.EndUser),
		"pick-user":                pickUserCard("Adele", "ServiceNow", many[:2]),
		"pick-user-many":           pickUserCard("Adele", "ServiceNow", many),
		"pick-app":                 pickAppCard("Servicenw", "u1", []appInfo{{ID: "sp-sn", Name: "ServiceNow"}, {ID: "sp-sn2", Name: "ServiceNow Dev"}}, VerbPickApp),
		"welcome-end-user":         welcomeCard(false),
		"welcome-help-desk":        welcomeCard(true),
		"help-end-user":            helpCard(false),
		"help-help-desk":           helpCard(true),
		"error-graph-unavailable":  apologyCard("Microsoft Graph did not answer in time. Please try again in a minute."),
		"message-no-entries-found": messageCard("Nothing to show", "There is nothing to show."),
		"which-app":                whichAppCard("Contoso", "u1", []appInfo{{ID: "sp-hr", Name: "Contoso HR"}, {ID: "sp-travel", Name: "Contoso Travel"}}, VerbPickApp),
		"did-you-mean-person":      didYouMeanPersonCard("Jony Sherman", "ServiceNow", []diagnose.User{{ObjectID: "u3", DisplayName: "Joni Sherman", UPN: "joni@contoso.com"}}),
		"unclear-subject":          unclearSubjectCard("Maria de los Santos Garcia", unclearTooLong),
	}
}

func TestCardsMatchGoldenFiles(t *testing.T) {
	for name, c := range cardScenarios() {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(c, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.JSON(t, filepath.Join("testdata", "cards", name+".json"), got)
		})
	}
}

func TestEveryCardValidates(t *testing.T) {
	for name, c := range cardScenarios() {
		t.Run(name, func(t *testing.T) {
			if err := c.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

// Every category the engine can produce makes a valid card for both
// audiences.
func TestCardsForEngineDiagnosesValidate(t *testing.T) {
	now := cardNow
	job := diagnose.Job{ID: "j", Schedule: diagnose.Schedule{Interval: 40 * time.Minute, State: diagnose.ScheduleActive},
		Status: diagnose.JobStatus{Code: diagnose.StatusActive, LastExecution: &diagnose.Execution{State: diagnose.ExecutionSucceeded,
			Began: now.Add(-15 * time.Minute), Ended: now.Add(-12 * time.Minute)}, SteadyStateFirstAchieved: now.Add(-24 * time.Hour)}}
	user := &diagnose.User{ObjectID: "u1", DisplayName: "Adele Vance", UPN: "adele@contoso.com", Enabled: true}
	entry := diagnose.Entry{ActivityTime: now.Add(-time.Hour), ChangeID: "c1", CycleID: "y1", JobID: "j", Action: diagnose.ActionCreate,
		Status: diagnose.ResultFailure, Error: &diagnose.ErrorInfo{Code: "SalesforceEntryConflict", Reason: "HTTP status code 409" + strings.Repeat(" very long reason", 2000)},
		Source: diagnose.Identity{ID: "u1", Type: "User"}, ServicePrincipal: diagnose.ServicePrincipal{ID: "sp", Name: "Salesforce"},
		Steps: []diagnose.Step{{Type: diagnose.StepExport, Status: diagnose.ResultFailure, Description: strings.Repeat("long ", 5000)}}}
	for _, aud := range []diagnose.Audience{diagnose.EndUser, diagnose.HelpDesk} {
		ds := diagnose.Diagnose(diagnose.Input{User: user, Audience: aud, Entries: []diagnose.Entry{entry},
			Apps: []diagnose.App{{ID: "sp", Name: "Salesforce", JobsKnown: true, Jobs: []diagnose.Job{job}}}}, now)
		for _, all := range []bool{false, true} {
			c := diagnosisCard(ds[0], cardOptions{Now: now, AllSteps: all})
			if err := c.Validate(); err != nil {
				t.Errorf("%s (all steps %v): %v", aud, all, err)
			}
		}
	}
}

// A card over Teams' size limit loses detail until it fits: the ticket's
// text, then the details (status, steps, evidence), each with its button,
// then the length of long texts; it always validates.
func TestOversizedCardsAreFitted(t *testing.T) {
	manySteps := conflictDiagnosis(diagnose.HelpDesk)
	for range 150 {
		manySteps.Timeline = append(manySteps.Timeline, diagnose.TimelineStep{Type: diagnose.StepExport, Name: "EntryExportUpdate",
			Status: diagnose.ResultFailure, Description: strings.Repeat("Failed to update User in ServiceNow. ", 10)})
	}
	longText := conflictDiagnosis(diagnose.HelpDesk)
	longText.Explanation = strings.Repeat("The app said [this](https://evil.example). ", 3000)
	for _, tc := range []struct {
		name       string
		d          diagnose.Diagnosis
		keeps      []string
		drops      []string
		clipsTexts bool
	}{
		{"a long timeline loses the ticket's text, then the details", manySteps,
			[]string{"What to do", "For the ticket", "Refresh"}, []string{"Evidence", "Steps at", "ticketText", "Copy for ticket", `"Details"`}, false},
		{"a long explanation is shortened", longText,
			[]string{"What to do", "For the ticket"}, []string{"Evidence", "Steps at", "ticketText"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := diagnosisCard(tc.d, cardOptions{Now: cardNow, Loc: time.UTC, AllSteps: true})
			if err := c.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if c.Size() > maxCardBytes {
				t.Errorf("card is %d bytes, over %d", c.Size(), maxCardBytes)
			}
			raw, _ := json.Marshal(c)
			for _, s := range tc.keeps {
				if !strings.Contains(string(raw), s) {
					t.Errorf("the card lost %q", s)
				}
			}
			for _, s := range tc.drops {
				if strings.Contains(string(raw), s) {
					t.Errorf("the card kept %q", s)
				}
			}
			if clipped := strings.Contains(string(raw), "…"); clipped != tc.clipsTexts {
				t.Errorf("texts clipped = %v, want %v", clipped, tc.clipsTexts)
			}
		})
	}
}

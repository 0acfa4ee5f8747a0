package bot

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/golden"
)

// actionCardScenarios are the approved fixes' cards, kept as golden files
// (testdata/cards/action-*.json; regenerate with -update).
func actionCardScenarios() map[string]card.AdaptiveCard {
	opts := cardOptions{Now: cardNow, Loc: time.UTC}
	active := &diagnose.AppStatus{JobID: "DropboxOutDelta.1", Code: diagnose.StatusActive, State: "running", CycleKind: "incremental",
		InitialCycleComplete: true, Verdict: "Running every 40 minutes.", Healthy: true}
	waiting := conflictDiagnosis(diagnose.HelpDesk)
	waiting.Severity, waiting.Category, waiting.RuleID = diagnose.SeverityInfo, diagnose.PendingNextCycle, "T02"
	waiting.Headline = "Adele Vance was given Dropbox at 13:55 UTC; the next cycle will create the account."
	waiting.App, waiting.Status, waiting.Ticket = diagnose.AppRef{ServicePrincipalID: "sp-db", Name: "Dropbox"}, active, diagnose.Ticket{JobID: "DropboxOutDelta.1"}
	offer := opts
	offer.Offer = actionOffer{Provision: true, JobID: "DropboxOutDelta.1"}
	p := pending{Asker: "hd", Action: auditProvision, User: "u1", UserName: "Adele Vance (adele@contoso.com)", App: "sp-db", AppName: "Dropbox", Job: "DropboxOutDelta.1"}
	done := waiting
	done.Severity, done.Category, done.Headline = diagnose.SeverityOK, diagnose.Provisioned, "Adele Vance's Dropbox account was created at 14:00 UTC."
	run := onDemandRun{By: "Hank Helpdesk", Result: diagnose.OnDemandResult{Result: "Success", RequestID: "0c0ffee0-0000-4000-8000-000000000001",
		Entry: diagnose.Entry{ActivityTime: cardNow, Source: diagnose.Identity{DisplayName: "Adele Vance"}, Steps: []diagnose.Step{
			{Type: diagnose.StepImport, Status: diagnose.ResultSuccess, Description: "Retrieved User 'adele@contoso.com' from Azure Active Directory"},
			{Type: diagnose.StepScoping, Status: diagnose.ResultSuccess, Description: "Determine if User in scope by evaluating against each scoping filter"},
			{Type: diagnose.StepExport, Status: diagnose.ResultSuccess, Description: "User 'adele@contoso.com' was created in Dropbox"}}}}}
	skipped := run
	skipped.Result.Result, skipped.Result.ErrorCode = "Skipped", "NotEffectivelyEntitled"
	skipped.Result.ErrorMessage = "This object is not assigned to the application. If you did not expect the object to be skipped, update the application assignments."
	rp := pending{Asker: "hd", Action: auditRestart, App: "sp-sf", AppName: "Salesforce", Job: "SalesforceOutDelta.1"}
	job := &diagnose.Job{ID: "SalesforceOutDelta.1", Schedule: diagnose.Schedule{Interval: 40 * time.Minute, State: diagnose.ScheduleActive},
		Status: diagnose.JobStatus{Code: diagnose.StatusQuarantine, Quarantine: &diagnose.Quarantine{Reason: diagnose.QuarantineException,
			Error: &diagnose.SyncError{Code: "SalesforceInvalidCredentials", Message: "Your Salesforce.com credentials are invalid.  Please obtain a current Salesforce.com administrative user name, password and security token, and enter those in the screen for configuring user provisioning"}}}}
	app := &diagnose.App{ID: "sp-sf", Name: "Salesforce", JobsKnown: true, Jobs: []diagnose.Job{*job}}
	quarantined := diagnose.StatusOf(job, 0, cardNow, time.UTC)
	restartOffer := opts
	restartOffer.Offer = actionOffer{Restart: true, JobID: job.ID}
	throttled, _ := writeRefusal(fakeGraphError{diagnose.ErrThrottled, 429, 4 * time.Second}, "provision Adele Vance", "Dropbox")
	return map[string]card.AdaptiveCard{
		"action-offer-provision":        diagnosisCard(waiting, offer),
		"action-confirm-provision":      provisionConfirmCard(p, "TOKEN", false),
		"action-confirm-provision-data": provisionConfirmCard(p, "TOKEN", true),
		"action-result-provision":       withBanner(diagnosisCard(done, opts), onDemandBanner(run, false, opts)),
		"action-result-skipped":         withBanner(diagnosisCard(done, opts), onDemandBanner(skipped, true, opts)),
		"action-write-failed":           writeFailedCard("I couldn't provision Adele Vance in Dropbox", throttled, p, "TOKEN", true),
		"action-still-running":          stillRunningCard(p, "TOKEN"),
		"action-confirm-restart-cause":  restartCauseCard(rp, "TOKEN", job),
		"action-confirm-restart-effect": restartEffectCard(rp, "TOKEN", app, job, opts),
		"action-offer-restart-status":   statusCard(appInfo{ID: "sp-sf", Name: "Salesforce", Status: &quarantined}, restartOffer),
		"action-result-restart":         withBanner(statusCard(appInfo{ID: "sp-sf", Name: "Salesforce", Status: &quarantined}, opts), restartBanner(rp, false)),
	}
}

func TestActionCardsMatchGoldenFiles(t *testing.T) {
	for name, c := range actionCardScenarios() {
		t.Run(name, func(t *testing.T) {
			if err := c.Validate(); err != nil {
				t.Error(err)
			}
			if !c.Private {
				t.Error("an action's card is about someone's account: it must be private")
			}
			got, err := json.MarshalIndent(c, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(name, "action-confirm") {
				// The confirm button carries the token and nothing else.
				var d struct {
					Actions []struct {
						Data map[string]any `json:"data"`
					} `json:"actions"`
				}
				last := c.Body[len(c.Body)-1]
				raw, _ := json.Marshal(last)
				if err := json.Unmarshal(raw, &d); err != nil || len(d.Actions) == 0 || len(d.Actions[0].Data) != 3 || d.Actions[0].Data["token"] != "TOKEN" {
					t.Errorf("confirm button data: %s", raw)
				}
			}
			golden.JSON(t, filepath.Join("testdata", "cards", name+".json"), got)
		})
	}
}

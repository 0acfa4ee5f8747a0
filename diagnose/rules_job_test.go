package diagnose_test

import (
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// appWith returns an input for Adele with Salesforce configured by mods
// and the given entries.
func appWith(j *diagnose.Job, a *diagnose.Assignment, entries ...diagnose.Entry) func() diagnose.Input {
	return func() diagnose.Input {
		return diagnose.Input{User: adele(), Entries: entries, Apps: []diagnose.App{salesforce(j, a)}}
	}
}

func TestJobRules(t *testing.T) {
	day := 24 * time.Hour
	creds := job(quarantined("EncounteredQuarantineException", "SalesforceInvalidCredentials",
		"Your Salesforce.com credentials are invalid.", 3*time.Hour))
	paused := job(func(j *diagnose.Job) {
		j.Status.Code, j.Status.RawCode = diagnose.StatusPaused, "Paused"
		j.Schedule = diagnose.Schedule{Unscheduled: true, State: diagnose.ScheduleDisabled, RawState: "Disabled"}
	})
	notConfigured := job(func(j *diagnose.Job) {
		j.Status = diagnose.JobStatus{Code: diagnose.StatusNotConfigured, RawCode: "NotConfigured"}
		j.Schedule = diagnose.Schedule{Unscheduled: true, State: diagnose.ScheduleDisabled, RawState: "Disabled"}
	})
	initial := job(func(j *diagnose.Job) {
		j.Status.Code, j.Status.RawCode = diagnose.StatusNotRun, "NotRun"
		j.Status.SteadyStateFirstAchieved, j.Status.SteadyStateLastAchieved = time.Time{}, time.Time{}
		j.Status.LastSuccessfulExecution, j.Status.LastSuccessfulExecutionWithExports = nil, nil
		j.Status.LastExecution = &diagnose.Execution{State: diagnose.ExecutionUnknown, Began: now.Add(-20 * time.Minute)}
		j.Status.Progress = []diagnose.Progress{{CompletedUnits: 12, TotalUnits: 40, Units: "pages"}}
	})
	runFailed := job(func(j *diagnose.Job) {
		j.Status.LastExecution = &diagnose.Execution{State: diagnose.ExecutionFailed, RawState: "Failed",
			Began: now.Add(-20 * time.Minute), Ended: now.Add(-18 * time.Minute),
			Error: &diagnose.SyncError{Code: "SalesforceConnectionTimeout", Message: "The connection to Salesforce timed out.", TenantActionable: false}}
		j.Status.CountSuccessiveCompleteFailures = 4
	})
	longQuarantine := job(quarantined("EncounteredQuarantineException", "SalesforceInvalidCredentials",
		"Your Salesforce.com credentials are invalid.", 30*day), func(j *diagnose.Job) {
		j.Status.Code, j.Status.RawCode = diagnose.StatusPaused, "Paused"
		j.Schedule = diagnose.Schedule{Unscheduled: true, State: diagnose.ScheduleDisabled, RawState: "Disabled"}
	})

	runRuleCases(t, []ruleCase{
		{
			name: "app has no provisioning job at all, so nobody is pushed",
			in: func() diagnose.Input {
				a := salesforce(nil, nil)
				a.JobsKnown = true
				return diagnose.Input{User: adele(), Apps: []diagnose.App{a}}
			},
			wantRule: "J01", wantCategory: diagnose.JobNotConfigured, wantSeverity: diagnose.SeverityError,
			wantHelpDesk: []string{"no provisioning job"}, wantEndUser: []string{"has not set up Salesforce"},
			wantEstimate: diagnose.EstimateAdminAction,
		},
		{
			name:     "job exists but admin credentials were never saved",
			in:       appWith(&notConfigured, nil),
			wantRule: "J02", wantCategory: diagnose.JobNotConfigured,
			wantHelpDesk: []string{"NotConfigured"}, wantEndUser: []string{"never finished"},
			wantEstimate: diagnose.EstimateAdminAction,
		},
		{
			name:     "provisioning turned off by an admin, with the never interval",
			in:       appWith(&paused, nil),
			wantRule: "J03", wantCategory: diagnose.JobPaused,
			wantHelpDesk: []string{"status Paused", "schedule Disabled"}, wantEndUser: []string{"turned off"},
			wantEstimate: diagnose.EstimateAdminAction,
		},
		{
			name:     "quarantined because Salesforce rejects the admin credentials",
			in:       appWith(&creds, nil),
			wantRule: "J08", wantCategory: diagnose.JobQuarantinedCredentials,
			wantHelpDesk: []string{"SalesforceInvalidCredentials", "Quarantined since"},
			wantEndUser:  []string{"can no longer sign in to Salesforce"},
			wantEstimate: diagnose.EstimateQuarantineRetry,
		},
		{
			name: "quarantined with an exception and a generic error is a credentials problem",
			in: appWith(ptr(job(quarantined("EncounteredQuarantineException", "ScimEndpointError",
				"The SCIM endpoint refused the bearer token.", 2*time.Hour))), nil),
			wantRule: "J08", wantCategory: diagnose.JobQuarantinedCredentials,
		},
		{
			name: "quarantined because the app answers 404 at the tenant URL",
			in: appWith(ptr(job(quarantined("EncounteredQuarantineException", "SystemForCrossDomainIdentityManagementServiceError",
				"The SCIM endpoint returned HTTP 404 Not Found.", 5*time.Hour))), nil),
			wantRule: "J12", wantCategory: diagnose.JobQuarantinedOther,
			wantHelpDesk: []string{"HTTP 404", "tenant URL"}, wantEndUser: []string{"cannot reach"},
		},
		{
			name: "quarantined because imported roles are duplicated",
			in: appWith(ptr(job(quarantined("EncounteredQuarantineException", "SalesforceDuplicateRoles",
				"Duplicate role values were imported; roles must be unique.", 5*time.Hour))), nil),
			wantRule: "J13", wantCategory: diagnose.JobQuarantinedOther,
			wantHelpDesk: []string{"not unique"}, wantEndUser: []string{"same name"},
		},
		{
			name: "account made days ago stays made while the job is on hold for too many deletes",
			in: appWith(ptr(job(quarantined("TooManyDeletes", "None", "", 1*time.Hour))), nil,
				entry(3*day)),
			wantRule: "M01", wantCategory: diagnose.Provisioned,
			wantNotes: []string{"J07n"},
		},
		{
			name:     "quarantined for too many deletes and Adele has no entry",
			in:       appWith(ptr(job(quarantined("TooManyDeletes", "None", "", 1*time.Hour))), nil),
			wantRule: "J11", wantCategory: diagnose.JobQuarantinedDeletes,
			wantHelpDesk: []string{"accidental-deletions prevention", "(500)"}, wantEndUser: []string{"remove a lot of accounts"},
		},
		{
			name:     "quarantined by Microsoft on demand",
			in:       appWith(ptr(job(quarantined("QuarantinedOnDemand", "None", "", 4*time.Hour))), nil),
			wantRule: "J10", wantCategory: diagnose.JobQuarantinedOther,
			wantHelpDesk: []string{"QuarantinedOnDemand"}, wantEndUser: []string{"Microsoft found a problem"},
		},
		{
			name: "quarantined for an unspecified reason",
			in: appWith(ptr(job(quarantined("IngestionInterrupted", "ServiceUnavailable",
				"The directory could not be read.", 4*time.Hour))), nil),
			wantRule: "J07", wantCategory: diagnose.JobQuarantinedOther,
			wantHelpDesk: []string{"IngestionInterrupted"}, wantEndUser: []string{"keeps failing"},
		},
		{
			name:     "quarantined because too many accounts failed, and Adele's own record is fine",
			in:       appWith(ptr(job(quarantined("EncounteredEscrowProportionThreshold", "None", "", 6*time.Hour))), nil),
			wantRule: "J09", wantCategory: diagnose.JobQuarantinedErrors,
			wantHelpDesk: []string{"EncounteredEscrowProportionThreshold", "40%"}, wantEndUser: []string{"Too many accounts failed"},
		},
		{
			name:     "stopped after more than four weeks in quarantine",
			in:       appWith(&longQuarantine, nil),
			wantRule: "J14", wantCategory: diagnose.JobDisabledAfterQuarantine,
			wantHelpDesk: []string{"more than four weeks", "SalesforceInvalidCredentials"}, wantEndUser: []string{"kept failing for weeks"},
			wantEstimate: diagnose.EstimateAdminAction,
		},
		{
			name:     "still quarantined and scheduled after five weeks: not switched off, its own code decides, and a note says it may be",
			in:       appWith(ptr(job(quarantined("EncounteredQuarantineException", "SystemForCrossDomainIdentityManagementCredentialValidationFailure", "", 35*day))), nil),
			wantRule: "J08", wantCategory: diagnose.JobQuarantinedCredentials, wantNotes: []string{"J20"},
			wantHelpDesk: []string{"no longer accepts the admin credentials"},
		},
		{
			name: "a cross-tenant job quarantined for weeks by the auto-redemption policy is fixed in both tenants",
			in: appWith(ptr(job(quarantined("EncounteredQuarantineException", "AzureDirectoryB2BManagementPolicyCheckFailure",
				"Policy permitting auto-redemption of invitations not configured.", 40*day))), nil),
			wantRule: "J15", wantCategory: diagnose.CrossTenantPolicy, wantNotes: []string{"J20"},
		},
		{
			name: "duplicate app roles, with no error code of their own, are not a credentials problem",
			in: appWith(ptr(job(quarantined("EncounteredQuarantineException", "",
				"This Azure Active Directory service principal has app roles with duplicate attribute values: x: \"Sandbox SSO\". The attribute with the duplicate values is displayName.", 2*day))), nil),
			wantRule: "J13", wantCategory: diagnose.JobQuarantinedOther,
			wantHelpDesk: []string{"roles it imports from the app are not unique"},
		},
		{
			name:     "the last run failed as a whole, not only for Adele",
			in:       appWith(&runFailed, nil),
			wantRule: "J16", wantCategory: diagnose.JobRunFailed,
			wantHelpDesk: []string{"SalesforceConnectionTimeout", "4 complete failures in a row"}, wantEndUser: []string{"failed for everyone"},
			wantEstimate: diagnose.EstimateRetry,
		},
		{
			name:     "first full pass still running and has not reached Adele",
			in:       appWith(&initial, nil),
			wantRule: "J05", wantCategory: diagnose.InitialCycleRunning, wantSeverity: diagnose.SeverityInfo,
			wantHelpDesk: []string{"initial cycle", "30% done"}, wantEndUser: []string{"has not got to you yet", "between"},
			wantNotes: []string{"T04"}, wantEstimate: diagnose.EstimateInitialCycle,
		},
		{
			name: "first full pass slower than the usual estimate: the pace so far tells when it ends",
			in: func() diagnose.Input {
				j := initial
				run := *j.Status.LastExecution
				run.Began = now.Add(-90 * time.Minute)
				j.Status.LastExecution = &run
				app := salesforce(&j, nil)
				app.InScope = 9
				return diagnose.Input{User: adele(), Apps: []diagnose.App{app}}
			},
			wantRule: "J05", wantCategory: diagnose.InitialCycleRunning,
			wantEndUser:  []string{"taking longer than the usual estimate", "30% done; at this pace it ends at about 17:30 UTC"},
			wantEstimate: diagnose.EstimateInitialCycle,
		},
		{
			name: "job paused while Adele's last attempt failed: both are reported",
			in: appWith(&paused, nil,
				entry(2*day, failed("SalesforceLicenseLimitExceeded", "No licenses available."))),
			wantRule: "J03", wantCategory: diagnose.JobPaused, wantNotes: []string{"X04"},
		},
		{
			name:     "job paused, but Adele is not assigned: the job holds nothing back for her, so not-assigned leads",
			in:       appWith(&paused, &diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: diagnose.ScopeAssigned}),
			wantRule: "L09", wantCategory: diagnose.NotAssigned, wantNotes: []string{"J07n"},
		},
		{
			name:     "job paused and Adele assigned but without a log entry: the job leads, and says she is assigned",
			in:       appWith(&paused, &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-3 * 24 * time.Hour), Scope: diagnose.ScopeAssigned}),
			wantRule: "J03", wantCategory: diagnose.JobPaused,
		},
		{
			name: "job turned off while a cycle was still running",
			in: appWith(ptr(job(func(j *diagnose.Job) {
				j.Status.Code, j.Status.RawCode = diagnose.StatusPaused, "Paused"
				j.Schedule.State, j.Schedule.RawState = diagnose.SchedulePaused, "Paused"
				j.Status.LastExecution = &diagnose.Execution{Began: now.Add(-5 * time.Minute)}
			})), nil),
			wantRule: "J03", wantCategory: diagnose.JobPaused, wantNotes: []string{"J04"},
		},
	})
}

func TestQuarantineRetrySchedule(t *testing.T) {
	for _, tc := range []struct {
		name    string
		began   time.Duration // before now
		next    time.Time     // Graph's nextAttempt, zero if absent
		wantGap time.Duration // from the series start to the expected next attempt; 0 means none
	}{
		{"first retry six hours after the first failure", 2 * time.Hour, time.Time{}, 6 * time.Hour},
		{"second retry twelve hours after", 8 * time.Hour, time.Time{}, 12 * time.Hour},
		{"third retry a day after", 13 * time.Hour, time.Time{}, 24 * time.Hour},
		{"then every day", 50 * time.Hour, time.Time{}, 72 * time.Hour},
		{"Graph's own next attempt wins", 2 * time.Hour, now.Add(90 * time.Minute), 3*time.Hour + 30*time.Minute},
		{"nothing after 28 days", 29 * 24 * time.Hour, time.Time{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := job(quarantined("EncounteredEscrowProportionThreshold", "None", "", tc.began))
			j.Status.Quarantine.NextAttempt = tc.next
			st := diagnose.StatusOf(&j, 0, now, time.UTC)
			began := now.Add(-tc.began)
			if tc.wantGap == 0 {
				if !st.NextAttempt.IsZero() {
					t.Fatalf("next attempt %v, want none", st.NextAttempt)
				}
				return
			}
			if got := st.NextAttempt.Sub(began); got != tc.wantGap {
				t.Errorf("next attempt %v after the series began, want %v", got, tc.wantGap)
			}
		})
	}
}

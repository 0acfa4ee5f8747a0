package diagnose_test

import (
	"time"

	"github.com/provbot/provbot/diagnose"
)

// The fixed clock and cast of the rule tests.
var now = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

const (
	adeleID   = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8"
	adeleUPN  = "adele@contoso.com"
	spID      = "chc46a42-966b-47d7-9774-576b1c8bd0b8"
	appNameSF = "Salesforce"
	jobIDSF   = "SalesforceOutDelta.7928d5b574424a97ne2d66f9j9972ecn"
	tenantID  = "7928d5b5-7442-4a97-ne2d-66f9j9972ecn"
)

func adele() *diagnose.User {
	return &diagnose.User{ObjectID: adeleID, UPN: adeleUPN, DisplayName: "Adele Vance", Mail: adeleUPN, Enabled: true}
}

// mod changes an entry under construction.
type mod func(*diagnose.Entry)

// entry builds an entry for Adele in Salesforce, ago before now, shaped
// like Graph's: import, scoping, matching and export steps, all
// successful, creating the user. Mods change it.
func entry(ago time.Duration, mods ...mod) diagnose.Entry {
	at := now.Add(-ago)
	e := diagnose.Entry{
		ID:           "ent-" + at.Format("150405"),
		ActivityTime: at,
		ChangeID:     "chg-" + at.Format("150405"),
		CycleID:      "cyc-" + at.Format("1504"),
		JobID:        jobIDSF,
		TenantID:     tenantID,
		Action:       diagnose.ActionCreate, RawAction: "create",
		Status: diagnose.ResultSuccess, RawStatus: "success",
		Source:           diagnose.Identity{ID: adeleID, DisplayName: "Adele Vance", Type: "User", Details: map[string]string{"UserPrincipalName": adeleUPN}},
		Target:           diagnose.Identity{ID: "005Dn000003XyZ1", DisplayName: "Adele Vance", Type: "User"},
		ServicePrincipal: diagnose.ServicePrincipal{ID: spID, Name: appNameSF},
		SourceSystem:     diagnose.System{DisplayName: "Azure Active Directory"},
		TargetSystem:     diagnose.System{DisplayName: appNameSF, Details: map[string]string{"ServicePrincipalId": spID, "ServicePrincipalDisplayName": appNameSF}},
		InitiatedBy:      diagnose.Initiator{DisplayName: "Azure AD Provisioning Service", Type: "system"},
		Duration:         2785 * time.Millisecond,
		Steps: []diagnose.Step{
			{Name: "EntryImportAdd", Type: diagnose.StepImport, RawType: "import", Status: diagnose.ResultSuccess, RawStatus: "success",
				Description: "Received User 'adele@contoso.com' change of type (Add) from Azure Active Directory",
				Details:     map[string]string{"accountEnabled": "True", "userPrincipalName": adeleUPN}},
			{Name: "EntrySynchronizationScoping", Type: diagnose.StepScoping, RawType: "scoping", Status: diagnose.ResultSuccess, RawStatus: "success",
				Description: "Determine if User in scope by evaluating against each scoping filter",
				Details:     map[string]string{"Active in the source system": "True", "Assigned to the application": "True", "User has the required role": "True", "Scoping filter evaluation passed": "True"}},
			{Name: "EntrySynchronizationAdd", Type: diagnose.StepMatching, RawType: "matching", Status: diagnose.ResultSuccess, RawStatus: "success",
				Description: "User 'adele@contoso.com' will be created in Salesforce (User is active and assigned in Azure Active Directory, but no matching User was found in Salesforce)"},
			{Name: "EntryExportAdd", Type: diagnose.StepExport, RawType: "export", Status: diagnose.ResultSuccess, RawStatus: "success",
				Description: "User 'adele@contoso.com' was created in Salesforce", Details: map[string]string{"ReportableIdentifier": adeleUPN}},
		},
	}
	for _, m := range mods {
		m(&e)
	}
	return e
}

// action sets the entry's action.
func action(a string) mod {
	return func(e *diagnose.Entry) { e.Action, e.RawAction = diagnose.ParseAction(a), a }
}

// failed marks the entry (and its export step) failed with a code and reason.
func failed(code, reason string) mod {
	return func(e *diagnose.Entry) {
		e.Status, e.RawStatus = diagnose.ResultFailure, "failure"
		e.Error = &diagnose.ErrorInfo{Code: code, Reason: reason, Category: "nonServiceFailure"}
		e.Target.ID = ""
		for i := range e.Steps {
			if e.Steps[i].Type == diagnose.StepExport {
				e.Steps[i].Status, e.Steps[i].RawStatus = diagnose.ResultFailure, "failure"
				e.Steps[i].Description = "Failed to create User 'adele@contoso.com' in Salesforce"
			}
		}
	}
}

// failedAt marks the entry failed at a given step type (the steps after it
// are dropped, as the service does).
func failedAt(st diagnose.StepType, code, reason string) mod {
	return func(e *diagnose.Entry) {
		failed(code, reason)(e)
		for i := range e.Steps {
			if e.Steps[i].Type == st {
				e.Steps[i].Status, e.Steps[i].RawStatus = diagnose.ResultFailure, "failure"
				e.Steps = e.Steps[:i+1]
				return
			}
		}
	}
}

// skipped marks the entry skipped at the scoping step, with the given
// scoping details replacing the successful ones.
func skipped(details map[string]string) mod {
	return func(e *diagnose.Entry) {
		e.Status, e.RawStatus = diagnose.ResultSkipped, "skipped"
		e.Action, e.RawAction = diagnose.ActionOther, "other"
		e.Target.ID = ""
		for i := range e.Steps {
			if e.Steps[i].Type == diagnose.StepScoping {
				e.Steps[i].Status, e.Steps[i].RawStatus = diagnose.ResultSkipped, "skipped"
				e.Steps[i].Details = details
				e.Steps = e.Steps[:i+1]
				return
			}
		}
	}
}

// skipCode adds an errorInformation with a skip code to a skipped entry.
func skipCode(code, reason string) mod {
	return func(e *diagnose.Entry) {
		e.Error = &diagnose.ErrorInfo{Code: code, Reason: reason, Category: "nonServiceFailure"}
	}
}

// detail sets a detail on the step of the given type.
func detail(st diagnose.StepType, k, v string) mod {
	return func(e *diagnose.Entry) {
		for i := range e.Steps {
			if e.Steps[i].Type == st {
				if e.Steps[i].Details == nil {
					e.Steps[i].Details = map[string]string{}
				}
				e.Steps[i].Details[k] = v
				return
			}
		}
	}
}

// healthyJob is a Salesforce job in steady state whose last run ended
// lastEnd before now, running every 40 minutes.
func healthyJob(lastEnd time.Duration) diagnose.Job {
	end := now.Add(-lastEnd)
	run := &diagnose.Execution{ActivityID: "act-1", State: diagnose.ExecutionSucceeded, RawState: "Succeeded",
		Began: end.Add(-3 * time.Minute), Ended: end, CountImported: 12, CountExported: 3}
	return diagnose.Job{
		ID: jobIDSF, TemplateID: "SalesforceOutDelta",
		Schedule: diagnose.Schedule{Interval: 40 * time.Minute, State: diagnose.ScheduleActive, RawState: "Active"},
		Status: diagnose.JobStatus{
			Code: diagnose.StatusActive, RawCode: "Active",
			LastExecution: run, LastSuccessfulExecution: run, LastSuccessfulExecutionWithExports: run,
			SteadyStateFirstAchieved: now.Add(-60 * 24 * time.Hour), SteadyStateLastAchieved: end,
			EntryCounts: []diagnose.EntryCount{{Key: "user to User", Value: 412}, {Key: "group to Group", Value: 9}},
		},
		Settings: []diagnose.Setting{{Name: "QuarantineTooManyDeletesThreshold", Value: "500"}},
	}
}

// jobMod changes a job under construction.
type jobMod func(*diagnose.Job)

func job(mods ...jobMod) diagnose.Job {
	j := healthyJob(10 * time.Minute)
	for _, m := range mods {
		m(&j)
	}
	return j
}

// quarantined puts the job in quarantine with a reason and error, the
// series having begun ago before now.
func quarantined(reason, code, message string, ago time.Duration) jobMod {
	return func(j *diagnose.Job) {
		began := now.Add(-ago)
		j.Status.Code, j.Status.RawCode = diagnose.StatusQuarantine, "Quarantine"
		j.Status.Quarantine = &diagnose.Quarantine{Reason: diagnose.ParseQuarantineReason(reason), RawReason: reason,
			CurrentBegan: began, SeriesBegan: began, SeriesCount: 3,
			Error: &diagnose.SyncError{Code: code, Message: message, TenantActionable: true}}
		j.Status.LastExecution.State, j.Status.LastExecution.RawState = diagnose.ExecutionFailed, "Failed"
	}
}

// salesforce is the Salesforce app with the given job, Adele assigned
// directly 60 days ago.
func salesforce(j *diagnose.Job, a *diagnose.Assignment) diagnose.App {
	app := diagnose.App{ID: spID, Name: appNameSF, JobsKnown: j != nil, InScope: 421}
	if j != nil {
		app.Jobs = []diagnose.Job{*j}
	}
	if a == nil {
		a = &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-60 * 24 * time.Hour), Scope: diagnose.ScopeAssigned}
	}
	app.Assignment = a
	return app
}

func ptr[T any](v T) *T { return &v }

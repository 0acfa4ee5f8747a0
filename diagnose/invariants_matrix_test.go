package diagnose_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// matrixAxis is one dimension of the generated matrix: named values that
// each change the input under construction.
type matrixAxis[T any] struct {
	name  string
	apply T
}

// matrixJobs are the job states of the matrix: every state a job can be
// in, each quarantine reason, and a job provbot could not read.
func matrixJobs() []matrixAxis[func(*diagnose.App)] {
	day := 24 * time.Hour
	withJob := func(mods ...jobMod) func(*diagnose.App) {
		return func(a *diagnose.App) {
			a.JobsKnown, a.Jobs = true, []diagnose.Job{job(mods...)}
		}
	}
	stopped := func(j *diagnose.Job) {
		j.Status.Code, j.Status.RawCode = diagnose.StatusPaused, "Paused"
		j.Schedule = diagnose.Schedule{Unscheduled: true, State: diagnose.ScheduleDisabled, RawState: "Disabled"}
	}
	return []matrixAxis[func(*diagnose.App)]{
		{"healthy", withJob()},
		{"running with entry errors", withJob(func(j *diagnose.Job) {
			j.Status.LastExecution.State, j.Status.LastExecution.RawState = diagnose.ExecutionEntryLevelError, "EntryLevelErrors"
			j.Status.LastExecution.CountEscrowed = 1
			j.Status.LastSuccessfulExecutionWithExports = nil // Graph often omits it
		})},
		{"initial cycle", withJob(func(j *diagnose.Job) {
			j.Status.Code, j.Status.RawCode = diagnose.StatusNotRun, "NotRun"
			j.Status.SteadyStateFirstAchieved, j.Status.SteadyStateLastAchieved = time.Time{}, time.Time{}
			j.Status.LastSuccessfulExecution, j.Status.LastSuccessfulExecutionWithExports = nil, nil
			j.Status.LastExecution = &diagnose.Execution{State: diagnose.ExecutionUnknown, Began: now.Add(-50 * time.Minute)}
			j.Status.Progress = []diagnose.Progress{{CompletedUnits: 12, TotalUnits: 40, Units: "pages"}}
		})},
		{"paused", withJob(stopped)},
		{"disabled after a long quarantine", withJob(quarantined("EncounteredQuarantineException", "SalesforceInvalidCredentials",
			"Your Salesforce.com credentials are invalid.", 30*day), stopped)},
		{"not configured", withJob(func(j *diagnose.Job) {
			j.Status = diagnose.JobStatus{Code: diagnose.StatusNotConfigured, RawCode: "NotConfigured"}
			j.Schedule = diagnose.Schedule{Unscheduled: true, State: diagnose.ScheduleDisabled, RawState: "Disabled"}
		})},
		{"no provisioning job", func(a *diagnose.App) { a.JobsKnown, a.Jobs = true, nil }},
		{"job unread", func(a *diagnose.App) {
			a.JobsKnown, a.Jobs = false, nil
			a.Unknown = a.Unknown.Set(diagnose.FactJobs, diagnose.UnreadForbidden)
		}},
		{"quarantined: credentials", withJob(quarantined("EncounteredQuarantineException", "SalesforceInvalidCredentials",
			"Your Salesforce.com credentials are invalid.", 3*time.Hour))},
		{"quarantined: too many failures", withJob(quarantined("EncounteredEscrowProportionThreshold", "", "", 5*time.Hour))},
		{"quarantined: too many deletes", withJob(quarantined("TooManyDeletes", "", "", 2*day))},
		{"quarantined: app answers 404", withJob(quarantined("EncounteredQuarantineException", "HttpStatus404",
			"The SCIM endpoint responded with 404 Not Found.", 9*time.Hour))},
		{"quarantined: cross-tenant auto-redemption", withJob(quarantined("EncounteredQuarantineException",
			"AzureDirectoryB2BManagementPolicyCheckFailure", "Policy permitting auto-redemption of invitations not configured.", 20*time.Hour))},
		{"quarantined on demand, weeks ago", withJob(quarantined("QuarantinedOnDemand", "", "", 20*day))},
		{"failing whole runs", withJob(func(j *diagnose.Job) {
			j.Status.LastExecution = &diagnose.Execution{State: diagnose.ExecutionFailed, RawState: "Failed",
				Began: now.Add(-20 * time.Minute), Ended: now.Add(-18 * time.Minute),
				Error: &diagnose.SyncError{Code: "SalesforceConnectionTimeout", Message: "The connection to Salesforce timed out."}}
			j.Status.CountSuccessiveCompleteFailures = 4
		})},
	}
}

// matrixEntries are the newest-entry outcomes, with some history.
func matrixEntries() []matrixAxis[func() []diagnose.Entry] {
	h := time.Hour
	one := func(ago time.Duration, mods ...mod) func() []diagnose.Entry {
		return func() []diagnose.Entry { return []diagnose.Entry{entry(ago, mods...)} }
	}
	return []matrixAxis[func() []diagnose.Entry]{
		{"no entry", func() []diagnose.Entry { return nil }},
		{"created", one(3 * 24 * h)},
		{"updated an hour ago", one(h, action("Update"))},
		{"disabled", one(5*h, action("Disable"))},
		{"conflict, failed three times", func() []diagnose.Entry {
			c := failed("SalesforceEntryConflict", "StatusCode: 409 Message: A user with userName adele@contoso.com already exists.")
			return []diagnose.Entry{entry(30*h, c), entry(20*h, c), entry(2*h, c)}
		}},
		{"failed with an unknown code", one(2*h, failed("SalesforceFrobnicatorJammed", "The frobnicator {jammed} at 12:00."))},
		{"throttled", one(30*time.Minute, failed("SalesforceTooManyRequests", "StatusCode: 429 Too Many Requests"))},
		{"skipped: not assigned", one(4*h, skipped(map[string]string{"SkipReason": "NotEffectivelyEntitled",
			"Assigned to the application": "False", "Active in the source system": "True"}))},
		{"skipped: scoping filter", one(6*h, skipped(map[string]string{"Scoping filter evaluation passed": "False",
			"ScopeEvaluationResult": `{"Engineering.department EQUALS 'Engineering'":false}`}))},
		{"skipped: nothing to export", one(2*h, skipped(map[string]string{"SkipReason": "RedundantExport"}))},
		{"removal held", one(8*h, action("StagedDelete"), func(e *diagnose.Entry) { e.Status, e.RawStatus = diagnose.ResultSkipped, "skipped" })},
		// Failures read in layers (the signal and HR rules): their actions
		// promise retries, which must hold beside every job state.
		{"failed: a required value is missing, in the app's words", one(2*h, failed("SalesforceRequiredFieldMissing",
			"Salesforce returned REQUIRED_FIELD_MISSING: Required fields are missing: [Alias]"))},
		{"failed: no licence left, in a SCIM body", one(2*h, failed("SystemForCrossDomainIdentityManagementBadRequest",
			`StatusCode: BadRequest Message: Web Response: {"detail":"No licenses available for this plan.","status":"400"}`))},
		{"failed: members the app does not have", one(2*h, action("Update"), failed("SystemForCrossDomainIdentityManagementBadRequest",
			"StatusCode: BadRequest Message: Web Response: Bad Request: Cannot add invalid members to team. Invalid member ids: [4d2c]"))},
		{"failed: no value to match on", one(2*h, failed("EntryJoiningPropertyValueIsMissing", ""))},
		{"failed: the token expired (401)", one(2*h, failed("SystemForCrossDomainIdentityManagementUnauthorized",
			`StatusCode: Unauthorized Message: Web Response: {"detail":"The bearer token has expired.","status":"401"}`))},
		{"failed: a SCIM 409 uniqueness body", one(2*h, failed("SystemForCrossDomainIdentityManagementServiceIncompatibleFiltering",
			`StatusCode: Conflict Message: Web Response: {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Refused to create a new, duplicate resource","status":"409","scimType":"uniqueness"}`))},
		{"failed: an attribute the app does not have", one(2*h, action("Update"), failed("SystemForCrossDomainIdentityManagementBadRequest",
			`StatusCode: BadRequest Message: Web Response: {"status":400,"scimType":"invalidPath","detail":"Unknown path: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter."}`))},
		{"failed: Active Directory refuses the agent's rights", one(2*h, action("Update"), failed("HybridSynchronizationActiveDirectoryInsufficientAccessRights",
			"ERROR: InsufficientAccessRights-SecErr: The user has insufficient access rights.. Access is denied. \nError Details: Problem 4003 - INSUFF_ACCESS_RIGHTS."))},
		{"failed: an HR value too long for Active Directory", one(2*h, failed("SystemForCrossDomainIdentityManagementBadResponse",
			"Error: ConstraintViolation-AtrErr: A value in the request is invalid. A value for the attribute was not in the acceptable range of values. \nError Details: CONSTRAINT_ATT_TYPE - company"))},
		{"skipped: text-message sign-in (cross-tenant filter)", one(4*h, skipped(map[string]string{"Assigned to the application": "True",
			"ScopeEvaluationResult": `{"Filter external users.alternativeSecurityIds EQUALS 'None'":false}`}))},
	}
}

// matrixAssignments are the assignment facts.
func matrixAssignments() []matrixAxis[*diagnose.Assignment] {
	return []matrixAxis[*diagnose.Assignment]{
		{"assigned directly long ago", &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-60 * 24 * time.Hour), Scope: diagnose.ScopeAssigned}},
		{"assigned directly minutes ago", &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-4 * time.Minute), Scope: diagnose.ScopeAssigned}},
		{"assigned through a group", &diagnose.Assignment{Kind: diagnose.AssignmentGroup, Group: "Sales Team", Since: now.Add(-9 * 24 * time.Hour), Scope: diagnose.ScopeAssigned}},
		{"assigned through a group, date unread", &diagnose.Assignment{Kind: diagnose.AssignmentGroup, Group: "Sales Team"}},
		{"only through a nested group", &diagnose.Assignment{Kind: diagnose.AssignmentNestedGroupOnly, Group: "Sales Team", ViaGroup: "EMEA Sales"}},
		{"not assigned", &diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: diagnose.ScopeAssigned}},
		{"assignment unread", nil},
	}
}

// matrixUsers are the user facts: read from the directory, or not.
func matrixUsers() []matrixAxis[func(*diagnose.Input)] {
	return []matrixAxis[func(*diagnose.Input)]{
		{"user read", func(in *diagnose.Input) { in.User = adele() }},
		{"user state unread", func(in *diagnose.Input) {
			u := adele()
			u.Enabled = false // what an unread bool decodes as; must not be believed
			in.User = u
			in.Unknown = in.Unknown.Set(diagnose.FactUserState, diagnose.UnreadOffline)
		}},
	}
}

// TestInvariantsHoldOverGeneratedMatrix diagnoses every combination of
// job state, newest-entry outcome, assignment fact, known or unknown user
// facts and audience, and checks every answer's invariants. A violation
// fails with the case that broke it.
func TestInvariantsHoldOverGeneratedMatrix(t *testing.T) {
	var cases, violated int
	var report []string
	for _, jb := range matrixJobs() {
		for _, en := range matrixEntries() {
			for _, as := range matrixAssignments() {
				for _, us := range matrixUsers() {
					for _, aud := range []diagnose.Audience{diagnose.HelpDesk, diagnose.EndUser} {
						app := salesforce(nil, nil)
						app.Assignment = nil
						if as.apply != nil {
							cp := *as.apply
							app.Assignment = &cp
						} else {
							app.Unknown = app.Unknown.Set(diagnose.FactAssignment, diagnose.UnreadTimeout)
						}
						jb.apply(&app)
						in := diagnose.Input{Entries: en.apply(), Apps: []diagnose.App{app}, Audience: aud}
						us.apply(&in)
						ds := diagnose.Diagnose(in, now)
						cases++
						if len(ds) != 1 {
							report = append(report, fmt.Sprintf("%d diagnoses, want 1", len(ds)))
							continue
						}
						vs := diagnose.CheckInvariants(in, ds[0], now)
						if len(vs) == 0 {
							continue
						}
						violated++
						name := strings.Join([]string{jb.name, en.name, as.name, us.name, string(aud)}, " × ")
						for _, v := range vs {
							report = append(report, fmt.Sprintf("%s [rule %s, %s]: %s", name, ds[0].RuleID, ds[0].Category, v))
						}
					}
				}
			}
		}
	}
	if cases < 2000 {
		t.Errorf("the matrix has %d combinations, want at least 2,000", cases)
	}
	if len(report) > 0 {
		slices.Sort(report)
		shown := report
		if os.Getenv("MATRIX_ALL") != "" {
			shown = report
		} else if len(shown) > 60 {
			shown = shown[:60]
		}
		t.Errorf("%d of %d combinations break an invariant (%d violations); the first:\n%s", violated, cases, len(report), strings.Join(shown, "\n"))
	}
	t.Logf("%d combinations checked", cases)
}

package diagnose_test

import (
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// skInput is an input for user (Adele when nil) with Salesforce, its job
// and her assignment.
func skInput(u *diagnose.User, j *diagnose.Job, a *diagnose.Assignment, entries ...diagnose.Entry) func() diagnose.Input {
	return func() diagnose.Input {
		if u == nil {
			u = adele()
		}
		return diagnose.Input{User: u, Entries: entries, Apps: []diagnose.App{salesforce(j, a)}}
	}
}

// skAssigned is a direct assignment made ago before now.
func skAssigned(ago time.Duration) *diagnose.Assignment {
	return &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-ago), Scope: diagnose.ScopeAssigned}
}

// skUnassigned is no assignment, with the app's scope setting.
func skUnassigned(scope diagnose.Scope) *diagnose.Assignment {
	return &diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: scope}
}

// skRaw respells the entry's status and its skipped steps' status as the
// wire may (Graph's examples use "Skipped" as well as "skipped").
func skRaw(status string) mod {
	return func(e *diagnose.Entry) {
		e.RawStatus = status
		for i := range e.Steps {
			if e.Steps[i].Status == diagnose.ResultSkipped {
				e.Steps[i].RawStatus = status
			}
		}
	}
}

// skAtImport marks the entry skipped at its import step with a skip code,
// the later steps not run.
func skAtImport(code, reason string) mod {
	return func(e *diagnose.Entry) {
		e.Status, e.RawStatus = diagnose.ResultSkipped, "skipped"
		e.Action, e.RawAction = diagnose.ActionOther, "other"
		e.Target.ID = ""
		e.Error = &diagnose.ErrorInfo{Code: code, Reason: reason}
		e.Steps[0].Status, e.Steps[0].RawStatus = diagnose.ResultSkipped, "skipped"
		e.Steps = e.Steps[:1]
	}
}

// notEntitled are the scoping details of a NotEffectivelyEntitled skip.
func notEntitled(assigned, active string) map[string]string {
	return map[string]string{"SkipReason": "NotEffectivelyEntitled", "Assigned to the application": assigned,
		"Active in the source system": active, "IsInProvisioningScope": "True"}
}

func TestSkippedRules(t *testing.T) {
	h := time.Hour
	day := 24 * h
	healthy := job() // last run ended 13:50 UTC, every 40 minutes
	disabled := adele()
	disabled.Enabled = false
	runRuleCases(t, []ruleCase{
		{
			name:     "not assigned: the check skipped the user because nobody gave her the app",
			in:       skInput(nil, &healthy, skUnassigned(diagnose.ScopeAssigned), entry(2*h, skipped(notEntitled("False", "True")))),
			wantRule: "S01", wantCategory: diagnose.NotAssigned, wantSeverity: diagnose.SeverityWarning,
			wantHelpDesk: []string{"Assigned to the application = False", "SkipReason = NotEffectivelyEntitled", "Assignment now: not assigned", "chg-120000"},
			wantEndUser:  []string{"checked your account at 12:00 UTC, you did not have access"},
		},
		{
			name: "skipped as not assigned, then assigned ten minutes ago: the next cycle at 14:30 picks her up",
			in: skInput(nil, &healthy, skAssigned(10*time.Minute),
				entry(3*day, skipped(notEntitled("False", "True"))),
				entry(2*h, skipped(notEntitled("False", "True")))),
			wantRule: "S01b", wantCategory: diagnose.PendingNextCycle, wantSeverity: diagnose.SeverityInfo,
			wantHelpDesk: []string{"assigned at 13:50 UTC (10 minutes ago; assigned directly)", "Assigned to the application = False", "at about 14:30 UTC"},
			wantEndUser:  []string{"last checked your account at 12:00 UTC", "given access at 13:50 UTC", "will be picked up by the next cycle at about 14:30 UTC (in 30 minutes)"},
			wantEstimate: diagnose.EstimateNextCycle,
			wantNotes:    []string{"T04"},
		},
		{
			name: "a generic skip before the assignment is also out of date once she is assigned",
			in: skInput(nil, &healthy, skAssigned(5*time.Minute),
				entry(1*h, skipped(map[string]string{}), skipCode("EntrySynchronizationSkipped", "No action was taken."))),
			wantRule: "S01b", wantCategory: diagnose.PendingNextCycle,
			wantHelpDesk: []string{"assigned at 13:55 UTC"}, wantEndUser: []string{"at about 14:30 UTC"},
		},
		{
			name:     "assigned but not effectively entitled: the record of the assignment is out of step",
			in:       skInput(nil, &healthy, skAssigned(60*day), entry(2*h, skipped(notEntitled("True", "True")))),
			wantRule: "S02", wantCategory: diagnose.NotEffectivelyEntitled,
			wantHelpDesk: []string{"although Adele Vance had been given Salesforce then (assigned directly", "SkipReason = NotEffectivelyEntitled"},
			wantEndUser:  []string{"did not count that access", "remove your access and give it again"},
		},
		{
			name: "skip says not assigned although she was assigned long before: the assignment is out of step",
			in: skInput(nil, &healthy, skAssigned(60*day),
				entry(2*h, skipped(map[string]string{"Assigned to the application": "False", "Active in the source system": "True"}))),
			wantRule: "S02", wantCategory: diagnose.NotEffectivelyEntitled,
			wantHelpDesk: []string{"Assigned to the application = False", "assignment record is inconsistent"},
		},
		{
			name: "only the Default Access role: skipped as not effectively entitled",
			in: skInput(nil, &healthy, &diagnose.Assignment{Kind: diagnose.AssignmentGroup, Group: "Sales Team",
				RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access", Since: now.Add(-30 * day), Scope: diagnose.ScopeAssigned},
				entry(2*h, skipped(notEntitled("True", "True")))),
			wantRule: "S03", wantCategory: diagnose.NotEffectivelyEntitled,
			wantHelpDesk: []string{"Default Access role", "00000000-0000-0000-0000-000000000000", "assigned through group Sales Team", "16 April 2020"},
			wantEndUser:  []string{"only with a basic kind of access"},
		},
		{
			name: "her role is not one that gets an account",
			in: skInput(nil, &healthy, &diagnose.Assignment{Kind: diagnose.AssignmentDirect, RoleName: "Viewer",
				RoleID: "8f2a", Since: now.Add(-30 * day), Scope: diagnose.ScopeAssigned},
				entry(2*h, skipped(map[string]string{"Assigned to the application": "True", "User has the required role": "False"}))),
			wantRule: "S07", wantCategory: diagnose.NotEffectivelyEntitled,
			wantHelpDesk: []string{"User has the required role = False", "assigned role (Viewer)"},
			wantEndUser:  []string{"did not come with a role that gets an account"},
		},
		{
			name: "disabled in the directory: the scoping step says IsActive is False",
			in: skInput(nil, &healthy, skAssigned(60*day), entry(2*h, skipped(map[string]string{
				"SkipReason": "NotEffectivelyEntitled", "IsActive": "False", "Assigned to application": "True"}))),
			wantRule: "S04", wantCategory: diagnose.UserDisabled,
			wantHelpDesk: []string{"the scoping step reports IsActive = False", "SkipReason NotEffectivelyEntitled"},
			wantEndUser:  []string{"your work account was turned off", "So it skipped you"},
		},
		{
			name: "disabled in the directory: a NotEffectivelyEntitled skip for a user whose account is off",
			in: skInput(disabled, &healthy, skAssigned(60*day),
				entry(2*h, skipped(map[string]string{"SkipReason": "NotEffectivelyEntitled"}))),
			wantRule: "S04", wantCategory: diagnose.UserDisabled,
			wantHelpDesk: []string{"accountEnabled is false in the directory now"},
		},
		{
			name: "disabled in the directory: the import step says accountEnabled is False",
			in: skInput(nil, &healthy, skAssigned(60*day), entry(2*h,
				detail(diagnose.StepImport, "accountEnabled", "False"),
				skipped(map[string]string{"SkipReason": "NotEffectivelyEntitled"}))),
			wantRule: "S04", wantCategory: diagnose.UserDisabled,
			wantHelpDesk: []string{"the import step reports accountEnabled = False"},
		},
		{
			name: "scoping filter excluded user because department is Sales",
			in: skInput(nil, &healthy, skAssigned(60*day), entry(2*h,
				detail(diagnose.StepImport, "department", "Sales"),
				skipped(map[string]string{"Assigned to the application": "True", "Active in the source system": "True",
					"Scoping filter evaluation passed": "False",
					"ScopeEvaluationResult":            `{"Marketing only.department EQUALS 'Marketing'":false,"Marketing only.accountEnabled IS TRUE":true}`}))),
			wantRule: "S05", wantCategory: diagnose.ScopingFilter,
			wantHelpDesk: []string{"Failing clauses: Marketing only.department EQUALS 'Marketing'", "department = “Sales”"},
			wantEndUser:  []string{"your details did not fit that rule"},
		},
		{
			name: "scoping filter excluded contractors, read from a dotted filter title and a NOT EQUALS clause",
			in: skInput(nil, &healthy, skAssigned(60*day), entry(2*h,
				detail(diagnose.StepImport, "employeeType", "Contractor"),
				skipped(map[string]string{"ScopeEvaluationResult": `{"Staff v2.1.employeeType NOT EQUALS 'Contractor'":false}`}))),
			wantRule: "S05", wantCategory: diagnose.ScopingFilter,
			wantHelpDesk: []string{"Failing clauses: Staff v2.1.employeeType NOT EQUALS 'Contractor'", "employeeType = “Contractor”"},
		},
		{
			name: "scoping filter evaluation failed without listing its clauses",
			in: skInput(nil, &healthy, skAssigned(60*day), entry(2*h,
				skipped(map[string]string{"Scoping filter evaluation passed": "False"}))),
			wantRule: "S05", wantCategory: diagnose.ScopingFilter,
			wantHelpDesk: []string{"not listed in the entry"},
		},
		{
			name: "scoping filter on userType can never work",
			in: skInput(nil, &healthy, skAssigned(60*day), entry(2*h, skipped(map[string]string{
				"ScopeEvaluationResult": `{"Members only.userType EQUALS 'Member'":false}`}))),
			wantRule: "S06", wantCategory: diagnose.ScopingFilter,
			wantHelpDesk: []string{"“Members only.userType EQUALS 'Member'” (userType is not supported in scoping filters)"},
			wantEndUser:  []string{"written in a way that does not work"},
		},
		{
			name: "scoping filter compares a text value with Greater_Than",
			in: skInput(nil, &healthy, skAssigned(60*day), entry(2*h, skipped(map[string]string{
				"Scoping filter evaluation passed": "False",
				"ScopeEvaluationResult":            `{"Senior staff.employeeId Greater_Than 'A100'":"False"}`}))),
			wantRule: "S06", wantCategory: diagnose.ScopingFilter,
			wantHelpDesk: []string{"Greater_Than works only on integers, and “A100” is not one"},
		},
		{
			name: "scoping filter on a hire date never works",
			in: skInput(nil, &healthy, skAssigned(60*day), entry(2*h, skipped(map[string]string{
				"ScopeEvaluationResult": `{"Starters.employeeHireDate Greater_Than_OR_EQUALS '2026-01-01'":false}`}))),
			wantRule: "S06", wantCategory: diagnose.ScopingFilter,
			wantHelpDesk: []string{"employeeHireDate is a date attribute"},
		},
		{
			name: "text-message sign-in user skipped by cross-tenant synchronization",
			in: skInput(nil, &healthy, skAssigned(60*day), entry(2*h, skipped(map[string]string{
				"Assigned to the application": "True",
				"ScopeEvaluationResult":       `{"Filter external users.alternativeSecurityIds EQUALS 'None'":false}`}))),
			wantRule: "S13", wantCategory: diagnose.CrossTenantPolicy,
			wantHelpDesk: []string{"“Filter external users.alternativeSecurityIds EQUALS 'None'” evaluated to false", "SMS sign-in"},
			wantEndUser:  []string{"code sent by text message"},
		},
		{
			name: "not assigned in an app that syncs everyone: the skip is routine",
			in: skInput(nil, &healthy, skUnassigned(diagnose.ScopeAll),
				entry(2*h, skipped(map[string]string{"SkipReason": "NotEffectivelyEntitled", "Scope sync all": "True"}))),
			wantRule: "S11", wantCategory: diagnose.NotAssigned, wantSeverity: diagnose.SeverityInfo,
			wantHelpDesk: []string{"set to sync all users and groups", "Scope sync all = True", "not a fault"},
			wantEndUser:  []string{"Nothing is broken"},
		},
		{
			name:     "import skipped: she has no value for the detail used to find her account",
			in:       skInput(nil, &healthy, skAssigned(60*day), entry(2*h, skAtImport("ImportSkipped", "The user has no value for the matching attribute mail."))),
			wantRule: "S09", wantCategory: diagnose.MatchingAttributeMissing, code: "ImportSkipped",
			wantHelpDesk: []string{"Skipped at import with ImportSkipped", "does not mean Adele Vance is in scope", "matching attribute mail"},
			wantEndUser:  []string{"That detail is empty for you"},
		},
		{
			name: "generic skip code for a user nobody assigned",
			in: skInput(nil, &healthy, skUnassigned(diagnose.ScopeAssigned),
				entry(2*h, skipped(map[string]string{}), skipCode("EntrySynchronizationSkipped", "The object was skipped."))),
			wantRule: "S10", wantCategory: diagnose.NotAssigned, code: "EntrySynchronizationSkipped",
			wantHelpDesk: []string{"with EntrySynchronizationSkipped", "no details", "not assigned to Salesforce now"},
			wantEndUser:  []string{"made no change, because you do not have access"},
		},
		{
			name: "generic skip code with status spelled Skipped: out of scope or nothing to change",
			in: skInput(nil, &healthy, skAssigned(60*day),
				entry(2*h, skipped(map[string]string{"Active in the source system": "True"}), skRaw("Skipped"),
					skipCode("EntrySynchronizationSkipped", "Skipped: no change needed or out of scope."))),
			wantRule: "S10b", wantCategory: diagnose.ScopingFilter, code: "EntrySynchronizationSkipped",
			wantHelpDesk: []string{"either out of scope", "or no change needed", "Active in the source system = True", "assigned directly"},
			wantEndUser:  []string{"The record does not say which"},
		},
		{
			name: "generic skip code, but the details show the scoping filter: the filter explains it",
			in: skInput(nil, &healthy, skAssigned(60*day),
				entry(2*h, skipped(map[string]string{"ScopeEvaluationResult": `{"EMEA.country EQUALS 'DE'":false}`}),
					skipCode("EntrySynchronizationSkipped", "Skipped."))),
			wantRule: "S05", wantCategory: diagnose.ScopingFilter,
			wantHelpDesk: []string{"EMEA.country EQUALS 'DE'", "The import step shows no value for country"},
		},
		{
			name: "group objects are not synchronized across tenants; they only define scope",
			in: skInput(nil, &healthy, skAssigned(60*day),
				entry(2*h, skAtImport("EntityTypeNotSupported", "Group objects are not supported for synchronization."))),
			wantRule: "S12", wantCategory: diagnose.CrossTenantPolicy, wantSeverity: diagnose.SeverityInfo, code: "EntityTypeNotSupported",
			wantHelpDesk: []string{"does not synchronize group objects"}, wantEndUser: []string{"about a group, not about your own account"},
		},
		{
			name: "skipped for a reason provbot does not know: the details are quoted",
			in: skInput(nil, &healthy, skAssigned(60*day),
				entry(2*h, skipped(map[string]string{"SkipReason": "TargetObjectLocked", "Active in the source system": "True"}))),
			wantRule: "S10c", wantCategory: diagnose.UnknownError,
			wantHelpDesk: []string{"SkipReason = TargetObjectLocked", "EntrySynchronizationScoping (scoping)", "The entry carries no error information"},
			wantEndUser:  []string{"gives no reason provbot knows"},
		},
		{
			name: "skipped as not assigned while she is only in a nested group: the nested group explains it",
			in: skInput(nil, &healthy, &diagnose.Assignment{Kind: diagnose.AssignmentNestedGroupOnly, Group: "Sales Team", ViaGroup: "EMEA Sales", Scope: diagnose.ScopeAssigned},
				entry(2*h, skipped(notEntitled("False", "True")))),
			wantRule: "L07", wantCategory: diagnose.NestedGroupOnly,
			wantHelpDesk: []string{"EMEA Sales"},
		},
	})
}

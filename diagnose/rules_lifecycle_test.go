package diagnose_test

import (
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// lcChanged records a property the entry changed from one value to another.
func lcChanged(name, from, to string) mod {
	return func(e *diagnose.Entry) {
		e.Modified = append(e.Modified, diagnose.ModifiedProperty{Name: name, OldValue: from, NewValue: to})
	}
}

// lcOff makes the entry a successful disable (or delete, or another
// action spelled as given) of Adele's existing Salesforce account, after
// she went out of scope.
func lcOff(rawAction string) mod {
	return func(e *diagnose.Entry) {
		action(rawAction)(e)
		for i := range e.Steps {
			switch e.Steps[i].Type {
			case diagnose.StepScoping:
				e.Steps[i].Details = map[string]string{"Active in the source system": "True", "Assigned to the application": "False"}
			case diagnose.StepMatching:
				e.Steps[i].Name, e.Steps[i].Description = "EntrySynchronizationUpdate", "User 'adele@contoso.com' will be disabled in Salesforce"
			case diagnose.StepExport:
				e.Steps[i].Name, e.Steps[i].Description = "EntryExportUpdate", "User 'adele@contoso.com' was updated in Salesforce"
			}
		}
	}
}

// lcManagerStep adds a reference-resolution step that could not set the
// manager, with the given step status.
func lcManagerStep(status diagnose.Result) mod {
	return func(e *diagnose.Entry) {
		e.Steps = append(e.Steps, diagnose.Step{Name: "EntryReferenceResolution", Type: diagnose.StepReferenceResolution, RawType: "referenceResolution",
			Status: status, RawStatus: string(status),
			Description: "Unable to resolve the reference attribute manager: the referenced user was not found in Salesforce",
			Details:     map[string]string{"ErrorCode": "UnableToResolveReferenceAttributeValue", "manager": "4e1a9c6b-0000-4000-8000-00000000b0b1"}})
	}
}

// lcStatus sets the entry's status.
func lcStatus(raw string) mod {
	return func(e *diagnose.Entry) { e.Status, e.RawStatus = diagnose.ParseResult(raw), raw }
}

func TestLifecycleRules(t *testing.T) {
	h := time.Hour
	day := 24 * h
	healthy := job()
	held := job(quarantined("TooManyDeletes", "TooManyDeletes", "The number of deletions exceeded the threshold.", 2*h))
	unassigned := &diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: diagnose.ScopeAssigned}
	disabled := adele()
	disabled.Enabled = false
	deleted := func(ago time.Duration) *diagnose.User {
		u := adele()
		u.Enabled, u.SoftDeleted, u.DeletedAt = false, true, now.Add(-ago)
		return u
	}
	runRuleCases(t, []ruleCase{
		{
			name:     "turned off in the app after she was unassigned",
			in:       appWith(&healthy, unassigned, entry(30*day, action("Create")), entry(3*h, lcOff("Disable"), lcChanged("IsSoftDeleted", "False", "True"))),
			wantRule: "D01", wantCategory: diagnose.Deprovisioned, wantSeverity: diagnose.SeverityInfo,
			wantHelpDesk: []string{"disabled Adele Vance in Salesforce at 11:00 UTC", "IsSoftDeleted False → True", "Adele Vance is not assigned to Salesforce now"},
			wantEndUser:  []string{"turned off at 11:00 UTC (3 hours ago)"},
			wantEstimate: diagnose.EstimateDone,
		},
		{
			name: "turned off after a scoping filter left her out, the app sending active false",
			in: appWith(&healthy, nil, entry(3*h, lcOff("disable"), lcChanged("active", "True", "False"),
				detail(diagnose.StepScoping, "Assigned to the application", "True"),
				detail(diagnose.StepScoping, "ScopeEvaluationResult", `{"Sales only.department EQUALS 'Sales'":false}`))),
			wantRule: "D01", wantCategory: diagnose.Deprovisioned,
			wantHelpDesk: []string{"active True → False", "the scoping filter rejected Adele Vance (Sales only.department EQUALS 'Sales')"},
		},
		{
			name: "turned off in the app because her directory account is turned off",
			in: skInput(disabled, &healthy, skAssigned(60*day), entry(2*h, lcOff("Disable"),
				detail(diagnose.StepImport, "accountEnabled", "False"), lcChanged("IsSoftDeleted", "False", "True"))),
			wantRule: "D02", wantCategory: diagnose.UserDisabled,
			wantHelpDesk: []string{"because Adele Vance's account was turned off in Entra: the import step reports accountEnabled = False", "IsSoftDeleted False → True"},
			wantEndUser:  []string{"So your Salesforce account was turned off too, at 12:00 UTC"},
		},
		{
			name: "turned off because her account was turned off, known only from the log",
			in: func() diagnose.Input {
				return diagnose.Input{Apps: []diagnose.App{salesforce(&healthy, nil)}, Entries: []diagnose.Entry{
					entry(2*h, lcOff("Disable"), lcChanged("accountEnabled", "True", "False")),
				}}
			},
			wantRule: "D02", wantCategory: diagnose.UserDisabled,
			wantHelpDesk: []string{"accountEnabled True → False", "this entry changed accountEnabled from True to False"},
		},
		{
			name:     "turned off in the app because she was deleted from the directory",
			in:       skInput(deleted(2*day), &healthy, unassigned, entry(1*day, lcOff("Disable"), lcChanged("IsSoftDeleted", "False", "True"))),
			wantRule: "D02c", wantCategory: diagnose.UserDeleted,
			wantHelpDesk: []string{"is soft-deleted in Entra (deleted Mon 23 Nov 14:00 UTC)", "30 days after a soft delete"},
			wantEndUser:  []string{"Your work account was deleted", "turned off at Tue 24 Nov 14:00 UTC"},
		},
		{
			name: "unassigned earlier and deleted later: no delete is sent, the disabled account stays",
			in: skInput(deleted(1*day), &healthy, unassigned,
				entry(40*day, action("Create")), entry(5*day, lcOff("Disable"), lcChanged("IsSoftDeleted", "False", "True"))),
			wantRule: "D05", wantCategory: diagnose.Deprovisioned, wantSeverity: diagnose.SeverityInfo,
			wantHelpDesk: []string{"deleted in Entra later (Tue 24 Nov 14:00 UTC)", "no delete is sent", "not assigned to Salesforce now"},
			wantEndUser:  []string{"does not remove accounts it no longer looks after"},
		},
		{
			name: "deleted in the app after she was deleted from the directory for good",
			in: func() diagnose.Input {
				return diagnose.Input{Apps: []diagnose.App{salesforce(&healthy, nil)}, Entries: []diagnose.Entry{
					entry(31*day, lcOff("Disable"), lcChanged("IsSoftDeleted", "False", "True")),
					entry(1*day, lcOff("Delete")),
				}}
			},
			wantRule: "D03", wantCategory: diagnose.UserDeleted,
			wantHelpDesk: []string{"deleted Adele Vance's account in Salesforce at Tue 24 Nov 14:00 UTC", "action delete", "provbot could not read whether the user is still in the directory"},
			wantEndUser:  []string{"Accounts are deleted when people leave the company directory"},
			wantEstimate: diagnose.EstimateDone,
		},
		{
			name:     "deleted in the app although she still exists: the app cannot disable accounts",
			in:       appWith(&healthy, unassigned, entry(4*h, lcOff("Delete"))),
			wantRule: "D03b", wantCategory: diagnose.Deprovisioned,
			wantHelpDesk: []string{"although Adele Vance still exists in Entra: Adele Vance is not assigned to Salesforce now", "cannot disable accounts"},
			wantEndUser:  []string{"was removed at 10:00 UTC"},
		},
		{
			name: "turned back on after being turned off three days ago",
			in: appWith(&healthy, nil,
				entry(3*day, lcOff("Disable"), lcChanged("IsSoftDeleted", "False", "True")),
				entry(1*h, action("Update"), lcChanged("IsSoftDeleted", "True", "False"))),
			wantRule: "D06", wantCategory: diagnose.Provisioned, wantSeverity: diagnose.SeverityOK,
			wantHelpDesk: []string{"enabled again in Salesforce at 13:00 UTC", "IsSoftDeleted True → False",
				"after being disabled at Sun 22 Nov 14:00 UTC (change chg-140000)", "dynamic groups are not restored"},
			wantEndUser: []string{"turned back on at 13:00 UTC (60 minutes ago)"},
		},
		{
			name:     "turned back on, seen only in the modified properties",
			in:       appWith(&healthy, nil, entry(1*h, action("Update"), lcChanged("active", "False", "True"))),
			wantRule: "D06", wantCategory: diagnose.Provisioned,
			wantHelpDesk: []string{"after being disabled earlier (this entry switches it back on)", "active False → True"},
		},
		{
			name: "turned off, then given access again twenty minutes ago: the next cycle at 14:30 turns it back on",
			in: appWith(&healthy, skAssigned(20*time.Minute),
				entry(3*h, lcOff("Disable"), lcChanged("IsSoftDeleted", "False", "True"))),
			wantRule: "D01b", wantCategory: diagnose.PendingNextCycle, wantSeverity: diagnose.SeverityInfo,
			wantHelpDesk: []string{"assigned again at 13:40 UTC (20 minutes ago; assigned directly)", "at about 14:30 UTC"},
			wantEndUser:  []string{"given access again at 13:40 UTC", "will be picked up by the next cycle at about 14:30 UTC"},
			wantEstimate: diagnose.EstimateNextCycle,
		},
		{
			name: "removal held by accidental-deletions prevention (action spelled stageddelete) while the job is quarantined for deletes",
			in: appWith(&held, &diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: diagnose.ScopeAssigned},
				entry(90*time.Minute, lcOff("stageddelete"))),
			wantRule: "D07", wantCategory: diagnose.DeletesHeld, wantSeverity: diagnose.SeverityWarning,
			wantHelpDesk: []string{"has action stageddelete", "than the threshold (500) allows", "quarantined with reason TooManyDeletes"},
			wantEndUser:  []string{"on hold until an admin checks them", "stays as it is"},
			wantNotes:    []string{"J07n"},
			wantEstimate: diagnose.EstimateAdminAction,
		},
		{
			name:     "removal held, the job no longer quarantined",
			in:       appWith(&healthy, nil, entry(90*time.Minute, lcOff("StagedDelete"))),
			wantRule: "D07", wantCategory: diagnose.DeletesHeld,
			wantHelpDesk: []string{"has action StagedDelete", "not quarantined now (status Active), so the held removals were probably allowed"},
		},
		{
			name: "her manager could not be set because the manager has no account in the app",
			in: appWith(&healthy, nil, entry(2*h, action("Update"), lcStatus("warning"),
				lcManagerStep(diagnose.ResultFailure))),
			wantRule: "D09", wantCategory: diagnose.ReferenceUnresolved, wantSeverity: diagnose.SeverityWarning,
			wantHelpDesk: []string{"manager reference of Adele Vance could not be resolved", "EntryReferenceResolution (referenceResolution) says",
				"Unable to resolve the reference attribute manager", "restarted"},
			wantEndUser:  []string{"does not show your manager yet"},
			wantEstimate: diagnose.EstimateAdminAction,
		},
		{
			name:     "account created, but her manager could not be set",
			in:       appWith(&healthy, nil, entry(2*h, lcManagerStep(diagnose.ResultFailure))),
			wantRule: "D09b", wantCategory: diagnose.ReferenceUnresolved,
			wantHelpDesk: []string{"The create request for Adele Vance succeeded at 12:00 UTC", "manager reference could not be resolved"},
			wantEndUser:  []string{"set up and ready to use", "link to your manager could not be set"},
		},
		{
			name: "a reference other than the manager is left to the export family",
			in: appWith(&healthy, nil, entry(2*h, action("Update"), lcStatus("warning"), func(e *diagnose.Entry) {
				e.Steps = append(e.Steps, diagnose.Step{Name: "EntryReferenceResolution", Type: diagnose.StepReferenceResolution,
					Status: diagnose.ResultFailure, RawStatus: "failure",
					Description: "UnableToResolveReferenceAttributeValue: we were unable to assign the user as the members of Sales Team."})
			})),
			wantRule: "E17", wantCategory: diagnose.ReferenceUnresolved,
		},
	})
}

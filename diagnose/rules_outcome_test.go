package diagnose_test

import (
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

func TestOutcomeRules(t *testing.T) {
	h := time.Hour
	healthy := job()
	runRuleCases(t, []ruleCase{
		{
			name:     "account created three hours ago and ready to use",
			in:       appWith(&healthy, nil, entry(3*h)),
			wantRule: "M01", wantCategory: diagnose.Provisioned, wantSeverity: diagnose.SeverityOK,
			wantHelpDesk: []string{"created Adele Vance in Salesforce", "005Dn000003XyZ1", "chg-"},
			wantEndUser:  []string{"was made at 11:00 UTC", "3 hours ago"},
			wantEstimate: diagnose.EstimateDone,
		},
		{
			name:     "account updated an hour ago",
			in:       appWith(&healthy, nil, entry(48*h), entry(1*h, action("Update"))),
			wantRule: "J06", wantCategory: diagnose.Provisioned,
			wantHelpDesk: []string{"last updated", "action update"}, wantEndUser: []string{"last change to it was sent at 13:00 UTC"},
		},
		{
			name: "three conflicts then a success: resolved, and says when",
			in: appWith(&healthy, nil,
				entry(50*h, failed("SalesforceEntryConflict", "HTTP status code 409")),
				entry(10*h, failed("SalesforceEntryConflict", "HTTP status code 409")),
				entry(5*h, failed("SalesforceEntryConflict", "HTTP status code 409")),
				entry(2*h)),
			wantRule: "E16r", wantCategory: diagnose.Provisioned,
			wantHelpDesk: []string{"after 3 failed attempts", "SalesforceEntryConflict", "succeeded at 12:00 UTC"},
			wantEndUser:  []string{"had a problem before, but it was fixed", "12:00 UTC"},
		},
		{
			name: "already in sync: nothing to change",
			in: appWith(&healthy, nil, entry(30*time.Minute, func(e *diagnose.Entry) {
				e.Status, e.RawStatus = diagnose.ResultSkipped, "Skipped"
				e.Action, e.RawAction = diagnose.ActionOther, "Other"
				e.Steps = append(e.Steps[:3], diagnose.Step{Name: "EntrySynchronizationSkip", Type: diagnose.StepExport, RawType: "Export",
					Status: diagnose.ResultSkipped, RawStatus: "Skipped",
					Description: "The state of the user in both the source and target systems already match. No change to the user needs to be made.",
					Details:     map[string]string{"SkipReason": "RedundantExport"}})
			})),
			wantRule: "S08", wantCategory: diagnose.AlreadyInSync, wantSeverity: diagnose.SeverityOK,
			wantHelpDesk: []string{"RedundantExport"}, wantEndUser: []string{"already matches"},
		},
	})
}

func TestNoLogsRules(t *testing.T) {
	m := time.Minute
	healthy := job() // last run ended 10 minutes ago, every 40 minutes
	assignedAt := func(ago time.Duration) *diagnose.Assignment {
		return &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-ago), Scope: diagnose.ScopeAssigned}
	}
	runRuleCases(t, []ruleCase{
		{
			name: "only in a group nested inside the assigned group, which provisioning ignores",
			in: appWith(&healthy, &diagnose.Assignment{Kind: diagnose.AssignmentNestedGroupOnly, Group: "Sales Team", ViaGroup: "EMEA Sales",
				Since: now.Add(-20 * 24 * time.Hour), Scope: diagnose.ScopeAssigned}),
			wantRule: "L07", wantCategory: diagnose.NestedGroupOnly,
			wantHelpDesk: []string{"the group EMEA Sales", "nested in Sales Team", "direct members"},
			wantEndUser:  []string{"It sits inside Sales Team", "placed straight in"},
		},
		{
			name:     "not assigned and the app syncs only assigned users",
			in:       appWith(&healthy, &diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: diagnose.ScopeAssigned}),
			wantRule: "L09", wantCategory: diagnose.NotAssigned,
			wantHelpDesk: []string{"not assigned to Salesforce"}, wantEndUser: []string{"not been given access"},
		},
		{
			name:     "not assigned, and the app leaves out-of-scope accounts alone",
			in:       appWith(&healthy, &diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: diagnose.ScopeAssigned, SkipOutOfScopeDeletions: true}),
			wantRule: "L09", wantCategory: diagnose.NotAssigned, wantNotes: []string{"D04"},
		},
		{
			name: "directory account turned off, so no account is made",
			in: func() diagnose.Input {
				u := adele()
				u.Enabled = false
				return diagnose.Input{User: u, Apps: []diagnose.App{salesforce(&healthy, nil)}}
			},
			wantRule: "S04b", wantCategory: diagnose.UserDisabled,
			wantHelpDesk: []string{"accountEnabled = false"}, wantEndUser: []string{"work account is turned off"},
		},
		{
			name: "deleted from the directory two days ago",
			in: func() diagnose.Input {
				u := adele()
				u.SoftDeleted, u.DeletedAt = true, now.Add(-48*time.Hour)
				return diagnose.Input{User: u, Apps: []diagnose.App{salesforce(&healthy, nil)}}
			},
			wantRule: "D02b", wantCategory: diagnose.UserDeleted,
			wantHelpDesk: []string{"recycle bin", "deleted at Mon 23 Nov 14:00 UTC"}, wantEndUser: []string{"was deleted"},
		},
		{
			name:     "assigned five minutes ago, after the last cycle: the next cycle at 14:30 creates the account",
			in:       appWith(&healthy, assignedAt(5*m)),
			wantRule: "T02", wantCategory: diagnose.PendingNextCycle, wantSeverity: diagnose.SeverityInfo,
			wantHelpDesk: []string{"assigned to Salesforce at 13:55 UTC", "14:30 UTC"},
			wantEndUser:  []string{"given access to Salesforce at 13:55 UTC", "at about 14:30 UTC"},
			wantEstimate: diagnose.EstimateNextCycle, wantNotes: []string{"T04"},
		},
		{
			name:     "assigned an hour ago and a cycle ran since, but the record is not visible yet",
			in:       appWith(&healthy, assignedAt(60*m)),
			wantRule: "L03", wantCategory: diagnose.PendingNextCycle,
			wantHelpDesk: []string{"up to two hours"}, wantEndUser: []string{"up to two hours"},
		},
		{
			name:     "assigned two months ago and nothing in the last 30 days",
			in:       appWith(&healthy, assignedAt(60*24*time.Hour)),
			wantRule: "L01", wantCategory: diagnose.NoLogs,
			wantHelpDesk: []string{"in the last 30 days (logs are kept 30 days"}, wantEndUser: []string{"in the last 30 days"},
		},
		{
			name: "nothing known at all: no entries, no job, no assignment",
			in: func() diagnose.Input {
				return diagnose.Input{User: adele(), Apps: []diagnose.App{{ID: spID, Name: appNameSF}}}
			},
			wantRule: "X03", wantCategory: diagnose.NoLogs,
		},
	})
}

func TestJobNotes(t *testing.T) {
	m := time.Minute
	runRuleCases(t, []ruleCase{
		{
			name: "account made, but the job's last cycle left other accounts failing",
			in: appWith(ptr(job(func(j *diagnose.Job) {
				j.Status.LastExecution.State, j.Status.LastExecution.RawState = diagnose.ExecutionEntryLevelError, "EntryLevelErrors"
				j.Status.LastExecution.CountEscrowed = 15
			})), nil, entry(90*m)),
			wantRule: "M01", wantCategory: diagnose.Provisioned, wantNotes: []string{"J17"},
			wantHelpDesk: []string{"created Adele Vance"},
		},
		{
			name:     "account made while the initial cycle dropped its retry queue",
			in:       appWith(ptr(job(func(j *diagnose.Job) { j.Status.EscrowsPruned = true })), nil, entry(90*m)),
			wantRule: "M01", wantCategory: diagnose.Provisioned, wantNotes: []string{"J18"},
		},
		{
			name: "the job runs but has written nothing to the app for weeks",
			in: appWith(ptr(job(func(j *diagnose.Job) {
				old := *j.Status.LastExecution
				old.Ended = now.Add(-20 * 24 * time.Hour)
				j.Status.LastSuccessfulExecutionWithExports = &old
			})), nil, entry(25*24*time.Hour)),
			wantRule: "M01", wantCategory: diagnose.Provisioned, wantNotes: []string{"J19"},
		},
	})
}

func TestFallbackRules(t *testing.T) {
	healthy := job()
	runRuleCases(t, []ruleCase{
		{
			name: "an error code nobody documented still gets an honest answer quoting the service",
			in: appWith(&healthy, nil, entry(time.Hour, failed("ContosoFluxCapacitorOverload",
				"StatusCode: 418 Message: Contoso returned an error response: I'm a teapot."))),
			wantRule: "X01", wantCategory: diagnose.UnknownError,
			wantHelpDesk: []string{"ContosoFluxCapacitorOverload", "HTTP status 418", "teapot", "EntryExportAdd (export)"},
			wantEndUser:  []string{"does not know this error"},
		},
		{
			name: "a warning with no details is reported as it is",
			in: appWith(&healthy, nil, entry(time.Hour, func(e *diagnose.Entry) {
				e.Status, e.RawStatus = diagnose.ResultUnknown, "unknownFutureValue"
			})),
			wantRule: "X02", wantCategory: diagnose.UnknownError,
			wantHelpDesk: []string{"status unknownFutureValue"},
		},
	})
}

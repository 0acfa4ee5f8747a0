package diagnose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// TestStateOutranksTheEntry: a job that holds back everyone's changes
// leads whenever it holds back something for this user, and its own error
// code decides the category; otherwise the user's own state leads, never
// as "ok", with a note about the job.
func TestStateOutranksTheEntry(t *testing.T) {
	h, day := time.Hour, 24*time.Hour
	creds := job(quarantined("EncounteredQuarantineException", "SalesforceInvalidCredentials", "Your Salesforce.com credentials are invalid.", 20*day))
	escrow := job(quarantined("EncounteredEscrowProportionThreshold", "", "", 5*h))
	paused := job(func(j *diagnose.Job) {
		j.Status.Code, j.Status.RawCode = diagnose.StatusPaused, "Paused"
		j.Schedule = diagnose.Schedule{Unscheduled: true, State: diagnose.ScheduleDisabled, RawState: "Disabled"}
	})
	autoRedeem := job(quarantined("EncounteredQuarantineException", "AzureDirectoryB2BManagementPolicyCheckFailure",
		"Policy permitting auto-redemption of invitations not configured.", 2*day), func(j *diagnose.Job) {
		j.ID, j.TemplateID = "Azure2Azure.fabrikam", "Azure2Azure"
	})
	otherCode := job(quarantined("EncounteredQuarantineException", "SystemForCrossDomainIdentityManagementServiceIncompatible",
		"The SCIM endpoint is not compliant.", 2*day))
	conflict := failed("SalesforceEntryConflict", "StatusCode: 409 Message: userName already exists.")
	assignedRecently := &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-30 * time.Minute), Scope: diagnose.ScopeAssigned}
	notAssigned := &diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: diagnose.ScopeAssigned}

	runRuleCases(t, []ruleCase{
		{
			name:     "quarantined for weeks, account made long before: provisioned, but never ok and the job's fix is the action",
			in:       appWith(&creds, nil, entry(40*day)),
			wantRule: "M01", wantCategory: diagnose.Provisioned, wantSeverity: diagnose.SeverityWarning,
			wantHelpDesk: []string{"created Adele Vance in Salesforce"}, wantNotes: []string{"J07n"},
		},
		{
			name:     "quarantined, and her own create failed: the quarantine leads, her failure is a note",
			in:       appWith(&creds, nil, entry(2*h, conflict)),
			wantRule: "J08", wantCategory: diagnose.JobQuarantinedCredentials, wantNotes: []string{"X04"},
			wantEstimate: diagnose.EstimateQuarantineRetry,
		},
		{
			name:     "quarantined for too many failures, and her own create failed too: the quarantine leads",
			in:       appWith(&escrow, nil, entry(2*h, conflict)),
			wantRule: "J09", wantCategory: diagnose.JobQuarantinedErrors, wantNotes: []string{"X04"},
		},
		{
			name: "paused after her account was turned off, and she was given the app again since: the pause holds that back",
			in: appWith(&paused, assignedRecently, entry(5*h, action("Disable"), func(e *diagnose.Entry) {
				e.Steps[1].Details = map[string]string{"Assigned to the application": "False", "Active in the source system": "True"}
			})),
			wantRule: "J03", wantCategory: diagnose.JobPaused, wantEstimate: diagnose.EstimateAdminAction,
		},
		{
			name:     "cross-tenant job quarantined with the auto-redemption error: fixed in both tenants' settings, not with a new token",
			in:       appWith(&autoRedeem, nil),
			wantRule: "J15", wantCategory: diagnose.CrossTenantPolicy,
			wantHelpDesk: []string{"automatically redeems invitations", "New credentials do not help"},
			wantEndUser:  []string{"not set to accept accounts without an invite email"},
		},
		{
			name:     "quarantined with an error code that is not about credentials: its code is said, credentials are not blamed",
			in:       appWith(&otherCode, nil),
			wantRule: "J07", wantCategory: diagnose.JobQuarantinedOther,
			wantHelpDesk: []string{"SystemForCrossDomainIdentityManagementServiceIncompatible"},
		},
		{
			name: "Graph says not assigned, whatever role the skip names: not-assigned",
			in: skInput(nil, ptr(job()), notAssigned, entry(3*h, skipped(map[string]string{
				"User has the required role": "False", "SkipReason": "NotEffectivelyEntitled"}))),
			wantRule: "S01", wantCategory: diagnose.NotAssigned,
			wantHelpDesk: []string{"Microsoft Graph shows Adele Vance is not assigned to Salesforce now"},
		},
	})
}

// TestUnreadFactsStayUnknown: a fact that could not be read is never
// taken as false; the answer says what it depends on.
func TestUnreadFactsStayUnknown(t *testing.T) {
	h := time.Hour
	healthy := job()
	groupUndated := &diagnose.Assignment{Kind: diagnose.AssignmentGroup, Group: "Sales Team", Scope: diagnose.ScopeAssigned}
	offlineUser := func() *diagnose.User {
		return &diagnose.User{ObjectID: adeleID, UPN: adeleUPN, DisplayName: "Adele Vance"} // Enabled false: not read
	}
	offline := func(entries ...diagnose.Entry) func() diagnose.Input {
		return func() diagnose.Input {
			in := diagnose.Input{User: offlineUser(), Entries: entries, Apps: []diagnose.App{salesforce(&healthy, nil)}}
			in.Apps[0].Assignment = nil
			in.Unknown = in.Unknown.Set(diagnose.FactUserState, diagnose.UnreadOffline)
			return in
		}
	}
	budget := func(a *diagnose.Assignment, entries ...diagnose.Entry) func() diagnose.Input {
		return func() diagnose.Input {
			in := appWith(&healthy, a, entries...)()
			in.Apps[0].Unknown = in.Apps[0].Unknown.Set(diagnose.FactAssignmentSince, diagnose.UnreadBudget)
			return in
		}
	}

	runRuleCases(t, []ruleCase{
		{
			name:     "skipped as not assigned, in a group now, the membership date not read (budget): it depends on when",
			in:       budget(groupUndated, entry(3*h, skipped(map[string]string{"Assigned to the application": "False"}))),
			wantRule: "S01u", wantCategory: diagnose.PendingNextCycle,
			wantHelpDesk: []string{"the reporting budget was used up", "If Adele Vance was added after 11:00 UTC"},
			wantEndUser:  []string{"If you got it after 11:00 UTC"},
		},
		{
			name:     "no entry, in a group, the membership date not read: if given access since the last cycle it arrives then, otherwise look",
			in:       budget(groupUndated),
			wantRule: "L01u", wantCategory: diagnose.NoLogs,
			wantEndUser:  []string{"If you were given access in the last 13 minutes, your account should arrive at about 14:30 UTC"},
			wantHelpDesk: []string{"the reporting budget was used up"},
		},
		{
			name:     "offline, a failure no rule knows: the directory's unread accountEnabled is not taken as 'disabled'",
			in:       offline(entry(2*h, failed("SalesforceFrobnicatorJammed", "The frobnicator jammed."))),
			wantRule: "X01", wantCategory: diagnose.UnknownError,
		},
		{
			name:     "offline, skipped as inactive: said in the past tense from the entry, no claim about the directory now",
			in:       offline(entry(2*h, skipped(map[string]string{"Active in the source system": "False"}))),
			wantRule: "S04", wantCategory: diagnose.UserDisabled,
			wantHelpDesk: []string{"the scoping step reports Active in the source system = False"},
			wantEndUser:  []string{"your work account was turned off"},
		},
		{
			name: "offline, turned off in the app after accountEnabled went false in this entry",
			in: offline(entry(2*h, action("Disable"), func(e *diagnose.Entry) {
				e.Modified = []diagnose.ModifiedProperty{{Name: "accountEnabled", OldValue: "True", NewValue: "False"}}
			})),
			wantRule: "D02", wantCategory: diagnose.UserDisabled,
			wantHelpDesk: []string{"this entry changed accountEnabled from True to False"},
		},
	})
}

// TestOfflineNeverStatesDirectoryFacts sweeps every rule's answer for an
// offline user: no sentence may say what the directory shows now.
func TestOfflineNeverStatesDirectoryFacts(t *testing.T) {
	for _, en := range matrixEntries() {
		for _, jb := range matrixJobs() {
			app := salesforce(nil, nil)
			app.Assignment = nil
			jb.apply(&app)
			in := diagnose.Input{User: &diagnose.User{ObjectID: adeleID, DisplayName: "Adele Vance"}, Entries: en.apply(), Apps: []diagnose.App{app}}
			in.Unknown = in.Unknown.Set(diagnose.FactUserState, diagnose.UnreadOffline)
			for _, d := range diagnose.Diagnose(in, now) {
				for _, s := range append([]string{d.Headline, d.Explanation}, noteTexts(d)...) {
					for _, bad := range []string{"directory shows", "in the directory now", "in Entra now", "is disabled in Entra"} {
						if strings.Contains(s, bad) {
							t.Errorf("%s × %s: %q states a directory fact offline: %s", jb.name, en.name, bad, s)
						}
					}
				}
			}
		}
	}
}

func noteTexts(d diagnose.Diagnosis) []string {
	var out []string
	for _, n := range d.Notes {
		out = append(out, n.Text)
	}
	for _, r := range d.Recommendations {
		out = append(out, r.Text)
	}
	return out
}

// TestNestedGroupsNameExactlyThePath: a user who reaches the app only
// through nesting is told exactly the groups on the path, and a group that
// holds the whole tenant is never suggested for assignment.
func TestNestedGroupsNameExactlyThePath(t *testing.T) {
	healthy := job()
	nested := func(a diagnose.Assignment) func() diagnose.Input {
		a.Kind, a.Group, a.Scope = diagnose.AssignmentNestedGroupOnly, "ServiceNow Users", diagnose.ScopeAssigned
		return appWith(&healthy, &a)
	}
	runRuleCases(t, []ruleCase{
		{
			name:     "one group on the path, which may be assigned itself",
			in:       nested(diagnose.Assignment{ViaGroup: "Facilities Team", Path: []string{"Facilities Team"}}),
			wantRule: "L07", wantCategory: diagnose.NestedGroupOnly,
			wantHelpDesk: []string{"member of the group Facilities Team, which is nested in ServiceNow Users, the group assigned to Salesforce."},
			wantEndUser:  []string{"You are in the group Facilities Team."},
		},
		{
			name:     "two levels: the group in between is named",
			in:       nested(diagnose.Assignment{ViaGroup: "Facilities Team", Path: []string{"Facilities Team", "Operations"}}),
			wantRule: "L07", wantCategory: diagnose.NestedGroupOnly,
			wantHelpDesk: []string{"(through Operations in between)"},
		},
		{
			name:     "the path could not be read: the candidates are named as candidates",
			in:       nested(diagnose.Assignment{ViaGroup: "All Employees or Facilities Team"}),
			wantRule: "L07", wantCategory: diagnose.NestedGroupOnly,
			wantHelpDesk: []string{"one of the groups All Employees or Facilities Team"},
		},
	})
	for _, tc := range []struct {
		name       string
		a          diagnose.Assignment
		wantAssign string // "" when no group may be suggested
	}{
		{"an ordinary team is suggested", diagnose.Assignment{ViaGroup: "Facilities Team", Path: []string{"Facilities Team"}}, "assign Facilities Team itself"},
		{"a tenant-wide group on the path is never suggested", diagnose.Assignment{ViaGroup: "All Employees", Path: []string{"All Employees"}, PathTenantWide: true}, ""},
		{"candidates that were not confirmed are never suggested", diagnose.Assignment{ViaGroup: "All Employees or Facilities Team"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := nested(tc.a)()
			d := diagnose.Diagnose(in, now)[0]
			var all strings.Builder
			for _, r := range d.Recommendations {
				all.WriteString(r.Text + "\n")
			}
			got := all.String()
			switch {
			case tc.wantAssign != "" && !strings.Contains(got, tc.wantAssign):
				t.Errorf("recommendations lack %q:\n%s", tc.wantAssign, got)
			case tc.wantAssign == "" && strings.Contains(got, "itself to"):
				t.Errorf("a group is suggested for assignment:\n%s", got)
			}
			if strings.Contains(got, "All Employees") && strings.Contains(got, "assign All Employees") {
				t.Errorf("the tenant-wide group is suggested:\n%s", got)
			}
		})
	}
}

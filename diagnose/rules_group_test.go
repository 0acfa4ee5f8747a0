package diagnose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

const salesGroupID = "0b5fd1a2-53a7-4d3c-9f0e-6a1c2d3e4f50"

func salesGroup() *diagnose.Group {
	return &diagnose.Group{ObjectID: salesGroupID, DisplayName: "Sales"}
}

// asGroup makes an entry about the Sales group instead of Adele.
func asGroup(e *diagnose.Entry) {
	e.Source = diagnose.Identity{ID: salesGroupID, DisplayName: "Sales", Type: "Group"}
	e.Target.Type, e.Target.DisplayName = "Group", "Sales"
	for i := range e.Steps {
		e.Steps[i].Description = strings.ReplaceAll(e.Steps[i].Description, "User 'adele@contoso.com'", "Group 'Sales'")
	}
}

// groupInput asks about the Sales group in Salesforce; Adele's own
// entries are in the input too, and must be ignored.
func groupInput(j *diagnose.Job, a *diagnose.Assignment, entries ...diagnose.Entry) func() diagnose.Input {
	return func() diagnose.Input {
		es := append([]diagnose.Entry{entry(2 * time.Hour)}, entries...)
		return diagnose.Input{Group: salesGroup(), Entries: es, Apps: []diagnose.App{salesforce(j, a)}}
	}
}

func TestGroupRules(t *testing.T) {
	h, day := time.Hour, 24*time.Hour
	healthy := job()
	slackDeletes := job(quarantined("TooManyDeletes", "", "", 2*day))
	assigned := &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-20 * day), Scope: diagnose.ScopeAssigned}
	assignedJustNow := &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-3 * time.Minute), Scope: diagnose.ScopeAssigned}
	notAssigned := &diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: diagnose.ScopeAssigned}
	graphConflict := func() diagnose.Input {
		es := decodeEntries(t, readExample(t, "provisioningObjectSummary-list-v1-example2-failure-entryconflict.json"))
		app := diagnose.App{ID: es[0].ServicePrincipal.ID, Name: "Contoso", JobsKnown: true, Jobs: []diagnose.Job{healthyJob(15 * time.Minute)}}
		app.Jobs[0].ID = es[0].JobID
		return diagnose.Input{Group: &diagnose.Group{DisplayName: "Self-service Pilot"}, Entries: es, Apps: []diagnose.App{app}}
	}

	runRuleCases(t, []ruleCase{
		{
			name:     "the group was created, and the user entry beside it is not read",
			in:       groupInput(&healthy, assigned, entry(5*h, asGroup)),
			wantRule: "G01", wantCategory: diagnose.Provisioned,
			wantHelpDesk: []string{"created the Sales group in Salesforce at 09:00 UTC", "Members are added only when they are in scope"},
		},
		{
			name: "the group was updated: its members changed",
			in: groupInput(&healthy, assigned, entry(5*h, asGroup, action("Update"), func(e *diagnose.Entry) {
				e.Modified = []diagnose.ModifiedProperty{{Name: "members", NewValue: "[adele]"}}
			})),
			wantRule: "G02", wantCategory: diagnose.Provisioned,
			wantHelpDesk: []string{"last updated the Sales group", "it set 1 value;"},
		},
		{
			name:     "the group was removed when it left scope",
			in:       groupInput(&healthy, notAssigned, entry(5*h, asGroup, action("Delete"))),
			wantRule: "G03", wantCategory: diagnose.Deprovisioned,
			wantHelpDesk: []string{"removed the Sales group from Salesforce"},
		},
		{
			name:     "nothing to change for the group",
			in:       groupInput(&healthy, assigned, entry(5*h, asGroup, skipped(map[string]string{"SkipReason": "RedundantExport"}))),
			wantRule: "G04", wantCategory: diagnose.AlreadyInSync,
		},
		{
			name:     "cross-tenant synchronization does not copy groups",
			in:       groupInput(&healthy, assigned, entry(5*h, asGroup, skipped(nil), skipCode("EntityTypeNotSupported", "Group objects are not supported."))),
			wantRule: "G05", wantCategory: diagnose.CrossTenantPolicy,
			wantHelpDesk: []string{"only defines which of its members are in scope"},
		},
		{
			name:     "skipped: the group is not assigned to the app",
			in:       groupInput(&healthy, notAssigned, entry(5*h, asGroup, skipped(map[string]string{"Assigned to the application": "False"}))),
			wantRule: "G06", wantCategory: diagnose.NotAssigned,
			wantHelpDesk: []string{"the Sales group was not assigned to Salesforce", "a group nested inside such a group is not created"},
		},
		{
			name: "skipped by a group scoping filter",
			in: groupInput(&healthy, assigned, entry(5*h, asGroup, skipped(map[string]string{"Scoping filter evaluation passed": "False",
				"ScopeEvaluationResult": `{"Groups.displayName STARTS_WITH 'APP-'":false}`}))),
			wantRule: "G07", wantCategory: diagnose.ScopingFilter,
		},
		{
			name:     "Graph's own example: a group with the same name already exists in the app",
			in:       graphConflict,
			wantRule: "G08", wantCategory: diagnose.MatchingConflict,
			wantHelpDesk: []string{"the Self-service Pilot group", "ContosoEntryConflict"},
		},
		{
			name:     "the app throttled the group's creation",
			in:       groupInput(&healthy, assigned, entry(20*time.Minute, asGroup, failed("SalesforceTooManyRequests", "StatusCode: 429 Too Many Requests"))),
			wantRule: "G09", wantCategory: diagnose.TargetTransient, wantEstimate: diagnose.EstimateRetry,
		},
		{
			name:     "the app does not let provisioning manage groups",
			in:       groupInput(&healthy, assigned, entry(20*time.Minute, asGroup, failed("SalesforceInsufficientRights", "StatusCode: 403 Forbidden"))),
			wantRule: "G10", wantCategory: diagnose.TargetPermission,
		},
		{
			name:     "no entry and Graph says the group is not assigned",
			in:       groupInput(&healthy, notAssigned),
			wantRule: "G11", wantCategory: diagnose.NotAssigned,
			wantHelpDesk: []string{"The Sales group is not assigned to Salesforce"},
		},
		{
			name:     "the group was assigned after the last cycle",
			in:       groupInput(&healthy, assignedJustNow),
			wantRule: "G12", wantCategory: diagnose.PendingNextCycle, wantEstimate: diagnose.EstimateNextCycle,
		},
		{
			name: "no entry and the assignment could not be read",
			in: func() diagnose.Input {
				in := groupInput(&healthy, nil)()
				in.Apps[0].Assignment = nil
				return in
			},
			wantRule: "G13", wantCategory: diagnose.NoLogs,
			wantHelpDesk: []string{"Assignment: not known to provbot"},
		},
		{
			name:     "a failure no rule knows is quoted for the group",
			in:       groupInput(&healthy, assigned, entry(20*time.Minute, asGroup, failed("SalesforceFrobnicatorJammed", "The frobnicator jammed."))),
			wantRule: "G14", wantCategory: diagnose.UnknownError,
			wantHelpDesk: []string{"“The frobnicator jammed.”"},
		},
		{
			name:     "a quarantine holds the group back: the job leads, and the headline speaks of the group",
			in:       groupInput(&slackDeletes, assigned),
			wantRule: "J11", wantCategory: diagnose.JobQuarantinedDeletes,
		},
	})
}

// TestGroupAnswersSpeakOfTheGroup: every answer about a group names it as
// a group, and never speaks of "your account" or of a user's account.
func TestGroupAnswersSpeakOfTheGroup(t *testing.T) {
	for _, jb := range matrixJobs() {
		for _, en := range matrixEntries() {
			for _, as := range matrixAssignments() {
				app := salesforce(nil, nil)
				app.Assignment = nil
				if as.apply != nil && as.apply.Kind != diagnose.AssignmentGroup && as.apply.Kind != diagnose.AssignmentNestedGroupOnly {
					cp := *as.apply
					app.Assignment = &cp
				}
				jb.apply(&app)
				entries := en.apply()
				for i := range entries {
					asGroup(&entries[i])
				}
				for _, aud := range []diagnose.Audience{diagnose.HelpDesk, diagnose.EndUser} {
					in := diagnose.Input{Group: salesGroup(), Entries: entries, Apps: []diagnose.App{app}, Audience: aud}
					for _, d := range diagnose.Diagnose(in, now) {
						name := jb.name + " × " + en.name + " × " + as.name
						if d.User.Type != diagnose.SubjectGroup || d.Audience != diagnose.HelpDesk {
							t.Errorf("%s: subject %+v, audience %s", name, d.User, d.Audience)
						}
						if !strings.Contains(strings.ToLower(d.Headline), "the sales group") {
							t.Errorf("%s [%s]: headline does not name the group: %s", name, d.RuleID, d.Headline)
						}
						for _, s := range append([]string{d.Headline, d.Explanation}, noteTexts(d)...) {
							for _, bad := range []string{"your account", "Your account", "group's account", "group's directory account"} {
								if strings.Contains(s, bad) {
									t.Errorf("%s [%s]: %q in %q", name, d.RuleID, bad, s)
								}
							}
						}
						for _, v := range diagnose.CheckInvariants(in, d, now) {
							t.Errorf("%s [%s]: %s", name, d.RuleID, v)
						}
					}
				}
			}
		}
	}
}

// TestGroupFailuresReadLikeUsers: a group's failed entry is read in the
// same layers as a user's (the code, the SCIM body, the app's words, the
// HTTP status) and gets the same verdict, told of the group: every failure
// of the signal rules' table, made a group's, is decided by the same rule
// (or by a group rule for the same code and verdict), never by G14.
func TestGroupFailuresReadLikeUsers(t *testing.T) {
	for _, tc := range signalCases() {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in()
			for i := range in.Entries {
				asGroup(&in.Entries[i])
			}
			in.User, in.Group = nil, salesGroup()
			d := diagnose.Diagnose(in, now)[0]
			if d.Category != tc.wantCategory || d.RuleID != tc.wantRule && !strings.HasPrefix(d.RuleID, "G") || d.RuleID == "G14" {
				t.Fatalf("rule %s / %s, want %s / %s\n%s\n%s", d.RuleID, d.Category, tc.wantRule, tc.wantCategory, d.Headline, d.Explanation)
			}
			for _, s := range append([]string{d.Headline, d.Explanation}, recTexts(d)...) {
				for _, bad := range []string{"'s account", "your account", "Adele"} {
					if strings.Contains(s, bad) {
						t.Errorf("%q in %q", bad, s)
					}
				}
			}
			if !strings.Contains(strings.ToLower(d.Headline), "the sales group") {
				t.Errorf("headline does not name the group: %s", d.Headline)
			}
			checkDiagnosis(t, d)
			checkInvariants(t, in, []diagnose.Diagnosis{d})
		})
	}
}

func recTexts(d diagnose.Diagnosis) []string {
	var out []string
	for _, r := range d.Recommendations {
		out = append(out, r.Text)
	}
	return out
}

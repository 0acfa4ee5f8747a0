package diagnose

import (
	"fmt"
	"strings"
	"time"
)

// noLogsRules explain a user the logs say nothing about, from assignment
// and user facts, the job's timing and log retention (facts §3.1 B).
var noLogsRules = []Rule{
	{
		ID: "L07", Family: FamilyNoLogs, Category: NestedGroupOnly, Severity: SeverityWarning, Tier: TierFacts,
		When:     func(c *Case) bool { return c.Assigned() == AssignmentNestedGroupOnly },
		Headline: "{user} reaches {app} only through a group inside another group, which provisioning ignores.",
		EndUser: "You are in {ingroup}. It sits inside {outergroup}, the group that gives people {app}. " +
			"Only people placed straight in {outergroup} get an account. " +
			"So no {app} account was made for you.",
		HelpDesk: "{user} is a member of {ingroup}, which is nested in {outergroup}, the group assigned to {app}{pathnote}. " +
			"Provisioning reads only direct members of assigned groups; nested members are never in scope.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to put you in {outergroup} itself, or to give you {app} on your own."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Add {user} directly to {outergroup}, or assign {user} to {app} under Users and groups."},
			{PartyHelpDesk, "{assigninner}"},
		},
		Vars:    nestedVars,
		Article: articleHowWorks,
	},
	{
		ID: "L09", Family: FamilyNoLogs, Category: NotAssigned, Severity: SeverityWarning, Tier: TierFacts,
		When: func(c *Case) bool {
			return c.Assigned() == AssignmentNone && c.Assignment.Scope != ScopeAll
		},
		Headline: "{user} is not assigned to {app}, so no account is made.",
		EndUser: "{app} only makes accounts for people who were given access to it. " +
			"You have not been given access, so no {app} account was made for you.",
		HelpDesk: "{user} is not assigned to {app}, neither directly nor through a group they are a direct member of, " +
			"and the app provisions only assigned users and groups. Unassigned users are out of scope (they may or may not show up as skipped).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk or your manager for access to {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "If {user} should have {app}, assign them (or a group they are directly in) under Enterprise apps → {app} → Users and groups. The next cycle then creates the account{ifruns}."},
		},
		Article: articleNoUsers,
	},
	{
		ID: "S04b", Family: FamilyNoLogs, Category: UserDisabled, Severity: SeverityWarning, Tier: TierFacts,
		When:     func(c *Case) bool { return c.userOff() },
		Headline: "{user}'s directory account is turned off, so {app} gives them no account.",
		EndUser: "Your work account is turned off in the company directory. " +
			"Apps like {app} do not make accounts for people whose work account is off.",
		HelpDesk: "{user} has accountEnabled = false in Entra. Provisioning a disabled user is not supported: the user counts as out of scope, " +
			"and an existing account in {app} is disabled.",
		UserDo: []Recommendation{{PartyHelpDesk, "Contact the help desk to find out why your work account is turned off."}},
		Do: []Recommendation{
			{PartyHelpDesk, "If {user} should work, enable the account in Entra (accountEnabled = true); the next cycle then provisions them{ifruns}."},
		},
		Article: articleHowWorks,
	},
	{
		ID: "D02b", Family: FamilyNoLogs, Category: UserDeleted, Severity: SeverityWarning, Tier: TierFacts,
		When: func(c *Case) bool { return c.userSoftDeleted() },
		Vars: func(c *Case) map[string]string {
			if c.User.DeletedAt.IsZero() {
				return map[string]string{"deletedwhen": "recently"}
			}
			return map[string]string{"deletedwhen": "at " + c.clock(c.User.DeletedAt)}
		},
		Headline: "{user} was deleted from the directory {deletedwhen}, so {app} keeps no account for them.",
		EndUser: "Your work account was deleted from the company directory. " +
			"Apps like {app} turn off the accounts of people who were deleted.",
		HelpDesk: "{user} is in the Entra recycle bin (deleted {deletedwhen}). Soft-deleted users are disabled in {app}; " +
			"30 days later the deletion becomes permanent and, if the app allows deletes, the account is deleted there.",
		UserDo: []Recommendation{{PartyHelpDesk, "Contact the help desk if you think this is a mistake."}},
		Do: []Recommendation{
			{PartyHelpDesk, "If the deletion was a mistake, restore {user} from Deleted users within 30 days; provisioning then enables the account again."},
		},
		Article: articleHowWorks,
	},
	{
		ID: "T02", Family: FamilyTiming, Category: PendingNextCycle, Severity: SeverityInfo, Tier: TierNoEntries,
		When: func(c *Case) bool {
			return c.Latest == nil && c.IsAssigned() && c.assignedSinceLastRun()
		},
		Headline: "{user} was given {app} at {since}{aftercycle}; the next cycle will create the account{ifruns}.",
		EndUser: "You were given access to {app} at {since}. " +
			"New accounts are sent in batches that run about every {interval}{ifruns}. " +
			"Yours is in the next batch. {next}",
		HelpDesk: "{user} was assigned to {app} at {since} ({sinceago}){aftercycle}, so no entry exists yet. {next}",
		Vars:     afterCycleVars,
		UserDo:   []Recommendation{{PartyNobody, "Nothing for you to do. Try {app} again after the time above."}},
		Do: []Recommendation{
			{PartyNobody, "Wait for the next incremental cycle{ifruns}; the interval cannot be shortened."},
			{PartyHelpDesk, "If it is urgent, use Provision on demand for {user} on the {app} Provisioning page (usually under 30 seconds)."},
		},
		Evidence: assignmentEvidence,
		Article:  articleWhenFinish,
	},
	{
		ID: "L03", Family: FamilyNoLogs, Category: PendingNextCycle, Severity: SeverityInfo, Tier: TierNoEntries,
		When: func(c *Case) bool {
			return c.Latest == nil && c.IsAssigned() && !c.Assignment.Since.IsZero() && c.Now.Sub(c.Assignment.Since) < logDelay
		},
		Headline: "{user} was given {app} at {since}; the account is probably being made and its record is not in the logs yet.",
		EndUser: "You were given access to {app} at {since}. " +
			"Your account should be made soon, but the record of it can take up to two hours to show. {next}",
		HelpDesk: "{user} was assigned to {app} at {since} ({sinceago}){cyclesince}, but no entry is visible yet. " +
			"Some provisioning records take up to two hours to appear. {next}",
		Vars:   cycleSinceVars,
		UserDo: []Recommendation{{PartyNobody, "Nothing for you to do yet. Try {app} again in an hour."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Check again later; if nothing appears within two hours, use Provision on demand for {user} to see each step."},
		},
		Evidence: assignmentEvidence,
		Article:  articleProvLogs,
	},
	{
		// L01u: no entries, and the user is assigned since a time that could
		// not be read: they may have been given access after the last cycle
		// (the next one brings the account) or long ago (something else
		// keeps them out). The answer says which depends on what.
		ID: "L01u", Family: FamilyNoLogs, Category: NoLogs, Severity: SeverityInfo, Tier: TierNoEntries,
		When: func(c *Case) bool {
			return c.Latest == nil && c.IsAssigned() && !c.known(FactAssignmentSince)
		},
		Headline: "There is no record of {app} doing anything for {user} {inlogs}, and provbot could not read when {user} was given access.",
		EndUser: "There is no record of {app} doing anything with your account {inlogs}. " +
			"provbot cannot tell when you were given access. {ifrecent}",
		HelpDesk: "No provisioning log entries for {user} in {app} {inlogs}. {user} is {assignment}, " +
			"but when that began could not be read ({sincewhy}). {ifrecent}",
		UserDo: []Recommendation{{PartyHelpDesk, "If there is still no account after the time above, ask the help desk to check your access to {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Check when {user} was given {app} (the assignment, or when they joined the assigned group), or provision {user} on demand to see what the service does now."},
		},
		Estimate: func(c *Case) *Estimate {
			w := c.jobNext()
			e := &Estimate{Kind: EstimateUnknown, Text: "provbot cannot tell when this will change."}
			switch w.kind {
			case EstimateNextCycle:
				if !w.at.IsZero() {
					e = &Estimate{Kind: EstimateNextCycle, Earliest: w.at,
						Text: fmt.Sprintf("If the access was given after the last cycle, the account should arrive at about %s (%s).", c.clock(w.at), c.ago(w.at))}
				}
			case EstimateUnknown:
				e.Text = "If the access is new and provisioning for " + appName(c) + " runs normally, the next cycle brings the account."
			}
			return e
		},
		Vars: func(c *Case) map[string]string {
			why, _ := c.unknown(FactAssignmentSince)
			v := map[string]string{"sincewhy": why.Words()}
			recent := "the last " + span(c.interval())
			if c.Job != nil {
				if le := c.Job.Status.LastExecution; le != nil && !IsNever(le.Began) && c.Now.After(le.Began) {
					recent = "the last " + span(c.Now.Sub(le.Began)) + " (after the last cycle began)"
				}
			}
			if c.Audience == EndUser {
				recent = strings.TrimSuffix(recent, " (after the last cycle began)")
			}
			w := c.jobNext()
			switch {
			case w.kind == EstimateNextCycle && !w.at.IsZero():
				v["ifrecent"] = fmt.Sprintf("If you were given access in %s, your account should arrive at about %s. If it was before that, something else keeps it out, and the help desk should look.", recent, c.clock(w.at))
				if c.Audience != EndUser {
					v["ifrecent"] = fmt.Sprintf("If the access was given in %s, the next cycle at about %s creates the account; if earlier, nothing has evaluated %s %s, and Provision on demand shows why.", recent, c.clock(w.at), caseUserName(c), c.value("inlogs"))
				}
			default:
				v["ifrecent"] = "If the access is new, the next cycle brings the account" + c.value("ifruns") + ". If not, the help desk should look."
			}
			return v
		},
		Evidence: assignmentEvidence,
		Article:  articleWhenFinish,
	},
	{
		ID: "L01", Family: FamilyNoLogs, Category: NoLogs, Severity: SeverityInfo, Tier: TierNoEntries,
		When:     func(c *Case) bool { return c.Latest == nil && c.App.JobsKnown },
		Headline: "There is no record of {app} doing anything for {user} {inlogs}.",
		EndUser: "There is no record of {app} doing anything with your account {inlogs}. " +
			"If you had an account before that, it may still work. If you never had one, ask for access.",
		HelpDesk: "No provisioning log entries for {user} in {app} {inlogs}{retentionnote}. " +
			"Either nothing changed for the user in that time, or the job has not evaluated them. " +
			"Search by the object id rather than the name: filters are case-sensitive and display names can be empty.",
		UserDo: []Recommendation{{PartyUser, "Try signing in to {app}. If it fails, ask the help desk to check your access."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Check that {user} is assigned to {app}; use Provision on demand to see what the service would do now."},
			{PartyAppAdmin, "To keep history longer than {retention}, stream provisioning logs to Azure Monitor."},
		},
		Evidence: assignmentEvidence,
		Article:  articleRetention,
	},
}

// cycleSinceVars says whether a cycle has run since the assignment:
// {cyclesince} names the run when the job shows one, says what it depends
// on when the job could not be read, and claims nothing otherwise.
func cycleSinceVars(c *Case) map[string]string {
	switch {
	case !c.known(FactJobs):
		return map[string]string{"cyclesince": ", and if provisioning for " + appName(c) + " runs normally a cycle has run since"}
	case c.Job != nil && c.Job.Status.LastExecution != nil && c.Assignment != nil:
		le := c.Job.Status.LastExecution
		if !IsNever(le.Began) && le.Began.After(c.Assignment.Since) {
			return map[string]string{"cyclesince": " and a cycle has run since (" + c.value("lastrun") + ")"}
		}
	}
	return map[string]string{"cyclesince": ""}
}

// afterCycleVars says that an assignment came after the job's last
// cycle began: {aftercycle}, empty when the job could not be read.
func afterCycleVars(c *Case) map[string]string {
	if !c.known(FactJobs) || c.Job == nil {
		return map[string]string{"aftercycle": ""}
	}
	if le := c.Job.Status.LastExecution; le != nil && !IsNever(le.Began) {
		return map[string]string{"aftercycle": ", after the last provisioning cycle began at " + c.clock(le.Began)}
	}
	return map[string]string{"aftercycle": ", and no provisioning cycle has run since"}
}

// nestedVars names the groups of a nested-only assignment: {ingroup} the
// group the user is directly in, {outergroup} the assigned group,
// {pathnote} the groups between them, and {assigninner} the suggestion to
// assign the inner group, made only when it is known exactly and does not
// hold the whole tenant.
func nestedVars(c *Case) map[string]string {
	a := c.Assignment
	v := map[string]string{"ingroup": "a group", "outergroup": "the group", "pathnote": "", "assigninner": ""}
	if a.Group != "" {
		v["outergroup"] = a.Group
	}
	exact := len(a.Path) > 0
	switch {
	case a.ViaGroup != "" && !exact && strings.Contains(a.ViaGroup, " or "):
		v["ingroup"] = "one of the groups " + a.ViaGroup
	case a.ViaGroup != "":
		v["ingroup"] = "the group " + a.ViaGroup
	}
	if exact {
		var between []string
		for _, g := range a.Path {
			if !strings.Contains(" and "+a.ViaGroup+" and ", " and "+g+" and ") {
				between = append(between, g)
			}
		}
		if len(between) > 0 {
			v["pathnote"] = " (through " + andList(between, "") + " in between)"
		}
		if !a.PathTenantWide && !strings.Contains(a.ViaGroup, " and ") && a.ViaGroup != "" {
			v["assigninner"] = "If everyone in " + a.ViaGroup + " should have " + appName(c) + ", assign " + a.ViaGroup + " itself to " + appName(c) + " instead."
		}
	}
	return v
}

// logDelay is how long some provisioning records take to appear.
const logDelay = 2 * time.Hour

// assignedSinceLastRun reports whether the assignment is newer than the
// job's last run (or the job has not run since).
func (c *Case) assignedSinceLastRun() bool {
	if c.Assignment == nil || c.Assignment.Since.IsZero() {
		return false
	}
	if c.Job == nil {
		return c.Now.Sub(c.Assignment.Since) < c.interval()
	}
	var last time.Time
	if le := c.Job.Status.LastExecution; le != nil {
		last = le.Began
		if IsNever(last) {
			last = le.Ended
		}
	}
	if IsNever(last) {
		return true
	}
	return c.Assignment.Since.After(last)
}

// assignmentEvidence quotes the assignment facts.
func assignmentEvidence(c *Case) []Evidence {
	if why, unk := c.unknown(FactAssignment); unk && c.Assignment == nil {
		return []Evidence{{Field: "assignment", Value: "not read: " + why.Words()}}
	}
	return nil
}

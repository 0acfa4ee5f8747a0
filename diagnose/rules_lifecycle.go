package diagnose

import (
	"fmt"
	"strings"
)

// overrideRules come first in the catalogue, so they win ties in their
// tier. D07 explains the job's own state (a deletion held while the job is
// quarantined for too many deletes) and sits in TierEntryOverride. D06
// and D09b are TierOutcome rules that must be tried before the generic
// outcome rules (J06, E16r), which would call a re-activation, or an
// account made without its manager, plain "provisioned".
//
// lifecycleRules explain disables and deletions (facts §3.1 G). Successful
// disables and deletes are final account states (TierOutcome); D09, a
// manager that could not be set, is an entry problem (TierEntry). D04
// (SkipOutOfScopeDeletions) is a note; D08 (a group member back in scope)
// is about group entries, which the engine does not read for users.
var (
	overrideRules = []Rule{
		{
			// D07: the disable or delete is held by accidental-deletions
			// prevention.
			ID: "D07", Family: FamilyLifecycle, Category: DeletesHeld, Severity: SeverityWarning, Tier: TierEntryOverride,
			When:     func(c *Case) bool { return c.Latest != nil && c.Latest.Action == ActionStagedDelete },
			Headline: "Removing {user}'s {app} account was put on hold at {time}, because too many accounts were about to be removed at once.",
			EndUser: "Your {app} account was about to be turned off or removed. " +
				"Many other accounts were about to be removed at the same time. " +
				"That could be a mistake, so these changes were put on hold until an admin checks them. " +
				"For now, your {app} account stays as it is.",
			HelpDesk: "The newest entry for {user} ({time}, change {change}) has action {rawaction}: accidental-deletions prevention held " +
				"the disable or delete, because more deletions were queued in one cycle than the threshold ({threshold}) allows. {heldstate}",
			UserDo: []Recommendation{{PartyHelpDesk, "If you still need {app}, tell the help desk now, so the admin keeps your account."}},
			Do: []Recommendation{
				{PartyAppAdmin, "Find out why so many users left scope: filter the {app} provisioning logs on action StagedDelete, and check recent unassignments, scoping filter changes and deleted users."},
				{PartyAppAdmin, "If removing {user} and the others is intended, select Allow deletes on the {app} Provisioning page (or restart the job with resetScope ForceDeletes); if not, fix the assignments or scope and restart provisioning."},
			},
			Estimate: func(c *Case) *Estimate {
				return &Estimate{Kind: EstimateAdminAction,
					Text: "Nothing happens to the account until an admin allows the held removals or undoes the change that caused them."}
			},
			Vars:     lifeVars,
			Evidence: lifeEvidence,
			Article:  articleAccidental,
		},
		{
			// D06: re-activated after being disabled.
			ID: "D06", Family: FamilyLifecycle, Category: Provisioned, Severity: SeverityOK, Tier: TierOutcome,
			When: func(c *Case) bool {
				return c.Succeeded() && isProvisioningAction(c.Latest.Action) && lifeReactivated(c) != ""
			},
			Headline: "{user}'s {app} account was turned back on at {time}.",
			EndUser: "Your {app} account was turned off for a while. " +
				"It was turned back on at {time} ({ago}), and you can use it again. " +
				"If some of your groups in {app} are missing, tell the help desk.",
			HelpDesk: "{user} was enabled again in {app} at {time} (change {change}, action {actionname}; {lifechange}) after being disabled {disabledearlier}. " +
				"The account is active again, but memberships in {app} that came from dynamic groups are not restored automatically.",
			UserDo: []Recommendation{{PartyUser, "Sign in to {app}. If some groups or teams are missing, tell the help desk."}},
			Do: []Recommendation{
				{PartyAppAdmin, "If {app} does not keep group memberships of disabled accounts, restart provisioning for {app} so they are evaluated again."},
				{PartyHelpDesk, "Ask {user} to sign in and check their groups in {app}."},
			},
			Vars:     lifeVars,
			Evidence: lifeEvidence,
			Article:  articleHowWorks,
		},
		{
			// D09b: the account was made or updated, but its manager
			// could not be set.
			ID: "D09b", Family: FamilyLifecycle, Category: ReferenceUnresolved, Severity: SeverityWarning, Tier: TierOutcome,
			When: func(c *Case) bool {
				return c.Succeeded() && lifeManagerUnresolved(c)
			},
			Headline: "{user}'s {app} account is set up, but their manager could not be set in it.",
			EndUser: "Your {app} account is set up and ready to use. " +
				"But the link to your manager could not be set at {time}. " +
				"An admin can fix that. You do not need to do anything.",
			HelpDesk: "The {action} for {user} succeeded at {time} (change {change}), but the manager reference could not be resolved: {managerstep}. " +
				"The manager has no account in {app} that provisioning knows, usually because they were out of scope when {user} was provisioned. " +
				"Known issue: when the manager comes into scope later, the reference is updated only after provisioning is restarted.",
			UserDo: []Recommendation{{PartyNobody, "Nothing for you to do. If your manager still does not show in {app} in a few days, tell the help desk."}},
			Do:     lifeManagerDo,
			Estimate: func(c *Case) *Estimate {
				return &Estimate{Kind: EstimateAdminAction, Text: c.fill(lifeManagerWait)}
			},
			Vars:     lifeVars,
			Evidence: lifeEvidence,
			Article:  articleKnownIssues,
		},
	}

	lifecycleRules = []Rule{
		{
			// D05: disabled when unassigned; the later deletion in Entra is
			// never sent.
			ID: "D05", Family: FamilyLifecycle, Category: Deprovisioned, Severity: SeverityInfo, Tier: TierOutcome,
			When:     lifeDeletedAfterDisable,
			Headline: "{user}'s {app} account was turned off at {time}, and stays that way after {user} was deleted at {deleted}.",
			EndUser: "Your {app} account was turned off at {time}, when your access to it ended. " +
				"Your work account was deleted later, at {deleted}. " +
				"{app} does not remove accounts it no longer looks after, so the turned off account stays in {app}.",
			HelpDesk: "{user} was disabled in {app} at {time} (change {change}; {lifechange}) after going out of scope: {outofscope}. " +
				"{user} was deleted in Entra later ({deleted}). Once a user is unassigned, the provisioning service stops managing them, " +
				"so no delete is sent for the later deletion: the disabled account stays in {app}.",
			UserDo: []Recommendation{{PartyNobody, "Nothing for you to do. Ask the help desk if you think this is a mistake."}},
			Do: []Recommendation{
				{PartyAppAdmin, "If the account must be removed, delete it in {app} by hand."},
			},
			Vars:     lifeVars,
			Evidence: lifeEvidence,
			Article:  articleHowWorks,
		},
		{
			// D02c: disabled because the user is soft-deleted in Entra.
			ID: "D02c", Family: FamilyLifecycle, Category: UserDeleted, Severity: SeverityWarning, Tier: TierOutcome,
			When:     func(c *Case) bool { return lifeDisabled(c) && c.userSoftDeleted() },
			Headline: "{user}'s {app} account was turned off at {time} because {user} was deleted from the directory.",
			EndUser: "Your work account was deleted from the company directory. " +
				"So your {app} account was turned off at {time} ({ago}).",
			HelpDesk: "The provisioning service disabled {user} in {app} at {time} (change {change}; {lifechange}) because {user} is soft-deleted " +
				"in Entra (deleted {deleted}). 30 days after a soft delete the deletion becomes permanent and, if the Delete action is enabled " +
				"for {app}, the account is deleted there.",
			UserDo: []Recommendation{{PartyHelpDesk, "Contact the help desk if you think this is a mistake."}},
			Do: []Recommendation{
				{PartyHelpDesk, "If the deletion was a mistake, restore {user} from Deleted users within 30 days; the next cycle then enables the {app} account again{ifruns}."},
			},
			Vars:     lifeVars,
			Evidence: lifeEvidence,
			Article:  articleHowWorks,
		},
		{
			// D02: disabled because the user is disabled in Entra.
			ID: "D02", Family: FamilyLifecycle, Category: UserDisabled, Severity: SeverityWarning, Tier: TierOutcome,
			When:     func(c *Case) bool { return lifeDisabled(c) && lifeUserOff(c) },
			Headline: "{user}'s {app} account was turned off at {time} because {user}'s directory account was turned off.",
			EndUser: "Your work account was turned off in the company directory. " +
				"So your {app} account was turned off too, at {time} ({ago}).",
			HelpDesk: "The provisioning service disabled {user} in {app} at {time} (change {change}; {lifechange}) because {user}'s account was turned off " +
				"in Entra: {disabledwhy}. A disabled user counts as out of scope and is disabled in the app with an update.",
			UserDo: []Recommendation{{PartyHelpDesk, "Contact the help desk to find out why your work account was turned off."}},
			Do: []Recommendation{
				{PartyHelpDesk, "If {user} should work, enable the account in Entra (accountEnabled = true); the next cycle then enables the {app} account again{ifruns}."},
			},
			Vars:     lifeVars,
			Evidence: lifeEvidence,
			Article:  articleHowWorks,
		},
		{
			// D01b: disabled after going out of scope, assigned again since.
			ID: "D01b", Family: FamilyLifecycle, Category: PendingNextCycle, Severity: SeverityInfo, Tier: TierOutcome,
			When: func(c *Case) bool {
				return lifeDisabled(c) && c.AssignedAfterLatest() && !c.userOff() && !c.userSoftDeleted()
			},
			Headline: "{user}'s {app} account was turned off at {time}, but {user} was given {app} again at {since}; the next cycle turns it back on{ifruns}.",
			EndUser: "Your {app} account was turned off at {time}, when your access to it ended. " +
				"You were given access again at {since}. {next}",
			HelpDesk: "{user} was disabled in {app} at {time} (change {change}; {lifechange}) after going out of scope, and was assigned again at " +
				"{since} ({sinceago}; {assignment}). The next incremental cycle should enable the account again{ifruns}. {next}",
			UserDo: []Recommendation{{PartyNobody, "Nothing for you to do. Try {app} again after the time above."}},
			Do: []Recommendation{
				{PartyNobody, "Wait for the next incremental cycle{ifruns}; the interval cannot be shortened."},
				{PartyHelpDesk, "If it is urgent, provision {user} on demand. If {app} does not keep group memberships of disabled accounts, a restart of provisioning restores them."},
			},
			Estimate: newAccessEstimate,
			Vars:     lifeVars,
			Evidence: lifeEvidence,
			Article:  articleWhenFinish,
		},
		{
			// D01: disabled after being unassigned or filtered out.
			ID: "D01", Family: FamilyLifecycle, Category: Deprovisioned, Severity: SeverityInfo, Tier: TierOutcome,
			When:     lifeDisabled,
			Headline: "{user}'s {app} account was turned off at {time} because {user} no longer qualifies for {app}.",
			EndUser: "Your {app} account was turned off at {time} ({ago}). " +
				"This happens when your access to {app} ends, or your details no longer fit the rule for who gets it. " +
				"If you still need {app}, ask for access again.",
			HelpDesk: "The provisioning service disabled {user} in {app} at {time} (change {change}, cycle {cycle}; {lifechange}): {outofscope}. " +
				"A user who loses the assignment or fails a scoping filter is disabled in the app with an update (IsSoftDeleted true).",
			UserDo: []Recommendation{{PartyHelpDesk, "If you still need {app}, ask the help desk or your manager for access again."}},
			Do: []Recommendation{
				{PartyHelpDesk, "If this was not intended, assign {user} to {app} again (or fix the scoping filter); the next cycle then enables the account{ifruns}."},
				{PartyAppAdmin, "To leave accounts untouched when users go out of scope, set SkipOutOfScopeDeletions for {app}."},
			},
			Vars:     lifeVars,
			Evidence: lifeEvidence,
			Article:  articleHowWorks,
		},
		{
			// D03: deleted in the app because the user is gone.
			ID: "D03", Family: FamilyLifecycle, Category: UserDeleted, Severity: SeverityInfo, Tier: TierOutcome,
			When: func(c *Case) bool {
				return lifeDeleted(c) && (!c.userStateKnown() || c.userSoftDeleted())
			},
			Headline: "{user}'s {app} account was deleted at {time}{deletedcause}.",
			EndUser:  "Your {app} account was deleted at {time}. {deletedplain}",
			HelpDesk: "The provisioning service deleted {user}'s account in {app} at {time} (change {change}, action {actionname}): {gone}. " +
				"A hard delete comes 30 days after a soft delete, or when someone deletes the user for good; apps that cannot disable accounts get a delete instead of a disable. " +
				"Provisioning cannot restore the deleted account.",
			UserDo: []Recommendation{{PartyHelpDesk, "Contact the help desk if you think this is a mistake."}},
			Do: []Recommendation{
				{PartyHelpDesk, "If the user should come back, restore them in Entra (within 30 days of a soft delete) or create them again, and assign {app}; the next cycle creates a new account in {app}{ifruns}."},
			},
			Vars:     lifeVars,
			Evidence: lifeEvidence,
			Article:  articleHowWorks,
		},
		{
			// D03b: deleted in the app although the user still exists.
			ID: "D03b", Family: FamilyLifecycle, Category: Deprovisioned, Severity: SeverityInfo, Tier: TierOutcome,
			When:     lifeDeleted,
			Headline: "{user}'s {app} account was deleted at {time} because {user} no longer qualifies for {app}.",
			EndUser: "Your {app} account was removed at {time} ({ago}). " +
				"This happens when your access to {app} ends. " +
				"If you still need {app}, ask for access again, and a new account will be made.",
			HelpDesk: "The provisioning service deleted {user}'s account in {app} at {time} (change {change}) although {user} still exists in Entra: {outofscope}. " +
				"Some apps cannot disable accounts, so they get a DELETE when a user is unassigned, filtered out or disabled.",
			UserDo: []Recommendation{{PartyHelpDesk, "If you still need {app}, ask the help desk or your manager for access again."}},
			Do: []Recommendation{
				{PartyHelpDesk, "If this was not intended, assign {user} to {app} again; the next cycle creates a new account{ifruns} (data kept only in the old account may be lost)."},
			},
			Vars:     lifeVars,
			Evidence: lifeEvidence,
			Article:  articleHowWorks,
		},
		{
			// D09: the manager could not be set (the entry did not succeed).
			// E17 handles every other unresolved reference.
			ID: "D09", Family: FamilyLifecycle, Category: ReferenceUnresolved, Severity: SeverityWarning, Tier: TierEntry,
			When: func(c *Case) bool {
				return c.Latest != nil && !c.Succeeded() && lifeManagerUnresolved(c)
			},
			Headline: "{user}'s manager could not be set in {app}.",
			EndUser: "Your {app} account does not show your manager yet. " +
				"The link to your manager could not be set when {app} last updated your account, at {time}. " +
				"An admin can fix it. You do not need to do anything.",
			HelpDesk: "The manager reference of {user} could not be resolved in {app} at {time} (change {change}, status {status}): {managerstep}. " +
				"The manager has no account in {app} that provisioning knows, usually because they were out of scope when {user} was provisioned. " +
				"Known issue: when the manager comes into scope later, the reference is updated only after provisioning is restarted.",
			UserDo: []Recommendation{{PartyNobody, "Nothing for you to do. If your manager still does not show in {app} in a few days, tell the help desk."}},
			Do:     lifeManagerDo,
			Estimate: func(c *Case) *Estimate {
				return &Estimate{Kind: EstimateAdminAction, Text: c.fill(lifeManagerWait)}
			},
			Vars:     lifeVars,
			Evidence: lifeEvidence,
			Article:  articleKnownIssues,
		},
	}
)

// lifeManagerDo are D09's and D09b's recommendations.
var lifeManagerDo = []Recommendation{
	{PartyHelpDesk, "Make sure {user}'s manager is assigned to {app} (or in scope) and has an account there."},
	{PartyAppAdmin, "Then restart provisioning for {app}, so every user, and {user}'s manager reference, is evaluated again."},
}

// lifeManagerWait is D09's and D09b's estimate.
const lifeManagerWait = "The manager link stays empty until an admin acts. Then it is set in the next cycle{ifruns}."

// lifeDisabled reports whether the newest entry disabled the account.
func lifeDisabled(c *Case) bool { return c.Succeeded() && c.Latest.Action == ActionDisable }

// lifeDeleted reports whether the newest entry deleted the account.
func lifeDeleted(c *Case) bool { return c.Succeeded() && c.Latest.Action == ActionDelete }

// lifeUserOff reports whether the user is disabled in Entra (and not in
// the recycle bin): now, or as the entry's details show.
func lifeUserOff(c *Case) bool {
	if c.userSoftDeleted() {
		return false
	}
	if c.userOff() {
		return true
	}
	return c.DetailIs("accountEnabled", "False") || skipDetailIs(c, "False", skipActiveKeys...) ||
		lifeChanged(c, "accountEnabled", "True", "False")
}

// lifeDeletedAfterDisable is D05: the user went out of scope and was
// disabled, and deleted in Entra only afterwards.
func lifeDeletedAfterDisable(c *Case) bool {
	if !lifeDisabled(c) || !c.userSoftDeleted() || c.User.DeletedAt.IsZero() {
		return false
	}
	if !c.User.DeletedAt.After(c.Latest.ActivityTime) {
		return false
	}
	// Disabled because the account was turned off: the user stays
	// assigned, so the service still manages them and deletes later.
	return !c.DetailIs("accountEnabled", "False") && !skipDetailIs(c, "False", skipActiveKeys...) &&
		!lifeChanged(c, "accountEnabled", "True", "False")
}

// lifeChanged reports whether the newest entry changed a property from
// one value to another (compared ignoring case; "" matches a null).
func lifeChanged(c *Case, name, from, to string) bool {
	for _, m := range c.Latest.Modified {
		if strings.EqualFold(m.Name, name) && strings.EqualFold(strings.TrimSpace(m.OldValue), from) &&
			strings.EqualFold(strings.TrimSpace(m.NewValue), to) {
			return true
		}
	}
	return false
}

// lifeReactivated says when the account that the newest (successful)
// entry turned back on was disabled, or "" if it did not turn one back
// on: the newest earlier success was a disable, or the entry's modified
// properties switch the account back on.
func lifeReactivated(c *Case) string {
	for _, e := range c.Entries[1:] {
		if e.Status != ResultSuccess {
			continue
		}
		if e.Action == ActionDisable {
			return "at " + c.clock(e.ActivityTime) + " (change " + orNone(e.ChangeID) + ")"
		}
		break
	}
	if lifeChanged(c, "IsSoftDeleted", "True", "False") || lifeChanged(c, "active", "False", "True") ||
		lifeChanged(c, "accountEnabled", "False", "True") {
		return "earlier (this entry switches it back on)"
	}
	return ""
}

// lifeManagerUnresolved reports whether the newest entry says the user's
// manager reference could not be resolved. It is the manager half of the
// export family's referenceUnresolved test, whose E17 takes the rest.
func lifeManagerUnresolved(c *Case) bool {
	return referenceUnresolved(c) && managerReference(c)
}

// lifeStatusProps are the modified properties that turn an account off
// or on.
var lifeStatusProps = []string{"IsSoftDeleted", "active", "accountEnabled"}

// lifeChanges summarises the status properties the newest entry changed.
func lifeChanges(c *Case) string {
	var parts []string
	for _, m := range c.Latest.Modified {
		for _, p := range lifeStatusProps {
			if strings.EqualFold(m.Name, p) {
				parts = append(parts, m.Name+" "+nonEmpty(m.OldValue, "(empty)")+" → "+nonEmpty(m.NewValue, "(empty)"))
			}
		}
	}
	if len(parts) == 0 {
		return "no IsSoftDeleted or active change recorded"
	}
	return strings.Join(parts, ", ")
}

// lifeOutOfScope says why the user went out of scope, as far as the entry
// and the assignment show.
func lifeOutOfScope(c *Case) string {
	user := caseUserName(c)
	switch {
	case c.Assigned() == AssignmentNone:
		return user + " is not assigned to " + appName(c) + " now"
	case c.Assigned() == AssignmentNestedGroupOnly:
		return fmt.Sprintf("%s reaches %s only through nested group %s inside %s, which provisioning ignores",
			user, appName(c), c.Assignment.ViaGroup, c.Assignment.Group)
	case skipSaysNotAssigned(c):
		return "the scoping step found " + user + " not assigned then"
	case skipFilterFailed(c):
		f := c.value("filter")
		if f == "" {
			f = "clauses not listed"
		}
		return "the scoping filter rejected " + user + " (" + f + ")"
	case c.userOff():
		return user + " is disabled in Entra"
	case c.Assignment == nil:
		return "the entry does not say why, and provbot could not read " + user + "'s assignment"
	default:
		return "the entry does not say why; " + user + " is " + assignmentWords(c.Assignment) + " now, so a scoping filter or a role change is the likely cause"
	}
}

// lifeVars fills the placeholders the lifecycle rules use.
func lifeVars(c *Case) map[string]string {
	v := map[string]string{
		"lifechange":      lifeChanges(c),
		"outofscope":      lifeOutOfScope(c),
		"disabledwhy":     lifeDisabledWhy(c),
		"disabledearlier": nonEmpty(lifeReactivated(c), "earlier"),
		"rawaction":       nonEmpty(c.Latest.RawAction, string(c.Latest.Action)),
		"heldstate":       lifeHeldState(c),
		"managerstep":     lifeManagerStep(c),
		"gone":            "provbot could not read whether the user is still in the directory",
		"deletedcause":    "; provbot could not read whether " + caseUserName(c) + " is still in the directory",
		"deletedplain":    "Accounts are deleted when people leave the company directory, or lose access to an app that cannot turn accounts off. Ask the help desk if you think this is a mistake.",
	}
	if why, _ := c.unknown(FactUserState); why == UnreadNotFound {
		v["gone"] = "the user is no longer in the directory, not even among deleted users"
		v["deletedcause"] = " because " + caseUserName(c) + " is no longer in the directory"
		v["deletedplain"] = "Your work account is no longer in the company directory, so your " + appName(c) + " account was deleted too."
	}
	if c.userSoftDeleted() {
		v["gone"] = "the user is in the Entra recycle bin"
		v["deletedcause"] = " because " + caseUserName(c) + " was deleted from the directory"
		v["deletedplain"] = "Your work account was removed from the company directory, so your " + appName(c) + " account was deleted too."
	}
	if c.value("threshold") == "" {
		v["threshold"] = "the configured limit"
	}
	if c.value("deleted") == "" {
		v["deleted"] = "a time provbot does not know"
	}
	if c.value("assignment") == "" {
		v["assignment"] = "assignment not known to provbot"
	}
	return v
}

// lifeDisabledWhy says what shows the user is disabled, including this
// entry's own change of accountEnabled.
func lifeDisabledWhy(c *Case) string {
	if lifeChanged(c, "accountEnabled", "True", "False") && !c.userOff() &&
		!c.DetailIs("accountEnabled", "False") && !skipDetailIs(c, "False", skipActiveKeys...) {
		return "this entry changed accountEnabled from True to False"
	}
	return skipDisabledWhy(c)
}

// lifeHeldState says whether the job is still held for too many deletes.
func lifeHeldState(c *Case) string {
	switch {
	case c.Job == nil:
		return "provbot could not read the job, so it cannot tell whether the job is still quarantined."
	case c.Quarantined() && c.Quarantine() != nil && c.Quarantine().Reason == QuarantineTooManyDeletes:
		return "The job is quarantined with reason TooManyDeletes; nothing in " + appName(c) + " changes until an admin allows the deletions or fixes the cause and restarts provisioning."
	case c.Quarantined():
		return "The job is quarantined (" + c.value("qrawreason") + "); the held removal still waits for an admin."
	default:
		return "The job is not quarantined now (status " + c.value("jobstatus") + "), so the held removals were probably allowed or the job was restarted; " +
			"the next cycle evaluates " + caseUserName(c) + " again" + c.value("ifruns") + "."
	}
}

// lifeManagerStep quotes where the unresolved manager was reported.
func lifeManagerStep(c *Case) string {
	s, text := referenceStep(c)
	if s.Name != "" || s.Type != "" {
		return stepLabel(s) + " says " + quoteStep(s)
	}
	if text == "" {
		return "the reason"
	}
	return "the reason says " + quote(c.Latest.Error.Reason)
}

// lifeEvidence quotes the status properties the entry changed, and the
// earlier disable a re-activation undoes.
func lifeEvidence(c *Case) []Evidence {
	e := c.Latest
	var ev []Evidence
	for _, m := range e.Modified {
		for _, p := range lifeStatusProps {
			if strings.EqualFold(m.Name, p) {
				ev = append(ev, Evidence{Field: "modifiedProperties." + m.Name, Value: nonEmpty(m.OldValue, "(empty)") + " → " + nonEmpty(m.NewValue, "(empty)"),
					ChangeID: e.ChangeID, CycleID: e.CycleID, Time: e.ActivityTime})
			}
		}
	}
	for _, old := range c.Entries[1:] {
		if old.Status == ResultSuccess && old.Action == ActionDisable {
			ev = append(ev, Evidence{Field: "earlier provisioningAction", Value: nonEmpty(old.RawAction, string(old.Action)),
				ChangeID: old.ChangeID, CycleID: old.CycleID, Time: old.ActivityTime})
			break
		}
	}
	if s, text := referenceStep(c); lifeManagerUnresolved(c) && text != "" {
		ev = append(ev, Evidence{Field: "reference step " + nonEmpty(s.Name, "(reason)"), Value: shorten(text, 300),
			ChangeID: e.ChangeID, CycleID: e.CycleID, Time: e.ActivityTime})
	}
	return ev
}

package diagnose

import "strings"

// groupRules explain a group's own provisioning (facts §1, entries whose
// source identity is a Group): whether the group was created in the app,
// skipped, refused, or never reached. They apply only when the question
// is about a group; the job rules apply to groups as they do to users.
// {user} is the group's name in sentences ("the Sales group").
//
// Provisioning creates a group only when it is assigned to the app (or
// the app syncs everything and a scoping filter lets it in), and adds to
// it only members that are themselves in scope [how-provisioning-works].
var groupRules = []Rule{
	{
		ID: "G01", Family: FamilyGroup, Category: Provisioned, Severity: SeverityOK, Tier: TierOutcome, Groups: true,
		When:     func(c *Case) bool { return c.Succeeded() && c.Latest.Action == ActionCreate },
		Headline: "{user} was created in {app} at {time}.",
		EndUser:  "{user} was made in {app} at {time} ({ago}). People in it who have {app} are added to it there.",
		HelpDesk: "The provisioning service created {user} in {app} at {time} (change {change}, cycle {cycle}); its id in {app} is {target}. " +
			"Members are added only when they are in scope for {app} themselves; members of nested groups are not.",
		UserDo: []Recommendation{{PartyUser, "If someone is missing from the group in {app}, ask about their own {app} account."}},
		Do: []Recommendation{
			{PartyNobody, "No provisioning action needed for the group. If a member is missing in {app}, diagnose that member: only members in scope themselves are added."},
		},
		Article: articleHowWorks,
	},
	{
		ID: "G02", Family: FamilyGroup, Category: Provisioned, Severity: SeverityOK, Tier: TierOutcome, Groups: true,
		When:     func(c *Case) bool { return c.Succeeded() && isProvisioningAction(c.Latest.Action) },
		Headline: "{user} exists in {app} and was last updated at {time}.",
		EndUser:  "{user} is set up in {app}. The last change to it was sent at {time} ({ago}).",
		HelpDesk: "The provisioning service last updated {user} in {app} at {time} (action {actionname}, change {change}, cycle {cycle}){groupchanges}; " +
			"its id in {app} is {target}. Members are added only when they are in scope for {app} themselves.",
		UserDo: []Recommendation{{PartyUser, "If someone is missing from the group in {app}, ask about their own {app} account."}},
		Do: []Recommendation{
			{PartyNobody, "No provisioning action needed for the group. If a member is missing in {app}, diagnose that member: only members in scope themselves are added."},
		},
		Vars:    groupVars,
		Article: articleHowWorks,
	},
	{
		ID: "G03", Family: FamilyGroup, Category: Deprovisioned, Severity: SeverityInfo, Tier: TierOutcome, Groups: true,
		When: func(c *Case) bool {
			return c.Succeeded() && (c.Latest.Action == ActionDisable || c.Latest.Action == ActionDelete)
		},
		Headline: "{user} was removed from {app} at {time}.",
		EndUser:  "{user} was taken out of {app} at {time} ({ago}). This happens when the group no longer has {app}.",
		HelpDesk: "The provisioning service removed {user} from {app} at {time} (action {actionname}, change {change}): the group left scope, " +
			"because its assignment to {app} was removed, a scoping filter no longer lets it in, or it was deleted in Entra.",
		UserDo: []Recommendation{{PartyHelpDesk, "If the group should still be in {app}, ask the help desk to give it access again."}},
		Do: []Recommendation{
			{PartyHelpDesk, "If this was not intended, assign {user} to {app} again (Enterprise apps → {app} → Users and groups); the next cycle creates it again{ifruns}."},
		},
		Article: articleHowWorks,
	},
	{
		ID: "G04", Family: FamilyGroup, Category: AlreadyInSync, Severity: SeverityOK, Tier: TierOutcome, Groups: true,
		When: func(c *Case) bool {
			return c.Latest != nil && !c.Failed() && (c.DetailIs("SkipReason", "RedundantExport") || c.codeMatch([]string{"RedundantExport"}) > 0)
		},
		Headline: "{user} in {app} already matched the directory at {time}; there was nothing to change.",
		EndUser:  "{user} in {app} already matched the company directory when it was checked at {time}. There was nothing to change.",
		HelpDesk: "Skipped with RedundantExport at {time} (change {change}): {user} in Entra and in {app} already match, so nothing was exported.",
		UserDo:   []Recommendation{{PartyUser, "If someone is missing from the group in {app}, ask about their own {app} account."}},
		Do: []Recommendation{
			{PartyAppAdmin, "If a change to the group was expected, check the group mappings of {app} (displayName, members) and whether the changed attribute is mapped."},
		},
		Article: articleOnDemand,
	},
	{
		ID: "G05", Family: FamilyGroup, Category: CrossTenantPolicy, Severity: SeverityInfo, Tier: TierEntry, Groups: true,
		Codes:    []string{"EntityTypeNotSupported"},
		Headline: "{app} does not copy groups: {user} only decides who is in scope.",
		EndUser:  "{app} copies people, not groups. {user} only decides who gets copied. Nothing is wrong with it.",
		HelpDesk: "Skipped with {code} at {time} (change {change}): cross-tenant synchronization does not synchronize group objects; " +
			"{user} only defines which of its members are in scope. Its members are copied as users.",
		UserDo: []Recommendation{{PartyNobody, "Nothing for you to do."}},
		Do: []Recommendation{
			{PartyNobody, "No action needed for the group: this is not a failure."},
			{PartyHelpDesk, "If a member is missing in the other tenant, diagnose that member."},
		},
		Estimate: func(c *Case) *Estimate { return nil },
		Article:  articleCrossTenant,
	},
	{
		ID: "G06", Family: FamilyGroup, Category: NotAssigned, Severity: SeverityWarning, Tier: TierEntry, Groups: true,
		When: func(c *Case) bool {
			if !skipIs(c) || skipFilterFailed(c) {
				return false
			}
			return c.Assigned() == AssignmentNone && c.Assignment.Scope != ScopeAll || skipSaysNotAssigned(c) && !c.IsAssigned()
		},
		Headline: "{user} was not assigned to {app} when it last checked, at {time}, so {app} skipped it.",
		EndUser:  "{user} has not been given {app}. When {app} checked it at {time}, it skipped it. An admin can give the group access.",
		HelpDesk: "Skipped at {time} (change {change}): {user} was not assigned to {app} ({skipdetails}). Assignment now: {assignment}. " +
			"Provisioning creates a group in an app only when the group itself is given the app; a group nested inside such a group is not created.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to give the group access to {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Assign {user} itself to {app} under Enterprise apps → {app} → Users and groups; the next cycle then creates it{ifruns}."},
		},
		Estimate: skipUntil("the group is given access"),
		Vars:     skipVars,
		Article:  articleNoUsers,
	},
	{
		ID: "G07", Family: FamilyGroup, Category: ScopingFilter, Severity: SeverityWarning, Tier: TierEntry, Groups: true,
		When:     func(c *Case) bool { return skipIs(c) && skipFilterFailed(c) },
		Headline: "{user} is left out of {app} by the app's rule for which groups it gets.",
		EndUser:  "{app} has a rule for which groups it gets. When it checked {user} at {time}, the group did not fit that rule.",
		HelpDesk: "Skipped at {time} (change {change}): the group scoping filter rejected {user}. Failing clauses: {filter}.",
		UserDo:   []Recommendation{{PartyHelpDesk, "Ask the help desk whether the group should be in {app}."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Check the group scoping filter under {app} → Provisioning → Mappings → groups → Source object scope; saving it starts a full resync."},
		},
		Estimate: skipUntil("the group's details or the rule change"),
		Vars:     skipVars,
		Article:  articleScoping,
	},
	{
		ID: "G08", Family: FamilyGroup, Category: MatchingConflict, Severity: SeverityError, Tier: TierEntry, Groups: true,
		Codes:    []string{"Conflict", "EntryConflict"},
		Headline: "{app} already has a group with the same name or another unique value as {user}, so it could not be created.",
		EndUser:  "{app} already has a group with the same name as {user}. So it could not be made at {time}. An admin has to sort out which group is the right one.",
		HelpDesk: "The {action} for {user} failed at {time} with {code} (change {change}). {httpnote}A group in {app} already holds a unique value " +
			"(usually displayName or externalId) and matching did not link it to {user}. The service said: {reason}",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk the group could not be made in {app}."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In {app}, find the group with the same name: if it is the old copy of {user}, delete or rename it, or change the group matching attribute so it is matched and taken over."},
		},
		Article: articleAnalyzeLogs,
	},
	{
		ID: "G09", Family: FamilyGroup, Category: TargetTransient, Severity: SeverityWarning, Tier: TierEntry, Groups: true,
		Codes: []string{"TooManyRequests", "Timeout", "InternalServerError", "WebExceptionProtocolError", "InternalError", "ServiceUnavailable"},
		// The app's words may say more than a generic code (classify.go).
		When:     func(c *Case) bool { return !appOverrules(c, TargetTransient) },
		Headline: "{app} had a passing problem while provisioning worked on {user}; it is retried automatically.",
		EndUser:  "{app} had a short problem when it worked on {user}. The service tries again on its own. {next}",
		HelpDesk: "The {action} for {user} failed at {time} with {code} (change {change}). {httpnote}The service retries failed objects on its own. {next} The service said: {reason}",
		UserDo:   []Recommendation{{PartyNobody, "Nothing for you to do. If it is still missing tomorrow, tell the help desk."}},
		Do: []Recommendation{
			{PartyNobody, "Wait for the automatic retry (see when above)."},
			{PartyVendor, "If it keeps failing for a day, ask the {app} vendor; give them change {change} and the time {time}."},
		},
		Article: articleAnalyzeLogs,
	},
	{
		ID: "G10", Family: FamilyGroup, Category: TargetPermission, Severity: SeverityError, Tier: TierEntry, Groups: true,
		Codes:    []string{"InsufficientRights", "MethodNotAllowed", "NotPermitted", "Unauthorized"},
		When:     func(c *Case) bool { return !appOverrules(c, TargetPermission) && !signInRefused(c) },
		Headline: "{app} does not let provisioning create or change groups, so {user} was not set up there.",
		EndUser:  "{app} did not let the company directory make or change {user}. The account it uses in {app} is missing some rights.",
		HelpDesk: "{app} refused the {action} for {user} at {time} with {code} (change {change}): the admin account or token provisioning uses may not manage groups. {httpnote}The service said: {reason}",
		UserDo:   []Recommendation{{PartyHelpDesk, "Tell the help desk the group could not be made in {app}."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Give the account or token provisioning uses in {app} the rights to manage groups, as the app's provisioning tutorial lists; or, if {app} does not support groups, turn off group provisioning in the mappings."},
		},
		Article: articleAnalyzeLogs,
	},
	{
		ID: "G11", Family: FamilyGroup, Category: NotAssigned, Severity: SeverityWarning, Tier: TierFacts, Groups: true,
		When:     func(c *Case) bool { return c.Assigned() == AssignmentNone && c.Assignment.Scope != ScopeAll },
		Headline: "{user} is not assigned to {app}, so it is not created there.",
		EndUser:  "{user} has not been given {app}. So {app} does not make it. An admin can give the group access.",
		HelpDesk: "{user} is not assigned to {app}, and the app provisions only assigned users and groups. " +
			"Provisioning creates a group in an app only when the group itself is given the app; a group nested inside such a group is not created.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to give the group access to {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Assign {user} to {app} under Enterprise apps → {app} → Users and groups; the next cycle then creates it{ifruns}."},
		},
		Article: articleNoUsers,
	},
	{
		ID: "G12", Family: FamilyGroup, Category: PendingNextCycle, Severity: SeverityInfo, Tier: TierNoEntries, Groups: true,
		When: func(c *Case) bool {
			return c.Latest == nil && c.IsAssigned() && c.assignedSinceLastRun()
		},
		Headline: "{user} was given {app} at {since}; the next cycle will create it{ifruns}.",
		EndUser:  "{user} was given {app} at {since}. It is made in the next batch. {next}",
		HelpDesk: "{user} was assigned to {app} at {since} ({sinceago}){aftercycle}, so no entry exists yet. {next}",
		UserDo:   []Recommendation{{PartyNobody, "Nothing for you to do. Check again after the time above."}},
		Do: []Recommendation{
			{PartyNobody, "Wait for the next incremental cycle{ifruns}; the interval cannot be shortened."},
			{PartyHelpDesk, "If it is urgent, provision {user} on demand (a group with up to 5 members)."},
		},
		Estimate: func(c *Case) *Estimate {
			return nextCycleEstimate(c, "The next provisioning cycle should create the group")
		},
		Vars:    afterCycleVars,
		Article: articleWhenFinish,
	},
	{
		ID: "G13", Family: FamilyGroup, Category: NoLogs, Severity: SeverityInfo, Tier: TierNoEntries, Groups: true,
		When:     func(c *Case) bool { return c.Latest == nil },
		Headline: "There is no record of {app} doing anything with {user} {inlogs}.",
		EndUser:  "There is no record of {app} doing anything with {user} {inlogs}.",
		HelpDesk: "No provisioning log entries for {user} in {app} {inlogs}. Assignment: {assignment}. " +
			"Either nothing about the group changed in that time, or provisioning has not evaluated it. Only groups assigned to the app itself are created.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check whether the group has {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Check that {user} itself is assigned to {app}; provision it on demand to see what the service would do now."},
		},
		Vars: func(c *Case) map[string]string {
			if c.Assignment == nil || c.Assigned() == AssignmentUnknown {
				return map[string]string{"assignment": "not known to provbot"}
			}
			return nil
		},
		Article: articleRetention,
	},
	{
		ID: "G14", Family: FamilyGroup, Category: UnknownError, Severity: SeverityError, Tier: TierFallback, Groups: true,
		When:     func(c *Case) bool { return c.Latest != nil && c.Latest.Status != ResultSuccess },
		Headline: "Provisioning {user} into {app} did not succeed at {time}, and provbot has no rule for why.",
		EndUser:  "Something went wrong when {user} was set up in {app} at {time}. The help desk needs to look at it.",
		HelpDesk: "The newest entry for {user} in {app} ({time}, change {change}) has status {status}, and provbot has no rule for it.{errsummary}",
		UserDo:   []Recommendation{{PartyHelpDesk, "Ask the help desk to look at the group in {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Open the entry in Provisioning logs (change {change}) and read Troubleshooting & Recommendations; provision {user} on demand to see each step."},
		},
		Article: articleAnalyzeLogs,
	},
}

// groupJobHeadline is the headline of a job rule's answer about a group.
const groupJobHeadline = "Provisioning into {app} {jobwords}, so {user} is not created or updated there yet."

// groupVars says what a group's update changed.
func groupVars(c *Case) map[string]string {
	var added, removed int
	for _, m := range c.Latest.Modified {
		if m.Name == "" {
			continue
		}
		switch {
		case m.OldValue == "" && m.NewValue != "":
			added++
		case m.OldValue != "" && m.NewValue == "":
			removed++
		}
	}
	var parts []string
	if added > 0 {
		parts = append(parts, "set "+Count(added, "value"))
	}
	if removed > 0 {
		parts = append(parts, "cleared "+Count(removed, "value"))
	}
	if len(parts) == 0 {
		return map[string]string{"groupchanges": ""}
	}
	return map[string]string{"groupchanges": "; it " + strings.Join(parts, " and ")}
}

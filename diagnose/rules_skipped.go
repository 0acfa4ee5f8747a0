package diagnose

import ()

// skippedRules explain entries the service skipped (facts §3.1 C): the
// scoping step's details say why (not assigned, disabled, a scoping filter,
// a role), or errorInformation carries a skip code. S08 (RedundantExport)
// is an outcome rule.
//
// The rules without codes are tried in list order, most specific reason
// first. The skip codes of S10 (EntrySynchronizationSkipped) step aside
// when the details explain the skip, because a code rule would otherwise
// win over every detail rule of the tier. Skips that facts about the user
// explain better (a nested group, a deleted user) are left to the facts
// rules (L07, D02b) of the next tier.
var skippedRules = []Rule{
	{
		// S01b: skipped as not assigned, but assigned since.
		ID: "S01b", Family: FamilySkipped, Category: PendingNextCycle, Severity: SeverityInfo, Tier: TierEntry,
		When:     skipAssignedSince,
		Headline: "{user} was given {app} at {since}, after the last check skipped them; the next cycle will pick the account up{ifruns}.",
		EndUser: "When {app} last checked your account at {time}, you did not have access yet, so it skipped you. " +
			"You were given access at {since}. {next}",
		HelpDesk: "The newest entry ({time}, change {change}) skipped {user} before they were assigned ({skipdetails}); " +
			"{user} was assigned at {since} ({sinceago}; {assignment}). " +
			"The skip is out of date: the next incremental cycle evaluates the new assignment{ifruns}. {next}",
		UserDo: []Recommendation{{PartyNobody, "Nothing for you to do. Try {app} again after the time above."}},
		Do: []Recommendation{
			{PartyNobody, "Wait for the next incremental cycle{ifruns}; the interval between cycles cannot be shortened."},
			{PartyHelpDesk, "If it is urgent, use Provision on demand for {user} on the {app} Provisioning page. A fresh assignment can take a few minutes to be honoured, so on demand may still say \"not assigned\" right after assigning."},
		},
		Estimate: newAccessEstimate,
		Vars:     skipVars,
		Article:  articleWhenFinish,
	},
	{
		// S13: cross-tenant sync skips users enabled for SMS sign-in.
		ID: "S13", Family: FamilySkipped, Category: CrossTenantPolicy, Severity: SeverityWarning, Tier: TierEntry,
		When:     skipSMS,
		Headline: "{user} is skipped by {app} because their account signs in with text-message codes.",
		EndUser: "Your account is set up to sign in with a code sent by text message. " +
			"Accounts set up that way are not copied to {app}. " +
			"So {app} skipped you at {time}.",
		HelpDesk: "Cross-tenant synchronization skipped {user} at {time} (change {change}): the built-in scoping clause {smsclause} evaluated to false. " +
			"Users enabled for SMS sign-in cannot be synchronized to another tenant.",
		UserDo: []Recommendation{{PartyHelpDesk, "If you need {app}, ask the help desk to turn off text-message sign-in for your account."}},
		Do: []Recommendation{
			{PartyHelpDesk, "In the source tenant, turn off SMS sign-in for {user} (Authentication methods → SMS), then provision {user} on demand, or wait for the next cycle{ifruns}."},
		},
		Estimate: skipUntil("text-message sign-in is turned off for the account"),
		Vars:     skipVars,
		Evidence: skipClauseEvidence,
		Article:  articleCrossTenant,
	},
	{
		// S04: the user is disabled in Entra.
		ID: "S04", Family: FamilySkipped, Category: UserDisabled, Severity: SeverityWarning, Tier: TierEntry,
		When:     skipUserDisabled,
		Headline: "{app} skipped {user} at {time} because their directory account was turned off.",
		EndUser: "When {app} checked your account at {time}, your work account was turned off in the company directory. " +
			"{app} makes and keeps accounts only for people whose work account is on. " +
			"So it skipped you.",
		HelpDesk: "Skipped at {time} (change {change}) because {user}'s account was turned off in Entra: {disabledwhy}. " +
			"Provisioning a disabled user is not supported: the user counts as out of scope (SkipReason {skipreason}), " +
			"and an existing account in {app} is disabled.",
		UserDo: []Recommendation{{PartyHelpDesk, "Contact the help desk to find out why your work account was turned off."}},
		Do: []Recommendation{
			{PartyHelpDesk, "If {user} should work, enable the account in Entra (accountEnabled = true); the next cycle then provisions them{ifruns}."},
		},
		Estimate: skipUntil("the work account is turned on again"),
		Vars:     skipVars,
		Evidence: skipDisabledEvidence,
		Article:  articleHowWorks,
	},
	{
		// S01: the user is not assigned: Graph says so now (whatever role
		// detail the skip carries), or the skip says so and the assignment
		// was not read or shows no honoured assignment.
		ID: "S01", Family: FamilySkipped, Category: NotAssigned, Severity: SeverityWarning, Tier: TierEntry,
		When:     skipNotAssigned,
		Headline: "{user} was not assigned to {app} when it last checked, at {time}, so {app} skipped them.",
		EndUser: "{app} only makes accounts for people who were given access to it. " +
			"When it checked your account at {time}, you did not have access. " +
			"So no account was made for you.",
		HelpDesk: "Skipped at {time} (change {change}): {skipsays}. " +
			"Assignment now: {assignment}. An app that syncs only assigned users and groups takes in users assigned directly, " +
			"or through a group they are a direct member of.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk or your manager for access to {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Assign {user} (or a group they are directly in) to {app} under Enterprise apps → {app} → Users and groups; the next cycle then provisions them{ifruns}."},
			{PartyAppAdmin, "If everyone should get {app}, set the scope to sync all users and groups (then restart provisioning), and limit it with a scoping filter if needed."},
		},
		Estimate: skipUntil("someone gives the access"),
		Vars: func(c *Case) map[string]string {
			v := skipVars(c)
			v["skipsays"] = "the scoping step said " + caseUserName(c) + " was not assigned to " + appName(c) + " (" + v["skipdetails"] + ")"
			if !skipSaysNotAssigned(c) {
				v["skipsays"] = "the scoping step gave " + v["skipdetails"] + ", and Microsoft Graph shows " + caseUserName(c) +
					" is not assigned to " + appName(c) + " now, which keeps them out whatever their role"
			}
			return v
		},
		Article: articleNoUsers,
	},
	{
		// S01u: skipped as not assigned; the user is assigned now, but when
		// the assignment began could not be read, so the skip may be out of
		// date (S01b) or the assignment not honoured (S02).
		ID: "S01u", Family: FamilySkipped, Category: PendingNextCycle, Severity: SeverityWarning, Tier: TierEntry,
		When:     skipAssignedWhenUnknown,
		Headline: "{app} skipped {user} at {time} as not assigned; {user} is {assignment} now, but provbot could not read since when.",
		EndUser: "When {app} checked your account at {time}, it did not count you as having access. " +
			"You have access now, but provbot cannot tell when you got it. " +
			"If you got it after {time}, your account comes with the next check. {next} " +
			"If you had it before, the help desk needs to look at your access.",
		HelpDesk: "The newest entry ({time}, change {change}) skipped {user} as not assigned ({skipdetails}); {user} is {assignment} now. " +
			"When that began could not be read ({sincewhy}). If {user} was added after {time}, the next cycle picks them up{ifruns}: {next} " +
			"If earlier, the assignment is not being honoured (an inconsistent assignment record, or a role that does not provision).",
		UserDo: []Recommendation{{PartyHelpDesk, "If you still have no account after the time above, ask the help desk to check your access to {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Check when {user} was given {app} (the assignment, or when they joined the assigned group): if after {time}, wait for the next cycle{ifruns}; if before, remove the assignment and add it again, then provision {user} on demand."},
		},
		Estimate: newAccessEstimate,
		Vars: func(c *Case) map[string]string {
			v := skipVars(c)
			why, _ := c.unknown(FactAssignmentSince)
			v["sincewhy"] = why.Words()
			return v
		},
		Article: articleWhenFinish,
	},
	{
		// S06: the scoping filter that rejected the user cannot work.
		ID: "S06", Family: FamilySkipped, Category: ScopingFilter, Severity: SeverityWarning, Tier: TierEntry,
		When:     func(c *Case) bool { return skipFilter(c) && len(skipBadClauses(c)) > 0 },
		Headline: "{user} is left out of {app} by a rule for who gets it that cannot work as written.",
		EndUser: "Your company set a rule for who gets {app}. " +
			"Part of that rule is written in a way that does not work. " +
			"So it left you out at {time}. An admin has to fix the rule.",
		HelpDesk: "Skipped at {time} (change {change}): the scoping filter failed on clauses the provisioning service does not support: {badclauses}. " +
			"Such clauses do not work as expected (unsupported, or always false), so users are excluded whatever their data.",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk you cannot get {app}. The {app} admin needs to fix the rule for who gets it."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Rewrite the {app} scoping filter with supported attributes and operators: Greater_Than only on integers; no appRoleAssignments, userType, manager, date attributes, IsMemberOf, group members or multi-valued attributes. To limit by group, assign the group instead."},
			{PartyAppAdmin, "Saving a scoping filter starts a full resync of every user, so make the change once and test it first with Provision on demand."},
		},
		Estimate: skipUntil("an admin fixes the rule"),
		Vars:     skipVars,
		Evidence: skipClauseEvidence,
		Article:  articleScoping,
	},
	{
		// S05: an attribute-based scoping filter rejected the user.
		ID: "S05", Family: FamilySkipped, Category: ScopingFilter, Severity: SeverityWarning, Tier: TierEntry,
		When:     skipFilter,
		Headline: "{user} is left out of {app} because their details do not fit the rule for who gets it.",
		EndUser: "Your company set a rule for who gets {app}, based on details in your profile, such as your department. " +
			"When {app} checked your account at {time}, your details did not fit that rule. " +
			"So you were left out.",
		HelpDesk: "Skipped at {time} (change {change}): the scoping filter rejected {user}. Failing clauses: {filter}. {uservalues}" +
			"Clauses within one filter must all be true, and any one filter can let a user in; a clause on an empty attribute is false.",
		UserDo: []Recommendation{
			{PartyHelpDesk, "If a detail in your profile is wrong, such as your department, ask the help desk to fix it."},
			{PartyUser, "If your details are right, ask your manager whether you should have {app}."},
		},
		Do: []Recommendation{
			{PartyHelpDesk, "If {user} should have {app}, correct the attribute in Entra so it meets the filter; the next cycle then provisions them{ifruns}."},
			{PartyAppAdmin, "If the filter itself is wrong, fix it under {app} → Provisioning → Mappings → Source object scope. Saving a scoping filter starts a full resync."},
		},
		Estimate: skipUntil("the details or the rule change"),
		Vars:     skipVars,
		Evidence: skipClauseEvidence,
		Article:  articleScoping,
	},
	{
		// S03: the user's only assignment is the Default Access role.
		ID: "S03", Family: FamilySkipped, Category: NotEffectivelyEntitled, Severity: SeverityWarning, Tier: TierEntry,
		When: func(c *Case) bool {
			return skipIs(c) && (skipNotEntitled(c) || skipDetailIs(c, "False", skipRoleKeys...)) && skipDefaultAccess(c)
		},
		Headline: "{user} has only the Default Access role for {app}, and provisioning skipped them.",
		EndUser: "You were given {app}, but only with a basic kind of access. " +
			"With that kind of access, {app} did not make an account for you at {time}. " +
			"An admin can give you a proper role.",
		HelpDesk: "Skipped at {time} (change {change}) as not effectively entitled (SkipReason {skipreason}): " +
			"{user}'s only assignment to {app} is the Default Access role (app role id " + DefaultAccessRoleID + "; {assignment}). " +
			"Provisioning configurations created before 16 April 2020 skip users whose only role is Default Access; " +
			"since July 2020 it is evaluated like any other role.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to give you a proper role in {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Assign {user} (or their group) a real app role of {app} instead of Default Access, then provision {user} on demand to check."},
			{PartyAppAdmin, "If every user of {app} gets only Default Access, check the role mapping, or recreate the provisioning configuration so Default Access is evaluated like other roles."},
		},
		Estimate: skipUntil("a proper role is given"),
		Vars:     skipVars,
		Article:  articleNoUsers,
	},
	{
		// S07: the user's role does not qualify.
		ID: "S07", Family: FamilySkipped, Category: NotEffectivelyEntitled, Severity: SeverityWarning, Tier: TierEntry,
		When:     skipRole,
		Headline: "{user} does not have a role in {app} that gets an account.",
		EndUser: "When {app} checked your account at {time}, your access did not come with a role that gets an account. " +
			"So {app} skipped you. " +
			"An admin can give you a role that does.",
		HelpDesk: "Skipped at {time} (change {change}): the scoping step reports \"User has the required role = False\". " +
			"{user}'s assigned role ({role}) is not one the {app} configuration provisions. Details: {skipdetails}.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk which role you need in {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Assign {user} an app role of {app} that is provisioned (see the role mapping), not only Default Access."},
		},
		Estimate: skipUntil("a role that gets an account is given"),
		Vars:     skipVars,
		Article:  articleOnDemand,
	},
	{
		// S11: a routine skip for a user nobody assigned, in an app that
		// syncs all users.
		ID: "S11", Family: FamilySkipped, Category: NotAssigned, Severity: SeverityInfo, Tier: TierEntry,
		When:     skipRoutine,
		Headline: "{user} is not assigned to {app}; the skip in its log is routine.",
		EndUser: "You have not been given {app}. " +
			"The record from {time} is a normal check that skipped you. Nothing is broken. " +
			"If you need {app}, ask for access.",
		HelpDesk: "{user} is not assigned to {app}, which is set to sync all users and groups. " +
			"The skipped entry at {time} (change {change}) shows no scoping-filter result ({skipdetails}). " +
			"Skipped events for users nobody assigned are expected and are not a fault.",
		UserDo: []Recommendation{{PartyHelpDesk, "If you need {app}, ask the help desk or your manager for access."}},
		Do: []Recommendation{
			{PartyNobody, "No action needed: this skip is not a fault."},
			{PartyHelpDesk, "If {user} should have {app}, assign them; then check the scope setting and scoping filters with Provision on demand."},
		},
		Estimate: skipUntil("someone gives the access"),
		Vars:     skipVars,
		Article:  articleAnalyzeLogs,
	},
	{
		// S02: NotEffectivelyEntitled although the user is assigned.
		ID: "S02", Family: FamilySkipped, Category: NotEffectivelyEntitled, Severity: SeverityWarning, Tier: TierEntry,
		When:     skipAssignedNotEntitled,
		Headline: "{user} had been given {app} when it checked them at {time}, but provisioning did not count the assignment and skipped them.",
		EndUser: "You had been given {app} when it checked your account at {time}, but it did not count that access. " +
			"This can happen when the record of your access is out of step. " +
			"The help desk can remove your access and give it again.",
		HelpDesk: "Skipped at {time} (change {change}) as not effectively entitled, although {user} had been given {app} then ({assignedthen}; " +
			"details: {skipdetails}). The assignment record is inconsistent, or the assigned role does not grant provisioning.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to remove your access to {app} and give it again."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Remove {user}'s assignment to {app} (or the group's) and add it again, then provision {user} on demand to check."},
			{PartyAppAdmin, "If it keeps happening, check that the assigned role grants provisioning, or set the scope to sync all users and groups."},
		},
		Estimate: skipUntil("the access is removed and given again"),
		Vars:     skipVars,
		Article:  articleTroubleshoot,
	},
	{
		// S09: ImportSkipped: no value for the matching attribute.
		ID: "S09", Family: FamilySkipped, Category: MatchingAttributeMissing, Severity: SeverityWarning, Tier: TierEntry,
		Codes:    []string{"ImportSkipped"},
		Headline: "{app} skipped {user} because the detail used to find their account is empty.",
		EndUser: "{app} finds your account using a detail from your profile, such as your email address or sign-in name. " +
			"That detail is empty for you. " +
			"So {app} could not check your account at {time}. The help desk can fill it in.",
		HelpDesk: "Skipped at import with {code} at {time} (change {change}): {user} has no value for the attribute {app} matches users on, " +
			"so scoping, matching and export were not evaluated. This does not mean {user} is in scope. The service said: {reason}",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check that your profile has an email address and sign-in name."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Give {user} a value for the matching attribute (Mappings → Match objects using this attribute; typically userPrincipalName or mail)."},
			{PartyAppAdmin, "If many users lack it, add a second matching attribute with lower matching precedence, or choose another one: every user needs a value for at least one."},
		},
		Estimate: skipUntil("the empty detail is filled in"),
		Vars:     skipVars,
		Article:  articleAttrMap,
	},
	{
		// S10: EntrySynchronizationSkipped, and the user is not assigned.
		ID: "S10", Family: FamilySkipped, Category: NotAssigned, Severity: SeverityWarning, Tier: TierEntry,
		Codes: []string{"EntrySynchronizationSkipped"},
		When: func(c *Case) bool {
			return !skipExplained(c) && c.Assigned() == AssignmentNone
		},
		Headline: "{app} took no action for {user} at {time}: {user} is not assigned to it.",
		EndUser: "{app} only makes accounts for people who were given access to it. " +
			"It checked your account at {time} and made no change, because you do not have access. " +
			"If you need {app}, ask for access.",
		HelpDesk: "Skipped at {time} with {code} (change {change}): the service read {user} but took no action. " +
			"The entry's details do not name a reason ({skipdetails}), but {user} is not assigned to {app} now, which keeps them out of scope.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk or your manager for access to {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "If {user} should have {app}, assign them (or a group they are directly in); the next cycle then provisions them{ifruns}."},
		},
		Estimate: skipUntil("someone gives the access"),
		Vars:     skipVars,
		Article:  articleAnalyzeLogs,
	},
	{
		// S10b: EntrySynchronizationSkipped, reason not given.
		ID: "S10b", Family: FamilySkipped, Category: ScopingFilter, Severity: SeverityWarning, Tier: TierEntry,
		Codes: []string{"EntrySynchronizationSkipped"},
		When: func(c *Case) bool {
			return !skipExplained(c) && !skipOutsideFacts(c)
		},
		Headline: "{app} looked at {user} at {time} and took no action: {user} was out of scope, or nothing needed to change.",
		EndUser: "{app} checked your account at {time} and made no change. " +
			"Either you are not set up to get {app}, or your account was already up to date. " +
			"The record does not say which. If you cannot use {app}, ask the help desk to check.",
		HelpDesk: "Skipped at {time} with {code} (change {change}): the service read {user} but took no action. " +
			"That means either out of scope (a scoping filter, the assignment or the role) or no change needed; " +
			"the entry does not say which ({skipdetails}). {user} is {assignment}. The service said: {reason}",
		UserDo: []Recommendation{{PartyHelpDesk, "If you cannot use {app}, ask the help desk to check your access."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Provision {user} on demand on the {app} Provisioning page: its scope step shows whether a scoping filter, the assignment or the role keeps {user} out; if it reports nothing to change, the account already matches."},
		},
		Vars:    skipVars,
		Article: articleAnalyzeLogs,
	},
	{
		// S12: EntityTypeNotSupported: group objects only define scope.
		ID: "S12", Family: FamilySkipped, Category: CrossTenantPolicy, Severity: SeverityInfo, Tier: TierEntry,
		Codes:    []string{"EntityTypeNotSupported"},
		Headline: "{app} skipped a group in {user}'s record; groups there only decide who is in scope.",
		EndUser: "This record is about a group, not about your own account. " +
			"{app} does not copy groups. It only uses them to decide who gets access. " +
			"Nothing needs to change for you because of it.",
		HelpDesk: "Skipped with {code} at {time} (change {change}): cross-tenant synchronization does not synchronize group objects; " +
			"groups only define scope. This is a skip, not a failure, and says nothing about {user}'s own account.",
		UserDo: []Recommendation{{PartyNobody, "Nothing to do."}},
		Do: []Recommendation{
			{PartyNobody, "No action needed."},
			{PartyHelpDesk, "To test {user}, run Provision on demand with the user, not a group."},
		},
		Estimate: func(c *Case) *Estimate { return nil },
		Vars:     skipVars,
		Article:  articleAnalyzeLogs,
	},
	{
		// S10c: a skip no other rule explains; quote what the log says.
		ID: "S10c", Family: FamilySkipped, Category: UnknownError, Severity: SeverityWarning, Tier: TierEntry,
		When: func(c *Case) bool {
			return skipIs(c) && !skipOutsideFacts(c) &&
				!(c.Assigned() == AssignmentNone && c.Assignment.Scope != ScopeAll)
		},
		Headline: "{app} skipped {user} at {time} for a reason provbot does not recognise.",
		EndUser: "When {app} checked your account at {time}, it skipped you. " +
			"The record gives no reason provbot knows. " +
			"The help desk needs to look at it.",
		HelpDesk: "The newest entry ({time}, change {change}, cycle {cycle}) has status {status} at step {step}, " +
			"with details provbot has no rule for: {skipdetails}. {errinfo}",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to look at your {app} account. Tell them it was skipped at {time}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Provision {user} on demand to see the scope step's details, and compare them with the assignment ({assignment}) and the scoping filters."},
		},
		Vars:    skipVars,
		Article: articleAnalyzeLogs,
	},
}

package diagnose

// signalRules decide a failure from what the entry itself says when no
// rule for its error code does: a code the catalogue does not list, or a
// generic code whose app answer says more (classify.go reads the layers).
// They quote the app's words verbatim. They come after every other rule
// of their tier, so that a code rule, or a rule reading a more specific
// signal (a PATCH shape, a required attribute, an expression, a manager
// reference), decides first. RULES.md documents each.
var signalRules = []Rule{
	{
		// E20: a unique value is taken (scimType uniqueness, HTTP 409,
		// "already exists", DUPLICATE_…).
		ID: "E20", Family: FamilyMatching, Category: MatchingConflict, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(MatchingConflict, nil),
		Headline: "{app} already has an account that uses one of {user}'s unique details, so the account was not {opdone}.",
		EndUser: "{app} already has an account that uses one of your details, such as your email or user name. " +
			"So your {app} account could not be set up or changed. " +
			"An admin of {app} has to sort out which account is yours.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that a value that must be unique is already taken{attrin}. " +
			"{app} said: {appquote}. {httpnote}Matching did not link that existing record to {user}, so the service tried to create or change a second one. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check your {app} account. They will work out with the {app} admin which account is yours."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In {app}, find the record that holds the clashing value. If it is {user}'s own older account, make it match (align the matching value in Entra or in {app}, or claim or link it as {app} requires) so provisioning takes it over."},
			{PartyHelpDesk, "If the record belongs to someone else, give {user} a unique value in Entra (UPN or mail), then use Provision on demand for {user}."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupConflictText,
		Article:  articleAnalyzeLogs,
	},
	{
		// E21: a value the app requires is missing (REQUIRED_FIELD_MISSING,
		// "is required", scimType invalidValue naming a missing value).
		ID: "E21", Family: FamilyMapping, Category: MissingRequiredAttribute, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(MissingRequiredAttribute, nil),
		Headline: "{app} needs a value that was not sent for {user}, so the account was not {opdone}.",
		EndUser: "{app} needs some details about you that are missing. " +
			"So your {app} account could not be set up or changed. " +
			"The help desk can fill in the missing details in the company directory.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that a required value is missing{attrin}. " +
			"{app} said: {appquote}. {httpnote}The provisioning service never sends empty values, so an empty source attribute, or an attribute no mapping sends, leaves the app's required field blank. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk which detail {app} needs, and have it added to your profile."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Fill in the Entra attribute mapped to {attr} on {user}'s account; the next cycle retries the {action}{ifruns}."},
			{PartyAppAdmin, "If many users lack it, map a fallback (for example Coalesce([mail],[userPrincipalName]) or IIF(IsPresent([attribute]), [attribute], \"value\")) on the {app} Provisioning page → Mappings, or scope out users without it."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupRequiredText,
		Article:  articleAttrMap,
	},
	{
		// E22: no licence or seat left in the app.
		ID: "E22", Family: FamilyExport, Category: LicenseLimit, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(LicenseLimit, nil),
		Headline: "{app} has no free licence for {user}, so the account was not {opdone}.",
		EndUser: "{app} has no free licences left, so your account could not be made. " +
			"Someone who runs {app} has to buy more licences or free one up. After that, your account is made on its own.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that no licence is available. {app} said: {appquote}. {httpnote}" +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that {app} has no free licences, and ask whether you can get one."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Buy more {app} licences, or free some by removing accounts that no longer need one; the next cycle retries{ifruns}."},
			{PartyAppAdmin, "Check the app's assignments and any licence or role mapping: users who should not take a licence may be in scope."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupLicenseText,
		Article:  articleAnalyzeLogs,
	},
	{
		// E24: the app refused provisioning's sign-in (HTTP 401, "token
		// expired", "invalid credentials").
		ID: "E24", Family: FamilyExport, Category: TargetPermission, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(TargetPermission, func(c *Case, f Finding) bool { return f.Problem == ProblemCredentials }),
		Headline: "{app} did not accept provisioning's sign-in, so {user}'s account was not {opdone}.",
		EndUser: "The company directory could not sign in to {app} to set up or change your account. " +
			"The password or key it uses is wrong or has run out. An admin of {app} has to renew it.",
		HelpDesk: "{app} rejected the provisioning service's credentials during the {action} for {user} at {time}{withcode}, as {signal} shows. " +
			"{app} said: {appquote}. {httpnote}The secret token, password or tenant URL under Admin Credentials is wrong, expired or revoked; this affects every user, and if it keeps failing the job goes into quarantine. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk. The {app} admin has to renew the sign-in details that the link uses."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Get a new admin token or password from {app}, enter it under Admin Credentials on the {app} Provisioning page, select Test Connection and save."},
			{PartyHelpDesk, "Then use Provision on demand for {user}, or wait for the next cycle{ifruns}."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupCredentialsText,
		Article:  articleTroubleshoot,
	},
	{
		// E23: signed in, but not allowed (HTTP 403, "insufficient
		// privileges", "access denied").
		ID: "E23", Family: FamilyExport, Category: TargetPermission, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(TargetPermission, nil),
		Headline: "{app} does not let provisioning {opverb} {user}'s account.",
		EndUser: "The company directory signed in to {app}, but {app} did not let it set up or change your account. " +
			"The account it uses in {app} is missing some rights. An admin of {app} has to fix that.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that the account or token provisioning uses may not {opverb} this account. " +
			"{app} said: {appquote}. {httpnote}Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that {app} could not set up your account. The app's admin has to give the link more rights."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Give the account or token that provisioning uses in {app} the rights its provisioning tutorial lists (it must be able to {opverb} this kind of account), or find why this account is protected in {app}."},
			{PartyHelpDesk, "Then use Provision on demand for {user}, or wait for the next cycle{ifruns}."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupPermissionText,
		Article:  articleAnalyzeLogs,
	},
	{
		// E25: the app was busy, down or throttling (HTTP 429/5xx, "rate
		// limit", "service unavailable"): retried on its own.
		ID: "E25", Family: FamilyExport, Category: TargetTransient, Severity: SeverityWarning, Tier: TierEntry,
		When:     signalSays(TargetTransient, nil),
		Headline: "{app} could not take the request for {user}'s account just then; it is retried automatically.",
		EndUser: "{app} was busy or had a short problem when your account was being set up or changed. " +
			"This is usually short-lived. {next}",
		HelpDesk: "The {action} for {user} failed at {time}{withcode}, and {signal} shows that {app} was busy, throttling or unavailable. {app} said: {appquote}. {httpnote}" +
			"Nothing needs doing yet: the service retries failed objects automatically. {next} Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyNobody, "Nothing for you to do. Try {app} again later. If it still does not work tomorrow, tell the help desk."}},
		Do: []Recommendation{
			{PartyNobody, "Wait for the automatic retry: the provisioning service tries again on its own (see when above)."},
			{PartyVendor, "If {user} still fails this way after a day, ask the {app} vendor about their API's availability and rate limits; give them change {change} and the time {time}."},
		},
		Estimate: transientEstimate,
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupTransientText,
		Article:  articleAnalyzeLogs,
	},
	{
		// E26: the app has no such attribute or path (scimType
		// invalidPath, "Unknown path", "unknown attribute").
		ID: "E26", Family: FamilyMapping, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(AttributeMapping, func(c *Case, f Finding) bool { return f.Problem == ProblemUnknownAttribute }),
		Headline: "Provisioning sends {app} an attribute it does not know, so {user}'s account was not {opdone}.",
		EndUser: "The link to {app} is set up to send a detail that {app} does not know. " +
			"So your {app} account could not be set up or changed. " +
			"This is a setup problem, not a problem with your account. An admin has to fix it.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that the request names an attribute or path {app} does not have{attrin}. " +
			"{app} said: {appquote}. {httpnote}This fails for every user the mapping applies to. Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk. The {app} admin has to fix how details are sent to {app}."}},
		Do: []Recommendation{
			{PartyAppAdmin, "On the {app} Provisioning page → Mappings, remove or correct the mapping to {attr}; if {app} has the attribute under another name, fix the target attribute list (Show advanced options → Edit attribute list)."},
			{PartyHelpDesk, "Then use Provision on demand for {user} to check the fix."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupUnknownAttrText,
		Article:  articleAttrMap,
	},
	{
		// E27: the attribute cannot be changed once set (scimType
		// mutability; "immutable", "read-only").
		ID: "E27", Family: FamilyMapping, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(AttributeMapping, func(c *Case, f Finding) bool { return f.Problem == ProblemImmutable }),
		Headline: "{app} does not let provisioning change one of {user}'s details once it is set, so the update failed.",
		EndUser: "{app} does not allow one of your details to change after your account was made. " +
			"The link tried to change it anyway, so the update failed. An admin has to change how that detail is sent.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that the attribute{attrin} cannot be changed. " +
			"{app} said: {appquote}. {httpnote}The mapping sends it on every update, but {app} accepts it only when the account is created. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk. The {app} admin has to change how this detail is sent."}},
		Do: []Recommendation{
			{PartyAppAdmin, "On the {app} Provisioning page → Mappings, edit the mapping to {attr} and set Apply this mapping to Only during object creation (or remove it), then use Provision on demand for {user}."},
			{PartyHelpDesk, "If the value really has to change, ask the {app} admin to change it by hand in {app}."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupImmutableText,
		Article:  articleAttrMap,
	},
	{
		// E28: a value of a named attribute has a form or size the app
		// refuses (scimType invalidValue/invalidSyntax, "Value not
		// supported for attribute …", "too long").
		ID: "E28", Family: FamilyMapping, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(AttributeMapping, func(c *Case, f Finding) bool { return f.Problem == ProblemBadValue }),
		Headline: "{app} refuses the value sent for one of {user}'s details, so the account was not {opdone}.",
		EndUser: "{app} did not accept one of your details in the form it was sent. " +
			"So your {app} account could not be set up or changed. " +
			"An admin has to change how that detail is sent, or the detail itself has to change.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that a value has a form, size or content it does not accept{attrin}. " +
			"{app} said: {appquote}. {httpnote}Either {user}'s source value is wrong, or the mapping sends a value {app} cannot take. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check how your details are sent to {app}."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Compare the value sent for {attr} (the export step's details and the modified properties) with what {app} accepts, and fix the mapping on the {app} Provisioning page → Mappings (an expression such as Switch, Mid or Replace), or map another attribute."},
			{PartyHelpDesk, "If only {user}'s source value is wrong, correct it in Entra; the next cycle retries{ifruns}."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupBadValueText,
		Article:  articleAttrMap,
	},
	{
		// E30: the account the request names is gone (HTTP 404 or "not
		// found" on an update, disable or delete).
		ID: "E30", Family: FamilyMatching, Category: InvalidAnchor, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(InvalidAnchor, nil),
		Headline: "The {app} account that {user} was linked to seems to be gone, so the change could not be made.",
		EndUser: "Your {app} account was linked to your work account. " +
			"That {app} account seems to be gone now, so changes cannot reach it. " +
			"An admin has to bring it back or link you again.",
		HelpDesk: "The {action} for {user} failed at {time}{withcode}, and {signal} shows that the account the request names does not exist in {app} (target id {target}). " +
			"{app} said: {appquote}. {httpnote}The service still holds a link (object connection) to an account that was deleted or replaced in {app}. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk your {app} account seems to be gone. The {app} admin can link you again."}},
		Do: []Recommendation{
			{PartyAppAdmin, "If the account was deleted in {app} by mistake, restore it; the link then works again."},
			{PartyAppAdmin, "Otherwise remove the stale link (object connection) for {user} and provision {user} on demand, so a new account is matched or created."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupGoneText,
		Article:  articleObjConn,
	},
	{
		// E31: a domain the app does not accept ("domain does not exist",
		// "invalid domain").
		ID: "E31", Family: FamilyExport, Category: InvalidDomain, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(InvalidDomain, nil),
		Headline: "{app} does not accept the domain in {user}'s sign-in name or email, so the account was not {opdone}.",
		EndUser: "{app} does not accept the last part of your email address or sign-in name, after the @ sign. " +
			"So your {app} account could not be set up or changed. " +
			"An admin has to allow that part in {app}, or your address has to change.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that a value carries a domain it does not accept ({domain}). " +
			"{app} said: {appquote}. {httpnote}Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check that {app} accepts your email address."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Add and verify the domain ({domain}) in {app}, or change the mapping so the value uses a domain {app} accepts."},
			{PartyHelpDesk, "Or give {user} a UPN or email address in an accepted domain."},
		},
		Vars: signalVars(func(c *Case) map[string]string {
			return map[string]string{"domain": domainIn(c)}
		}),
		Evidence: signalEvidence,
		ForGroup: groupDomainText,
		Article:  articleAnalyzeLogs,
	},
	{
		// E33: an object the request refers to (a group member, a
		// manager) is not in the app ("invalid members", "manager … does
		// not exist").
		ID: "E33", Family: FamilyExport, Category: ReferenceUnresolved, Severity: SeverityWarning, Tier: TierEntry,
		When:     signalSays(ReferenceUnresolved, nil),
		Headline: "{app} could not link {user} to another account it refers to, because that account is not in {app}.",
		EndUser: "The change refers to another account, such as a team member or a manager. " +
			"That other account is not in {app} yet, so the link could not be made. " +
			"It should sort itself out once the other account is there. If it does not, the help desk can help.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that an object the request refers to is not in {app}. " +
			"{app} said: {appquote}. {httpnote}Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyNobody, "Nothing for you to do for now. If it is still wrong tomorrow, tell the help desk."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Make sure every referenced user (the members, or the manager) is assigned to {app} and provisioned without errors; the next cycle then resolves the reference{ifruns}."},
			{PartyAppAdmin, "If a referenced object came into scope after {user}, restart provisioning: references are only evaluated again then."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupMembersText,
		Article:  articleKnownIssues,
	},
	{
		// E34: the user lacks the value objects are matched on
		// (EntryJoiningPropertyValueIsMissing), so the account cannot be
		// looked up in the app.
		ID: "E34", Family: FamilyMatching, Category: MatchingAttributeMissing, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(MatchingAttributeMissing, nil),
		Headline: "{user} has no value for the detail {app} accounts are matched on, so the account could not be looked up.",
		EndUser: "{app} finds your account by one of your details, and that detail is empty in your profile. " +
			"So your {app} account could not be checked or set up. The help desk can fill it in.",
		HelpDesk: "The {action} for {user} failed at {time}{withcode}, and {signal} shows that {user} has no value for the matching attribute, so the service cannot look the account up in {app}. " +
			"It said: {appquote}. Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to fill in the detail {app} uses to find your account."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Find the matching attribute on the {app} Provisioning page → Mappings (Match objects using this attribute) and fill in that value on {user}'s account in Entra; the next cycle retries{ifruns}."},
			{PartyAppAdmin, "If many users lack it, match on an attribute every user has (for example objectId mapped to externalId, or userPrincipalName)."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupMatchingValueText,
		Article:  articleAttrMap,
	},
	{
		// E32: the app cannot take the request as sent: a filter it cannot
		// run, a protocol version, sensitive data in a URI (scimType
		// invalidFilter, tooMany, invalidVers, sensitive; HTTP 415/501).
		ID: "E32", Family: FamilyExport, Category: TargetRejected, Severity: SeverityError, Tier: TierEntry,
		When: signalSays(TargetRejected, func(c *Case, f Finding) bool {
			return f.Problem == ProblemFilter || f.Problem == ProblemProtocol
		}),
		Headline: "{app} cannot handle the request that provisioning sends for {user}'s account.",
		EndUser: "{app} could not handle a request about your account, because of how {app} is built. " +
			"This is not a problem with your account. The makers of {app} or an admin have to fix it.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that {app} cannot process the request as the provisioning service sends it (a filter, protocol version or media type it does not support). " +
			"{app} said: {appquote}. {httpnote}Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that {app} could not handle a change to your account."}},
		Do: []Recommendation{
			{PartyVendor, "Ask the {app} vendor to support the Microsoft Entra SCIM client's requests (eq filters on userName and externalId, application/scim+json, SCIM 2.0); give them change {change} and the time {time}."},
			{PartyAppAdmin, "Meanwhile, match on an attribute {app} can filter on (Mappings → Match objects using this attribute), and check the mappings against the app's provisioning tutorial."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		ForGroup: groupRequestText,
		Article:  articleSCIM,
	},
	{
		// E29: the app refused for a reason of its own: the account's state
		// ("must be active"), a reserved name, a malformed request (HTTP
		// 400/422, scimType noTarget).
		ID: "E29", Family: FamilyExport, Category: TargetRejected, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(TargetRejected, nil),
		Headline: "{app} turned down the request to {opverb} {user}'s account.",
		EndUser: "{app} turned down a change to your account. " +
			"Trying again will not help until someone fixes the cause. " +
			"The help desk has to look at what {app} said.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that it refused for a reason of its own. {app} said: {appquote}. {httpnote}" +
			"An answer like this is the app's own decision, so automatic retries fail the same way until the cause is fixed. {scopehint} " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to look at your {app} account. Tell them it failed at {time}."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Read what {app} said above and fix the account, value or setting it names in {app} or in Entra; the app's provisioning tutorial lists what it accepts."},
			{PartyVendor, "If the answer is unclear, ask the {app} vendor what it means; give them change {change} and the time {time}."},
		},
		Vars:     signalVars(scopeHintVars),
		Evidence: signalEvidence,
		ForGroup: groupRefusedText,
		Article:  articleAnalyzeLogs,
	},
}

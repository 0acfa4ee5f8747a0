package diagnose

// The signal rules' sentences for a group's own entry (Rule.ForGroup): a
// group's failed create or update is read in the same layers as a user's
// (classify.go) and gets the same verdict from the same rule, told of a
// group. Groups are created and updated with their display name, external
// id and members; a member is added only when it is in scope for the app
// and provisioned there itself [how-provisioning-works].

// groupFailed is the evidence sentence every group signal text ends with.
const groupFailed = "Failed step: {step} (change {change}, cycle {cycle})."

var (
	// E20: a unique value is taken: usually another group of the same
	// name or external id.
	groupConflictText = &GroupText{
		Headline: "{app} already has a group with the same name or another unique value as {user}, so {user} was not {opdone}.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that a value that must be unique is already taken{attrin}. " +
			"{app} said: {appquote}. {httpnote}Usually another group in {app} already has the same displayName or externalId, and matching did not link it to {user}, " +
			"so the service tried to create or change a second one. " + groupFailed,
		Do: []Recommendation{
			{PartyAppAdmin, "In {app}, find the group with the same name or external id: if it is an older copy of {user}, delete or rename it, or change the group matching attribute (Mappings → groups) so that it is matched and taken over."},
			{PartyHelpDesk, "If it is a different group, give {user} a name that is unique in {app}, then provision {user} on demand."},
		},
	}
	// E21: a value the app requires is missing.
	groupRequiredText = &GroupText{
		Headline: "{app} needs a value that was not sent for {user}, so {user} was not {opdone}.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that a required value is missing{attrin}. " +
			"{app} said: {appquote}. {httpnote}The provisioning service never sends empty values, so an empty attribute of the group in Entra, " +
			"or one no group mapping sends, leaves the app's required field blank. " + groupFailed,
		Do: []Recommendation{
			{PartyHelpDesk, "Fill in the Entra attribute mapped to {attr} on {user}; the next cycle retries the {action}{ifruns}."},
			{PartyAppAdmin, "If groups often lack it, map a fallback under {app} → Provisioning → Mappings → groups (for example Coalesce([mailNickname],[displayName]))."},
		},
	}
	// E22: no licence or seat left.
	groupLicenseText = &GroupText{
		Headline: "{app} has no free licence or seat for {user}, so {user} was not {opdone}.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that no licence or seat is available. {app} said: {appquote}. {httpnote}" +
			groupFailed,
		Do: []Recommendation{
			{PartyAppAdmin, "Free or buy what {app} says is used up (licences, seats, or its limit on groups); the next cycle retries{ifruns}."},
		},
	}
	// E24: the app refused provisioning's sign-in.
	groupCredentialsText = &GroupText{
		Headline: "{app} did not accept provisioning's sign-in, so {user} was not {opdone}.",
		HelpDesk: "{app} rejected the provisioning service's credentials during the {action} for {user} at {time}{withcode}, as {signal} shows. " +
			"{app} said: {appquote}. {httpnote}The secret token, password or tenant URL under Admin Credentials is wrong, expired or revoked; this affects every user and group, " +
			"and if it keeps failing the job goes into quarantine. " + groupFailed,
		Do: []Recommendation{
			{PartyAppAdmin, "Get a new admin token or password from {app}, enter it under Admin Credentials on the {app} Provisioning page, select Test Connection and save."},
			{PartyHelpDesk, "Then provision {user} on demand, or wait for the next cycle{ifruns}."},
		},
	}
	// E23: signed in, but not allowed to manage groups.
	groupPermissionText = &GroupText{
		Headline: "{app} does not let provisioning {opverb} {user}.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that the account or token provisioning uses may not {opverb} groups. " +
			"{app} said: {appquote}. {httpnote}" + groupFailed,
		Do: []Recommendation{
			{PartyAppAdmin, "Give the account or token provisioning uses in {app} the rights to manage groups, as the app's provisioning tutorial lists; or, if {app} does not support groups, turn off group provisioning in the mappings."},
		},
	}
	// E25: the app was busy, down or throttling.
	groupTransientText = &GroupText{
		Headline: "{app} could not take the request for {user} just then; it is retried automatically.",
		HelpDesk: "The {action} for {user} failed at {time}{withcode}, and {signal} shows that {app} was busy, throttling or unavailable. {app} said: {appquote}. {httpnote}" +
			"Nothing needs doing yet: the service retries failed objects automatically. {next} " + groupFailed,
		Do: []Recommendation{
			{PartyNobody, "Wait for the automatic retry: the provisioning service tries again on its own (see when above)."},
			{PartyVendor, "If {user} still fails this way after a day, ask the {app} vendor about their API's availability and rate limits; give them change {change} and the time {time}."},
		},
	}
	// E26: the app has no such attribute or path.
	groupUnknownAttrText = &GroupText{
		Headline: "Provisioning sends {app} a group attribute it does not know, so {user} was not {opdone}.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that the request names an attribute or path {app} does not have{attrin}. " +
			"{app} said: {appquote}. {httpnote}This fails for every group the mapping applies to. " + groupFailed,
		Do: []Recommendation{
			{PartyAppAdmin, "On the {app} Provisioning page → Mappings → groups, remove or correct the mapping to {attr}; if {app} has the attribute under another name, fix the target attribute list."},
			{PartyHelpDesk, "Then provision {user} on demand to check the fix."},
		},
	}
	// E27: the attribute cannot change once set.
	groupImmutableText = &GroupText{
		Headline: "{app} does not let provisioning change one of {user}'s values once it is set, so the update failed.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that the attribute{attrin} cannot be changed. " +
			"{app} said: {appquote}. {httpnote}The group mapping sends it on every update, but {app} accepts it only when the group is created. " + groupFailed,
		Do: []Recommendation{
			{PartyAppAdmin, "On the {app} Provisioning page → Mappings → groups, edit the mapping to {attr} and set Apply this mapping to Only during object creation (or remove it), then provision {user} on demand."},
		},
	}
	// E28: a value has a form or size the app refuses.
	groupBadValueText = &GroupText{
		Headline: "{app} refuses the value sent for one of {user}'s attributes, so {user} was not {opdone}.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that a value has a form, size or content it does not accept{attrin}. " +
			"{app} said: {appquote}. {httpnote}Either the group's value in Entra is wrong, or the group mapping sends a value {app} cannot take. " + groupFailed,
		Do: []Recommendation{
			{PartyAppAdmin, "Compare the value sent for {attr} (the export step's details and the modified properties) with what {app} accepts, and fix the group mapping on the {app} Provisioning page → Mappings → groups."},
			{PartyHelpDesk, "If only {user}'s own value is wrong, correct it in Entra; the next cycle retries{ifruns}."},
		},
	}
	// E30: the group the request names is gone from the app.
	groupGoneText = &GroupText{
		Headline: "The group in {app} that {user} was linked to seems to be gone, so the change could not be made.",
		HelpDesk: "The {action} for {user} failed at {time}{withcode}, and {signal} shows that the group the request names does not exist in {app} (target id {target}). " +
			"{app} said: {appquote}. {httpnote}The service still holds a link to a group that was deleted or replaced in {app}. " + groupFailed,
		Do: []Recommendation{
			{PartyAppAdmin, "If the group was deleted in {app} by mistake, restore it; the link then works again."},
			{PartyAppAdmin, "Otherwise restart provisioning for {app} (or provision {user} on demand), so that a group is matched or created again."},
		},
	}
	// E31: a domain the app does not accept.
	groupDomainText = &GroupText{
		Headline: "{app} does not accept the domain in one of {user}'s values, so {user} was not {opdone}.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that a value carries a domain it does not accept ({domain}). " +
			"{app} said: {appquote}. {httpnote}" + groupFailed,
		Do: []Recommendation{
			{PartyAppAdmin, "Add and verify the domain ({domain}) in {app}, or change the group mapping so the value uses a domain {app} accepts."},
		},
	}
	// E33: members (or another referenced object) are not in the app.
	groupMembersText = &GroupText{
		Headline: "{app} could not add some members of {user}, because they are not in {app}.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that members of the group, or another object the request refers to, are not in {app}. " +
			"{app} said: {appquote}. {httpnote}Provisioning adds a member to a group only when that member is in scope for {app} itself and was provisioned there. " + groupFailed,
		Do: []Recommendation{
			{PartyHelpDesk, "Make sure every member that should be in {user} in {app} is assigned to {app} (directly, or through a group assigned to it) and provisioned without errors; the next cycle then adds them{ifruns}."},
			{PartyAppAdmin, "If members came into scope after {user} was provisioned, restart provisioning for {app}: references are only evaluated again then."},
		},
	}
	// E34: the group lacks the value groups are matched on.
	groupMatchingValueText = &GroupText{
		Headline: "{user} has no value for the attribute {app} groups are matched on, so it could not be looked up.",
		HelpDesk: "The {action} for {user} failed at {time}{withcode}, and {signal} shows that {user} has no value for the group matching attribute, so the service cannot look it up in {app}. " +
			"It said: {appquote}. " + groupFailed,
		Do: []Recommendation{
			{PartyHelpDesk, "Find the matching attribute on the {app} Provisioning page → Mappings → groups (Match objects using this attribute) and fill in that value on {user} in Entra; the next cycle retries{ifruns}."},
			{PartyAppAdmin, "If many groups lack it, match groups on an attribute every group has (displayName, or objectId mapped to externalId)."},
		},
	}
	// E32: the app cannot take the request as sent.
	groupRequestText = &GroupText{
		Headline: "{app} cannot handle the request that provisioning sends for {user}.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that {app} cannot process the request as the provisioning service sends it (a filter, protocol version or media type it does not support). " +
			"{app} said: {appquote}. {httpnote}" + groupFailed,
		Do: []Recommendation{
			{PartyVendor, "Ask the {app} vendor to support the Microsoft Entra SCIM client's requests for groups (eq filters on displayName and externalId, PATCH of members, application/scim+json, SCIM 2.0); give them change {change} and the time {time}."},
			{PartyAppAdmin, "Meanwhile, check the group mappings against the app's provisioning tutorial, or turn off group provisioning if {app} does not support groups."},
		},
	}
	// E29: the app refused for a reason of its own.
	groupRefusedText = &GroupText{
		Headline: "{app} turned down the request to {opverb} {user}.",
		HelpDesk: "{app} refused the {action} for {user} at {time}{withcode}, and {signal} shows that it refused for a reason of its own. {app} said: {appquote}. {httpnote}" +
			"An answer like this is the app's own decision, so automatic retries fail the same way until the cause is fixed. Provision on demand for {user} shows the exact request and the app's answer. " +
			groupFailed,
		Do: []Recommendation{
			{PartyAppAdmin, "Read what {app} said above and fix the group, value or setting it names in {app} or in Entra; the app's provisioning tutorial lists what it accepts for groups."},
			{PartyVendor, "If the answer is unclear, ask the {app} vendor what it means; give them change {change} and the time {time}."},
		},
	}
)

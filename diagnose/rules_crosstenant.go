package diagnose

// crossTenantRules explain cross-tenant synchronization errors (facts
// §3.2.2). The codes have no facts id of their own, so the rules are
// numbered XT01… in the order of that table. End users hear about "your
// organization's other tenant": the target tenant their account is copied to.
//
// EntityTypeNotSupported (a group object, only used for scope) is a skip,
// and belongs to the skipped family.
var crossTenantRules = []Rule{
	{
		// XT11: the entry's words name a cross-tenant policy refusal while
		// its code does not (a generic code, none, or a test connection
		// that calls it "invalid credentials"): "Policy permitting
		// auto-redemption of invitations not configured", "Guest
		// invitations not allowed for your company" [ctsync].
		ID: "XT11", Family: FamilyCrossTenant, Category: CrossTenantPolicy, Severity: SeverityError, Tier: TierEntry,
		When:     signalSays(CrossTenantPolicy, nil),
		Headline: "{app} cannot copy {user} to the other tenant, because a tenant's cross-tenant settings do not allow it.",
		EndUser: "Your account is copied into your organization's other tenant. " +
			"That copy could not be made, because a setting in one of the two tenants does not allow it. " +
			"An admin has to change that setting.",
		HelpDesk: "The {action} of {user} failed at {time}{withcode}, and {signal} shows that a tenant's policy refused it. It said: {appquote}. " +
			"Automatic redemption must be allowed in both tenants' cross-tenant access settings, and the target's external collaboration settings must allow the invitation. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that your account is not reaching the other tenant. An admin has to change a setting."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In both tenants, open External Identities → Cross-tenant access settings for the other organization: the source's outbound and the target's inbound trust settings must automatically redeem invitations, and the target's inbound settings must allow users to sync in."},
			{PartyAppAdmin, "If the words are about guest invitations, relax the target tenant's External collaboration settings → Guest invite settings."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		Article:  articleCrossTenant,
	},
	{
		// §3.2.2 AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService:
		// the target user is mastered in Exchange Online.
		ID: "XT01", Family: FamilyCrossTenant, Category: CrossTenantPolicy, Severity: SeverityWarning, Tier: TierEntry,
		Codes:    []string{"AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService"},
		Headline: "Some of {user}'s details cannot be updated in the other tenant by {app}, because Exchange Online manages them there.",
		EndUser: "Your account is copied into your organization's other tenant. " +
			"There, some of your details are managed by the mail system, so they could not be updated from here. " +
			"Your account there may still work. An admin of the other tenant can update those details by hand.",
		HelpDesk: "The {action} of {user} in the target tenant failed at {time} with {code}: the target user is mastered in Exchange Online, " +
			"so cross-tenant synchronization cannot write Exchange attributes such as extensionAttribute1–15 (nor Mail or showInAddressList under source-of-authority enforcement). " +
			"This happens when the target user's dirSyncEnabled flipped to false. The service may retry without the refused attribute. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "If a detail in the other tenant is wrong, ask the help desk to have it fixed there."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In the target tenant, update the attribute in Exchange Online (Set-MailUser), or remove its mapping from the cross-tenant synchronization configuration {app}."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// §3.2.2 AzureDirectoryB2BManagementPolicyCheckFailure: automatic
		// redemption is not allowed in the source and/or target tenant.
		ID: "XT02", Family: FamilyCrossTenant, Category: CrossTenantPolicy, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"AzureDirectoryB2BManagementPolicyCheckFailure"},
		Headline: "{app} cannot copy {user} to the other tenant, because automatic invitation redemption is not allowed in both tenants.",
		EndUser: "Your account is copied into your organization's other tenant. " +
			"That copy could not be made, because one of the two tenants is not set to accept it without an invite email. " +
			"An admin has to turn on a setting.",
		HelpDesk: "The {action} of {user} failed at {time} with {code}: the cross-tenant access policy check failed. " +
			"The target tenant needs an inbound policy that allows users to sync in and automatically redeems invitations, " +
			"and the source tenant an outbound policy that automatically redeems invitations. " +
			"This fails for every user until both are set. Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that your account is not reaching the other tenant. An admin has to change a setting."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In the source tenant: External Identities → Cross-tenant access settings → the target organization → Outbound access → Trust settings: tick Automatically redeem invitations."},
			{PartyAppAdmin, "In the target tenant: Cross-tenant access settings → the source organization → Inbound access: under Cross-tenant sync allow users to sync into this tenant, and under Trust settings tick Automatically redeem invitations."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleCrossTenant,
	},
	{
		// §3.2.2 AzureActiveDirectoryQuotaLimitExceeded: the target tenant's
		// directory object quota is reached.
		ID: "XT03", Family: FamilyCrossTenant, Category: LicenseLimit, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"AzureActiveDirectoryQuotaLimitExceeded"},
		Headline: "The other tenant that {app} copies {user} to is full: it has reached its directory object limit.",
		EndUser: "Your account is copied into your organization's other tenant. " +
			"That tenant is full: it holds as many accounts as it may. " +
			"So your account could not be added. An admin has to ask for a higher limit.",
		HelpDesk: "The {action} of {user} failed at {time} with {code}: the target tenant has reached its directory object quota, so no new object can be created there. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that the other tenant is full. An admin has to ask for more room."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In the target tenant, check the directory quota (Microsoft Entra service limits and restrictions) and ask Microsoft support to raise it, or delete objects that are no longer needed."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// §3.2.2 InvitationCreationFailure: inviting the user into the
		// target tenant failed.
		ID: "XT04", Family: FamilyCrossTenant, Category: CrossTenantPolicy, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"InvitationCreationFailure"},
		Headline: "{app} could not invite {user} into the other tenant.",
		EndUser: "Your account is copied into your organization's other tenant with an invite sent behind the scenes. " +
			"That invite failed, so your account is not there yet. " +
			"The help desk has to look into it, maybe with Microsoft.",
		HelpDesk: "The {action} of {user} failed at {time} with {code}: the provisioning service tried to invite {user} into the target tenant, and the invitation failed. " +
			"This usually needs a Microsoft support case; first check the target tenant's collaboration restrictions. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that your account is not reaching the other tenant."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In the target tenant, open External collaboration settings → Collaboration restrictions, and make sure the source tenant's domains are not blocked."},
			{PartyHelpDesk, "If that is fine, open a Microsoft support case and quote change {change}, cycle {cycle} and the time {time}."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// §3.2.2 InvitationCreationFailureUserAccountDisabled: the user
		// exists in the target tenant, disabled, with a pending invitation.
		ID: "XT05", Family: FamilyCrossTenant, Category: CrossTenantPolicy, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"InvitationCreationFailureUserAccountDisabled"},
		Headline: "{user}'s account in the other tenant is turned off with an invitation pending, so {app} cannot update it.",
		EndUser: "Your account is copied into your organization's other tenant. " +
			"You already have an account there, but it is turned off and still waits for an invite to be accepted. " +
			"An admin of the other tenant has to turn it on.",
		HelpDesk: "The {action} of {user} failed at {time} with {code}: {user} already exists in the target tenant, disabled, with a pending invitation, so no invitation can be created. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to have your account in the other tenant turned on."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In the target tenant, enable {user}'s existing account (accountEnabled = true)."},
			{PartyHelpDesk, "Then use Provision on demand for {user} in {app}, or wait for the next cycle{ifruns}."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// §3.2.2 AzureActiveDirectoryForbidden: external collaboration
		// settings block invitations.
		ID: "XT06", Family: FamilyCrossTenant, Category: CrossTenantPolicy, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"AzureActiveDirectoryForbidden"},
		Headline: "The other tenant does not allow guest invitations, so {app} could not add {user}.",
		EndUser: "Your account is copied into your organization's other tenant. " +
			"That tenant is set to turn away new outside accounts right now, so yours could not be added. " +
			"An admin of the other tenant has to change a setting.",
		HelpDesk: "The {action} of {user} failed at {time} with {code}: the target tenant's external collaboration settings block invitations " +
			"(for example \"Guest invitations not allowed for your company\"). {httpnote}" +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that the other tenant turned your account away. An admin has to change a setting."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In the target tenant, open External collaboration settings → Guest invite settings, and allow invitations from the synchronization (also check that the source domains are not blocked)."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// §3.2.2 InvitationCreationFailureInvalidPropertyValue: bad primary
		// SMTP address, a userType that is neither Guest nor Member, or a
		// mail equal to a group's.
		ID: "XT07", Family: FamilyCrossTenant, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"InvitationCreationFailureInvalidPropertyValue"},
		Headline: "{app} could not invite {user} into the other tenant, because one of the account's values is not valid there.",
		EndUser: "Your account is copied into your organization's other tenant. " +
			"One of your details, such as your email address, is not valid there. " +
			"So your account could not be added. The help desk has to check it.",
		HelpDesk: "The {action} of {user} failed at {time} with {code}: a property of the invitation is invalid. " +
			"Either {user}'s primary SMTP address is not valid, or the userType mapping sends something other than Guest or Member, " +
			"or the mail value equals the mail of a group in the target tenant. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check your email address for the other tenant."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Check that {user}'s mail in the source tenant is a valid SMTP address."},
			{PartyAppAdmin, "Check that the userType mapping of {app} sends Member or Guest, and look in the target tenant for a group with the same mail address."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// §3.2.2 InvitationCreationFailureAmbiguousUser: a proxy address
		// collides with an internal user of the target tenant.
		ID: "XT08", Family: FamilyCrossTenant, Category: MatchingConflict, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"InvitationCreationFailureAmbiguousUser"},
		Headline: "{app} could not add {user} to the other tenant, because an account there already uses one of the same addresses.",
		EndUser: "Your account is copied into your organization's other tenant. " +
			"An account in that tenant already uses one of your email addresses, so yours could not be added. " +
			"An admin has to sort out which account should keep it.",
		HelpDesk: "The {action} of {user} failed at {time} with {code}: a proxy address of {user} collides with an internal (member) user in the target tenant, " +
			"so the service cannot tell which account is meant. Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that your account could not be added to the other tenant."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In the target tenant, find the internal user with the same proxy address: delete it if it is stale, or remove {user} from the scope of {app}."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// §3.2.2 AzureActiveDirectoryCannotUpdateObjectsMasteredOnPremises:
		// the target user is synced from the target's on-premises AD.
		ID: "XT09", Family: FamilyCrossTenant, Category: TargetRejected, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"AzureActiveDirectoryCannotUpdateObjectsMasteredOnPremises"},
		Headline: "{user}'s account in the other tenant is managed from that tenant's on-premises directory, so {app} cannot update it.",
		EndUser: "Your account is copied into your organization's other tenant. " +
			"There, your account is run from that tenant's own local servers, so it cannot be changed from here. " +
			"An admin of the other tenant has to change it there.",
		HelpDesk: "The {action} of {user} failed at {time} with {code}: the target user is synchronized from the target tenant's on-premises Active Directory " +
			"(for example a synced user converted to external), and cross-tenant synchronization cannot update objects mastered on-premises. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "If something is wrong with your account in the other tenant, ask the help desk to have it fixed there."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Make the change in the target tenant's on-premises Active Directory, or remove {user} from the scope of {app}."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// §3.2.2 (older page) AzureActiveDirectoryInsufficientRights: the
		// B2B user holds an admin role in the target tenant. Beats E01's
		// InsufficientRights by the longer suffix.
		ID: "XT10", Family: FamilyCrossTenant, Category: TargetPermission, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"AzureActiveDirectoryInsufficientRights"},
		Headline: "{user}'s account in the other tenant holds an admin role there, so {app} may not {opverb} it.",
		EndUser: "Your account is copied into your organization's other tenant. " +
			"There, your account has an admin role. Accounts with such a role cannot be changed or removed from here. " +
			"An admin of the other tenant has to take the role away first.",
		HelpDesk: "The {action} of {user} failed at {time} with {code}: the B2B user in the target tenant holds an administrator role other than " +
			"User Administrator, Helpdesk Administrator or User Account Administrator, so cross-tenant synchronization may not {opverb} it. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check your roles in the other tenant."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In the target tenant, remove the administrator roles from {user}'s account (or make the change by hand); the next cycle then retries{ifruns}."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
}

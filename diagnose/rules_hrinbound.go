package diagnose

import "strings"

// FamilyHRInbound groups the rules for HR- and API-driven inbound
// provisioning (Workday, SAP SuccessFactors, the inbound provisioning
// API) into on-premises Active Directory through the provisioning agent,
// into Microsoft Entra ID, and HR writeback.
const FamilyHRInbound Family = "hr-inbound"

// The Microsoft Learn articles the HR rules rest on.
var (
	articleADRights       = Article{"Troubleshoot insufficient access rights error", "https://learn.microsoft.com/entra/identity/app-provisioning/insufficient-access-rights-error-troubleshooting"}
	articleWorkdayInbound = Article{"Tutorial: Configure Workday for automatic user provisioning (Resolving commonly encountered errors)", "https://learn.microsoft.com/entra/identity/saas-apps/workday-inbound-tutorial"}
	articleHRCreate       = Article{"Troubleshoot HR user creation issues", "https://learn.microsoft.com/entra/identity/app-provisioning/hr-user-creation-issues"}
	articleHRUpdate       = Article{"Troubleshoot HR user update issues", "https://learn.microsoft.com/entra/identity/app-provisioning/hr-user-update-issues"}
	articleInboundAPI     = Article{"Troubleshoot inbound provisioning API issues", "https://learn.microsoft.com/entra/identity/app-provisioning/inbound-provisioning-api-issues"}
	articleHRWriteback    = Article{"Troubleshoot HR writeback issues", "https://learn.microsoft.com/entra/identity/app-provisioning/hr-writeback-issues"}
	articleSelectUnique   = Article{"Functions for customizing application data: SelectUniqueValue", "https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data#selectuniquevalue"}
)

// adSays returns a predicate: the newest entry failed writing to
// on-premises Active Directory with the given problem, and also (when set)
// holds.
func adSays(p Problem, also func(c *Case, f Finding) bool) func(c *Case) bool {
	return func(c *Case) bool {
		f, ok := caseFinding(c)
		if !ok || !f.AD || f.Problem != p {
			return false
		}
		return also == nil || also(c, f)
	}
}

// upnClash reports whether an Active Directory uniqueness failure is about
// the userPrincipalName (ERROR_DS_UPN_VALUE_NOT_UNIQUE_IN_FOREST).
func upnClash(c *Case, f Finding) bool {
	return hasAny(c.Code()+" "+c.Latest.Error.Reason+" "+c.Latest.Error.AdditionalDetails, "UserPrincipalName", "UPN value")
}

// emptySyntax reports whether an LDAP failure is AD's invalid syntax, the
// error the agent reports for an empty value.
func emptySyntax(c *Case, f Finding) bool {
	return hasAny(c.Code()+" "+c.Latest.Error.Reason+" "+c.Latest.Error.AdditionalDetails, "InvalidAttributeSyntax", "syntax is invalid")
}

// emptyValues lists the attributes the entry sent empty (modified
// properties whose new value is blank), for the invalid-syntax rule.
func emptyValues(c *Case) string {
	var names []string
	for _, m := range c.Latest.Modified {
		if strings.TrimSpace(m.NewValue) == "" {
			names = append(names, m.Name)
		}
	}
	if len(names) == 0 {
		return "The entry does not show which attribute was sent empty; the Export step's details in the provisioning log do."
	}
	return "This entry sent an empty value for " + andList(names, "") + "."
}

// writebackJob reports whether the app is an HR writeback app (Workday
// Writeback, SAP SuccessFactors Writeback): the target is the HR system.
func writebackJob(c *Case) bool {
	id := appName(c)
	if c.Job != nil {
		id += " " + c.Job.TemplateID + " " + c.Job.ID
	}
	if c.Latest != nil {
		id += " " + c.Latest.JobID
	}
	return hasAny(id, "writeback")
}

// entraTarget reports whether the entry writes to Microsoft Entra ID
// itself (HR- or API-driven inbound to the cloud): the Entra connector's
// codes, or a target system named after it, and not cross-tenant
// synchronization.
func entraTarget(c *Case) bool {
	if c.CrossTenant() {
		return false
	}
	if strings.HasPrefix(strings.ToLower(c.Code()), "azureactivedirectory") {
		return true
	}
	n := strings.ToLower(c.Latest.TargetSystem.DisplayName)
	return n == "azure active directory" || n == "microsoft entra id"
}

// hrInboundRules explain failures of HR- and API-driven inbound
// provisioning: writing to on-premises Active Directory through the
// provisioning agent (codes named HybridSynchronizationActiveDirectory…
// after the LDAP result, and LDAP texts such as
// "InsufficientAccessRights-SecErr"), to Entra ID, and back to the HR app.
var hrInboundRules = []Rule{
	{
		// H01: AD refused the write: the agent's gMSA lacks rights on the
		// object (OU without inherited permissions, or a protected account
		// under AdminSDHolder) [ad-rights].
		ID: "H01", Family: FamilyHRInbound, Category: TargetPermission, Severity: SeverityError, Tier: TierEntry,
		When:     adSays(ProblemPermission, nil),
		Headline: "{app} could not {opverb} {user}'s account: Active Directory does not let the provisioning agent change it.",
		EndUser: "Your work account in the company's own directory could not be set up or changed. " +
			"The tool that writes it is not allowed to change your account there. An admin of the directory has to fix the rights.",
		HelpDesk: "Active Directory refused the {action} for {user} at {time}{withcode}: the provisioning agent's account (the gMSA provAgentgMSA$) has insufficient access rights on this object. " +
			"AD said: {appquote}. Usually the user's OU does not inherit domain-level permissions, or the user is in a protected group, so AdminSDHolder governs the object (SDProp resets its permissions every hour). " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that your work account could not be updated. A directory admin has to fix the rights."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In Active Directory Users and Computers, open the OU of {user} → Properties → Security → Advanced: if Enable Inheritance is shown, enable it on every level from the domain down, so the gMSA's domain-level rights reach the object."},
			{PartyAppAdmin, "If inheritance is on, check whether {user} is in a protected group (Get-ADObject -Filter {AdminCount -gt 0}): remove them from it, or, with your security team's approval, grant provAgentgMSA$ the rights on the AdminSDHolder container (DSACLS). Adding the gMSA to Domain Admins does not help."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		Article:  articleADRights,
	},
	{
		// H02: the UPN is already used in the forest
		// (HybridSynchronizationActiveDirectoryUserPrincipalNameNotUnique,
		// CONSTRAINT_ATT_TYPE - userPrincipalName) [workday-inbound].
		ID: "H02", Family: FamilyHRInbound, Category: MatchingConflict, Severity: SeverityError, Tier: TierEntry,
		When:     adSays(ProblemConflict, upnClash),
		Headline: "{app} could not {opverb} {user}'s account: the sign-in name built for it is already used in Active Directory.",
		EndUser: "Your work account in the company's own directory could not be made. " +
			"The sign-in name made for you is already used by another account. An admin has to sort out which account is yours.",
		HelpDesk: "Active Directory refused the {action} for {user} at {time}{withcode}: the userPrincipalName the mapping built is not unique in the forest. " +
			"AD said: {appquote}. Either {user} already has an AD account and matching did not find it, or the UPN expression produced a value another account holds. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check your work account. Your sign-in name clashes with another account."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Find the AD account that holds the UPN. If it is {user}'s own, fix the matching ID so the accounts link (for example employeeID 001052 in the HR system but 1052 in AD: make them equal)."},
			{PartyAppAdmin, "If it belongs to someone else, make the UPN expression unique with SelectUniqueValue, then use Provision on demand for {user}."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		Article:  articleWorkdayInbound,
	},
	{
		// H03: an object with the same name already exists in AD (the CN
		// in the container, or the sAMAccountName: LDAP entryAlreadyExists).
		ID: "H03", Family: FamilyHRInbound, Category: MatchingConflict, Severity: SeverityError, Tier: TierEntry,
		When:     adSays(ProblemConflict, nil),
		Headline: "{app} could not {opverb} {user}'s account: Active Directory already has an object with the name built for it.",
		EndUser: "Your work account in the company's own directory could not be made. " +
			"The name made for it is already used there. An admin has to sort out which account is yours.",
		HelpDesk: "Active Directory refused the {action} for {user} at {time}{withcode}: an object with the same name (the CN in the target container, or the sAMAccountName) already exists. " +
			"AD said: {appquote}. Either {user} already has an AD account that matching did not find, or the name expression is not unique. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check your work account. Its name clashes with another one."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Find the existing AD object with that name. If it is {user}'s own account, fix the matching ID (employeeID in AD must equal the HR value) so the accounts link."},
			{PartyAppAdmin, "Otherwise build the CN and sAMAccountName with SelectUniqueValue (for example appending a number), then use Provision on demand for {user}."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		Article:  articleSelectUnique,
	},
	{
		// H05: AD refused a value's syntax: the AD connector cannot set
		// empty strings, so an empty HR value fails (InvalidAttributeSyntax)
		// [hr-create], [hr-update].
		ID: "H05", Family: FamilyHRInbound, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		When:     adSays(ProblemBadValue, emptySyntax),
		Headline: "{app} could not {opverb} {user}'s account: Active Directory refused a value, most likely an empty one.",
		EndUser: "One of your details in the HR system is empty, and the company's own directory cannot take an empty value. " +
			"So your work account could not be set up or changed. An admin has to change how that detail is sent.",
		HelpDesk: "Active Directory refused the {action} for {user} at {time}{withcode}: invalid attribute syntax. AD said: {appquote}. " +
			"The provisioning service sends empty strings from the HR app as they are, and the AD connector cannot set empty values. {empties} " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check your details in the HR system; one of them is empty."}},
		Do: []Recommendation{
			{PartyAppAdmin, "For each attribute that can be empty in the HR app, change its mapping to an expression: IgnoreFlowIfNullOrEmpty([BusinessTitle]) drops it, Switch([BusinessTitle],[BusinessTitle],\"\",\"N/A\") sends a placeholder."},
			{PartyHelpDesk, "Or fill in the empty value in the HR app; the next cycle retries{ifruns}."},
		},
		Vars: signalVars(func(c *Case) map[string]string {
			return map[string]string{"empties": emptyValues(c)}
		}),
		Evidence: signalEvidence,
		Article:  articleHRCreate,
	},
	{
		// H04: AD's schema constraint refused a value (too long, out of
		// range: company and CN allow 64 characters) [workday-inbound].
		ID: "H04", Family: FamilyHRInbound, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		When:     adSays(ProblemBadValue, nil),
		Headline: "{app} could not {opverb} {user}'s account: Active Directory refused the value sent for one of the details.",
		EndUser: "One of your details from the HR system does not fit the company's own directory, for example because it is too long. " +
			"So your work account could not be set up or changed. An admin has to change how that detail is sent.",
		HelpDesk: "Active Directory refused the {action} for {user} at {time}{withcode}: a value breaks the AD schema's constraint{attrin}. " +
			"AD said: {appquote}. Attributes such as company and CN allow at most 64 characters; a longer HR value fails. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check your details; one of them does not fit the directory."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Check the Export step for the value sent to {attr}; shorten it in the mapping with Mid (for example Mid([Company], 1, 64)) or map it to an AD attribute without that limit."},
			{PartyHelpDesk, "Or correct the value in the HR app; the next cycle retries{ifruns}."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		Article:  articleWorkdayInbound,
	},
	{
		// H06: the container the account goes to is wrong: "No superior
		// reference … unable to issue referrals", or no such object when
		// creating (the Active Directory Container OU or the
		// parentDistinguishedName expression) [workday-inbound].
		ID: "H06", Family: FamilyHRInbound, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		When: func(c *Case) bool {
			f, ok := caseFinding(c)
			return ok && f.Problem == ProblemContainer
		},
		Headline: "{app} tried to put {user}'s account in a place that does not exist in Active Directory.",
		EndUser: "Your work account could not be made, because the place where it should go in the company's own directory is set up wrong. " +
			"This is a setup problem, not a problem with your account. An admin has to fix it.",
		HelpDesk: "Active Directory refused the {action} for {user} at {time}{withcode}: the target container is not in the domain the agent writes to. " +
			"AD said: {appquote}. The Active Directory Container OU setting has a typo, or the parentDistinguishedName expression evaluates to an OU that does not exist. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that your work account could not be made. An admin has to fix where accounts are created."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Check the Active Directory Container setting on the Provisioning page for typos; if parentDistinguishedName is mapped, make sure its expression always gives an OU that exists in the domain (the Export step shows the value it produced)."},
			{PartyHelpDesk, "Then use Provision on demand for {user}."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		Article:  articleWorkdayInbound,
	},
	{
		// H07: the AD account the job is linked to is gone (no such object
		// on an update).
		ID: "H07", Family: FamilyHRInbound, Category: InvalidAnchor, Severity: SeverityError, Tier: TierEntry,
		When:     adSays(ProblemNotFound, nil),
		Headline: "{app} could not {opverb} {user}'s account: the Active Directory account it was linked to is gone.",
		EndUser: "Your work account in the company's own directory seems to be gone or moved, so changes from the HR system cannot reach it. " +
			"An admin has to bring it back or link it again.",
		HelpDesk: "Active Directory refused the {action} for {user} at {time}{withcode}: there is no such object. AD said: {appquote}. " +
			"The AD account the job linked was deleted, or moved to a container the agent does not manage. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk your work account seems to be gone."}},
		Do: []Recommendation{
			{PartyAppAdmin, "If the AD account was deleted by mistake, restore it from the AD Recycle Bin; if it was moved, move it back into a container the agent manages."},
			{PartyAppAdmin, "Otherwise clear the stale link: restart provisioning or provision {user} on demand, so the HR record is matched again (by the matching ID) or a new account is created."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		Article:  articleWorkdayInbound,
	},
	{
		// H08: an attribute is not in the AD schema the agent cached
		// (HybridSynchronizationActiveDirectoryCannotFindAttribute)
		// [hr-update].
		ID: "H08", Family: FamilyHRInbound, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		When:     adSays(ProblemUnknownAttribute, nil),
		Headline: "{app} writes an attribute that Active Directory's schema does not have, so {user}'s account was not {opdone}.",
		EndUser: "The link from the HR system is set up to send a detail that the company's own directory does not know. " +
			"So your work account could not be set up or changed. An admin has to fix it.",
		HelpDesk: "Active Directory refused the {action} for {user} at {time}{withcode}: an attribute the mapping writes is not in the AD schema as the agent knows it. " +
			"AD said: {appquote}. The provisioning agent caches the schema when it starts, so an attribute added to AD later is unknown until the agent restarts. " +
			"Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk. An admin has to fix how details are sent to the directory."}},
		Do: []Recommendation{
			{PartyAppAdmin, "If the attribute was recently added to AD (a schema extension), restart the Microsoft Entra Connect Provisioning Agent service on every agent server."},
			{PartyAppAdmin, "Otherwise correct or remove the mapping to the attribute on the Provisioning page → Mappings."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		Article:  articleHRUpdate,
	},
	{
		// H09: the agent could not be reached or failed to process the
		// request (EndpointUnavailable): retried, but check the agent.
		ID: "H09", Family: FamilyHRInbound, Category: TargetTransient, Severity: SeverityWarning, Tier: TierEntry,
		When:     adSays(ProblemTransient, nil),
		Headline: "{app} could not reach Active Directory for {user}'s account just then; it is retried automatically.",
		EndUser: "The tool that writes your work account to the company's own directory had a short problem. " +
			"This is usually short-lived. {next}",
		HelpDesk: "The {action} for {user} failed at {time}{withcode}: the provisioning service could not read or write Active Directory through the on-premises agent. " +
			"It said: {appquote}. {next} Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyNobody, "Nothing for you to do. If it still does not work tomorrow, tell the help desk."}},
		Do: []Recommendation{
			{PartyNobody, "Wait for the automatic retry: the provisioning service tries again on its own (see when above)."},
			{PartyAppAdmin, "If it persists, check that the Microsoft Entra Connect Provisioning Agent service runs and reaches a domain controller, and read its Event Viewer log (Application, source Microsoft Entra Connect Provisioning Agent, event ID 2)."},
		},
		Estimate: transientEstimate,
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		Article:  articleWorkdayInbound,
	},
	{
		// H10: Entra ID refused the UPN built by HR- or API-driven inbound
		// provisioning (AzureActiveDirectoryInvalidUserPrincipalName)
		// [inbound-api].
		ID: "H10", Family: FamilyHRInbound, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		When: func(c *Case) bool {
			f, ok := caseFinding(c)
			return ok && !f.AD && entraTarget(c) && f.Problem == ProblemBadValue && hasAny(c.Code(), "UserPrincipalName")
		},
		Headline: "{app} could not {opverb} {user}'s account: Microsoft Entra ID refused the sign-in name built for it.",
		EndUser: "Your work account could not be made, because the sign-in name made for you was not accepted. " +
			"This is a setup problem, not a problem with your HR record. An admin has to fix it.",
		HelpDesk: "Entra ID refused the {action} for {user} at {time}{withcode}: the userPrincipalName the mapping built is not a valid UPN (an invalid character, a clash, or a domain the tenant does not have). " +
			"It said: {appquote}. Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that your work account could not be made."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Edit the UserPrincipalName mapping so it always gives a valid, unique UPN in a verified domain, for example Join(\"\", Replace([userName], , \"(?<Suffix>@(.)*)\", \"Suffix\", \"\", , ), RandomString(3, 3, 0, 0, 0, ), \"@\", DefaultDomain())."},
			{PartyHelpDesk, "Then use Provision on demand for {user}."},
		},
		Vars:     signalVars(nil),
		Evidence: signalEvidence,
		Article:  articleInboundAPI,
	},
	{
		// H11: Entra ID refused a domain the tenant does not have ("domain
		// does not exist") [inbound-api].
		ID: "H11", Family: FamilyHRInbound, Category: InvalidDomain, Severity: SeverityError, Tier: TierEntry,
		When: func(c *Case) bool {
			f, ok := caseFinding(c)
			return ok && !f.AD && entraTarget(c) && f.Problem == ProblemDomain
		},
		Headline: "{app} could not {opverb} {user}'s account: the sign-in name built for it uses a domain the tenant does not have.",
		EndUser: "Your work account could not be made, because the last part of the sign-in name made for you, after the @ sign, is not one your company uses. " +
			"An admin has to fix how the name is made.",
		HelpDesk: "Entra ID refused the {action} for {user} at {time}{withcode}: the domain of the UPN the mapping built is not a verified domain of the tenant ({domain}). " +
			"It said: {appquote}. Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that your work account could not be made."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Build the UPN with a verified domain: in the UserPrincipalName mapping, replace the suffix with DefaultDomain() (or add and verify the domain in Entra)."},
			{PartyHelpDesk, "Then use Provision on demand for {user}."},
		},
		Vars: signalVars(func(c *Case) map[string]string {
			return map[string]string{"domain": domainIn(c)}
		}),
		Evidence: signalEvidence,
		Article:  articleInboundAPI,
	},
	{
		// H12: HR writeback failed on a value the HR app cannot take; an
		// empty value is the documented cause (null values flow as they
		// are) [hr-writeback].
		ID: "H12", Family: FamilyHRInbound, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		When: func(c *Case) bool {
			f, ok := caseFinding(c)
			if !ok || !writebackJob(c) {
				return false
			}
			switch f.Problem {
			case ProblemBadValue, ProblemRequired, ProblemRefused:
				return true
			}
			return false
		},
		Headline: "{app} could not write {user}'s contact details back to the HR system.",
		EndUser: "Your email or phone number could not be copied back to the HR system. " +
			"Your accounts still work. An admin has to change how these details are sent.",
		HelpDesk: "The writeback of {user} to the HR app failed at {time}{withcode}: the HR app refused a value. It said: {appquote}. {empties} " +
			"The provisioning service sends empty values as they are, and Workday or SuccessFactors cannot process an empty email or phone number; " +
			"Workday also refuses phone and email Type_IDs other than the ones the service sends (WORK, Mobile, Landline). Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Nothing is wrong with your access. If your HR profile shows an old email or phone number, tell the help desk."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Change the writeback mappings for values that can be empty: IgnoreFlowIfNullOrEmpty([telephoneNumber]) drops them, IIF(IsNullOrEmpty([telephoneNumber]),\"000-000-0000\",[telephoneNumber]) sends a placeholder."},
			{PartyAppAdmin, "In Workday, check with the Maintain Reference IDs task that the Communication_Usage_Type_ID and Phone_Device_Type_ID values match the ones the service sends."},
		},
		Vars: signalVars(func(c *Case) map[string]string {
			return map[string]string{"empties": emptyValues(c)}
		}),
		Evidence: signalEvidence,
		Article:  articleHRWriteback,
	},
}

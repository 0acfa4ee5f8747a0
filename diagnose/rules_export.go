package diagnose

import (
	"strings"
)

// exportRules explain failures writing to the app (facts §3.1 E, §3.2.1),
// and the one configuration problem the logs show (§3.1 H, C02).
//
// Order matters only between rules that match the same code: the E09 PATCH
// variant and the E05 HTTP-status variants come before their generic rule.
var exportRules = []Rule{
	{
		// E09: the app rejects the provisioning service's non-compliant
		// PATCH shapes ("active" sent as the string "False", capitalised
		// "op" values, member removal with a value list) [scim-compat].
		ID: "E09", Family: FamilyExport, Category: TargetRejected, Severity: SeverityError, Tier: TierEntry,
		Codes: []string{scimIncompatible, scimIncompatibleFiltering, "UnprocessableEntity", "WebExceptionProtocolError"},
		When: func(c *Case) bool {
			return patchCompatProblem(c) && len(requiredAttrFindings(c)) == 0
		},
		Headline: "{app} rejects the way provisioning asks it to {opverb} accounts, so {user}'s account was not {opdone}.",
		EndUser: "{app} did not accept a request to change your account. " +
			"The request was in a form that {app} does not expect. " +
			"This is a known problem between {app} and the company directory, not a problem with your account. " +
			"An admin or the maker of {app} has to fix it.",
		HelpDesk: "{app} rejected the {action} for {user} at {time} with {code}. {httpnote}" +
			"The app's answer points at the shape of the SCIM PATCH request: {appsays}. " +
			"By default the provisioning service sends PATCH requests that are not fully SCIM 2.0 compliant " +
			"(\"active\" as the string \"False\", capitalised op values such as \"Replace\", group member removal with a value list). " +
			"{flagnote} Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that {app} turned down a change to your account. They need the app's admin to fix it."}},
		Do: []Recommendation{
			{PartyAppAdmin, "{flagadvice}"},
			{PartyVendor, "Ask the {app} vendor to accept the provisioning service's PATCH requests: op values in any case, and booleans sent as strings (RFC 7644 §3.5.2). Give them change {change} and the time {time}."},
		},
		Vars:     withFailureVars(patchFlagVars),
		Evidence: failureEvidence,
		Article:  articleSCIMCompat,
	},
	{
		// E08b: community-seen variant: the app answered with its own error
		// (example body: 409 "User must be Active.") [§3.2.3, community].
		ID: "E08b", Family: FamilyExport, Category: TargetRejected, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{scimIncompatibleFiltering},
		When:     func(c *Case) bool { return len(requiredAttrFindings(c)) == 0 && !appOverrules(c, TargetRejected) },
		Headline: "{app} turned down the request to {opverb} {user}'s account with an error of its own.",
		EndUser: "{app} turned down a change to your account and sent back its own error. " +
			"This is a fault between {app} and the company directory, not something you did. " +
			"The help desk has to look at it with the people who run {app}.",
		HelpDesk: "{app} answered the {action} for {user} at {time} with an error ({code}). {httpnote}" +
			"The app said: {appsays}. The message is the app's own, so what it means depends on {app}. " +
			"{scopehint} Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that {app} turned down a change to your account."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Look up the app's message in {app}'s provisioning tutorial or admin documentation, and fix the account or setting it names."},
			{PartyVendor, "If the message is unclear, ask the {app} vendor what it means; give them change {change} and the time {time}."},
		},
		Vars:     withFailureVars(scopeHintVars),
		Evidence: failureEvidence,
		Article:  articleSCIMCompat,
	},
	{
		// E08: the provisioning service could not parse the app's answer.
		ID: "E08", Family: FamilyExport, Category: TargetRejected, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{scimIncompatible},
		When:     func(c *Case) bool { return len(requiredAttrFindings(c)) == 0 && !appSpeaks(c) },
		Headline: "{app} sent back an answer provisioning could not read, so {user}'s account was not {opdone}.",
		EndUser: "{app} sent back an answer that the company directory could not read. " +
			"So your {app} account could not be set up or changed. " +
			"This is a fault between the two systems, not in your account. The maker of {app} has to fix it.",
		HelpDesk: "The provisioning service could not parse {app}'s response to the {action} for {user} at {time} ({code}). {httpnote}" +
			"The app's SCIM endpoint does not answer the way the Microsoft Entra SCIM client expects. The app said: {appsays}. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that {app} could not set up your account. The maker of {app} has to fix it."}},
		Do: []Recommendation{
			{PartyVendor, "Ask the {app} vendor to make their SCIM endpoint compatible with the Microsoft Entra SCIM client (status codes, ListResponse for queries, application/scim+json). Give them change {change} and the time {time}."},
			{PartyHelpDesk, "Use Provision on demand for {user} to capture the exact request and the app's answer for the vendor."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleSCIM,
	},
	{
		// E07: the app refused or does not implement the request.
		ID: "E07", Family: FamilyExport, Category: TargetRejected, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"UnprocessableEntity", "NotImplemented"},
		When:     func(c *Case) bool { return len(requiredAttrFindings(c)) == 0 && !appOverrules(c, TargetRejected) },
		Headline: "{app} refused the request to {opverb} {user}'s account.",
		EndUser: "{app} refused a request to set up or change your account. " +
			"This usually means a setting in {app}, or in the link to it, is wrong. " +
			"It is not something you can fix. The help desk has to look at it.",
		HelpDesk: "{app} answered the {action} for {user} at {time} with {code}: {codemeaning}. {httpnote}" +
			"This points at the app's configuration or a problem on the app's side. The app said: {appsays}. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to look at your {app} account. Tell them it failed at {time}."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Check {app}'s settings against its provisioning tutorial: required features turned on, the API enabled for the provisioning account, the attributes it accepts."},
			{PartyVendor, "If the settings are right, ask the {app} vendor what the error means; give them change {change} and the time {time}."},
		},
		Vars: withFailureVars(func(c *Case) map[string]string {
			m := "the app could not process the request (HTTP 422 Unprocessable Entity)"
			if suffixMatch(c.Code(), []string{"NotImplemented"}) > 0 {
				m = "the app does not implement this kind of request (HTTP 501 Not Implemented)"
			}
			return map[string]string{"codemeaning": m}
		}),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// E05b: a protocol error that quotes 401 or 403 is a refusal, not a
		// blip: retrying will not help.
		ID: "E05b", Family: FamilyExport, Category: TargetPermission, Severity: SeverityError, Tier: TierEntry,
		Codes: []string{"WebExceptionProtocolError"},
		When: func(c *Case) bool {
			n := targetHTTP(c)
			return (n == 401 || n == 403) && !appOverrules(c, TargetPermission)
		},
		Headline: "{app} refused access when provisioning tried to {opverb} {user}'s account.",
		EndUser: "The company directory tried to set up or change your {app} account, but {app} refused it access. " +
			"Trying again will not help. An admin of {app} has to fix the access first.",
		HelpDesk: "The {action} for {user} failed at {time} with {code}, and {app} answered HTTP {http} ({httpname}). " +
			"This is not a passing network error: the credentials or the rights of the account provisioning uses in {app} are refused, and every retry fails the same way. " +
			"The app said: {appsays}. Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that {app} refused access. The app's admin has to fix it."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Check the admin credentials on the {app} Provisioning page (Test Connection), and the rights of the account or token provisioning uses in {app}, per the app's provisioning tutorial."},
			{PartyHelpDesk, "After the fix, use Provision on demand for {user} or wait for the next cycle{ifruns}."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleTroubleshoot,
	},
	{
		// E05c: a protocol error that quotes another 4xx status: the app
		// rejects the request itself, so the retry fails the same way.
		ID: "E05c", Family: FamilyExport, Category: TargetRejected, Severity: SeverityError, Tier: TierEntry,
		Codes: []string{"WebExceptionProtocolError"},
		When: func(c *Case) bool {
			n := targetHTTP(c)
			return n >= 400 && n < 500 && n != 408 && n != 429 && len(requiredAttrFindings(c)) == 0 && !appOverrules(c, TargetRejected)
		},
		Headline: "{app} turned down the request to {opverb} {user}'s account.",
		EndUser: "{app} turned down a change to your account. " +
			"Trying again will not help until someone fixes the cause. " +
			"The help desk has to look at what {app} said.",
		HelpDesk: "The {action} for {user} failed at {time} with {code}, and {app} answered HTTP {http} ({httpname}). " +
			"A 4xx answer means the app rejected the request itself, so automatic retries fail the same way until the cause is fixed. " +
			"The app said: {appsays}. Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to look at your {app} account. Tell them it failed at {time}."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Read the app's answer above; fix the value or setting it names in Entra or in {app}."},
			{PartyVendor, "If the answer is unclear, ask the {app} vendor; give them change {change} and the time {time}."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	transientRule("E02", "TooManyRequests",
		"{app} is getting too many requests, so {user}'s account waits for an automatic retry.",
		"{app} is busy and asked the company directory to slow down. "+
			"So the change to your account has to wait a little. {next}",
		"{app} throttled the {action} for {user} at {time} ({code}: too many requests). {httpnote}"+
			"Nothing needs doing: the provisioning service retries the object automatically, and Microsoft is notified of throttling. {next} "+
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		Recommendation{PartyVendor, "If {user} still fails with throttling after a day, ask the {app} vendor about the API rate limits for your tenant."}),
	transientRule("E03", "InternalServerError",
		"{app} had an internal error while provisioning worked on {user}'s account; it is retried automatically.",
		"{app} had a problem on its side when your account was being set up or changed. "+
			"This is usually short-lived. {next}",
		"{app} answered the {action} for {user} at {time} with {code}: an unexpected server error in the app. {httpnote}"+
			"Nothing needs doing yet: the service retries failed objects automatically, usually within 40 minutes. {next} "+
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		Recommendation{PartyVendor, "If it keeps failing for a day, ask the {app} vendor about their server errors; give them change {change} and the time {time}."}),
	transientRule("E04", "Timeout",
		"{app} answered too slowly while provisioning worked on {user}'s account; it is retried automatically.",
		"{app} took too long to answer when your account was being set up or changed. "+
			"This is usually short-lived. {next}",
		"The {action} for {user} timed out at {time} ({code}): {app} did not answer in time. {httpnote}"+
			"Nothing needs doing yet: the service retries failed objects automatically, usually within 40 minutes. {next} "+
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		Recommendation{PartyVendor, "If it keeps timing out for a day, ask the {app} vendor whether their provisioning API is slow or overloaded."}),
	transientRule("E05", "WebExceptionProtocolError",
		"The connection to {app} failed while provisioning worked on {user}'s account; it is retried automatically.",
		"The connection to {app} broke while your account was being set up or changed. "+
			"This is usually short-lived. {next}",
		"The {action} for {user} failed at {time} with {code}: an HTTP protocol error while talking to {app}. {httpnote}"+
			"Nothing needs doing yet: the service retries failed objects automatically, usually within 40 minutes. {next} "+
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		Recommendation{PartyAppAdmin, "If it keeps failing for a day, check that {app}'s provisioning endpoint is reachable and its certificate is valid, then ask the vendor."}),
	transientRule("E06", "InternalError",
		"The Microsoft Entra provisioning service had an internal error on {user}'s {app} account; it is retried automatically.",
		"The company directory had a short problem of its own while it worked on your {app} account. "+
			"This is not a fault in your account. {next}",
		"The {action} for {user} in {app} failed at {time} with {code}: an error inside the Microsoft Entra provisioning service, not in the app. {httpnote}"+
			"Nothing needs doing yet: the service retries failed objects automatically, usually within 40 minutes. {next} "+
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		Recommendation{PartyHelpDesk, "If it keeps failing for a day, open a Microsoft support case and quote change {change}, cycle {cycle} and the time {time}."}),
	{
		// E01: signed in, but not allowed to do the operation.
		ID: "E01", Family: FamilyExport, Category: TargetPermission, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"InsufficientRights", "MethodNotAllowed", "NotPermitted", "Unauthorized"},
		When:     func(c *Case) bool { return !appOverrules(c, TargetPermission) && !signInRefused(c) },
		Headline: "{app} does not let provisioning {opverb} accounts, so {user}'s account was not {opdone}.",
		EndUser: "The company directory signed in to {app}, but {app} did not let it set up or change your account. " +
			"The account it uses in {app} is missing some rights. An admin of {app} has to fix that.",
		HelpDesk: "{app} refused the {action} for {user} at {time} with {code}: the provisioning service signed in, " +
			"but the admin account or token it uses is not allowed to {opverb} accounts{codemeaning} {httpnote}" +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that {app} could not set up your account. The app's admin has to give the link more rights."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Give the account or token that provisioning uses in {app} the rights its provisioning tutorial lists (it must be able to {opverb} users)."},
			{PartyHelpDesk, "Then use Provision on demand for {user}, or wait for the next cycle{ifruns}."},
		},
		Vars: withFailureVars(func(c *Case) map[string]string {
			m := "."
			if suffixMatch(c.Code(), []string{"MethodNotAllowed"}) > 0 {
				m = " (MethodNotAllowed: the app does not allow this HTTP method for that account, or at all)."
			}
			return map[string]string{"codemeaning": m}
		}),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// E01b: the connection's credentials were refused for this entry
		// (the job-level J08 decides when the whole job is quarantined).
		ID: "E01b", Family: FamilyExport, Category: TargetPermission, Severity: SeverityError, Tier: TierEntry,
		Codes:    credentialCodes,
		Headline: "{app} did not accept provisioning's sign-in, so {user}'s account was not {opdone}.",
		EndUser: "The company directory could not sign in to {app} to set up or change your account. " +
			"The password or key it uses is wrong or has run out. An admin of {app} has to renew it.",
		HelpDesk: "{app} rejected the provisioning service's credentials during the {action} for {user} at {time} ({code}). {httpnote}" +
			"The secret token, password or tenant URL saved under Admin Credentials is wrong, expired or revoked. " +
			"This affects every user, and if it keeps failing the job goes into quarantine. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk. The {app} admin has to renew the sign-in details that the link uses."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Get a new admin token or password from {app}, enter it under Admin Credentials on the {app} Provisioning page, select Test Connection and save."},
			{PartyHelpDesk, "Then use Provision on demand for {user}, or wait for the next cycle{ifruns}."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleTroubleshoot,
	},
	{
		// E10: a required value is missing, and the reason does not name an
		// attribute provbot can check (A01/A02 do when it does).
		ID: "E10", Family: FamilyExport, Category: MissingRequiredAttribute, Severity: SeverityError, Tier: TierEntry,
		Codes:    requiredCodes,
		When:     func(c *Case) bool { return len(requiredAttrFindings(c)) == 0 },
		Headline: "{app} needs a value that {user}'s account does not have, so the account was not {opdone}.",
		EndUser: "{app} needs some details about you that are missing. " +
			"So your {app} account could not be set up or changed. " +
			"The help desk can fill in the missing details in the company directory.",
		HelpDesk: "{app} refused the {action} for {user} at {time} with {code}: a value the app requires is empty or was not sent. {httpnote}" +
			"The provisioning service never sends empty values, so a source attribute without a value leaves the app's required field blank. " +
			"The service said: {reason}. Failed step: {step} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk which detail {app} needs, and have it added to your profile."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Find the required field in the reason above and fill in the Entra attribute mapped to it on {user}'s account; the next cycle retries{ifruns}."},
			{PartyAppAdmin, "If many users lack it, give the mapping a default (an expression such as IIF(IsPresent([attribute]), [attribute], \"value\"), or a default value if null, which applies only on create), and check that the mappings send every field {app} requires."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAttrMap,
	},
	{
		// E13: a value carries a domain the app does not accept.
		ID: "E13", Family: FamilyExport, Category: InvalidDomain, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"InvalidDomain"},
		Headline: "{app} does not accept the domain in {user}'s sign-in name or email, so the account was not {opdone}.",
		EndUser: "{app} does not accept the last part of your email address or sign-in name, after the @ sign. " +
			"So your {app} account could not be set up or changed. " +
			"An admin has to allow that part in {app}, or your address has to change.",
		HelpDesk: "{app} refused the {action} for {user} at {time} with {code}: a value carries a domain the app does not accept ({domain}). {httpnote}" +
			"Usually the UPN or email suffix is not a verified or allowed domain in {app}. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check that {app} accepts your email address."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Add and verify the domain ({domain}) in {app}'s allowed or verified domains."},
			{PartyHelpDesk, "Or give {user} a UPN or email address in a domain {app} accepts, or map an attribute that carries one."},
		},
		Vars: withFailureVars(func(c *Case) map[string]string {
			return map[string]string{"domain": domainIn(c)}
		}),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// E14: no licence left in the app.
		ID: "E14", Family: FamilyExport, Category: LicenseLimit, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"LicenseLimitExceeded"},
		Headline: "{app} has no free licence for {user}, so the account was not {opdone}.",
		EndUser: "{app} has no free licences left, so your account could not be made. " +
			"Someone who runs {app} has to buy more licences or free one up. " +
			"After that, your account is made on its own.",
		HelpDesk: "{app} refused the {action} for {user} at {time} with {code}: the app has no licence available for this user. {httpnote}" +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that {app} has no free licences, and ask whether you can get one."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Buy more {app} licences, or free some by removing accounts that no longer need one."},
			{PartyAppAdmin, "Check the app's assignments and any licence or role mapping: users who should not take a licence may be in scope."},
		},
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// E17: a reference attribute (group member, or another reference)
		// could not be resolved in the app [la], [known-issues]. A missing
		// manager is D09's, in the lifecycle family.
		ID: "E17", Family: FamilyExport, Category: ReferenceUnresolved, Severity: SeverityWarning, Tier: TierEntry,
		When: func(c *Case) bool {
			return c.Latest != nil && c.Latest.Status != ResultSuccess && referenceUnresolved(c) && !managerReference(c)
		},
		Headline: "{app} could not link {user}'s account to another account it refers to.",
		EndUser: "Your {app} account refers to another account, such as a team you are in. " +
			"That other account is not in {app} yet, so the link could not be made. " +
			"It should sort itself out once the other account is there. If it does not, the help desk can help.",
		HelpDesk: "A reference attribute of {user} could not be resolved in {app} at {time} (UnableToResolveReferenceAttributeValue): " +
			"the object it points to has no account in {app} that provisioning knows. {httpnote}" +
			"Step: {refstep}. The log said: {refdetail} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyNobody, "Nothing for you to do for now. If it is still wrong tomorrow, tell the help desk."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Make sure the referenced user or group is assigned to {app} and provisioned; the next cycle then resolves the reference{ifruns}."},
			{PartyAppAdmin, "If the referenced object came into scope after {user} was provisioned, restart provisioning: references are only evaluated again then."},
		},
		Vars:     withFailureVars(referenceVars),
		Evidence: failureEvidence,
		Article:  articleKnownIssues,
	},
	{
		// C02: the on-demand "Test connection" step is shown only when it
		// fails: provisioning could not authorize against the app [on-demand].
		ID: "C02", Family: FamilyConfig, Category: TargetPermission, Severity: SeverityError, Tier: TierEntry,
		When: func(c *Case) bool {
			_, ok := testConnectionFailed(c)
			return ok
		},
		Headline: "Provisioning could not connect to {app} when it tried {user}'s account.",
		EndUser: "The company directory could not connect to {app} when it tried to set up or change your account. " +
			"This affects everyone who uses {app}, not only you. An admin has to fix the connection.",
		HelpDesk: "The Test connection step failed for {user} at {time}: the provisioning service could not authorize against or reach {app}. {httpnote}" +
			"Check the secret token and the tenant URL; {app} must also support filtering on the matching attribute. " +
			"Step: {teststep}. The service said: {reason} (change {change}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that the link to {app} is not working."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Check the secret token and the tenant URL under Admin Credentials on the {app} Provisioning page, select Test Connection, and save once it passes."},
			{PartyVendor, "If the connection test still fails with valid credentials, ask the {app} vendor whether their endpoint supports filtering on the matching attribute."},
		},
		Vars: withFailureVars(func(c *Case) map[string]string {
			s, _ := testConnectionFailed(c)
			return map[string]string{"teststep": strings.TrimSpace(s.Name + ": " + s.Description)}
		}),
		Evidence: failureEvidence,
		Article:  articleOnDemand,
	},
}

// The SCIM incompatibility codes: the documented one, and the variant seen
// in the community (facts §3.2.3).
const (
	scimIncompatible          = "SystemForCrossDomainIdentityManagementServiceIncompatible"
	scimIncompatibleFiltering = "SystemForCrossDomainIdentityManagementServiceIncompatibleFiltering"
)

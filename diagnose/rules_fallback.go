package diagnose

// fallbackRules give an honest answer when no other rule explains what
// happened: they quote the service's own words and say what is known.
var fallbackRules = []Rule{
	{
		ID: "X01", Family: FamilyExport, Category: UnknownError, Severity: SeverityError, Tier: TierFallback,
		When: func(c *Case) bool {
			return c.Latest != nil && (c.Latest.Status == ResultFailure || c.Latest.Status == ResultWarning || c.Latest.Error != nil && c.Latest.Status != ResultSuccess && c.Latest.Status != ResultSkipped)
		},
		Headline: "Setting up {user}'s {app} account failed at {time} with an error provbot does not know.",
		EndUser: "Something went wrong when your {app} account was being set up at {time}. " +
			"provbot does not know this error, so the help desk needs to look at it.",
		HelpDesk: "The {action} for {user} in {app} failed at {time} (change {change}) and provbot has no rule for what happened.{errsummary}",
		UserDo:   []Recommendation{{PartyHelpDesk, "Ask the help desk to look at your {app} account. Tell them it failed at {time}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Open the entry in Provisioning logs (change {change}) and read Troubleshooting & Recommendations."},
			{PartyAppAdmin, "If the reason quotes an error from {app}, look it up in the app's provisioning tutorial or ask the vendor."},
		},
		Article: articleAnalyzeLogs,
	},
	{
		ID: "X02", Family: FamilySkipped, Category: UnknownError, Severity: SeverityWarning, Tier: TierFallback,
		When:     func(c *Case) bool { return c.Latest != nil && c.Latest.Status != ResultSuccess },
		Headline: "{user}'s {app} account was not set up at {time}, and the log does not say why.",
		EndUser: "Your {app} account was not set up when it was last checked at {time}. " +
			"The record does not say why, so the help desk needs to look at it.",
		HelpDesk: "The newest entry for {user} in {app} ({time}, change {change}) has status {status} and no reason provbot knows.{errsummary}",
		UserDo:   []Recommendation{{PartyHelpDesk, "Ask the help desk to look at your {app} account."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Use Provision on demand for {user} on the {app} Provisioning page to see each step and its details."},
		},
		Article: articleAnalyzeLogs,
	},
	{
		ID: "X03", Family: FamilyNoLogs, Category: NoLogs, Severity: SeverityInfo, Tier: TierFallback,
		Headline: "provbot found no provisioning record of {user} in {app}.",
		EndUser: "There is no record of {app} doing anything with your account. " +
			"If you need {app}, ask for access.",
		HelpDesk: "No provisioning log entries for {user} in {app}, and the app's job and the user's assignment could not be read. " +
			"Check the assignment and the job's status, or use Provision on demand.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check your access to {app}."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Check {user}'s assignment to {app} and the app's provisioning status; use Provision on demand to see what the service would do."},
		},
		Article: articleTroubleshoot,
	},
}

package diagnose

// jobRules explain a job that does not run, or runs badly (facts §3.1 A).
var jobRules = []Rule{
	{
		ID: "J01", Family: FamilyJob, Category: JobNotConfigured, Severity: SeverityError, Tier: TierJobBlocked,
		When:     func(c *Case) bool { return c.App.JobsKnown && len(c.App.Jobs) == 0 },
		Headline: "{app} is not set up to create accounts on its own, so {user} gets no account from it.",
		EndUser: "Your company has not set up {app} to create accounts on its own. " +
			"So no {app} account was made for you. Someone has to set this up, or make your account by hand.",
		HelpDesk: "{app} has no provisioning job: its synchronization jobs list is empty. " +
			"Automatic provisioning was never configured for this enterprise app, so no user is pushed to it.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk for a {app} account. They can ask the app's admin to turn on automatic accounts."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In Entra, open Enterprise apps → {app} → Provisioning, set the mode to Automatic, enter the admin credentials, test the connection, review the mappings and turn provisioning on."},
			{PartyHelpDesk, "If {user} needs access now, create the account by hand in {app}."},
		},
		Article: articlePortalConfig,
	},
	{
		ID: "J02", Family: FamilyJob, Category: JobNotConfigured, Severity: SeverityError, Tier: TierJobBlocked,
		When:     func(c *Case) bool { return c.JobCode() == StatusNotConfigured },
		Headline: "Provisioning into {app} was never finished, so {user} gets no account from it.",
		EndUser: "Setup of automatic accounts for {app} was started but never finished. " +
			"It has never run, so no {app} account was made for you.",
		HelpDesk: "The {app} provisioning job {job} has status NotConfigured: no admin credentials were saved, so it has never run.",
		UserDo:   []Recommendation{{PartyHelpDesk, "Ask the help desk for a {app} account. The app's admin needs to finish the setup."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Enter the admin credentials for {app} in the Provisioning page, select Test Connection, save, and turn provisioning on."},
		},
		Article: articlePortalConfig,
	},
	{
		ID: "J14", Family: FamilyJob, Category: JobDisabledAfterQuarantine, Severity: SeverityError, Tier: TierJobBlocked,
		When:     disabledAfterQuarantine,
		Headline: "Provisioning into {app} was switched off after failing for a long time, so {user}'s account is not kept up to date.",
		EndUser: "The link that sends accounts to {app} kept failing for weeks, so it was switched off. " +
			"Until someone fixes it and turns it back on, no {app} accounts are made or changed.",
		HelpDesk: "The {app} job {job} is stopped (status {jobstatus}, schedule {schedstate}) after a quarantine: {qreason}{qerror}. " +
			"The service disables a job that stays quarantined for more than four weeks.",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that {app} accounts are not being made. They need the app's admin to fix it."}},
		Do: []Recommendation{
			{PartyAppAdmin, "{qfix}"},
			{PartyAppAdmin, "Then turn provisioning for {app} back on (Provisioning Status On, then Save; or the Graph start API): the service does not turn it back on by itself."},
		},
		Vars: func(c *Case) map[string]string {
			return map[string]string{"qfix": joinFixes(c, quarantineFixes[quarantineCauseOf(c.Quarantine())])}
		},
		Evidence: quarantineEvidence,
		Article:  articleQuarantine,
	},
	{
		ID: "J13", Family: FamilyJob, Category: JobQuarantinedOther, Severity: SeverityError, Tier: TierJobBlocked,
		When:     quarantinedFor(causeDuplicateRoles),
		Headline: "Provisioning into {app} is on hold because {app} has two roles with the same name, so {user}'s account is not updated.",
		EndUser: "The link that sends accounts to {app} found two roles in {app} with the same name. " +
			"It stopped to stay safe. Until an admin fixes it, no {app} accounts are made or changed.",
		HelpDesk: "The {app} job is quarantined because the roles it imports from the app are not unique" +
			"{qerror}. Apps that import roles, such as Salesforce and Zendesk, need unique role values.",
		UserDo:   []Recommendation{{PartyHelpDesk, "Let the help desk know. The {app} admin needs to fix the app's roles."}},
		Do:       fixThen(causeDuplicateRoles, Recommendation{PartyAppAdmin, "Then restart provisioning for {app} so the job leaves quarantine at once."}),
		Evidence: quarantineEvidence,
		Article:  articleQuarantine,
	},
	{
		// J15: a cross-tenant synchronization quarantined because automatic
		// redemption of invitations is not allowed: its own error code
		// decides, not the generic EncounteredQuarantineException.
		ID: "J15", Family: FamilyJob, Category: CrossTenantPolicy, Severity: SeverityError, Tier: TierJobBlocked,
		When:     quarantinedFor(causeAutoRedemption),
		Headline: "Provisioning into {app} is on hold because automatic invitation redemption is not allowed in both tenants, so {user}'s account is not copied.",
		EndUser: "Your account is copied into your organization's other tenant. " +
			"That copying is on hold, because one of the two tenants is not set to accept accounts without an invite email. " +
			"Until an admin changes that setting, no accounts are copied or updated, yours included.",
		HelpDesk: "Provisioning into {app} (cross-tenant synchronization) is quarantined by its own error{qerror}: the cross-tenant access policy check failed. " +
			"The target tenant needs an inbound policy that allows users to sync in and automatically redeems invitations, " +
			"and the source tenant an outbound policy that automatically redeems invitations. New credentials do not help. Quarantined since {qsince}.",
		UserDo:   []Recommendation{{PartyHelpDesk, "Tell the help desk that your account is not reaching the other tenant. An admin has to change a setting in both tenants."}},
		Do:       fixThen(causeAutoRedemption, Recommendation{PartyAppAdmin, "Then restart provisioning for {app} so the job leaves quarantine at once."}),
		Evidence: quarantineEvidence,
		Article:  articleCrossTenant,
	},
	{
		ID: "J08", Family: FamilyJob, Category: JobQuarantinedCredentials, Severity: SeverityError, Tier: TierJobBlocked,
		When:     quarantinedFor(causeCredentials),
		Headline: "Provisioning into {app} has stopped working because {app} no longer accepts its sign-in, so {user}'s account cannot be updated.",
		EndUser: "The link that sends accounts to {app} can no longer sign in to {app}. " +
			"Its password or key is wrong or has run out. Until an admin fixes it, no {app} accounts are made or changed, yours included.",
		HelpDesk: "The {app} job is quarantined: {qreason}{qerror}. " +
			"Quarantined since {qsince}. The service now retries at a reduced rate (down to once a day); every attempt fails until the credentials are fixed.",
		UserDo:   []Recommendation{{PartyHelpDesk, "Let the help desk know. The {app} admin needs to renew the sign-in details that provisioning uses."}},
		Do:       fixThen(causeCredentials, Recommendation{PartyAppAdmin, "Then restart provisioning (Restart provisioning, or the Graph restart API) so the job leaves quarantine at once instead of waiting for the next retry."}),
		Evidence: quarantineEvidence,
		Article:  articleQuarantine,
	},
	{
		ID: "J12", Family: FamilyJob, Category: JobQuarantinedOther, Severity: SeverityError, Tier: TierJobBlocked,
		When:     quarantinedFor(causeNotFound),
		Headline: "Provisioning into {app} is on hold because {app} cannot be found at the saved address, so {user}'s account is not updated.",
		EndUser: "The link that sends accounts to {app} cannot reach the right place in {app}. " +
			"Until an admin fixes the address, no {app} accounts are made or changed.",
		HelpDesk: "The {app} job is quarantined because the app answers HTTP 404 where the provisioning service expects 200" +
			"{qerror}. This is usually a wrong tenant URL, or a SCIM endpoint that is not compliant.",
		UserDo:   []Recommendation{{PartyHelpDesk, "Let the help desk know. The {app} admin needs to check how provisioning connects to {app}."}},
		Do:       fixThen(causeNotFound, Recommendation{PartyAppAdmin, "Then restart provisioning for {app}."}),
		Evidence: quarantineEvidence,
		Article:  articleQuarantine,
	},
	{
		ID: "J11", Family: FamilyJob, Category: JobQuarantinedDeletes, Severity: SeverityError, Tier: TierJobBlocked,
		When:     quarantinedFor(causeTooManyDeletes),
		Headline: "Provisioning into {app} is on hold because too many accounts were about to be removed, so {user}'s account is not updated.",
		EndUser: "The link that sends accounts to {app} was about to remove a lot of accounts at once. " +
			"That looks like a mistake, so it stopped to keep people's accounts safe. " +
			"Until an admin checks it, no {app} accounts are made or changed.",
		HelpDesk: "The {app} job is quarantined by accidental-deletions prevention: more disables or deletes were queued in one cycle " +
			"than the threshold ({threshold}) allows. The pending deletions show as StagedDelete entries in the provisioning logs.",
		UserDo:   []Recommendation{{PartyHelpDesk, "Let the help desk know. The {app} admin needs to review the held changes."}},
		Do:       fixThen(causeTooManyDeletes, Recommendation{PartyAppAdmin, "Then restart provisioning for {app}."}),
		Evidence: quarantineEvidence,
		Article:  articleAccidental,
	},
	{
		ID: "J10", Family: FamilyJob, Category: JobQuarantinedOther, Severity: SeverityError, Tier: TierJobBlocked,
		When:     quarantinedFor(causeOnDemand),
		Headline: "Microsoft put provisioning into {app} on hold, so {user}'s account is not updated.",
		EndUser: "Microsoft found a problem with the link that sends accounts to {app} and put it on hold. " +
			"Until an admin fixes it, no {app} accounts are made or changed.",
		HelpDesk: "The {app} job is quarantined with reason QuarantinedOnDemand: Microsoft detected an issue and quarantined it by hand" +
			"{qerror}.",
		UserDo:   []Recommendation{{PartyHelpDesk, "Let the help desk know. The {app} admin needs to look into it."}},
		Do:       fixThen(causeOnDemand, Recommendation{PartyAppAdmin, "Then restart provisioning for {app}."}),
		Evidence: quarantineEvidence,
		Article:  articleQuarantine,
	},
	{
		ID: "J07", Family: FamilyJob, Category: JobQuarantinedOther, Severity: SeverityError, Tier: TierJobBlocked,
		When: func(c *Case) bool {
			return c.Quarantined() && (c.Quarantine() == nil || quarantineCauseOf(c.Quarantine()) == causeOther)
		},
		Headline: "Provisioning into {app} is on hold because calls to {app} keep failing, so {user}'s account is not updated.",
		EndUser: "The link that sends accounts to {app} keeps failing, so it was put on hold. " +
			"Until an admin fixes it, no {app} accounts are made or changed.",
		HelpDesk: "The {app} job is quarantined: {qreason} (reason {qrawreason}{qerror}). " +
			"While quarantined, it runs at a reduced rate, down to once a day, and is disabled after four weeks.",
		UserDo:   []Recommendation{{PartyHelpDesk, "Let the help desk know. The {app} admin needs to fix the connection."}},
		Do:       fixThen(causeOther, Recommendation{PartyAppAdmin, "Then restart provisioning for {app}."}),
		Evidence: quarantineEvidence,
		Article:  articleQuarantine,
	},
	{
		ID: "J03", Family: FamilyJob, Category: JobPaused, Severity: SeverityError, Tier: TierJobBlocked,
		When:     func(c *Case) bool { return c.Stopped() },
		Headline: "Provisioning into {app} is turned off, so {user}'s account is not made or updated.",
		EndUser: "Automatic accounts for {app} are turned off right now. " +
			"While they are off, no {app} accounts are made or changed, yours included.",
		HelpDesk: "The {app} job {job} does not run: status {jobstatus}, schedule {schedstate}. " +
			"No cycles run, so no changes are sent; when it is started again it resumes where it stopped.",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk whether {app} accounts are off on purpose. The app's admin can turn them back on."}},
		Do: []Recommendation{
			{PartyAppAdmin, "If the pause was not intended, set Provisioning Status to On for {app} (or call the Graph start API)."},
		},
		Evidence: func(c *Case) []Evidence { return nil },
		Article:  articlePortalConfig,
	},
	{
		ID: "J16", Family: FamilyJob, Category: JobRunFailed, Severity: SeverityError, Tier: TierJobBlocked,
		When: func(c *Case) bool {
			if c.Job == nil {
				return false
			}
			return c.runFailed() && !c.Quarantined()
		},
		Headline: "The last provisioning run for {app} failed as a whole, so {user}'s account was not updated.",
		EndUser: "The last run that sends accounts to {app} failed for everyone, not just for you. " +
			"The service will try again. If it keeps failing, an admin has to fix it.",
		HelpDesk: "The {app} job's last execution failed as a whole{runerror}; {failruns} in a row. " +
			"This is not specific to {user}.",
		UserDo: []Recommendation{{PartyNobody, "Nothing for you to do. If it is still broken tomorrow, tell the help desk."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Act on the run's error message (and the troubleshooting link when Graph gives one); if the error is tenant-actionable, the fix is on your side."},
		},
		Evidence: func(c *Case) []Evidence {
			return []Evidence{{Field: "countSuccessiveCompleteFailures", Value: c.value("fails")}}
		},
		Article: articleCheckStatus,
	},
	{
		ID: "J09", Family: FamilyJob, Category: JobQuarantinedErrors, Severity: SeverityError, Tier: TierJobBlocked,
		When:     quarantinedFor(causeEscrow),
		Headline: "Provisioning into {app} is on hold because too many accounts failed, so {user}'s account is not updated.",
		EndUser: "Too many accounts failed to reach {app}, so the link that sends them was put on hold. " +
			"Until an admin fixes the errors, accounts in {app} are made or changed only rarely.",
		HelpDesk: "The {app} job is quarantined with reason {qrawreason}: a large share of object operations failed " +
			"(over 40% of events once at least 5,000 failed, or more than 40,000 non-reference failures). " +
			"While quarantined, the job runs at a reduced rate, down to once a day, so {user}'s changes wait.",
		UserDo:   []Recommendation{{PartyHelpDesk, "Let the help desk know. The {app} admin needs to fix the failing accounts."}},
		Do:       fixThen(causeEscrow, Recommendation{PartyAppAdmin, "Then restart provisioning for {app}."}),
		Evidence: quarantineEvidence,
		Article:  articleQuarantine,
	},
	{
		ID: "J05", Family: FamilyJob, Category: InitialCycleRunning, Severity: SeverityInfo, Tier: TierJobSlow,
		When: func(c *Case) bool {
			// An entry from this cycle means the pass has reached the user.
			return c.InitialCycleRunning() && (c.Latest == nil || c.Latest.ActivityTime.Before(c.cycleStart()))
		},
		Headline: "{app} is still doing its first full pass, and has not reached {user} yet.",
		EndUser: "{app} was set up to make accounts on its own only a short time ago. " +
			"It is still working through everyone for the first time, and has not got to you yet. {next}",
		HelpDesk: "The {app} job is in its initial cycle (status {jobstatus}, steady state never reached{progress}). " +
			"It evaluates every in-scope object once; {user} has no entry yet. {next}",
		UserDo: []Recommendation{{PartyNobody, "Nothing for you to do. Check again after the time above."}},
		Do: []Recommendation{
			{PartyHelpDesk, "If {user} needs access sooner, use Provision on demand for {user} on the {app} Provisioning page; it usually takes under 30 seconds."},
		},
		Article: articleWhenFinish,
	},
}

// quarantineEvidence adds nothing: job evidence is included for the job
// family already. It exists so quarantine rules read alike.
func quarantineEvidence(c *Case) []Evidence { return nil }

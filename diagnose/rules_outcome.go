package diagnose

// outcomeRules explain a newest entry that succeeded: the account was
// made, updated, or already matched.
var outcomeRules = []Rule{
	{
		ID: "E16r", Family: FamilyOutcome, Category: Provisioned, Severity: SeverityOK, Tier: TierOutcome,
		When: func(c *Case) bool {
			return c.Succeeded() && !c.History.ResolvedAt.IsZero() && isProvisioningAction(c.Latest.Action)
		},
		Headline: "{user}'s {app} account is working now; an earlier problem was fixed at {resolved}.",
		EndUser: "Your {app} account had a problem before, but it was fixed. " +
			"It was set up at {resolved}, and it is ready to use.",
		HelpDesk: "Resolved: after {priorattempts} (last error {priorcode}), the {action} succeeded at {resolved} " +
			"(change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyUser, "Sign in to {app}. If it still fails, tell the help desk the time above."}},
		Do: []Recommendation{
			{PartyNobody, "No action needed. If {user} still cannot sign in, the cause is not provisioning: check single sign-on and the account's role in {app}."},
		},
		Evidence: priorFailureEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		ID: "M01", Family: FamilyOutcome, Category: Provisioned, Severity: SeverityOK, Tier: TierOutcome,
		When:     func(c *Case) bool { return c.Succeeded() && c.Latest.Action == ActionCreate },
		Headline: "{user}'s {app} account was created at {time}.",
		EndUser: "Your {app} account was made at {time} ({ago}). " +
			"It is ready to use.",
		HelpDesk: "The provisioning service created {user} in {app} at {time} (change {change}, cycle {cycle}); " +
			"the account's id in {app} is {target}.",
		UserDo: []Recommendation{{PartyUser, "Sign in to {app}. If you still cannot get in, tell the help desk."}},
		Do: []Recommendation{
			{PartyNobody, "No provisioning action needed. If {user} cannot sign in, check single sign-on and the account's role in {app}."},
		},
		Article: articleCheckStatus,
	},
	{
		ID: "J06", Family: FamilyOutcome, Category: Provisioned, Severity: SeverityOK, Tier: TierOutcome,
		When:     func(c *Case) bool { return c.Succeeded() && isProvisioningAction(c.Latest.Action) },
		Headline: "{user}'s {app} account is set up and was last updated at {time}.",
		EndUser: "Your {app} account is set up. " +
			"The last change to it was sent at {time} ({ago}).",
		HelpDesk: "The provisioning service last updated {user} in {app} at {time} (action {actionname}, change {change}, cycle {cycle}); " +
			"the account's id in {app} is {target}.",
		UserDo: []Recommendation{{PartyUser, "Sign in to {app}. If you still cannot get in, tell the help desk."}},
		Do: []Recommendation{
			{PartyNobody, "No provisioning action needed. If a recent change has not arrived, it goes out with the next cycle{ifruns}."},
		},
		Article: articleCheckStatus,
	},
	{
		ID: "S08", Family: FamilySkipped, Category: AlreadyInSync, Severity: SeverityOK, Tier: TierOutcome,
		When: func(c *Case) bool {
			if c.Latest == nil || c.Failed() {
				return false
			}
			return c.DetailIs("SkipReason", "RedundantExport") || suffixMatch(c.Code(), []string{"RedundantExport"}) > 0 ||
				c.Latest.Status == ResultSkipped && hasStep(c.Latest, "EntrySynchronizationSkip")
		},
		Headline: "{user}'s {app} account already matches the directory; there was nothing to change at {time}.",
		EndUser: "Your {app} account already matches your details in the company directory. " +
			"When it was checked at {time}, there was nothing to change.",
		HelpDesk: "Skipped with SkipReason RedundantExport at {time} (change {change}): the state in Entra and in {app} already match, so nothing was exported.",
		UserDo:   []Recommendation{{PartyUser, "Sign in to {app}. If something in your account looks wrong, tell the help desk what it is."}},
		Do: []Recommendation{
			{PartyAppAdmin, "If a change was expected, check the attribute mapping: the attribute may not be mapped, mapped only during creation, or empty (empty values are not sent)."},
		},
		Article: articleOnDemand,
	},
}

// isProvisioningAction reports whether an action creates or updates an
// account (as opposed to removing it).
func isProvisioningAction(a Action) bool {
	return a == ActionCreate || a == ActionUpdate || a == ActionOther
}

// hasStep reports whether an entry has a step with the given name.
func hasStep(e *Entry, name string) bool {
	for _, s := range e.Steps {
		if s.Name == name {
			return true
		}
	}
	return false
}

// priorFailureEvidence quotes the newest failure before the success.
func priorFailureEvidence(c *Case) []Evidence {
	for _, e := range c.Entries[1:] {
		if e.Status == ResultFailure {
			return []Evidence{{Field: "earlier errorInformation.errorCode", Value: e.ErrorCode(), ChangeID: e.ChangeID, CycleID: e.CycleID, Time: e.ActivityTime}}
		}
	}
	return nil
}

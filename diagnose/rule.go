package diagnose

// Rule is one diagnosis rule: data (id, verdict, sentences, actions, the
// article it rests on) plus a small predicate.
//
// Sentences are templates: {user}, {app}, {code} and the other
// placeholders listed in vars.go are filled from the Case.
type Rule struct {
	// ID names the rule in RULES.md (J08, S05, E13, ...). A
	// letter suffix marks a variant of the same situation (S01b).
	ID string
	// Family groups the rule with its neighbours (job, no-logs, ...).
	Family Family
	// Category is the verdict the rule gives.
	Category Category
	// Severity says how bad the verdict is.
	Severity Severity
	// Tier orders rules: the first tier with a matching rule decides.
	Tier Tier
	// Codes are the error codes this rule explains, matched as suffixes
	// of the newest entry's code, ignoring case, so that connector-prefixed
	// codes (SalesforceEntryConflict) match. A rule with Codes applies only
	// when one matches; among matching rules the longest suffix wins.
	Codes []string
	// When is the rule's predicate; nil means "always" (for rules with Codes).
	When func(c *Case) bool

	// Headline is one sentence naming the user and the app.
	Headline string
	// EndUser explains the verdict to the person whose account it is:
	// short sentences, no jargon, no ids.
	EndUser string
	// HelpDesk explains it to help desk and admins, with the technical terms.
	HelpDesk string
	// UserDo are the recommendations shown to end users.
	UserDo []Recommendation
	// Do are the recommendations shown to help desk and admins.
	Do []Recommendation
	// Estimate says when things will happen; nil uses the default for the
	// category.
	Estimate func(c *Case) *Estimate
	// Evidence adds facts beyond the newest entry's standard evidence.
	Evidence func(c *Case) []Evidence
	// Vars adds or overrides placeholders for this rule's sentences.
	Vars func(c *Case) map[string]string
	// Article is the Microsoft Learn page the rule rests on.
	Article Article
	// Groups is true for rules about a group's own provisioning; they
	// apply only to questions about groups, and the other rules only to
	// users. Job rules (FamilyJob) apply to both.
	Groups bool
	// ForGroup, when set, lets a rule about a user's entry decide a
	// group's entry too, with these sentences: a failure is read the same
	// way whoever it is about (classify.go), so the signal rules decide
	// groups' failures with the same verdicts.
	ForGroup *GroupText
}

// GroupText is a user rule's sentences for a group's own entry. Answers
// about groups are for the help desk, so there is no end-user text;
// {user} is the group's name ("the Sales group").
type GroupText struct {
	Headline, HelpDesk string
	Do                 []Recommendation
}

// appliesTo reports whether the rule may decide the case: job rules
// always; group rules for groups; the others for users, and for groups
// too when they carry group sentences.
func (r *Rule) appliesTo(c *Case) bool {
	switch {
	case r.Family == FamilyJob:
		return true
	case c.isGroup():
		return r.Groups || r.ForGroup != nil
	}
	return !r.Groups
}

// sentences are the rule's headline, help-desk text and actions for the
// case's subject.
func (r *Rule) sentences(c *Case) (headline, helpDesk string, do []Recommendation) {
	if c.isGroup() && r.ForGroup != nil {
		return r.ForGroup.Headline, r.ForGroup.HelpDesk, r.ForGroup.Do
	}
	return r.Headline, r.HelpDesk, r.Do
}

// Family is a group of related rules; RULES.md has a section for each.
type Family string

// The rule families.
const (
	FamilyJob         Family = "job"
	FamilyNoLogs      Family = "no-logs"
	FamilySkipped     Family = "skipped"
	FamilyMatching    Family = "matching"
	FamilyExport      Family = "export"
	FamilyMapping     Family = "attribute-mapping"
	FamilyLifecycle   Family = "lifecycle"
	FamilyConfig      Family = "configuration"
	FamilyTiming      Family = "timing"
	FamilyCrossTenant Family = "cross-tenant"
	FamilyOutcome     Family = "outcome"
	FamilyGroup       Family = "group"
)

// Tier orders rules. Lower tiers are tried first; within a tier the
// longest matching code wins, then catalogue order.
type Tier int

// The tiers, in the order they are tried.
const (
	// TierEntryOverride is for entries that explain the job's state
	// themselves (a held deletion while the job is quarantined for deletes).
	TierEntryOverride Tier = iota
	// TierOutcome is for the newest entry having succeeded: the account
	// exists (or was removed) whatever the job does now.
	TierOutcome
	// TierJobBlocked is for jobs that do not run at all.
	TierJobBlocked
	// TierEntry is for the newest entry's failure or skip.
	TierEntry
	// TierFacts is for user and assignment facts that keep the user out.
	TierFacts
	// TierJobSlow is for jobs that run but slowly (initial cycle,
	// quarantine for too many failures).
	TierJobSlow
	// TierNoEntries is for users the logs say nothing about.
	TierNoEntries
	// TierFallback is the honest answer when nothing else matched.
	TierFallback
)

// NoteRule adds a secondary finding to a diagnosis whose verdict came from
// another rule.
type NoteRule struct {
	// ID names the note in RULES.md.
	ID string
	// Severity of the note.
	Severity Severity
	// When reports whether the note applies, given the deciding rule.
	When func(c *Case, decided *Rule) bool
	// EndUser and HelpDesk are the note's sentences (templates).
	EndUser, HelpDesk string
}

// Catalog returns every diagnosis rule, in evaluation order within each
// tier. Tests use it to check that every rule is reachable and readable.
func Catalog() []Rule {
	var all []Rule
	for _, fam := range [][]Rule{
		overrideRules, outcomeRules, jobRules, crossTenantRules, matchingRules,
		exportRules, mappingRules, lifecycleRules, skippedRules, hrInboundRules, signalRules, noLogsRules, groupRules, fallbackRules,
	} {
		all = append(all, fam...)
	}
	return all
}

// Notes returns every note rule.
func Notes() []NoteRule { return allNoteRules }

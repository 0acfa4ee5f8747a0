package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/provbot/provbot/diagnose"
)

// endUserLead splits an end user's explanation into the sentence that
// leads the card, which speaks to them ("Your ServiceNow account is set
// up."), and the rest. When the explanation does not begin by speaking to
// them, the lead is the verdict said to them in a few words and the rest is
// the whole explanation.
func endUserLead(d diagnose.Diagnosis) (lead, rest string) {
	first, after := firstSentence(d.Explanation)
	if secondPerson(first) {
		return first, after
	}
	return verdictForYou(d), strings.TrimSpace(d.Explanation)
}

// firstSentence splits text after its first sentence: a full stop,
// question or exclamation mark followed by a blank and a capital letter.
func firstSentence(text string) (first, rest string) {
	text = strings.TrimSpace(text)
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '.', '?', '!':
		default:
			continue
		}
		j := i + 1
		for j < len(text) && text[j] == ' ' {
			j++
		}
		if j == i+1 || j >= len(text) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(text[j:]); unicode.IsUpper(r) {
			return text[:i+1], text[j:]
		}
	}
	return text, ""
}

// secondPerson reports whether a sentence speaks to the reader: it has
// "you" or "your" as a word.
func secondPerson(s string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
		switch strings.TrimRight(w, "'’") {
		case "you", "your", "yours", "you're", "you’re", "you've", "you’ve", "you'll", "you’ll":
			return true
		}
	}
	return false
}

// verdictForYou says a verdict to the person it is about, in a few plain
// words that claim no more than the verdict does.
func verdictForYou(d diagnose.Diagnosis) string {
	app := d.App.Name
	if app == "" {
		app = "the app"
	}
	r := strings.NewReplacer("{app}", app)
	if s, ok := leads[d.Category]; ok {
		return r.Replace(s)
	}
	switch d.Severity {
	case diagnose.SeverityOK:
		return r.Replace("Your {app} account looks fine.")
	case diagnose.SeverityError:
		return r.Replace("Something is stopping your {app} account.")
	default:
		return r.Replace("Here is what I found about your {app} account.")
	}
}

// leads are the verdicts said to the person they are about.
var leads = map[diagnose.Category]string{
	diagnose.Provisioned:                "Your {app} account is set up.",
	diagnose.AlreadyInSync:              "Your {app} account is up to date.",
	diagnose.PendingNextCycle:           "Your {app} account is on its way.",
	diagnose.InitialCycleRunning:        "Your {app} account is on its way: {app} is still being set up for everyone.",
	diagnose.JobNotConfigured:           "Your {app} account can't be made automatically yet.",
	diagnose.JobPaused:                  "Your {app} account is waiting: {app} updates are paused.",
	diagnose.JobQuarantinedCredentials:  "Your {app} account is waiting: {app} updates are on hold until an admin fixes them.",
	diagnose.JobQuarantinedErrors:       "Your {app} account is waiting: {app} updates are on hold until an admin fixes them.",
	diagnose.JobQuarantinedDeletes:      "Your {app} account is waiting: {app} updates are on hold until an admin fixes them.",
	diagnose.JobQuarantinedOther:        "Your {app} account is waiting: {app} updates are on hold until an admin fixes them.",
	diagnose.JobDisabledAfterQuarantine: "Your {app} account is waiting: {app} updates were switched off.",
	diagnose.JobRunFailed:               "Your {app} account is waiting: {app} updates are not getting through right now.",
	diagnose.NotAssigned:                "You don't have access to {app} yet.",
	diagnose.NestedGroupOnly:            "You don't have access to {app} yet: your team's access doesn't reach you.",
	diagnose.NotEffectivelyEntitled:     "Your access to {app} doesn't give you an account yet.",
	diagnose.UserDisabled:               "Your work account is turned off, and that stops your {app} account.",
	diagnose.UserDeleted:                "Your work account was removed, and that stops your {app} account.",
	diagnose.ScopingFilter:              "{app} gets accounts only for some people, and your details leave you out.",
	diagnose.MatchingAttributeMissing:   "Your {app} account can't be set up: a detail {app} needs is missing from your profile.",
	diagnose.MatchingConflict:           "Your {app} account can't be set up: another {app} account already uses your details.",
	diagnose.DuplicateMatch:             "Your {app} account can't be updated: {app} has more than one account that looks like yours.",
	diagnose.InvalidAnchor:              "Your {app} account can't be updated: the account it was linked to is gone from {app}.",
	diagnose.MissingRequiredAttribute:   "Your {app} account can't be set up: a detail {app} requires is missing from your profile.",
	diagnose.AttributeMapping:           "Your {app} account can't be set up because of a mistake in how {app} is connected.",
	diagnose.InvalidDomain:              "Your {app} account can't be set up: {app} doesn't accept your email address.",
	diagnose.LicenseLimit:               "Your {app} account can't be set up: {app} has no free licence left.",
	diagnose.TargetPermission:           "Your {app} account can't be changed automatically.",
	diagnose.TargetTransient:            "Your {app} account is delayed: {app} was busy, and it will be tried again.",
	diagnose.TargetRejected:             "{app} refused to set up your account.",
	diagnose.ReferenceUnresolved:        "Your {app} account is set up, but one of its links, such as your manager, is missing.",
	diagnose.Deprovisioned:              "Your {app} account was turned off.",
	diagnose.DeletesHeld:                "Removing your {app} account is on hold.",
	diagnose.CrossTenantPolicy:          "Your account in {app} can't be set up because of the other organization's settings.",
	diagnose.GuestUserMapping:           "Your {app} account can't be set up: your guest sign-in name doesn't work for {app}.",
	diagnose.NoLogs:                     "There is no record yet of a {app} account for you.",
	diagnose.UnknownError:               "Your {app} account has a problem that needs the help desk.",
}

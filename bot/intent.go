package bot

import (
	"regexp"
	"strings"
)

// intent is what an asker wants.
type intent string

// The intents the bot understands.
const (
	// intentDiagnose asks why a user's account is (not) in an app, or in
	// all apps when no app is named.
	intentDiagnose intent = "diagnose"
	// intentStatus asks how an app's provisioning is doing.
	intentStatus intent = "status"
	// intentApps asks which apps provision users.
	intentApps intent = "apps"
	// intentHelp asks what the bot can do.
	intentHelp intent = "help"
	// intentThanks thanks the bot.
	intentThanks intent = "thanks"
	// intentUnknown is anything else.
	intentUnknown intent = "unknown"
)

// subjectKind says how a question names whom it is about.
type subjectKind string

// The kinds of subject.
const (
	// subjectNone means the question names nobody.
	subjectNone subjectKind = ""
	// subjectSelf means the asker ("I", "me", "my").
	subjectSelf subjectKind = "self"
	// subjectUPN is a user principal name or email address.
	subjectUPN subjectKind = "upn"
	// subjectObjectID is an Entra object id (a GUID).
	subjectObjectID subjectKind = "object-id"
	// subjectName is a person's name or the start of it.
	subjectName subjectKind = "name"
	// subjectGroup is a group, named as "the Sales group" or "group Sales"
	// (a help-desk question about the group's own provisioning).
	subjectGroup subjectKind = "group"
	// subjectUnclear means the question names someone, but not in a way
	// that can be looked up; Who holds what was understood and Unclear
	// why. It is never taken to mean the asker.
	subjectUnclear subjectKind = "unclear"
)

// unclearReason says why a subject could not be understood.
type unclearReason string

// The reasons a subject is unclear.
const (
	unclearNone        unclearReason = ""
	unclearTooLong     unclearReason = "too-long"    // five words or more
	unclearPunctuation unclearReason = "punctuation" // characters no name has
	unclearSeveral     unclearReason = "several"     // more than one person
	unclearSelfAndName unclearReason = "self-and-name"
	unclearNotAName    unclearReason = "not-a-name" // words that do not read as a name
	unclearUnnamed     unclearReason = "unnamed"    // someone, without their name
)

// maxNameWords is the most words a person's name may have.
const maxNameWords = 4

// question is a parsed chat message.
type question struct {
	Intent intent
	// Subject is whom the question is about; Who is the reference as typed
	// (empty for subjectSelf and subjectNone), Unclear why it could not be
	// understood (subjectUnclear only).
	Subject subjectKind
	Who     string
	Unclear unclearReason
	// App is how the question names an app (How is appUnnamed for every
	// app of the subject).
	App appRef
	// When is the time the question names, if any ("since March").
	When askedTime
}

var (
	upnRE  = regexp.MustCompile(`(?i)[a-z0-9._%+'#-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+`)
	guidRE = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	tagRE  = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
)

// parseQuestion understands how people ask about provisioning, without a
// language model. It reads, in this order: a user principal name, email
// address or object id; the app (apps are the known app names: a whole
// name, an alias, a word or the start of a name, or a misspelling, see
// findKnownApp; otherwise the words where an app name stands); what is
// asked (an app's status, the list of apps, thanks); and whom it is about
// (the asker, a person's name, a group). Whatever names someone in a way
// that cannot be looked up is subjectUnclear, never the asker.
//
// text must already have the bot's @mention removed.
func parseQuestion(text string, apps []string) question {
	ts := tokens(normalizeText(text))
	if len(ts) == 0 || isHelp(ts) {
		return question{Intent: intentHelp}
	}
	if isThanks(ts) {
		return question{Intent: intentThanks}
	}
	p := &parse{ts: ts, used: make([]bool, len(ts))}
	q := question{Intent: intentDiagnose}
	ids := p.takeIDs()
	q.When = p.takeWhen()
	q.App = p.takeApp(apps)

	switch {
	case len(ids) == 0 && q.App.How == appUnnamed && p.isAppsQuestion():
		return question{Intent: intentApps}
	case len(ids) == 0 && !p.has(selfWords) && p.has(statusWords) || len(ids) == 0 && p.asksHowAppIsDoing(q.App):
		if s := p.subject(q.App); s.kind == subjectNone || s.kind == subjectSelf && !p.has(selfWords) {
			q.Intent = intentStatus
			if q.App.How == appUnnamed {
				q.App = p.leftoverApp()
			}
			return q
		}
	}

	switch s := p.subject(q.App); {
	case len(ids) > 1:
		q.Subject, q.Who, q.Unclear = subjectUnclear, strings.Join(ids, ", "), unclearSeveral
	case len(ids) == 1:
		q.Subject, q.Who = idKind(ids[0]), ids[0]
		if q.Subject == subjectObjectID {
			q.Who = strings.ToLower(q.Who)
		}
	case s.kind == subjectNone && q.App.How == appUnnamed:
		if p.isBareCommand() {
			// "check", "why": the asker's own accounts.
			q.Subject = subjectSelf
			return q
		}
		return question{Intent: intentUnknown}
	default:
		q.Subject, q.Who, q.Unclear = s.kind, s.who, s.why
	}
	return q
}

// idKind tells an object id from a user principal name.
func idKind(id string) subjectKind {
	if guidRE.MatchString(id) && !strings.Contains(id, "@") {
		return subjectObjectID
	}
	return subjectUPN
}

// normalizeText replaces non-breaking spaces and HTML entities Teams
// sends, drops leftover tags, and collapses whitespace.
//
// Tags go first: Teams sends what people type with "<" escaped, so a
// "<" left after decoding was typed.
func normalizeText(s string) string {
	s = tagRE.ReplaceAllString(s, " ")
	r := strings.NewReplacer("&nbsp;", " ", "\u00a0", " ", "&amp;", "&", "&#39;", "'", "&quot;", "\"", "&lt;", "<", "&gt;", ">",
		"\u2019", "'", "\u2018", "'", "\u201c", "\"", "\u201d", "\"")
	s = r.Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// isHelp reports a greeting or a request for help.
func isHelp(ts []token) bool {
	var words []string
	for _, t := range ts {
		if w := strings.ToLower(trimPunct(t.raw)); w != "" {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return strings.Trim(ts[0].raw, "?") == ""
	}
	j := strings.Join(words, " ")
	return helpPhrases[j] || len(words) <= 3 && words[0] == "help"
}

// isThanks reports a message that only thanks the bot.
func isThanks(ts []token) bool {
	thanked := false
	for _, t := range ts {
		switch {
		case t.fold == "":
		case thanksWords[t.fold]:
			thanked = true
		case !thanksFiller[t.fold]:
			return false
		}
	}
	return thanked
}

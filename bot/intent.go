package bot

import (
	"regexp"
	"strings"
	"unicode"
)

// intent is what an asker wants.
type intent string

// The intents the bot understands.
const (
	// intentDiagnose asks why a user's account is (not) in an app, or in
	// all apps when no app is named.
	intentDiagnose intent = "diagnose"
	// intentStatus asks for an app's provisioning status.
	intentStatus intent = "status"
	// intentApps asks which apps provision users.
	intentApps intent = "apps"
	// intentHelp asks what the bot can do.
	intentHelp intent = "help"
	// intentUnknown is anything else.
	intentUnknown intent = "unknown"
)

// subjectKind says how a question names the user it is about.
type subjectKind string

// The kinds of user reference.
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
)

// question is a parsed chat message.
type question struct {
	Intent intent
	// Subject is who the question is about; Who is the reference as typed
	// (empty for subjectSelf and subjectNone).
	Subject subjectKind
	Who     string
	// App is the app as named in the question ("" means every app that
	// provisions the user). When a list of known app names was given and
	// one matched, App is that known name.
	App string
}

var (
	upnRE  = regexp.MustCompile(`(?i)[a-z0-9._%+'#-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+`)
	guidRE = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
)

// selfWords mean the asker.
var selfWords = map[string]bool{"i": true, "me": true, "my": true, "mine": true, "myself": true, "i'm": true, "im": true, "i've": true, "ive": true}

// parseQuestion understands how people ask about provisioning, without a
// language model: it finds the intent, the user reference (the asker,
// a UPN or email, an object id, or a name) and the app. apps, when given,
// are the known app names; a phrase in the text that matches one (ignoring
// case, spaces and punctuation: "service now" is ServiceNow) is the app.
//
// text must already have the bot's @mention removed.
func parseQuestion(text string, apps []string) question {
	text = normalizeText(text)
	low := strings.ToLower(text)
	words := tokenize(low)
	if len(words) == 0 {
		return question{Intent: intentHelp}
	}
	if isHelp(words) {
		return question{Intent: intentHelp}
	}

	q := question{Intent: intentDiagnose}
	app, rest := findApp(text, apps)

	// A UPN or object id is unambiguous.
	if m := upnRE.FindString(rest); m != "" {
		q.Subject, q.Who = subjectUPN, strings.Trim(m, ".")
		rest = strings.Replace(rest, m, " ", 1)
	} else if m := guidRE.FindString(rest); m != "" {
		q.Subject, q.Who = subjectObjectID, strings.ToLower(m)
		rest = strings.Replace(rest, m, " ", 1)
	}

	if app == "" {
		app, rest = appByPattern(rest)
	}
	q.App = app

	restWords := tokenize(strings.ToLower(rest))
	switch {
	case isAppsQuestion(words, restWords, q):
		return question{Intent: intentApps}
	case isStatusQuestion(words) && q.Subject == subjectNone && !hasSelf(restWords):
		q.Intent = intentStatus
		if q.App == "" {
			q.App = strings.TrimSpace(strings.Join(withoutFiller(restWords), " "))
		}
		return q
	}

	if q.Subject == subjectNone {
		if g := groupIn(rest); g != "" {
			q.Subject, q.Who = subjectGroup, g
		}
	}
	if q.Subject == subjectNone {
		if hasSelf(restWords) {
			q.Subject = subjectSelf
		} else if name := nameIn(rest); name != "" && (q.App != "" || looksLikeName(name) || hasTrigger(words)) {
			q.Subject, q.Who = subjectName, name
		}
	}
	if q.Subject == subjectNone && q.App == "" {
		return question{Intent: intentUnknown}
	}
	if q.Subject == subjectNone {
		// "is Salesforce working?" with no person: the asker means themselves.
		q.Subject = subjectSelf
	}
	return q
}

var (
	theGroupRE = regexp.MustCompile(`(?i)\bthe\s+([^?.,!;:"]+?)\s+group\b`)
	groupXRE   = regexp.MustCompile(`(?i)\bgroup\s+"?([^?.,!;:"]+?)"?\s*(?:[?.,!;:]|$|\s(?:missing|in|from|not|is|isn't|has|hasn't|was|wasn't)\b)`)
)

// groupIn returns the group a question names ("the Sales group", "group
// Sales"), or "".
func groupIn(text string) string {
	for _, re := range []*regexp.Regexp{theGroupRE, groupXRE} {
		if m := re.FindStringSubmatch(text); m != nil {
			if g := strings.TrimSpace(m[1]); g != "" && !selfWords[strings.ToLower(g)] {
				return g
			}
		}
	}
	return ""
}

// normalizeText replaces non-breaking spaces and HTML entities Teams
// sends, drops leftover tags, and collapses whitespace.
func normalizeText(s string) string {
	r := strings.NewReplacer("&nbsp;", " ", "\u00a0", " ", "&amp;", "&", "&#39;", "'", "&quot;", "\"", "&lt;", "<", "&gt;", ">",
		"\u2019", "'", "\u2018", "'", "\u201c", "\"", "\u201d", "\"")
	s = r.Replace(s)
	s = tagRE.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}

var tagRE = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)

// tokenize splits lower-case text into words, keeping apostrophes, @, dots
// and dashes inside words.
func tokenize(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '@' || r == '.' || r == '-' || r == '_' || r == '#')
	})
}

func isHelp(words []string) bool {
	j := strings.Join(trimDots(words), " ")
	switch j {
	case "help", "hi", "hello", "hey", "start", "menu", "commands", "what can you do", "how does this work",
		"what do you do", "who are you", "usage", "?", "help me", "hi there", "hello there":
		return true
	}
	return len(words) <= 3 && words[0] == "help"
}

func trimDots(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if w = strings.Trim(w, ".-"); w != "" {
			out = append(out, w)
		}
	}
	return out
}

func hasSelf(words []string) bool {
	for _, w := range words {
		if selfWords[strings.Trim(w, ".")] {
			return true
		}
	}
	return false
}

func isAppsQuestion(all, rest []string, q question) bool {
	if q.App != "" || q.Subject != subjectNone || hasSelf(rest) {
		return false
	}
	has := func(w string) bool {
		for _, x := range all {
			if strings.Trim(x, ".") == w {
				return true
			}
		}
		return false
	}
	if !has("apps") && !has("applications") && !has("app") {
		return false
	}
	return has("which") || has("what") || has("list") || has("show") || has("all") || len(all) <= 2
}

func isStatusQuestion(words []string) bool {
	for i, w := range words {
		w = strings.Trim(w, ".?!")
		switch w {
		case "status", "health", "healthy", "quarantined", "quarantine", "paused", "stuck", "running", "progress":
			return true
		case "how":
			if i+1 < len(words) && (words[i+1] == "is" || words[i+1] == "are") && !hasSelf(words) {
				return true
			}
		}
	}
	return false
}

// findApp finds a known app name in the text, ignoring case, spaces and
// punctuation, and returns it with the text minus that phrase. The longest
// match wins.
func findApp(text string, apps []string) (string, string) {
	if len(apps) == 0 {
		return "", text
	}
	words := strings.Fields(text)
	best, bestStart, bestEnd := "", -1, -1
	for _, a := range apps {
		key := squash(a)
		if key == "" {
			continue
		}
		for i := range words {
			acc := ""
			for j := i; j < len(words) && j < i+6; j++ {
				acc += squash(words[j])
				if acc == key || acc == key+"s" {
					if j-i+1 > bestEnd-bestStart || (j-i+1 == bestEnd-bestStart && len(a) > len(best)) {
						best, bestStart, bestEnd = a, i, j+1
					}
					break
				}
				if !strings.HasPrefix(key, acc) {
					break
				}
			}
		}
	}
	if best == "" {
		return "", text
	}
	rest := append(append([]string{}, words[:bestStart]...), words[bestEnd:]...)
	return best, strings.Join(rest, " ")
}

// squash lowercases and keeps only letters and digits (and drops a
// possessive 's), so "Service-Now's" is "servicenow".
func squash(s string) string {
	s = strings.ToLower(s)
	s = strings.TrimSuffix(s, "'s")
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// appPrepositions introduce an app name: "in Salesforce", "into Dropbox".
var appPrepositions = map[string]bool{"in": true, "into": true, "to": true, "from": true, "for": true, "on": true, "at": true, "with": true, "of": true}

// appStop ends an app phrase.
var appStop = map[string]bool{"account": true, "accounts": true, "access": true, "user": true, "login": true, "today": true,
	"yet": true, "now": true, "anymore": true, "please": true, "again": true, "app": true, "application": true, "status": true,
	"working": true, "ready": true, "set": true, "created": true, "provisioned": true, "missing": true, "broken": true, "is": true,
	"and": true, "but": true, "because": true, "since": true, "after": true, "when": true, "why": true, "still": true}

// notApps are words after a preposition that are not app names.
var notApps = map[string]bool{"me": true, "my": true, "the": true, "a": true, "an": true, "it": true, "him": true, "her": true,
	"them": true, "us": true, "you": true, "i": true, "get": true, "log": true, "sign": true, "see": true, "use": true, "do": true,
	"be": true, "happened": true, "work": true, "access": true, "account": true, "this": true, "that": true, "what": true, "which": true,
	"apps": true, "applications": true, "status": true, "provisioning": true, "go": true, "been": true, "there": true}

// appByPattern finds an app named without a known list: after a
// preposition ("in Salesforce"), before "account"/"access" ("my ServiceNow
// account"), or after "my". It returns the app and the rest of the text.
func appByPattern(text string) (string, string) {
	words := strings.Fields(text)
	clean := func(w string) string { return strings.Trim(w, ".,;:!?\"()") }
	take := func(i int) (string, int) {
		var parts []string
		j := i
		for ; j < len(words) && len(parts) < 4; j++ {
			w := clean(words[j])
			lw := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s"))
			if w == "" || appStop[lw] || appPrepositions[lw] || selfWords[lw] {
				break
			}
			if len(parts) == 0 && notApps[lw] {
				return "", i
			}
			parts = append(parts, strings.TrimSuffix(w, "'s"))
			if strings.HasSuffix(words[j], "?") || strings.HasSuffix(words[j], ",") || strings.HasSuffix(words[j], ".") && !strings.Contains(w, ".") {
				j++
				break
			}
		}
		return strings.Join(parts, " "), j
	}
	// "… in/into/from Salesforce": take the last such phrase.
	for i := len(words) - 2; i >= 0; i-- {
		if i > 0 && strings.EqualFold(clean(words[i-1]), "happened") {
			continue // "what happened to Megan Bowen" names a person
		}
		if appPrepositions[strings.ToLower(clean(words[i]))] {
			if app, end := take(i + 1); app != "" && !looksLikePerson(app) {
				return app, strings.Join(append(append([]string{}, words[:i]...), words[end:]...), " ")
			}
		}
	}
	// "my ServiceNow account", "Adele's Dropbox access".
	for i := 1; i < len(words); i++ {
		lw := strings.ToLower(clean(words[i]))
		if lw != "account" && lw != "access" && lw != "login" && lw != "accounts" {
			continue
		}
		start := i
		for start > 0 && start > i-3 {
			prev := strings.ToLower(clean(words[start-1]))
			if selfWords[prev] || strings.HasSuffix(prev, "'s") || notApps[prev] || appStop[prev] || appPrepositions[prev] || filler[prev] {
				break
			}
			start--
		}
		if cand := strings.Join(cleanAll(words[start:i]), " "); cand != "" {
			return cand, strings.Join(append(append([]string{}, words[:start]...), words[i+1:]...), " ")
		}
	}
	return "", text
}

func cleanAll(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if w = strings.Trim(w, ".,;:!?\"()"); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// looksLikePerson reports whether a phrase after a preposition is a user
// reference rather than an app ("what happened to adele@contoso.com").
func looksLikePerson(s string) bool {
	return upnRE.MatchString(s) || guidRE.MatchString(s)
}

// filler words carry no name.
var filler = map[string]bool{
	"why": true, "can't": true, "cant": true, "cannot": true, "can": true, "not": true, "isn't": true, "isnt": true, "is": true,
	"does": true, "doesn't": true, "doesnt": true, "did": true, "didn't": true, "didnt": true, "do": true, "don't": true, "dont": true,
	"what": true, "happened": true, "happens": true, "to": true, "with": true, "the": true, "a": true, "an": true, "check": true,
	"please": true, "account": true, "accounts": true, "access": true, "get": true, "into": true, "in": true, "from": true,
	"missing": true, "ready": true, "yet": true, "still": true, "status": true, "of": true, "for": true, "about": true,
	"has": true, "have": true, "hasn't": true, "haven't": true, "been": true, "created": true, "provisioned": true, "set": true,
	"up": true, "show": true, "tell": true, "me": true, "look": true, "lookup": true, "find": true, "user": true, "there": true,
	"was": true, "wasn't": true, "were": true, "where": true, "how": true, "come": true, "log": true, "sign": true, "on": true,
	"working": true, "work": true, "works": true, "broken": true, "login": true, "and": true, "or": true, "any": true, "it": true,
	"who": true, "whats": true, "what's": true, "why's": true, "hey": true, "hi": true, "bot": true, "provbot": true, "could": true,
	"would": true, "you": true, "diagnose": true, "investigate": true, "explain": true, "see": true, "going": true, "on?": true,
	"new": true, "hire": true, "employee": true, "colleague": true, "they": true, "their": true, "his": true, "her": true,
	"at": true, "all": true, "apps": true, "app": true, "logs": true, "entries": true, "health": true, "healthy": true,
	"doing": true, "are": true, "be": true, "able": true, "use": true, "open": true, "will": true, "when": true, "gets": true,
	"getting": true, "need": true, "needs": true, "help": true, "issue": true, "problem": true, "problems": true, "wrong": true,
	"quarantined": true, "paused": true, "stuck": true, "running": true, "progress": true, "that": true, "this": true, "so": true,
}

func withoutFiller(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if w = strings.Trim(w, ".?!,"); w != "" && !filler[w] && !selfWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// nameIn returns what is left of the text once filler words are gone,
// in the original casing: the name of the person asked about.
func nameIn(text string) string {
	var parts []string
	for _, w := range strings.Fields(text) {
		c := strings.Trim(w, ".,;:!?\"()")
		c = strings.TrimSuffix(strings.TrimSuffix(c, "'s"), "’s")
		lc := strings.ToLower(c)
		if c == "" || filler[lc] || selfWords[lc] {
			continue
		}
		parts = append(parts, c)
	}
	if len(parts) > 4 {
		return ""
	}
	return strings.Join(parts, " ")
}

// looksLikeName reports whether a phrase is plausibly a person's name on
// its own: it starts with a capital letter.
func looksLikeName(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}

// triggers are words that make the rest of a question a person reference.
var triggers = map[string]bool{"check": true, "about": true, "happened": true, "is": true, "why": true, "look": true,
	"lookup": true, "find": true, "has": true, "does": true, "did": true, "can't": true, "cant": true, "cannot": true,
	"doesn't": true, "didn't": true, "isn't": true, "investigate": true, "diagnose": true, "explain": true}

func hasTrigger(words []string) bool {
	for _, w := range words {
		if triggers[strings.Trim(w, ".?!,")] {
			return true
		}
	}
	return false
}

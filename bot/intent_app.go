package bot

import (
	"slices"
	"strings"
	"unicode"
)

// appMatch says how the words of a question named a known app, from the
// surest to the least sure.
type appMatch int

// The ways a question names an app.
const (
	// appUnnamed: the question names no app.
	appUnnamed appMatch = iota
	// appExact: the app's whole name, ignoring case, spaces, punctuation
	// and a possessive ("service now", "ServiceNow's").
	appExact
	// appAlias: a product people use the app's name for ("Jira" for
	// Atlassian Cloud, "SFDC" for Salesforce).
	appAlias
	// appWord: one or more whole words of the name ("GitHub" for GitHub
	// Enterprise, "travel" for Contoso Travel, "Fabrikam's tenant").
	appWord
	// appPrefix: the start of the name, four letters or more ("Sales" for
	// Salesforce, "Docu" for DocuSign).
	appPrefix
	// appSpelling: a misspelling close to the name or to a word of it
	// ("servicenwo" for ServiceNow).
	appSpelling
	// appUnknown: words in the place of an app name ("in Fabrikam
	// Expenses") that name no known app; the directory may know it.
	appUnknown
)

// appRef is how a question names an app.
type appRef struct {
	// Said is the words that named the app, as typed.
	Said string
	// Known are the known apps those words name (several when they fit
	// more than one equally well), in the order of the known list.
	Known []string
	// How says how Said matched Known.
	How appMatch
}

// one returns the app when the words name exactly one known app.
func (r appRef) one() (string, bool) {
	if len(r.Known) == 1 {
		return r.Known[0], true
	}
	return "", false
}

// appAliases are products people name instead of the enterprise app that
// carries them, folded. An alias counts only when its app is known.
var appAliases = map[string]string{
	"jira": "atlassian", "confluence": "atlassian", "bitbucket": "atlassian", "trello": "atlassian",
	"sfdc": "salesforce", "snow": "servicenow", "gh": "github",
}

// genericAppWords are words of app names that name no app on their own.
var genericAppWords = map[string]bool{
	"cloud": true, "business": true, "enterprise": true, "online": true, "sync": true, "cross": true, "tenant": true,
	"the": true, "for": true, "and": true, "of": true, "app": true, "apps": true, "portal": true, "service": true,
	"services": true, "suite": true, "platform": true, "edition": true, "prod": true, "production": true, "test": true,
	"sandbox": true, "dev": true, "saml": true, "scim": true, "sso": true, "provisioning": true, "connector": true,
	"inc": true, "ltd": true, "corp": true, "team": true, "teams": true, "workspace": true, "account": true, "accounts": true,
}

// token is one whitespace-separated word of a question.
type token struct {
	// raw is the word as typed; core is it without the punctuation around
	// it; fold is core lowercased, letters and digits only, without a
	// possessive 's.
	raw, core, fold string
}

// tokens splits normalized text into words.
func tokens(text string) []token {
	fields := strings.Fields(text)
	out := make([]token, 0, len(fields))
	for _, f := range fields {
		core := trimPunct(f)
		fold := squash(core)
		if l := strings.ToLower(core); strings.HasPrefix(l, "i'") || strings.HasPrefix(l, "i’") {
			fold = "i" // I'm, I'd, I'll, I've
		}
		out = append(out, token{raw: f, core: core, fold: fold})
	}
	return out
}

// edgePunct is the punctuation around words that is not part of them.
const edgePunct = ".,;:!?\"'()[]{}“”‘’«»…"

func trimPunct(s string) string { return strings.Trim(s, edgePunct) }

// squash lowercases and keeps only letters and digits (and drops a
// possessive 's), so "Service-Now's" is "servicenow".
func squash(s string) string {
	s = strings.ToLower(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "'s"), "’s")
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// nameWords splits an app name into folded words at spaces and
// punctuation (not at case changes: "ServiceNow" is one word).
func nameWords(name string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		out = append(out, w)
	}
	return out
}

// maxAppSpan is the most words an app mention spans.
const maxAppSpan = 6

// appSpan is one mention of known apps in a question.
type appSpan struct {
	start, end int // token indexes, end exclusive
	apps       []string
	how        appMatch
}

// findKnownApp finds the surest mention of a known app among the tokens
// (skipping those marked used) and returns it; how is appUnnamed when
// there is none. Exact names, aliases, words and prefixes are looked for
// everywhere first; a misspelling only when nothing surer was found.
func findKnownApp(ts []token, used []bool, apps []string) appSpan {
	if len(apps) == 0 {
		return appSpan{}
	}
	folded := make([]string, len(apps))
	for i, a := range apps {
		folded[i] = squash(a)
	}
	best := appSpan{}
	better := func(c appSpan) bool {
		switch {
		case best.how == appUnnamed:
			return true
		case c.how != best.how:
			return c.how < best.how
		}
		return c.end-c.start > best.end-best.start
	}
	for i := range ts {
		key := ""
		for j := i; j < len(ts) && j < i+maxAppSpan; j++ {
			if used[j] || ts[j].fold == "" {
				break
			}
			key += ts[j].fold
			if j > i && !anyContains(folded, key) {
				break
			}
			for _, how := range []appMatch{appExact, appAlias, appWord, appPrefix} {
				if j > i && how == appAlias {
					continue
				}
				if ms := matchKey(key, how, apps, folded, ts[i:j+1]); len(ms) > 0 {
					if c := (appSpan{start: i, end: j + 1, apps: ms, how: how}); better(c) {
						best = c
					}
					break
				}
			}
		}
	}
	if best.how != appUnnamed {
		return best
	}
	return findMisspelledApp(ts, used, apps, folded)
}

func anyContains(folded []string, key string) bool {
	for _, f := range folded {
		if strings.Contains(f, key) {
			return true
		}
	}
	return false
}

// matchKey returns the apps the folded words key name in the given way.
func matchKey(key string, how appMatch, apps, folded []string, span []token) []string {
	var out []string
	switch how {
	case appExact:
		for i, f := range folded {
			if key == f || key == f+"s" {
				out = append(out, apps[i])
			}
		}
	case appAlias:
		if canon, ok := appAliases[key]; ok {
			out = matchKey(canon, appWord, apps, folded, nil)
			if len(out) == 0 {
				out = matchKey(canon, appPrefix, apps, folded, nil)
			}
		}
	case appWord:
		if notAppWord(span) {
			return nil
		}
		for i, a := range apps {
			if hasWordRun(nameWords(a), key) {
				out = append(out, apps[i])
			}
		}
	case appPrefix:
		if len([]rune(key)) < 4 || notAppWord(span) {
			return nil
		}
		for i, f := range folded {
			if strings.HasPrefix(f, key) {
				out = append(out, apps[i])
			}
		}
	}
	return out
}

// notAppWord reports whether a span's words are words of the question
// (filler, the asker) rather than of an app name.
func notAppWord(span []token) bool {
	if len(span) == 0 {
		return false
	}
	for _, t := range span {
		if !filler[t.fold] && !selfWords[t.fold] && !genericAppWords[t.fold] {
			return false
		}
	}
	return true
}

// hasWordRun reports whether consecutive words of ws, not all generic,
// join to key.
func hasWordRun(ws []string, key string) bool {
	for a := range ws {
		joined, generic := "", true
		for b := a; b < len(ws); b++ {
			joined += ws[b]
			generic = generic && genericAppWords[ws[b]]
			if joined == key {
				return !generic
			}
			if len(joined) >= len(key) {
				break
			}
		}
	}
	return false
}

// findMisspelledApp finds a word (or two written as one name) within a
// few typos of a known app's name, or of a distinctive word of it. The
// apps at the smallest distance are returned.
func findMisspelledApp(ts []token, used []bool, apps, folded []string) appSpan {
	best := appSpan{}
	bestDist := -1
	consider := func(i, j int, key string) {
		if len([]rune(key)) < 4 || filler[key] || selfWords[key] {
			return
		}
		var ms []string
		d := -1
		for k, f := range folded {
			targets := []string{f}
			for _, w := range nameWords(apps[k]) {
				if len(w) >= 4 && !genericAppWords[w] {
					targets = append(targets, w)
				}
			}
			for _, tgt := range targets {
				dist := typos(key, tgt)
				if dist < 0 {
					continue
				}
				switch {
				case d < 0 || dist < d:
					d, ms = dist, []string{apps[k]}
				case dist == d && !slices.Contains(ms, apps[k]):
					ms = append(ms, apps[k])
				}
			}
		}
		if d >= 0 && (bestDist < 0 || d < bestDist) {
			best, bestDist = appSpan{start: i, end: j, apps: ms, how: appSpelling}, d
		}
	}
	for i := range ts {
		if used[i] || ts[i].fold == "" {
			continue
		}
		consider(i, i+1, ts[i].fold)
		if i+1 < len(ts) && !used[i+1] && ts[i+1].fold != "" && !filler[ts[i+1].fold] {
			consider(i, i+2, ts[i].fold+ts[i+1].fold)
		}
	}
	return best
}

// typos returns the spelling distance between a typed word and a name
// when it is small enough to be a misspelling of it (one typo in a short
// name, two in a longer one, three in a long one; the first letter right
// unless there is a single typo), else -1.
func typos(typed, name string) int {
	a, b := []rune(typed), []rune(name)
	if len(b) < 4 {
		return -1
	}
	allowed := 1
	switch {
	case len(b) > 10:
		allowed = 3
	case len(b) > 6:
		allowed = 2
	}
	if d := len(a) - len(b); d > allowed || -d > allowed {
		return -1
	}
	d := osaDistance(a, b)
	if d == 0 || d > allowed || d > 1 && a[0] != b[0] {
		return -1
	}
	return d
}

// osaDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of neighbours each cost one
// ("servicenwo" is one typo from "servicenow").
func osaDistance(a, b []rune) int {
	rows := make([][]int, len(a)+1)
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			rows[i][j] = min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				rows[i][j] = min(rows[i][j], rows[i-2][j-2]+1)
			}
		}
	}
	return rows[len(a)][len(b)]
}

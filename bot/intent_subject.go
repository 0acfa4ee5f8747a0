package bot

import (
	"slices"
	"strings"
	"unicode"
)

// parse is a question being read: its words, and which of them are
// already understood (an id, the app).
type parse struct {
	ts   []token
	used []bool
}

// takeIDs takes the user principal names, email addresses and object ids,
// once each, in order.
func (p *parse) takeIDs() []string {
	var ids []string
	seen := map[string]bool{}
	for i, t := range p.ts {
		id := strings.Trim(upnRE.FindString(t.raw), ".")
		if id == "" {
			id = guidRE.FindString(t.raw)
		}
		if id == "" {
			continue
		}
		p.used[i] = true
		if k := strings.ToLower(id); !seen[k] {
			seen[k] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// has reports whether a word not yet understood is in set.
func (p *parse) has(set map[string]bool) bool {
	for i, t := range p.ts {
		if !p.used[i] && set[t.fold] {
			return true
		}
	}
	return false
}

// isAppsQuestion reports "which apps", "list apps", "apps".
func (p *parse) isAppsQuestion() bool {
	if p.has(selfWords) || !p.has(wordSet("apps applications app")) {
		return false
	}
	return p.has(wordSet("which what list show all")) || len(p.ts) <= 2
}

// asksHowAppIsDoing reports "how is Slack doing" about a named app.
func (p *parse) asksHowAppIsDoing(app appRef) bool {
	return app.How != appUnnamed && !p.has(selfWords) && p.has(wordSet("how hows"))
}

// isBareCommand reports a command title on its own ("check", "why?").
func (p *parse) isBareCommand() bool {
	n := 0
	for i, t := range p.ts {
		switch {
		case p.used[i] || t.fold == "":
		case wordSet("check why look lookup diagnose find")[t.fold]:
			n++
		case !thanksFiller[t.fold] && t.fold != "please":
			return false
		}
	}
	return n > 0
}

// leftoverApp is the words not understood, as an app name ("Fabrikam
// Portal status").
func (p *parse) leftoverApp() appRef {
	var parts []string
	for i, t := range p.ts {
		if !p.used[i] && t.fold != "" && !filler[t.fold] && !selfWords[t.fold] && p.kindOf(i) == wordToken {
			parts = append(parts, withoutPossessive(t.core))
		}
	}
	if len(parts) == 0 {
		return appRef{}
	}
	return appRef{Said: strings.Join(parts, " "), How: appUnknown}
}

// tokenKind classifies a word not yet understood.
type tokenKind int

const (
	// wordToken is a word that could be part of a name.
	wordToken tokenKind = iota
	// ignoredToken is punctuation or an emoji on its own.
	ignoredToken
	// strayToken has characters no name has, or is punctuation where a
	// name should be ("check ??? in ServiceNow").
	strayToken
)

// nameSymbols are the characters a name may have besides letters, marks
// and digits.
const nameSymbols = "'’-._"

// kindOf classifies token i.
func (p *parse) kindOf(i int) tokenKind {
	t := p.ts[i]
	if t.fold == "" {
		raw := stripEmoji(t.raw)
		switch {
		case raw == "":
			return ignoredToken
		case strings.ContainsAny(raw, "#$%&*+/<=>@\\`|~[]{}^"):
			return strayToken
		case i > 0 && i < len(p.ts)-1 && triggers[p.ts[i-1].fold]:
			return strayToken
		}
		return ignoredToken
	}
	for _, r := range stripEmoji(t.core) {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) && !strings.ContainsRune(nameSymbols, r) {
			return strayToken
		}
	}
	return wordToken
}

// stripEmoji drops emoji, their modifiers and joiners.
func stripEmoji(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r) && r > 0x7f || unicode.Is(unicode.Cf, r) || r == 0xfe0f {
			return -1
		}
		return r
	}, s)
}

// subj is whom a question is about.
type subj struct {
	kind subjectKind
	who  string
	why  unclearReason
}

// subject reads whom the question is about from the words not yet
// understood: a group ("the Sales group"), the asker ("I", "my"), or a
// person's name (up to four words, after a word such as "check" or
// "why can't", or capitalized). A question that names no one but an app
// is about the asker. Anything else that stands where a name goes is
// unclear: too many words, characters no name has, more than one person,
// the asker and someone else.
func (p *parse) subject(app appRef) subj {
	self := p.has(selfWords)
	var names, stray []int
	for i, t := range p.ts {
		if p.used[i] {
			continue
		}
		switch p.kindOf(i) {
		case strayToken:
			stray = append(stray, i)
		case wordToken:
			if !filler[t.fold] && !selfWords[t.fold] && !isVerbForm(t) && !personWords[t.fold] && !personPluralWords[t.fold] {
				names = append(names, i)
			}
		}
	}
	if g := p.group(names); g != "" {
		return subj{kind: subjectGroup, who: g}
	}
	names = p.without(names, groupMarkers)
	switch {
	case len(stray) > 0 && !(self && len(names) == 0):
		all := append(slices.Clone(stray), names...)
		slices.Sort(all)
		return subj{kind: subjectUnclear, who: p.text(all), why: unclearPunctuation}
	case self:
		if caps := p.capitalized(names); len(caps) > 0 {
			return subj{kind: subjectUnclear, who: p.text(caps), why: unclearSelfAndName}
		}
		if someone := p.someoneOfMine(); len(someone) > 0 {
			return subj{kind: subjectUnclear, who: p.text(someone), why: unclearUnnamed}
		}
		return subj{kind: subjectSelf}
	case len(names) == 0:
		if someone := p.someone(); len(someone) > 0 {
			return subj{kind: subjectUnclear, who: p.text(someone), why: unclearUnnamed}
		}
		if app.How != appUnnamed {
			return subj{kind: subjectSelf}
		}
		return subj{}
	case p.joinsSeveral(names):
		return subj{kind: subjectUnclear, who: p.text(names), why: unclearSeveral}
	case len(names) > maxNameWords:
		return subj{kind: subjectUnclear, who: p.text(names), why: unclearTooLong}
	case isCapitalized(p.ts[names[0]].core) || names[0] > 0 && triggers[p.ts[names[0]-1].fold]:
		return subj{kind: subjectName, who: p.text(names)}
	case app.How != appUnnamed:
		return subj{kind: subjectUnclear, who: p.text(names), why: unclearNotAName}
	}
	return subj{}
}

// someone returns the words that refer to people without naming them
// ("the new intern", "she").
func (p *parse) someone() []int {
	var out []int
	for i, t := range p.ts {
		if !p.used[i] && (personWords[t.fold] || personPluralWords[t.fold]) {
			out = append(out, i)
		}
	}
	return out
}

// someoneOfMine returns a word for one person right after "my" or "our"
// ("my colleague can't get in"): someone else, though the asker wrote
// about themselves. "My colleagues have it, I don't" is about the asker.
func (p *parse) someoneOfMine() []int {
	for i, t := range p.ts {
		if i > 0 && !p.used[i] && personWords[t.fold] && (p.ts[i-1].fold == "my" || p.ts[i-1].fold == "our") {
			return []int{i}
		}
	}
	return nil
}

// group finds a group's name: up to four words right before "group" or
// "team", or right after "group". names are the candidate words. A
// capitalized "Team" right before "group" is part of the name ("the
// Facilities Team group" is Facilities Team).
func (p *parse) group(names []int) string {
	isName := map[int]bool{}
	for _, i := range names {
		isName[i] = true
	}
	for m, t := range p.ts {
		if p.used[m] || !groupMarkers[t.fold] || p.namesGroup(m+1) {
			continue
		}
		var run []int
		i := m - 1
		if p.namesGroup(m) {
			run, i = []int{i}, i-1
		}
		for ; i >= 0 && isName[i] && !groupMarkers[p.ts[i].fold] && len(run) < maxNameWords; i-- {
			run = append([]int{i}, run...)
		}
		if len(run) == 0 && t.fold == "group" {
			for i := m + 1; i < len(p.ts) && isName[i] && len(run) < maxNameWords; i++ {
				run = append(run, i)
			}
		}
		if len(run) > 0 {
			return p.text(run)
		}
	}
	return ""
}

// namesGroup reports a "group" at m whose name ends with a capitalized
// marker word right before it ("Facilities Team group").
func (p *parse) namesGroup(m int) bool {
	if m < 1 || m >= len(p.ts) || p.used[m] || p.used[m-1] || p.ts[m].fold != "group" {
		return false
	}
	before := p.ts[m-1]
	return groupMarkers[before.fold] && before.fold != "group" && isCapitalized(before.core)
}

// without drops the indexes whose words are in set.
func (p *parse) without(is []int, set map[string]bool) []int {
	var out []int
	for _, i := range is {
		if !set[p.ts[i].fold] {
			out = append(out, i)
		}
	}
	return out
}

// capitalized keeps the words that start with a capital letter and are
// not the first word of a sentence, an acronym ("OK", "IT") or the name
// of a part of the organisation ("Marketing department").
func (p *parse) capitalized(is []int) []int {
	var out []int
	for _, i := range is {
		c := p.ts[i].core
		if !isCapitalized(c) || c == strings.ToUpper(c) || i == 0 || endsSentence(p.ts[i-1].raw) ||
			i+1 < len(p.ts) && orgUnitWords[p.ts[i+1].fold] {
			continue
		}
		out = append(out, i)
	}
	return out
}

// joinsSeveral reports names joined by "and", "or", "&" or a comma:
// more than one person.
func (p *parse) joinsSeveral(is []int) bool {
	for k := 0; k+1 < len(is); k++ {
		if strings.HasSuffix(p.ts[is[k]].raw, ",") {
			return true
		}
		for i := is[k] + 1; i < is[k+1]; i++ {
			if f := p.ts[i].fold; f == "and" || f == "or" || strings.Trim(p.ts[i].raw, " ") == "&" {
				return true
			}
		}
	}
	return false
}

// text joins words as typed, without punctuation around them or a
// possessive.
func (p *parse) text(is []int) string {
	parts := make([]string, 0, len(is))
	for _, i := range is {
		w := withoutPossessive(p.ts[i].core)
		if w == "" {
			w = p.ts[i].raw
		}
		parts = append(parts, w)
	}
	return strings.Join(parts, " ")
}

// isVerbForm reports a lower-case word ending in "ing" ("asking",
// "logging"): a verb, not a name.
func isVerbForm(t token) bool {
	return !isCapitalized(t.core) && len(t.fold) >= 5 && strings.HasSuffix(t.fold, "ing")
}

// isCapitalized reports whether s starts with an upper-case letter.
func isCapitalized(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}

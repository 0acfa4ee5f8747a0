package bot

import "strings"

// takeApp takes the words that name an app: a known app (see
// findKnownApp), else words standing where an app name goes ("in
// Fabrikam Expenses", "my Adobe account").
func (p *parse) takeApp(apps []string) appRef {
	if s := findKnownApp(p.ts, p.used, apps); s.how != appUnnamed {
		if end := p.nameGoesOn(s); end > s.end {
			// "Fabrikam Expenses" is not Fabrikam (cross-tenant sync):
			// the directory may know it.
			return appRef{Said: p.take(s.start, end), How: appUnknown}
		}
		return appRef{Said: p.take(s.start, s.end), Known: s.apps, How: s.how}
	}
	if start, end := p.appByPattern(); end > start {
		return appRef{Said: p.take(start, end), How: appUnknown}
	}
	return appRef{}
}

// nameGoesOn returns where an app name that matched only in part (a
// word, a prefix, an alias, a misspelling) really ends: capitalized words
// right after it carry the name on ("Fabrikam Expenses").
func (p *parse) nameGoesOn(s appSpan) int {
	end := s.end
	if s.how == appExact {
		return end
	}
	for end < len(p.ts) && end < s.start+maxNameWords && !endsSentence(p.ts[end-1].raw) && !p.used[end] &&
		p.kindOf(end) == wordToken && isCapitalized(p.ts[end].core) {
		if f := p.ts[end].fold; filler[f] || selfWords[f] || appPrepositions[f] || appNouns[f] {
			break
		}
		end++
	}
	return end
}

// take marks tokens [start, end) used and returns them as typed, without
// the punctuation around them or a possessive.
func (p *parse) take(start, end int) string {
	parts := make([]string, 0, end-start)
	for i := start; i < end; i++ {
		p.used[i] = true
		parts = append(parts, withoutPossessive(p.ts[i].core))
	}
	return strings.Join(parts, " ")
}

func withoutPossessive(s string) string {
	return strings.TrimSuffix(strings.TrimSuffix(s, "'s"), "’s")
}

// appPrepositions introduce an app name: "in Salesforce", "into Dropbox".
var appPrepositions = wordSet("in into to from for on at with of")

// appVerbs are followed by an app name: "why don't I have Adobe?".
var appVerbs = wordSet("have has get got use using need open lost given want access")

// appArticles may stand between a preposition and an app name.
var appArticles = wordSet("the a an our my")

// appNouns follow an app name: "my Adobe account".
var appNouns = wordSet("account accounts access login logins profile license licence seat")

// appByPattern finds words standing where an app name goes, among the
// words not yet understood: after a preposition (the last such phrase,
// up to four words), or up to three words before "account" or "access".
func (p *parse) appByPattern() (start, end int) {
	phrase := func(i int) (int, int) {
		for i < len(p.ts) && !p.used[i] && appArticles[p.ts[i].fold] {
			i++
		}
		j := i
		for ; j < len(p.ts) && j < i+4; j++ {
			t := p.ts[j]
			if p.used[j] || t.fold == "" || filler[t.fold] || selfWords[t.fold] || appPrepositions[t.fold] || p.kindOf(j) != wordToken {
				break
			}
			if endsSentence(t.raw) {
				j++
				break
			}
		}
		return i, j
	}
	for i := len(p.ts) - 2; i >= 0; i-- {
		if p.used[i] || !appPrepositions[p.ts[i].fold] && !appVerbs[p.ts[i].fold] || i > 0 && p.ts[i-1].fold == "happened" {
			continue
		}
		if s, e := phrase(i + 1); e > s {
			return s, e
		}
	}
	for i := 1; i < len(p.ts); i++ {
		if p.used[i] || !appNouns[p.ts[i].fold] {
			continue
		}
		s := i
		for s > 0 && s > i-3 {
			prev := p.ts[s-1]
			if p.used[s-1] || prev.fold == "" || filler[prev.fold] || selfWords[prev.fold] || appPrepositions[prev.fold] ||
				withoutPossessive(prev.core) != prev.core || p.kindOf(s-1) != wordToken || endsSentence(prev.raw) {
				break
			}
			s--
		}
		if s < i {
			return s, i
		}
	}
	return 0, 0
}

// endsSentence reports a word followed by sentence punctuation.
func endsSentence(raw string) bool {
	return strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "!") || strings.HasSuffix(raw, ",") ||
		strings.HasSuffix(raw, ";") || strings.HasSuffix(raw, ":") || strings.HasSuffix(raw, ".") && !strings.Contains(strings.TrimSuffix(raw, "."), ".")
}

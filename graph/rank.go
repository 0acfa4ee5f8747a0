package graph

import (
	"slices"
	"strings"
	"unicode"
)

// maxSuggestions is how many candidates FindApps returns without an
// exact match: what a "did you mean" can list.
const maxSuggestions = 5

// minScore is the least similarity a suggestion needs.
const minScore = 0.35

// rankApps orders apps by how well their names match query. Names are
// compared folded: lower case, letters and digits only, so "service now",
// "Service-Now" and "ServiceNow" are one name. Exact folded matches come
// alone; otherwise up to maxSuggestions apps scoring at least minScore,
// best first, ties by name.
func rankApps(query string, apps []appInfo) []appInfo {
	q := fold(query)
	if q == "" {
		return nil
	}
	var exact []appInfo
	type scored struct {
		app   appInfo
		score float64
	}
	var cands []scored
	for _, a := range apps {
		n := fold(a.name)
		if n == q {
			exact = append(exact, a)
			continue
		}
		if s := similarity(q, n, words(a.name)); s >= minScore {
			cands = append(cands, scored{a, s})
		}
	}
	if len(exact) > 0 {
		return exact
	}
	slices.SortStableFunc(cands, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return strings.Compare(strings.ToLower(a.app.name), strings.ToLower(b.app.name))
	})
	out := make([]appInfo, 0, min(len(cands), maxSuggestions))
	for i := 0; i < len(cands) && i < maxSuggestions; i++ {
		out = append(out, cands[i].app)
	}
	return out
}

// similarity scores how well the folded query q matches the folded name
// n (whose words, folded, are ws), from 0 to 1:
//
//	0.9–1.0  n starts with q ("service" → "ServiceNow")
//	0.85     a word of the name starts with q ("now" → "ServiceNow")
//	0.75     n contains q
//	0.7      q contains n ("salesforce sandbox" → "Salesforce")
//	≤0.6     spelling distance ("sevicenow" → "ServiceNow")
func similarity(q, n string, ws []string) float64 {
	switch {
	case strings.HasPrefix(n, q):
		return 0.9 + 0.1*float64(len(q))/float64(len(n))
	case wordPrefix(q, ws):
		return 0.85
	case strings.Contains(n, q):
		return 0.75
	case len(n) >= 3 && strings.Contains(q, n):
		return 0.7
	}
	whole := ratio(q, n)
	prefix := 0.0
	if r := []rune(n); len(r) > len([]rune(q)) {
		prefix = 0.95 * ratio(q, string(r[:len([]rune(q))]))
	}
	return 0.6 * max(whole, prefix)
}

// wordPrefix reports whether q starts at a word boundary of the name: a
// word, or a run of words, starting with q.
func wordPrefix(q string, ws []string) bool {
	for i := range ws {
		if strings.HasPrefix(strings.Join(ws[i:], ""), q) {
			return true
		}
	}
	return false
}

// ratio is 1 minus the edit distance over the longer length.
func ratio(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	longest := max(len(ra), len(rb))
	if longest == 0 {
		return 1
	}
	return 1 - float64(levenshtein(ra, rb))/float64(longest)
}

// levenshtein is the edit distance between a and b.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// fold lowercases s and keeps letters and digits.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// words splits a name into folded words at spaces, punctuation and
// lower-to-upper case changes ("ServiceNow Prod" → service, now, prod).
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, fold(string(cur)))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return out
}

package diagnose_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/provbot/provbot/diagnose"
)

// maxGrade is the highest Flesch–Kincaid grade level end-user text may have.
const maxGrade = 9

// gradeLevel computes the Flesch–Kincaid grade level of a text:
// 0.39 × words/sentences + 11.8 × syllables/words − 15.59.
func gradeLevel(s string) float64 {
	words, sentences, syllables := textStats(s)
	if words == 0 {
		return 0
	}
	if sentences == 0 {
		sentences = 1
	}
	return 0.39*float64(words)/float64(sentences) + 11.8*float64(syllables)/float64(words) - 15.59
}

var wordRE = regexp.MustCompile(`[A-Za-z][A-Za-z'’-]*|[0-9][0-9:.,%]*`)

// textStats counts words, sentences and syllables.
func textStats(s string) (words, sentences, syllables int) {
	for _, w := range wordRE.FindAllString(s, -1) {
		words++
		if unicode.IsDigit(rune(w[0])) {
			syllables++ // a number or clock time reads as about one word
			continue
		}
		for _, part := range strings.Split(w, "-") {
			if part != "" {
				syllables += countSyllables(part)
			}
		}
	}
	sentences = countSentences(s)
	return words, sentences, syllables
}

// countSentences counts sentence ends: '.', '!' or '?' followed by a space
// or the end, not inside a number (14.5) or an abbreviation like "e.g.".
func countSentences(s string) int {
	n := 0
	rs := []rune(s)
	for i, r := range rs {
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		if i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) && rs[i+1] != '"' && rs[i+1] != '”' && rs[i+1] != ')' {
			continue
		}
		n++
	}
	if n == 0 && strings.TrimSpace(s) != "" {
		n = 1
	}
	return n
}

// countSyllables estimates a word's syllables: vowel groups, less a silent
// final e, at least one.
func countSyllables(word string) int {
	w := strings.ToLower(strings.Trim(word, "'’"))
	w = strings.TrimSuffix(w, "'s")
	w = strings.TrimSuffix(w, "’s")
	if w == "" {
		return 0
	}
	if len(w) <= 3 {
		return 1
	}
	isVowel := func(b byte) bool { return strings.IndexByte("aeiouy", b) >= 0 }
	n := 0
	prev := false
	for i := 0; i < len(w); i++ {
		v := isVowel(w[i])
		if v && !prev {
			n++
		}
		prev = v
	}
	if strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "le") && n > 1 {
		n--
	}
	if strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "ted") && !strings.HasSuffix(w, "ded") && n > 1 {
		n--
	}
	if strings.HasSuffix(w, "es") && !strings.HasSuffix(w, "ses") && !strings.HasSuffix(w, "ces") && !strings.HasSuffix(w, "ges") && n > 1 {
		n--
	}
	return max(n, 1)
}

// jargon is what end-user text must not say. Error codes are caught by
// jargonIn's CamelCase check.
var jargon = []string{"escrow", "scoping filter", "service principal", "matching attribute", "quarantine",
	"provisioning job", "SCIM", "cycle id", "change id", "odata", "graph api"}

var camelCodeRE = regexp.MustCompile(`\b[A-Z][a-z]+(?:[A-Z][a-z0-9]+){2,}\b`)

// jargonIn returns the first jargon term or error code in s, or "".
func jargonIn(s string) string {
	ls := strings.ToLower(s)
	for _, j := range jargon {
		if strings.Contains(ls, strings.ToLower(j)) {
			return j
		}
	}
	if m := camelCodeRE.FindString(s); m != "" {
		return m
	}
	return ""
}

func TestGradeLevelMatchesKnownTexts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		text     string
		min, max float64
	}{
		{"a children's sentence is below grade 3", "The cat sat on the mat. It was a good cat.", -4, 3},
		{"plain advice is below grade 9", "Your account was made at 14:02. It is ready to use.", -4, 9},
		{"dense jargon is far above grade 12", "Provisioning synchronization quarantined the organization's administrative configuration infrastructure unexpectedly.", 16, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if g := gradeLevel(tc.text); g < tc.min || g > tc.max {
				t.Errorf("grade %.1f, want between %.0f and %.0f", g, tc.min, tc.max)
			}
		})
	}
}

func TestSyllableCounts(t *testing.T) {
	for word, want := range map[string]int{"cat": 1, "table": 2, "account": 2, "provisioning": 4, "made": 1, "directory": 4, "ready": 2, "the": 1} {
		if got := countSyllables(word); got != want {
			t.Errorf("countSyllables(%q) = %d, want %d", word, got, want)
		}
	}
}

// technicalVars are placeholders with technical evidence, which end-user
// text never shows.
var technicalVars = map[string]bool{"{code}": true, "{reason}": true, "{change}": true, "{cycle}": true, "{job}": true,
	"{target}": true, "{step}": true, "{qcode}": true, "{qmessage}": true, "{qrawreason}": true, "{runerror}": true,
	"{errsummary}": true, "{http}": true, "{httpnote}": true, "{skipreason}": true, "{filter}": true, "{qerror}": true,
	"{jobstatus}": true, "{schedstate}": true, "{priorcode}": true}

// TestEveryEndUserTextIsPlain checks every rule's and note's end-user
// sentences, filled with realistic values, independently of the cases
// that reach them.
func TestEveryEndUserTextIsPlain(t *testing.T) {
	fill := strings.NewReplacer(
		"{user}", "Adele Vance", "{app}", "Salesforce", "{time}", "14:02 UTC", "{ago}", "3 hours ago",
		"{since}", "13:45 UTC", "{sinceago}", "15 minutes ago", "{next}", "The next cycle should pick this up at about 14:40 UTC (in 40 minutes).",
		"{group}", "Sales Team", "{viagroup}", "EMEA Sales", "{failures}", "3", "{firstfail}", "Mon 23 Nov 09:12 UTC",
		"{resolved}", "11:20 UTC", "{inlogs}", "in the last 30 days", "{deleted}", "Mon 23 Nov 09:12 UTC", "{retention}", "30 days", "{role}", "User",
		"{interval}", "40 minutes", "{lastok}", "11:20 UTC",
	)
	for _, r := range diagnose.Catalog() {
		texts := []string{r.EndUser}
		for _, rec := range r.UserDo {
			texts = append(texts, rec.Text)
		}
		for _, s := range texts {
			for _, m := range placeholderRE.FindAllString(s, -1) {
				if technicalVars[m] {
					t.Errorf("rule %s end-user text uses the technical value %s: %q", r.ID, m, s)
				}
			}
			filled := placeholderRE.ReplaceAllString(fill.Replace(s), "Sales Team")
			if g := gradeLevel(filled); g > maxGrade {
				t.Errorf("rule %s end-user text reads at grade %.1f: %q", r.ID, g, filled)
			}
			if w := jargonIn(filled); w != "" {
				t.Errorf("rule %s end-user text uses %q: %q", r.ID, w, filled)
			}
		}
		if r.EndUser == "" || r.HelpDesk == "" || r.Headline == "" || len(r.UserDo) == 0 || len(r.Do) == 0 || r.Article.URL == "" {
			t.Errorf("rule %s lacks a headline, an explanation, recommendations or an article", r.ID)
		}
	}
	for _, n := range diagnose.Notes() {
		if n.EndUser == "" {
			continue
		}
		filled := fill.Replace(n.EndUser)
		if g := gradeLevel(filled); g > maxGrade {
			t.Errorf("note %s end-user text reads at grade %.1f: %q", n.ID, g, filled)
		}
		if w := jargonIn(filled); w != "" {
			t.Errorf("note %s end-user text uses %q: %q", n.ID, w, filled)
		}
	}
}

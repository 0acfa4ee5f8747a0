package diagnose_test

import (
	"os"
	"strings"
	"testing"

	"github.com/provbot/provbot/diagnose"
)

// TestRulesDocumentCoversTheCatalog keeps RULES.md true: every rule and
// note has a row, and every rule's article is linked.
func TestRulesDocumentCoversTheCatalog(t *testing.T) {
	data, err := os.ReadFile("RULES.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, r := range diagnose.Catalog() {
		if !strings.Contains(doc, "\n| "+r.ID+" | `"+string(r.Category)+"` |") {
			t.Errorf("RULES.md has no row for rule %s (%s)", r.ID, r.Category)
		}
		if !strings.Contains(doc, "("+r.Article.URL+")") {
			t.Errorf("RULES.md does not link rule %s's article %s", r.ID, r.Article.URL)
		}
	}
	for _, n := range diagnose.Notes() {
		if !strings.Contains(doc, "\n| "+n.ID+" |") {
			t.Errorf("RULES.md has no row for note %s", n.ID)
		}
	}
}

// TestNextCyclePromisesSayWhatTheyDependOn: every template sentence that
// promises a next cycle carries {ifruns}, which says what the promise
// depends on when the job could not be read or does not run now (one
// mechanism for every rule, vars.go).
func TestNextCyclePromisesSayWhatTheyDependOn(t *testing.T) {
	check := func(id, s string) {
		for _, sent := range strings.SplitAfter(s, ". ") {
			l := strings.ToLower(sent)
			if (strings.Contains(l, "next cycle") || strings.Contains(l, "next incremental cycle")) && !strings.Contains(sent, "{ifruns}") {
				t.Errorf("%s: %q promises a next cycle without {ifruns}", id, sent)
			}
		}
	}
	for _, r := range diagnose.Catalog() {
		for _, s := range []string{r.Headline, r.EndUser, r.HelpDesk} {
			check(r.ID, s)
		}
		for _, rec := range append(append([]diagnose.Recommendation{}, r.UserDo...), r.Do...) {
			check(r.ID, rec.Text)
		}
	}
	for _, n := range diagnose.Notes() {
		check(n.ID, n.EndUser)
		check(n.ID, n.HelpDesk)
	}
}

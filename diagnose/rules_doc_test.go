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

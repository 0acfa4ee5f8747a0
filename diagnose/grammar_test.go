package diagnose_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

func TestCountPluralises(t *testing.T) {
	for _, tc := range []struct {
		n    int
		noun string
		want string
	}{
		{1, "entry", "1 entry"}, {0, "entry", "0 entries"}, {2, "entry", "2 entries"},
		{3, "failed attempt", "3 failed attempts"}, {1, "failed attempt", "1 failed attempt"},
		{4, "complete failure", "4 complete failures"}, {2, "class", "2 classes"}, {5, "day", "5 days"},
		{2, "person", "2 people"}, {2, "UPN", "2 UPNs"}, {12, "object", "12 objects"}, {1, "time", "1 time"},
	} {
		if got := diagnose.Count(tc.n, tc.noun); got != tc.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tc.n, tc.noun, got, tc.want)
		}
	}
}

func TestAOrAnFollowsTheSound(t *testing.T) {
	for word, want := range map[string]string{
		"Adobe Creative Cloud": "an", "account": "an", "hour": "an", "SMS code": "an", "HTTP error": "an",
		"user": "a", "UPN": "a", "SCIM endpoint": "a", "one-time code": "a", "ServiceNow": "a", "Box": "a",
		"Okta": "an", "unique value": "a", "8-hour wait": "an", "Entra": "an", "Zoom": "a", "“Engineering”": "an",
	} {
		if got := diagnose.AOrAn(word); got != want {
			t.Errorf("AOrAn(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestAgreeConjugatesForTheSubject(t *testing.T) {
	for _, tc := range []struct{ subject, verb, want string }{
		{"You", "get", "get"}, {"Adele Vance", "get", "gets"}, {"This person", "have", "has"}, {"you", "have", "have"},
		{"Adele", "do", "does"}, {"They", "be", "are"}, {"Adele", "be", "is"}, {"Adele", "try", "tries"}, {"Adele", "watch", "watches"},
	} {
		if got := diagnose.Agree(tc.subject, tc.verb); got != tc.want {
			t.Errorf("Agree(%q, %q) = %q, want %q", tc.subject, tc.verb, got, tc.want)
		}
	}
}

// TestSentencesAreGrammatical diagnoses apps whose names start with a
// vowel and users with one failure or several, and checks the sentences
// for the mistakes tickets used to show.
func TestSentencesAreGrammatical(t *testing.T) {
	bad := []string{"a Adobe", "a Okta", "a Entra", "1 entries", "1 times", "1 objects", "1 failed attempts", "attempt(s)", "You gets", "You has",
		"the other for", "the create for", "the update for", "the disable for", "the delete for",
		// Typography a ticket shows: outside the service's own quoted words.
		"  ", " :", " .", " ,", "..", "(unknown)", "()", "( "}
	for _, name := range []string{"Adobe Creative Cloud", "Okta", "ServiceNow"} {
		for _, en := range matrixEntries() {
			for _, jb := range matrixJobs() {
				for _, aud := range []diagnose.Audience{diagnose.HelpDesk, diagnose.EndUser} {
					app := salesforce(nil, nil)
					app.Name = name
					jb.apply(&app)
					entries := en.apply()
					for i := range entries {
						entries[i].ServicePrincipal.Name = name
						entries[i].TargetSystem.DisplayName = name
					}
					in := diagnose.Input{User: adele(), Entries: entries, Apps: []diagnose.App{app}, Audience: aud}
					for _, d := range diagnose.Diagnose(in, now) {
						texts := append([]string{d.Headline, d.Explanation}, noteTexts(d)...)
						if d.Estimate != nil {
							texts = append(texts, d.Estimate.Text)
						}
						for _, r := range d.Recommendations {
							texts = append(texts, r.Text)
						}
						for _, s := range texts {
							if strings.Contains(s, ".”.") {
								t.Errorf("%s × %s × %s (%s): a full stop after a quote that ends one: %q", name, jb.name, en.name, aud, s)
							}
							s = unquoted(s)
							for _, b := range bad {
								if strings.Contains(strings.ToLower(s), strings.ToLower(b)) {
									t.Errorf("%s × %s × %s (%s): %q in %q", name, jb.name, en.name, aud, b, s)
								}
							}
						}
					}
				}
			}
		}
	}
}

// unquoted blanks what stands in curly quotes: the service's and the
// app's words, verbatim, keep their own typography.
func unquoted(s string) string {
	return quotedRE.ReplaceAllString(s, "“…”")
}

var quotedRE = regexp.MustCompile(`“[^”]*”`)

// TestTextUsesValuesTheEntryHolds: when the reason does not name a value,
// the sentence takes it from the entry (modified properties, step
// details) instead of explaining that it is unknown.
func TestTextUsesValuesTheEntryHolds(t *testing.T) {
	healthy := job()
	runRuleCases(t, []ruleCase{
		{
			name: "an attribute the app does not have, named only in modifiedProperties",
			in: appWith(&healthy, nil, entry(time.Hour, failed("SalesforceSchemaAttributeNotFound", "The attribute could not be found in the target schema."),
				func(e *diagnose.Entry) {
					e.Modified = []diagnose.ModifiedProperty{{Name: "costCenter", NewValue: "CC-1200"}}
				})),
			wantRule: "E11", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"writes to costCenter"},
		},
	})
}

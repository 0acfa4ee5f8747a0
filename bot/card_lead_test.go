package bot

import (
	"regexp"
	"strings"
	"testing"

	"github.com/provbot/provbot/diagnose"
)

func TestFirstSentence(t *testing.T) {
	for _, tc := range []struct{ in, first, rest string }{
		{"Your account is set up. The last change was at 02:56 UTC.", "Your account is set up.", "The last change was at 02:56 UTC."},
		{"You were given access at 05:43 UTC. Yours is next.", "You were given access at 05:43 UTC.", "Yours is next."},
		{"It failed (e.g. twice). Then it worked.", "It failed (e.g. twice).", "Then it worked."},
		{"Is it ready? Yes.", "Is it ready?", "Yes."},
		{"One sentence only.", "One sentence only.", ""},
		{"  ", "", ""},
	} {
		first, rest := firstSentence(tc.in)
		if first != tc.first || rest != tc.rest {
			t.Errorf("firstSentence(%q) = %q, %q; want %q, %q", tc.in, first, rest, tc.first, tc.rest)
		}
	}
}

// Every verdict can be said to the person it is about, in plain words.
func TestEveryCategoryHasALeadForTheEndUser(t *testing.T) {
	code := regexp.MustCompile(`[A-Z][a-z]+[A-Z]|\b[1-5][0-9][0-9]\b|quarantin|provisioning|cycle`)
	for _, cat := range diagnose.Categories() {
		lead, ok := leads[cat]
		if !ok {
			t.Errorf("no lead for %s", cat)
			continue
		}
		said := verdictForYou(diagnose.Diagnosis{Category: cat, App: diagnose.AppRef{Name: "Zoom"}})
		if !secondPerson(said) || !strings.Contains(said, "Zoom") || strings.Contains(said, "{app}") {
			t.Errorf("%s: %q does not speak to the person about the app", cat, said)
		}
		if m := code.FindString(lead); m != "" {
			t.Errorf("%s: %q says %q", cat, lead, m)
		}
	}
}

// An explanation that starts by speaking to the person leads the card;
// one that does not is led by the verdict said to them, and kept whole.
func TestEndUserLead(t *testing.T) {
	d := diagnose.Diagnosis{Category: diagnose.NotAssigned, App: diagnose.AppRef{Name: "ServiceNow"},
		Explanation: "ServiceNow only makes accounts for people who were given access to it. When it checked, you did not have access."}
	lead, rest := endUserLead(d)
	if lead != "You don't have access to ServiceNow yet." || rest != d.Explanation {
		t.Errorf("lead %q, rest %q", lead, rest)
	}
	d.Explanation = "Your ServiceNow account is set up. The last change was sent at 02:56 UTC."
	if lead, rest := endUserLead(d); lead != "Your ServiceNow account is set up." || rest != "The last change was sent at 02:56 UTC." {
		t.Errorf("lead %q, rest %q", lead, rest)
	}
}

// Every field the engine gives as evidence gets a label in words: no JSON
// path, no camelCase.
func TestEvidenceLabelsAreWords(t *testing.T) {
	fields := []string{
		"provisioningStatusInfo.status", "provisioningAction", "errorInformation.errorCode", "errorInformation.errorCategory",
		"errorInformation.reason", "errorInformation.additionalDetails", "user.accountEnabled", "user.deletedDateTime",
		"assignment", "scope", "job.id", "status.code", "schedule.state", "quarantine.reason", "quarantine.error.code",
		"quarantine.error.tenantActionable", "quarantine.seriesBegan", "quarantine.nextAttempt", "lastExecution.state",
		"lastExecution.error.code", "steadyStateFirstAchievedTime", "escrowsPruned", "countSuccessiveCompleteFailures",
		"modifiedProperties.department", "earlier provisioningAction", "earlier errorInformation.errorCode",
		"reference step EntryReferenceResolution", "provisioningSteps[3] EntryExportAdd (Export)", "targetIdentity.id",
		"someNewField.withCamelCase",
	}
	path := regexp.MustCompile(`[a-z]\.[a-z]|\[|[a-z][A-Z][a-z]+[A-Z]|^[a-z]`)
	for _, f := range fields {
		l := evidenceLabel(f)
		if l == "" || len(l) > 40 {
			t.Errorf("%s: label %q", f, l)
		}
		// A step's or a property's own name may follow the words.
		words, _, _ := strings.Cut(l, " Entry")
		if strings.HasPrefix(l, "Changed ") {
			words = "Changed"
		}
		if path.MatchString(words) {
			t.Errorf("%s: label %q reads like a path", f, l)
		}
	}
	if got := evidenceLabel("errorInformation.errorCode"); got != "Error code" {
		t.Errorf("error code label %q", got)
	}
	if got := evidenceLabel("someNewField.withCamelCase"); got != "With camel case" {
		t.Errorf("fallback label %q", got)
	}
}

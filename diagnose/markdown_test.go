package diagnose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

func ticketDiagnosis(aud diagnose.Audience) diagnose.Diagnosis {
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	return diagnose.Diagnosis{
		User: diagnose.UserRef{DisplayName: "Adele [Vance](https://evil.example)"}, App: diagnose.AppRef{Name: "Service*Now*"},
		Audience: aud, RuleID: "M02", Category: diagnose.MatchingConflict, Severity: diagnose.SeverityError,
		Headline: "**now**", Explanation: "<img src=x>",
		Timeline: []diagnose.TimelineStep{{Type: diagnose.StepImport, Status: diagnose.ResultSuccess},
			{Type: diagnose.StepExport, Name: "EntryExportAdd", Status: diagnose.ResultFailure, Description: "a | b"}},
		Ticket: diagnose.Ticket{ChangeID: "c_1", CycleID: "y1", JobID: "j1", ErrorCode: "ServiceNowEntryConflict", Time: at},
	}
}

// The ticket's text: for the help desk the ids a ticket asks for under
// human labels, the step that failed; every value escaped.
func TestMarkdownForATicket(t *testing.T) {
	md := diagnose.Markdown([]diagnose.Diagnosis{ticketDiagnosis(diagnose.HelpDesk)})
	for _, want := range []string{
		"## ✗ Service\\*Now\\* — Adele \\[Vance\\](https://evil.example)", "**\\*\\*now\\*\\***", "&lt;img src=x&gt;",
		"### Ticket", "- Error code: ServiceNowEntryConflict", "- Change ID: c\\_1", "- Cycle ID: y1", "- Job ID: j1",
		"- When: 2026-11-25T12:00:00Z", "- Failed step: Export (EntryExportAdd)", "| export | failure | a \\| b |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("lacks %q:\n%s", want, md)
		}
	}
	if md := diagnose.Markdown([]diagnose.Diagnosis{ticketDiagnosis(diagnose.EndUser)}); strings.Contains(md, "### Ticket") {
		t.Errorf("an end user's text has the ticket block:\n%s", md)
	}
}

func TestFailedStepAndItsLabel(t *testing.T) {
	d := ticketDiagnosis(diagnose.HelpDesk)
	s, ok := d.FailedStep()
	if !ok || s.Label() != "Export (EntryExportAdd)" {
		t.Errorf("FailedStep = %+v, %v", s, ok)
	}
	d.Timeline = d.Timeline[:1]
	if _, ok := d.FailedStep(); ok {
		t.Error("a timeline without failure has a failed step")
	}
	if got := (diagnose.TimelineStep{Type: diagnose.StepReferenceResolution}).Label(); got != "References" {
		t.Errorf("label %q", got)
	}
}

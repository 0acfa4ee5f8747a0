package diagnose

import (
	"fmt"
	"strings"
	"time"
)

// Markdown writes diagnoses as Markdown to paste into a ticket or a wiki
// page: for each app the verdict, what to do and when, the notes, the app's
// current status, the steps of the decisive entry and, for the help desk,
// the ticket's ids and the evidence. Every value is escaped. It is what
// `provbot diagnose --format markdown` prints and what a help-desk card's
// "Copy for ticket" holds.
func Markdown(ds []Diagnosis) string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteString("\n---\n\n")
		}
		fmt.Fprintf(&b, "## %s %s — %s\n\n", d.Severity.Mark(), mdEscape(d.App.Name), mdEscape(d.User.Label()))
		fmt.Fprintf(&b, "**%s**\n\n%s\n\n", mdEscape(d.Headline), mdEscape(d.Explanation))
		fmt.Fprintf(&b, "- Verdict: `%s` (%s, rule %s)\n", d.Category, d.Severity, mdEscape(d.RuleID))
		if d.Estimate != nil && d.Estimate.Text != "" {
			fmt.Fprintf(&b, "- When: %s\n", mdEscape(d.Estimate.Text))
		}
		if len(d.Recommendations) > 0 {
			b.WriteString("\n### What to do\n\n")
			for _, r := range d.Recommendations {
				fmt.Fprintf(&b, "- **%s:** %s\n", r.Who.Label(d.Audience), mdEscape(r.Text))
			}
		}
		for _, n := range d.Notes {
			fmt.Fprintf(&b, "\n> %s\n", mdEscape(n.Text))
		}
		if d.Audience == HelpDesk {
			writeTicketMarkdown(&b, d)
		}
		if s := d.Status; s != nil {
			fmt.Fprintf(&b, "\n### %s provisioning: %s\n\n%s\n", mdEscape(d.App.Name), mdEscape(s.State), mdEscape(s.Verdict))
		}
		if len(d.Timeline) > 0 {
			b.WriteString("\n| Step | Result | Description |\n|---|---|---|\n")
			for _, s := range d.Timeline {
				fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCell(string(s.Type)), mdCell(string(s.Status)), mdCell(s.Description))
			}
		}
		if d.Audience == HelpDesk && len(d.Evidence) > 0 {
			b.WriteString("\n### Evidence\n\n| Field | Value | Change ID | Time |\n|---|---|---|---|\n")
			for _, e := range d.Evidence {
				t := ""
				if !e.Time.IsZero() {
					t = e.Time.UTC().Format(time.RFC3339)
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdCell(e.Field), mdCell(e.Value), mdCell(e.ChangeID), t)
			}
		}
		if d.Article.URL != "" {
			fmt.Fprintf(&b, "\n[%s](%s)\n", mdEscape(d.Article.Title), d.Article.URL)
		}
	}
	return b.String()
}

// writeTicketMarkdown writes the ids a support ticket needs, when there
// are any.
func writeTicketMarkdown(b *strings.Builder, d Diagnosis) {
	t := d.Ticket
	rows := [][2]string{{"Error code", t.ErrorCode}, {"Change ID", t.ChangeID}, {"Cycle ID", t.CycleID}, {"Job ID", t.JobID}}
	if !t.Time.IsZero() {
		rows = append(rows, [2]string{"When", t.Time.UTC().Format(time.RFC3339)})
	}
	if s, ok := d.FailedStep(); ok {
		rows = append(rows, [2]string{"Failed step", s.Label()})
	}
	var lines []string
	for _, r := range rows {
		if r[1] != "" {
			lines = append(lines, fmt.Sprintf("- %s: %s\n", r[0], mdEscape(r[1])))
		}
	}
	if len(lines) == 0 {
		return
	}
	b.WriteString("\n### Ticket\n\n")
	for _, l := range lines {
		b.WriteString(l)
	}
}

// FailedStep returns the first step of the decisive entry that failed,
// if any.
func (d Diagnosis) FailedStep() (TimelineStep, bool) {
	for _, s := range d.Timeline {
		if s.Status == ResultFailure {
			return s, true
		}
	}
	return TimelineStep{}, false
}

// Label names a step for people: its phase in words and, when known, the
// step's own name ("Export (EntryExportAdd)").
func (s TimelineStep) Label() string {
	phase := s.Type.Words()
	if s.Name == "" {
		return phase
	}
	return phase + " (" + s.Name + ")"
}

// Words names a step type in words: "Import", "Scoping", "Matching",
// "Processing", "References", "Export"; "Step" when unknown.
func (t StepType) Words() string {
	switch t {
	case StepImport:
		return "Import"
	case StepScoping:
		return "Scoping"
	case StepMatching:
		return "Matching"
	case StepProcessing:
		return "Processing"
	case StepReferenceResolution:
		return "References"
	case StepExport:
		return "Export"
	default:
		return "Step"
	}
}

// EscapeMarkdown escapes text for Markdown (CommonMark): emphasis, code,
// links and HTML.
func EscapeMarkdown(s string) string { return mdEscape(s) }

// mdEscape is EscapeMarkdown.
func mdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;").Replace(s)
}

// mdCell escapes text for a Markdown table cell, on one line.
func mdCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(mdEscape(s), "|", `\|`), "\n", " ")
}

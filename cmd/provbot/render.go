package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/escape"
)

// renderOptions shape terminal output.
type renderOptions struct {
	// Color uses ANSI colours (only when writing to a terminal).
	Color bool
	// Width is the line width to wrap at.
	Width int
	Now   time.Time
	Loc   *time.Location
}

// isTerminal reports whether w is a terminal that accepts colour: a
// character device, with NO_COLOR unset and TERM not "dumb".
func isTerminal(w io.Writer, getenv func(string) string) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
)

// painter applies colours when enabled.
type painter bool

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return code + s + ansiReset
}

func severityANSI(s diagnose.Severity) string {
	switch s {
	case diagnose.SeverityOK:
		return ansiGreen
	case diagnose.SeverityWarning:
		return ansiYellow
	case diagnose.SeverityError:
		return ansiRed
	default:
		return ansiBlue
	}
}

// wrap breaks text into lines of at most width runes, each prefixed with
// indent.
func wrap(text string, width int, indent string) string {
	return hang(text, width, indent, indent)
}

// hang wraps text with a first-line prefix and a hanging indent for the
// lines after it: "  • App admin: …" continues under "App".
func hang(text string, width int, first, rest string) string {
	var b strings.Builder
	for i, para := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		prefix := first
		if i > 0 {
			prefix = rest
		}
		line, lineLen, start := prefix, utf8.RuneCountInString(prefix), utf8.RuneCountInString(prefix)
		for _, w := range strings.Fields(para) {
			wl := utf8.RuneCountInString(w)
			if lineLen > start && lineLen+1+wl > width {
				b.WriteString(line + "\n")
				line, lineLen = rest, utf8.RuneCountInString(rest)
				start = lineLen
			}
			if lineLen > start {
				line += " "
				lineLen++
			}
			line += w
			lineLen += wl
		}
		b.WriteString(line)
	}
	return b.String()
}

func partyName(p diagnose.Party, aud diagnose.Audience) string { return p.Label(aud) }

func clock(t, now time.Time, loc *time.Location) string { return diagnose.Clock(t, now, loc) }

// writeText renders diagnoses for a terminal, with every value cleaned of
// what a terminal would obey.
func writeText(w io.Writer, ds []diagnose.Diagnosis, o renderOptions) error {
	ds = forTerminal(ds)
	p := painter(o.Color)
	width := o.Width
	if width <= 0 {
		width = 80
	}
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteString("\n" + strings.Repeat("─", min(width, 80)) + "\n\n")
		}
		if d.Audience != diagnose.HelpDesk {
			endUserText(&b, d, p, width)
			continue
		}
		head := fmt.Sprintf("%s %s · %s", d.Severity.Mark(), d.App.Name, d.User.Label())
		b.WriteString(p.paint(ansiBold+severityANSI(d.Severity), head) + p.paint(ansiDim, "  ["+string(d.Category)+"]") + "\n")
		b.WriteString(p.paint(ansiBold, wrap(d.Headline, width, "")) + "\n\n")
		b.WriteString(wrap(d.Explanation, width, "") + "\n")
		if len(d.Recommendations) > 0 {
			b.WriteString("\n" + p.paint(ansiBold, "What to do") + "\n")
			for _, r := range d.Recommendations {
				b.WriteString(hang(partyName(r.Who, d.Audience)+": "+r.Text, width, "  • ", "    ") + "\n")
			}
		}
		if d.Estimate != nil && d.Estimate.Text != "" {
			b.WriteString("\n" + p.paint(ansiBold, "When") + "\n" + wrap(d.Estimate.Text, width, "  ") + "\n")
		}
		if len(d.Notes) > 0 {
			b.WriteString("\n" + p.paint(ansiBold, "Also") + "\n")
			for _, n := range d.Notes {
				b.WriteString(hang(n.Text, width, "  • ", "    ") + "\n")
			}
		}
		if s := d.Status; s != nil {
			b.WriteString("\n" + statusText(d.App.Name, *s, o, p, width))
		}
		if len(d.Timeline) > 0 {
			title := "Steps"
			if !d.Ticket.Time.IsZero() {
				title += " at " + clock(d.Ticket.Time, o.Now, o.Loc)
			}
			b.WriteString("\n" + p.paint(ansiBold, title) + "\n")
			for _, s := range d.Timeline {
				mark := map[diagnose.Result]string{diagnose.ResultSuccess: "✓", diagnose.ResultFailure: "✗", diagnose.ResultSkipped: "–"}[s.Status]
				if mark == "" {
					mark = "?"
				}
				head := fmt.Sprintf("  %s %-11s ", mark, stepName(s.Type))
				b.WriteString(hang(s.Description, width, head, strings.Repeat(" ", utf8.RuneCountInString(head))) + "\n")
			}
		}
		if d.Audience == diagnose.HelpDesk {
			if len(d.Evidence) > 0 {
				b.WriteString("\n" + p.paint(ansiBold, "Evidence") + "\n")
				for _, e := range d.Evidence {
					line := e.Field + " = " + e.Value
					if e.ChangeID != "" && e.ChangeID != d.Ticket.ChangeID {
						line += " (change " + e.ChangeID + ")"
					}
					b.WriteString(hang(line, width, "  ", "      ") + "\n")
				}
				if d.Ticket.ChangeID != "" {
					b.WriteString(p.paint(ansiDim, "  (from the entry with change ID "+d.Ticket.ChangeID+")") + "\n")
				}
			}
			if t := d.Ticket; t.ChangeID != "" || t.JobID != "" {
				b.WriteString("\n" + p.paint(ansiBold, "For a support ticket") + "\n")
				for _, f := range [][2]string{{"Rule", d.RuleID}, {"Error code", t.ErrorCode}, {"Change ID", t.ChangeID}, {"Cycle ID", t.CycleID},
					{"Job ID", t.JobID}, {"Activity ID", t.ActivityID}, {"App object ID", t.ServicePrincipalID}} {
					if f[1] != "" {
						b.WriteString(fmt.Sprintf("  %-14s %s\n", f[0]+":", f[1]))
					}
				}
				if !t.Time.IsZero() {
					b.WriteString(fmt.Sprintf("  %-14s %s\n", "Time:", t.Time.UTC().Format(time.RFC3339)))
				}
			}
		}
		if d.Article.URL != "" {
			b.WriteString("\nLearn more: " + d.Article.URL + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// statusText renders an app's Current Status panel.
func statusText(app string, s diagnose.AppStatus, o renderOptions, p painter, width int) string {
	var b strings.Builder
	color := ansiGreen
	if !s.Healthy {
		color = ansiRed
	}
	b.WriteString(p.paint(ansiBold, app+" provisioning: ") + p.paint(color, s.State) + "\n")
	if s.Code != diagnose.StatusNotConfigured {
		line := "  Cycle: " + s.CycleKind
		if s.HasProgress {
			line += "  " + bar(s.Progress)
		}
		b.WriteString(line + "\n")
	}
	if s.Users > 0 || s.Groups > 0 {
		b.WriteString(fmt.Sprintf("  In scope: %s, %s\n", diagnose.Count64(s.Users, "user"), diagnose.Count64(s.Groups, "group")))
	}
	if !s.LastRun.IsZero() {
		v := clock(s.LastRun, o.Now, o.Loc)
		if s.LastRunState != "" && s.LastRunState != diagnose.ExecutionUnknown {
			v += " (" + string(s.LastRunState) + ")"
		}
		b.WriteString("  Last run: " + v + "\n")
	}
	if s.LastRunError.Text() != "" {
		b.WriteString(wrap("Last error: "+s.LastRunError.Text(), width, "  ") + "\n")
	}
	if !s.NextRun.IsZero() && !s.Quarantined {
		b.WriteString("  Next run: " + clock(s.NextRun, o.Now, o.Loc) + "\n")
	}
	if s.Quarantined {
		if !s.QuarantineSince.IsZero() {
			b.WriteString("  Quarantined since: " + clock(s.QuarantineSince, o.Now, o.Loc) + "\n")
		}
		if !s.NextAttempt.IsZero() {
			b.WriteString("  Next attempt: " + clock(s.NextAttempt, o.Now, o.Loc) + "\n")
		}
	}
	b.WriteString(wrap(p.paint(color, s.Verdict), width, "  ") + "\n")
	return b.String()
}

// stepName names a step type for the timeline.
func stepName(t diagnose.StepType) string {
	switch t {
	case diagnose.StepReferenceResolution:
		return "references"
	case "":
		return "step"
	}
	return string(t)
}

// bar draws a text progress bar: "[██████░░░░] 60%".
func bar(pct int) string {
	pct = min(max(pct, 0), 100)
	return "[" + strings.Repeat("█", pct/5) + strings.Repeat("░", 20-pct/5) + fmt.Sprintf("] %d%%", pct)
}

// writeMarkdown renders diagnoses as Markdown (for tickets and wikis): the
// same text as a help-desk card's "Copy for ticket", or for an end user
// what their card says, cleaned for the terminal it is usually printed on
// first.
func writeMarkdown(w io.Writer, ds []diagnose.Diagnosis, o renderOptions) error {
	ds = forTerminal(ds)
	md := diagnose.Markdown(ds)
	if len(ds) > 0 && ds[0].Audience != diagnose.HelpDesk {
		md = endUserMarkdown(ds)
	}
	_, err := io.WriteString(w, md)
	return err
}

// diagnoseOutput is the JSON output contract of `provbot diagnose`
// (documented in the README).
type diagnoseOutput struct {
	// GeneratedAt is when the diagnosis was made.
	GeneratedAt time.Time `json:"generatedAt"`
	// Audience is who the sentences are written for.
	Audience diagnose.Audience `json:"audience"`
	// User is the subject.
	User diagnose.UserRef `json:"user"`
	// Diagnoses holds one entry per app, worst first.
	Diagnoses []diagnose.Diagnosis `json:"diagnoses"`
}

// writeJSON renders diagnoses as the documented JSON contract.
func writeJSON(w io.Writer, ds []diagnose.Diagnosis, aud diagnose.Audience, user diagnose.UserRef, now time.Time) error {
	if ds == nil {
		ds = []diagnose.Diagnosis{}
	}
	return encodeJSON(w, diagnoseOutput{GeneratedAt: now.UTC(), Audience: aud, User: user, Diagnoses: ds})
}

// encodeJSON writes v as indented JSON through escape.JSON, the one point
// every command's JSON output passes: C1 controls, line separators and
// bidi overrides from data are written as \u escapes.
func encodeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	_, err := w.Write(escape.JSON(buf.Bytes()))
	return err
}

package main

import (
	"fmt"
	"strings"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/diagnose"
)

// endUserText renders d for a terminal as the bot tells it to an end user
// (`provbot diagnose --as` a person not on the help desk): the parts of
// bot.EndUserAnswer, in the card's order, and nothing an end user is not
// shown (no verdict code, job state, steps, ids or article).
func endUserText(b *strings.Builder, d diagnose.Diagnosis, p painter, width int) {
	a := bot.EndUserAnswerOf(d)
	head := fmt.Sprintf("%s %s · %s", d.Severity.Mark(), d.App.Name, d.User.Label())
	b.WriteString(p.paint(ansiBold+severityANSI(d.Severity), head) + "\n")
	b.WriteString(p.paint(ansiBold, wrap(a.Lead, width, "")) + "\n")
	if a.Rest != "" {
		b.WriteString("\n" + wrap(a.Rest, width, "") + "\n")
	}
	if len(a.ToDo) > 0 {
		b.WriteString("\n" + p.paint(ansiBold, "What to do") + "\n")
		for _, t := range a.ToDo {
			b.WriteString(hang(t, width, "  • ", "    ") + "\n")
		}
	}
	if a.When != "" {
		b.WriteString("\n" + p.paint(ansiBold, "When") + "\n" + wrap(a.When, width, "  ") + "\n")
	}
	if a.AppState != "" {
		b.WriteString("\n" + wrap(a.AppState, width, "") + "\n")
	}
	for i, n := range a.Notes {
		if i == 0 {
			b.WriteString("\n")
		}
		b.WriteString(hang(n, width, "  • ", "    ") + "\n")
	}
}

// endUserMarkdown renders diagnoses as Markdown the way an end user is
// told them (see endUserText).
func endUserMarkdown(ds []diagnose.Diagnosis) string {
	esc := diagnose.EscapeMarkdown
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteString("\n---\n\n")
		}
		a := bot.EndUserAnswerOf(d)
		fmt.Fprintf(&b, "## %s %s — %s\n\n**%s**\n", d.Severity.Mark(), esc(d.App.Name), esc(d.User.Label()), esc(a.Lead))
		if a.Rest != "" {
			fmt.Fprintf(&b, "\n%s\n", esc(a.Rest))
		}
		if len(a.ToDo) > 0 {
			b.WriteString("\n### What to do\n\n")
			for _, t := range a.ToDo {
				fmt.Fprintf(&b, "- %s\n", esc(t))
			}
		}
		if a.When != "" {
			fmt.Fprintf(&b, "\n**When:** %s\n", esc(a.When))
		}
		if a.AppState != "" {
			fmt.Fprintf(&b, "\n%s\n", esc(a.AppState))
		}
		for _, n := range a.Notes {
			fmt.Fprintf(&b, "\n> %s\n", esc(n))
		}
	}
	return b.String()
}

package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/provbot/provbot/diagnose"
)

// adaptiveCard is an Adaptive Card (version 1.5, the newest Teams renders for bot
// messages) as a JSON object.
type adaptiveCard = map[string]any

// maxCardBytes keeps cards well inside Teams' 100 KB message limit.
const maxCardBytes = 80 * 1024

// ActionData is the payload every provbot card button carries, so that a
// click continues the conversation without server-side state. Values are
// re-checked on arrival: a client can send anything.
type ActionData struct {
	// Kind is always "provbot"; it tells our buttons from others.
	Kind string `json:"provbot"`
	// Verb is what to do: diagnose, steps, apps, refresh, status,
	// pick-user, pick-app.
	Verb string `json:"verb"`
	// User is the subject's object id, when known.
	User string `json:"user,omitempty"`
	// App is the app's service principal id or name, when known.
	App string `json:"app,omitempty"`
	// Who is the user reference as typed (for pick-app continuations).
	Who string `json:"who,omitempty"`
}

// The verbs of provbot's card buttons.
const (
	VerbDiagnose = "diagnose"
	VerbSteps    = "steps"
	VerbApps     = "apps"
	VerbRefresh  = "refresh"
	VerbStatus   = "status"
	VerbPickUser = "pick-user"
	VerbPickApp  = "pick-app"
)

func newCard(body []any, fallback string) adaptiveCard {
	return adaptiveCard{
		"$schema":      "http://adaptivecards.io/schemas/adaptive-card.json",
		"type":         "AdaptiveCard",
		"version":      "1.5",
		"body":         body,
		"fallbackText": fallback,
	}
}

func textBlock(text string, opts ...func(map[string]any)) map[string]any {
	tb := map[string]any{"type": "TextBlock", "text": text, "wrap": true}
	for _, o := range opts {
		o(tb)
	}
	return tb
}

func bold(m map[string]any)    { m["weight"] = "bolder" }
func large(m map[string]any)   { m["size"] = "large" }
func medium(m map[string]any)  { m["size"] = "medium" }
func subtle(m map[string]any)  { m["isSubtle"] = true }
func small(m map[string]any)   { m["size"] = "small" }
func noSpace(m map[string]any) { m["spacing"] = "none" }
func color(c string) func(map[string]any) {
	return func(m map[string]any) { m["color"] = c }
}

// severityColor maps a severity to an Adaptive Card text colour.
func severityColor(s diagnose.Severity) string {
	switch s {
	case diagnose.SeverityOK:
		return "good"
	case diagnose.SeverityWarning:
		return "warning"
	case diagnose.SeverityError:
		return "attention"
	default:
		return "accent"
	}
}

// severityLabel is the short verdict word shown beside the headline.
func severityLabel(s diagnose.Severity) string {
	switch s {
	case diagnose.SeverityOK:
		return "✓ OK"
	case diagnose.SeverityWarning:
		return "! Needs attention"
	case diagnose.SeverityError:
		return "✗ Problem"
	default:
		return "ℹ Info"
	}
}

func fact(title, value string) map[string]any {
	return map[string]any{"title": title, "value": value}
}

func factSet(facts []any) map[string]any {
	return map[string]any{"type": "FactSet", "facts": facts}
}

func container(items []any, opts ...func(map[string]any)) map[string]any {
	c := map[string]any{"type": "Container", "items": items}
	for _, o := range opts {
		o(c)
	}
	return c
}

func separator(m map[string]any) { m["separator"] = true }
func emphasis(m map[string]any)  { m["style"] = "emphasis" }

// button is an Action.Execute (answered in place through an invoke) with
// an Action.Submit fallback for clients without Universal Actions.
func button(title string, d ActionData) map[string]any {
	d.Kind = "provbot"
	return map[string]any{
		"type":  "Action.Execute",
		"title": title,
		"verb":  d.Verb,
		"data":  d,
		"fallback": map[string]any{
			"type":  "Action.Submit",
			"title": title,
			"data":  d,
		},
	}
}

func actionSet(actions ...any) map[string]any {
	return map[string]any{"type": "ActionSet", "actions": actions}
}

func openURL(title, url string) map[string]any {
	return map[string]any{"type": "Action.OpenUrl", "title": title, "url": url}
}

// progressBar draws a text progress bar: "██████░░░░ 60%".
func progressBar(pct int) string {
	pct = min(max(pct, 0), 100)
	full := pct / 10
	return strings.Repeat("█", full) + strings.Repeat("░", 10-full) + fmt.Sprintf(" %d%%", pct)
}

// clip shortens s to n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// when formats a time for cards ("14:40 UTC", "Mon 2 Jan 14:40 UTC").
func when(t, now time.Time, loc *time.Location) string { return diagnose.Clock(t, now, loc) }

// stepMark is the timeline symbol of a step result.
func stepMark(r diagnose.Result) string {
	switch r {
	case diagnose.ResultSuccess:
		return "✓"
	case diagnose.ResultFailure:
		return "✗"
	case diagnose.ResultSkipped:
		return "⤼ skipped"
	case diagnose.ResultWarning:
		return "!"
	default:
		return "?"
	}
}

// stepTitle names a step type in plain words.
func stepTitle(t diagnose.StepType) string {
	switch t {
	case diagnose.StepImport:
		return "Import"
	case diagnose.StepScoping:
		return "Scoping"
	case diagnose.StepMatching:
		return "Matching"
	case diagnose.StepProcessing:
		return "Processing"
	case diagnose.StepReferenceResolution:
		return "References"
	case diagnose.StepExport:
		return "Export"
	default:
		return "Step"
	}
}

// partyLabel says who acts on a recommendation.
func partyLabel(p diagnose.Party, aud diagnose.Audience) string { return p.Label(aud) }

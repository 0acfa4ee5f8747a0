package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
)

// maxCardBytes is what a card may weigh: Teams' limit less room for the
// activity that carries it.
const maxCardBytes = card.MaxBytes - 4*1024

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
	// Watch is a watch's id (stop watching).
	Watch string `json:"watch,omitempty"`
	// Job is the provisioning job's id (the approved fixes' buttons).
	Job string `json:"job,omitempty"`
	// Token names a confirmation kept on the server (see pending): the
	// only thing a confirmation's buttons carry.
	Token string `json:"token,omitempty"`
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

func newCard(body []card.Element, fallback string) card.AdaptiveCard {
	return card.AdaptiveCard{Body: body, FallbackText: fallback}
}

func textBlock(text card.Markdown, opts ...func(*card.TextBlock)) card.TextBlock {
	tb := card.TextBlock{Text: text}
	for _, o := range opts {
		o(&tb)
	}
	return tb
}

func bold(t *card.TextBlock)    { t.Weight = card.WeightBolder }
func large(t *card.TextBlock)   { t.Size = card.SizeLarge }
func medium(t *card.TextBlock)  { t.Size = card.SizeMedium }
func subtle(t *card.TextBlock)  { t.Subtle = true }
func small(t *card.TextBlock)   { t.Size = card.SizeSmall }
func noSpace(t *card.TextBlock) { t.Spacing = card.SpacingNone }
func color(c card.Color) func(*card.TextBlock) {
	return func(t *card.TextBlock) { t.Color = c }
}

// severityStyle is the background of a verdict: a colour that repeats what
// the verdict's words say (see severityLabel), readable in every Teams
// theme, never the only carrier of the meaning.
func severityStyle(s diagnose.Severity) card.Style {
	switch s {
	case diagnose.SeverityOK:
		return card.StyleGood
	case diagnose.SeverityWarning:
		return card.StyleWarning
	case diagnose.SeverityError:
		return card.StyleAttention
	default:
		return card.StyleAccent
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

func fact(title, value card.Markdown) card.Fact {
	return card.Fact{Title: title, Value: value}
}

func factSet(facts []card.Fact) card.FactSet {
	return card.FactSet{Facts: facts}
}

func container(items []card.Element, opts ...func(*card.Container)) card.Container {
	c := card.Container{Items: items}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func separator(c *card.Container) { c.Separator = true }
func emphasis(c *card.Container)  { c.Style = card.StyleEmphasis }
func hidden(c *card.Container)    { c.Hidden = true }
func id(s string) func(*card.Container) {
	return func(c *card.Container) { c.ID = s }
}
func style(st card.Style) func(*card.Container) {
	return func(c *card.Container) { c.Style = st }
}

// button is an Action.Execute (answered in place through an invoke), which
// card writes with an Action.Submit fallback for clients without Universal
// Actions. It sends no input of the card (a ticket's text box among them).
func button(title string, d ActionData) card.Execute {
	d.Kind = "provbot"
	return card.Execute{Title: title, Verb: d.Verb, Data: d, AssociatedInputs: card.InputsNone}
}

// secondary puts an action in the overflow menu.
func secondary(e card.Execute) card.Execute {
	e.Mode = card.ModeSecondary
	return e
}

// toggle shows and hides the elements with the given ids.
func toggle(title string, ids ...string) card.ToggleVisibility {
	t := card.ToggleVisibility{Title: title}
	for _, id := range ids {
		t.Targets = append(t.Targets, card.Target{ElementID: id})
	}
	return t
}

func actionSet(actions ...card.Action) card.ActionSet {
	return card.ActionSet{Actions: actions}
}

func openURL(title, url string) card.OpenURL {
	return card.OpenURL{Title: title, URL: url, Mode: card.ModeSecondary}
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

// partyLabel says who acts on a recommendation.
func partyLabel(p diagnose.Party, aud diagnose.Audience) string { return p.Label(aud) }

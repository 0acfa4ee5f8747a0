package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
)

// cardOptions shape how a diagnosis is drawn.
type cardOptions struct {
	// Now and Loc place times ("14:40 UTC").
	Now time.Time
	Loc *time.Location
	// AllSteps shows every step of the decisive entry with its
	// description, instead of the compact timeline.
	AllSteps bool
}

// diagnosisCard draws one diagnosis: headline and coloured verdict, the
// explanation, what to do and by whom, the estimate, notes, the app's
// current status, the step timeline, and (for help desk) the evidence and
// support ids. Buttons: all steps, other apps, refresh.
func diagnosisCard(d diagnose.Diagnosis, o cardOptions) card.AdaptiveCard {
	body := []card.Element{
		card.ColumnSet{
			Columns: []card.Column{
				{Width: card.WidthAuto, VerticalContentAlignment: card.AlignCenter,
					Items: []card.Element{textBlock(card.Format("%s", severityLabel(d.Severity)), bold, color(severityColor(d.Severity)))}},
				{Width: card.WidthStretch,
					Items: []card.Element{textBlock(card.Format("%s · %s", d.App.Name, userLabel(d.User)), subtle, small)}},
			},
		},
		textBlock(card.Plain(d.Headline), bold, medium),
		textBlock(card.Plain(d.Explanation)),
	}
	if len(d.Recommendations) > 0 {
		body = append(body, textBlock(card.Format("What to do"), bold, func(t *card.TextBlock) { t.Spacing = card.SpacingMedium }))
		var facts []card.Fact
		for _, r := range d.Recommendations {
			facts = append(facts, fact(card.Plain(partyLabel(r.Who, d.Audience)), card.Plain(r.Text)))
		}
		body = append(body, factSet(facts))
	}
	if d.Estimate != nil && d.Estimate.Text != "" {
		body = append(body, textBlock(card.Format("When: %s", d.Estimate.Text), color(card.ColorAccent)))
	}
	for _, n := range d.Notes {
		body = append(body, textBlock(card.Plain(n.Text), subtle))
	}
	if d.Status != nil {
		body = append(body, statusContainer(d.App.Name, *d.Status, o))
	}
	steps, evidence := -1, -1
	if len(d.Timeline) > 0 {
		steps = len(body)
		body = append(body, timelineContainer(d, o))
	}
	if d.Audience == diagnose.HelpDesk {
		if ev, ok := evidenceContainer(d, o); ok {
			evidence = len(body)
			body = append(body, ev)
		}
	}
	var actions []card.Action
	data := ActionData{User: d.User.ObjectID, App: d.App.ServicePrincipalID}
	if data.App == "" {
		data.App = d.App.Name
	}
	if len(d.Timeline) > 0 && !o.AllSteps {
		s := data
		s.Verb = VerbSteps
		actions = append(actions, button("Show all steps", s))
	}
	if d.User.ObjectID != "" {
		a := data
		a.Verb, a.App = VerbApps, ""
		actions = append(actions, button("Check other apps", a))
	}
	r := data
	r.Verb = VerbRefresh
	actions = append(actions, button("Refresh", r))
	if d.Article.URL != "" {
		actions = append(actions, openURL("Learn more", d.Article.URL))
	}
	body = append(body, actionSet(actions...))
	return fitCard(newCard(body, diagnosisText(d, o)), evidence, steps)
}

func userLabel(u diagnose.UserRef) string {
	switch {
	case u.DisplayName != "" && u.UPN != "":
		return u.DisplayName + " (" + u.UPN + ")"
	case u.DisplayName != "":
		return u.DisplayName
	case u.UPN != "":
		return u.UPN
	default:
		return u.ObjectID
	}
}

// statusContainer is the app's "Current Status" panel.
func statusContainer(app string, s diagnose.AppStatus, o cardOptions) card.Container {
	items := []card.Element{textBlock(card.Format("%s provisioning: %s", app, s.State), bold)}
	if s.HasProgress || s.CycleKind == "initial" {
		line := card.Format("Cycle: %s", s.CycleKind)
		if s.HasProgress {
			line = card.Format("%s  %s", line, progressBar(s.Progress))
		}
		items = append(items, textBlock(line, noSpace))
	}
	facts := []card.Fact{}
	if s.Users > 0 || s.Groups > 0 {
		facts = append(facts, fact(card.Format("In scope"), card.Format("%d users, %d groups", s.Users, s.Groups)))
	}
	if !s.LastRun.IsZero() {
		v := card.Plain(when(s.LastRun, o.Now, o.Loc))
		if s.LastRunState != "" && s.LastRunState != diagnose.ExecutionUnknown {
			v = card.Format("%s (%s)", v, s.LastRunState)
		}
		facts = append(facts, fact(card.Format("Last run"), v))
	}
	if !s.NextRun.IsZero() {
		facts = append(facts, fact(card.Format("Next run"), card.Plain(when(s.NextRun, o.Now, o.Loc))))
	}
	if s.Quarantined {
		facts = append(facts, fact(card.Format("Quarantine"), card.Plain(s.QuarantineReason)))
		if !s.NextAttempt.IsZero() {
			facts = append(facts, fact(card.Format("Next attempt"), card.Plain(when(s.NextAttempt, o.Now, o.Loc))))
		}
	}
	if len(facts) > 0 {
		items = append(items, factSet(facts))
	}
	items = append(items, textBlock(card.Plain(s.Verdict), subtle, color(statusColor(s))))
	return container(items, emphasis, separator)
}

func statusColor(s diagnose.AppStatus) card.Color {
	if s.Healthy {
		return card.ColorGood
	}
	return card.ColorAttention
}

// timelineContainer lists the decisive entry's steps with ✓/✗/skipped.
func timelineContainer(d diagnose.Diagnosis, o cardOptions) card.Container {
	title := card.Format("Steps")
	if !d.Ticket.Time.IsZero() {
		title = card.Format("Steps at %s", when(d.Ticket.Time, o.Now, o.Loc))
	}
	items := []card.Element{textBlock(title, bold)}
	var facts []card.Fact
	for _, s := range d.Timeline {
		v := stepMark(s.Status)
		if o.AllSteps {
			v += " " + clip(s.Description, 300)
			if d.Audience == diagnose.HelpDesk && s.Name != "" {
				v += " [" + s.Name + "]"
			}
		}
		facts = append(facts, fact(card.Plain(stepTitle(s.Type)), card.Plain(v)))
	}
	items = append(items, factSet(facts))
	return container(items, separator)
}

// evidenceContainer shows help desk the evidence and support ids; false
// when there is none.
func evidenceContainer(d diagnose.Diagnosis, o cardOptions) (card.Container, bool) {
	var facts []card.Fact
	t := d.Ticket
	for _, f := range []struct{ k, v string }{
		{"Rule", d.RuleID + " · " + string(d.Category)},
		{"Error code", t.ErrorCode}, {"Change ID", t.ChangeID}, {"Cycle ID", t.CycleID},
		{"Job ID", t.JobID}, {"Activity ID", t.ActivityID}, {"App object ID", t.ServicePrincipalID},
	} {
		if f.v != "" {
			facts = append(facts, fact(card.Plain(f.k), card.Plain(f.v)))
		}
	}
	if !t.Time.IsZero() {
		facts = append(facts, fact(card.Format("Time"), card.Plain(t.Time.UTC().Format(time.RFC3339))))
	}
	const maxEvidence = 12
	for i, e := range d.Evidence {
		if i == maxEvidence {
			facts = append(facts, fact(card.Format("…"), card.Format("%d more", len(d.Evidence)-maxEvidence)))
			break
		}
		facts = append(facts, fact(card.Plain(clip(e.Field, 60)), card.Plain(clip(e.Value, 300))))
	}
	if len(facts) == 0 {
		return card.Container{}, false
	}
	return container([]card.Element{textBlock(card.Format("Evidence"), bold), factSet(facts)}, separator), true
}

// summaryCard lists several apps' diagnoses, worst first, one line each,
// with a button to open each one.
func summaryCard(ds []diagnose.Diagnosis, o cardOptions) card.AdaptiveCard {
	if len(ds) == 0 {
		return messageCard("No apps found", "provbot found no app that provisions this user.")
	}
	name := userLabel(ds[0].User)
	body := []card.Element{textBlock(card.Format("%s: %s", name, plural(len(ds), "app")), bold, medium)}
	for _, d := range ds {
		data := ActionData{Verb: VerbDiagnose, User: d.User.ObjectID, App: d.App.ServicePrincipalID}
		if data.App == "" {
			data.App = d.App.Name
		}
		data.Kind = "provbot"
		body = append(body, card.ColumnSet{
			Common: card.Common{Separator: true},
			Columns: []card.Column{
				{Width: card.WidthAuto,
					Items: []card.Element{textBlock(card.Format("%s", severityLabel(d.Severity)), bold, color(severityColor(d.Severity)))}},
				{Width: card.WidthStretch,
					Items: []card.Element{textBlock(card.Plain(d.App.Name), bold), textBlock(card.Plain(d.Headline), noSpace)}},
			},
			SelectAction: card.Submit{Title: "Open " + d.App.Name, Data: data},
		})
	}
	var actions []card.Action
	for i, d := range ds {
		if i == 5 {
			break
		}
		data := ActionData{Verb: VerbDiagnose, User: d.User.ObjectID, App: d.App.ServicePrincipalID}
		if data.App == "" {
			data.App = d.App.Name
		}
		actions = append(actions, button(d.App.Name, data))
	}
	body = append(body, actionSet(actions...))
	var fb strings.Builder
	fb.WriteString(name + ":\n")
	for _, d := range ds {
		fb.WriteString("- " + string(d.Severity) + ": " + d.Headline + "\n")
	}
	return fitCard(newCard(body, fb.String()))
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// diagnosisText renders a diagnosis as plain text for clients without
// cards (and the card's fallbackText).
func diagnosisText(d diagnose.Diagnosis, o cardOptions) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n\n%s\n", severityLabel(d.Severity), d.Headline, d.Explanation)
	for _, r := range d.Recommendations {
		fmt.Fprintf(&b, "\n- %s: %s", partyLabel(r.Who, d.Audience), r.Text)
	}
	if d.Estimate != nil && d.Estimate.Text != "" {
		fmt.Fprintf(&b, "\n\nWhen: %s", d.Estimate.Text)
	}
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "\n\n%s", n.Text)
	}
	if d.Audience == diagnose.HelpDesk && d.Ticket.ChangeID != "" {
		fmt.Fprintf(&b, "\n\nChange ID %s, cycle ID %s, job ID %s", d.Ticket.ChangeID, d.Ticket.CycleID, d.Ticket.JobID)
		if d.Ticket.ErrorCode != "" {
			fmt.Fprintf(&b, ", error code %s", d.Ticket.ErrorCode)
		}
	}
	return b.String()
}

// fitCard drops detail until the card is under the size limit: the body
// elements at the droppable indices in turn (-1 for none), then the length
// of the fallback text and of every text.
func fitCard(c card.AdaptiveCard, droppable ...int) card.AdaptiveCard {
	if c.Size() <= maxCardBytes {
		return c
	}
	full := c.Body
	dropped := map[int]bool{}
	for _, i := range droppable {
		if i < 0 || i >= len(full) {
			continue
		}
		dropped[i] = true
		c.Body = nil
		for j, el := range full {
			if !dropped[j] {
				c.Body = append(c.Body, el)
			}
		}
		if c.Size() <= maxCardBytes {
			return c
		}
	}
	c.FallbackText = clip(c.FallbackText, 2000)
	for limit := 2000; c.Size() > maxCardBytes && limit >= 100; limit /= 2 {
		c.Body = clipTexts(c.Body, limit)
	}
	return c
}

// clipTexts shortens every text of the elements to limit runes.
func clipTexts(els []card.Element, limit int) []card.Element {
	out := make([]card.Element, 0, len(els))
	for _, el := range els {
		switch e := el.(type) {
		case card.TextBlock:
			e.Text = e.Text.Clip(limit)
			el = e
		case card.FactSet:
			facts := make([]card.Fact, len(e.Facts))
			for i, f := range e.Facts {
				facts[i] = card.Fact{Title: f.Title.Clip(limit), Value: f.Value.Clip(limit)}
			}
			e.Facts = facts
			el = e
		case card.Container:
			e.Items = clipTexts(e.Items, limit)
			el = e
		case card.ColumnSet:
			cols := make([]card.Column, len(e.Columns))
			for i, c := range e.Columns {
				c.Items = clipTexts(c.Items, limit)
				cols[i] = c
			}
			e.Columns = cols
			el = e
		}
		out = append(out, el)
	}
	return out
}

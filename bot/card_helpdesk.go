package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
)

// helpDeskCard tells the help desk what is wrong and what to do first,
// then the facts a ticket needs in one block with human labels, then the
// explanation (which quotes the app's message). The details (the app's
// status, every step, the evidence, the other ids) and the ticket's text
// to copy open with buttons, on the client.
func helpDeskCard(d diagnose.Diagnosis, o cardOptions) card.AdaptiveCard {
	body := []card.Element{
		container([]card.Element{
			textBlock(card.Format("%s · %s · %s", severityLabel(d.Severity), d.App.Name, userLabel(d.User)), small, bold),
			textBlock(card.Plain(d.Headline), bold, medium, noSpace),
		}, id(idVerdict), style(severityStyle(d.Severity))),
	}
	var todo []card.Element
	if len(d.Recommendations) > 0 {
		todo = append(todo, textBlock(card.Format("What to do"), bold))
		var facts []card.Fact
		for _, r := range d.Recommendations {
			facts = append(facts, fact(card.Plain(partyLabel(r.Who, d.Audience)), card.Plain(r.Text)))
		}
		todo = append(todo, factSet(facts))
	}
	if d.Estimate != nil && d.Estimate.Text != "" {
		todo = append(todo, textBlock(card.Format("When: %s", d.Estimate.Text)))
	}
	if offered := offerButtons(d, o); len(offered) > 0 {
		todo = append(todo, actionSet(offered...))
	}
	if len(todo) > 0 {
		body = append(body, container(todo, id(idAction)))
	}
	if facts := ticketFacts(d, o); len(facts) > 0 {
		items := []card.Element{textBlock(card.Format("For the ticket"), bold)}
		body = append(body, container(append(items, labelledRows(facts)...), id(idTicket), emphasis))
	}
	if d.Explanation != "" {
		body = append(body, textBlock(card.Plain(d.Explanation)))
	}
	for _, n := range d.Notes {
		body = append(body, textBlock(card.Plain(n.Text), subtle))
	}
	details := detailsContainer(d, o)
	copyText := container([]card.Element{card.TextInput{
		Common:      card.Common{ID: idCopyText},
		Label:       "Select all and copy it into the ticket",
		Value:       diagnose.Markdown([]diagnose.Diagnosis{d}),
		IsMultiline: true,
	}}, id(idCopy), hidden)
	buttons := []card.Action{toggle("Details", idDetails), toggle("Copy for ticket", idCopy)}
	buttons = append(buttons, diagnosisButtons(d, true)...)
	buttons = withNotifyMe(d, o, buttons)
	body = append(body, actionSet(buttons...))
	detailsAt := len(body)
	body = append(body, details)
	copyAt := len(body)
	body = append(body, copyText)
	return fitCard(newCard(body, helpDeskText(d, o)), copyAt, detailsAt)
}

// labelledRows lays facts out as rows of a fixed-width label and a value
// that wraps anywhere: unlike a FactSet, a long id cannot squeeze the
// labels.
func labelledRows(facts []card.Fact) []card.Element {
	rows := make([]card.Element, 0, len(facts))
	for i, f := range facts {
		row := card.ColumnSet{Columns: []card.Column{
			{Width: card.WidthPixels(96), Items: []card.Element{card.TextBlock{Text: f.Title, Weight: card.WeightBolder}}},
			{Width: card.WidthStretch, Items: []card.Element{card.TextBlock{Text: f.Value}}},
		}}
		if i > 0 {
			row.Spacing = card.SpacingSmall
		}
		rows = append(rows, row)
	}
	return rows
}

// ticketFacts are the facts a support ticket asks for first: the error
// code, the change id, when, and the step that failed; for a job without
// a failing entry, the job's id and error.
func ticketFacts(d diagnose.Diagnosis, o cardOptions) []card.Fact {
	t := d.Ticket
	var facts []card.Fact
	add := func(label, v string) {
		if v != "" {
			facts = append(facts, fact(card.Plain(label), card.Plain(v)))
		}
	}
	add("Error code", t.ErrorCode)
	add("Change ID", t.ChangeID)
	if !t.Time.IsZero() {
		add("When", when(t.Time, o.Now, o.Loc))
	}
	if s, ok := d.FailedStep(); ok {
		add("Failed step", s.Label())
	}
	if t.ChangeID == "" && d.Status != nil {
		add("Job ID", d.Status.JobID)
		if e := d.Status.LastRunError; e != nil && t.ErrorCode == "" {
			add("Job error", e.Code)
		}
	}
	return facts
}

// detailsContainer holds what backs the verdict, hidden until asked for:
// the app's status, every step of the decisive entry with what it said,
// the evidence in human labels (the app's message only when the
// explanation does not already quote it), and the other ids.
func detailsContainer(d diagnose.Diagnosis, o cardOptions) card.Container {
	var items []card.Element
	if d.Status != nil {
		s := *d.Status
		items = append(items, textBlock(card.Format("%s provisioning: %s", d.App.Name, stateWord(&s)), bold))
		if facts := statusFacts(s, o); len(facts) > 0 {
			items = append(items, factSet(facts))
		}
		items = append(items, textBlock(card.Plain(s.Verdict), noSpace))
	}
	if len(d.Timeline) > 0 {
		title := card.Format("Steps")
		if !d.Ticket.Time.IsZero() {
			title = card.Format("Steps at %s", when(d.Ticket.Time, o.Now, o.Loc))
		}
		var facts []card.Fact
		for _, s := range d.Timeline {
			v := stepMark(s.Status) + " " + clip(s.Description, 300)
			if s.Name != "" {
				v += " [" + s.Name + "]"
			}
			facts = append(facts, fact(card.Plain(s.Type.Words()), card.Plain(v)))
		}
		items = append(items, textBlock(title, bold, func(t *card.TextBlock) { t.Spacing = card.SpacingMedium }), factSet(facts))
	}
	if facts := evidenceFacts(d); len(facts) > 0 {
		items = append(items, textBlock(card.Format("Evidence"), bold, func(t *card.TextBlock) { t.Spacing = card.SpacingMedium }), factSet(facts))
	}
	if len(items) == 0 {
		items = append(items, textBlock(card.Format("No more details were recorded.")))
	}
	c := container(items, id(idDetails), separator)
	c.Hidden = !o.AllSteps
	return c
}

// evidenceFacts are the evidence and the ids the ticket block does not
// show, each once.
func evidenceFacts(d diagnose.Diagnosis) []card.Fact {
	t := d.Ticket
	shown := map[string]bool{t.ErrorCode: true, t.ChangeID: true}
	var facts []card.Fact
	const maxEvidence = 12
	n := 0
	for _, e := range d.Evidence {
		v := strings.TrimSuffix(e.Value, "…")
		switch {
		case strings.HasPrefix(e.Field, "provisioningSteps["):
			if len(d.Timeline) > 0 {
				continue // the steps above say it
			}
		case shown[e.Value] && e.Value != "":
			continue
		case len(v) > 40 && strings.Contains(d.Explanation, v):
			continue // quoted in the explanation
		}
		if n == maxEvidence {
			facts = append(facts, fact(card.Format("…"), card.Format("%d more in the ticket's text", len(d.Evidence)-maxEvidence)))
			break
		}
		n++
		label := evidenceLabel(e.Field)
		value := clip(e.Value, 300)
		if e.ChangeID != "" && !e.Time.IsZero() && !e.Time.Equal(t.Time) {
			value += " (" + e.Time.UTC().Format("2 Jan 15:04 UTC") + ")"
		}
		facts = append(facts, fact(card.Plain(clip(label, 40)), card.Plain(value)))
	}
	for _, f := range []struct{ k, v string }{
		{"Rule", d.RuleID + " · " + string(d.Category)}, {"Cycle ID", t.CycleID}, {"Job ID", t.JobID},
		{"Activity ID", t.ActivityID}, {"App object ID", t.ServicePrincipalID},
	} {
		if f.v != "" && f.v != " · " && !shown[f.v] {
			facts = append(facts, fact(card.Plain(f.k), card.Plain(f.v)))
		}
	}
	if !t.Time.IsZero() {
		facts = append(facts, fact(card.Format("Time (UTC)"), card.Plain(t.Time.UTC().Format(time.RFC3339))))
	}
	return facts
}

// helpDeskText is a help-desk card as plain text, for clients without
// cards (and the notification).
func helpDeskText(d diagnose.Diagnosis, o cardOptions) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n\n%s\n", severityLabel(d.Severity), d.Headline, d.Explanation)
	for _, r := range d.Recommendations {
		fmt.Fprintf(&b, "\n- %s: %s", partyLabel(r.Who, d.Audience), r.Text)
	}
	if d.Estimate != nil && d.Estimate.Text != "" {
		fmt.Fprintf(&b, "\n\nWhen: %s", d.Estimate.Text)
	}
	if d.Ticket.ChangeID != "" {
		fmt.Fprintf(&b, "\n\nChange ID %s, cycle ID %s, job ID %s", d.Ticket.ChangeID, d.Ticket.CycleID, d.Ticket.JobID)
		if d.Ticket.ErrorCode != "" {
			fmt.Fprintf(&b, ", error code %s", d.Ticket.ErrorCode)
		}
	}
	return b.String()
}

// userLabel names a person: their name and user name, as known.
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

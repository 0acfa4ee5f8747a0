package bot

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

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
func diagnosisCard(d diagnose.Diagnosis, o cardOptions) adaptiveCard {
	body := []any{
		map[string]any{
			"type": "ColumnSet",
			"columns": []any{
				map[string]any{"type": "Column", "width": "auto", "verticalContentAlignment": "center",
					"items": []any{textBlock(severityLabel(d.Severity), bold, color(severityColor(d.Severity)))}},
				map[string]any{"type": "Column", "width": "stretch",
					"items": []any{textBlock(d.App.Name+" · "+userLabel(d.User), subtle, small)}},
			},
		},
		textBlock(d.Headline, bold, medium),
		textBlock(d.Explanation),
	}
	if len(d.Recommendations) > 0 {
		body = append(body, textBlock("What to do", bold, func(m map[string]any) { m["spacing"] = "medium" }))
		var facts []any
		for _, r := range d.Recommendations {
			facts = append(facts, fact(partyLabel(r.Who, d.Audience), r.Text))
		}
		body = append(body, factSet(facts))
	}
	if d.Estimate != nil && d.Estimate.Text != "" {
		body = append(body, textBlock("When: "+d.Estimate.Text, color("accent")))
	}
	for _, n := range d.Notes {
		body = append(body, textBlock(n.Text, subtle))
	}
	if d.Status != nil {
		body = append(body, statusContainer(d.App.Name, *d.Status, o))
	}
	if len(d.Timeline) > 0 {
		body = append(body, timelineContainer(d, o))
	}
	if d.Audience == diagnose.HelpDesk {
		if ev := evidenceContainer(d, o); ev != nil {
			body = append(body, ev)
		}
	}
	var actions []any
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
	return fitCard(newCard(body, diagnosisText(d, o)))
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
func statusContainer(app string, s diagnose.AppStatus, o cardOptions) map[string]any {
	items := []any{textBlock(app+" provisioning: "+s.State, bold)}
	if s.HasProgress || s.CycleKind == "initial" {
		line := "Cycle: " + s.CycleKind
		if s.HasProgress {
			line += "  " + progressBar(s.Progress)
		}
		items = append(items, textBlock(line, noSpace))
	}
	facts := []any{}
	if s.Users > 0 || s.Groups > 0 {
		facts = append(facts, fact("In scope", fmt.Sprintf("%d users, %d groups", s.Users, s.Groups)))
	}
	if !s.LastRun.IsZero() {
		v := when(s.LastRun, o.Now, o.Loc)
		if s.LastRunState != "" && s.LastRunState != diagnose.ExecutionUnknown {
			v += " (" + string(s.LastRunState) + ")"
		}
		facts = append(facts, fact("Last run", v))
	}
	if !s.NextRun.IsZero() {
		facts = append(facts, fact("Next run", when(s.NextRun, o.Now, o.Loc)))
	}
	if s.Quarantined {
		facts = append(facts, fact("Quarantine", s.QuarantineReason))
		if !s.NextAttempt.IsZero() {
			facts = append(facts, fact("Next attempt", when(s.NextAttempt, o.Now, o.Loc)))
		}
	}
	if len(facts) > 0 {
		items = append(items, factSet(facts))
	}
	items = append(items, textBlock(s.Verdict, subtle, color(statusColor(s))))
	return container(items, emphasis, separator)
}

func statusColor(s diagnose.AppStatus) string {
	if s.Healthy {
		return "good"
	}
	return "attention"
}

// timelineContainer lists the decisive entry's steps with ✓/✗/skipped.
func timelineContainer(d diagnose.Diagnosis, o cardOptions) map[string]any {
	title := "Steps"
	if !d.Ticket.Time.IsZero() {
		title += " at " + when(d.Ticket.Time, o.Now, o.Loc)
	}
	items := []any{textBlock(title, bold)}
	var facts []any
	for _, s := range d.Timeline {
		v := stepMark(s.Status)
		if o.AllSteps {
			v += " " + clip(s.Description, 300)
			if d.Audience == diagnose.HelpDesk && s.Name != "" {
				v += " [" + s.Name + "]"
			}
		}
		facts = append(facts, fact(stepTitle(s.Type), v))
	}
	items = append(items, factSet(facts))
	return container(items, separator)
}

// evidenceContainer shows help desk the evidence and support ids.
func evidenceContainer(d diagnose.Diagnosis, o cardOptions) map[string]any {
	var facts []any
	t := d.Ticket
	for _, f := range []struct{ k, v string }{
		{"Rule", d.RuleID + " · " + string(d.Category)},
		{"Error code", t.ErrorCode}, {"Change ID", t.ChangeID}, {"Cycle ID", t.CycleID},
		{"Job ID", t.JobID}, {"Activity ID", t.ActivityID}, {"App object ID", t.ServicePrincipalID},
	} {
		if f.v != "" {
			facts = append(facts, fact(f.k, f.v))
		}
	}
	if !t.Time.IsZero() {
		facts = append(facts, fact("Time", t.Time.UTC().Format(time.RFC3339)))
	}
	const maxEvidence = 12
	for i, e := range d.Evidence {
		if i == maxEvidence {
			facts = append(facts, fact("…", fmt.Sprintf("%d more", len(d.Evidence)-maxEvidence)))
			break
		}
		facts = append(facts, fact(clip(e.Field, 60), clip(e.Value, 300)))
	}
	if len(facts) == 0 {
		return nil
	}
	return container([]any{textBlock("Evidence", bold), factSet(facts)}, separator)
}

// summaryCard lists several apps' diagnoses, worst first, one line each,
// with a button to open each one.
func summaryCard(ds []diagnose.Diagnosis, o cardOptions) adaptiveCard {
	if len(ds) == 0 {
		return messageCard("No apps found", "provbot found no app that provisions this user.")
	}
	name := userLabel(ds[0].User)
	body := []any{textBlock(name+": "+plural(len(ds), "app"), bold, medium)}
	for _, d := range ds {
		data := ActionData{Verb: VerbDiagnose, User: d.User.ObjectID, App: d.App.ServicePrincipalID}
		if data.App == "" {
			data.App = d.App.Name
		}
		data.Kind = "provbot"
		body = append(body, map[string]any{
			"type": "ColumnSet",
			"columns": []any{
				map[string]any{"type": "Column", "width": "auto",
					"items": []any{textBlock(severityLabel(d.Severity), bold, color(severityColor(d.Severity)))}},
				map[string]any{"type": "Column", "width": "stretch",
					"items": []any{textBlock(d.App.Name, bold), textBlock(d.Headline, noSpace)}},
			},
			"selectAction": map[string]any{"type": "Action.Submit", "title": "Open " + d.App.Name, "data": data},
			"separator":    true,
		})
	}
	var actions []any
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

// fitCard drops detail until the card is under the size limit: first the
// evidence, then step descriptions, then notes.
func fitCard(c adaptiveCard) adaptiveCard {
	if cardSize(c) <= maxCardBytes {
		return c
	}
	body, _ := c["body"].([]any)
	for _, drop := range []string{"Evidence", "Steps"} {
		for i, el := range body {
			if m, ok := el.(map[string]any); ok && m["type"] == "Container" {
				if items, _ := m["items"].([]any); len(items) > 0 {
					if tb, ok := items[0].(map[string]any); ok && strings.HasPrefix(fmt.Sprint(tb["text"]), drop) {
						body = append(body[:i:i], body[i+1:]...)
						c["body"] = body
						break
					}
				}
			}
		}
		if cardSize(c) <= maxCardBytes {
			return c
		}
	}
	if fb, ok := c["fallbackText"].(string); ok {
		c["fallbackText"] = clip(fb, 2000)
	}
	return c
}

func cardSize(c adaptiveCard) int {
	b, err := json.Marshal(c)
	if err != nil {
		return maxCardBytes + 1
	}
	return len(b)
}

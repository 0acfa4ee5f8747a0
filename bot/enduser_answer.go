package bot

import (
	"strings"

	"github.com/provbot/provbot/diagnose"
)

// EndUserAnswer is what provbot tells an end user about their account in
// one app, part by part, in the order the card shows it. Every part is
// plain words: no error codes, ids, step names, job states or counts.
// The card, its plain-text fallback and `provbot diagnose --as` all say
// it from here.
type EndUserAnswer struct {
	// App is the app's name.
	App string
	// Severity is how bad it is (drawn as a colour or a mark).
	Severity diagnose.Severity
	// Lead is the one sentence to them that leads ("Your ServiceNow
	// account is set up."); Rest is the rest of the explanation.
	Lead, Rest string
	// ToDo is what to do, one sentence each.
	ToDo []string
	// When is the estimate, if there is one.
	When string
	// AppState is how the app is doing in plain words, or "" when the
	// lead says it already or the app's state is unknown.
	AppState string
	// Notes are the asides (repeated failures and the like).
	Notes []string
}

// EndUserAnswerOf says d to an end user.
func EndUserAnswerOf(d diagnose.Diagnosis) EndUserAnswer {
	a := EndUserAnswer{App: d.App.Name, Severity: d.Severity}
	a.Lead, a.Rest = endUserLead(d)
	for _, r := range d.Recommendations {
		a.ToDo = append(a.ToDo, r.Text)
	}
	if d.Estimate != nil {
		a.When = d.Estimate.Text
	}
	if d.Status != nil {
		if state, _ := plainState(d.App.Name, d.Status); !strings.Contains(a.Lead, strings.TrimSuffix(state, ".")) {
			a.AppState = state
		}
	}
	for _, n := range d.Notes {
		a.Notes = append(a.Notes, n.Text)
	}
	return a
}

// Text is the answer as plain text, for clients without cards (and the
// notification): the lead, the rest, what to do and when.
func (a EndUserAnswer) Text() string {
	s := a.Lead
	if a.Rest != "" {
		s += "\n\n" + a.Rest
	}
	for _, t := range a.ToDo {
		s += "\n- " + t
	}
	if a.When != "" {
		s += "\n\nWhen: " + a.When
	}
	return s
}

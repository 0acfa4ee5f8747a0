package bot

import (
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
)

// cardOptions shape how a diagnosis is drawn.
type cardOptions struct {
	// Now and Loc place times ("14:40 UTC").
	Now time.Time
	Loc *time.Location
	// Watchable offers "Notify me" on diagnoses whose estimate names a
	// time (see watchable): the conversation keeps watches.
	Watchable bool
	// AllSteps opens a help-desk card's details (the steps with their
	// descriptions, the app's status, the evidence); end users never see
	// steps.
	AllSteps bool
	// Offer is what a help-desk card offers to do (approved fixes); end
	// users are never offered anything.
	Offer actionOffer
}

// The ids of a diagnosis card's parts, for toggles and for tests that
// measure where each is drawn.
const (
	idVerdict  = "verdict"
	idAction   = "action"
	idTicket   = "ticket"
	idDetails  = "details"
	idCopy     = "copy"
	idCopyText = "ticketText"
)

// diagnosisCard draws one diagnosis for its audience: an end user reads
// what it means for them in plain words; the help desk reads the verdict,
// the action and the ticket's facts first, and the evidence on demand.
// Both are private: they are about one person's account.
func diagnosisCard(d diagnose.Diagnosis, o cardOptions) card.AdaptiveCard {
	var c card.AdaptiveCard
	if d.Audience == diagnose.HelpDesk {
		c = helpDeskCard(d, o)
	} else {
		c = endUserCard(d, o)
	}
	c.Private = true
	return c
}

// endUserCard tells an end user about their account: one sentence to
// them first, then what to do and when, and the app's state in plain
// words. It has no error codes, ids, steps, job states or counts.
func endUserCard(d diagnose.Diagnosis, o cardOptions) card.AdaptiveCard {
	a := EndUserAnswerOf(d)
	body := []card.Element{
		container([]card.Element{
			textBlock(card.Format("%s · %s", severityLabel(d.Severity), d.App.Name), small, bold),
			textBlock(card.Plain(a.Lead), bold, medium, noSpace),
		}, id(idVerdict), style(severityStyle(d.Severity))),
	}
	if a.Rest != "" {
		body = append(body, textBlock(card.Plain(a.Rest)))
	}
	var todo []card.Element
	if len(a.ToDo) > 0 {
		todo = append(todo, textBlock(card.Format("What to do"), bold))
		for _, t := range a.ToDo {
			todo = append(todo, textBlock(card.Plain(t), noSpace))
		}
	}
	if a.When != "" {
		todo = append(todo, textBlock(card.Format("When: %s", a.When)))
	}
	if len(todo) > 0 {
		body = append(body, container(todo, id(idAction)))
	}
	if a.AppState != "" {
		body = append(body, textBlock(card.Plain(a.AppState), subtle))
	}
	for _, n := range a.Notes {
		body = append(body, textBlock(card.Plain(n), subtle))
	}
	body = append(body, actionSet(withNotifyMe(d, o, diagnosisButtons(d, false))...))
	return fitCard(newCard(body, a.Text()))
}

// diagnosisButtons are a diagnosis card's buttons: Refresh and the
// person's other apps; for the help desk also the Learn more article, in
// the overflow menu.
func diagnosisButtons(d diagnose.Diagnosis, helpDesk bool) []card.Action {
	data := ActionData{User: d.User.ObjectID, App: d.App.ServicePrincipalID}
	if data.App == "" {
		data.App = d.App.Name
	}
	r := data
	r.Verb = VerbRefresh
	refresh := button("Refresh", r)
	var other card.Action
	if d.User.ObjectID != "" {
		a := data
		a.Verb, a.App = VerbApps, ""
		other = button("Other apps", a)
	}
	if !helpDesk {
		as := []card.Action{refresh}
		if other != nil {
			as = append(as, other)
		}
		return as
	}
	as := []card.Action{refresh}
	if other != nil {
		as = append(as, secondary(other.(card.Execute)))
	}
	if d.Article.URL != "" {
		as = append(as, openURL("Learn more", d.Article.URL))
	}
	return as
}

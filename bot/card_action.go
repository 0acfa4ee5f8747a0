package bot

import (
	"strings"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
)

// idOnDemand is the id of the banner that shows an action's result on top
// of the card it updated.
const idOnDemand = "actionResult"

// offerButtons are the actions a help-desk diagnosis card offers (see
// offerFor): each opens a confirmation first.
func offerButtons(d diagnose.Diagnosis, o cardOptions) []card.Action {
	var as []card.Action
	if o.Offer.Provision {
		as = append(as, button("Provision now…", ActionData{Verb: VerbProvision, User: d.User.ObjectID, App: d.App.ServicePrincipalID, Job: o.Offer.JobID}))
	}
	if o.Offer.Restart {
		as = append(as, button("Restart provisioning…", ActionData{Verb: VerbRestart, User: d.User.ObjectID, App: d.App.ServicePrincipalID, Job: o.Offer.JobID}))
	}
	return as
}

// confirmButtons are a confirmation's two buttons; the first carries only
// the token, Cancel also where to go back to.
func confirmButtons(title, verb string, p pending, token string) card.ActionSet {
	return actionSet(
		button(title, ActionData{Verb: verb, Token: token}),
		button("Cancel", ActionData{Verb: VerbCancel, Token: token, User: p.User, App: p.App, Job: p.Job}),
	)
}

// confirmCard lays out a confirmation: a question, what it does, the
// buttons.
func confirmCard(title string, body []card.Element, buttons card.ActionSet, fallback string) card.AdaptiveCard {
	els := append([]card.Element{container([]card.Element{textBlock(card.Plain(title), bold, medium)}, style(card.StyleEmphasis))}, body...)
	els = append(els, buttons)
	c := newCard(els, title+"\n\n"+fallback)
	c.Private = true
	return c
}

// provisionConfirmCard asks before provisioning someone on demand and says
// what it does.
func provisionConfirmCard(p pending, token string, dataFix bool) card.AdaptiveCard {
	title := "Provision " + p.UserName + " in " + p.AppName + " now?"
	what := "Microsoft Entra will run the provisioning steps for this one person now, as its next cycle would: read the account from the directory, check that it is in scope, look for a matching account in " +
		p.AppName + ", and create or update it there. It provisions no one that the cycle would skip, and usually takes under 30 seconds."
	body := []card.Element{textBlock(card.Plain(what))}
	if dataFix {
		body = append(body, textBlock(card.Plain("Do this once the cause above is fixed: until then it fails the same way.")))
	}
	body = append(body, textBlock(card.Format("The result replaces this card, and the action is recorded in provbot's audit under your name."), subtle, small))
	return confirmCard(title, body, confirmButtons("Provision now", VerbProvisionConfirm, p, token), what)
}

// restartCauseCard is a restart's first question: is the cause fixed?
func restartCauseCard(p pending, token string, job *diagnose.Job) card.AdaptiveCard {
	title := "Restart " + p.AppName + " provisioning?"
	body := []card.Element{textBlock(card.Plain(p.AppName + " provisioning is quarantined. A restart helps only once the cause is fixed; otherwise the job goes straight back into quarantine."))}
	if q := job.Status.Quarantine; q != nil && q.Error != nil && q.Error.Message != "" {
		body = append(body, textBlock(card.Format("The service's reason: “%s”", clip(q.Error.Message, 400))))
	}
	body = append(body, textBlock(card.Plain("Has it been fixed in the Microsoft Entra admin center (for example, new admin credentials saved and Test Connection passed)?")))
	return confirmCard(title, body, confirmButtons("Yes, it's fixed", VerbRestartConfirm, p, token), "A restart helps only once the cause is fixed.")
}

// restartEffectCard is a restart's second question: it says what a
// restart does before the admin confirms it.
func restartEffectCard(p pending, token string, app *diagnose.App, job *diagnose.Job, o cardOptions) card.AdaptiveCard {
	title := "What a restart of " + p.AppName + " does"
	st := diagnose.StatusOf(job, app.InScope, o.Now, o.Loc)
	scope := "everyone in scope"
	if st.Users > 0 {
		scope = "everyone in scope (" + plural(int(st.Users), "user") + " synchronized so far)"
	}
	points := []string{
		"It lifts the quarantine, so the job runs on its schedule again.",
		"It starts a new initial cycle: Microsoft Entra evaluates " + scope + " again, not only what changed. That takes longer than a usual cycle, and other changes wait until it ends.",
		"Failures waiting for a retry are dropped; each account is tried again in the new cycle.",
		"Accounts stay linked to their " + p.AppName + " accounts, and deletions held back by the accidental-deletions threshold stay held.",
	}
	body := make([]card.Element, 0, len(points)+1)
	for _, s := range points {
		body = append(body, textBlock(card.Format("• %s", s), noSpace))
	}
	body = append(body, textBlock(card.Format("This is the admin center's “Restart provisioning”. It is recorded in provbot's audit under your name."), subtle, small))
	return confirmCard(title, body, confirmButtons("Restart now", VerbRestartConfirm, p, token), strings.Join(points, "\n"))
}

// stillRunningCard says an action is still running and how to see its
// result.
func stillRunningCard(p pending, token string) card.AdaptiveCard {
	verb := VerbProvisionConfirm
	text := "Microsoft Entra is still provisioning " + p.UserName + " in " + p.AppName + ". This can take up to 30 seconds."
	if p.Action == auditRestart {
		verb = VerbRestartConfirm
		text = "Microsoft Entra has not answered the restart of " + p.AppName + " provisioning yet."
	}
	c := newCard([]card.Element{
		textBlock(card.Format("Still working…"), bold, medium),
		textBlock(card.Plain(text)),
		actionSet(button("Show the result", ActionData{Verb: verb, Token: token})),
	}, text)
	c.Private = true
	return c
}

// writeFailedCard says why a write did not happen; retry offers the same
// confirmation again when trying again can work.
func writeFailedCard(title, text string, p pending, token string, retry bool) card.AdaptiveCard {
	body := []card.Element{textBlock(card.Plain(title), bold, medium), textBlock(card.Plain(text))}
	if retry {
		verb := VerbProvisionConfirm
		if p.Action == auditRestart {
			verb = VerbRestartConfirm
		}
		body = append(body, confirmButtons("Try again", verb, p, token))
	}
	c := newCard(body, title+"\n\n"+text)
	c.Private = true
	return c
}

// onDemandBanner shows what provisioning on demand did: the service's
// verdict, its message, and each step.
func onDemandBanner(run onDemandRun, shared bool, o cardOptions) card.Element {
	res := run.Result
	name := res.Entry.Source.DisplayName
	if name == "" {
		name = "the account"
	}
	var head string
	st := card.StyleAccent
	switch diagnose.ParseResult(res.Result) {
	case diagnose.ResultSuccess:
		head, st = "✓ Provisioned on demand", card.StyleGood
	case diagnose.ResultSkipped:
		head = "⤼ Provisioning on demand skipped this account"
	case diagnose.ResultFailure:
		head, st = "✗ Provisioning on demand failed", card.StyleAttention
	default:
		head = "Provisioning on demand: " + res.Result
	}
	items := []card.Element{textBlock(card.Plain(head), bold)}
	if res.ErrorMessage != "" {
		msg := "“" + clip(res.ErrorMessage, 400) + "”"
		if res.ErrorCode != "" {
			msg += " (" + res.ErrorCode + ")"
		}
		items = append(items, textBlock(card.Plain(msg), noSpace))
	}
	var facts []card.Fact
	for _, s := range res.Entry.Steps {
		facts = append(facts, fact(card.Plain(s.Type.Words()), card.Plain(stepMark(s.Status)+" "+clip(s.Description, 300))))
	}
	if len(facts) > 0 {
		items = append(items, factSet(facts))
	}
	by := "Asked by " + run.By + " at " + when(res.Entry.ActivityTime, o.Now, o.Loc)
	if shared {
		by = "Already done: " + strings.ToLower(by[:1]) + by[1:]
	}
	if res.RequestID != "" {
		by += " · request-id " + res.RequestID
	}
	items = append(items, textBlock(card.Plain(by), subtle, small))
	return container(items, id(idOnDemand), style(st))
}

// restartBanner says a restart was requested.
func restartBanner(p pending, shared bool) card.Element {
	head := "✓ Restart requested"
	if shared {
		head = "✓ Restart already requested"
	}
	return container([]card.Element{
		textBlock(card.Plain(head), bold),
		textBlock(card.Plain(p.AppName+" provisioning starts a new initial cycle; the status below is what Microsoft Entra reports now."), noSpace),
	}, id(idOnDemand), style(card.StyleGood))
}

// infoBanner is a short note on top of a card.
func infoBanner(title, text string) card.Element {
	return container([]card.Element{textBlock(card.Plain(title), bold), textBlock(card.Plain(text), noSpace)}, id(idOnDemand), style(card.StyleEmphasis))
}

// withBanner puts a banner on top of a card.
func withBanner(c card.AdaptiveCard, banner card.Element) card.AdaptiveCard {
	c.Body = append([]card.Element{banner}, c.Body...)
	c.Private = true
	return fitCard(c)
}

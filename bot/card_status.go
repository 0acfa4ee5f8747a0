package bot

import (
	"fmt"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
)

// appInfo is one app that provisions users, for the apps and status cards.
type appInfo struct {
	// ID is the service principal object id.
	ID string
	// Name is the app's display name.
	Name string
	// Status is the app's job status; nil when it could not be read.
	Status *diagnose.AppStatus
}

// plainState says how an app's provisioning is doing, for end users: one
// sentence with no state name, error, id or count, and whether it works.
// It reads only the job's state, never its error message (which can name
// other people).
func plainState(app string, s *diagnose.AppStatus) (sentence string, working bool) {
	if s == nil {
		return fmt.Sprintf("I couldn't read how %s is doing.", app), false
	}
	switch s.State {
	case "running":
		return fmt.Sprintf("%s is working normally.", app), true
	case "initial cycle":
		return fmt.Sprintf("%s is being set up: everyone's accounts are being made for the first time.", app), true
	case "quarantined":
		return fmt.Sprintf("%s updates are on hold until an admin fixes them.", app), false
	case "failing":
		return fmt.Sprintf("%s updates are not getting through right now; they are tried again on their own.", app), false
	case "paused":
		return fmt.Sprintf("%s updates are paused until an admin turns them back on.", app), false
	case "disabled":
		return fmt.Sprintf("%s updates were switched off; an admin needs to turn them back on.", app), false
	case "not configured":
		return fmt.Sprintf("%s does not get accounts automatically.", app), false
	}
	return fmt.Sprintf("I couldn't tell how %s is doing.", app), false
}

// plainWord is an app's state in one plain word or two, for the list of
// apps an end user sees.
func plainWord(s *diagnose.AppStatus) string {
	if s == nil {
		return "? unknown"
	}
	switch s.State {
	case "running":
		return "✓ working"
	case "initial cycle":
		return "✓ being set up"
	case "quarantined":
		return "✗ on hold"
	case "failing":
		return "✗ not getting through"
	case "paused":
		return "✗ paused"
	case "disabled":
		return "✗ switched off"
	case "not configured":
		return "– not automatic"
	}
	return "? unknown"
}

// stateWord is an app's state as the help desk reads it: the portal's word
// with a mark that says whether it works.
func stateWord(s *diagnose.AppStatus) string {
	if s == nil {
		return "? status unknown"
	}
	if s.Healthy {
		return "✓ " + s.State
	}
	return "✗ " + s.State
}

// statusCard is the help desk's view of an app's provisioning, as Entra's
// "Current Status" panel shows it, with the job's ids and last error. It
// is private: an app's error message can name other people.
func statusCard(app appInfo, o cardOptions) card.AdaptiveCard {
	body := []card.Element{textBlock(card.Plain(app.Name), bold, large)}
	if app.Status == nil {
		body = append(body, textBlock(card.Format("provbot could not read this app's provisioning status.")))
		return newCard(body, app.Name+": status unknown")
	}
	s := *app.Status
	body = append(body, statusVerdict(s))
	facts := statusFacts(s, o)
	if s.LastRunError.Text() != "" {
		facts = append(facts, fact(card.Format("Last error"), card.Plain(clip(s.LastRunError.Text(), 300))))
	}
	if !s.LastSuccess.IsZero() {
		v := when(s.LastSuccess, o.Now, o.Loc)
		if s.LastCycleDuration > 0 {
			v += fmt.Sprintf(" (took %s)", s.LastCycleDuration.Round(1e9))
		}
		facts = append(facts, fact(card.Format("Last clean run"), card.Plain(v)))
	}
	facts = append(facts, fact(card.Format("Job ID"), card.Plain(s.JobID)))
	if s.ActivityID != "" {
		facts = append(facts, fact(card.Format("Activity ID"), card.Plain(s.ActivityID)))
	}
	body = append(body, factSet(facts))
	r := ActionData{Verb: VerbStatus, App: app.ID}
	if r.App == "" {
		r.App = app.Name
	}
	buttons := []card.Action{button("Refresh", r)}
	if o.Offer.Restart {
		buttons = append(buttons, button("Restart provisioning…", ActionData{Verb: VerbRestart, App: app.ID, Job: o.Offer.JobID}))
	}
	body = append(body, actionSet(buttons...))
	c := newCard(body, app.Name+" provisioning: "+s.State+". "+s.Verdict)
	c.Private = true
	return c
}

// statusVerdict says whether an app's provisioning works, and its verdict
// (which names the state and the quarantine's reason), on a background
// that repeats the words.
func statusVerdict(s diagnose.AppStatus) card.Container {
	mark, st := "✓ Working", card.StyleGood
	if !s.Healthy {
		mark, st = "✗ Not working", card.StyleAttention
	}
	return container([]card.Element{
		textBlock(card.Plain(mark), bold),
		textBlock(card.Plain(s.Verdict), noSpace),
	}, style(st))
}

// statusFacts are the Current Status panel's facts: cycle and progress,
// what is in scope, the last and next run (a quarantined job's next
// attempt). The verdict says the quarantine's reason.
func statusFacts(s diagnose.AppStatus, o cardOptions) []card.Fact {
	var facts []card.Fact
	if s.HasProgress || s.CycleKind == "initial" {
		v := card.Plain(s.CycleKind)
		if s.HasProgress {
			v = card.Format("%s  %s", s.CycleKind, progressBar(s.Progress))
		}
		facts = append(facts, fact(card.Format("Cycle"), v))
	}
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
	if s.Quarantined && !s.NextAttempt.IsZero() && !s.NextAttempt.Equal(s.NextRun) {
		facts = append(facts, fact(card.Format("Next attempt"), card.Plain(when(s.NextAttempt, o.Now, o.Loc))))
	}
	return facts
}

// plainStatusCard is an end user's view of an app: whether it works, in
// plain words, and what to do when it does not. It says nothing the app
// or the job wrote.
func plainStatusCard(app appInfo, contact string) card.AdaptiveCard {
	sentence, working := plainState(app.Name, app.Status)
	mark, st := "✓ Working", card.StyleGood
	if !working {
		mark, st = "✗ Not working", card.StyleAttention
	}
	if app.Status == nil {
		mark, st = "? Unknown", card.StyleEmphasis
	}
	if app.Status != nil && app.Status.State == "not configured" {
		mark, st = "– Not automatic", card.StyleEmphasis
	}
	body := []card.Element{
		textBlock(card.Plain(app.Name), bold, large),
		container([]card.Element{textBlock(card.Plain(mark), bold), textBlock(card.Plain(sentence), noSpace)}, style(st)),
	}
	next := "New accounts and changes reach " + app.Name + " on their own."
	switch {
	case app.Status == nil:
		next = "Please try again in a minute."
	case app.Status.State == "not configured":
		next = "To get an account in " + app.Name + ", ask " + contact + "."
	case !working:
		next = "New accounts and changes wait until then, and then go out on their own. If you need " + app.Name + " now, ask " + contact + "."
	}
	body = append(body, textBlock(card.Plain(next)))
	r := ActionData{Verb: VerbStatus, App: app.ID}
	if r.App == "" {
		r.App = app.Name
	}
	body = append(body, actionSet(button("Refresh", r)))
	return newCard(body, app.Name+": "+sentence+" "+next)
}

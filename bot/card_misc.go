package bot

import (
	"fmt"
	"strings"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
)

// messageCard is a card with a title and a plain message, both shown as
// written (escaped).
func messageCard(title, text string) card.AdaptiveCard {
	return newCard([]card.Element{textBlock(card.Plain(title), bold, medium), textBlock(card.Plain(text))}, title+"\n\n"+text)
}

// apologyCard apologises for an answer that could not be given; text is
// shown as written (escaped).
func apologyCard(text string) card.AdaptiveCard {
	return newCard([]card.Element{
		textBlock(card.Format("Sorry, I couldn't answer that"), bold, medium, color(card.ColorAttention)),
		textBlock(card.Plain(text)),
	}, "Sorry, I couldn't answer that. "+text)
}

// appInfo is one app that provisions users, for the apps and status cards.
type appInfo struct {
	// ID is the service principal object id.
	ID string
	// Name is the app's display name.
	Name string
	// Status is the app's job status; nil when it could not be read.
	Status *diagnose.AppStatus
}

// statusCard shows an app's provisioning status as the Entra "Current
// Status" panel does.
func statusCard(app appInfo, o cardOptions) card.AdaptiveCard {
	body := []card.Element{textBlock(card.Plain(app.Name), bold, large)}
	if app.Status == nil {
		body = append(body, textBlock(card.Format("provbot could not read this app's provisioning status.")))
		return newCard(body, app.Name+": status unknown")
	}
	s := *app.Status
	body = append(body, statusContainer(app.Name, s, o))
	facts := []card.Fact{fact(card.Format("Job ID"), card.Plain(s.JobID))}
	if s.ActivityID != "" {
		facts = append(facts, fact(card.Format("Activity ID"), card.Plain(s.ActivityID)))
	}
	if !s.LastSuccess.IsZero() {
		v := when(s.LastSuccess, o.Now, o.Loc)
		if s.LastCycleDuration > 0 {
			v += fmt.Sprintf(" (took %s)", s.LastCycleDuration.Round(1e9))
		}
		facts = append(facts, fact(card.Format("Last clean cycle"), card.Plain(v)))
	}
	if s.LastRunError != nil {
		facts = append(facts, fact(card.Format("Last error"), card.Plain(clip(s.LastRunError.Code+": "+s.LastRunError.Message, 300))))
	}
	body = append(body, factSet(facts))
	r := ActionData{Verb: VerbStatus, App: app.ID}
	if r.App == "" {
		r.App = app.Name
	}
	body = append(body, actionSet(button("Refresh", r)))
	return newCard(body, app.Name+" provisioning: "+s.State+". "+s.Verdict)
}

// appsCard lists the apps that provision users, each with its state.
func appsCard(apps []appInfo, o cardOptions) card.AdaptiveCard {
	if len(apps) == 0 {
		return messageCard("No provisioning apps", "No app in this tenant has automatic provisioning set up.")
	}
	body := []card.Element{textBlock(card.Format("Apps that provision users (%d)", len(apps)), bold, medium)}
	var facts []card.Fact
	var fb strings.Builder
	for _, a := range apps {
		state := "status unknown"
		if a.Status != nil {
			state = a.Status.State
			if !a.Status.Healthy {
				state = "✗ " + state
			} else {
				state = "✓ " + state
			}
		}
		facts = append(facts, fact(card.Plain(a.Name), card.Plain(state)))
		fb.WriteString("- " + a.Name + ": " + state + "\n")
	}
	body = append(body, factSet(facts))
	var actions []card.Action
	for i, a := range apps {
		if i == 6 {
			break
		}
		d := ActionData{Verb: VerbStatus, App: a.ID}
		if d.App == "" {
			d.App = a.Name
		}
		actions = append(actions, button("Status of "+a.Name, d))
	}
	body = append(body, actionSet(actions...))
	return newCard(body, fb.String())
}

// pickUserCard asks which of several people the asker meant; each button
// continues the lookup for one of them.
func pickUserCard(who, app string, candidates []diagnose.User) card.AdaptiveCard {
	return userPicker(card.Format("%d people match “%s”", len(candidates), who), card.Format("Which one do you mean?"),
		fmt.Sprintf("Several people match %q. Ask again with one of these:\n", who), app, candidates)
}

// userPicker is a card with a headline, a question and a button for each
// candidate, which continues the lookup (in app) for that person.
// fallback begins the card's fallback text, which lists the candidates.
func userPicker(headline, question card.Markdown, fallback, app string, candidates []diagnose.User) card.AdaptiveCard {
	body := []card.Element{textBlock(headline, bold, medium), textBlock(question)}
	var actions []card.Action
	var fb strings.Builder
	fb.WriteString(fallback)
	for i, u := range candidates {
		if i == 10 {
			body = append(body, textBlock(card.Format("…and %d more. Ask with their email address to narrow it down.", len(candidates)-10), subtle))
			break
		}
		label := u.DisplayName
		if u.UPN != "" {
			label += " (" + u.UPN + ")"
		}
		actions = append(actions, button(clip(label, 60), ActionData{Verb: VerbPickUser, User: u.ObjectID, App: app}))
		fb.WriteString("- " + label + "\n")
	}
	body = append(body, actionSet(actions...))
	return newCard(body, fb.String())
}

// pickAppCard says an app name was not found and offers the closest
// names; each button continues with verb (VerbPickApp for a diagnosis,
// VerbStatus for an app's status) for that app.
func pickAppCard(asked, user string, closest []appInfo, verb string) card.AdaptiveCard {
	headline := card.Format("I don't know an app called “%s”", asked)
	if len(closest) == 0 {
		body := []card.Element{textBlock(headline, bold, medium),
			textBlock(card.Format("No app with automatic provisioning has a similar name. Ask “which apps” to see them all."))}
		return newCard(body, fmt.Sprintf("I don't know an app called %q.", asked))
	}
	return appPicker(headline, card.Format("Did you mean one of these?"),
		fmt.Sprintf("I don't know an app called %q. Did you mean: %s?", asked, appNames(closest)), user, closest, verb)
}

// appPicker is a card with a headline, a question and a button for each
// app (as many as Teams shows), which continues with verb for that app
// (and user, if known).
// fallback is the card's fallback text.
func appPicker(headline, question card.Markdown, fallback, user string, apps []appInfo, verb string) card.AdaptiveCard {
	body := []card.Element{textBlock(headline, bold, medium), textBlock(question)}
	var actions []card.Action
	for i, a := range apps {
		if i == card.MaxActions {
			body = append(body, textBlock(card.Format("…and %d more. Ask again with the app's full name.", len(apps)-card.MaxActions), subtle))
			break
		}
		id := a.ID
		if id == "" {
			id = a.Name
		}
		actions = append(actions, button(a.Name, ActionData{Verb: verb, User: user, App: id}))
	}
	body = append(body, actionSet(actions...))
	return newCard(body, fallback)
}

// appNames lists the apps' names, for fallback texts.
func appNames(apps []appInfo) string {
	names := make([]string, 0, len(apps))
	for _, a := range apps {
		names = append(names, a.Name)
	}
	return strings.Join(names, ", ")
}

// welcomeCard greets a new conversation and says what the bot can do for
// this asker.
func welcomeCard(helpDesk bool) card.AdaptiveCard {
	body := []card.Element{
		textBlock(card.Format("Hi, I'm provbot"), bold, large),
		textBlock(card.Format("I explain why an account in an app like Salesforce or ServiceNow is missing or wrong, what will fix it, and when.")),
	}
	body = append(body, helpItems(helpDesk)...)
	return newCard(body, "Hi, I'm provbot. "+helpFallback(helpDesk))
}

// helpCard lists what the asker can ask.
func helpCard(helpDesk bool) card.AdaptiveCard {
	body := []card.Element{textBlock(card.Format("What you can ask me"), bold, medium)}
	body = append(body, helpItems(helpDesk)...)
	return newCard(body, helpFallback(helpDesk))
}

func helpItems(helpDesk bool) []card.Element {
	facts := []card.Fact{
		fact(card.Format("Your account"), card.Format("“Why can't I get into Salesforce?” or “Is my ServiceNow account ready?”")),
		fact(card.Format("All your apps"), card.Format("“Check my accounts”")),
		fact(card.Format("An app"), card.Format("“Status of Salesforce” or “Which apps”")),
	}
	if helpDesk {
		facts = append(facts,
			fact(card.Format("Anyone (help desk)"), card.Format("“Check adele@contoso.com in ServiceNow”, “Why is Adele Vance missing from Dropbox”, or an object id")))
	} else {
		facts = append(facts, fact(card.Format("Someone else"), card.Format("Only the help desk can look up other people's accounts.")))
	}
	return []card.Element{factSet(facts), actionSet(button("Check my accounts", ActionData{Verb: VerbApps}))}
}

func helpFallback(helpDesk bool) string {
	s := "Ask: \"Why can't I get into Salesforce?\", \"Is my ServiceNow account ready?\", \"Check my accounts\", \"Status of Salesforce\", \"Which apps\"."
	if helpDesk {
		s += " As help desk you can also ask \"Check adele@contoso.com in ServiceNow\"."
	}
	return s
}

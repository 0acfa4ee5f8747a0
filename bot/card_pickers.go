package bot

import (
	"fmt"
	"strings"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
)

// The ids of the pickers' inputs: the name of the ActionData field the
// picked value fills, since Teams merges a card's inputs into the data of
// the action that submits it.
const (
	inputUser = "user"
	inputApp  = "app"
)

// maxChoices bounds a picker's list; more would make a card nobody reads.
const maxChoices = 50

// maxExpanded is the most choices shown as radio buttons; a longer list is
// a drop-down.
const maxExpanded = 6

// choose is the one button that submits a picker: an Action.Execute that
// sends the card's inputs with data.
func choose(title string, d ActionData) card.Execute {
	d.Kind = "provbot"
	return card.Execute{Title: title, Verb: d.Verb, Data: d}
}

// choiceStyle lists few choices as radio buttons, more as a drop-down.
func choiceStyle(n int) card.ChoiceStyle {
	if n <= maxExpanded {
		return card.ChoiceExpanded
	}
	return card.ChoiceCompact
}

// pickUserCard asks which of several people the asker meant: one choice
// per person, one button that continues the lookup for the one picked. It
// is private: it lists people of the directory.
func pickUserCard(who, app string, candidates []diagnose.User) card.AdaptiveCard {
	return userPicker(card.Format("%d people match “%s”", len(candidates), who), "Which one do you mean?",
		fmt.Sprintf("Several people match %q. Ask again with one of these:\n", who), app, candidates)
}

// userPicker is a card with a headline, a choice of the candidates under
// label and one button that continues the lookup (in app) for the person
// picked. fallback begins the card's fallback text, which lists the
// candidates. It is private: it lists people of the directory.
func userPicker(headline card.Markdown, label, fallback, app string, candidates []diagnose.User) card.AdaptiveCard {
	body := []card.Element{textBlock(headline, bold, medium)}
	var choices []card.Choice
	var fb strings.Builder
	fb.WriteString(fallback)
	for i, u := range candidates {
		if i == maxChoices {
			body = append(body, textBlock(card.Format("…and %d more. Ask with their email address to narrow it down.", len(candidates)-maxChoices), subtle))
			break
		}
		label := u.DisplayName
		if u.UPN != "" {
			label += " (" + u.UPN + ")"
		}
		choices = append(choices, card.Choice{Title: label, Value: u.ObjectID})
		fb.WriteString("- " + label + "\n")
	}
	body = append(body,
		card.ChoiceSet{Common: card.Common{ID: inputUser}, Label: label, Choices: choices,
			Style: choiceStyle(len(choices)), Placeholder: "Pick a person"},
		actionSet(choose("Check", ActionData{Verb: VerbPickUser, App: app})))
	c := newCard(body, fb.String())
	c.Private = true
	return c
}

// pickAppCard says an app name was not found and offers the closest
// names; the one button continues with verb (VerbPickApp for a diagnosis,
// VerbStatus for an app's status) for the app picked.
func pickAppCard(asked, user string, closest []appInfo, verb string) card.AdaptiveCard {
	headline := card.Format("I don't know an app called “%s”", asked)
	if len(closest) == 0 {
		body := []card.Element{textBlock(headline, bold, medium),
			textBlock(card.Format("No app with automatic provisioning has a similar name. Ask “which apps” to see them all."))}
		return newCard(body, fmt.Sprintf("I don't know an app called %q.", asked))
	}
	return appPicker(headline, "Did you mean one of these?",
		fmt.Sprintf("I don't know an app called %q. Did you mean: %s?", asked, appNames(closest)), user, closest, verb)
}

// appPicker is a card with a headline, a choice of the apps under label
// and one button that continues with verb for the app picked (and user,
// if known). fallback is the card's fallback text.
func appPicker(headline card.Markdown, label, fallback, user string, apps []appInfo, verb string) card.AdaptiveCard {
	body := []card.Element{textBlock(headline, bold, medium)}
	var choices []card.Choice
	for i, a := range apps {
		if i == maxChoices {
			body = append(body, textBlock(card.Format("…and %d more. Ask again with the app's full name.", len(apps)-maxChoices), subtle))
			break
		}
		v := a.ID
		if v == "" {
			v = a.Name
		}
		choices = append(choices, card.Choice{Title: a.Name, Value: v})
	}
	body = append(body,
		card.ChoiceSet{Common: card.Common{ID: inputApp}, Label: label, Choices: choices,
			Style: choiceStyle(len(choices)), Placeholder: "Pick an app"},
		actionSet(choose("Check", ActionData{Verb: verb, User: user})))
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

// appsCard lists the apps that provision users, each with its state (in
// plain words for end users), and offers any app's status through a
// drop-down and one button.
func appsCard(apps []appInfo, aud diagnose.Audience) card.AdaptiveCard {
	if len(apps) == 0 {
		return messageCard("No provisioning apps", "No app in this tenant has automatic provisioning set up.")
	}
	body := []card.Element{textBlock(card.Format("Apps that provision users (%d)", len(apps)), bold, medium)}
	var facts []card.Fact
	var choices []card.Choice
	var fb strings.Builder
	for _, a := range apps {
		state := stateWord(a.Status)
		if aud != diagnose.HelpDesk {
			state = plainWord(a.Status)
		}
		facts = append(facts, fact(card.Plain(a.Name), card.Plain(state)))
		fb.WriteString("- " + a.Name + ": " + state + "\n")
		v := a.ID
		if v == "" {
			v = a.Name
		}
		if len(choices) < maxChoices {
			choices = append(choices, card.Choice{Title: a.Name, Value: v})
		}
	}
	body = append(body, factSet(facts),
		card.ChoiceSet{Common: card.Common{ID: inputApp}, Label: "See how one is doing", Choices: choices,
			Style: card.ChoiceCompact, Placeholder: "Pick an app"},
		actionSet(choose("Show status", ActionData{Verb: VerbStatus})))
	return newCard(body, fb.String())
}

package bot

import (
	"fmt"
	"strings"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
)

// summaryCard lists several apps' diagnoses of one person, worst first,
// one block each; selecting a block opens that app's diagnosis. An end user
// reads each verdict said to them; the help desk reads the headlines. It
// is private: it is about one person's accounts.
func summaryCard(ds []diagnose.Diagnosis, o cardOptions) card.AdaptiveCard {
	if len(ds) == 0 {
		return messageCard("No apps found", "provbot found no app that provisions this user.")
	}
	endUser := ds[0].Audience != diagnose.HelpDesk
	name := userLabel(ds[0].User)
	title := card.Format("%s: %s", name, plural(len(ds), "app"))
	if endUser {
		title = card.Format("Your accounts in %s", plural(len(ds), "app"))
	}
	body := []card.Element{
		textBlock(title, bold, medium),
		textBlock(card.Format("Select an app to see what is going on."), subtle, noSpace),
	}
	var fb strings.Builder
	fb.WriteString(title.String() + ":\n")
	for _, d := range ds {
		data := ActionData{Kind: "provbot", Verb: VerbDiagnose, User: d.User.ObjectID, App: d.App.ServicePrincipalID}
		if data.App == "" {
			data.App = d.App.Name
		}
		line := d.Headline
		if endUser {
			line, _ = endUserLead(d)
		}
		body = append(body, card.Container{
			Common: card.Common{Separator: true},
			Items: []card.Element{
				textBlock(card.Format("%s %s · %s", severityMark(d.Severity), d.App.Name, severityWord(d.Severity)), bold),
				textBlock(card.Plain(line), noSpace),
			},
			SelectAction: card.Submit{Title: "Open " + d.App.Name, Data: data, AssociatedInputs: card.InputsNone},
		})
		fmt.Fprintf(&fb, "- %s %s: %s\n", severityMark(d.Severity), d.App.Name, line)
	}
	c := fitCard(newCard(body, fb.String()))
	c.Private = true
	return c
}

// severityMark is a severity's symbol, which says it without colour.
func severityMark(s diagnose.Severity) string {
	mark, _, _ := strings.Cut(severityLabel(s), " ")
	return mark
}

// severityWord is a severity in words, lower case: "problem", "OK".
func severityWord(s diagnose.Severity) string {
	_, w, _ := strings.Cut(severityLabel(s), " ")
	if w == "OK" {
		return w
	}
	return strings.ToLower(w)
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

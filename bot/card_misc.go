package bot

import (
	"github.com/provbot/provbot/bot/card"
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
		textBlock(card.Format("⚠ Sorry, I couldn't answer that"), bold, medium),
		textBlock(card.Plain(text)),
	}, "Sorry, I couldn't answer that. "+text)
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
		fact(card.Format("Being told"), card.Format("“Tell me when my ServiceNow account is ready”, “My watches”")),
	}
	if helpDesk {
		facts = append(facts,
			fact(card.Format("Anyone (help desk)"), card.Format("“Check adele@contoso.com in ServiceNow”, “Why is Adele Vance missing from Dropbox”, or an object id")),
			fact(card.Format("Alerts (help desk)"), card.Format("In a channel: “Send alerts here”, “Mute Salesforce for 1 day”")))
	} else {
		facts = append(facts, fact(card.Format("Someone else"), card.Format("Only the help desk can look up other people's accounts.")))
	}
	return []card.Element{factSet(facts), actionSet(button("Check my accounts", ActionData{Verb: VerbApps}))}
}

func helpFallback(helpDesk bool) string {
	s := "Ask: \"Why can't I get into Salesforce?\", \"Is my ServiceNow account ready?\", \"Check my accounts\", \"Status of Salesforce\", \"Which apps\", \"Tell me when my ServiceNow account is ready\"."
	if helpDesk {
		s += " As help desk you can also ask \"Check adele@contoso.com in ServiceNow\", and say \"Send alerts here\" in a channel."
	}
	return s
}

package bot

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
)

// The cards of the conversation's own replies: what it could not tell,
// what it offers instead, and short answers that need no lookup. They use
// the card helpers of card.go only, so they follow the card layouts.

// note is a line shown above an answer's content ("Did you mean
// ServiceNow?"): Markdown for the card, plain text for its fallback. The
// zero note shows nothing.
type note struct {
	text  card.Markdown
	plain string
}

// spellingTemplate is the note of an answer about an app taken from a
// misspelling: the app's name, the words typed, the app's name.
const spellingTemplate = "Did you mean %s? You wrote “%s”; this is the answer for %s."

// spellingNote is the note of an answer about an app taken from a
// misspelling; the zero note for any other app.
func spellingNote(n appRef, name string) note {
	if n.How != appSpelling {
		return note{}
	}
	return note{card.Format(spellingTemplate, name, n.Said, name), fmt.Sprintf(spellingTemplate, name, n.Said, name)}
}

// withNote puts a note above a card's content; the zero note leaves the
// card as it is.
func withNote(c card.AdaptiveCard, n note) card.AdaptiveCard {
	if n.text.IsZero() {
		return c
	}
	c.Body = append([]card.Element{textBlock(n.text, subtle)}, c.Body...)
	c.FallbackText = n.plain + "\n\n" + c.FallbackText
	return c
}

// thanksCard answers thanks.
func thanksCard() card.AdaptiveCard {
	return messageCard("You're welcome", "Ask me again whenever an account is missing or wrong.")
}

// otherTenantCard answers someone from another organization, saying
// nothing about this one.
func otherTenantCard() card.AdaptiveCard {
	return messageCard("I answer for another organization",
		"This provbot reads the directory of one organization, and your Teams account belongs to another. Please ask your own IT help desk.")
}

// unclearSubjectCard says whom the question seemed to be about and why
// that could not be looked up.
func unclearSubjectCard(who string, why unclearReason) card.AdaptiveCard {
	var understood string
	switch why {
	case unclearTooLong:
		understood = fmt.Sprintf("I read “%s”, which is too long for a person's name.", who)
	case unclearPunctuation:
		understood = fmt.Sprintf("I read “%s”, which has characters a name doesn't have.", who)
	case unclearSeveral:
		understood = fmt.Sprintf("I read more than one person (“%s”); I check one person at a time.", who)
	case unclearUnnamed:
		understood = fmt.Sprintf("You asked about someone (“%s”) without their name.", who)
	case unclearSelfAndName:
		understood = fmt.Sprintf("You wrote about yourself and about “%s”.", who)
	default:
		understood = fmt.Sprintf("I read “%s”, which doesn't look like a name to me.", who)
	}
	return messageCard("I could not tell whom you mean",
		understood+" Ask about one person by their email address, like “check adele@contoso.com in ServiceNow”, or about your own account, like “Why can't I get into ServiceNow?”.")
}

// helpDeskCheckFailedCard says that asking about someone else needs the
// help-desk check, which failed, and how to try again.
func helpDeskCheckFailedCard(err error) card.AdaptiveCard {
	why := "Microsoft Graph did not answer"
	switch {
	case errors.Is(err, diagnose.ErrThrottled):
		why = "Microsoft Graph asked me to slow down"
	case errors.Is(err, diagnose.ErrForbidden):
		why = "I'm not allowed to read group memberships in Microsoft Graph (an admin needs to grant provbot the GroupMember.Read.All permission)"
	}
	return messageCard("I couldn't check that you're on the help desk",
		"Only the help desk may look up other people's accounts, and checking your help-desk membership failed: "+why+
			". Please ask again in a minute. You can still ask about your own account, like “Check my accounts”.")
}

// noAppsCard says that the person gets no account from any provisioning
// app: an end user asking about themselves hears how to ask for access.
func noAppsCard(name string, endUserSelf, self bool, contact string) card.AdaptiveCard {
	switch {
	case endUserSelf:
		return messageCard("You have no apps that get accounts automatically",
			"You aren't given any app whose accounts are created automatically. To get one, ask "+contact+
				" for access to the app you need, or ask your manager to request it.")
	case self:
		return messageCard("No apps found", "You get no accounts from any app that is set up to create them automatically.")
	}
	return messageCard("No apps found", name+" "+diagnose.Agree(name, "get")+" no accounts from any app that is set up to create them automatically. "+
		"To give them one, assign them (or a group they are a direct member of) to the app in Microsoft Entra ID.")
}

// didYouMeanPersonCard says nobody has the name asked about and offers
// the people with the closest names. It is private: it lists people of
// the directory.
func didYouMeanPersonCard(who, app string, similar []diagnose.User) card.AdaptiveCard {
	return userPicker(card.Format("No one is called “%s”", who), "Did you mean one of these?",
		fmt.Sprintf("No one is called %q. Did you mean one of these?\n", who), app, similar)
}

// whichAppCard asks which of several apps the words meant.
func whichAppCard(said, user string, apps []appInfo, verb string) card.AdaptiveCard {
	return appPicker(card.Format("“%s” fits more than one app", said), "Which one do you mean?",
		fmt.Sprintf("%q fits more than one app: %s.", said, appNames(apps)), user, apps, verb)
}

// unknownAppCard says no app has the name asked about and lists the apps
// that provision users.
func unknownAppCard(said string, names []string) card.AdaptiveCard {
	names = slices.Clone(names)
	slices.Sort(names)
	text := "No app with automatic provisioning has that name."
	if len(names) > 0 {
		text = "These apps get accounts automatically: " + strings.Join(names, ", ") + ". Ask again with one of these names."
	}
	return messageCard(fmt.Sprintf("I don't know an app called “%s”", said), text)
}

package bot

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/provbot/provbot/diagnose"
)

// The cards of the conversation's own replies: what it could not tell,
// what it offers instead, and short answers that need no lookup. They use
// the card helpers of card.go only, so they follow the card layouts.

// withNote puts a note above a card's content ("Did you mean
// ServiceNow?"); an empty note leaves the card as it is.
func withNote(card adaptiveCard, note string) adaptiveCard {
	if note == "" {
		return card
	}
	body, _ := card["body"].([]any)
	card["body"] = append([]any{textBlock(note, subtle)}, body...)
	fb, _ := card["fallbackText"].(string)
	card["fallbackText"] = note + "\n\n" + fb
	return card
}

// thanksCard answers thanks.
func thanksCard() adaptiveCard {
	return messageCard("You're welcome", "Ask me again whenever an account is missing or wrong.")
}

// otherTenantCard answers someone from another organization, saying
// nothing about this one.
func otherTenantCard() adaptiveCard {
	return messageCard("I answer for another organization",
		"This provbot reads the directory of one organization, and your Teams account belongs to another. Please ask your own IT help desk.")
}

// unclearSubjectCard says whom the question seemed to be about and why
// that could not be looked up.
func unclearSubjectCard(who string, why unclearReason) adaptiveCard {
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

// groupCard answers a question about a group.
func groupCard(group, app string) adaptiveCard {
	example := "“check adele@contoso.com in ServiceNow”"
	if app != "" {
		example = fmt.Sprintf("“check adele@contoso.com in %s”", app)
	}
	return messageCard("I check people, not groups",
		fmt.Sprintf("You asked about the group “%s”. I can explain one person's account: ask about a member of the group, like %s.", group, example))
}

// helpDeskCheckFailedCard says that asking about someone else needs the
// help-desk check, which failed, and how to try again.
func helpDeskCheckFailedCard(err error) adaptiveCard {
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
func noAppsCard(name string, endUserSelf, self bool, contact string) adaptiveCard {
	switch {
	case endUserSelf:
		return messageCard("You have no apps that get accounts automatically",
			"You aren't given any app whose accounts are created automatically. To get one, ask "+contact+
				" for access to the app you need, or ask your manager to request it.")
	case self:
		return messageCard("No apps found", "You get no accounts from any app that is set up to create them automatically.")
	}
	return messageCard("No apps found", name+" gets no accounts from any app that is set up to create them automatically. "+
		"To give them one, assign them (or a group they are a direct member of) to the app in Microsoft Entra ID.")
}

// didYouMeanPersonCard says nobody has the name asked about and offers
// the people with the closest names.
func didYouMeanPersonCard(who, app string, similar []diagnose.User) adaptiveCard {
	card := pickUserCard(who, app, similar)
	body, _ := card["body"].([]any)
	if len(body) >= 2 {
		body[0] = textBlock(fmt.Sprintf("No one is called “%s”", who), bold, medium)
		body[1] = textBlock("Did you mean one of these?")
	}
	names := make([]string, 0, len(similar))
	for _, u := range similar {
		names = append(names, u.DisplayName)
	}
	card["fallbackText"] = fmt.Sprintf("No one is called %q. Did you mean: %s?", who, strings.Join(names, ", "))
	return card
}

// whichAppCard asks which of several apps the words meant.
func whichAppCard(said, user string, apps []appInfo, verb string) adaptiveCard {
	card := pickAppCard(said, user, apps, verb)
	body, _ := card["body"].([]any)
	if len(body) >= 2 {
		body[0] = textBlock(fmt.Sprintf("Which app do you mean by “%s”?", said), bold, medium)
		body[1] = textBlock(fmt.Sprintf("“%s” fits more than one app.", said))
	}
	names := make([]string, 0, len(apps))
	for _, a := range apps {
		names = append(names, a.Name)
	}
	card["fallbackText"] = fmt.Sprintf("%q fits more than one app: %s.", said, strings.Join(names, ", "))
	return card
}

// unknownAppCard says no app has the name asked about and lists the apps
// that provision users.
func unknownAppCard(said string, names []string) adaptiveCard {
	names = slices.Clone(names)
	slices.Sort(names)
	text := "No app with automatic provisioning has that name."
	if len(names) > 0 {
		text = "These apps get accounts automatically: " + strings.Join(names, ", ") + ". Ask again with one of these names."
	}
	return messageCard(fmt.Sprintf("I don't know an app called “%s”", said), text)
}

// plainStatusCard is an app's status for end users: one sentence about
// the app in plain words and what to do, no codes, ids or messages.
func plainStatusCard(app appInfo, contact string) adaptiveCard {
	headline, detail := plainStatus(app, contact)
	return messageCard(headline, detail)
}

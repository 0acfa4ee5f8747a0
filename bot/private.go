package bot

import (
	"context"
	"strings"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/botframework"
)

// Nothing private is posted where others read. In a channel or a group
// chat, an answer about a person (any lookup of an account, whoever it is
// about, and every card marked Private: diagnoses, summaries, people to
// pick from, the help desk's app status) goes to the asker's one-to-one
// chat with the bot, and the conversation gets a short note that names
// nobody and nothing of the answer.

// isPrivate reports whether an answer must stay out of group
// conversations.
func isPrivate(r request, c card.AdaptiveCard) bool {
	return c.Private || r.verb == VerbDiagnose
}

// keepPrivate returns what to show in the conversation the request came
// from: the answer itself, or, in a group conversation, a note after the
// answer was sent to the asker privately (or a note saying it could not
// be, and how to ask privately).
func (c *Conversation) keepPrivate(ctx context.Context, t *botframework.Turn, r request, answer card.AdaptiveCard) card.AdaptiveCard {
	if !t.Activity.IsGroup() || !isPrivate(r, answer) {
		return answer
	}
	name := firstName(t.Activity.From.Name)
	answer.Body = append([]card.Element{
		textBlock(card.Format("You asked in a group conversation; this answer is for you only."), subtle, small),
	}, answer.Body...)
	if _, _, err := t.SendPrivately(ctx, cardReply(answer)); err != nil {
		t.Logger.Warn("could not send the answer privately; nothing was posted in the group", "err", err)
		return privateFailedCard(name)
	}
	return privateNoteCard(name)
}

// firstName is the first word of a display name, for a friendly note.
func firstName(display string) string {
	f := strings.Fields(display)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// privateNoteCard tells a group that the answer went to the asker in a
// private chat.
func privateNoteCard(name string) card.AdaptiveCard {
	text := "I sent you the answer in a private chat with me: it is about someone's account, so it stays out of this conversation."
	if name != "" {
		return newCard([]card.Element{textBlock(card.Format("%s, I sent you the answer in a private chat with me.", name)),
			textBlock(card.Format("It is about someone's account, so it stays out of this conversation."), subtle, noSpace)},
			name+", I sent you the answer in a private chat with me.")
	}
	return newCard([]card.Element{textBlock(card.Plain(text))}, text)
}

// privateFailedCard tells a group that the answer is private and could
// not be sent privately, and how to ask for it.
func privateFailedCard(name string) card.AdaptiveCard {
	lead := "I couldn't open a private chat with you"
	if name != "" {
		lead = name + ", I couldn't open a private chat with you"
	}
	text := "The answer is about someone's account, so I don't post it here. Open a chat with provbot (Apps, then provbot, then Chat) and ask me there."
	return newCard([]card.Element{textBlock(card.Plain(lead+"."), bold), textBlock(card.Plain(text))}, lead+". "+text)
}

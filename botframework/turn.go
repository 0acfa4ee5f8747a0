package botframework

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// typingInterval is the shortest gap between two typing indicators: the
// Activity spec asks senders not to send them more often than every 3 s.
const typingInterval = 3 * time.Second

// Turn is one inbound activity being handled: what arrived, who vouched
// for it, and the means to answer. Its methods send through the Bot
// Connector at the activity's serviceUrl, with the bot token when
// authentication is on (the URL is trusted because this very activity was
// authenticated). A Turn is safe for concurrent use.
type Turn struct {
	// Activity is the inbound activity. Treat it as read-only.
	Activity *Activity
	// Identity is what authentication established.
	Identity Identity
	// Logger carries the activity's id, type and conversation id.
	Logger *slog.Logger

	connector *Connector
	now       func() time.Time

	mu         sync.Mutex
	lastTyping time.Time
}

// Connector returns the Bot Connector client, for messages to other
// conversations ([Connector.Send] with a stored [ConversationReference]).
func (t *Turn) Connector() *Connector { return t.connector }

// Reference returns the conversation reference to keep for proactive
// messages ([Connector.Send]).
func (t *Turn) Reference() ConversationReference { return t.Activity.ConversationReference() }

// Reply posts act as a reply to the inbound activity and returns the new
// activity's id (keep it to update the message later). Fields act leaves
// empty are filled as the REST doc says: type message, from the bot, to the
// user, in the same conversation (a channel reply stays in its thread),
// replyToId the inbound id, the inbound locale. act is not modified.
//
// Errors: [*ConnectorError] (errors.Is with [ErrForbidden], [ErrNotFound],
// [ErrThrottled]…), [ErrUntrustedServiceURL], or transport and token errors.
func (t *Turn) Reply(ctx context.Context, act *Activity) (string, error) {
	a := t.address(act)
	in := t.Activity
	if in.ID == "" {
		return t.connector.SendToConversation(ctx, in.ServiceURL, in.Conversation.ID, &a)
	}
	return t.connector.ReplyToActivity(ctx, in.ServiceURL, in.Conversation.ID, in.ID, &a)
}

// ReplyText replies with a plain text message.
func (t *Turn) ReplyText(ctx context.Context, text string) (string, error) {
	return t.Reply(ctx, &Activity{Type: ActivityMessage, Text: text})
}

// Send posts act as a new message in the inbound activity's conversation
// (not marked as a reply) and returns its id. Fields are filled as for
// [Turn.Reply], except replyToId.
func (t *Turn) Send(ctx context.Context, act *Activity) (string, error) {
	a := t.address(act)
	in := t.Activity
	return t.connector.SendToConversation(ctx, in.ServiceURL, in.Conversation.ID, &a)
}

// SendTyping shows the typing indicator in the conversation. Calls less
// than 3 s after the previous one are skipped (and return nil), so it can
// be called freely while working.
func (t *Turn) SendTyping(ctx context.Context) error {
	t.mu.Lock()
	now := t.now()
	if !t.lastTyping.IsZero() && now.Sub(t.lastTyping) < typingInterval {
		t.mu.Unlock()
		return nil
	}
	t.lastTyping = now
	t.mu.Unlock()
	_, err := t.Send(ctx, &Activity{Type: ActivityTyping})
	return err
}

// Update replaces the bot's earlier message activityID in this conversation
// with act, e.g. a new card after an Action.Submit (whose ReplyToID names
// the card's message). Routing fields are filled as for [Turn.Reply].
func (t *Turn) Update(ctx context.Context, activityID string, act *Activity) error {
	a := t.address(act)
	in := t.Activity
	_, err := t.connector.UpdateActivity(ctx, in.ServiceURL, in.Conversation.ID, activityID, &a)
	return err
}

// Delete deletes the bot's earlier message activityID in this conversation.
func (t *Turn) Delete(ctx context.Context, activityID string) error {
	in := t.Activity
	return t.connector.DeleteActivity(ctx, in.ServiceURL, in.Conversation.ID, activityID)
}

// address returns a copy of act with the routing fields filled.
func (t *Turn) address(act *Activity) Activity {
	a := *act
	t.Reference().address(&a)
	return a
}

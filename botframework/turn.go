package botframework

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Typing indicator timing.
const (
	// typingInterval is the shortest gap between two typing indicators:
	// the Activity spec asks senders not to send them more often than
	// every 3 s.
	typingInterval = 3 * time.Second
	// typingTimeout bounds a typing indicator sent by StartTyping, and so
	// how long the answer after it can wait for it.
	typingTimeout = 5 * time.Second
)

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
	typing     chan struct{} // closed when the typing indicator in flight is done
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
	t.awaitTyping(ctx)
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
	t.awaitTyping(ctx)
	a := t.address(act)
	in := t.Activity
	return t.connector.SendToConversation(ctx, in.ServiceURL, in.Conversation.ID, &a)
}

// SendTyping shows the typing indicator in the conversation and waits for
// the Bot Connector's answer. Calls less than 3 s after the previous one are
// skipped (and return nil), so it can be called freely while working.
// Prefer [Turn.StartTyping], which does not make the work wait.
func (t *Turn) SendTyping(ctx context.Context) error {
	t.awaitTyping(ctx)
	if !t.typingDue() {
		return nil
	}
	_, err := t.Send(ctx, &Activity{Type: ActivityTyping})
	return err
}

// StartTyping shows the typing indicator without waiting for it: the POST
// goes out in the background while the caller works (against the real Bot
// Connector it is a full Internet round trip). It is sent once, without
// retries, within 5 s; a failure is logged at debug level. The next message
// this Turn sends (Reply, Send, Update, Delete) first waits for it, so the
// indicator never lands after the answer. Calls less than 3 s after the
// previous indicator are skipped.
func (t *Turn) StartTyping(ctx context.Context) {
	if !t.typingDue() {
		return
	}
	done := make(chan struct{})
	t.mu.Lock()
	prev := t.typing
	t.typing = done
	t.mu.Unlock()
	a := t.address(&Activity{Type: ActivityTyping})
	in := t.Activity
	go func() {
		defer close(done)
		if prev != nil {
			<-prev // one indicator at a time, in order
		}
		// This goroutine is not the turn's: it holds no place in the pool.
		tctx, cancel := context.WithTimeout(withPlace(ctx, nil), typingTimeout)
		defer cancel()
		if err := t.connector.sendOnce(tctx, in.ServiceURL, in.Conversation.ID, &a); err != nil {
			t.Logger.Debug("typing indicator not sent", "err", err)
		}
	}()
}

// typingDue reports whether a typing indicator may go out now (3 s since
// the last one) and, if so, records it as sent.
func (t *Turn) typingDue() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if !t.lastTyping.IsZero() && now.Sub(t.lastTyping) < typingInterval {
		return false
	}
	t.lastTyping = now
	return true
}

// awaitTyping waits for a typing indicator StartTyping sent (itself bounded
// by typingTimeout), or until ctx ends.
func (t *Turn) awaitTyping(ctx context.Context) {
	t.mu.Lock()
	done := t.typing
	t.mu.Unlock()
	if done == nil {
		return
	}
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// Update replaces the bot's earlier message activityID in this conversation
// with act, e.g. a new card after an Action.Submit (whose ReplyToID names
// the card's message). Routing fields are filled as for [Turn.Reply].
func (t *Turn) Update(ctx context.Context, activityID string, act *Activity) error {
	t.awaitTyping(ctx)
	a := t.address(act)
	in := t.Activity
	_, err := t.connector.UpdateActivity(ctx, in.ServiceURL, in.Conversation.ID, activityID, &a)
	return err
}

// Delete deletes the bot's earlier message activityID in this conversation.
func (t *Turn) Delete(ctx context.Context, activityID string) error {
	t.awaitTyping(ctx)
	in := t.Activity
	return t.connector.DeleteActivity(ctx, in.ServiceURL, in.Conversation.ID, activityID)
}

// address returns a copy of act with the routing fields filled.
func (t *Turn) address(act *Activity) Activity {
	a := *act
	t.Reference().address(&a)
	return a
}

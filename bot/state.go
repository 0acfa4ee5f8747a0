package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/store"
)

// State is the part of the state store the conversation and its pollers
// use: conversation references (to message people and channels later),
// watches, alert channels and their episodes, and muted apps. store.Store
// implements it.
type State interface {
	store.Conversations
	store.Watches
	store.Alerts
	store.Mutes
}

// Sender posts a message proactively into a stored conversation; the
// Bot Framework's *botframework.Connector implements it.
type Sender interface {
	Send(ctx context.Context, ref botframework.ConversationReference, act *botframework.Activity) (string, error)
}

// conversationKey is the key a conversation's reference is stored under.
func conversationKey(conversationID string) string { return "conv:" + conversationID }

// saveReference keeps the reference of the turn's conversation (taken
// from an authenticated activity), so that a poller can post into it
// later, and returns its key.
func saveReference(ctx context.Context, st State, t *botframework.Turn) (string, error) {
	ref := t.Reference()
	if ref.Conversation.ID == "" || ref.ServiceURL == "" {
		return "", errors.New("the activity names no conversation or service URL")
	}
	raw, err := json.Marshal(ref)
	if err != nil {
		return "", fmt.Errorf("encode conversation reference: %w", err)
	}
	key := conversationKey(ref.Conversation.ID)
	if err := st.PutConversation(ctx, key, raw); err != nil {
		return "", fmt.Errorf("store conversation reference: %w", err)
	}
	return key, nil
}

// loadReference reads a stored conversation reference.
func loadReference(ctx context.Context, st State, key string) (botframework.ConversationReference, error) {
	var ref botframework.ConversationReference
	raw, err := st.Conversation(ctx, key)
	if err != nil {
		return ref, fmt.Errorf("read conversation reference: %w", err)
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		return ref, fmt.Errorf("decode conversation reference: %w", err)
	}
	return ref, nil
}

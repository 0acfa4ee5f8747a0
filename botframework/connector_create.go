package botframework

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ConversationParameters is the body of CreateConversation (protocol
// reference §2.1, §2.4). To open a one-to-one chat in Teams: the bot, one
// member (the person's "29:" id) and the tenant, in TenantID and in
// channelData.tenant.id.
type ConversationParameters struct {
	IsGroup     bool             `json:"isGroup"`
	Bot         ChannelAccount   `json:"bot"`
	Members     []ChannelAccount `json:"members,omitempty"`
	TopicName   string           `json:"topicName,omitempty"`
	TenantID    string           `json:"tenantId,omitempty"`
	ChannelData any              `json:"channelData,omitempty"`
}

// ConversationResource is CreateConversation's answer: the conversation's
// id (and, from some channels, the first activity's id and a service URL,
// which provbot does not use: it keeps sending to the service URL the
// inbound activity was authenticated with).
type ConversationResource struct {
	ID         string `json:"id"`
	ActivityID string `json:"activityId,omitempty"`
	ServiceURL string `json:"serviceUrl,omitempty"`
}

// CreateConversation opens a conversation (POST /v3/conversations) and
// returns it. In Teams a bot can only open one-to-one chats, with people
// who have it installed or share a team with it where it is installed.
// Errors and retries as for [Connector.SendToConversation] (Teams answers
// the same one-to-one chat for the same person, so opening it twice is
// harmless).
func (c *Connector) CreateConversation(ctx context.Context, serviceURL string, p ConversationParameters) (ConversationResource, error) {
	const op = "create conversation"
	if p.Bot.ID == "" || len(p.Members) == 0 {
		return ConversationResource{}, fmt.Errorf("%s: the bot and at least one member are required", op)
	}
	body, err := json.Marshal(p)
	if err != nil {
		return ConversationResource{}, fmt.Errorf("%s: encode: %w", op, err)
	}
	u := strings.TrimRight(serviceURL, "/") + "/v3/conversations"
	resp, err := c.do(ctx, op, http.MethodPost, serviceURL, u, body, c.retry.MaxAttempts)
	if err != nil {
		return ConversationResource{}, err
	}
	var cr ConversationResource
	if err := json.Unmarshal(bytes.TrimSpace(resp), &cr); err != nil {
		return ConversationResource{}, fmt.Errorf("%s: decode response: %w", op, err)
	}
	if cr.ID == "" {
		return ConversationResource{}, fmt.Errorf("%s: the service answered no conversation id", op)
	}
	return cr, nil
}

// errNoSender means the inbound activity does not say who sent it.
var errNoSender = errors.New("the activity has no sender id")

// SendPrivately posts act in the one-to-one chat between the bot and the
// person who sent the inbound activity, opening that chat first
// (CreateConversation with the person's id and the tenant), and returns
// the chat's id and the new activity's id. Use it for what must not be
// posted where others read. Routing fields are filled as for [Turn.Reply],
// in the one-to-one chat; act is not modified.
func (t *Turn) SendPrivately(ctx context.Context, act *Activity) (conversationID, activityID string, err error) {
	in := t.Activity
	if in.From.ID == "" {
		return "", "", fmt.Errorf("send privately: %w", errNoSender)
	}
	tenant := in.TenantID()
	p := ConversationParameters{
		Bot:      ChannelAccount{ID: in.Recipient.ID, Name: in.Recipient.Name},
		Members:  []ChannelAccount{{ID: in.From.ID}},
		TenantID: tenant,
	}
	if tenant != "" {
		p.ChannelData = map[string]any{"tenant": map[string]string{"id": tenant}}
	}
	conv, err := t.connector.CreateConversation(ctx, in.ServiceURL, p)
	if err != nil {
		return "", "", err
	}
	a := *act
	a.Conversation = ConversationAccount{ID: conv.ID, TenantID: tenant}
	t.Reference().address(&a)
	id, err := t.connector.SendToConversation(ctx, in.ServiceURL, conv.ID, &a)
	if err != nil {
		return conv.ID, "", err
	}
	return conv.ID, id, nil
}

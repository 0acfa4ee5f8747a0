package botframework_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

// channelMention is the Teams channel message example as Teams sends it
// today: a channel conversation in a tenant.
func channelMention(m map[string]any) {
	m["conversation"] = map[string]any{"id": "19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype;messageid=1481567603816",
		"conversationType": "channel", "isGroup": true, "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47"}
	m["channelData"] = map[string]any{"tenant": map[string]any{"id": "72f988bf-86f1-41af-91ab-2d7cd011db47"}}
}

// SendPrivately opens the one-to-one chat the way the reference example
// does (the bot, the sender as the one member, the tenant), then posts in
// it from the bot to the sender; nothing goes to the channel.
func TestSendPrivatelyOpensTheOneToOneChat(t *testing.T) {
	done := make(chan error, 1)
	var conv, id string
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, turn *botframework.Turn) error {
		var err error
		conv, id, err = turn.SendPrivately(ctx, &botframework.Activity{Text: "only for you"})
		done <- err
		return nil
	}}
	h := newHarness(t, handler)
	if status, _ := h.postSigned(h.activity("teams/teams-message-channel-mention.json", channelMention)); status != 200 {
		t.Fatalf("status = %d", status)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	calls := h.connector.Calls()
	if len(calls) != 2 {
		t.Fatalf("%d connector calls, want 2: %+v", len(calls), calls)
	}
	create, send := calls[0], calls[1]
	if create.Method != "POST" || create.Path != "/v3/conversations" {
		t.Fatalf("first call %s %s, want POST /v3/conversations", create.Method, create.Path)
	}
	var want map[string]any
	if err := json.Unmarshal(readTestdata(t, "teams/create-conversation-request.json"), &want); err != nil {
		t.Fatal(err)
	}
	// The example's shape, with this bot, sender and tenant.
	want["bot"] = map[string]any{"id": "8:orgid:6aebbad0-e5a5-424a-834a-20fb051f3c1a", "name": "stlrgload100"}
	want["members"] = []any{map[string]any{"id": "29:9e52142b-5e5e-4d7b-bb3e-e82dcf620000"}}
	want["channelData"] = map[string]any{"tenant": map[string]any{"id": "72f988bf-86f1-41af-91ab-2d7cd011db47"}}
	want["tenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	want["isGroup"] = false
	if !reflect.DeepEqual(create.Body, want) {
		t.Errorf("create body\n%s\nwant %v", create.RawBody, want)
	}
	if send.Method != "POST" || send.ConversationID != conv || send.ActivityID != "" || conv == "" || id == "" {
		t.Errorf("send %s %s (conversation %q, id %q), want a new activity in the one-to-one chat", send.Method, send.Path, conv, id)
	}
	from, _ := send.Body["from"].(map[string]any)
	to, _ := send.Body["recipient"].(map[string]any)
	c, _ := send.Body["conversation"].(map[string]any)
	if from["id"] != "8:orgid:6aebbad0-e5a5-424a-834a-20fb051f3c1a" || to["id"] != "29:9e52142b-5e5e-4d7b-bb3e-e82dcf620000" ||
		c["id"] != conv || send.Body["text"] != "only for you" || send.Body["replyToId"] != nil {
		t.Errorf("private message %s", send.RawBody)
	}
}

// A refused chat (the bot is not installed for the person) is an error
// the caller sees; nothing is sent anywhere else.
func TestSendPrivatelyReportsARefusedChat(t *testing.T) {
	done := make(chan error, 1)
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, turn *botframework.Turn) error {
		_, _, err := turn.SendPrivately(ctx, &botframework.Activity{Text: "only for you"})
		done <- err
		return nil
	}}
	h := newHarness(t, handler)
	h.connector.Fail(bftest.Failure{Status: 403, Code: "BotNotInConversationRoster", Message: "The bot is not part of the conversation roster."})
	if status, _ := h.postSigned(h.activity("teams/teams-message-channel-mention.json", channelMention)); status != 200 {
		t.Fatalf("status = %d", status)
	}
	err := <-done
	var ce *botframework.ConnectorError
	if !errors.As(err, &ce) || !errors.Is(err, botframework.ErrForbidden) {
		t.Errorf("err = %v, want a forbidden ConnectorError", err)
	}
	if calls := h.connector.Calls(); len(calls) != 1 {
		t.Errorf("%d calls, want only the refused create", len(calls))
	}
}

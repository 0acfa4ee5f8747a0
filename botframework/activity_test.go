package botframework_test

import (
	"encoding/json"
	"testing"

	"github.com/provbot/provbot/botframework"
)

// activityExamples are the activity bodies of the protocol reference.
var activityExamples = []string{
	"teams/teams-message-personal.json",
	"teams/teams-message-channel-mention.json",
	"teams/teams-conversationupdate-bot-added-personal.json",
	"teams/teams-conversationupdate-bot-added-to-team.json",
	"teams/teams-invoke-cardaction-inbound.json",
	"teams/teams-message-notification-alert-outgoing.json",
	"teams/bot-reply-outgoing.json",
	"cards/inbound-action-submit-message.illustrative.json",
	"cards/inbound-adaptivecard-action-invoke.illustrative.json",
	"cards/outgoing-message-with-card.json",
}

func TestActivityExamplesRoundTripUnchanged(t *testing.T) {
	for _, name := range activityExamples {
		t.Run(name, func(t *testing.T) {
			raw := readTestdata(t, name)
			var a botframework.Activity
			if err := json.Unmarshal(raw, &a); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if a.Type == "" {
				t.Fatal("type not decoded")
			}
			out, err := json.Marshal(a)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !jsonEqual(t, raw, out) {
				t.Errorf("round trip changed the activity:\n in: %s\nout: %s", raw, out)
			}
		})
	}
}

func TestActivityDecodesTeamsFields(t *testing.T) {
	var a botframework.Activity
	if err := json.Unmarshal(readTestdata(t, "teams/teams-conversationupdate-bot-added-to-team.json"), &a); err != nil {
		t.Fatal(err)
	}
	if got, want := a.From.AADObjectID, "eddfa9d4-346e-4cce-a18f-fa6261ad776b"; got != want {
		t.Errorf("from.aadObjectId = %q, want %q", got, want)
	}
	if !a.IsGroup() || a.Conversation.ConversationType != botframework.ConversationChannel {
		t.Errorf("conversation = %+v, want a channel", a.Conversation)
	}
	if len(a.MembersAdded) != 1 || a.MembersAdded[0].ID != a.Recipient.ID {
		t.Errorf("membersAdded = %+v, want the bot", a.MembersAdded)
	}
	d, err := a.TeamsChannelData()
	if err != nil {
		t.Fatal(err)
	}
	if d.EventType != "teamMemberAdded" || d.Team == nil || d.Team.AADGroupID != "f3ec8cd2-e704-4344-8c47-9a3a21d683c0" {
		t.Errorf("channel data = %+v", d)
	}
	if d.Settings == nil || d.Settings.SelectedChannel == nil || d.Settings.SelectedChannel.ID != a.Conversation.ID {
		t.Errorf("settings.selectedChannel = %+v", d.Settings)
	}
	if got, want := a.TenantID(), "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f"; got != want {
		t.Errorf("TenantID() = %q, want %q", got, want)
	}
}

func TestActivityTenantIDFallsBackToConversation(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want string
	}{
		{"channel data tenant wins", `{"type":"message","conversation":{"tenantId":"conv"},"channelData":{"tenant":{"id":"cd"}}}`, "cd"},
		{"conversation tenant when channel data has none", `{"type":"message","conversation":{"tenantId":"conv"},"channelData":{"team":{"id":"x"}}}`, "conv"},
		{"conversation tenant when channel data is not an object", `{"type":"message","conversation":{"tenantId":"conv"},"channelData":"odd"}`, "conv"},
		{"empty when neither is set", `{"type":"message"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a botframework.Activity
			if err := json.Unmarshal([]byte(tc.body), &a); err != nil {
				t.Fatal(err)
			}
			if got := a.TenantID(); got != tc.want {
				t.Errorf("TenantID() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestActivityValueAcceptsAnyJSON(t *testing.T) {
	for _, value := range []string{`{"action":"ack"}`, `"plain string"`, `42`, `[1,"two"]`, `true`, `null`} {
		t.Run(value, func(t *testing.T) {
			var a botframework.Activity
			if err := json.Unmarshal([]byte(`{"type":"message","value":`+value+`}`), &a); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if string(a.Value) != value {
				t.Errorf("value = %s, want %s", a.Value, value)
			}
		})
	}
}

func TestActivityKeepsUnknownMembersEverywhere(t *testing.T) {
	in := `{"type":"message","futureField":{"x":[1,2]},"suggestedActions":{"actions":[]},` +
		`"from":{"id":"29:u","userPrincipalName":"u@example.com"},` +
		`"conversation":{"id":"a:1","newThing":true},` +
		`"attachments":[{"contentType":"text/html","content":"<p>x</p>","layoutHint":"wide"}],` +
		`"entities":[{"type":"clientInfo","locale":"en-US","platform":"Web"}]}`
	var a botframework.Activity
	if err := json.Unmarshal([]byte(in), &a); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Extra["futureField"]; !ok {
		t.Errorf("Extra = %v, want futureField kept", a.Extra)
	}
	out, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(t, []byte(in), out) {
		t.Errorf("round trip lost members:\n in: %s\nout: %s", in, out)
	}
}

func TestActivityCallerIDIsNeverTakenFromTheWireByTheServer(t *testing.T) {
	rec := newTurnRecorder()
	h := newHarness(t, rec)
	body := h.activity("teams/teams-message-personal.json", func(m map[string]any) { m["callerId"] = "urn:botframework:forged" })
	if status, _ := h.postSigned(body); status != 200 {
		t.Fatalf("status = %d, want 200", status)
	}
	if got := rec.next(t).Activity.CallerID; got != botframework.CallerIDAzure {
		t.Errorf("callerId = %q, want %q", got, botframework.CallerIDAzure)
	}
}

func TestTextWithoutRecipientMention(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want string
	}{
		{
			name: "bot mention prefix removed",
			body: `{"type":"message","text":"<at>Provbot</at> why can't I get into Salesforce?\n","recipient":{"id":"28:bot"},` +
				`"entities":[{"type":"mention","mentioned":{"id":"28:bot","name":"Provbot"},"text":"<at>Provbot</at>"}]}`,
			want: "why can't I get into Salesforce?",
		},
		{
			name: "other users' mentions kept",
			body: `{"type":"message","text":"<at>Provbot</at> check <at>Megan</at>","recipient":{"id":"28:bot"},` +
				`"entities":[{"type":"mention","mentioned":{"id":"28:bot","name":"Provbot"},"text":"<at>Provbot</at>"},` +
				`{"type":"mention","mentioned":{"id":"29:megan","name":"Megan"},"text":"<at>Megan</at>"}]}`,
			want: "check <at>Megan</at>",
		},
		{
			name: "mention matched case-insensitively and everywhere",
			body: `{"type":"message","text":"<AT>provbot</AT> status <at>Provbot</at>","recipient":{"id":"28:bot"},` +
				`"entities":[{"type":"Mention","mentioned":{"id":"28:BOT","name":"Provbot"},"text":"<at>Provbot</at>"}]}`,
			want: "status",
		},
		{
			name: "nbsp and runs of whitespace normalised",
			body: `{"type":"message","text":"  status&nbsp;for\u00a0\u00a0salesforce \t\n","recipient":{"id":"28:bot"}}`,
			want: "status for salesforce",
		},
		{
			name: "mention without text removed by name",
			body: `{"type":"message","text":"<at>Provbot</at> help","recipient":{"id":"28:bot"},` +
				`"entities":[{"type":"mention","mentioned":{"id":"28:bot","name":"Provbot"}}]}`,
			want: "help",
		},
		{
			name: "mention of another user only in the real example",
			body: string(readTestdata(t, "teams/teams-message-channel-mention.json")),
			want: "Hey <at>Pranav Smith</at> check out this message",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a botframework.Activity
			if err := json.Unmarshal([]byte(tc.body), &a); err != nil {
				t.Fatal(err)
			}
			if got := a.TextWithoutRecipientMention(); got != tc.want {
				t.Errorf("TextWithoutRecipientMention() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNewMentionEscapesTheName(t *testing.T) {
	markup, e := botframework.NewMention(botframework.ChannelAccount{ID: "29:x", Name: "Ann & <Bob>"})
	if want := "<at>Ann &amp; &lt;Bob&gt;</at>"; markup != want {
		t.Errorf("markup = %q, want %q", markup, want)
	}
	if e.Type != botframework.EntityMention || e.Text != markup || e.Mentioned.ID != "29:x" {
		t.Errorf("entity = %+v", e)
	}
}

func TestAdaptiveCardActionDecodesTheInvokeExample(t *testing.T) {
	var a botframework.Activity
	if err := json.Unmarshal(readTestdata(t, "cards/inbound-adaptivecard-action-invoke.illustrative.json"), &a); err != nil {
		t.Fatal(err)
	}
	v, err := a.AdaptiveCardAction()
	if err != nil {
		t.Fatal(err)
	}
	if v.Action.Type != "Action.Execute" || v.Action.Verb != "rollback" || v.Trigger != "manual" {
		t.Errorf("action = %+v", v)
	}
	if !jsonEqual(t, v.Action.Data, []byte(`{"deploymentId":"d-42","comment":"looks good"}`)) {
		t.Errorf("data = %s", v.Action.Data)
	}
	msg := botframework.Activity{Type: botframework.ActivityMessage}
	if _, err := msg.AdaptiveCardAction(); err == nil {
		t.Error("AdaptiveCardAction on a message: want an error")
	}
}

func TestInvokeResponsesEncodeLikeTheExamples(t *testing.T) {
	var card map[string]any
	var example struct {
		Value map[string]any `json:"value"`
	}
	if err := json.Unmarshal(readTestdata(t, "cards/invoke-response-card.json"), &example); err != nil {
		t.Fatal(err)
	}
	card = example.Value
	for _, tc := range []struct {
		file string
		resp botframework.InvokeResponse
	}{
		{"cards/invoke-response-card.json", botframework.InvokeCard(card)},
		{"cards/invoke-response-message.json", botframework.InvokeMessage("Rollback started.")},
		{"cards/invoke-response-error.json", botframework.InvokeFailure(400, "BadRequest", "Unknown verb.")},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := json.Marshal(tc.resp)
			if err != nil {
				t.Fatal(err)
			}
			if want := readTestdata(t, tc.file); !jsonEqual(t, got, want) {
				t.Errorf("encoded %s, want %s", got, want)
			}
		})
	}
}

func TestSetChannelDataWritesTheNotificationExample(t *testing.T) {
	var want botframework.Activity
	if err := json.Unmarshal(readTestdata(t, "teams/teams-message-notification-alert-outgoing.json"), &want); err != nil {
		t.Fatal(err)
	}
	var a botframework.Activity
	if err := a.SetChannelData(botframework.TeamsChannelData{Notification: &botframework.Notification{Alert: true}}); err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(t, a.ChannelData, want.ChannelData) {
		t.Errorf("channelData = %s, want %s", a.ChannelData, want.ChannelData)
	}
}

package bot_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/botframework/bftest"
)

const channelTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"

// inChannel makes the Teams channel example a message from the asker to
// the bot in a team's channel.
func inChannel(fromID, text string) func(map[string]any) {
	return func(m map[string]any) {
		m["text"] = "<at>provbot</at> " + text
		m["from"] = map[string]any{"id": "29:user-" + fromID, "name": map[string]string{meganID: "Megan Bowen", hankID: "Hank Helpdesk"}[fromID], "aadObjectId": fromID}
		m["recipient"] = map[string]any{"id": "28:" + testAppID, "name": "provbot"}
		m["entities"] = []any{map[string]any{"type": "mention", "mentioned": map[string]any{"id": "28:" + testAppID, "name": "provbot"}, "text": "<at>provbot</at>"}}
		m["conversation"] = map[string]any{"id": "19:general@thread.skype;messageid=1481567603816", "conversationType": "channel", "isGroup": true, "tenantId": channelTenant}
		m["channelData"] = map[string]any{"tenant": map[string]any{"id": channelTenant}, "team": map[string]any{"id": "19:team@thread.skype"}}
		delete(m, "attachments")
	}
}

// askInChannel posts a channel message and waits until the bot has
// answered in the channel; it returns every connector call.
func (h *convHarness) askInChannel(t *testing.T, edit func(map[string]any)) []bftest.Call {
	t.Helper()
	before := len(h.connector.Calls())
	if status, _ := h.postSigned(h.activity("teams/teams-message-channel-mention.json", edit)); status != 200 {
		t.Fatalf("POST status %d", status)
	}
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		calls := h.connector.Calls()[before:]
		for _, c := range calls {
			if strings.HasPrefix(c.ConversationID, "19:general") && c.Body["attachments"] != nil {
				return calls
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no answer in the channel; calls: %+v", h.connector.Calls()[before:])
	return nil
}

// split sorts the calls: the one-to-one chat opened, the cards sent in
// it, and the cards posted in the channel.
func split(calls []bftest.Call) (created []bftest.Call, private, channel []string) {
	for _, c := range calls {
		switch {
		case c.Method == "POST" && c.Path == "/v3/conversations":
			created = append(created, c)
		case c.Body["attachments"] == nil:
		case strings.HasPrefix(c.ConversationID, "19:general"):
			channel = append(channel, string(c.RawBody))
		default:
			private = append(private, string(c.RawBody))
		}
	}
	return created, private, channel
}

func TestLookupsInAChannelAreAnsweredPrivately(t *testing.T) {
	for _, tc := range []struct {
		name, asker, question string
		private               []string // in the one-to-one chat
		note                  string   // in the channel
	}{
		{"the help desk about someone else", hankID, "check adele.vance@contoso.com in ServiceNow",
			[]string{"ServiceNowEntryConflict", "chg-1", "Adele Vance", "for you only"}, "Hank, I sent you the answer in a private chat"},
		{"an end user about their own account", meganID, "why can't I get into ServiceNow?",
			[]string{"one of your details", "for you only"}, "Megan, I sent you the answer in a private chat"},
		{"an end user refused", meganID, "check adele.vance@contoso.com in ServiceNow",
			[]string{"I can only check your own account"}, "Megan, I sent you the answer"},
		{"the help desk's app status", hankID, "status of Salesforce",
			[]string{"Job ID", "Healthy: running"}, "Hank, I sent you the answer"},
		{"a picker of people", hankID, "check Adele in ServiceNow",
			[]string{"Adele Moreau", "Which one do you mean?"}, "Hank, I sent you the answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newConvHarness(t)
			created, private, channel := split(h.askInChannel(t, inChannel(tc.asker, tc.question)))
			if len(created) != 1 || len(private) != 1 || len(channel) != 1 {
				t.Fatalf("%d chats opened, %d private cards, %d channel cards; want 1 each", len(created), len(private), len(channel))
			}
			var p struct {
				Bot         struct{ ID string }   `json:"bot"`
				Members     []struct{ ID string } `json:"members"`
				TenantID    string                `json:"tenantId"`
				ChannelData struct {
					Tenant struct{ ID string } `json:"tenant"`
				} `json:"channelData"`
			}
			if err := json.Unmarshal(created[0].RawBody, &p); err != nil {
				t.Fatal(err)
			}
			if p.Bot.ID != "28:"+testAppID || len(p.Members) != 1 || p.Members[0].ID != "29:user-"+tc.asker ||
				p.TenantID != channelTenant || p.ChannelData.Tenant.ID != channelTenant {
				t.Errorf("the chat was opened with %s", created[0].RawBody)
			}
			for _, w := range tc.private {
				if !strings.Contains(private[0], w) {
					t.Errorf("the private answer lacks %q: %s", w, private[0])
				}
			}
			if !strings.Contains(channel[0], tc.note) {
				t.Errorf("the channel note lacks %q: %s", tc.note, channel[0])
			}
			for _, leak := range []string{"Adele", "ServiceNow", "Salesforce", "chg-1", "409", "Problem", "Job ID", "your details"} {
				if strings.Contains(channel[0], leak) {
					t.Errorf("the channel sees %q: %s", leak, channel[0])
				}
			}
		})
	}
}

func TestAnswersAboutNobodyStayInTheChannel(t *testing.T) {
	for _, q := range []string{"help", "which apps", "status of Salesforce"} {
		t.Run(q, func(t *testing.T) {
			h := newConvHarness(t)
			created, private, channel := split(h.askInChannel(t, inChannel(meganID, q)))
			if len(created) != 0 || len(private) != 0 || len(channel) != 1 {
				t.Errorf("%d chats opened, %d private cards, %d in the channel; want the answer in the channel only", len(created), len(private), len(channel))
			}
		})
	}
}

// When the private chat cannot be opened, the answer is not posted in the
// channel either: the channel is told how to ask privately.
func TestAPrivateAnswerThatCannotBeSentStaysUnsent(t *testing.T) {
	h := newConvHarness(t)
	// The typing indicator, then the chat: both refused (the bot is not
	// installed for Hank).
	h.connector.Fail(bftest.Failure{Status: 403, Times: 2, Code: "BotNotInConversationRoster", Message: "The bot is not part of the conversation roster."})
	created, private, channel := split(h.askInChannel(t, inChannel(hankID, "check adele.vance@contoso.com in ServiceNow")))
	if len(created) != 1 || len(private) != 0 || len(channel) != 1 {
		t.Fatalf("%d chats opened, %d private cards, %d in the channel", len(created), len(private), len(channel))
	}
	if !strings.Contains(channel[0], "couldn't open a private chat") || strings.Contains(channel[0], "ServiceNowEntryConflict") || strings.Contains(channel[0], "Adele") {
		t.Errorf("channel: %s", channel[0])
	}
}

// A card button clicked in a channel (an old card, or a forged one) is
// answered privately too; the card in the channel becomes the note.
func TestAButtonInAChannelIsAnsweredPrivately(t *testing.T) {
	h := newConvHarness(t)
	data := bot.ActionData{Kind: "provbot", Verb: bot.VerbRefresh, User: adeleID, App: snID}
	body := h.activity("cards/inbound-adaptivecard-action-invoke.illustrative.json", func(m map[string]any) {
		inChannel(hankID, "")(m)
		delete(m, "text")
		delete(m, "entities")
		m["type"], m["name"] = "invoke", "adaptiveCard/action"
		m["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": data.Verb, "data": data}, "trigger": "manual"}
	})
	status, resp := h.postSigned(body)
	if status != 200 {
		t.Fatalf("invoke status %d: %s", status, resp)
	}
	if !strings.Contains(string(resp), "Hank, I sent you the answer") || strings.Contains(string(resp), "ServiceNowEntryConflict") {
		t.Errorf("the card in the channel became %s", resp)
	}
	created, private, _ := split(h.connector.Calls())
	if len(created) != 1 || len(private) != 1 || !strings.Contains(private[0], "ServiceNowEntryConflict") {
		t.Errorf("%d chats opened, private cards %q", len(created), private)
	}
}

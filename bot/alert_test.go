package bot_test

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/store"
)

// alertDirectory is the fake directory whose GitHub job leaves its
// quarantine when healthy is set.
type alertDirectory struct {
	*fakeDirectory
	healthy atomic.Bool
}

func (d *alertDirectory) Apps(ctx context.Context) ([]diagnose.App, error) {
	apps, err := d.fakeDirectory.Apps(ctx)
	if d.healthy.Load() {
		for i := range apps {
			if apps[i].ID == ghID {
				apps[i].Jobs = []diagnose.Job{d.job()}
			}
		}
	}
	return apps, err
}

type alertHarness struct {
	*convHarness
	dir    *alertDirectory
	state  store.Store
	sent   *sentMessages
	poller *bot.AlertPoller
}

func newAlertHarness(t *testing.T) *alertHarness {
	t.Helper()
	var ad *alertDirectory
	h, st, sent := newStateHarness(t, func(f *fakeDirectory) bot.Directory {
		ad = &alertDirectory{fakeDirectory: f}
		return ad
	})
	p, err := bot.NewAlertPoller(bot.AlertPoller{State: st, Directory: ad, Sender: sent, Logger: slog.New(slog.DiscardHandler), Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &alertHarness{convHarness: h, dir: ad, state: st, sent: sent, poller: p}
}

func (h *alertHarness) poll(t *testing.T) []string {
	t.Helper()
	before := len(h.sent.all())
	if err := h.poller.RunOnce(context.Background(), store.Fence{}); err != nil {
		t.Fatal(err)
	}
	return h.sent.texts()[before:]
}

// channelAnswer is the card the bot posted in the channel last.
func channelAnswer(t *testing.T, h *convHarness, from, text string) string {
	t.Helper()
	_, _, channel := split(h.askInChannel(t, inChannel(from, text)))
	if len(channel) == 0 {
		t.Fatalf("no answer in the channel to %q", text)
	}
	return channel[len(channel)-1]
}

func TestAlertsGoOncePerEpisodeToTheChannelsTheHelpDeskRegistered(t *testing.T) {
	h := newAlertHarness(t)
	if got := h.poll(t); len(got) != 0 {
		t.Fatalf("alerts with no channel registered: %v", got)
	}
	if ans := channelAnswer(t, h.convHarness, meganID, "send alerts here"); !strings.Contains(ans, "Alerts are for the help desk") {
		t.Errorf("an end user registering a channel got: %s", ans)
	}
	if chs, _ := h.state.AlertChannels(context.Background()); len(chs) != 0 {
		t.Fatalf("an end user registered a channel: %+v", chs)
	}
	if ans := channelAnswer(t, h.convHarness, hankID, "send alerts here"); !strings.Contains(ans, "Alerts will come here") {
		t.Fatalf("the help desk registering a channel got: %s", ans)
	}

	got := h.poll(t)
	if len(got) != 1 {
		t.Fatalf("alerts for one quarantined job: %v", got)
	}
	for _, want := range []string{"GitHub Enterprise provisioning is quarantined", "Who must act", "The GitHub Enterprise admin", "Quarantined since"} {
		if !strings.Contains(got[0], want) {
			t.Errorf("the alert lacks %q: %s", want, got[0])
		}
	}
	if strings.Contains(strings.ToLower(got[0]), "grady") {
		t.Errorf("the channel's alert names a person from the job's error: %s", got[0])
	}
	if ref := h.sent.all()[0].ref; !strings.HasPrefix(ref.Conversation.ID, "19:general") {
		t.Errorf("alert sent to %q, not the channel", ref.Conversation.ID)
	}
	h.clock.Advance(5 * time.Minute)
	if again := h.poll(t); len(again) != 0 {
		t.Errorf("the same episode alerted again: %v", again)
	}

	h.dir.healthy.Store(true)
	h.clock.Advance(5 * time.Minute)
	out := h.poll(t)
	if len(out) != 1 || !strings.Contains(out[0], "GitHub Enterprise provisioning is out of quarantine") {
		t.Fatalf("leaving quarantine alerted: %v", out)
	}
	if again := h.poll(t); len(again) != 0 {
		t.Errorf("leaving quarantine alerted twice: %v", again)
	}

	if ans := channelAnswer(t, h.convHarness, hankID, "mute GitHub for 1 day"); !strings.Contains(ans, "GitHub Enterprise alerts are muted") {
		t.Fatalf("mute answered: %s", ans)
	}
	h.dir.healthy.Store(false)
	h.clock.Advance(5 * time.Minute)
	if muted := h.poll(t); len(muted) != 0 {
		t.Errorf("a muted app alerted: %v", muted)
	}
	h.clock.Advance(25 * time.Hour)
	if after := h.poll(t); len(after) != 1 || !strings.Contains(after[0], "quarantined") {
		t.Errorf("after the mute ended the open quarantine was not alerted once: %v", after)
	}
	if ans := channelAnswer(t, h.convHarness, meganID, "mute GitHub for 1 day"); !strings.Contains(ans, "Alerts are for the help desk") {
		t.Errorf("an end user muting got: %s", ans)
	}
}

func TestInstallingTheBotInATeamRegistersItsChannelForTheHelpDeskOnly(t *testing.T) {
	for _, tc := range []struct {
		who  string
		want int
	}{{meganID, 0}, {hankID, 1}} {
		h := newAlertHarness(t)
		body := h.activity("teams/teams-conversationupdate-bot-added-to-team.json", func(m map[string]any) {
			m["from"].(map[string]any)["aadObjectId"] = tc.who
			m["recipient"] = map[string]any{"id": "28:" + testAppID, "name": "provbot"}
			m["membersAdded"] = []any{map[string]any{"id": "28:" + testAppID}}
		})
		before := len(h.connector.Calls())
		if status, _ := h.postSigned(body); status != 200 {
			t.Fatalf("POST status %d", status)
		}
		deadline := time.Now().Add(waitLimit)
		for len(h.connector.Calls()) == before && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond) // the welcome, sent after registering
		}
		chs, err := h.state.AlertChannels(context.Background())
		if err != nil || len(chs) != tc.want {
			t.Errorf("installed by %s: %d alert channels (%v), want %d", tc.who, len(chs), err, tc.want)
		}
	}
}

func TestAnAlertThatCouldNotBePostedIsTriedAgainAndARemovedBotsChannelIsDropped(t *testing.T) {
	h := newAlertHarness(t)
	channelAnswer(t, h.convHarness, hankID, "send alerts here")
	h.sent.mu.Lock()
	h.sent.err = &botframework.ConnectorError{Op: "send to conversation", StatusCode: 503}
	h.sent.mu.Unlock()
	if err := h.poller.RunOnce(context.Background(), store.Fence{}); err == nil {
		t.Error("a failed post was not reported")
	}
	h.sent.mu.Lock()
	h.sent.err = nil
	h.sent.mu.Unlock()
	if got := h.poll(t); len(got) != 1 || !strings.Contains(got[0], "quarantined") {
		t.Fatalf("the alert that could not be posted was not posted at the next poll: %v", got)
	}

	h.dir.healthy.Store(true)
	h.sent.mu.Lock()
	h.sent.err = &botframework.ConnectorError{Op: "send to conversation", StatusCode: 403, Code: "BotNotInConversationRoster"}
	h.sent.mu.Unlock()
	if err := h.poller.RunOnce(context.Background(), store.Fence{}); err != nil {
		t.Errorf("posting where the bot was removed: %v", err)
	}
	if chs, _ := h.state.AlertChannels(context.Background()); len(chs) != 0 {
		t.Errorf("the channel the bot was removed from is still registered: %+v", chs)
	}
}

package bot_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/store"
	"github.com/provbot/provbot/store/sqlite"
)

// watchDirectory is the fake directory in which Megan's and Adele's
// ServiceNow accounts wait for the next cycle (assigned five minutes ago,
// after the last run) until created(at) makes the cycle create them.
type watchDirectory struct {
	*fakeDirectory
	mu      sync.Mutex
	created time.Time
}

func (d *watchDirectory) create(at time.Time) {
	d.mu.Lock()
	d.created = at
	d.mu.Unlock()
}

func (d *watchDirectory) Gather(ctx context.Context, q diagnose.Query) (diagnose.Input, error) {
	if q.AppID != snID || q.UserID == "" {
		return d.fakeDirectory.Gather(ctx, q)
	}
	d.gathers.Add(1)
	var user diagnose.User
	for _, u := range d.users() {
		if u.ObjectID == q.UserID {
			user = u
		}
	}
	d.mu.Lock()
	created := d.created
	d.mu.Unlock()
	lastRun := d.now.Add(-10 * time.Minute)
	if !created.IsZero() {
		lastRun = created
	}
	run := &diagnose.Execution{State: diagnose.ExecutionSucceeded, Began: lastRun.Add(-2 * time.Minute), Ended: lastRun}
	job := diagnose.Job{ID: "job", Schedule: diagnose.Schedule{Interval: 40 * time.Minute, State: diagnose.ScheduleActive},
		Status: diagnose.JobStatus{Code: diagnose.StatusActive, LastExecution: run, LastSuccessfulExecution: run, SteadyStateFirstAchieved: d.now.Add(-30 * 24 * time.Hour)}}
	app := diagnose.App{ID: snID, Name: "ServiceNow", JobsKnown: true, Jobs: []diagnose.Job{job},
		Assignment: &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: d.now.Add(-5 * time.Minute)}}
	in := diagnose.Input{User: &user, Apps: []diagnose.App{app}}
	if !created.IsZero() {
		in.Entries = []diagnose.Entry{{ActivityTime: created, ChangeID: "chg-new", CycleID: "cyc-new", JobID: "job",
			Action: diagnose.ActionCreate, Status: diagnose.ResultSuccess,
			Source:           diagnose.Identity{ID: user.ObjectID, DisplayName: user.DisplayName, Type: "User"},
			ServicePrincipal: diagnose.ServicePrincipal{ID: snID, Name: "ServiceNow"},
			Steps: []diagnose.Step{{Name: "EntryImportAdd", Type: diagnose.StepImport, Status: diagnose.ResultSuccess},
				{Name: "EntryExportAdd", Type: diagnose.StepExport, Status: diagnose.ResultSuccess, Description: "User was created in ServiceNow"}}}}
	}
	return in, nil
}

// sentMessages records proactive messages.
type sentMessages struct {
	mu   sync.Mutex
	sent []sentMessage
	err  error
}

type sentMessage struct {
	ref  botframework.ConversationReference
	card map[string]any
}

func (s *sentMessages) Send(ctx context.Context, ref botframework.ConversationReference, act *botframework.Activity) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return "", s.err
	}
	b, _ := json.Marshal(act.Attachments[0].Content)
	var card map[string]any
	_ = json.Unmarshal(b, &card)
	s.sent = append(s.sent, sentMessage{ref: ref, card: card})
	return "id", nil
}

func (s *sentMessages) all() []sentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sentMessage(nil), s.sent...)
}

// texts are the cards' texts, in order.
func (s *sentMessages) texts() []string {
	var out []string
	for _, m := range s.all() {
		out = append(out, cardText(m.card))
	}
	return out
}

// watchHarness is the conversation with a state store, the watch
// poller over the same directory and a recording sender.
type watchHarness struct {
	*convHarness
	dir    *watchDirectory
	state  store.Store
	sent   *sentMessages
	poller *bot.WatchPoller
}

func newWatchHarness(t *testing.T) *watchHarness {
	t.Helper()
	var wd *watchDirectory
	h, st, sent := newStateHarness(t, func(f *fakeDirectory) bot.Directory {
		wd = &watchDirectory{fakeDirectory: f}
		return wd
	})
	p, err := bot.NewWatchPoller(bot.WatchPoller{State: st, Directory: wd, Sender: sent, Logger: slog.New(slog.DiscardHandler), Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &watchHarness{convHarness: h, dir: wd, state: st, sent: sent, poller: p}
}

// newStateHarness is a conversation harness with a state store (an
// in-memory SQLite database) and a directory wrap makes from the fake
// one, with a sender that records the pollers' messages.
func newStateHarness(t *testing.T, wrap func(*fakeDirectory) bot.Directory) (*convHarness, store.Store, *sentMessages) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := newConvHarness(t, func(c *bot.ConversationConfig) {
		c.Directory = wrap(c.Directory.(*fakeDirectory))
		c.State = st
	})
	return h, st, &sentMessages{}
}

// check runs the poller once and returns how many watches it checked.
func (h *watchHarness) check(t *testing.T) int {
	t.Helper()
	n, err := h.poller.RunOnce(context.Background(), store.Fence{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// actionTitles lists a card's button titles, in every action set.
func actionTitles(card map[string]any) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if t, ok := x["type"].(string); ok && strings.HasPrefix(t, "Action.") {
				if title, ok := x["title"].(string); ok {
					out = append(out, title)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(card)
	return out
}

func hasTitle(card map[string]any, title string) bool {
	for _, t := range actionTitles(card) {
		if t == title {
			return true
		}
	}
	return false
}

func TestNotifyMeTellsTheOwnerOnceWhenTheAccountIsReady(t *testing.T) {
	h := newWatchHarness(t)
	card := h.ask(t, meganID, "is my ServiceNow account ready?")
	if text := cardText(card); !strings.Contains(text, "next") || !hasTitle(card, "Notify me") {
		t.Fatalf("a card waiting for the next cycle offers no Notify me (buttons %v):\n%s", actionTitles(card), text)
	}
	if other := h.ask(t, adeleID, "why can't I get into Salesforce?"); hasTitle(other, "Notify me") {
		t.Errorf("a card whose estimate names no time offers Notify me:\n%s", cardText(other))
	}

	made := h.execute(t, meganID, bot.ActionData{Verb: bot.VerbWatch, User: meganID, App: snID})
	if text := cardText(made); !strings.Contains(text, "I'll tell you when your ServiceNow account is ready") {
		t.Fatalf("Notify me answered:\n%s", text)
	}
	again := h.execute(t, meganID, bot.ActionData{Verb: bot.VerbWatch, User: meganID, App: snID})
	if text := cardText(again); !strings.Contains(text, "already watching") {
		t.Errorf("a second Notify me answered:\n%s", text)
	}
	ws, _ := h.state.WatchesByOwner(context.Background(), meganID)
	if len(ws) != 1 {
		t.Fatalf("%d watches, want 1", len(ws))
	}
	// The next cycle is due 30 minutes after the question; the watch is
	// checked 10 minutes after that, not before.
	if want := h.clock.Now().Add(40 * time.Minute); !ws[0].DueAt.Equal(want) {
		t.Errorf("first check at %v, want %v (the next cycle plus the margin)", ws[0].DueAt, want)
	}
	if n := h.check(t); n != 0 || h.dir.gathers.Load() != 2+2 {
		t.Errorf("before it was due: %d checks, %d lookups", n, h.dir.gathers.Load())
	}

	h.clock.Advance(35 * time.Minute)
	h.dir.create(h.clock.Now().Add(-time.Minute)) // the cycle ran and made her account
	h.clock.Advance(6 * time.Minute)
	if n := h.check(t); n != 1 {
		t.Fatalf("%d checks when due, want 1", n)
	}
	texts := h.sent.texts()
	if len(texts) != 1 || !strings.Contains(texts[0], "Your ServiceNow account is ready") {
		t.Fatalf("messages after the cycle: %v", texts)
	}
	if ref := h.sent.all()[0].ref; ref.Conversation.ID == "" || ref.ServiceURL == "" || ref.User.AADObjectID != meganID {
		t.Errorf("sent to %+v, not Megan's conversation", ref)
	}
	h.clock.Advance(time.Hour)
	h.check(t)
	if n := len(h.sent.all()); n != 1 {
		t.Errorf("%d messages after another check, want still 1", n)
	}
	if ws, _ := h.state.WatchesByOwner(context.Background(), meganID); len(ws) != 0 {
		t.Errorf("the watch outlived its answer: %+v", ws)
	}
}

func TestAWatchSaysOnceThatItIsLateAndStopsAfterAWeek(t *testing.T) {
	h := newWatchHarness(t)
	h.execute(t, meganID, bot.ActionData{Verb: bot.VerbWatch, User: meganID, App: snID})
	for range 7 * 24 * 4 { // every 15 minutes for a week
		h.clock.Advance(15 * time.Minute)
		h.check(t)
	}
	texts := h.sent.texts()
	if len(texts) != 2 {
		t.Fatalf("%d messages over a week, want 2 (late once, then stopped): %v", len(texts), texts)
	}
	if !strings.Contains(texts[0], "taking longer than expected") || !strings.Contains(texts[0], "keep watching") {
		t.Errorf("the late message: %s", texts[0])
	}
	if !strings.Contains(texts[1], "I stopped watching your ServiceNow account") {
		t.Errorf("the last message: %s", texts[1])
	}
	for _, leak := range []string{"S01", "L03", "pending-next-cycle", "job"} {
		if strings.Contains(texts[0], leak) {
			t.Errorf("an end user's message says %q: %s", leak, texts[0])
		}
	}
	if g := h.dir.gathers.Load(); g > 60 {
		t.Errorf("%d lookups in a week: not backing off", g)
	}
	if ws, _ := h.state.WatchesByOwner(context.Background(), meganID); len(ws) != 0 {
		t.Errorf("a watch outlived its week: %+v", ws)
	}
}

func TestHelpDeskWatchesAnyoneEndUsersOnlyThemselves(t *testing.T) {
	h := newWatchHarness(t)
	refused := h.ask(t, meganID, "tell me when Adele's ServiceNow account exists")
	if text := cardText(refused); !strings.Contains(text, "I can only watch your own account") {
		t.Errorf("an end user watching someone else got:\n%s", text)
	}
	if ws, _ := h.state.WatchesByOwner(context.Background(), meganID); len(ws) != 0 {
		t.Fatalf("an end user's watch of someone else was made: %+v", ws)
	}
	made := h.ask(t, hankID, "tell me when adele.vance@contoso.com's ServiceNow account exists")
	if text := cardText(made); !strings.Contains(text, "Adele Vance's ServiceNow account") {
		t.Fatalf("the help desk's watch answered:\n%s", text)
	}
	list := h.ask(t, hankID, "my watches")
	if text := cardText(list); !strings.Contains(text, "Adele Vance's ServiceNow account") || !hasTitle(list, "Stop") {
		t.Errorf("my watches:\n%s", text)
	}
	stopped := h.ask(t, hankID, "stop watching adele")
	if text := cardText(stopped); !strings.Contains(text, "I stopped watching Adele Vance's ServiceNow account") {
		t.Errorf("stop watching:\n%s", text)
	}
	if ws, _ := h.state.WatchesByOwner(context.Background(), hankID); len(ws) != 0 {
		t.Errorf("watches left after stop watching: %+v", ws)
	}
}

func TestAHelpDeskWatchEndsWhenItsOwnerLeavesTheHelpDesk(t *testing.T) {
	h := newWatchHarness(t)
	h.ask(t, hankID, "tell me when adele.vance@contoso.com's ServiceNow account exists")
	ws, _ := h.state.WatchesByOwner(context.Background(), hankID)
	if len(ws) != 1 {
		t.Fatalf("%d watches", len(ws))
	}
	// The watch passes to someone not on the help desk (as if Hank had
	// left it: the fake's help desk is Hank's id).
	if err := h.state.DeleteWatch(context.Background(), ws[0].ID, 0, store.Fence{}); err != nil {
		t.Fatal(err)
	}
	w := ws[0]
	w.Owner = meganID
	if _, err := h.state.CreateWatch(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	h.dir.create(h.clock.Now())
	h.clock.Advance(time.Hour)
	h.check(t)
	if texts := h.sent.texts(); len(texts) != 0 {
		t.Errorf("someone no longer on the help desk was told about Adele: %v", texts)
	}
	if ws, _ := h.state.WatchesByOwner(context.Background(), meganID); len(ws) != 0 {
		t.Errorf("the watch was kept: %+v", ws)
	}
}

func TestAWatchWhoseChatIsGoneEndsAndAFailedSendIsRetried(t *testing.T) {
	h := newWatchHarness(t)
	h.execute(t, meganID, bot.ActionData{Verb: bot.VerbWatch, User: meganID, App: snID})
	h.dir.create(h.clock.Now())
	h.sent.mu.Lock()
	h.sent.err = &botframework.ConnectorError{Op: "send to conversation", StatusCode: 502}
	h.sent.mu.Unlock()
	h.clock.Advance(time.Hour)
	h.check(t)
	h.sent.mu.Lock()
	h.sent.err = nil
	h.sent.mu.Unlock()
	h.clock.Advance(30 * time.Second)
	h.check(t)
	if n := len(h.sent.all()); n != 0 {
		t.Fatalf("a claimed message was sent again before its claim ran out: %d", n)
	}
	h.clock.Advance(time.Minute)
	h.check(t)
	if texts := h.sent.texts(); len(texts) != 1 || !strings.Contains(texts[0], "Your ServiceNow account is ready") {
		t.Fatalf("after the failed send: %v", texts)
	}

	h2 := newWatchHarness(t)
	h2.execute(t, meganID, bot.ActionData{Verb: bot.VerbWatch, User: meganID, App: snID})
	h2.sent.mu.Lock()
	h2.sent.err = &botframework.ConnectorError{Op: "send to conversation", StatusCode: 403, Code: "ConversationBlockedByUser"}
	h2.sent.mu.Unlock()
	h2.dir.create(h2.clock.Now())
	h2.clock.Advance(time.Hour)
	h2.check(t)
	if ws, _ := h2.state.WatchesByOwner(context.Background(), meganID); len(ws) != 0 {
		t.Errorf("a watch whose chat blocked the bot is kept: %+v", ws)
	}
}

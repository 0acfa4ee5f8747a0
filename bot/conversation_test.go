package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
)

// The cast of the conversation tests. Megan is the asker of the Teams
// example message; Hank is on the help desk.
const (
	meganID = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8"
	adeleID = "a1a1a1a1-0000-4000-8000-000000000001"
	adele2  = "a1a1a1a1-0000-4000-8000-000000000002"
	hankID  = "b2b2b2b2-0000-4000-8000-000000000003"
	salesID = "d4d4d4d4-0000-4000-8000-000000000005" // the Sales group
	sfID    = "sp-salesforce"
	snID    = "sp-servicenow"
)

// convHarness is the real server and conversation over the bftest fakes.
type convHarness struct {
	*harness
	dir   *fakeDirectory
	audit *logBuffer
}

func newConvHarness(t *testing.T, mutate ...func(*bot.ConversationConfig)) *convHarness {
	t.Helper()
	dir := newFakeDirectory(newClock().Now())
	audit := &logBuffer{}
	var conv *bot.Conversation
	h := newHarness(t, botframework.HandlerFuncs{
		Activity: func(ctx context.Context, turn *botframework.Turn) error { return conv.OnActivity(ctx, turn) },
		Invoke: func(ctx context.Context, turn *botframework.Turn) (botframework.InvokeResponse, error) {
			return conv.OnInvoke(ctx, turn)
		},
	})
	cfg := bot.ConversationConfig{Directory: dir, Logger: slog.New(slog.DiscardHandler), Audit: slog.New(slog.NewJSONHandler(audit, nil)),
		Now: h.clock.Now, HelpDeskContact: "the IT help desk (help@contoso.com)"}
	for _, m := range mutate {
		m(&cfg)
	}
	var err error
	conv, err = bot.NewConversation(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &convHarness{harness: h, dir: dir, audit: audit}
}

// ask posts a Teams personal message from the given user and returns the
// card the bot replied with.
func (h *convHarness) ask(t *testing.T, fromID, text string) map[string]any {
	t.Helper()
	before := len(h.replies())
	body := h.activity("teams/teams-message-personal.json", func(m map[string]any) {
		m["text"] = text
		delete(m, "attachments")
		m["from"].(map[string]any)["aadObjectId"] = fromID
	})
	if status, _ := h.postSigned(body); status != 200 {
		t.Fatalf("POST status %d", status)
	}
	return h.waitReply(t, before)
}

// submit posts an Action.Submit message carrying data.
func (h *convHarness) submit(t *testing.T, fromID string, data bot.ActionData) map[string]any {
	t.Helper()
	before := len(h.replies())
	data.Kind = "provbot"
	body := h.activity("cards/inbound-action-submit-message.illustrative.json", func(m map[string]any) {
		m["value"] = data
		m["from"].(map[string]any)["aadObjectId"] = fromID
	})
	if status, _ := h.postSigned(body); status != 200 {
		t.Fatalf("POST status %d", status)
	}
	return h.waitReply(t, before)
}

// execute posts an Action.Execute invoke and returns the card of the
// synchronous invoke response.
func (h *convHarness) execute(t *testing.T, fromID string, data bot.ActionData) map[string]any {
	t.Helper()
	data.Kind = "provbot"
	body := h.activity("cards/inbound-adaptivecard-action-invoke.illustrative.json", func(m map[string]any) {
		m["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": data.Verb, "data": data}, "trigger": "manual"}
		m["from"].(map[string]any)["aadObjectId"] = fromID
	})
	status, resp := h.postSigned(body)
	if status != 200 {
		t.Fatalf("invoke status %d: %s", status, resp)
	}
	var ir struct {
		StatusCode int            `json:"statusCode"`
		Type       string         `json:"type"`
		Value      map[string]any `json:"value"`
	}
	if err := json.Unmarshal(resp, &ir); err != nil {
		t.Fatalf("invoke response %s: %v", resp, err)
	}
	if ir.Type != "application/vnd.microsoft.card.adaptive" {
		t.Fatalf("invoke response type %q", ir.Type)
	}
	return ir.Value
}

// replies are the connector calls that carried a card.
func (h *convHarness) replies() []map[string]any {
	var out []map[string]any
	for _, c := range h.connector.Calls() {
		atts, _ := c.Body["attachments"].([]any)
		if len(atts) == 0 {
			continue
		}
		att, _ := atts[0].(map[string]any)
		if card, ok := att["content"].(map[string]any); ok {
			out = append(out, card)
		}
	}
	return out
}

func (h *convHarness) waitReply(t *testing.T, before int) map[string]any {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		if r := h.replies(); len(r) > before {
			return r[before]
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no card reply after %v; connector calls: %d", waitLimit, len(h.connector.Calls()))
	return nil
}

// cardText is all the text of a card, for assertions.
func cardText(card map[string]any) string {
	b, _ := json.Marshal(card)
	return string(b)
}

func TestEndUserAsksAboutTheirOwnAccount(t *testing.T) {
	h := newConvHarness(t)
	card := h.ask(t, meganID, "why can't I get into ServiceNow?")
	text := cardText(card)
	for _, want := range []string{"ServiceNow", "✗ Problem", "one of your details", "What to do", "ServiceNow is working normally"} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q:\n%s", want, text)
		}
	}
	for _, leak := range []string{"Evidence", "Grady Archie", "chg-1", "ServiceNowEntryConflict", "409", "HTTP",
		"Show all steps", "EntryExportAdd", "Export", "Import", "For the ticket", "running", "job"} {
		if strings.Contains(text, leak) {
			t.Errorf("end-user card shows %q (help-desk or other people's data)", leak)
		}
	}
	recs := h.audit.records("lookup")
	if len(recs) != 1 || recs[0]["asker"] != meganID || recs[0]["subject"] != meganID || !strings.Contains(fmt.Sprint(recs[0]["verdict"]), "ServiceNow=") {
		t.Errorf("audit records %v", recs)
	}
}

func TestEndUserMayNotLookUpSomeoneElse(t *testing.T) {
	for _, q := range []string{
		"check adele.vance@contoso.com in ServiceNow",
		"why is Adele Vance missing from Salesforce",
		"what happened to " + adeleID,
	} {
		t.Run(q, func(t *testing.T) {
			h := newConvHarness(t)
			card := h.ask(t, meganID, q)
			text := cardText(card)
			if !strings.Contains(text, "I can only check your own account") || !strings.Contains(text, "help@contoso.com") {
				t.Errorf("not a polite refusal naming whom to ask:\n%s", text)
			}
			if strings.Contains(text, "Adele") {
				t.Errorf("refusal reveals the other person: %s", text)
			}
			if n := h.dir.gathers.Load(); n != 0 {
				t.Errorf("Gather called %d times for a refused lookup", n)
			}
			if _, looked := h.dir.resolves.Load("Adele Vance"); looked {
				t.Error("the other person was looked up in the directory")
			}
		})
	}
}

func TestEndUserForgedButtonForSomeoneElseIsRefused(t *testing.T) {
	h := newConvHarness(t)
	card := h.submit(t, meganID, bot.ActionData{Verb: bot.VerbRefresh, User: adeleID, App: snID})
	if !strings.Contains(cardText(card), "I can only check your own account") {
		t.Errorf("forged submit not refused: %s", cardText(card))
	}
	card = h.execute(t, meganID, bot.ActionData{Verb: bot.VerbSteps, User: adeleID, App: snID})
	if !strings.Contains(cardText(card), "I can only check your own account") {
		t.Errorf("forged invoke not refused: %s", cardText(card))
	}
}

func TestEndUserMayUseTheirOwnEmail(t *testing.T) {
	h := newConvHarness(t)
	card := h.ask(t, meganID, "check megan.bowen@contoso.com in Salesforce")
	if !strings.Contains(cardText(card), "✓ OK") {
		t.Errorf("own lookup by email not answered: %s", cardText(card))
	}
}

func TestHelpDeskPicksOneOfTwoPeopleWithTheSameName(t *testing.T) {
	h := newConvHarness(t)
	card := h.ask(t, hankID, "check Adele in ServiceNow")
	text := cardText(card)
	if !strings.Contains(text, "2 people match") || !strings.Contains(text, "Adele Moreau") {
		t.Fatalf("no picker: %s", text)
	}
	// The picker's button carries the choice; clicking it continues.
	card = h.submit(t, hankID, bot.ActionData{Verb: bot.VerbPickUser, User: adeleID, App: "ServiceNow"})
	text = cardText(card)
	for _, want := range []string{"Adele Vance", "Evidence", "ServiceNowEntryConflict", "chg-1"} {
		if !strings.Contains(text, want) {
			t.Errorf("help-desk card lacks %q: %s", want, text)
		}
	}
}

func TestChoosingAnOfferedAppContinuesTheLookup(t *testing.T) {
	h := newConvHarness(t)
	card := h.ask(t, meganID, "why can't I get into Contoso?")
	text := cardText(card)
	if !strings.Contains(text, "fits more than one app") || !strings.Contains(text, "Contoso Travel") || h.dir.gathers.Load() != 0 {
		t.Errorf("no choice between the apps called Contoso: %s", text)
	}
	card = h.submit(t, meganID, bot.ActionData{Verb: bot.VerbPickApp, App: travelID})
	if !strings.Contains(cardText(card), "Contoso Travel") || h.dir.gathers.Load() != 1 {
		t.Errorf("pick-app did not continue: %s", cardText(card))
	}
}

// A "Show all steps" button of an older card still works: the help desk
// gets the card with its details open, in place; an end user gets their
// card, which has no steps.
func TestShowAllStepsAnswersTheInvokeInPlace(t *testing.T) {
	h := newConvHarness(t)
	card := h.execute(t, hankID, bot.ActionData{Verb: bot.VerbSteps, User: adeleID, App: snID})
	text := cardText(card)
	if !strings.Contains(text, "Failed to create User in ServiceNow") || strings.Contains(text, `"isVisible":false,"items":[{"size"`) {
		t.Errorf("the help desk's card lacks the step description or hides the details: %s", text)
	}
	if len(h.replies()) != 0 {
		t.Error("an invoke must be answered in the HTTP response, not with a message")
	}
	card = h.execute(t, meganID, bot.ActionData{Verb: bot.VerbSteps, App: snID})
	if text := cardText(card); strings.Contains(text, "Failed to create User") || !strings.Contains(text, "one of your details") {
		t.Errorf("an end user's steps button: %s", text)
	}
}

func TestSeveralAppsGetOneSummaryWorstFirst(t *testing.T) {
	h := newConvHarness(t)
	card := h.ask(t, meganID, "check my accounts")
	text := cardText(card)
	sn, sf := strings.Index(text, "ServiceNow"), strings.Index(text, "Salesforce")
	if !strings.Contains(text, "2 apps") || sn < 0 || sf < 0 || sn > sf {
		t.Errorf("summary not worst first: %s", text)
	}
}

func TestStatusAppsHelpAndWelcome(t *testing.T) {
	h := newConvHarness(t)
	for _, tc := range []struct {
		asker, ask string
		want       []string
		never      []string
	}{
		{meganID, "status of Salesforce", []string{"Salesforce is working normally", "✓ Working"}, []string{"Job ID", "running", "Last run"}},
		{hankID, "status of Salesforce", []string{"Healthy: running every 40 minutes", "✓ Working", "Job ID"}, nil},
		{meganID, "which apps", []string{"Apps that provision users (5)", "✓ working", "Show status"}, []string{"running"}},
		{hankID, "which apps", []string{"Apps that provision users (5)", "✓ running"}, nil},
		{meganID, "help", []string{"What you can ask me"}, nil},
		{meganID, "blorp", []string{"I didn't understand that"}, nil},
	} {
		text := cardText(h.ask(t, tc.asker, tc.ask))
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%q: card lacks %q: %s", tc.ask, w, text)
			}
		}
		for _, n := range tc.never {
			if strings.Contains(text, n) {
				t.Errorf("%q: an end user's card says %q: %s", tc.ask, n, text)
			}
		}
	}
	before := len(h.replies())
	body := h.activity("teams/teams-conversationupdate-bot-added-personal.json")
	if status, _ := h.postSigned(body); status != 200 {
		t.Fatal(status)
	}
	if text := cardText(h.waitReply(t, before)); !strings.Contains(text, "Hi, I'm provbot") {
		t.Errorf("welcome card: %s", text)
	}
}

func TestGraphFailuresBecomeApologies(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"throttled", fmt.Errorf("list provisioning logs: %w", diagnose.ErrThrottled), "slow down"},
		{"forbidden", fmt.Errorf("list provisioning logs: %w (needs AuditLog.Read.All)", diagnose.ErrForbidden), "not allowed"},
		{"unavailable", fmt.Errorf("list provisioning logs: %w", diagnose.ErrUnavailable), "did not answer"},
		{"unexpected", errors.New("boom"), "Something went wrong"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newConvHarness(t)
			h.dir.err = tc.err
			if text := cardText(h.ask(t, meganID, "check my accounts")); !strings.Contains(text, tc.want) {
				t.Errorf("card lacks %q: %s", tc.want, text)
			}
		})
	}
}

func TestSlowLookupGetsAnApologyNotSilence(t *testing.T) {
	h := newConvHarness(t, func(c *bot.ConversationConfig) { c.LookupTimeout = 50 * time.Millisecond })
	h.dir.delay = 5 * time.Second
	if text := cardText(h.ask(t, meganID, "check my accounts")); !strings.Contains(text, "took too long") {
		t.Errorf("card: %s", text)
	}
}

func TestConcurrentConversationsGetTheirOwnAnswers(t *testing.T) {
	h := newConvHarness(t)
	const n = 12
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := h.activity("teams/teams-message-personal.json", func(m map[string]any) {
				m["text"] = "why can't I get into ServiceNow?"
				delete(m, "attachments")
				m["conversation"].(map[string]any)["id"] = fmt.Sprintf("a:conv-%d", i)
			})
			if status, _ := h.postSigned(body); status != 200 {
				t.Errorf("status %d", status)
			}
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(waitLimit)
	for len(h.replies()) < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	seen := map[string]bool{}
	for _, c := range h.connector.Calls() {
		if _, ok := c.Body["attachments"]; ok {
			seen[c.ConversationID] = true
		}
	}
	if len(seen) != n {
		t.Errorf("answers reached %d distinct conversations, want %d", len(seen), n)
	}
}

func TestHelpDeskAsksWhyAGroupIsMissing(t *testing.T) {
	h := newConvHarness(t)
	card := h.ask(t, hankID, "why is the Sales group missing from Salesforce?")
	text := cardText(card)
	for _, want := range []string{"the Sales group", "Salesforce already has a group with the same name"} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q:\n%s", want, text)
		}
	}
	// Named bare, or by id: no one is called that, but a group is.
	for _, q := range []string{"check Sales in Salesforce", "check " + salesID + " in Salesforce"} {
		if text := cardText(h.ask(t, hankID, q)); !strings.Contains(text, "the Sales group") {
			t.Errorf("%s: %s", q, text)
		}
	}
	// The card's Refresh button carries the group's id, and still works.
	card = h.submit(t, hankID, bot.ActionData{Verb: bot.VerbRefresh, User: salesID, App: sfID})
	if !strings.Contains(cardText(card), "the Sales group") {
		t.Errorf("refresh of a group card: %s", cardText(card))
	}
}

func TestEndUserMayNotAskAboutAGroup(t *testing.T) {
	h := newConvHarness(t)
	card := h.ask(t, meganID, "why is the Sales group missing from Salesforce?")
	text := cardText(card)
	if !strings.Contains(text, "Questions about a group are for the help desk") || !strings.Contains(text, "help@contoso.com") {
		t.Errorf("not a polite refusal:\n%s", text)
	}
	if n := h.dir.gathers.Load(); n != 0 {
		t.Errorf("Gather called %d times for a refused lookup", n)
	}
}

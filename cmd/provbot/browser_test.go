package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/provbot/provbot/internal/browsertest"
)

// watchJSErrors collects, from now on, the page's console errors and
// uncaught exceptions (failed network requests are left out: the page
// reports those itself). The returned func lists them so far.
func watchJSErrors(ctx context.Context) func() []string {
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if (m.Type != chromedp.ConsoleError && !m.IsException()) || m.Source == "network" {
				continue
			}
			mu.Lock()
			problems = append(problems, fmt.Sprintf("%s (at %s:%d)", m, m.URL, m.Line+1))
			mu.Unlock()
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(problems)
	}
}

// waitJS evaluates the JavaScript expression expr every 50 ms until it is
// truthy, and returns that value decoded into T; it fails t after 10 s.
// (chromedp.Poll compiles its predicate with new Function, which the demo
// page's CSP forbids; Runtime.evaluate is exempt.)
func waitJS[T any](t *testing.T, ctx context.Context, what, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	js := "(() => { const v = (" + expr + "); return v ? JSON.stringify(v) : ''; })()"
	for {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil && ctx.Err() == nil {
			t.Fatalf("%s: %v", what, err)
		}
		if s != "" {
			var v T
			if err := json.Unmarshal([]byte(s), &v); err != nil {
				t.Fatalf("%s: decode %s: %v", what, s, err)
			}
			return v
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// evalJS evaluates expr once and returns its value decoded into T.
func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// doBrowser runs chromedp steps and fails t with what on error.
func doBrowser(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// clickFound clicks (with real mouse events) the element the JavaScript
// expression find returns.
func clickFound(t *testing.T, ctx context.Context, what, find string) {
	t.Helper()
	waitJS[bool](t, ctx, what, `(() => { const e = (`+find+`); if (!e) return false; e.setAttribute("data-test-click", "1"); return true; })()`)
	doBrowser(t, ctx, what, chromedp.Click(chromedp.CSS(`[data-test-click="1"]`)))
	evalJS[chromedp.Void](t, ctx, `document.querySelector('[data-test-click="1"]')?.removeAttribute("data-test-click")`)
}

// The JavaScript the test reads the page with.
const (
	jsBotMessages = `document.querySelectorAll('[data-testid=messages] > [data-testid=bot-message]')`
	jsLastBotCard = `[...document.querySelectorAll('[data-testid=messages] [data-testid=bot-card]')].at(-1)`
)

// cardIn finds, in JavaScript, the bot card whose text contains s.
func cardIn(s string) string {
	return `[...document.querySelectorAll('[data-testid=bot-card]')].find(c => c.textContent.includes(` + jsString(s) + `))`
}

// cardState is what the test reads of a rendered card.
type cardState struct {
	Headline      string `json:"headline"`
	HeadlineClass string `json:"headlineClass"`
	Text          string `json:"text"`
	ActivityID    string `json:"activityId"`
}

// jsCardState reads the headline (first TextBlock) of the card found by the
// JavaScript expression card.
func jsCardState(card string) string {
	return `(() => { const c = (` + card + `); if (!c) return null; const h = c.querySelector('.ac-text');
		return { headline: h ? h.textContent : "", headlineClass: h ? h.className : "", text: c.textContent,
			activityId: c.closest('[data-testid=bot-message]')?.dataset.activityId || "" }; })()`
}

func TestCardRendererInChromium(t *testing.T) {
	backend := newFakeDemoBackend(t)
	browser := browsertest.Start(t)
	jsErrors := watchJSErrors(browser)
	ctx, cancel := context.WithTimeout(browser, 60*time.Second)
	defer cancel()
	defer func() {
		for _, p := range jsErrors() {
			t.Errorf("JavaScript error: %s", p)
		}
	}()

	// Load the page: the cast appears and the first person's welcome card,
	// although the connector's first answer is an error.
	backend.mu.Lock()
	backend.failPolls = 1
	backend.mu.Unlock()
	doBrowser(t, ctx, "load the page", chromedp.Navigate(backend.srv.URL+"/"))
	if n := waitJS[int](t, ctx, "the cast", `document.querySelectorAll('[data-testid=cast-member]').length`); n != len(fakeCast) {
		t.Fatalf("cast shows %d people, want %d", n, len(fakeCast))
	}
	waitJS[cardState](t, ctx, "the end user's welcome card", jsCardState(cardIn("Only the help desk can look up")))
	firstConv := evalJS[string](t, ctx, `document.querySelector('[data-testid=chat]').dataset.conversationId`)
	waitJS[bool](t, ctx, "the status line to clear after the poll error", `document.querySelector('[data-testid=status]').hidden`)
	backend.mu.Lock()
	if backend.failPolls != 0 {
		t.Error("the page never polled")
	}
	backend.mu.Unlock()

	// Pick the help-desk agent: a new conversation, with the help desk's welcome.
	agent := fakeCast[1]
	doBrowser(t, ctx, "pick "+agent.Name,
		chromedp.Click(chromedp.CSS(`[data-testid=cast-member][data-upn="`+agent.UPN+`"] [data-testid=cast-pick]`)))
	waitJS[cardState](t, ctx, "the help desk's welcome card", jsCardState(cardIn("Anyone (help desk)")))
	conv := evalJS[string](t, ctx, `document.querySelector('[data-testid=chat]').dataset.conversationId`)
	switchedAt := time.Now()
	if conv == firstConv || !strings.HasPrefix(conv, "a:demo-") {
		t.Errorf("conversation after switching = %q (before: %q), want a new a:demo-… id", conv, firstConv)
	}
	if got := evalJS[string](t, ctx, `document.querySelector('[data-testid=persona]').value`); got != agent.UPN {
		t.Errorf("You are: %q, want %q", got, agent.UPN)
	}
	if n := evalJS[int](t, ctx, jsBotMessages+`.length`); n != 1 {
		t.Errorf("%d bot messages after switching, want only the welcome", n)
	}

	// Ask a question: the visitor's bubble, typing, then the verdict card.
	question := "why can't I get into ServiceNow?"
	doBrowser(t, ctx, "ask",
		chromedp.SendKeys(chromedp.CSS(`[data-testid=ask]`), question),
		chromedp.Click(chromedp.CSS(`[data-testid=send]`)))
	waitJS[bool](t, ctx, "the question's bubble",
		`[...document.querySelectorAll('[data-testid=user-message]')].some(m => m.textContent === `+jsString(question)+`)`)
	waitJS[bool](t, ctx, "the typing indicator", `!document.querySelector('[data-testid=typing]').hidden`)
	verdict := waitJS[cardState](t, ctx, "the verdict card", jsCardState(cardIn("a second one could not be made")))
	if verdict.Headline != "✗ Problem · ServiceNow" || !evalJS[bool](t, ctx, jsLastBotCard+`.querySelector('[data-ac-id=verdict].ac-style-attention') !== null`) {
		t.Errorf("verdict headline = %q, want ✗ Problem · ServiceNow on the attention background", verdict.Headline)
	}
	if !evalJS[bool](t, ctx, `document.querySelector('[data-testid=typing]').hidden`) {
		t.Error("typing indicator still shown after the answer")
	}
	asked := backend.find(func(a activityJSON) bool { return a.Type == "message" && a.Text == question })
	if asked == nil || asked.Conversation.ID != conv || asked.From.AADObjectID != agent.ObjectID {
		t.Errorf("the bot got %+v, want the question from %s in %s", asked, agent.ObjectID, conv)
	}

	// Action.Execute: the card is replaced in place by the invoke's answer.
	messages := evalJS[int](t, ctx, jsBotMessages+`.length`)
	clickFound(t, ctx, "Refresh", jsLastBotCard+`.querySelector('[data-testid=card-action][data-title="Refresh"]')`)
	steps := waitJS[cardState](t, ctx, "the help desk's card with its details open", jsCardState(cardIn("For the ticket")))
	if !strings.Contains(steps.Text, "Failed to create User 'adele@contoso.com' in ServiceNow") || steps.ActivityID != verdict.ActivityID {
		t.Errorf("after Refresh: activity %q text %q, want the details in activity %q", steps.ActivityID, steps.Text, verdict.ActivityID)
	}
	if n := evalJS[int](t, ctx, jsBotMessages+`.length`); n != messages {
		t.Errorf("%d bot messages after Action.Execute, want %d (the card is replaced in place)", n, messages)
	}
	invoke := backend.find(func(a activityJSON) bool { return a.Type == "invoke" && a.Invoke.Action.Verb == "refresh" })
	if invoke == nil || invoke.ReplyToID != verdict.ActivityID || invoke.Invoke.Trigger != "manual" || invoke.Invoke.Action.Type != "Action.Execute" {
		t.Errorf("invoke = %+v, want an Action.Execute refresh in reply to %s", invoke, verdict.ActivityID)
	}

	// As in Teams: toggles show hidden parts on the client, the ticket's
	// text sits in a text box, and secondary actions wait in a menu.
	hd := cardIn("For the ticket")
	clickFound(t, ctx, "Copy for ticket", hd+`.querySelector('[data-title="Copy for ticket"]')`)
	ticket := waitJS[string](t, ctx, "the ticket's text", `(() => { const c = `+hd+`; const box = c.querySelector('[data-ac-id=copy]');
		return box && !box.hidden && box.querySelector('textarea')?.value; })()`)
	if !strings.Contains(ticket, "## ✗ ServiceNow — Adele Vance") || !strings.Contains(ticket, "- Change ID: eaad2f8b") {
		t.Errorf("the ticket's text box holds %q", ticket)
	}
	menu := evalJS[map[string]any](t, ctx, `(() => { const c = `+hd+`; const m = c.querySelector('[data-testid=card-overflow-menu]');
		return { hidden: m.hidden, items: [...m.querySelectorAll('[data-testid=card-action]')].map(a => a.dataset.title),
			row: [...c.querySelectorAll('.ac-actionrow > *')].map(a => a.dataset.title) }; })()`)
	if menu["hidden"] != true || fmt.Sprint(menu["items"]) != "[Other apps Learn more]" || fmt.Sprint(menu["row"]) != "[Details Copy for ticket Refresh …]" {
		t.Errorf("help-desk buttons: %v, want Details, Copy for ticket, Refresh and … on the row, Other apps and Learn more in a closed menu", menu)
	}
	clickFound(t, ctx, "the overflow button", hd+`.querySelector('[data-testid=card-overflow]')`)
	clickFound(t, ctx, "Other apps", hd+`.querySelector('[data-testid=card-overflow-menu]:not([hidden]) [data-title="Other apps"]')`)
	waitJS[cardState](t, ctx, "the summary card", jsCardState(cardIn("Your accounts in 3 apps")))

	// Action.Submit (a ColumnSet's selectAction): a message with the data, and a new bot message.
	clickFound(t, ctx, "Open Dropbox", `document.querySelector('[data-testid=card-select-action][data-title="Open Dropbox"]')`)
	waitJS[bool](t, ctx, "the answer to Open Dropbox", jsBotMessages+`.length === `+fmt.Sprint(messages+1))
	waitJS[cardState](t, ctx, "the help-desk diagnosis", jsCardState(jsLastBotCard))
	submit := backend.find(func(a activityJSON) bool { return a.Type == "message" && a.Value.Verb == "diagnose" })
	if submit == nil || submit.Value.App != "sp-db" || submit.ReplyToID != verdict.ActivityID {
		t.Errorf("submit = %+v, want verb diagnose app sp-db in reply to %s", submit, verdict.ActivityID)
	}

	// Every golden card renders, through the chat, without an error.
	cards := evalJS[int](t, ctx, `document.querySelectorAll('[data-testid=bot-card]').length`)
	doBrowser(t, ctx, "ask for every card", chromedp.SendKeys(chromedp.CSS(`[data-testid=ask]`), "all cards\n"))
	waitJS[bool](t, ctx, fmt.Sprintf("%d cards", backend.cardCount),
		`document.querySelectorAll('[data-testid=bot-card]').length === `+fmt.Sprint(cards+backend.cardCount))
	if bad := evalJS[[]string](t, ctx, `[...document.querySelectorAll('[data-render-error]')].map(c => c.dataset.renderError)`); len(bad) > 0 {
		t.Errorf("cards failed to render: %q", bad)
	}
	// Teams' light theme, not nicer colours of our own.
	shapes := evalJS[map[string]string](t, ctx, `({
		factset: getComputedStyle(document.querySelector('.ac-factset')).display,
		columnset: getComputedStyle(document.querySelector('.ac-columnset')).display,
		emphasis: getComputedStyle(document.querySelector('.ac-style-emphasis')).backgroundColor,
		attentionBackground: getComputedStyle(document.querySelector('.ac-style-attention')).backgroundColor,
		good: getComputedStyle(document.querySelector('.ac-color-good')).color,
		attention: getComputedStyle(document.querySelector('.ac-color-attention')).color,
		large: getComputedStyle(document.querySelector('.ac-size-large')).fontSize,
		input: `+cardIn("Deployment finished")+`.querySelector('textarea[data-testid=card-input]')?.placeholder || "",
		fallback: `+cardIn("This card can't be shown here.")+` ? "shown" : "",
		link: document.querySelector('a[data-testid=card-action][data-title="Learn more"]')?.target || "",
	})`)
	for key, want := range map[string]string{
		"factset": "grid", "columnset": "flex", "emphasis": "rgb(249, 248, 247)", "attentionBackground": "rgb(255, 197, 178)",
		"good": "rgb(146, 195, 83)", "attention": "rgb(196, 49, 75)", "large": "18px", "input": "Optional comment",
		"fallback": "shown", "link": "_blank",
	} {
		if shapes[key] != want {
			t.Errorf("%s: got %q, want %q", key, shapes[key], want)
		}
	}
	// As in Teams: at most 6 buttons in a row, each title on one line,
	// cut when the row is too narrow.
	row := evalJS[map[string]any](t, ctx, `(() => { const c = `+cardIn("Buttons card")+`;
		const sets = c.querySelectorAll('.ac-actionrow');
		const cut = [...sets[1].querySelectorAll('.ac-action-title')].filter(s => s.scrollWidth > s.clientWidth + 0.5).length;
		return { shown: sets[0].querySelectorAll('[data-testid=card-action]').length, cut: cut,
			oneRow: new Set([...sets[1].children].map(b => Math.round(b.getBoundingClientRect().top))).size }; })()`)
	if row["shown"] != float64(6) || row["cut"] == float64(0) || row["oneRow"] != float64(1) {
		t.Errorf("buttons: %v, want 6 of 7 shown, and long titles cut on one row", row)
	}

	// A picker: the choice is sent with the button's data, as Teams merges
	// inputs.
	clickFound(t, ctx, "Adele Smith", cardIn("2 people match")+`.querySelector('input[type=radio][value=u2]')`)
	clickFound(t, ctx, "Check", cardIn("2 people match")+`.querySelector('[data-title="Check"]')`)
	deadline := time.Now().Add(10 * time.Second)
	var pick *activityJSON
	for pick == nil && time.Now().Before(deadline) {
		pick = backend.find(func(a activityJSON) bool { return a.Type == "invoke" && a.Invoke.Action.Verb == "pick-user" })
		time.Sleep(20 * time.Millisecond)
	}
	if pick == nil || pick.Invoke.Action.Data["user"] != "u2" || pick.Invoke.Action.Data["app"] != "ServiceNow" {
		t.Errorf("pick = %+v, want user u2 merged into the data of app ServiceNow", pick)
	}
	odd := evalJS[map[string]any](t, ctx, `(() => { const c = `+cardIn("Odd card")+`; const cols = c.querySelectorAll('.ac-column');
		return {
			columns: [...cols].map(e => getComputedStyle(e).flexGrow + "/" + getComputedStyle(e).flexBasis).join(" "),
			imageFallback: c.textContent.includes("image fallback"),
			dropped: !c.textContent.includes("Media"),
			unsupported: [...c.querySelectorAll('[data-testid=card-unsupported]')].length,
			number: c.textContent.includes("12345"),
			bigRed: c.querySelector('.ac-size-extralarge.ac-color-attention') !== null,
			markupAsText: c.textContent.includes("<img src=x") && c.querySelector('img') === null,
			toggle: c.querySelector('[data-title="Toggle"]') !== null && c.querySelector('[data-title="Toggle fallback"]') === null,
			showCardDisabled: c.querySelector('[data-title="Show"]').disabled,
			badLinkDisabled: c.querySelector('[data-title="Bad link"]').tagName === "BUTTON" && c.querySelector('[data-title="Bad link"]').disabled,
			cardLevel: c.querySelector('[data-title="Card-level"]') !== null,
		}; })()`)
	for key, want := range map[string]any{
		"columns": "2/0px 1/0px 0/80px", "imageFallback": true, "dropped": true, "unsupported": float64(3),
		"number": true, "bigRed": true, "markupAsText": true, "toggle": true, "showCardDisabled": true,
		"badLinkDisabled": true, "cardLevel": true,
	} {
		if odd[key] != want {
			t.Errorf("odd card: %s = %v, want %v", key, odd[key], want)
		}
	}

	// Action.Execute answered with a message, then with an error.
	clickFound(t, ctx, "Roll back", cardIn("Deployment finished")+`.querySelector('[data-title="Roll back"]')`)
	waitJS[bool](t, ctx, "the invoke's message", `[...document.querySelectorAll('[data-testid=card-note]')].some(n => n.textContent === "Rollback started.")`)
	clickFound(t, ctx, "Refresh the quarantined app", cardIn("Quarantined: the app rejected")+`.querySelector('[data-title="Refresh"]')`)
	waitJS[bool](t, ctx, "the invoke's error", `[...document.querySelectorAll('[data-testid=card-note].is-error')].some(n => n.textContent === "Unknown verb.")`)

	// A plain Action.Submit button: the bot updates that card (PUT) and answers.
	clickFound(t, ctx, "Acknowledge", cardIn("Deployment finished")+`.querySelector('[data-testid=card-action][data-title="Acknowledge"]')`)
	waitJS[bool](t, ctx, "the bot's text answer",
		`[...document.querySelectorAll('[data-testid=bot-text]')].some(p => p.textContent === "Acknowledged deployment d-42.")`)
	waitJS[bool](t, ctx, "the updated card", `!(`+cardIn("Deployment finished")+`)`)
	ack := backend.find(func(a activityJSON) bool { return a.Type == "message" && a.Value.Action == "ack" })
	if ack == nil || ack.ReplyToID == "" || ack.Text != "" {
		t.Errorf("acknowledge = %+v, want a message with value and replyToId and no text", ack)
	}

	// Keyboard: Enter on a selectAction runs it.
	messages = evalJS[int](t, ctx, jsBotMessages+`.length`)
	evalJS[chromedp.Void](t, ctx, `document.querySelector('[data-testid=card-select-action][data-title="Open Salesforce"]').focus()`)
	doBrowser(t, ctx, "press Enter on Open Salesforce", chromedp.KeyEvent("\r"))
	waitJS[bool](t, ctx, "the answer to Open Salesforce", jsBotMessages+`.length === `+fmt.Sprint(messages+1))

	shot := filepath.Join(screenshotDir(t), "demo-page.png")
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)

	// A cast member's suggested question: become them, get the welcome, ask.
	lee := fakeCast[2]
	doBrowser(t, ctx, "try "+lee.Name+"'s question",
		chromedp.Click(chromedp.CSS(`[data-testid=cast-member][data-upn="`+lee.UPN+`"] [data-testid=cast-try]`)))
	order := waitJS[[]string](t, ctx, lee.Name+"'s conversation", `(() => {
		const items = [...document.querySelectorAll('[data-testid=messages] > [data-testid=user-message], [data-testid=messages] > [data-testid=bot-message]')];
		return items.length === 3 && items.at(-1).querySelector('[data-testid=bot-card]') &&
			items.map(m => m.dataset.testid + ": " + m.textContent.slice(0, 60)); })()`)
	if !strings.Contains(order[0], "Hi, I'm provbot") || order[1] != "user-message: "+lee.Question || !strings.Contains(order[2], "✗ Problem") {
		t.Errorf("%s's conversation = %q, want the welcome, the question, the verdict", lee.Name, order)
	}
	if got := evalJS[string](t, ctx, `document.querySelector('[data-testid=persona]').value`); got != lee.UPN {
		t.Errorf("You are: %q after the chip, want %q", got, lee.UPN)
	}

	// Narrow screens: nothing overflows sideways at 360 px.
	doBrowser(t, ctx, "emulate a 360 px phone", chromedp.EmulateViewport(360, 780))
	if w := waitJS[int](t, ctx, "the narrow layout", `document.documentElement.clientWidth === 360 && document.documentElement.scrollWidth`); w > 360 {
		wide := evalJS[[]string](t, ctx, `[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)
			.slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`)
		t.Errorf("at 360 px the page is %d px wide; too wide: %q", w, wide)
	}
	narrow := filepath.Join(filepath.Dir(shot), "demo-page-360.png")
	if png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		err = os.WriteFile(narrow, png, 0o644)
	}
	if err != nil {
		t.Fatalf("narrow screenshot: %v", err)
	}
	t.Logf("screenshot at 360 px: %s", narrow)

	// The first conversation's long poll stopped when the persona changed.
	if last := backend.lastPoll(firstConv); last.After(switchedAt.Add(time.Second)) {
		t.Errorf("the page still polled the old conversation at %s, after switching at %s", last.Format(time.StampMilli), switchedAt.Format(time.StampMilli))
	}
}

// screenshotDir is where the test saves screenshots: $PROVBOT_SCREENSHOT_DIR
// when set (to look at them after the run), else the test's temp dir.
func screenshotDir(t *testing.T) string {
	if dir := os.Getenv("PROVBOT_SCREENSHOT_DIR"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// castMember is a person of the fake demo cast.
type castMember struct {
	Name     string `json:"name"`
	UPN      string `json:"upn"`
	ObjectID string `json:"objectId"`
	Role     string `json:"role"`
	App      string `json:"app"`
	Story    string `json:"story"`
	Question string `json:"question"`
}

var fakeCast = []castMember{
	{"Adele Vance", "adele.vance@contoso.com", "7faf8ab2-3d56-4244-b585-20c8a42ed2b8", "end-user", "ServiceNow",
		"Started on Monday; ServiceNow still says she has no account.", "why can't I get into ServiceNow?"},
	{"Megan Bowen", "megan.bowen@contoso.com", "2b3c4d5e-0000-4000-8000-00000000000b", "help-desk", "ServiceNow",
		"Help-desk agent; takes the tickets about missing accounts.", "Check adele.vance@contoso.com in ServiceNow"},
	{"Lee Gu", "lee.gu@contoso.com", "3c4d5e6f-0000-4000-8000-00000000000c", "end-user", "Salesforce",
		"Moved to Sales last week and cannot sign in to Salesforce.", "why can't I get into Salesforce?"},
}

const (
	fakeTenant  = "0b1c2d3e-0000-4000-8000-0000000000aa"
	fakeBotID   = "28:provbot"
	cardContent = "application/vnd.microsoft.card.adaptive"
)

// activityJSON is what the test reads of the activities the page posts.
type activityJSON struct {
	Type           string    `json:"type"`
	ID             string    `json:"id"`
	Timestamp      string    `json:"timestamp"`
	LocalTimestamp string    `json:"localTimestamp"`
	LocalTimezone  string    `json:"localTimezone"`
	ServiceURL     string    `json:"serviceUrl"`
	ChannelID      string    `json:"channelId"`
	From           account   `json:"from"`
	Recipient      account   `json:"recipient"`
	MembersAdded   []account `json:"membersAdded"`
	Conversation   struct {
		ID               string `json:"id"`
		ConversationType string `json:"conversationType"`
		TenantID         string `json:"tenantId"`
	} `json:"conversation"`
	ChannelData struct {
		Tenant struct {
			ID string `json:"id"`
		} `json:"tenant"`
	} `json:"channelData"`
	Text      string `json:"text"`
	ReplyToID string `json:"replyToId"`
	Name      string `json:"name"`
	Value     struct {
		// Action.Submit data of provbot's buttons and of the reference card.
		Kind   string `json:"provbot"`
		Verb   string `json:"verb"`
		App    string `json:"app"`
		Action any    `json:"action"`
	} `json:"-"`
	// Invoke is the value of an adaptiveCard/action invoke.
	Invoke   invokeValue     `json:"-"`
	RawValue json.RawMessage `json:"value"`
}

type account struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	AADObjectID string `json:"aadObjectId"`
}

// invokeValue is the value of an adaptiveCard/action invoke.
type invokeValue struct {
	Action struct {
		Type string         `json:"type"`
		Verb string         `json:"verb"`
		Data map[string]any `json:"data"`
	} `json:"action"`
	Trigger string `json:"trigger"`
}

// fakeDemoBackend is the demo server's side of the page's contract
// (GET /demo/cast, POST /api/messages, the connector long poll) with a bot
// that answers with the golden cards of bot/testdata/cards, the
// protocol examples of botframework/testdata/cards (invoke responses, an
// outgoing message with a card) and the reference card of
// testdata/cards.
type fakeDemoBackend struct {
	t         *testing.T
	srv       *httptest.Server
	golden    map[string]map[string]any
	cardCount int // cards posted for "all cards"

	mu       sync.Mutex
	convs    map[string]*fakeConversation
	received []activityJSON
	nextID   int
	// failPolls is how many polls still to answer 503.
	failPolls int
}

// fakeConversation is one conversation's bot activities and poll times.
type fakeConversation struct {
	items   []fakeItem
	changed chan struct{}
	polls   []time.Time
}

type fakeItem struct {
	Seq      int            `json:"seq"`
	Op       string         `json:"op"`
	Activity map[string]any `json:"activity"`
}

func newFakeDemoBackend(t *testing.T) *fakeDemoBackend {
	t.Helper()
	b := &fakeDemoBackend{t: t, golden: map[string]map[string]any{}, convs: map[string]*fakeConversation{}}
	files, err := filepath.Glob(filepath.Join("..", "..", "bot", "testdata", "cards", "*.json"))
	if err != nil || len(files) < 10 {
		t.Fatalf("golden cards: %d files, %v", len(files), err)
	}
	examples, err := filepath.Glob(filepath.Join("..", "..", "botframework", "testdata", "cards", "*.json"))
	if err != nil || len(examples) == 0 {
		t.Fatalf("protocol card examples: %d files, %v", len(examples), err)
	}
	files = append(files, examples...)
	// A card of Microsoft's kind, not provbot's: an input, a good colour.
	files = append(files, filepath.Join("testdata", "cards", "card-factset-columnset-submit-execute.json"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		b.golden[strings.TrimSuffix(filepath.Base(f), ".json")] = v
	}
	b.cardCount = len(b.allCards())
	mux := http.NewServeMux()
	mux.HandleFunc("GET /demo/cast", b.serveCast)
	mux.HandleFunc("POST /api/messages", b.serveMessages)
	mux.HandleFunc("GET /demo/conversations/{conv}/activities", b.servePoll)
	mux.Handle("/", demoPageHandler())
	b.srv = httptest.NewServer(mux)
	t.Cleanup(b.srv.Close)
	return b
}

// allCards are the activities the bot sends for "all cards": one per
// golden card, and one whose attachment is not a valid card.
func (b *fakeDemoBackend) allCards() []map[string]any {
	names := make([]string, 0, len(b.golden))
	for name := range b.golden {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []map[string]any
	for _, name := range names {
		v := b.golden[name]
		switch {
		case v["type"] == "AdaptiveCard":
			out = append(out, cardMessage(v))
		case name == "invoke-response-card":
			out = append(out, cardMessage(v["value"]))
		case name == "outgoing-message-with-card":
			out = append(out, v)
		}
	}
	return append(out, cardMessage(oddCard), cardMessage(buttonsCard), cardMessage("not a card"))
}

// oddCard has what provbot's cards do not use, and malformed parts: the
// renderer must show fallbacks or visible notes, and never crash.
var oddCard = map[string]any{
	"type": "AdaptiveCard", "version": "1.5", "fallbackText": "odd",
	"body": []any{
		map[string]any{"type": "TextBlock", "text": "Odd card", "weight": "bolder"},
		map[string]any{"type": "ColumnSet", "columns": []any{
			map[string]any{"type": "Column", "width": 2, "items": []any{map[string]any{"type": "TextBlock", "text": "two"}}},
			map[string]any{"type": "Column", "width": "1", "items": []any{map[string]any{"type": "TextBlock", "text": "one"}}},
			map[string]any{"type": "Column", "width": "80px", "items": []any{map[string]any{"type": "TextBlock", "text": "80px"}}},
			"not a column",
		}},
		map[string]any{"type": "Image", "url": "https://example.com/x.png", "fallback": map[string]any{"type": "TextBlock", "text": "image fallback"}},
		map[string]any{"type": "Media", "fallback": "drop"},
		map[string]any{"type": "RichTextBlock"},
		nil,
		42,
		map[string]any{"type": "TextBlock", "text": 12345, "color": "ATTENTION", "size": "ExtraLarge"},
		map[string]any{"type": "FactSet", "facts": []any{map[string]any{"title": "only a title"}, nil}},
		map[string]any{"type": "TextBlock", "text": "<img src=x onerror=alert(1)>", "wrap": true},
		map[string]any{"type": "ActionSet", "actions": []any{
			map[string]any{"type": "Action.ShowCard", "title": "Show"},
			map[string]any{"type": "Action.ToggleVisibility", "title": "Toggle",
				"fallback": map[string]any{"type": "Action.Submit", "title": "Toggle fallback", "data": map[string]any{"x": 1}}},
			map[string]any{"type": "Action.OpenUrl", "title": "Bad link", "url": "javascript:alert(1)"},
		}},
	},
	"actions": []any{map[string]any{"type": "Action.Submit", "title": "Card-level"}},
}

// buttonsCard has more buttons than Teams shows, and titles too long for
// one row.
var buttonsCard = map[string]any{
	"type": "AdaptiveCard", "version": "1.5", "fallbackText": "buttons",
	"body": []any{
		map[string]any{"type": "TextBlock", "text": "Buttons card"},
		map[string]any{"type": "ActionSet", "actions": []any{
			map[string]any{"type": "Action.Submit", "title": "1"}, map[string]any{"type": "Action.Submit", "title": "2"},
			map[string]any{"type": "Action.Submit", "title": "3"}, map[string]any{"type": "Action.Submit", "title": "4"},
			map[string]any{"type": "Action.Submit", "title": "5"}, map[string]any{"type": "Action.Submit", "title": "6"},
			map[string]any{"type": "Action.Submit", "title": "7"},
		}},
		map[string]any{"type": "ActionSet", "actions": []any{
			map[string]any{"type": "Action.Submit", "title": "Show all the steps of this entry"},
			map[string]any{"type": "Action.Submit", "title": "Check the other apps of this person"},
			map[string]any{"type": "Action.Submit", "title": "Refresh this answer now"},
		}},
	},
}

func cardMessage(card any) map[string]any {
	return map[string]any{"type": "message", "attachments": []any{map[string]any{"contentType": cardContent, "content": card}}}
}

func (b *fakeDemoBackend) serveCast(w http.ResponseWriter, r *http.Request) {
	writeJSONResponse(w, http.StatusOK, map[string]any{
		"cast":       fakeCast,
		"bot":        map[string]string{"id": fakeBotID, "name": "provbot"},
		"serviceUrl": b.srv.URL + "/connector/",
		"tenantId":   fakeTenant,
	})
}

// serveMessages plays the bot: it checks each activity against the
// contract and answers as provbot would, with golden cards.
func (b *fakeDemoBackend) serveMessages(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var a activityJSON
	if err := json.Unmarshal(raw, &a); err != nil {
		b.t.Errorf("POST /api/messages: %v in %s", err, raw)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		b.t.Errorf("POST /api/messages with Content-Type %q", ct)
	}
	if a.Type == "invoke" {
		_ = json.Unmarshal(a.RawValue, &a.Invoke)
	} else if len(a.RawValue) > 0 {
		_ = json.Unmarshal(a.RawValue, &a.Value)
	}
	if err := b.checkActivity(a); err != nil {
		b.t.Errorf("activity %s breaks the contract: %v\n%s", a.Type, err, raw)
	}
	b.mu.Lock()
	b.received = append(b.received, a)
	b.mu.Unlock()

	conv := a.Conversation.ID
	reply := func(act map[string]any) map[string]any {
		act["from"] = map[string]string{"id": fakeBotID, "name": "provbot"}
		act["recipient"] = a.From
		act["conversation"] = map[string]string{"id": conv}
		act["replyToId"] = a.ID
		return act
	}
	switch a.Type {
	case "conversationUpdate":
		welcome := "welcome-end-user"
		if b.member(a.From.AADObjectID).Role == "help-desk" {
			welcome = "welcome-help-desk"
		}
		b.post(conv, reply(cardMessage(b.golden[welcome])))
	case "invoke":
		b.answerInvoke(w, a.Invoke)
		return
	case "message":
		switch {
		case a.Value.Kind == "provbot" && a.Value.Verb == "diagnose":
			b.post(conv, reply(map[string]any{"type": "typing"}))
			time.AfterFunc(300*time.Millisecond, func() { b.post(conv, reply(cardMessage(b.golden["diagnosis-help-desk"]))) })
		case a.Value.Action == "ack":
			b.put(conv, a.ReplyToID, reply(cardMessage(b.golden["message-no-entries-found"])))
			b.post(conv, reply(map[string]any{"type": "message", "text": "Acknowledged deployment d-42."}))
		case len(a.RawValue) > 0:
			b.post(conv, reply(map[string]any{"type": "message", "text": "That button isn't one of mine."}))
		case a.Text == "all cards":
			for _, act := range b.allCards() {
				b.post(conv, reply(act))
			}
		default:
			b.post(conv, reply(map[string]any{"type": "typing"}))
			time.AfterFunc(600*time.Millisecond, func() { b.post(conv, reply(cardMessage(b.golden["diagnosis-end-user"]))) })
		}
	}
	w.WriteHeader(http.StatusOK)
}

// answerInvoke answers an Action.Execute in the HTTP response.
func (b *fakeDemoBackend) answerInvoke(w http.ResponseWriter, inv invokeValue) {
	card := func(name string) map[string]any {
		return map[string]any{"statusCode": 200, "type": cardContent, "value": b.golden[name]}
	}
	switch inv.Action.Verb {
	case "refresh":
		writeJSONResponse(w, http.StatusOK, card("diagnosis-help-desk-details"))
	case "pick-user":
		writeJSONResponse(w, http.StatusOK, card("diagnosis-help-desk"))
	case "apps":
		writeJSONResponse(w, http.StatusOK, card("summary-three-apps"))
	case "rollback":
		writeJSONResponse(w, http.StatusOK, b.golden["invoke-response-message"])
	case "status":
		writeJSONResponse(w, http.StatusBadRequest, b.golden["invoke-response-error"])
	default:
		w.WriteHeader(http.StatusNotImplemented)
	}
}

// checkActivity checks the fields the contract asks the page to send.
func (b *fakeDemoBackend) checkActivity(a activityJSON) error {
	inv := a.Invoke
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	ts, err := time.Parse(time.RFC3339Nano, a.Timestamp)
	check(err == nil && time.Since(ts).Abs() < time.Minute, "timestamp %q", a.Timestamp)
	lts, err := time.Parse(time.RFC3339Nano, a.LocalTimestamp)
	check(err == nil && lts.Sub(ts).Abs() < time.Second, "localTimestamp %q for timestamp %q", a.LocalTimestamp, a.Timestamp)
	check(a.ID != "", "no id")
	check(a.LocalTimezone != "", "no localTimezone")
	check(a.ServiceURL == b.srv.URL+"/connector/", "serviceUrl %q", a.ServiceURL)
	check(a.ChannelID == "msteams", "channelId %q", a.ChannelID)
	m := b.member(a.From.AADObjectID)
	check(m.ObjectID != "" && a.From.ID == "29:demo-"+m.ObjectID && a.From.Name == m.Name, "from %+v", a.From)
	check(a.Recipient.ID == fakeBotID, "recipient %+v", a.Recipient)
	check(strings.HasPrefix(a.Conversation.ID, "a:demo-") && a.Conversation.ConversationType == "personal" &&
		a.Conversation.TenantID == fakeTenant, "conversation %+v", a.Conversation)
	check(a.ChannelData.Tenant.ID == fakeTenant, "channelData.tenant.id %q", a.ChannelData.Tenant.ID)
	switch a.Type {
	case "conversationUpdate":
		check(slices.ContainsFunc(a.MembersAdded, func(m account) bool { return m.ID == fakeBotID }), "membersAdded %+v", a.MembersAdded)
	case "message":
		check(a.Text != "" || len(a.RawValue) > 0, "a message with neither text nor value")
		check(len(a.RawValue) == 0 || a.ReplyToID != "", "a submit without replyToId")
	case "invoke":
		check(a.Name == "adaptiveCard/action" && inv.Action.Type == "Action.Execute" && inv.Trigger == "manual" &&
			inv.Action.Verb != "" && inv.Action.Data != nil && a.ReplyToID != "", "invoke %s %+v replyToId %q", a.Name, inv, a.ReplyToID)
	default:
		check(false, "unexpected type")
	}
	return errors.Join(errs...)
}

// member returns the cast member with the object id, or a zero member.
func (b *fakeDemoBackend) member(objectID string) castMember {
	for _, m := range fakeCast {
		if m.ObjectID == objectID {
			return m
		}
	}
	return castMember{}
}

// conv returns a conversation's log; b.mu must be held.
func (b *fakeDemoBackend) conv(id string) *fakeConversation {
	c := b.convs[id]
	if c == nil {
		c = &fakeConversation{changed: make(chan struct{})}
		b.convs[id] = c
	}
	return c
}

// post adds a bot activity to a conversation, as the connector does.
func (b *fakeDemoBackend) post(conv string, act map[string]any) {
	b.mu.Lock()
	b.nextID++
	act["id"] = fmt.Sprintf("bot-%d", b.nextID)
	b.mu.Unlock()
	b.append(conv, "post", act)
}

// put replaces an earlier bot activity, as the connector's UpdateActivity does.
func (b *fakeDemoBackend) put(conv, id string, act map[string]any) {
	act["id"] = id
	b.append(conv, "put", act)
}

func (b *fakeDemoBackend) append(conv, op string, act map[string]any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.conv(conv)
	c.items = append(c.items, fakeItem{Seq: len(c.items) + 1, Op: op, Activity: act})
	close(c.changed)
	c.changed = make(chan struct{})
}

// servePoll is the connector's long poll: the items after ?after=N,
// waiting up to 2 s for one.
func (b *fakeDemoBackend) servePoll(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("conv")
	var after int
	fmt.Sscan(r.URL.Query().Get("after"), &after)
	b.mu.Lock()
	b.conv(id).polls = append(b.conv(id).polls, time.Now())
	fail := b.failPolls > 0
	if fail {
		b.failPolls--
	}
	b.mu.Unlock()
	if fail {
		http.Error(w, "connector unavailable", http.StatusServiceUnavailable)
		return
	}
	deadline := time.NewTimer(2 * time.Second)
	defer deadline.Stop()
	for {
		b.mu.Lock()
		c := b.conv(id)
		items := []fakeItem{}
		if after < len(c.items) {
			items = slices.Clone(c.items[after:])
		}
		changed := c.changed
		b.mu.Unlock()
		if len(items) > 0 {
			writeJSONResponse(w, http.StatusOK, map[string]any{"items": items, "next": items[len(items)-1].Seq})
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			writeJSONResponse(w, http.StatusOK, map[string]any{"items": items, "next": after})
			return
		case <-r.Context().Done():
			return
		}
	}
}

// find returns the first activity the page posted that matches, or nil.
func (b *fakeDemoBackend) find(match func(activityJSON) bool) *activityJSON {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := range b.received {
		if match(b.received[i]) {
			a := b.received[i]
			return &a
		}
	}
	return nil
}

// lastPoll returns when the page last polled a conversation.
func (b *fakeDemoBackend) lastPoll(conv string) time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.convs[conv]
	if c == nil || len(c.polls) == 0 {
		return time.Time{}
	}
	return c.polls[len(c.polls)-1]
}

func writeJSONResponse(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

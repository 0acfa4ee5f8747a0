package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/provbot/provbot/internal/browsertest"
)

// TestDemoInChromium is the newcomer's first run, in a real browser: start
// `provbot demo`, open the page, pick a demo user, ask a question, see the
// card with the expected verdict, click a card button and see the
// follow-up, open a help-desk card's details and its ticket text. Every message goes through the real bot endpoint, the real
// conversation, the Graph adapter over HTTP and the local connector.
func TestDemoInChromium(t *testing.T) {
	demo := start(t, []string{"demo", "--addr", "127.0.0.1:0"}, map[string]string{})
	url := waitFor(t, "the demo URL", demo.stdout.String, regexp.MustCompile(`running at (http://127\.0\.0\.1:\d+/)`))

	browser := browsertest.Start(t)
	jsErrors := watchJSErrors(browser)
	ctx, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()
	defer func() {
		for _, e := range jsErrors() {
			t.Errorf("JavaScript error: %s", e)
		}
	}()

	doBrowser(t, ctx, "open the demo", chromedp.Navigate(url))
	if n := waitJS[int](t, ctx, "the cast", `document.querySelectorAll('[data-testid=cast-member]').length`); n < 30 {
		t.Fatalf("the cast shows %d people", n)
	}
	if roles := evalJS[string](t, ctx, `document.querySelector('[data-testid=cast-roles]').textContent`); !strings.Contains(roles, "Henrietta Mueller is on the help desk and can ask about anyone") {
		t.Errorf("the page does not say which persona can ask about others: %q", roles)
	}

	// Adele Vance, an end user, asks about her own ServiceNow account.
	doBrowser(t, ctx, "be Adele Vance",
		chromedp.Click(chromedp.CSS(`[data-testid=cast-member][data-upn="adele.vance@contoso.com"] [data-testid=cast-pick]`)))
	waitJS[cardState](t, ctx, "Adele's welcome card", jsCardState(cardIn("Hi, I'm provbot")))
	doBrowser(t, ctx, "ask",
		chromedp.SendKeys(chromedp.CSS(`[data-testid=ask]`), "why can't I get into ServiceNow?"),
		chromedp.Click(chromedp.CSS(`[data-testid=send]`)))
	verdict := waitJS[cardState](t, ctx, "the verdict card", jsCardState(cardIn("ServiceNow already has an account that uses one of your details")))
	if verdict.Headline != "✗ Problem · ServiceNow" {
		t.Errorf("verdict %q, want ✗ Problem · ServiceNow", verdict.Headline)
	}
	for _, jargon := range []string{"Evidence", "ServiceNowEntryConflict", "Show all steps", "Export", "409"} {
		if strings.Contains(verdict.Text, jargon) {
			t.Errorf("an end user's card shows %q: %s", jargon, verdict.Text)
		}
	}

	// "Refresh" is an Action.Execute: the card is replaced in place.
	evalJS[chromedp.Void](t, ctx, cardIn("one of your details")+`.dataset.old = "1"`)
	clickFound(t, ctx, "Refresh", cardIn("one of your details")+`.querySelector('[data-testid=card-action][data-title="Refresh"]')`)
	fresh := waitJS[cardState](t, ctx, "the refreshed card", jsCardState(`[...document.querySelectorAll('[data-testid=bot-card]')].find(c => !c.dataset.old && c.textContent.includes("one of your details"))`))
	if fresh.ActivityID != verdict.ActivityID {
		t.Errorf("the refreshed card came as a new message %q, want the card %q replaced", fresh.ActivityID, verdict.ActivityID)
	}

	// A help-desk agent asks about Adele: the ticket's facts first, the
	// evidence and the ticket's text behind buttons.
	doBrowser(t, ctx, "be the help-desk agent",
		chromedp.Click(chromedp.CSS(`[data-testid=cast-member][data-role=help-desk] [data-testid=cast-pick]`)))
	waitJS[cardState](t, ctx, "the help desk's welcome card", jsCardState(cardIn("Anyone (help desk)")))
	doBrowser(t, ctx, "ask about Adele",
		chromedp.SendKeys(chromedp.CSS(`[data-testid=ask]`), "check adele.vance@contoso.com in ServiceNow\n"))
	hd := waitJS[cardState](t, ctx, "the help desk's card", jsCardState(cardIn("For the ticket")))
	if !strings.Contains(hd.Text, "ServiceNowEntryConflict") || !strings.Contains(hd.Text, "Change ID") {
		t.Errorf("help-desk card lacks the error code or change id: %s", hd.Text)
	}
	clickFound(t, ctx, "Details", cardIn("For the ticket")+`.querySelector('[data-title="Details"]')`)
	waitJS[bool](t, ctx, "the evidence", `(() => { const d = `+cardIn("For the ticket")+`.querySelector('[data-ac-id=details]');
		return d && !d.hidden && d.textContent.includes("Evidence") && d.textContent.includes("Failed to create User 'adele.vance@contoso.com' in ServiceNow"); })()`)
	clickFound(t, ctx, "Copy for ticket", cardIn("For the ticket")+`.querySelector('[data-title="Copy for ticket"]')`)
	ticket := waitJS[string](t, ctx, "the ticket's text", `(() => { const b = `+cardIn("For the ticket")+`.querySelector('[data-ac-id=copy]');
		return b && !b.hidden && b.querySelector('textarea').value; })()`)
	if !strings.Contains(ticket, "## ✗ ServiceNow — Adele Vance") || !strings.Contains(ticket, "- Error code: ServiceNowEntryConflict") {
		t.Errorf("the ticket's text: %q", ticket)
	}

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	shot := filepath.Join(screenshotDir(t), "provbot-demo.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)
}

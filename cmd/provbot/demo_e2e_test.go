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
// follow-up. Every message goes through the real bot endpoint, the real
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
	verdict := waitJS[cardState](t, ctx, "the verdict card", jsCardState(cardIn("ServiceNow already has another account")))
	if verdict.Headline != "✗ Problem" || !strings.Contains(verdict.HeadlineClass, "ac-color-attention") {
		t.Errorf("verdict %q (%s), want ✗ Problem in the attention colour", verdict.Headline, verdict.HeadlineClass)
	}
	if strings.Contains(verdict.Text, "Evidence") || strings.Contains(verdict.Text, "ServiceNowEntryConflict") {
		t.Errorf("an end user's card shows the help desk's evidence: %s", verdict.Text)
	}

	// "Show all steps" is an Action.Execute: the card is replaced in place.
	clickFound(t, ctx, "Show all steps", cardIn("ServiceNow already has another account")+`.querySelector('[data-testid=card-action][data-title="Show all steps"]')`)
	steps := waitJS[cardState](t, ctx, "the card with every step",
		jsCardState(cardIn("Failed to create User 'adele.vance@contoso.com' in ServiceNow")))
	if steps.ActivityID != verdict.ActivityID {
		t.Errorf("the steps came as a new message %q, want the card %q replaced", steps.ActivityID, verdict.ActivityID)
	}

	// A help-desk agent asks about Adele and sees the evidence.
	doBrowser(t, ctx, "be the help-desk agent",
		chromedp.Click(chromedp.CSS(`[data-testid=cast-member][data-role=help-desk] [data-testid=cast-pick]`)))
	waitJS[cardState](t, ctx, "the help desk's welcome card", jsCardState(cardIn("Anyone (help desk)")))
	doBrowser(t, ctx, "ask about Adele",
		chromedp.SendKeys(chromedp.CSS(`[data-testid=ask]`), "check adele.vance@contoso.com in ServiceNow\n"))
	hd := waitJS[cardState](t, ctx, "the help desk's card", jsCardState(cardIn("Evidence")))
	if !strings.Contains(hd.Text, "ServiceNowEntryConflict") || !strings.Contains(hd.Text, "Change ID") {
		t.Errorf("help-desk card lacks the error code or change id: %s", hd.Text)
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

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

// TestDemoProvisionOnDemandInChromium is the demo story in a real
// browser on `provbot demo`: Henrietta asks about Diego, presses Provision
// now…, confirms, and sees the same card replaced by Diego's new account
// with the steps the service ran.
func TestDemoProvisionOnDemandInChromium(t *testing.T) {
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
	doBrowser(t, ctx, "be Henrietta",
		chromedp.Click(chromedp.CSS(`[data-testid=cast-member][data-upn="henrietta.mueller@contoso.com"] [data-testid=cast-pick]`)))
	waitJS[cardState](t, ctx, "the help desk's welcome card", jsCardState(cardIn("Anyone (help desk)")))
	doBrowser(t, ctx, "ask about Diego",
		chromedp.SendKeys(chromedp.CSS(`[data-testid=ask]`), "check diego.siciliani@contoso.com in ServiceNow\n"))
	diag := waitJS[cardState](t, ctx, "Diego's card", jsCardState(cardIn("the next cycle will create the account")))
	clickFound(t, ctx, "Provision now…", cardIn("the next cycle will create the account")+`.querySelector('[data-testid=card-action][data-title="Provision now…"]')`)
	confirm := waitJS[cardState](t, ctx, "the confirmation", jsCardState(cardIn("in ServiceNow now?")))
	if confirm.ActivityID != diag.ActivityID {
		t.Errorf("the confirmation came as a new message %q, want the card %q replaced", confirm.ActivityID, diag.ActivityID)
	}
	if !strings.Contains(confirm.Text, "provisions no one that the cycle would skip") {
		t.Errorf("the confirmation does not say what it does: %s", confirm.Text)
	}
	clickFound(t, ctx, "Provision now", cardIn("in ServiceNow now?")+`.querySelector('[data-testid=card-action][data-title="Provision now"]')`)
	done := waitJS[cardState](t, ctx, "the result in place", jsCardState(cardIn("Provisioned on demand")))
	if done.ActivityID != diag.ActivityID {
		t.Errorf("the result came as a new message %q, want the card %q replaced", done.ActivityID, diag.ActivityID)
	}
	for _, want := range []string{"was created in ServiceNow", "✓ OK · ServiceNow", "request-id"} {
		if !strings.Contains(done.Text, want) {
			t.Errorf("the result lacks %q: %s", want, done.Text)
		}
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	shot := filepath.Join(screenshotDir(t), "provbot-demo-provision-on-demand.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)
}

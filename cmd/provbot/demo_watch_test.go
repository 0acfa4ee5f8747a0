package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/provbot/provbot/internal/browsertest"
)

// TestDemoNotifyMeAndAlertsInChromium is issue 12's demo in a real
// browser: the demo's help-desk channel shows the demo tenant's
// quarantines as alerts, and a new one when a job is put in quarantine
// from the page; Emily asks about ServiceNow, clicks Notify me,
// the demo tenant's ServiceNow job runs its next cycle, and "Your
// ServiceNow account is ready" arrives in her chat without her asking
// again. Everything goes through the real bot endpoint, the store, the
// pollers, the Graph adapter over HTTP and the local connector.
func TestDemoNotifyMeAndAlertsInChromium(t *testing.T) {
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

	// The alerts of the demo tenant's quarantined jobs reach the channel.
	channelCard := func(s string) string {
		return `[...document.querySelectorAll('[data-testid=channel-messages] [data-testid=bot-card]')].find(c => c.textContent.includes(` + jsString(s) + `))`
	}
	alert := waitJS[cardState](t, ctx, "the Salesforce quarantine alert in the channel", jsCardState(channelCard("Salesforce provisioning is quarantined")))
	for _, want := range []string{"Who must act", "The Salesforce admin", "Quarantined since"} {
		if !strings.Contains(alert.Text, want) {
			t.Errorf("the alert lacks %q: %s", want, alert.Text)
		}
	}
	for _, private := range []string{"Lynne", "Megan", "@contoso.com"} {
		if strings.Contains(alert.Text, private) {
			t.Errorf("the channel's alert names %q: %s", private, alert.Text)
		}
	}

	// A job goes into quarantine while the page is open: its alert comes.
	if n := evalJS[int](t, ctx, `[...document.querySelectorAll('[data-testid=channel-messages] [data-testid=bot-card]')].filter(c => c.textContent.includes("Atlassian Cloud provisioning is quarantined")).length`); n != 0 {
		t.Fatalf("Atlassian Cloud was alerted before its quarantine")
	}
	doBrowser(t, ctx, "quarantine Atlassian Cloud", chromedp.Click(chromedp.CSS(`[data-testid=quarantine]`)))
	live := waitJS[cardState](t, ctx, "the Atlassian Cloud quarantine alert", jsCardState(channelCard("Atlassian Cloud provisioning is quarantined")))
	if !strings.Contains(live.Text, "too many accounts failed to provision") {
		t.Errorf("the live alert: %s", live.Text)
	}

	// Emily asks, and is offered Notify me.
	doBrowser(t, ctx, "be Emily Braun",
		chromedp.Click(chromedp.CSS(`[data-testid=cast-member][data-upn="emily.braun@contoso.com"] [data-testid=cast-pick]`)))
	waitJS[cardState](t, ctx, "Emily's welcome card", jsCardState(cardIn("Hi, I'm provbot")))
	doBrowser(t, ctx, "ask",
		chromedp.SendKeys(chromedp.CSS(`[data-testid=ask]`), "when will my ServiceNow account show up?"),
		chromedp.Click(chromedp.CSS(`[data-testid=send]`)))
	waitJS[cardState](t, ctx, "Emily's card with Notify me", jsCardState(`[...document.querySelectorAll('[data-testid=bot-card]')].find(c => c.querySelector('[data-title="Notify me"]'))`))
	clickFound(t, ctx, "Notify me", `document.querySelector('[data-testid=bot-card] [data-title="Notify me"]')`)
	waitJS[cardState](t, ctx, "the watch's confirmation", jsCardState(cardIn("I'll tell you when your ServiceNow account is ready")))
	if n := evalJS[int](t, ctx, `document.querySelectorAll('[data-testid=messages] [data-testid=bot-card]').length`); n < 2 {
		t.Fatalf("%d cards in Emily's chat", n)
	}

	// The demo tenant's ServiceNow job runs; Emily is told.
	doBrowser(t, ctx, "run the next cycle", chromedp.Click(chromedp.CSS(`[data-testid=run-cycle]`)))
	status := waitJS[string](t, ctx, "the cycle's result", `(() => { const s = document.querySelector('[data-testid=tenant-status]').textContent; return s.includes("cycle ran") ? s : ""; })()`)
	if !strings.Contains(status, "2 accounts created") {
		t.Errorf("the cycle says %q", status)
	}
	ready := waitJS[cardState](t, ctx, "Your ServiceNow account is ready", jsCardState(cardIn("Your ServiceNow account is ready")))
	if ready.ActivityID == "" {
		t.Errorf("the message is not a new bot message: %+v", ready)
	}
	if n := evalJS[int](t, ctx, `[...document.querySelectorAll('[data-testid=messages] [data-testid=user-message]')].length`); n != 1 {
		t.Errorf("Emily sent %d messages; she should not have had to ask again", n)
	}
}

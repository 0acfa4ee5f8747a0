package main

import (
	"maps"
	"slices"
	"testing"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/internal/teamsrender"
)

// TestActionCardsInTeams checks every card of the approved fixes the demo
// produces with Microsoft's renderer and Teams' host configs, and draws
// each in Chromium: no parse warning, nothing cut, readable in every
// theme; the help-desk card that offers Provision now keeps its verdict,
// action and ticket block on the first screen.
func TestActionCardsInTeams(t *testing.T) {
	b := newActionBot(t)
	ids := castIDs()
	h, diego := ids["Henrietta Mueller"], ids["Diego Siciliani"]
	cards := map[string][]byte{}
	diag := b.ask(h, "check diego.siciliani@contoso.com in ServiceNow").card
	cards["action-offer-provision"] = []byte(diag)
	confirm := b.click(h, buttonData(diag, bot.VerbProvision))
	cards["action-confirm-provision"] = []byte(confirm)
	cards["action-refused-end-user"] = []byte(b.click(diego, buttonData(diag, bot.VerbProvision)))
	cards["action-result-provision"] = []byte(b.click(h, buttonData(confirm, bot.VerbProvisionConfirm)))
	quarantined := b.ask(h, "check lynne.robbins@contoso.com in Salesforce").card
	cards["action-offer-restart"] = []byte(quarantined)
	cards["action-offer-restart-status"] = []byte(b.ask(h, "status of Salesforce").card)
	first := b.click(h, buttonData(quarantined, bot.VerbRestart))
	cards["action-confirm-restart-cause"] = []byte(first)
	second := b.click(h, buttonData(first, bot.VerbRestartConfirm))
	cards["action-confirm-restart-effect"] = []byte(second)
	cards["action-result-restart"] = []byte(b.click(h, buttonData(second, bot.VerbRestartConfirm)))
	for name, c := range cards {
		if len(c) == 0 || c[0] != '{' {
			t.Fatalf("%s: no card: %s", name, c)
		}
	}
	teamsrender.Check(t, cards)
	br := teamsrender.NewBrowser(t)
	for _, name := range slices.Sorted(maps.Keys(cards)) {
		r := br.Render(t, name, cards[name], teamsrender.Width)
		for _, f := range r.Findings() {
			t.Errorf("%s: %s", name, f)
		}
		if name == "action-offer-provision" || name == "action-offer-restart" {
			checkFirstScreen(t, name, r)
		}
	}
}

package teamsrender_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/provbot/provbot/internal/teamsrender"
)

// goldenDir holds the cards bot's tests keep as golden files (read here,
// never written).
const goldenDir = "../../bot/testdata/cards"

func TestGoldenCardsParseCleanlyForTeams(t *testing.T) {
	cards := teamsrender.LoadCards(t, goldenDir)
	if len(cards) < 15 {
		t.Fatalf("found %d cards in %s, want the golden cards (at least 15)", len(cards), goldenDir)
	}
	r := teamsrender.Check(t, cards)
	t.Logf("adaptivecards %s checked %d cards in %v", r.Library, len(cards), r.Took.Round(1e6))
	for _, name := range slices.Sorted(maps.Keys(r.Cards)) {
		c := r.Cards[name]
		var actions []int
		for _, s := range c.ActionSets {
			actions = append(actions, len(s.Titles))
		}
		t.Logf("%-40s version %s, %5d bytes, actions per set %v", name, c.Version, c.Size, actions)
	}
}

// knownFindings are what Microsoft's renderer finds wrong, in Teams, with
// today's golden cards (issue 10 §4). The test fails on a finding not
// listed here, and on a listed one that is gone: remove it then, the card
// is fixed. The list is meant to shrink to nothing.
var knownFindings = []string{
}
var oldKnownFindings = []string{
	// Four buttons in one row do not fit a 460 px card.
	`diagnosis-end-user: cut action title "Show all steps"`,
	`diagnosis-end-user: cut action title "Check other apps"`,
	`diagnosis-end-user: cut action title "Refresh"`,
	`diagnosis-end-user: cut action title "Learn more"`,
	`diagnosis-help-desk: cut action title "Show all steps"`,
	`diagnosis-help-desk: cut action title "Check other apps"`,
	`diagnosis-help-desk: cut action title "Refresh"`,
	`diagnosis-help-desk: cut action title "Learn more"`,
	// People as button titles: a name and an address do not fit.
	`pick-user: cut action title "Adele Vance (adele@contoso.com)"`,
	`pick-user: cut action title "Adele Smith (adele.smith@contoso.com)"`,
	// Status in Teams' "good" colour: about 2:1 on white or the emphasis grey.
	`diagnosis-all-steps: low contrast light good subtle "Healthy: running every 40 minutes, last ran 10 minutes ago."`,
	`diagnosis-end-user: low contrast light good subtle "Healthy: running every 40 minutes, last ran 10 minutes ago."`,
	`diagnosis-help-desk: low contrast light good subtle "Healthy: running every 40 minutes, last ran 10 minutes ago."`,
	`status-initial-cycle: low contrast light good subtle "The first full cycle is still running (37% done)."`,
	`summary-three-apps: low contrast light good "✓ OK"`,
	`card-factset-columnset-submit-execute: low contrast light good "OK"`,
	// Teams' dark "attention" (#d74654 on #2d2c2c) is 3.2:1.
	`diagnosis-all-steps: low contrast dark attention "✗ Problem"`,
	`diagnosis-end-user: low contrast dark attention "✗ Problem"`,
	`diagnosis-help-desk: low contrast dark attention "✗ Problem"`,
	`summary-three-apps: low contrast dark attention "✗ Problem"`,
	`error-graph-unavailable: low contrast dark attention "Sorry, I couldn't answer that"`,
	// Subtle attention on the emphasis background, in every theme.
	`status-quarantined: low contrast light attention subtle "Quarantined: the app rejected the admin credentials provisioning signs in with."`,
	`status-quarantined: low contrast dark attention subtle "Quarantined: the app rejected the admin credentials provisioning signs in with."`,
	`status-quarantined: low contrast high-contrast attention subtle "Quarantined: the app rejected the admin credentials provisioning signs in with."`,
}

// findingKey names a finding by what does not depend on the fonts of the
// machine: the card, the kind, the theme and colour, and the subject.
func findingKey(card string, f teamsrender.Finding) string {
	key := card + ": " + f.Kind
	if f.Theme != "" {
		key += " " + string(f.Theme) + " " + f.Color
	}
	return key + fmt.Sprintf(" %q", f.Subject)
}

func TestGoldenCardsInTeams(t *testing.T) {
	cards := teamsrender.LoadCards(t, goldenDir)
	b := teamsrender.NewBrowser(t)
	known := map[string]bool{}
	for _, k := range knownFindings {
		known[k] = true
	}
	found := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(cards)) {
		r := b.Render(t, name, cards[name], teamsrender.Width)
		t.Logf("%-40s %4.0f px tall at %d px, %d buttons", name, r.Height, teamsrender.Width, len(r.Actions))
		for _, f := range r.Findings() {
			key := findingKey(name, f)
			found[key] = true
			if known[key] {
				t.Logf("  known: %s", f)
			} else {
				t.Errorf("%s: %s (not in knownFindings)", name, f)
			}
		}
	}
	for _, k := range knownFindings {
		if !found[k] {
			t.Errorf("no longer found, remove it from knownFindings: %s", k)
		}
	}
}

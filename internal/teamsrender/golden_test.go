package teamsrender_test

import (
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

// Every golden card reads in Teams as it does here: no button title cut,
// no text cut, every text readable in the light, dark and high-contrast
// themes (issue 10 §4).
func TestGoldenCardsInTeams(t *testing.T) {
	cards := teamsrender.LoadCards(t, goldenDir)
	b := teamsrender.NewBrowser(t)
	for _, name := range slices.Sorted(maps.Keys(cards)) {
		r := b.Render(t, name, cards[name], teamsrender.Width)
		t.Logf("%-40s %4.0f px tall at %d px, %d buttons", name, r.Height, teamsrender.Width, len(r.Actions))
		for _, f := range r.Findings() {
			t.Errorf("%s: %s", name, f)
		}
	}
}

package teamsrender_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/provbot/provbot/internal/teamsrender"
)

// card builds an Adaptive Card 1.5 with the body elements and card actions.
func card(t testing.TB, body []any, actions ...any) []byte {
	t.Helper()
	c := map[string]any{"type": "AdaptiveCard", "version": "1.5", "body": body}
	if len(actions) > 0 {
		c["actions"] = actions
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func text(s string, props ...any) map[string]any {
	m := map[string]any{"type": "TextBlock", "text": s, "wrap": true}
	for i := 0; i+1 < len(props); i += 2 {
		m[props[i].(string)] = props[i+1]
	}
	return m
}

func submit(title string) map[string]any {
	return map[string]any{"type": "Action.Submit", "title": title, "data": map[string]any{"verb": "x"}}
}

func actionSet(actions ...any) map[string]any {
	return map[string]any{"type": "ActionSet", "actions": actions}
}

func submits(n int) []any {
	var as []any
	for i := range n {
		as = append(as, submit(fmt.Sprintf("Person %d", i+1)))
	}
	return as
}

// goodCard passes every check: a control that proves the checks do not
// fire on everything.
func goodCard(t testing.TB) []byte {
	return card(t, []any{
		text("✗ Problem", "weight", "bolder"),
		text("Adele Vance has no ServiceNow account.", "size", "medium", "weight", "bolder"),
		map[string]any{"type": "FactSet", "facts": []any{map[string]any{"title": "Error code", "value": "ServiceNowEntryConflict"}}},
		map[string]any{"type": "Container", "style": "emphasis", "items": []any{text("Healthy", "isSubtle", true)}},
		actionSet(submits(6)[:2]...),
	}, submit("Refresh"))
}

func TestCheckFindsEachProblem(t *testing.T) {
	big := make([]any, 0, 300)
	for i := range 300 {
		big = append(big, text(fmt.Sprintf("Line %03d of a card that is far too long for one Teams message: %s", i, strings.Repeat("x", 30))))
	}
	cases := []struct {
		name string
		card []byte
		want []string // each is part of one problem
	}{
		{"seven actions in an action set", card(t, []any{actionSet(submits(7)...)}),
			[]string{"validation event TooManyActions", `7 actions in $.body[0].actions, Teams shows 6 and drops the rest: "Person 7"`}},
		{"seven card actions", card(t, []any{text("Pick one")}, submits(7)...),
			[]string{"7 actions in $.actions"}},
		{"a 30 KB card", card(t, big), []string{"bytes as compact JSON, over Teams' 28 KB (28672 bytes)"}},
		{"an unknown element", card(t, []any{text("Hi"), map[string]any{"type": "Carousel2", "pages": []any{}}}),
			[]string{`parse event UnknownElementType: Unknown element type "Carousel2"`}},
		{"an unknown action", card(t, []any{actionSet(map[string]any{"type": "Action.Popover", "title": "More"})}),
			[]string{"parse event UnknownActionType"}},
		{"an invalid colour", card(t, []any{text("Hi", "color", "red")}),
			[]string{`parse event InvalidPropertyValue (TextBlock): Invalid value "red" for property "color"`}},
		{"a misspelt property", card(t, []any{text("Hi", "colour", "good")}),
			[]string{`$.body[0].colour: TextBlock has no property "colour"`}},
		{"an element of Adaptive Cards 1.6", card(t, []any{map[string]any{"type": "Carousel", "pages": []any{}}}),
			[]string{`parse event UnknownElementType: Unknown element type "Carousel"`}},
		{"version 1.6", []byte(`{"type": "AdaptiveCard", "version": "1.6", "body": [{"type": "TextBlock", "text": "Hi"}]}`),
			[]string{"version 1.6 is newer than Teams renders (1.5)"}},
		{"no version", []byte(`{"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "Hi"}]}`),
			[]string{"no version"}},
		{"duplicate ids", card(t, []any{text("A", "id", "x"), text("B", "id", "x")}),
			[]string{"validation event DuplicateId"}},
		{"not a card", []byte(`{"type": "message", "text": "hi"}`), []string{"validation event MissingCardType"}},
		{"not JSON", []byte(`{"type": "AdaptiveCard",`), []string{"not a card: "}},
	}
	cards := map[string][]byte{}
	for _, tc := range cases {
		cards[tc.name] = tc.card
	}
	r := teamsrender.Inspect(t, cards) // one run of the checker for all
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			problems := r.Cards[tc.name].Problems(r.MaxActions)
			for _, want := range tc.want {
				found := false
				for _, p := range problems {
					found = found || strings.Contains(p, want)
				}
				if !found {
					t.Errorf("no problem with %q in:\n%s", want, strings.Join(problems, "\n"))
				}
			}
		})
	}
}

func TestCheckPassesAGoodCard(t *testing.T) {
	cards := map[string][]byte{
		"good":            goodCard(t),
		"six actions":     card(t, []any{actionSet(submits(6)...)}),
		"teams extension": []byte(`{"type": "AdaptiveCard", "version": "1.5", "msteams": {"width": "Full"}, "body": [{"type": "TextBlock", "text": "Hi"}]}`),
	}
	r := teamsrender.Check(t, cards)
	if r.Library == "" || !strings.HasPrefix(r.Library, "3.0.") {
		t.Errorf("library version %q, want 3.0.x", r.Library)
	}
	if r.MaxActions != 6 {
		t.Errorf("max actions %d, want Teams' 6 from the host config", r.MaxActions)
	}
	good := r.Cards["good"]
	if good.Version != "1.5" || good.Size < 100 || len(good.ActionSets) != 2 || len(good.Texts) != 3 {
		t.Errorf("good card report = %+v", good)
	}
	if got := good.ActionSets[0]; got.Path != "$.body[4].actions" || strings.Join(got.Titles, ",") != "Person 1,Person 2" {
		t.Errorf("first action set = %+v", got)
	}
	if got := good.Texts[2]; got.Color != "default" || !got.IsSubtle || got.Text != "Healthy" || got.Path != "$.body[3].items[0]" {
		t.Errorf("first text = %+v", got)
	}
}

// recorder is a testing.TB that keeps the errors reported to it.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }

func TestCheckFailsTheTestOnEachProblem(t *testing.T) {
	rec := &recorder{TB: t}
	teamsrender.Check(rec, map[string][]byte{
		"good":  goodCard(t),
		"seven": card(t, []any{actionSet(submits(7)...)}),
	})
	if len(rec.errors) != 2 {
		t.Fatalf("Check reported %d errors, want 2 (the library's and ours, both about the seven actions): %q", len(rec.errors), rec.errors)
	}
	for _, e := range rec.errors {
		if !strings.HasPrefix(e, "seven: ") {
			t.Errorf("error %q is not about the card with seven actions", e)
		}
	}
}

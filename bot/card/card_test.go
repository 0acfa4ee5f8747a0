package card_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/provbot/provbot/bot/card"
)

// jsonOf marshals v and decodes it again, for comparisons that ignore
// member order.
func jsonOf(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

// Every element and action is written with the Adaptive Card 1.5 schema's
// type and property names, defaults left out.
func TestElementsAndActionsMarshalToTheSchema(t *testing.T) {
	show := true
	data := map[string]string{"k": "v"}
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"text block with defaults", card.TextBlock{Text: card.Format("Hi")},
			`{"type":"TextBlock","text":"Hi","wrap":true}`},
		{"text block with every property", card.TextBlock{Common: card.Common{ID: "t", Spacing: card.SpacingMedium, Separator: true, Hidden: true},
			Text: card.Plain("a_b"), Size: card.SizeLarge, Weight: card.WeightBolder, Color: card.ColorAttention, Subtle: true, NoWrap: true},
			`{"type":"TextBlock","id":"t","spacing":"medium","separator":true,"isVisible":false,"text":"a\\_b","size":"large","weight":"bolder","color":"attention","isSubtle":true,"wrap":false}`},
		{"fact set", card.FactSet{Facts: []card.Fact{{Title: card.Format("When"), Value: card.Plain("1. now")}}},
			`{"type":"FactSet","facts":[{"title":"When","value":"1\\. now"}]}`},
		{"container", card.Container{Common: card.Common{Separator: true}, Style: card.StyleEmphasis, Items: []card.Element{card.TextBlock{Text: card.Format("x")}}},
			`{"type":"Container","separator":true,"style":"emphasis","items":[{"type":"TextBlock","text":"x","wrap":true}]}`},
		{"column set with a select action", card.ColumnSet{
			Columns:      []card.Column{{Width: card.WidthAuto, VerticalContentAlignment: card.AlignCenter, Items: []card.Element{card.TextBlock{Text: card.Format("x")}}}, {Width: card.WidthStretch}},
			SelectAction: card.Submit{Title: "Open", Data: data}},
			`{"type":"ColumnSet","columns":[{"type":"Column","width":"auto","verticalContentAlignment":"center","items":[{"type":"TextBlock","text":"x","wrap":true}]},{"type":"Column","width":"stretch"}],
			  "selectAction":{"type":"Action.Submit","title":"Open","data":{"k":"v"}}}`},
		{"action set", card.ActionSet{Actions: []card.Action{card.OpenURL{Title: "Learn more", URL: "https://learn.microsoft.com/"}}},
			`{"type":"ActionSet","actions":[{"type":"Action.OpenUrl","title":"Learn more","url":"https://learn.microsoft.com/"}]}`},
		{"choice set", card.ChoiceSet{Common: card.Common{ID: "who"}, Label: "Which one?", Style: card.ChoiceExpanded, IsRequired: true,
			Choices: []card.Choice{{Title: "Adele Vance", Value: "u1"}, {Title: strings.Repeat("x", 70), Value: "u2"}}},
			`{"type":"Input.ChoiceSet","id":"who","label":"Which one?","style":"expanded","isRequired":true,
			  "choices":[{"title":"Adele Vance","value":"u1"},{"title":"` + strings.Repeat("x", 59) + `…","value":"u2"}]}`},
		{"execute writes its submit fallback", card.Execute{Title: "Refresh", Verb: "refresh", Data: data, Mode: card.ModeSecondary},
			`{"type":"Action.Execute","title":"Refresh","verb":"refresh","data":{"k":"v"},"mode":"secondary",
			  "fallback":{"type":"Action.Submit","title":"Refresh","data":{"k":"v"}}}`},
		{"an execute without inputs, and its fallback", card.Execute{Title: "Refresh", Verb: "refresh", AssociatedInputs: card.InputsNone},
			`{"type":"Action.Execute","title":"Refresh","verb":"refresh","associatedInputs":"none",
			  "fallback":{"type":"Action.Submit","title":"Refresh","associatedInputs":"none"}}`},
		{"text input, its value plain and cleaned", card.TextInput{Common: card.Common{ID: "ticket", Hidden: true}, Label: "Ticket",
			Value: "## [x](https://evil.example)\r\n\tline\x1b[2J\u0085", IsMultiline: true},
			`{"type":"Input.Text","id":"ticket","isVisible":false,"label":"Ticket","value":"## [x](https://evil.example)\n\tline [2J ","isMultiline":true}`},
		{"a title is one bounded line", card.Submit{Title: "Status of\nContoso   Travel " + strings.Repeat("y", 60)},
			`{"type":"Action.Submit","title":"Status of Contoso Travel ` + strings.Repeat("y", 34) + `…"}`},
		{"toggle", card.ToggleVisibility{Title: "Evidence", Targets: []card.Target{{ElementID: "ev"}, {ElementID: "sum", Show: &show}}},
			`{"type":"Action.ToggleVisibility","title":"Evidence","targetElements":["ev",{"elementId":"sum","isVisible":true}]}`},
		{"card", card.AdaptiveCard{Body: []card.Element{card.TextBlock{Text: card.Format("x")}}, FallbackText: "x", TeamsWidth: card.TeamsWidthFull},
			`{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.5",
			  "body":[{"type":"TextBlock","text":"x","wrap":true}],"fallbackText":"x","msteams":{"width":"Full"}}`},
		{"empty card", card.AdaptiveCard{},
			`{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.5","body":[]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := jsonOf(t, tc.v), decode(t, tc.want); !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				t.Errorf("got  %s\nwant %s", g, tc.want)
			}
		})
	}
}

// A card of every kind of element that Teams accepts.
func validCard() card.AdaptiveCard {
	return card.AdaptiveCard{
		Body: []card.Element{
			card.TextBlock{Text: card.Format("Title")},
			card.FactSet{Facts: []card.Fact{{Title: card.Format("A"), Value: card.Plain("")}}},
			card.Container{Common: card.Common{ID: "details", Hidden: true}, Items: []card.Element{card.TextBlock{Text: card.Format("more")}}},
			card.ColumnSet{Columns: []card.Column{{Items: []card.Element{card.TextBlock{Text: card.Format("x")}}}}, SelectAction: card.Submit{Data: 1}},
			card.ChoiceSet{Common: card.Common{ID: "pick"}, Choices: []card.Choice{{Title: "One", Value: "1"}}},
			card.TextInput{Common: card.Common{ID: "ticket", Hidden: true}, Value: "a\nb", IsMultiline: true},
			card.ActionSet{Actions: []card.Action{
				card.ToggleVisibility{Title: "Details", Targets: []card.Target{{ElementID: "details"}}},
				card.Execute{Title: "Go", Verb: "go"},
				card.OpenURL{Title: "A long title in the menu", URL: "https://learn.microsoft.com/", Mode: card.ModeSecondary},
				card.Execute{Title: "Another long title in the menu", Verb: "more", Mode: card.ModeSecondary},
			}},
		},
		Actions: []card.Action{card.OpenURL{Title: "Docs", URL: "https://learn.microsoft.com/"}},
	}
}

func TestValidateAcceptsAValidCard(t *testing.T) {
	if err := validCard().Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestValidateRejectsWhatTeamsRefusesOrDrops(t *testing.T) {
	buttons := func(n int) []card.Action {
		var as []card.Action
		for i := range n {
			as = append(as, card.Submit{Title: "b", Data: i})
		}
		return as
	}
	for _, tc := range []struct {
		name   string
		mutate func(c *card.AdaptiveCard)
		want   string
	}{
		{"seven buttons in a set", func(c *card.AdaptiveCard) {
			c.Body = append(c.Body, card.ActionSet{Actions: buttons(7)})
		}, "body[7].actions: 7 actions"},
		{"seven buttons at the foot", func(c *card.AdaptiveCard) { c.Actions = buttons(7) }, "actions: 7 actions"},
		{"over 28 KB", func(c *card.AdaptiveCard) {
			c.Body = append(c.Body, card.TextBlock{Text: card.Plain(strings.Repeat("x", 28*1024))})
		}, "over Teams' 28672"},
		{"a text block without text", func(c *card.AdaptiveCard) { c.Body[0] = card.TextBlock{Text: card.Plain(" \n ")} }, "body[0]: TextBlock has no text"},
		{"a fact set without facts", func(c *card.AdaptiveCard) { c.Body[1] = card.FactSet{} }, "body[1]: FactSet has no facts"},
		{"an empty fact", func(c *card.AdaptiveCard) { c.Body[1] = card.FactSet{Facts: []card.Fact{{}}} }, "body[1].facts[0]: fact has neither"},
		{"an empty container", func(c *card.AdaptiveCard) { c.Body[2] = card.Container{Common: card.Common{ID: "details"}} }, "body[2]: Container has no items"},
		{"a column set without columns", func(c *card.AdaptiveCard) { c.Body[3] = card.ColumnSet{} }, "body[3]: ColumnSet has no columns"},
		{"a choice set without id", func(c *card.AdaptiveCard) {
			c.Body[4] = card.ChoiceSet{Choices: []card.Choice{{Title: "One", Value: "1"}}}
		}, "body[4]: Input.ChoiceSet has no id"},
		{"a choice set without choices", func(c *card.AdaptiveCard) { c.Body[4] = card.ChoiceSet{Common: card.Common{ID: "pick"}} }, "has no choices"},
		{"a choice without title", func(c *card.AdaptiveCard) {
			c.Body[4] = card.ChoiceSet{Common: card.Common{ID: "pick"}, Choices: []card.Choice{{Value: "1"}}}
		}, "body[4].choices[0]: choice has no title"},
		{"two choices with one value", func(c *card.AdaptiveCard) {
			c.Body[4] = card.ChoiceSet{Common: card.Common{ID: "pick"}, Choices: []card.Choice{{Title: "a", Value: "1"}, {Title: "b", Value: "1"}}}
		}, `choice value "1" is not unique`},
		{"an empty action set", func(c *card.AdaptiveCard) { c.Body[6] = card.ActionSet{} }, "body[6]: ActionSet has no actions"},
		{"a button without title", func(c *card.AdaptiveCard) { c.Actions = []card.Action{card.Submit{Data: 1}} }, "actions[0]: Action.Submit has no title"},
		{"an execute without verb", func(c *card.AdaptiveCard) { c.Actions = []card.Action{card.Execute{Title: "Go"}} }, "Action.Execute has no verb"},
		{"a relative link", func(c *card.AdaptiveCard) { c.Actions = []card.Action{card.OpenURL{Title: "x", URL: "/docs"}} }, "not an absolute http(s) URL"},
		{"a script link", func(c *card.AdaptiveCard) {
			c.Actions = []card.Action{card.OpenURL{Title: "x", URL: "javascript:alert(1)"}}
		}, "not an absolute http(s) URL"},
		{"a duplicate id", func(c *card.AdaptiveCard) {
			c.Body = append(c.Body, card.TextBlock{Common: card.Common{ID: "details"}, Text: card.Format("again")})
		}, `id "details" is used by 2 elements`},
		{"a toggle of nothing", func(c *card.AdaptiveCard) {
			c.Actions = []card.Action{card.ToggleVisibility{Title: "More"}}
		}, "has no target elements"},
		{"a toggle of a missing element", func(c *card.AdaptiveCard) {
			c.Actions = []card.Action{card.ToggleVisibility{Title: "More", Targets: []card.Target{{ElementID: "evidence"}}}}
		}, `toggles "evidence", which no element`},
		{"four buttons in a row", func(c *card.AdaptiveCard) {
			c.Actions = []card.Action{card.Submit{Title: "A", Data: 1}, card.Submit{Title: "B", Data: 2}, card.Submit{Title: "C", Data: 3}, card.Submit{Title: "D", Data: 4}}
		}, "actions: 4 primary actions"},
		{"titles too long for one row", func(c *card.AdaptiveCard) {
			c.Actions = []card.Action{card.Submit{Title: "Show all steps", Data: 1}, card.Submit{Title: "Check other apps", Data: 2}, card.Submit{Title: "Refresh", Data: 3}}
		}, "primary action titles of 37 characters together"},
		{"good text", func(c *card.AdaptiveCard) {
			c.Body[0] = card.TextBlock{Text: card.Format("OK"), Color: card.ColorGood}
		}, `body[0]: TextBlock colour "good" is unreadable`},
		{"warning text", func(c *card.AdaptiveCard) {
			c.Body[0] = card.TextBlock{Text: card.Format("Careful"), Color: card.ColorWarning}
		}, `TextBlock colour "warning" is unreadable`},
		{"a text input without id", func(c *card.AdaptiveCard) { c.Body[0] = card.TextInput{Value: "x"} }, "body[0]: Input.Text has no id"},
		{"a pointer element", func(c *card.AdaptiveCard) { c.Body[0] = &card.TextBlock{Text: card.Format("x")} }, "unsupported element *card.TextBlock"},
		{"a nil element", func(c *card.AdaptiveCard) { c.Body[0] = nil }, "body[0]: nil element"},
		{"nothing at all", func(c *card.AdaptiveCard) { *c = card.AdaptiveCard{} }, "neither body nor actions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validCard()
			tc.mutate(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want a problem containing %q", err, tc.want)
			}
		})
	}
}

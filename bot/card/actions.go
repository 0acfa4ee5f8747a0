package card

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTitleRunes bounds action and choice titles. Titles are plain text
// (not Markdown) on one row; Teams cuts what does not fit with an ellipsis,
// and a longer title is cut here first.
const MaxTitleRunes = 60

// Action is a button: [Submit], [Execute], [OpenURL] or
// [ToggleVisibility].
type Action interface {
	action() actionCommon
}

// actionCommon is what every action has, for the validator.
type actionCommon struct {
	title, kind string
	mode        Mode
}

// Submit (Action.Submit) posts a message activity whose value is Data
// merged with the card's inputs.
type Submit struct {
	ID    string `json:"id,omitempty"`
	Title string `json:"title,omitempty"`
	Data  any    `json:"data,omitempty"`
	Mode  Mode   `json:"mode,omitzero"`
	// AssociatedInputs none keeps the card's inputs out of Data.
	AssociatedInputs AssociatedInputs `json:"associatedInputs,omitzero"`
}

func (s Submit) action() actionCommon { return actionCommon{s.Title, "Action.Submit", s.Mode} }

// MarshalJSON writes the action with its type and its title bounded.
func (s Submit) MarshalJSON() ([]byte, error) {
	type fields Submit
	s.Title = boundTitle(s.Title)
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
	}{"Action.Submit", fields(s)})
}

// Execute (Action.Execute, Universal Actions) sends an adaptiveCard/action
// invoke with Verb and Data; the bot answers with the card that replaces
// this one. It is written with an Action.Submit fallback (same title and
// data) for clients without Universal Actions.
type Execute struct {
	ID    string `json:"id,omitempty"`
	Title string `json:"title,omitempty"`
	Verb  string `json:"verb"`
	Data  any    `json:"data,omitempty"`
	Mode  Mode   `json:"mode,omitzero"`
	// AssociatedInputs none keeps the card's inputs out of Data.
	AssociatedInputs AssociatedInputs `json:"associatedInputs,omitzero"`
}

func (e Execute) action() actionCommon { return actionCommon{e.Title, "Action.Execute", e.Mode} }

// MarshalJSON writes the action with its type, its title bounded and its
// Action.Submit fallback.
func (e Execute) MarshalJSON() ([]byte, error) {
	type fields Execute
	e.Title = boundTitle(e.Title)
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
		Fallback Submit `json:"fallback"`
	}{"Action.Execute", fields(e), Submit{Title: e.Title, Data: e.Data, AssociatedInputs: e.AssociatedInputs}})
}

// OpenURL (Action.OpenUrl) opens an https (or http) address.
type OpenURL struct {
	ID    string `json:"id,omitempty"`
	Title string `json:"title,omitempty"`
	URL   string `json:"url"`
	Mode  Mode   `json:"mode,omitzero"`
}

func (o OpenURL) action() actionCommon { return actionCommon{o.Title, "Action.OpenUrl", o.Mode} }

// MarshalJSON writes the action with its type and its title bounded.
func (o OpenURL) MarshalJSON() ([]byte, error) {
	type fields OpenURL
	o.Title = boundTitle(o.Title)
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
	}{"Action.OpenUrl", fields(o)})
}

// ToggleVisibility (Action.ToggleVisibility) shows or hides the elements
// with the given ids, on the client, without calling the bot.
type ToggleVisibility struct {
	ID      string   `json:"id,omitempty"`
	Title   string   `json:"title,omitempty"`
	Targets []Target `json:"targetElements"`
	Mode    Mode     `json:"mode,omitzero"`
}

func (t ToggleVisibility) action() actionCommon {
	return actionCommon{t.Title, "Action.ToggleVisibility", t.Mode}
}

// MarshalJSON writes the action with its type and its title bounded.
func (t ToggleVisibility) MarshalJSON() ([]byte, error) {
	type fields ToggleVisibility
	t.Title = boundTitle(t.Title)
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
	}{"Action.ToggleVisibility", fields(t)})
}

// Target is an element a ToggleVisibility acts on: toggled, or with Show
// set, shown or hidden.
type Target struct {
	ElementID string
	Show      *bool
}

// MarshalJSON writes the element id alone (toggle) or with isVisible.
func (t Target) MarshalJSON() ([]byte, error) {
	if t.Show == nil {
		return json.Marshal(t.ElementID)
	}
	return json.Marshal(struct {
		ElementID string `json:"elementId"`
		IsVisible bool   `json:"isVisible"`
	}{t.ElementID, *t.Show})
}

// boundTitle makes s a one-line title of at most MaxTitleRunes runes.
func boundTitle(s string) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if utf8.RuneCountInString(s) <= MaxTitleRunes {
		return s
	}
	r := []rune(s)
	return string(r[:MaxTitleRunes-1]) + "…"
}

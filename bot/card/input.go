package card

import (
	"encoding/json"
	"strings"
)

// TextInput (Input.Text) is a text box. provbot uses it read-only in
// spirit: a multi-line box holding text for the reader to select and copy
// (a ticket's text), since Teams has no clipboard action. Its Value is
// plain text, never Markdown: the box shows it as given.
type TextInput struct {
	Common
	// Label is plain text shown above the box.
	Label string `json:"label,omitempty"`
	// Value is the text in the box. Control characters other than line
	// breaks and tabs become spaces.
	Value       string `json:"value,omitempty"`
	Placeholder string `json:"placeholder,omitempty"`
	IsMultiline bool   `json:"isMultiline,omitempty"`
}

func (t TextInput) common() Common { return t.Common }

// MarshalJSON writes the input with its type and its value cleaned.
func (t TextInput) MarshalJSON() ([]byte, error) {
	type fields TextInput
	t.Value = strings.Map(func(r rune) rune {
		if r == '\t' {
			return r
		}
		return noControl(r)
	}, strings.ReplaceAll(t.Value, "\r\n", "\n"))
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
		IsVisible *bool `json:"isVisible,omitempty"`
	}{"Input.Text", fields(t), t.isVisible()})
}

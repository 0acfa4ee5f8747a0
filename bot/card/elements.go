package card

import "encoding/json"

// Element is a body element: [TextBlock], [FactSet], [ColumnSet],
// [Container], [ActionSet], [ChoiceSet] or [TextInput].
type Element interface {
	common() Common
}

// Common are the properties every element has.
type Common struct {
	// ID names the element, for Action.ToggleVisibility targets and inputs.
	// Unique in a card.
	ID string `json:"id,omitempty"`
	// Spacing is the space above the element.
	Spacing Spacing `json:"spacing,omitzero"`
	// Separator draws a line above the element.
	Separator bool `json:"separator,omitempty"`
	// Hidden starts the element hidden (isVisible false), for an
	// Action.ToggleVisibility to show.
	Hidden bool `json:"-"`
}

// isVisible is what Common.Hidden marshals as.
func (c Common) isVisible() *bool {
	if !c.Hidden {
		return nil
	}
	v := false
	return &v
}

// TextBlock is a paragraph. Text wraps unless NoWrap is set.
type TextBlock struct {
	Common
	Text   Markdown `json:"text"`
	Size   Size     `json:"size,omitzero"`
	Weight Weight   `json:"weight,omitzero"`
	Color  Color    `json:"color,omitzero"`
	Subtle bool     `json:"isSubtle,omitempty"`
	// NoWrap keeps the text on one line, cut with an ellipsis.
	NoWrap bool `json:"-"`
}

func (t TextBlock) common() Common { return t.Common }

// MarshalJSON writes the TextBlock with its type and wrap.
func (t TextBlock) MarshalJSON() ([]byte, error) {
	type fields TextBlock
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
		Wrap      bool  `json:"wrap"`
		IsVisible *bool `json:"isVisible,omitempty"`
	}{"TextBlock", fields(t), !t.NoWrap, t.isVisible()})
}

// Fact is one row of a FactSet. Teams renders both parts as Markdown and
// caps the title column: use short labels.
type Fact struct {
	Title Markdown `json:"title"`
	Value Markdown `json:"value"`
}

// FactSet is a two-column list of labelled values.
type FactSet struct {
	Common
	Facts []Fact `json:"facts"`
}

func (f FactSet) common() Common { return f.Common }

// MarshalJSON writes the FactSet with its type.
func (f FactSet) MarshalJSON() ([]byte, error) {
	type fields FactSet
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
		IsVisible *bool `json:"isVisible,omitempty"`
	}{"FactSet", fields(f), f.isVisible()})
}

// Container groups elements, optionally on a styled background; a
// SelectAction makes the whole container clickable.
type Container struct {
	Common
	Items        []Element `json:"items"`
	Style        Style     `json:"style,omitzero"`
	SelectAction Action    `json:"selectAction,omitempty"`
}

func (c Container) common() Common { return c.Common }

// MarshalJSON writes the Container with its type.
func (c Container) MarshalJSON() ([]byte, error) {
	type fields Container
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
		IsVisible *bool `json:"isVisible,omitempty"`
	}{"Container", fields(c), c.isVisible()})
}

// ColumnSet lays columns side by side; a SelectAction makes the whole set
// clickable.
type ColumnSet struct {
	Common
	Columns      []Column `json:"columns"`
	Style        Style    `json:"style,omitzero"`
	SelectAction Action   `json:"selectAction,omitempty"`
}

func (c ColumnSet) common() Common { return c.Common }

// MarshalJSON writes the ColumnSet with its type.
func (c ColumnSet) MarshalJSON() ([]byte, error) {
	type fields ColumnSet
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
		IsVisible *bool `json:"isVisible,omitempty"`
	}{"ColumnSet", fields(c), c.isVisible()})
}

// Column is one column of a ColumnSet.
type Column struct {
	Common
	Items                    []Element         `json:"items,omitempty"`
	Width                    Width             `json:"width,omitzero"`
	VerticalContentAlignment VerticalAlignment `json:"verticalContentAlignment,omitzero"`
	Style                    Style             `json:"style,omitzero"`
	SelectAction             Action            `json:"selectAction,omitempty"`
}

// MarshalJSON writes the Column with its type.
func (c Column) MarshalJSON() ([]byte, error) {
	type fields Column
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
		IsVisible *bool `json:"isVisible,omitempty"`
	}{"Column", fields(c), c.isVisible()})
}

// ActionSet is a row of buttons in the body. Teams shows at most
// [MaxActions]; [AdaptiveCard.Validate] refuses more.
type ActionSet struct {
	Common
	Actions []Action `json:"actions"`
}

func (a ActionSet) common() Common { return a.Common }

// MarshalJSON writes the ActionSet with its type.
func (a ActionSet) MarshalJSON() ([]byte, error) {
	type fields ActionSet
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
		IsVisible *bool `json:"isVisible,omitempty"`
	}{"ActionSet", fields(a), a.isVisible()})
}

// Choice is one option of a ChoiceSet. Its title is plain text (not
// Markdown), cut to [MaxTitleRunes].
type Choice struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// MarshalJSON writes the choice with its title bounded.
func (c Choice) MarshalJSON() ([]byte, error) {
	type fields Choice
	c.Title = boundTitle(c.Title)
	return json.Marshal(fields(c))
}

// ChoiceSet (Input.ChoiceSet) lets the person pick among choices; an
// Action.Submit or Action.Execute sends the picked value under the set's
// ID. Use it instead of more than [MaxActions] buttons.
type ChoiceSet struct {
	Common
	Choices []Choice `json:"choices"`
	// Value is the value picked at first.
	Value string `json:"value,omitempty"`
	// Label is plain text shown above the input.
	Label       string      `json:"label,omitempty"`
	Placeholder string      `json:"placeholder,omitempty"`
	Style       ChoiceStyle `json:"style,omitzero"`
	IsRequired  bool        `json:"isRequired,omitempty"`
	// ErrorMessage is shown when a required choice is missing.
	ErrorMessage string `json:"errorMessage,omitempty"`
}

func (c ChoiceSet) common() Common { return c.Common }

// MarshalJSON writes the ChoiceSet with its type.
func (c ChoiceSet) MarshalJSON() ([]byte, error) {
	type fields ChoiceSet
	return json.Marshal(struct {
		Type string `json:"type"`
		fields
		IsVisible *bool `json:"isVisible,omitempty"`
	}{"Input.ChoiceSet", fields(c), c.isVisible()})
}

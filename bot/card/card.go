package card

import "encoding/json"

// Version is the Adaptive Card version every card is written with: the
// newest Teams renders for bot messages.
const Version = "1.5"

// schemaURL is the card's $schema.
const schemaURL = "http://adaptivecards.io/schemas/adaptive-card.json"

// AdaptiveCard is a card: its body, card-level actions, the text for
// clients that cannot draw it, and Teams' width. It is written as version
// [Version] JSON.
type AdaptiveCard struct {
	Body []Element `json:"body"`
	// Actions are buttons under the body (at most [MaxActions]).
	Actions []Action `json:"actions,omitempty"`
	// FallbackText is plain text for clients that cannot draw the card.
	FallbackText string `json:"fallbackText,omitempty"`
	// TeamsWidth widens the card in Teams ([TeamsWidthFull]).
	TeamsWidth TeamsWidth `json:"-"`
	// Private marks a card that holds someone's account details or the
	// help desk's evidence: it is never posted where others read (a
	// channel or a group chat), only in a one-to-one chat. It is not part
	// of the JSON.
	Private bool `json:"-"`
}

// msteams is the card's "msteams" property.
type msteams struct {
	Width TeamsWidth `json:"width"`
}

// MarshalJSON writes the card with its $schema, type and version.
func (c AdaptiveCard) MarshalJSON() ([]byte, error) {
	type fields AdaptiveCard
	var ms *msteams
	if c.TeamsWidth != (TeamsWidth{}) {
		ms = &msteams{c.TeamsWidth}
	}
	if c.Body == nil {
		c.Body = []Element{}
	}
	return json.Marshal(struct {
		Schema  string `json:"$schema"`
		Type    string `json:"type"`
		Version string `json:"version"`
		fields
		MSTeams *msteams `json:"msteams,omitempty"`
	}{schemaURL, "AdaptiveCard", Version, fields(c), ms})
}

// Size returns the length of the card's JSON in bytes.
func (c AdaptiveCard) Size() int {
	b, err := json.Marshal(c)
	if err != nil {
		return MaxBytes + 1
	}
	return len(b)
}

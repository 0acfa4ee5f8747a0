package botframework

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
)

// Entity types the bot reads or writes.
const (
	EntityMention    = "mention"
	EntityClientInfo = "clientInfo"
)

// Entity is one member of an activity's entities. Mentions use Mentioned and
// Text; every other member (clientInfo's locale, country, platform,
// timezone…) is kept in Extra and written back unchanged.
type Entity struct {
	// Type is e.g. [EntityMention] or [EntityClientInfo].
	Type string `json:"type,omitempty"`
	// Mentioned is the account a mention entity refers to.
	Mentioned ChannelAccount `json:"mentioned,omitzero"`
	// Text is the mention's markup as it appears in the activity text,
	// e.g. "<at>Provbot</at>".
	Text string `json:"text,omitempty"`

	// Extra holds the members not listed above.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an entity and keeps unknown members in Extra.
func (e *Entity) UnmarshalJSON(data []byte) error {
	type plain Entity
	var p plain
	extra, err := decodeExtra(data, &p)
	if err != nil {
		return err
	}
	*e = Entity(p)
	e.Extra = extra
	return nil
}

// MarshalJSON encodes the entity, including the members kept in Extra.
func (e Entity) MarshalJSON() ([]byte, error) {
	type plain Entity
	return encodeExtra(plain(e), e.Extra)
}

// NewMention returns the markup to put in an outgoing message's text and the
// entity to add to its entities so that Teams renders an @mention of who.
// Teams ignores the mention unless the text contains the markup exactly.
func NewMention(who ChannelAccount) (markup string, e Entity) {
	markup = "<at>" + html.EscapeString(who.Name) + "</at>"
	return markup, Entity{
		Type:      EntityMention,
		Mentioned: ChannelAccount{ID: who.ID, Name: who.Name},
		Text:      markup,
	}
}

// Mentions returns the mention entities of the activity.
func (a *Activity) Mentions() []Entity {
	var out []Entity
	for _, e := range a.Entities {
		if strings.EqualFold(e.Type, EntityMention) {
			out = append(out, e)
		}
	}
	return out
}

// TextWithoutRecipientMention returns the message text with the @mentions of
// the recipient (the bot) removed and whitespace normalised: what the user
// typed to the bot. It is what to parse commands from in channels and group
// chats, where Teams prefixes "<at>Bot</at>".
func (a *Activity) TextWithoutRecipientMention() string {
	return a.TextWithoutMentionOf(a.Recipient.ID)
}

// TextWithoutMentionOf returns the message text with every @mention of the
// account id removed (the markup named by each mention entity, matched
// case-insensitively), "&nbsp;" and non-breaking spaces turned into spaces,
// runs of whitespace collapsed and the ends trimmed. Identity is taken from
// the entities, never from the text, which users can edit.
func (a *Activity) TextWithoutMentionOf(id string) string {
	text := a.Text
	if id != "" {
		for _, m := range a.Mentions() {
			if !strings.EqualFold(m.Mentioned.ID, id) {
				continue
			}
			markup := m.Text
			if markup == "" && m.Mentioned.Name != "" {
				markup = "<at>" + m.Mentioned.Name + "</at>"
			}
			if markup == "" {
				continue
			}
			text = regexp.MustCompile("(?i)"+regexp.QuoteMeta(markup)).ReplaceAllLiteralString(text, " ")
		}
	}
	return normalizeSpace(text)
}

// normalizeSpace turns &nbsp; and U+00A0 into spaces, collapses whitespace
// runs and trims the ends.
func normalizeSpace(s string) string {
	s = strings.ReplaceAll(s, "&nbsp;", " ")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	return strings.Join(strings.Fields(s), " ")
}

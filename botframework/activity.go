package botframework

import (
	"encoding/json"
)

// Activity types the server dispatches to [Handler.OnActivity], plus
// [ActivityInvoke], which goes to [Handler.OnInvoke]. Any other type is
// acknowledged with 200 and ignored, as the Activity spec asks.
const (
	ActivityMessage            = "message"
	ActivityConversationUpdate = "conversationUpdate"
	ActivityInstallationUpdate = "installationUpdate"
	ActivityMessageReaction    = "messageReaction"
	ActivityMessageUpdate      = "messageUpdate"
	ActivityMessageDelete      = "messageDelete"
	ActivityEvent              = "event"
	ActivityEndOfConversation  = "endOfConversation"
	ActivityInvoke             = "invoke"
	ActivityTyping             = "typing"
)

// Channel ids the bot knows.
const (
	// ChannelMSTeams is the channelId of Microsoft Teams.
	ChannelMSTeams = "msteams"
	// ChannelEmulator is the channelId of the Bot Framework Emulator.
	ChannelEmulator = "emulator"
)

// Activity is the subset of the Bot Framework Activity schema that provbot
// reads and writes. Decoding is tolerant: members the struct has no field for
// are kept in Extra and written back by MarshalJSON, and Value and
// ChannelData accept any JSON.
//
// Nested accounts are values (never nil): an absent "from" decodes as a zero
// ChannelAccount and a zero one is omitted when encoding.
type Activity struct {
	// Type is the activity type, e.g. [ActivityMessage]. Required inbound.
	Type string `json:"type,omitempty"`
	// ID is set by the channel; bots do not send it.
	ID string `json:"id,omitempty"`
	// Timestamp and LocalTimestamp are kept as sent (Teams uses seven
	// fractional digits); parse them with time.RFC3339Nano when needed.
	Timestamp      string `json:"timestamp,omitempty"`
	LocalTimestamp string `json:"localTimestamp,omitempty"`
	LocalTimezone  string `json:"localTimezone,omitempty"`
	// ServiceURL is the Bot Connector endpoint to answer to. Inbound, it is
	// checked against the token's serviceurl claim.
	ServiceURL string `json:"serviceUrl,omitempty"`
	// ChannelID is "msteams" for Teams, "emulator" for the Emulator.
	ChannelID    string              `json:"channelId,omitempty"`
	From         ChannelAccount      `json:"from,omitzero"`
	Recipient    ChannelAccount      `json:"recipient,omitzero"`
	Conversation ConversationAccount `json:"conversation,omitzero"`
	// ReplyToID is the message this activity answers; on card submits,
	// invokes and reactions it is the id of the bot's message with the card.
	ReplyToID string `json:"replyToId,omitempty"`
	// Text may be absent (card submits, events). In group chats and channels
	// it contains the bot's <at>mention</at>; see [Activity.TextWithoutMentionOf].
	Text string `json:"text,omitempty"`
	// TextFormat is "plain" (the default), "markdown" or "xml".
	TextFormat       string       `json:"textFormat,omitempty"`
	Summary          string       `json:"summary,omitempty"`
	Locale           string       `json:"locale,omitempty"`
	AttachmentLayout string       `json:"attachmentLayout,omitempty"`
	Attachments      []Attachment `json:"attachments,omitempty"`
	Entities         []Entity     `json:"entities,omitempty"`
	// ChannelData is the channel-specific payload, kept raw. For Teams use
	// [Activity.TeamsChannelData] or [Activity.TenantID].
	ChannelData json.RawMessage `json:"channelData,omitempty"`
	// Value is the card-submit data or invoke payload: any JSON, kept raw.
	Value json.RawMessage `json:"value,omitempty"`
	// Name is the invoke or event name, e.g. "adaptiveCard/action".
	Name           string           `json:"name,omitempty"`
	MembersAdded   []ChannelAccount `json:"membersAdded,omitempty"`
	MembersRemoved []ChannelAccount `json:"membersRemoved,omitempty"`
	// ReactionsAdded and ReactionsRemoved are set on messageReaction.
	ReactionsAdded   []MessageReaction `json:"reactionsAdded,omitempty"`
	ReactionsRemoved []MessageReaction `json:"reactionsRemoved,omitempty"`
	// Action is set on installationUpdate: "add", "remove", "add-upgrade",
	// "remove-upgrade".
	Action string `json:"action,omitempty"`
	// InputHint tells the client whether the bot expects input.
	InputHint string `json:"inputHint,omitempty"`
	// CallerID is never taken from the wire: the server clears it when
	// decoding and sets it after authentication ("urn:botframework:azure" on
	// the Bot Connector path).
	CallerID string `json:"callerId,omitempty"`

	// Extra holds the members of the JSON object that no field above holds
	// (suggestedActions, relatesTo, expiration…); MarshalJSON writes them back.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an activity and keeps unknown members in Extra.
func (a *Activity) UnmarshalJSON(data []byte) error {
	type plain Activity
	var p plain
	extra, err := decodeExtra(data, &p)
	if err != nil {
		return err
	}
	*a = Activity(p)
	a.Extra = extra
	return nil
}

// MarshalJSON encodes the activity, including the members kept in Extra.
func (a Activity) MarshalJSON() ([]byte, error) {
	type plain Activity
	return encodeExtra(plain(a), a.Extra)
}

// IsGroup reports whether the activity comes from a group chat or a channel,
// where the bot only sees messages that mention it.
func (a *Activity) IsGroup() bool {
	return a.Conversation.IsGroup ||
		a.Conversation.ConversationType == ConversationGroupChat ||
		a.Conversation.ConversationType == ConversationChannel
}

// ChannelAccount is a user or bot on a channel. In Teams, users have ids
// starting "29:" and bots "28:<app id>"; AADObjectID is the user's Microsoft
// Entra object id, the stable key to identify a person.
type ChannelAccount struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name,omitempty"`
	AADObjectID string `json:"aadObjectId,omitempty"`
	// Role is "user" or "bot" (the Emulator sets it).
	Role string `json:"role,omitempty"`

	// Extra holds unknown members (Teams adds email, userPrincipalName…).
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an account and keeps unknown members in Extra.
func (c *ChannelAccount) UnmarshalJSON(data []byte) error {
	type plain ChannelAccount
	var p plain
	extra, err := decodeExtra(data, &p)
	if err != nil {
		return err
	}
	*c = ChannelAccount(p)
	c.Extra = extra
	return nil
}

// MarshalJSON encodes the account, including the members kept in Extra.
func (c ChannelAccount) MarshalJSON() ([]byte, error) {
	type plain ChannelAccount
	return encodeExtra(plain(c), c.Extra)
}

// Conversation types Teams sends in [ConversationAccount.ConversationType].
const (
	ConversationPersonal  = "personal"
	ConversationGroupChat = "groupChat"
	ConversationChannel   = "channel"
)

// ConversationAccount identifies a conversation. Teams ids look like
// "a:…" (personal), "19:…@thread.v2" (group chat) and
// "19:…@thread.skype;messageid=…" (a channel thread).
type ConversationAccount struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	// ConversationType is [ConversationPersonal], [ConversationGroupChat] or
	// [ConversationChannel].
	ConversationType string `json:"conversationType,omitempty"`
	IsGroup          bool   `json:"isGroup,omitempty"`
	TenantID         string `json:"tenantId,omitempty"`

	// Extra holds unknown members.
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a conversation and keeps unknown members in Extra.
func (c *ConversationAccount) UnmarshalJSON(data []byte) error {
	type plain ConversationAccount
	var p plain
	extra, err := decodeExtra(data, &p)
	if err != nil {
		return err
	}
	*c = ConversationAccount(p)
	c.Extra = extra
	return nil
}

// MarshalJSON encodes the conversation, including the members kept in Extra.
func (c ConversationAccount) MarshalJSON() ([]byte, error) {
	type plain ConversationAccount
	return encodeExtra(plain(c), c.Extra)
}

// Attachment is a file or card attached to an activity. Content is any JSON:
// for an Adaptive Card set ContentType to [ContentTypeAdaptiveCard] and
// Content to the card object.
type Attachment struct {
	ContentType  string `json:"contentType,omitempty"`
	ContentURL   string `json:"contentUrl,omitempty"`
	Content      any    `json:"content,omitempty"`
	Name         string `json:"name,omitempty"`
	ThumbnailURL string `json:"thumbnailUrl,omitempty"`

	// Extra holds unknown members.
	Extra map[string]json.RawMessage `json:"-"`
}

// ContentTypeAdaptiveCard is the attachment content type of Adaptive Cards.
const ContentTypeAdaptiveCard = "application/vnd.microsoft.card.adaptive"

// UnmarshalJSON decodes an attachment and keeps unknown members in Extra.
func (a *Attachment) UnmarshalJSON(data []byte) error {
	type plain Attachment
	var p plain
	extra, err := decodeExtra(data, &p)
	if err != nil {
		return err
	}
	*a = Attachment(p)
	a.Extra = extra
	return nil
}

// MarshalJSON encodes the attachment, including the members kept in Extra.
func (a Attachment) MarshalJSON() ([]byte, error) {
	type plain Attachment
	return encodeExtra(plain(a), a.Extra)
}

// MessageReaction is one reaction of a messageReaction activity: "like",
// "heart", "laugh", "surprised", "sad" or "angry".
type MessageReaction struct {
	Type string `json:"type"`
}

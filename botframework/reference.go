package botframework

// ConversationReference is what a bot keeps to post into a conversation
// later (a proactive message). Take it from an authenticated activity with
// [Activity.ConversationReference] or [Turn.Reference].
type ConversationReference struct {
	// ActivityID is the id of the activity the reference was taken from.
	ActivityID   string              `json:"activityId,omitempty"`
	User         ChannelAccount      `json:"user,omitzero"`
	Bot          ChannelAccount      `json:"bot,omitzero"`
	Conversation ConversationAccount `json:"conversation,omitzero"`
	ChannelID    string              `json:"channelId,omitempty"`
	ServiceURL   string              `json:"serviceUrl,omitempty"`
	Locale       string              `json:"locale,omitempty"`
}

// ConversationReference returns the reference of the activity's
// conversation: the user is the sender and the bot the recipient.
func (a *Activity) ConversationReference() ConversationReference {
	return ConversationReference{
		ActivityID:   a.ID,
		User:         a.From,
		Bot:          a.Recipient,
		Conversation: a.Conversation,
		ChannelID:    a.ChannelID,
		ServiceURL:   a.ServiceURL,
		Locale:       a.Locale,
	}
}

// address fills in the routing fields of an outgoing activity from the
// reference, as the REST doc "Send and receive messages" describes: the bot
// speaks from the bot account to the user, in the same conversation. It
// leaves fields the caller set alone and never sets id, timestamp or
// serviceUrl; the type defaults to message.
func (r ConversationReference) address(out *Activity) {
	if out.Type == "" {
		out.Type = ActivityMessage
	}
	if out.From.ID == "" {
		out.From = ChannelAccount{ID: r.Bot.ID, Name: r.Bot.Name}
	}
	if out.Recipient.ID == "" {
		out.Recipient = ChannelAccount{ID: r.User.ID, Name: r.User.Name, AADObjectID: r.User.AADObjectID}
	}
	if out.Conversation.ID == "" {
		// Bots should not send isGroup or conversationType.
		out.Conversation = ConversationAccount{ID: r.Conversation.ID, Name: r.Conversation.Name, TenantID: r.Conversation.TenantID}
	}
	if out.Locale == "" {
		out.Locale = r.Locale
	}
}

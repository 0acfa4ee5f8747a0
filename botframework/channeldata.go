package botframework

import (
	"encoding/json"
	"fmt"
)

// TeamsChannelData is the part of a Teams activity's channelData that the
// bot reads (inbound) or sets (outbound notifications). Decode it with
// [Activity.TeamsChannelData]; set it on an outgoing activity with
// [Activity.SetChannelData].
type TeamsChannelData struct {
	// Tenant is always present on Teams activities.
	Tenant *TenantInfo `json:"tenant,omitempty"`
	// Team and Channel are set in team channels.
	Team    *TeamInfo    `json:"team,omitempty"`
	Channel *ChannelInfo `json:"channel,omitempty"`
	// EventType qualifies conversationUpdate and messageUpdate activities:
	// teamMemberAdded, channelCreated, editMessage… (compare
	// case-insensitively; the docs spell some in lower case).
	EventType string           `json:"eventType,omitempty"`
	Settings  *ChannelSettings `json:"settings,omitempty"`
	// Notification raises an activity-feed alert for an outgoing message.
	Notification *Notification `json:"notification,omitempty"`
	Meeting      *MeetingInfo  `json:"meeting,omitempty"`
}

// TenantInfo identifies the Microsoft Entra tenant of a Teams activity.
type TenantInfo struct {
	ID string `json:"id"`
}

// TeamInfo identifies a team. AADGroupID is the team's Microsoft 365 group.
type TeamInfo struct {
	ID         string `json:"id,omitempty"`
	Name       string `json:"name,omitempty"`
	AADGroupID string `json:"aadGroupId,omitempty"`
}

// ChannelInfo identifies a channel of a team.
type ChannelInfo struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// ChannelSettings is channelData.settings (the channel selected when the
// bot was added to a team).
type ChannelSettings struct {
	SelectedChannel *ChannelInfo `json:"selectedChannel,omitempty"`
}

// Notification is channelData.notification of an outgoing message.
type Notification struct {
	Alert bool `json:"alert,omitempty"`
}

// MeetingInfo identifies a Teams meeting.
type MeetingInfo struct {
	ID string `json:"id,omitempty"`
}

// TeamsChannelData decodes the activity's channelData as Teams sends it. It
// returns the zero value and no error when there is no channelData.
func (a *Activity) TeamsChannelData() (TeamsChannelData, error) {
	var d TeamsChannelData
	if len(a.ChannelData) == 0 || string(a.ChannelData) == "null" {
		return d, nil
	}
	if err := json.Unmarshal(a.ChannelData, &d); err != nil {
		return TeamsChannelData{}, fmt.Errorf("decode teams channel data: %w", err)
	}
	return d, nil
}

// SetChannelData encodes v (typically a [TeamsChannelData]) as the
// activity's channelData.
func (a *Activity) SetChannelData(v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode channel data: %w", err)
	}
	a.ChannelData = raw
	return nil
}

// TenantID returns the activity's Microsoft Entra tenant: channelData.tenant.id,
// or conversation.tenantId when the former is absent or unreadable.
func (a *Activity) TenantID() string {
	if d, err := a.TeamsChannelData(); err == nil && d.Tenant != nil && d.Tenant.ID != "" {
		return d.Tenant.ID
	}
	return a.Conversation.TenantID
}

package botframework

import (
	"encoding/json"
	"errors"
)

// activityRouting are the members of an activity that authentication
// compares with the token and the tenant allow-list, and that decide how it
// is dispatched.
type activityRouting struct {
	Type       string `json:"type"`
	ServiceURL string `json:"serviceUrl"`
	ChannelID  string `json:"channelId"`
	// ChannelData is kept raw; only its tenant is read (tenantID).
	ChannelData  json.RawMessage `json:"channelData"`
	Conversation struct {
		TenantID string `json:"tenantId"`
	} `json:"conversation"`
}

// tenantID returns the activity's tenant as [Activity.TenantID] reads it.
func (r activityRouting) tenantID() string {
	a := Activity{ChannelData: r.ChannelData}
	a.Conversation.TenantID = r.Conversation.TenantID
	return a.TenantID()
}

// decodeRouting decodes only the routing members of an activity, in one
// pass. It is bounded by the body's size cap and keeps nothing else: it is
// all the decoding an activity costs before its 200 (the full decode runs
// in the turn). It matches members as the full decoder does (encoding/json:
// case-insensitively, the last duplicate wins); the server also checks that
// the two agree.
func decodeRouting(body []byte) (activityRouting, error) {
	var r activityRouting
	if err := json.Unmarshal(body, &r); err != nil {
		return activityRouting{}, err
	}
	if r.Type == "" {
		return activityRouting{}, errors.New("activity has no type")
	}
	return r, nil
}

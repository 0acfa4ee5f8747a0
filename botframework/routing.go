package botframework

import (
	"encoding/json"
	"errors"
)

// activityRouting are the members of an activity that authentication
// compares with the token, and that decide how it is dispatched.
type activityRouting struct {
	Type       string `json:"type"`
	ServiceURL string `json:"serviceUrl"`
	ChannelID  string `json:"channelId"`
}

// decodeRouting decodes only the routing members of an activity. It is
// bounded by the body's size cap and keeps nothing else, so that a request
// whose token vouches for nothing costs no more than this before it is
// refused. It matches members as the full decoder does (encoding/json:
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

package botframework

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// InvokeNameAdaptiveCardAction is the name of the invoke activity Teams sends
// when a user presses an Action.Execute button (Universal Actions).
const InvokeNameAdaptiveCardAction = "adaptiveCard/action"

// Content types of an [InvokeResponse].
const (
	// InvokeTypeAdaptiveCard: Value is the Adaptive Card that replaces the
	// one the user acted on.
	InvokeTypeAdaptiveCard = ContentTypeAdaptiveCard
	// InvokeTypeMessage: Value is a string Teams shows to the user.
	InvokeTypeMessage = "application/vnd.microsoft.activity.message"
	// InvokeTypeError: Value is an [InvokeError].
	InvokeTypeError = "application/vnd.microsoft.error"
)

// InvokeResponse is the synchronous answer to an invoke activity, in the
// shape of an Adaptive Card action response
// ({"statusCode":…,"type":…,"value":…}). The server writes StatusCode as the
// HTTP status (0 means 200) and the whole value, with statusCode filled in,
// as the JSON body.
type InvokeResponse struct {
	// StatusCode is the HTTP status; 0 means 200.
	StatusCode int `json:"statusCode"`
	// Type is the content type of Value, e.g. [InvokeTypeAdaptiveCard].
	Type string `json:"type,omitempty"`
	// Value is the payload: a card object, a message string, an
	// [InvokeError]…
	Value any `json:"value,omitempty"`
}

// InvokeError is the value of an [InvokeTypeError] response.
type InvokeError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// InvokeCard answers an invoke by replacing the card the user acted on with
// card (an Adaptive Card object).
func InvokeCard(card any) InvokeResponse {
	return InvokeResponse{StatusCode: http.StatusOK, Type: InvokeTypeAdaptiveCard, Value: card}
}

// InvokeMessage answers an invoke with a short text Teams shows to the user.
func InvokeMessage(text string) InvokeResponse {
	return InvokeResponse{StatusCode: http.StatusOK, Type: InvokeTypeMessage, Value: text}
}

// InvokeFailure answers an invoke with an error status (4xx or 5xx), a code
// such as "BadRequest" and a message for the user.
func InvokeFailure(status int, code, message string) InvokeResponse {
	return InvokeResponse{StatusCode: status, Type: InvokeTypeError, Value: InvokeError{Code: code, Message: message}}
}

// InvokeNotImplemented is the answer to an invoke the bot does not handle
// (HTTP 501, as the Bot Framework SDKs answer).
func InvokeNotImplemented() InvokeResponse {
	return InvokeResponse{StatusCode: http.StatusNotImplemented}
}

// status returns the HTTP status to write for r.
func (r InvokeResponse) status() int {
	if r.StatusCode == 0 {
		return http.StatusOK
	}
	return r.StatusCode
}

// AdaptiveCardAction is the value of an [InvokeNameAdaptiveCardAction]
// invoke.
type AdaptiveCardAction struct {
	Action struct {
		// Type is "Action.Execute".
		Type string `json:"type"`
		ID   string `json:"id,omitempty"`
		// Verb is the action's verb, e.g. "rollback".
		Verb string `json:"verb"`
		// Data is the action's data merged with the card's input values.
		Data json.RawMessage `json:"data,omitempty"`
	} `json:"action"`
	// Trigger is "manual" or "automatic" (refresh).
	Trigger string `json:"trigger,omitempty"`
	// State is set in sign-in flows.
	State string `json:"state,omitempty"`
}

// AdaptiveCardAction decodes the value of an adaptiveCard/action invoke.
func (a *Activity) AdaptiveCardAction() (AdaptiveCardAction, error) {
	var v AdaptiveCardAction
	if a.Type != ActivityInvoke || a.Name != InvokeNameAdaptiveCardAction {
		return v, fmt.Errorf("activity is %s %q, not an %s invoke", a.Type, a.Name, InvokeNameAdaptiveCardAction)
	}
	if err := json.Unmarshal(a.Value, &v); err != nil {
		return AdaptiveCardAction{}, fmt.Errorf("decode adaptive card action: %w", err)
	}
	return v, nil
}

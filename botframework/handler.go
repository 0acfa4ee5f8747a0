package botframework

import "context"

// Handler is what the conversation layer implements. The server calls it
// only for authenticated activities (or any activity when authentication is
// disabled), each with its own [Turn].
//
// Both methods may run concurrently for different activities, including
// several of the same conversation.
type Handler interface {
	// OnActivity handles a message, conversationUpdate, installationUpdate,
	// messageReaction, messageUpdate, messageDelete, event or
	// endOfConversation activity. It runs after the HTTP request has been
	// acknowledged with 200, in its own goroutine, with a context that is
	// not cancelled when the request ends but has its own deadline
	// (Options.TurnTimeout) and is cancelled if a graceful shutdown runs
	// out of time. Answer through the Turn (Reply, SendTyping, Update). A
	// returned error is logged with the activity's ids; map user-facing
	// failures to a friendly reply yourself.
	OnActivity(ctx context.Context, t *Turn) error

	// OnInvoke answers an invoke activity (e.g. adaptiveCard/action)
	// synchronously: the returned response is the HTTP answer. ctx expires
	// after Options.InvokeTimeout (well under Teams' 15 s limit); if the
	// handler has not returned by then, or returns an error, or panics, the
	// server answers 500. Return [InvokeNotImplemented] for invokes you do
	// not handle.
	OnInvoke(ctx context.Context, t *Turn) (InvokeResponse, error)
}

// HandlerFuncs adapts functions to [Handler]. A nil Activity ignores the
// activity; a nil Invoke answers [InvokeNotImplemented].
type HandlerFuncs struct {
	Activity func(ctx context.Context, t *Turn) error
	Invoke   func(ctx context.Context, t *Turn) (InvokeResponse, error)
}

// OnActivity calls f.Activity when set.
func (f HandlerFuncs) OnActivity(ctx context.Context, t *Turn) error {
	if f.Activity == nil {
		return nil
	}
	return f.Activity(ctx, t)
}

// OnInvoke calls f.Invoke, or answers 501 when it is nil.
func (f HandlerFuncs) OnInvoke(ctx context.Context, t *Turn) (InvokeResponse, error) {
	if f.Invoke == nil {
		return InvokeNotImplemented(), nil
	}
	return f.Invoke(ctx, t)
}

// dispatchedTypes are the activity types given to OnActivity.
var dispatchedTypes = map[string]bool{
	ActivityMessage:            true,
	ActivityConversationUpdate: true,
	ActivityInstallationUpdate: true,
	ActivityMessageReaction:    true,
	ActivityMessageUpdate:      true,
	ActivityMessageDelete:      true,
	ActivityEvent:              true,
	ActivityEndOfConversation:  true,
}

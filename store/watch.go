package store

import (
	"context"
	"fmt"
	"time"
)

// Watch is one "tell me when it's done": provbot re-checks Subject's
// account in App at DueAt and tells Owner, in the conversation stored
// under Conversation, when the answer changes, until ExpiresAt.
type Watch struct {
	// ID is the watch's id, set by CreateWatch.
	ID string
	// Owner is who asked (their Entra object id); "my watches" lists by it.
	Owner string
	// Conversation is the key of the conversation reference (see
	// Conversations) to message.
	Conversation string
	// Subject is the user watched (an Entra object id): the owner
	// themselves, or anyone for the help desk.
	Subject string
	// App is the enterprise app's service principal id; "" for every app.
	App string
	// State is what the watcher remembers between checks (the last verdict,
	// the estimate, whether a delay was already told), opaque here.
	State []byte
	// DueAt is when the watch is checked next.
	DueAt time.Time
	// ExpiresAt is when watching stops (such as 7 days after CreatedAt).
	ExpiresAt time.Time
	// CreatedAt is when the watch was made.
	CreatedAt time.Time
	// Version grows by one with every write; UpdateWatch and DeleteWatch
	// compare it. Set by the store.
	Version int64
}

// Validate checks the fields a caller sets.
func (w Watch) Validate() error {
	for _, f := range []struct{ what, v string }{{"watch owner", w.Owner}, {"watch conversation", w.Conversation}, {"watch subject", w.Subject}} {
		if err := CheckKey(f.what, f.v); err != nil {
			return err
		}
	}
	if w.App != "" {
		if err := CheckKey("watch app", w.App); err != nil {
			return err
		}
	}
	if err := CheckValue("watch state", w.State); err != nil {
		return err
	}
	switch {
	case w.DueAt.IsZero() || w.ExpiresAt.IsZero() || w.CreatedAt.IsZero():
		return fmt.Errorf("watch needs a due, an expiry and a creation time: %w", ErrInvalid)
	case !w.ExpiresAt.After(w.CreatedAt):
		return fmt.Errorf("watch expires (%s) before it was made (%s): %w", w.ExpiresAt.Format(time.RFC3339), w.CreatedAt.Format(time.RFC3339), ErrInvalid)
	}
	return nil
}

// ValidateUpdate checks the fields UpdateWatch changes.
func (w Watch) ValidateUpdate() error {
	if err := CheckKey("watch id", w.ID); err != nil {
		return err
	}
	if err := CheckKey("watch conversation", w.Conversation); err != nil {
		return err
	}
	if err := CheckValue("watch state", w.State); err != nil {
		return err
	}
	if w.DueAt.IsZero() || w.ExpiresAt.IsZero() {
		return fmt.Errorf("watch needs a due and an expiry time: %w", ErrInvalid)
	}
	return nil
}

// Watches keeps the watches. A poller that holds a lease passes its Fence
// to UpdateWatch and DeleteWatch, so that a leader that lost its lease
// cannot write; people's own requests ("stop watching") pass the zero
// Fence.
type Watches interface {
	// CreateWatch stores a new watch and returns it with its ID and
	// Version. One owner has at most one watch per subject and app: a
	// second returns the existing watch and an error wrapping ErrExists.
	CreateWatch(ctx context.Context, w Watch) (Watch, error)
	// Watch returns the watch with id, or an error wrapping ErrNotFound.
	Watch(ctx context.Context, id string) (Watch, error)
	// WatchesByOwner returns owner's watches, oldest first.
	WatchesByOwner(ctx context.Context, owner string) ([]Watch, error)
	// DueWatches returns up to limit watches whose DueAt is at or before
	// now, earliest first.
	DueWatches(ctx context.Context, now time.Time, limit int) ([]Watch, error)
	// UpdateWatch replaces the watch's Conversation, State, DueAt and
	// ExpiresAt when its stored Version is w.Version, and returns it with
	// the next Version. Errors wrap ErrNotFound, ErrConflict (someone
	// wrote it since) or ErrFenced.
	UpdateWatch(ctx context.Context, w Watch, f Fence) (Watch, error)
	// DeleteWatch removes the watch when its stored Version is version (0:
	// whatever it is). Errors wrap ErrNotFound, ErrConflict or ErrFenced.
	DeleteWatch(ctx context.Context, id string, version int64, f Fence) error
}

package store

import (
	"context"
	"fmt"
	"time"
)

// AlertChannel is a Teams channel that receives the help desk's alerts
// ("send alerts here").
type AlertChannel struct {
	// ID identifies the channel: its conversation id.
	ID string
	// Conversation is the key of its conversation reference (see
	// Conversations).
	Conversation string
	// AddedBy is who registered it (an Entra object id).
	AddedBy string
	// AddedAt is when.
	AddedAt time.Time
}

// Validate checks the fields.
func (c AlertChannel) Validate() error {
	if err := CheckKey("alert channel id", c.ID); err != nil {
		return err
	}
	if err := CheckKey("alert channel conversation", c.Conversation); err != nil {
		return err
	}
	if c.AddedBy != "" {
		if err := CheckKey("alert channel added by", c.AddedBy); err != nil {
			return err
		}
	}
	if c.AddedAt.IsZero() {
		return fmt.Errorf("alert channel needs the time it was added: %w", ErrInvalid)
	}
	return nil
}

// Episode is one spell of a condition that is alerted once: a job in
// quarantine, a job paused, deletions held over the threshold. It is open
// from OpenEpisode until CloseEpisode; while it is open, opening it again
// alerts no one.
type Episode struct {
	// Key names the condition, such as "<service principal id>/<job
	// id>/quarantine".
	Key string
	// OpenedAt is when the condition was first seen.
	OpenedAt time.Time
	// State is what the poller remembers of it (whether the alert was
	// posted, to which channels), opaque here.
	State []byte
	// Version grows by one with every write; UpdateEpisode compares it.
	// Set by the store.
	Version int64
}

// Validate checks the fields a caller sets.
func (e Episode) Validate() error {
	if err := CheckKey("episode key", e.Key); err != nil {
		return err
	}
	if err := CheckValue("episode state", e.State); err != nil {
		return err
	}
	if e.OpenedAt.IsZero() {
		return fmt.Errorf("episode needs the time it opened: %w", ErrInvalid)
	}
	return nil
}

// Alerts keeps the alert channels and the open episodes. Pollers pass
// their Fence; see Watches.
type Alerts interface {
	// PutAlertChannel registers (or updates) a channel.
	PutAlertChannel(ctx context.Context, c AlertChannel) error
	// DeleteAlertChannel unregisters the channel with id; an unknown id is
	// not an error.
	DeleteAlertChannel(ctx context.Context, id string) error
	// AlertChannels returns the channels, in the order they were added.
	AlertChannels(ctx context.Context) ([]AlertChannel, error)

	// OpenEpisode opens e unless an episode with its key is open already;
	// it returns the open episode and whether this call opened it (only
	// then is the alert due). Errors wrap ErrFenced.
	OpenEpisode(ctx context.Context, e Episode, f Fence) (ep Episode, opened bool, err error)
	// UpdateEpisode replaces the open episode's State when its stored
	// Version is e.Version, and returns it with the next Version. Errors
	// wrap ErrNotFound, ErrConflict or ErrFenced.
	UpdateEpisode(ctx context.Context, e Episode, f Fence) (Episode, error)
	// CloseEpisode ends the open episode with key and returns it as it
	// was; errors wrap ErrNotFound (none is open) or ErrFenced.
	CloseEpisode(ctx context.Context, key string, f Fence) (Episode, error)
	// OpenEpisodes returns the open episodes, oldest first.
	OpenEpisodes(ctx context.Context) ([]Episode, error)
}

package store

import (
	"context"
	"fmt"
	"time"
)

// Mute silences an app's alerts until a time ("mute ServiceNow for a
// day").
type Mute struct {
	// App is the enterprise app's service principal id.
	App string
	// Until is when the alerts resume.
	Until time.Time
	// By is who muted it (an Entra object id).
	By string
	// Reason is what they said, if anything.
	Reason string
}

// Validate checks the fields.
func (m Mute) Validate() error {
	if err := CheckKey("muted app", m.App); err != nil {
		return err
	}
	if m.By != "" {
		if err := CheckKey("muted by", m.By); err != nil {
			return err
		}
	}
	if len(m.Reason) > MaxKey {
		return fmt.Errorf("mute reason is %d bytes, at most %d: %w", len(m.Reason), MaxKey, ErrInvalid)
	}
	if m.Until.IsZero() {
		return fmt.Errorf("mute needs an end: %w", ErrInvalid)
	}
	return nil
}

// Mutes keeps the muted apps. A mute whose Until has passed is as if it
// were not there (and is forgotten).
type Mutes interface {
	// PutMute mutes m.App until m.Until, replacing an earlier mute of it.
	PutMute(ctx context.Context, m Mute) error
	// DeleteMute unmutes app; an app not muted is not an error.
	DeleteMute(ctx context.Context, app string) error
	// Mutes returns the mutes in force at now, by app id.
	Mutes(ctx context.Context, now time.Time) ([]Mute, error)
}

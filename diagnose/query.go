package diagnose

import "time"

// Query asks for what one diagnosis needs: the user's entries, the apps'
// jobs and the user's assignments.
type Query struct {
	// UserID is the user's Entra object id.
	UserID string
	// GroupID, when set instead of UserID, asks about a group's own
	// provisioning (its object id); the input then has Group set.
	GroupID string
	// AppID is one app's service principal object id; empty means every
	// app that provisions the user (apps in their logs and apps they are
	// assigned to).
	AppID string
	// Refresh bypasses caches (the "Refresh" button).
	Refresh bool
	// Since, when set, is the earliest time the question is about (a date
	// the asker named); a source that keeps only recent logs tells from it
	// whether older history is needed.
	Since time.Time
}

package bot

import (
	"time"

	"github.com/provbot/provbot/diagnose"
)

// How watches are checked: at the moment the estimate names plus a margin
// (a cycle's log entries appear some minutes after it ran), otherwise with
// back-off, never more often than minCheck, for at most watchFor.
const (
	// watchFor is how long a watch lasts.
	watchFor = 7 * 24 * time.Hour
	// checkMargin is added to the time the estimate names.
	checkMargin = 10 * time.Minute
	// minCheck is the shortest time between two checks of a watch.
	minCheck = 5 * time.Minute
	// firstBackoff doubles with every check that finds no named time, up
	// to maxBackoff.
	firstBackoff = 15 * time.Minute
	maxBackoff   = 6 * time.Hour
	// lateAfter is how long past the expected time a watch waits before
	// it says, once, that it is late.
	lateAfter = 30 * time.Minute
)

// watchable reports whether a diagnosis's estimate names a moment when
// the service acts on its own: the next cycle, the running initial cycle,
// a retry or a quarantined job's next attempt. Those cards offer "Notify
// me".
func watchable(d diagnose.Diagnosis) bool {
	if d.Estimate == nil || d.User.ObjectID == "" || d.App.ServicePrincipalID == "" {
		return false
	}
	switch d.Estimate.Kind {
	case diagnose.EstimateNextCycle, diagnose.EstimateInitialCycle, diagnose.EstimateRetry, diagnose.EstimateQuarantineRetry:
		return true
	}
	return false
}

// settled reports whether a verdict is the end of the story for a watch:
// the account exists and is up to date (or was removed as intended).
func settled(d diagnose.Diagnosis) bool {
	switch d.Category {
	case diagnose.Provisioned, diagnose.AlreadyInSync:
		return d.Severity == diagnose.SeverityOK || d.Estimate == nil || d.Estimate.Kind == diagnose.EstimateDone
	}
	return false
}

// expectedBy is the latest time the estimate names; zero when it names
// none.
func expectedBy(e *diagnose.Estimate) time.Time {
	if e == nil {
		return time.Time{}
	}
	if !e.Latest.IsZero() {
		return e.Latest
	}
	return e.Earliest
}

// nextCheck is when a watch is checked next, after checks checks: at
// the moment the estimate names plus checkMargin when that is still
// ahead, else with back-off; never sooner than minCheck, never after
// expires.
func nextCheck(e *diagnose.Estimate, now, expires time.Time, checks int) time.Time {
	var at time.Time
	if e != nil && !e.Earliest.IsZero() && e.Earliest.Add(checkMargin).After(now.Add(minCheck)) {
		at = e.Earliest.Add(checkMargin)
	} else {
		wait := firstBackoff
		for i := 0; i < checks && wait < maxBackoff; i++ {
			wait *= 2
		}
		at = now.Add(min(wait, maxBackoff))
	}
	if at.After(expires) {
		at = expires
	}
	return at
}

package diagnose

import (
	"fmt"
	"time"
)

// AppStatus is an app's provisioning status as the Entra admin center's
// "Current Status" panel shows it.
type AppStatus struct {
	// JobID identifies the job; the portal shows it as "Job ID".
	JobID string `json:"jobId,omitzero"`
	// Code is the job's state.
	Code StatusCode `json:"code,omitzero"`
	// State is the one-word state shown to people: running, initial cycle,
	// paused, not configured, quarantined, disabled, failing.
	State string `json:"state,omitzero"`
	// CycleKind is "initial" until the first full cycle finishes, then
	// "incremental".
	CycleKind string `json:"cycleKind,omitzero"`
	// InitialCycleComplete is true once steady state was first reached.
	InitialCycleComplete bool `json:"initialCycleComplete"`
	// Progress is the running cycle's percentage; HasProgress says whether
	// Graph reported one. The portal counts pages, not users.
	Progress    int  `json:"progress,omitzero"`
	HasProgress bool `json:"hasProgress,omitzero"`
	// Users and Groups are the objects synchronized and in scope.
	Users  int64 `json:"users,omitzero"`
	Groups int64 `json:"groups,omitzero"`
	// LastRun is when the last cycle ran (its end, or start if it has not
	// ended); LastRunState is how it ended.
	LastRun      time.Time      `json:"lastRun,omitzero"`
	LastRunState ExecutionState `json:"lastRunState,omitzero"`
	// LastRunError is the last run's error, if any.
	LastRunError *SyncError `json:"lastRunError,omitzero"`
	// LastSuccess is when the last cycle without errors ended, and
	// LastCycleDuration how long it took (zero when unknown).
	LastSuccess       time.Time     `json:"lastSuccess,omitzero"`
	LastCycleDuration time.Duration `json:"-"`
	// LastCycleMinutes is LastCycleDuration in minutes, for JSON.
	LastCycleMinutes float64 `json:"lastCycleMinutes,omitzero"`
	// ActivityID identifies the last run (the portal's "Activity ID").
	ActivityID string `json:"activityId,omitzero"`
	// NextRun is when the next cycle is expected; zero when not scheduled.
	NextRun time.Time `json:"nextRun,omitzero"`
	// Interval is the time between cycles.
	Interval time.Duration `json:"-"`
	// IntervalMinutes is Interval in minutes, for JSON.
	IntervalMinutes float64 `json:"intervalMinutes,omitzero"`
	// Quarantined is true while the job is quarantined, with the reason in
	// plain words, since when, and the next attempt.
	Quarantined      bool      `json:"quarantined"`
	QuarantineReason string    `json:"quarantineReason,omitzero"`
	QuarantineSince  time.Time `json:"quarantineSince,omitzero"`
	NextAttempt      time.Time `json:"nextAttempt,omitzero"`
	// Escrowed is how many objects failed in the last run and wait for a retry.
	Escrowed int64 `json:"escrowed,omitzero"`
	// Verdict is a one-line summary of the job's health.
	Verdict string `json:"verdict,omitzero"`
	// Healthy is true when the job runs normally.
	Healthy bool `json:"healthy"`
}

// StatusOf describes a job the way the portal's Current Status panel does.
// inScope is the number of users, groups and members in scope (0 if
// unknown); loc is where times in the verdict are shown.
func StatusOf(j *Job, inScope int, now time.Time, loc *time.Location) AppStatus {
	app := &App{JobsKnown: true, Jobs: []Job{*j}, InScope: inScope}
	c := &Case{Now: now, Loc: loc, App: app, Job: &app.Jobs[0], Audience: HelpDesk, Retention: DefaultRetention}
	if c.Loc == nil {
		c.Loc = time.UTC
	}
	st := j.Status
	s := AppStatus{
		JobID:                j.ID,
		Code:                 st.Code,
		InitialCycleComplete: !IsNever(st.SteadyStateFirstAchieved) || st.LastSuccessfulExecution != nil,
		Interval:             c.interval(),
	}
	s.CycleKind = "incremental"
	if !s.InitialCycleComplete {
		s.CycleKind = "initial"
	}
	s.Progress, s.HasProgress = jobProgress(j)
	s.Users, _ = st.Count("user")
	s.Groups, _ = st.Count("group")
	if le := st.LastExecution; le != nil {
		s.LastRun = le.Ended
		if IsNever(s.LastRun) {
			s.LastRun = le.Began
		}
		if IsNever(s.LastRun) {
			s.LastRun = time.Time{}
		}
		s.LastRunState = le.State
		if le.Error != nil && !le.Error.IsNone() {
			s.LastRunError = le.Error
		}
		s.ActivityID = le.ActivityID
		s.Escrowed = le.CountEscrowed
	}
	if ls := st.LastSuccessfulExecution; ls != nil && !IsNever(ls.Ended) {
		s.LastSuccess = ls.Ended
		if !IsNever(ls.Began) && ls.Ended.After(ls.Began) {
			s.LastCycleDuration = ls.Ended.Sub(ls.Began)
		}
	}
	if q := st.Quarantine; q != nil && c.Quarantined() {
		s.Quarantined = true
		s.QuarantineReason = quarantinePlain(q)
		s.QuarantineSince = q.SeriesBegan
		if IsNever(s.QuarantineSince) {
			s.QuarantineSince = q.CurrentBegan
		}
		if IsNever(s.QuarantineSince) {
			s.QuarantineSince = time.Time{}
		}
		s.NextAttempt = quarantineNextAttempt(q, now)
	}
	if t, ok := nextCycle(c); ok {
		s.NextRun = t
	}
	if s.Quarantined {
		// A quarantined job runs only at its next attempt.
		s.NextRun = s.NextAttempt
	}
	s.IntervalMinutes = s.Interval.Minutes()
	s.LastCycleMinutes = s.LastCycleDuration.Minutes()
	s.State, s.Verdict, s.Healthy = jobVerdict(c, &s)
	return s
}

// jobVerdict is the one-word state and one-line verdict of a job.
func jobVerdict(c *Case, s *AppStatus) (state, verdict string, healthy bool) {
	j := c.Job
	switch {
	case j.Status.Code == StatusNotConfigured:
		return "not configured", "Provisioning was never set up: no admin credentials were saved, so it has never run.", false
	case disabledAfterQuarantine(c):
		return "disabled", "Provisioning was stopped after a long quarantine: " + s.quarantineOr(c) + ".", false
	case c.Stopped():
		return "paused", "Provisioning is turned off: no changes are sent until an admin turns it on.", false
	case s.Quarantined:
		v := "Quarantined: " + s.QuarantineReason + "."
		if !s.NextAttempt.IsZero() {
			v += " Next attempt " + c.clock(s.NextAttempt) + "."
		}
		return "quarantined", v, false
	case s.LastRunState == ExecutionFailed:
		msg := "The last cycle failed as a whole"
		if s.LastRunError != nil {
			msg += ": " + s.LastRunError.Code
		}
		return "failing", msg + ".", false
	case !s.InitialCycleComplete:
		v := "The first full cycle is still running"
		if s.HasProgress {
			v += fmt.Sprintf(" (%d%% done)", s.Progress)
		}
		return "initial cycle", v + ".", true
	case s.LastRunState == ExecutionEntryLevelError:
		return "running", fmt.Sprintf("Running every %s; the last cycle had errors for %s, which are retried.", span(s.Interval), Count64(s.Escrowed, "object")), true
	default:
		v := fmt.Sprintf("Healthy: running every %s", span(s.Interval))
		if !s.LastRun.IsZero() {
			v += ", last ran " + c.ago(s.LastRun)
		}
		return "running", v + ".", true
	}
}

func (s *AppStatus) quarantineOr(c *Case) string {
	if q := c.Quarantine(); q != nil {
		return quarantinePlain(q)
	}
	return "the cause was not fixed in time"
}

// disabledAfterQuarantine reports whether the job was stopped by the
// service after staying quarantined too long (or stopped while it still
// carries a quarantine error of unknown age): its schedule must say it
// does not run.
func disabledAfterQuarantine(c *Case) bool {
	q := c.Quarantine()
	if q == nil || c.Job == nil {
		return false
	}
	hasCause := q.Reason != QuarantineUnspecified || (q.Error != nil && !q.Error.IsNone())
	if !hasCause {
		return false
	}
	if !c.Stopped() {
		// A job whose status still says quarantined, on an active
		// schedule, was not switched off, however long the quarantine
		// (note J20 says it may be soon).
		return false
	}
	began := quarantineBegan(q)
	return IsNever(began) || c.Now.Sub(began) > QuarantineLimit
}

// quarantineBegan is when the current series of quarantines began (the
// current quarantine when the series is not given); zero when unknown.
func quarantineBegan(q *Quarantine) time.Time {
	if !IsNever(q.SeriesBegan) {
		return q.SeriesBegan
	}
	return q.CurrentBegan
}

// quarantinedTooLong reports whether the job is still quarantined after
// the four weeks the service allows before it disables a job.
func quarantinedTooLong(c *Case) bool {
	q := c.Quarantine()
	if q == nil || !c.Quarantined() || c.Stopped() {
		return false
	}
	began := quarantineBegan(q)
	return !IsNever(began) && c.Now.Sub(began) > QuarantineLimit
}

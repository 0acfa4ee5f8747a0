package diagnose

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Case is the view of one user and one app that rules look at: the app's
// job, the user's assignment, and the user's entries for the app, newest
// first. Rules read it; they never change it.
type Case struct {
	// Now is the time of the question.
	Now time.Time
	// Loc is where clock times are shown.
	Loc *time.Location
	// Audience is who the sentences are for.
	Audience Audience
	// Retention is how far back the logs go.
	Retention time.Duration

	// User is the person, when known.
	User *User
	// Group is the group, when the question is about a group.
	Group *Group
	// App is the app.
	App *App
	// Job is the app's provisioning job; nil when unknown or absent
	// (App.JobsKnown tells which).
	Job *Job
	// Assignment is the user's assignment; nil when unknown.
	Assignment *Assignment

	// Entries are the user's entries for the app, newest first.
	Entries []*Entry
	// Latest is Entries[0], or nil when there are none.
	Latest *Entry
	// History summarises Entries.
	History History
	// Archive is the older log source searched too, if any.
	Archive *Archive

	inputUnknown Unknowns   // the input's unread user facts
	saved        *SavedLogs // the saved file the entries came from, if any
	// asOf is true when Now is the time of older saved files, not of the
	// question (Input.AsOf).
	asOf bool

	vars    map[string]string
	status  *AppStatus // the job's Current Status, computed once
	finding *finding   // the newest entry read in layers, once (classify_verdict.go)
}

// jobStatus returns the job's Current Status panel, computed once per
// case; nil when the job is unknown.
func (c *Case) jobStatus() *AppStatus {
	if c.Job == nil {
		return nil
	}
	if c.status == nil {
		st := StatusOf(c.Job, c.App.InScope, c.Now, c.Loc)
		c.status = &st
	}
	return c.status
}

// Status returns the newest entry's status, or "" when there are no entries.
func (c *Case) Status() Result {
	if c.Latest == nil {
		return ""
	}
	return c.Latest.Status
}

// Code returns the newest entry's error code, or "".
func (c *Case) Code() string {
	if c.Latest == nil {
		return ""
	}
	return c.Latest.ErrorCode()
}

// Detail returns a step detail of the newest entry.
func (c *Case) Detail(key string) (string, bool) {
	if c.Latest == nil {
		return "", false
	}
	return c.Latest.Detail(key)
}

// DetailIs reports whether a step detail of the newest entry equals want,
// ignoring case.
func (c *Case) DetailIs(key, want string) bool {
	v, ok := c.Detail(key)
	return ok && strings.EqualFold(strings.TrimSpace(v), want)
}

// Skipped reports whether the newest entry, or its scoping step, was skipped.
func (c *Case) Skipped() bool {
	if c.Latest == nil {
		return false
	}
	if c.Latest.Status == ResultSkipped {
		return true
	}
	s, ok := c.Latest.Step(StepScoping)
	return ok && s.Status == ResultSkipped
}

// Failed reports whether the newest entry failed.
func (c *Case) Failed() bool { return c.Latest != nil && c.Latest.Status == ResultFailure }

// Succeeded reports whether the newest entry succeeded.
func (c *Case) Succeeded() bool { return c.Latest != nil && c.Latest.Status == ResultSuccess }

// Assigned returns the assignment kind, or AssignmentUnknown.
func (c *Case) Assigned() AssignmentKind {
	if c.Assignment == nil {
		return AssignmentUnknown
	}
	return c.Assignment.Kind
}

// IsAssigned reports whether the user is known to be assigned in a way
// provisioning honours (directly or through a direct group).
func (c *Case) IsAssigned() bool {
	k := c.Assigned()
	return k == AssignmentDirect || k == AssignmentGroup
}

// AssignedAfterLatest reports whether the assignment was made after the
// newest entry (so the next cycle has not seen it yet).
func (c *Case) AssignedAfterLatest() bool {
	if !c.IsAssigned() || c.Assignment.Since.IsZero() {
		return false
	}
	return c.Latest == nil || c.Assignment.Since.After(c.Latest.ActivityTime)
}

// JobCode returns the job's status code, or StatusUnknown.
func (c *Case) JobCode() StatusCode {
	if c.Job == nil {
		return StatusUnknown
	}
	return c.Job.Status.Code
}

// Quarantine returns the job's quarantine, or nil.
func (c *Case) Quarantine() *Quarantine {
	if c.Job == nil {
		return nil
	}
	return c.Job.Status.Quarantine
}

// Quarantined reports whether the job is quarantined now.
func (c *Case) Quarantined() bool {
	if c.Job == nil {
		return false
	}
	q := c.Job.Status.Quarantine
	if c.Job.Status.Code == StatusQuarantine {
		return true
	}
	// A quarantine object on a job that is otherwise running normally
	// (code Active) counts only when it carries a reason.
	return q != nil && c.Job.Status.Code == StatusUnknown && q.Reason != QuarantineUnspecified
}

// Stopped reports whether the job's schedule does not run (paused,
// disabled, or the "never" interval).
func (c *Case) Stopped() bool {
	if c.Job == nil {
		return false
	}
	s := c.Job.Schedule
	return c.Job.Status.Code == StatusPaused || s.State == ScheduleDisabled || s.State == SchedulePaused || s.Unscheduled
}

// InitialCycleRunning reports whether the job has not finished its first
// full cycle yet.
func (c *Case) InitialCycleRunning() bool {
	if c.Job == nil || c.Stopped() || c.Quarantined() || c.JobCode() == StatusNotConfigured {
		return false
	}
	st := c.Job.Status
	if st.Code == StatusNotRun {
		return true
	}
	return IsNever(st.SteadyStateFirstAchieved) && st.LastSuccessfulExecution == nil && len(st.Progress) > 0
}

// codeMatch returns the length of the longest of suffixes that the newest
// entry's error code ends with (ignoring case), or 0. Connector-prefixed
// codes such as ContosoEntryConflict match the suffix EntryConflict.
func (c *Case) codeMatch(suffixes []string) int {
	return suffixMatch(c.Code(), suffixes)
}

// suffixMatch returns the length of the longest suffix in suffixes that
// code ends with, ignoring case, or 0.
func suffixMatch(code string, suffixes []string) int {
	if code == "" {
		return 0
	}
	lc := strings.ToLower(code)
	best := 0
	for _, s := range suffixes {
		if len(s) > best && strings.HasSuffix(lc, strings.ToLower(s)) {
			best = len(s)
		}
	}
	return best
}

var httpStatusRE = regexp.MustCompile(`(?i)(?:HTTP status code|StatusCode:?|status code|HTTP)\s*:?\s*(\d{3})\b`)

// HTTPStatus returns the HTTP status the target app answered with, as
// quoted in the newest entry's reason, or 0.
func (c *Case) HTTPStatus() int {
	if c.Latest == nil || c.Latest.Error == nil {
		return 0
	}
	return httpStatusIn(c.Latest.Error.Reason + " " + c.Latest.Error.AdditionalDetails)
}

func httpStatusIn(s string) int {
	m := httpStatusRE.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 100 || n > 599 {
		return 0
	}
	return n
}

// StepText returns the text of all steps of the newest entry (names,
// descriptions and detail values), for rules that look for a phrase.
func (c *Case) StepText() string {
	if c.Latest == nil {
		return ""
	}
	var b strings.Builder
	for _, s := range c.Latest.Steps {
		b.WriteString(s.Name)
		b.WriteByte('\n')
		b.WriteString(s.Description)
		b.WriteByte('\n')
		for k, v := range s.Details {
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
	if c.Latest.Error != nil {
		b.WriteString(c.Latest.Error.Reason)
		b.WriteByte('\n')
		b.WriteString(c.Latest.Error.AdditionalDetails)
	}
	return b.String()
}

// CrossTenant reports whether the app is a cross-tenant synchronization.
func (c *Case) CrossTenant() bool {
	if c.Job != nil && c.Job.IsCrossTenant() {
		return true
	}
	return c.Latest != nil && strings.HasPrefix(strings.ToLower(c.Latest.JobID), "azure2azure")
}

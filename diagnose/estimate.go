package diagnose

import (
	"fmt"
	"time"
)

// estimateFor returns the rule's estimate, or the default for its category,
// following the provisioning facts §4.6. Every estimate starts from when
// the job next acts (see jobNext), so that none contradicts the job.
func estimateFor(c *Case, r *Rule) *Estimate {
	if r.Estimate != nil {
		return r.Estimate(c)
	}
	switch r.Category {
	case Provisioned, AlreadyInSync, Deprovisioned:
		return doneEstimate(c)
	case UserDisabled, UserDeleted:
		if c.Succeeded() {
			return doneEstimate(c)
		}
		return afterFixEstimate(c, "someone changes the account")
	case PendingNextCycle:
		return nextCycleEstimate(c, "The next provisioning cycle should pick this up")
	case InitialCycleRunning:
		return initialCycleEstimate(c)
	case JobNotConfigured, JobPaused, JobDisabledAfterQuarantine:
		return &Estimate{Kind: EstimateAdminAction, Text: "Nothing will change until an admin turns this back on."}
	case JobQuarantinedCredentials, JobQuarantinedErrors, JobQuarantinedDeletes, JobQuarantinedOther:
		return quarantineEstimate(c)
	case JobRunFailed, TargetTransient:
		return retryEstimate(c)
	case NoLogs, UnknownError:
		w := c.jobNext()
		switch w.kind {
		case EstimateNextCycle:
			return &Estimate{Kind: EstimateUnknown, Earliest: w.at,
				Text: fmt.Sprintf("The next provisioning cycle is due at about %s.", c.clock(w.at))}
		case EstimateQuarantineRetry, EstimateRetry:
			return &Estimate{Kind: EstimateUnknown, Earliest: w.at, Text: "provbot cannot tell when this will change. " + w.text}
		case EstimateInitialCycle:
			return &Estimate{Kind: EstimateUnknown, Earliest: w.lo, Latest: w.hi, Text: "provbot cannot tell when this will change. " + w.text}
		}
		return &Estimate{Kind: EstimateUnknown, Text: "provbot cannot tell when this will change."}
	default:
		if until, ok := untilFixed[r.Category]; ok {
			return afterFixEstimate(c, until)
		}
		return afterFixEstimate(c, "the cause is fixed")
	}
}

// untilFixed says, per verdict, what has to happen before anything changes.
var untilFixed = map[Category]string{
	NotAssigned:              "someone gives access to the app",
	NestedGroupOnly:          "the assignment is fixed",
	NotEffectivelyEntitled:   "the assignment is fixed",
	ScopingFilter:            "the account's details or the app's rules change",
	MatchingAttributeMissing: "the missing detail is filled in",
	MissingRequiredAttribute: "the missing detail is filled in",
	LicenseLimit:             "a licence is free",
	MatchingConflict:         "the clash is sorted out",
	DuplicateMatch:           "the duplicate is sorted out",
}

// jobWhen is when the job next acts on anyone, as far as its state shows.
type jobWhen struct {
	// kind is next-cycle (running normally), retry (failing whole runs),
	// initial-cycle (first pass running), quarantine-retry, admin-action
	// (no job, not configured, turned off) or unknown (not read).
	kind EstimateKind
	// at is the next cycle or attempt; zero when not known.
	at time.Time
	// lo and hi bound the end of a running first pass.
	lo, hi time.Time
	// text says it in a sentence.
	text string
}

// jobNext says when the job next acts, from its state alone.
func (c *Case) jobNext() jobWhen {
	app := appName(c)
	switch {
	case !c.App.JobsKnown:
		return jobWhen{kind: EstimateUnknown,
			text: fmt.Sprintf("provbot could not read the state of provisioning for %s; if it runs normally, a cycle runs about every %s.", app, span(DefaultInterval))}
	case c.Job == nil || c.JobCode() == StatusNotConfigured || c.Stopped():
		return jobWhen{kind: EstimateAdminAction,
			text: fmt.Sprintf("Provisioning for %s does not run until an admin sets it up or turns it back on.", app)}
	case c.Quarantined():
		q := c.Quarantine()
		if q == nil {
			return jobWhen{kind: EstimateAdminAction, text: fmt.Sprintf("Provisioning for %s is on hold until an admin fixes the cause.", app)}
		}
		t := quarantineNextAttempt(q, c.Now)
		if t.IsZero() {
			return jobWhen{kind: EstimateAdminAction, text: fmt.Sprintf("Provisioning for %s is on hold until an admin fixes the cause.", app)}
		}
		return jobWhen{kind: EstimateQuarantineRetry, at: t,
			text: fmt.Sprintf("Provisioning for %s is on hold; it tries again at about %s (%s), and keeps failing until an admin fixes the cause.", app, c.clock(t), c.ago(t))}
	case c.InitialCycleRunning():
		e := initialCycleEstimate(c)
		return jobWhen{kind: EstimateInitialCycle, lo: e.Earliest, hi: e.Latest, text: e.Text}
	}
	t, ok := nextCycle(c)
	kind := EstimateNextCycle
	if c.runFailed() {
		kind = EstimateRetry
	}
	if !ok {
		return jobWhen{kind: kind, text: fmt.Sprintf("The next provisioning cycle runs within about %s.", span(c.interval()))}
	}
	return jobWhen{kind: kind, at: t, text: fmt.Sprintf("The next provisioning cycle runs at about %s (%s).", c.clock(t), c.ago(t))}
}

func doneEstimate(c *Case) *Estimate {
	if c.Latest == nil {
		return nil
	}
	t := c.Latest.ActivityTime
	return &Estimate{Kind: EstimateDone, Earliest: t, Latest: t,
		Text: fmt.Sprintf("This happened at %s (%s).", c.clock(t), c.ago(t))}
}

// afterFixEstimate says that nothing changes until a fix, then the job
// picks the user up when it next runs.
func afterFixEstimate(c *Case, until string) *Estimate {
	w := c.jobNext()
	switch w.kind {
	case EstimateNextCycle:
		return &Estimate{Kind: EstimateAdminAction,
			Text: fmt.Sprintf("Nothing will change until %s. After that, the next cycle picks it up within about %s.", until, span(c.interval()))}
	case EstimateUnknown:
		return &Estimate{Kind: EstimateAdminAction,
			Text: fmt.Sprintf("Nothing will change until %s. After that, if provisioning for %s runs normally, the next cycle picks it up within about %s.", until, appName(c), span(DefaultInterval))}
	case EstimateInitialCycle:
		return &Estimate{Kind: EstimateAdminAction, Latest: w.hi,
			Text: fmt.Sprintf("Nothing will change until %s. %s", until, w.text)}
	case EstimateQuarantineRetry:
		return &Estimate{Kind: EstimateAdminAction, Earliest: w.at,
			Text: fmt.Sprintf("Nothing will change until %s and %s gets updates again. %s", until, appName(c), w.text)}
	default:
		return &Estimate{Kind: EstimateAdminAction,
			Text: fmt.Sprintf("Nothing will change until %s and %s gets updates again.", until, appName(c))}
	}
}

// nextCycleEstimate says when the job picks up a change it has not seen
// yet; lead says what ("The new access will be picked up").
func nextCycleEstimate(c *Case, lead string) *Estimate {
	w := c.jobNext()
	switch w.kind {
	case EstimateNextCycle:
		if w.at.IsZero() {
			return &Estimate{Kind: EstimateNextCycle, Text: fmt.Sprintf("%s within about %s.", lead, span(c.interval()))}
		}
		return &Estimate{Kind: EstimateNextCycle, Earliest: w.at, Latest: w.at.Add(c.interval() / 2),
			Text: fmt.Sprintf("%s at about %s (%s).", lead, c.clock(w.at), c.ago(w.at))}
	case EstimateUnknown:
		return &Estimate{Kind: EstimateNextCycle,
			Text: fmt.Sprintf("If provisioning for %s runs normally, the next cycle picks this up within about %s.", appName(c), span(DefaultInterval))}
	case EstimateInitialCycle:
		return &Estimate{Kind: EstimateInitialCycle, Earliest: w.lo, Latest: w.hi,
			Text: fmt.Sprintf("%s is still doing its first full pass, which picks this up. %s", appName(c), w.text)}
	case EstimateQuarantineRetry:
		return &Estimate{Kind: EstimateQuarantineRetry, Earliest: w.at, Text: w.text}
	case EstimateRetry:
		return &Estimate{Kind: EstimateRetry, Earliest: w.at,
			Text: fmt.Sprintf("The next cycle is due at about %s (%s), but its runs fail as a whole until the cause is fixed.", c.clock(w.at), c.ago(w.at))}
	default:
		return &Estimate{Kind: EstimateAdminAction, Text: "Nothing will change until an admin turns provisioning back on."}
	}
}

// retryEstimate says when the service tries a failed change again.
func retryEstimate(c *Case) *Estimate {
	w := c.jobNext()
	switch w.kind {
	case EstimateNextCycle, EstimateRetry:
		if w.at.IsZero() {
			return &Estimate{Kind: EstimateRetry,
				Text: fmt.Sprintf("The service tries again on its own, usually within about %s.", span(c.interval()))}
		}
		return &Estimate{Kind: EstimateRetry, Earliest: w.at,
			Text: fmt.Sprintf("The service tries again on its own at about %s (%s).", c.clock(w.at), c.ago(w.at))}
	case EstimateUnknown:
		return &Estimate{Kind: EstimateRetry,
			Text: fmt.Sprintf("The service tries again on its own. If %s runs as usual, that is within about %s.", appName(c), span(DefaultInterval))}
	case EstimateInitialCycle:
		return &Estimate{Kind: EstimateInitialCycle, Earliest: w.lo, Latest: w.hi,
			Text: "The service tries again after its first full pass. " + w.text}
	case EstimateQuarantineRetry:
		return &Estimate{Kind: EstimateQuarantineRetry, Earliest: w.at, Text: w.text}
	default:
		return &Estimate{Kind: EstimateAdminAction, Text: w.text}
	}
}

// retryAfterEstimate says when a failure the service will retry only
// after a stated time is tried again: at the first cycle after it.
func retryAfterEstimate(c *Case, after time.Time) *Estimate {
	w := c.jobNext()
	if (w.kind != EstimateNextCycle && w.kind != EstimateRetry) || w.at.IsZero() {
		return retryEstimate(c)
	}
	t := w.at
	for t.Before(after) {
		t = t.Add(c.interval())
	}
	return &Estimate{Kind: EstimateRetry, Earliest: t,
		Text: fmt.Sprintf("The service tries again on its own after %s (%s), at the first cycle after that: about %s.", c.clock(after), c.ago(after), c.clock(t))}
}

func quarantineEstimate(c *Case) *Estimate {
	q := c.Quarantine()
	if q == nil {
		return &Estimate{Kind: EstimateAdminAction, Text: "Nothing will work until an admin fixes the cause."}
	}
	t := quarantineNextAttempt(q, c.Now)
	if t.IsZero() {
		return &Estimate{Kind: EstimateAdminAction, Text: "Nothing will work until an admin fixes the cause."}
	}
	return &Estimate{Kind: EstimateQuarantineRetry, Earliest: t,
		Text: fmt.Sprintf("The service tries again at about %s (%s), but it will keep failing until an admin fixes the cause.", c.clock(t), c.ago(t))}
}

// initialCycleEstimate applies Microsoft's formula for the first cycle:
// between 0.01·N and 0.08·N minutes from its start, N being the assigned
// users, groups and group members; the pace so far refines it.
func initialCycleEstimate(c *Case) *Estimate {
	pct, hasPct := c.progress()
	start := c.cycleStart()
	// At the pace so far: the progress bar counts pages, so this is rough,
	// but it is the tenant's own pace.
	var paceEnd time.Time
	if hasPct && pct > 0 && pct < 100 && !start.IsZero() && c.Now.After(start) {
		paceEnd = start.Add(c.Now.Sub(start) * 100 / time.Duration(pct))
	}
	progress := ""
	if hasPct {
		progress = fmt.Sprintf(" It is about %d%% done.", pct)
		if !paceEnd.IsZero() {
			progress = fmt.Sprintf(" It is about %d%% done; at this pace it ends at about %s.", pct, c.clock(paceEnd))
		}
	}
	n := c.App.InScope
	if n <= 0 || start.IsZero() {
		return &Estimate{Kind: EstimateInitialCycle, Earliest: paceEnd, Latest: paceEnd,
			Text: "The first full pass usually takes from 20 minutes to several hours." + progress}
	}
	lo := start.Add(time.Duration(float64(n) * 0.01 * float64(time.Minute)))
	hi := start.Add(time.Duration(float64(n) * 0.08 * float64(time.Minute)))
	if floor := start.Add(time.Minute); lo.Before(floor) {
		lo = floor
	}
	if hi.Before(c.Now) {
		if !paceEnd.IsZero() {
			// Microsoft's formula counts members of assigned groups too;
			// when it has run out, the pace so far is the better guide.
			return &Estimate{Kind: EstimateInitialCycle, Earliest: paceEnd, Latest: paceEnd,
				Text: "The first full pass is taking longer than the usual estimate." + progress}
		}
		return &Estimate{Kind: EstimateInitialCycle, Earliest: lo, Latest: hi,
			Text: fmt.Sprintf("The first full pass should have ended by %s; it is taking longer than usual.%s", c.clock(hi), progress)}
	}
	if lo.Before(c.Now) {
		lo = c.Now
	}
	e := &Estimate{Kind: EstimateInitialCycle, Earliest: lo, Latest: hi,
		Text: fmt.Sprintf("The first full pass should end between %s and %s.%s", c.clock(lo), c.clock(hi), progress)}
	if !paceEnd.IsZero() {
		if paceEnd.Before(e.Earliest) {
			e.Earliest = paceEnd
		}
		if paceEnd.After(e.Latest) {
			e.Latest = paceEnd
		}
	}
	return e
}

// interval is the job's cycle interval, 40 minutes when unknown.
func (c *Case) interval() time.Duration {
	if c.Job == nil || c.Job.Schedule.Interval <= 0 || c.Job.Schedule.Interval >= NeverInterval {
		return DefaultInterval
	}
	return c.Job.Schedule.Interval
}

// nextCycle returns when the next incremental cycle is due: the last run's
// end plus the interval, moved forward by whole intervals past now.
func nextCycle(c *Case) (time.Time, bool) {
	if c.Job == nil || c.Stopped() || c.JobCode() == StatusNotConfigured || c.Job.Schedule.Unscheduled {
		return time.Time{}, false
	}
	st := c.Job.Status
	var base time.Time
	if le := st.LastExecution; le != nil {
		base = le.Ended
		if IsNever(base) {
			base = le.Began
		}
	}
	if IsNever(base) {
		base = st.SteadyStateLastAchieved
	}
	if IsNever(base) {
		return time.Time{}, false
	}
	iv := c.interval()
	next := base.Add(iv)
	if next.Before(c.Now) {
		missed := c.Now.Sub(next)/iv + 1
		next = next.Add(missed * iv)
	}
	return next, true
}

// cycleStart is when the running cycle began, or zero.
func (c *Case) cycleStart() time.Time {
	if c.Job == nil {
		return time.Time{}
	}
	if le := c.Job.Status.LastExecution; le != nil && !IsNever(le.Began) {
		return le.Began
	}
	return time.Time{}
}

// progress is the running cycle's progress as a percentage.
func (c *Case) progress() (int, bool) {
	if c.Job == nil {
		return 0, false
	}
	return jobProgress(c.Job)
}

func jobProgress(j *Job) (int, bool) {
	var done, total int64
	for _, p := range j.Status.Progress {
		done += p.CompletedUnits
		total += p.TotalUnits
	}
	return Progress{CompletedUnits: done, TotalUnits: total}.Percent()
}

// quarantineNextAttempt is when a quarantined job is retried: Graph's
// nextAttempt when it gives one, otherwise the documented schedule of
// +6 h, +12 h and +24 h after the series began, then every 24 hours, for
// 28 days. Zero when unknown or past the 28 days.
func quarantineNextAttempt(q *Quarantine, now time.Time) time.Time {
	if !IsNever(q.NextAttempt) {
		return q.NextAttempt
	}
	began := q.SeriesBegan
	if IsNever(began) {
		began = q.CurrentBegan
	}
	if IsNever(began) {
		return time.Time{}
	}
	for _, off := range []time.Duration{6 * time.Hour, 12 * time.Hour, 24 * time.Hour} {
		if t := began.Add(off); t.After(now) {
			return t
		}
	}
	day := 24 * time.Hour
	t := began.Add(day)
	if !t.After(now) {
		t = t.Add((now.Sub(t)/day + 1) * day)
	}
	if t.Sub(began) > QuarantineLimit {
		return time.Time{}
	}
	return t
}

// QuarantineLimit is how long a job may stay quarantined before the
// service disables it.
const QuarantineLimit = 28 * 24 * time.Hour

// estimateText is the estimate's sentence, or "".
func estimateText(e *Estimate) string {
	if e == nil {
		return ""
	}
	return e.Text
}

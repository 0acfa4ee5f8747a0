package diagnose

import "time"

// noteRules add secondary findings to a verdict decided by another rule.
var noteRules = []NoteRule{
	{
		// A quarantined, paused or unconfigured job colours every per-user answer.
		ID: "J07n", Severity: SeverityWarning,
		When: func(c *Case, d *Rule) bool {
			if d.Tier == TierJobBlocked || d.Tier == TierJobSlow || d.Family == FamilyJob {
				return false
			}
			return c.jobBlocks()
		},
		EndUser:  "Also, {app} is not getting updates right now. Later changes to your account will wait until an admin fixes that.",
		HelpDesk: "The {app} job itself is not running normally: {jobverdict} Later changes for {user} will not flow until that is fixed.",
	},
	{
		// Repeated failures are being retried.
		ID: "E16", Severity: SeverityInfo,
		When: func(c *Case, d *Rule) bool {
			return d.Tier == TierEntry && c.Failed() && c.History.FailuresInARow >= 2 && d.Category != TargetTransient
		},
		EndUser:  "This has failed {failtimes} since {firstfail}. The service keeps trying, but it will fail the same way until someone fixes the cause.",
		HelpDesk: "Failed {failtimes} in a row since {firstfail}: the object is escrowed and retried in later cycles with decreasing frequency. A restart clears the retry queue.",
	},
	{
		// Repeated passing failures are retried and usually clear up.
		ID: "E16t", Severity: SeverityInfo,
		When: func(c *Case, d *Rule) bool {
			return d.Tier == TierEntry && c.Failed() && c.History.FailuresInARow >= 2 && d.Category == TargetTransient
		},
		EndUser:  "This has failed {failtimes} since {firstfail}. The service keeps trying on its own.",
		HelpDesk: "Failed {failtimes} in a row since {firstfail}; transient errors are retried in later cycles. If it persists for a day, contact the app's vendor.",
	},
	{
		// The user's own last failure still needs fixing after the job is.
		ID: "X04", Severity: SeverityWarning,
		When: func(c *Case, d *Rule) bool {
			return (d.Tier == TierJobBlocked || d.Tier == TierJobSlow) && c.Failed()
		},
		EndUser:  "When that is fixed, your own account may still need a fix: the last try failed too.",
		HelpDesk: "{user}'s own newest entry also failed ({code} at {time}, change {change}); it will need fixing once the job runs.",
	},
	{
		// Still quarantined, and scheduled, after four weeks: the service
		// disables such a job, but it has not yet (the status says so).
		ID: "J20", Severity: SeverityWarning,
		When: func(c *Case, d *Rule) bool { return quarantinedTooLong(c) },
		HelpDesk: "{app} has been quarantined since {qsince}, more than four weeks: the service switches off a job that stays quarantined that long, " +
			"so it may be turned off at any time, and then has to be turned back on by an admin after the fix.",
	},
	{
		ID: "J04", Severity: SeverityInfo,
		When: func(c *Case, d *Rule) bool {
			if c.Job == nil || !c.Stopped() {
				return false
			}
			le := c.Job.Status.LastExecution
			return le != nil && !IsNever(le.Began) && IsNever(le.Ended)
		},
		HelpDesk: "Provisioning was turned off while a cycle was running: that cycle finishes, later ones do not run.",
	},
	{
		ID: "J17", Severity: SeverityInfo,
		When: func(c *Case, d *Rule) bool {
			if c.Job == nil || d.Family == FamilyJob {
				return false
			}
			le := c.Job.Status.LastExecution
			return le != nil && le.State == ExecutionEntryLevelError && le.CountEscrowed > 0
		},
		HelpDesk: "The job's last cycle ended with errors for {escrowedobjects}, which are queued for retry.",
	},
	{
		ID: "J18", Severity: SeverityWarning,
		When: func(c *Case, d *Rule) bool {
			return c.Job != nil && c.Job.Status.EscrowsPruned
		},
		HelpDesk: "During the initial cycle so many objects failed that the service dropped its retry queue to finish; the job then pauses until the failures are fixed and it is restarted.",
	},
	{
		ID: "J19", Severity: SeverityInfo,
		When: func(c *Case, d *Rule) bool {
			if c.Job == nil || d.Family == FamilyJob {
				return false
			}
			st := c.Job.Status
			le, lx := st.LastExecution, st.LastSuccessfulExecutionWithExports
			if le == nil || IsNever(le.Ended) || c.Now.Sub(le.Ended) > 24*time.Hour {
				return false
			}
			// Graph often omits lastSuccessfulExecutionWithExports: absent
			// says nothing about exports, only an old time does.
			return lx != nil && !IsNever(lx.Ended) && c.Now.Sub(lx.Ended) > 7*24*time.Hour
		},
		HelpDesk: "The job runs, but has written nothing to {app} for over a week (last run with exports: {lastexport}). That is normal if nothing changed; otherwise most exports are failing.",
	},
	{
		ID: "D04", Severity: SeverityInfo,
		When: func(c *Case, d *Rule) bool {
			if c.Assignment == nil || !c.Assignment.SkipOutOfScopeDeletions {
				return false
			}
			switch d.Category {
			case NotAssigned, ScopingFilter, Deprovisioned, NotEffectivelyEntitled, UserDisabled:
				return true
			}
			return false
		},
		HelpDesk: "{app} is set to skip out-of-scope deletions (SkipOutOfScopeDeletions = true): an existing account is left untouched instead of being disabled.",
	},
	{
		ID: "T04", Severity: SeverityInfo,
		When: func(c *Case, d *Rule) bool {
			return d.Category == InitialCycleRunning || d.Category == PendingNextCycle
		},
		HelpDesk: "The time between cycles (about {interval}) cannot be changed; for an urgent case, Provision on demand usually takes under 30 seconds.",
	},
}

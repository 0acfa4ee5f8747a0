package diagnose

// This file decides whether the job's state outranks the user's own
// entries and facts (facts §3.1 A, §4.6).

// jobBlocks reports whether the job holds back changes for every user:
// the app has no provisioning job, it was never configured, it is turned
// off, quarantined, or its last run failed as a whole. A job provbot could
// not read blocks nothing it knows of.
func (c *Case) jobBlocks() bool {
	if !c.App.JobsKnown {
		return false
	}
	if c.Job == nil {
		return true
	}
	return c.JobCode() == StatusNotConfigured || c.Stopped() || c.Quarantined() || c.runFailed()
}

// runFailed reports whether the job's last run failed as a whole.
func (c *Case) runFailed() bool {
	if c.Job == nil {
		return false
	}
	le := c.Job.Status.LastExecution
	return le != nil && le.State == ExecutionFailed
}

// heldBack reports whether a blocking job keeps something from this user:
// an account still to be made, a failure that would be retried, a removal
// held, access given since the newest entry. It is false when the user's
// own state keeps them out whatever the job does (not assigned, only in a
// nested group, turned off or deleted in the directory, filtered out) or
// when the newest entry already did what was asked and nothing changed
// since. When a fact it needs could not be read, it assumes the job holds
// something back: the job is then the one thing known to be wrong.
func (c *Case) heldBack() bool {
	if c.userOff() || c.userSoftDeleted() {
		return false
	}
	switch c.Assigned() {
	case AssignmentNone:
		if c.Assignment.Scope != ScopeAll {
			return false
		}
	case AssignmentNestedGroupOnly:
		return false
	}
	e := c.Latest
	if e == nil {
		return true
	}
	if c.AssignedAfterLatest() {
		return true
	}
	switch e.Status {
	case ResultSuccess:
		return false
	case ResultSkipped:
		if e.Action == ActionStagedDelete {
			return true
		}
		if !skipMayBeAssignment(c) {
			return false
		}
		// Skipped as not assigned: held back unless the user is known to
		// have been assigned before the skip (a different problem).
		return !c.IsAssigned() || !c.known(FactAssignmentSince)
	default:
		return true
	}
}

// skipMayBeAssignment reports whether the newest skip may be about the
// assignment (not assigned, not effectively entitled, or no reason given),
// rather than a scoping filter, the user's state or nothing to change.
func skipMayBeAssignment(c *Case) bool {
	if c.DetailIs("SkipReason", "RedundantExport") || skipFilterFailed(c) || skipDetailIs(c, "False", skipActiveKeys...) ||
		c.DetailIs("accountEnabled", "False") || c.codeMatch([]string{"ImportSkipped", "RedundantExport", "EntityTypeNotSupported"}) > 0 {
		return false
	}
	return true
}

package diagnose

import "slices"

// Fact names one thing a diagnosis may need to know beyond the log
// entries: whether the user's account is on, how and since when they are
// assigned, the app's jobs and scope setting.
//
// A fact is either read (its fields hold the answer, which may be "no" or
// "none") or unread: provbot could not find out, and says why with an
// Unread reason. Rules never treat an unread fact as "false" or "absent":
// they decide without it, or say what the answer depends on.
type Fact string

// The facts a diagnosis may depend on.
const (
	// FactUserState is the user's directory state: enabled, guest, deleted.
	FactUserState Fact = "user-state"
	// FactAssignment is how the user is assigned to the app (directly,
	// through a group, only through a nested group, or not at all).
	FactAssignment Fact = "assignment"
	// FactAssignmentSince is when the assignment (or the membership of the
	// assigned group) began.
	FactAssignmentSince Fact = "assignment-since"
	// FactJobs is the app's provisioning jobs and their state.
	FactJobs Fact = "jobs"
	// FactScope is the app's scope setting (assigned only, or everyone).
	FactScope Fact = "scope"
)

// Facts lists every fact, in a stable order.
func Facts() []Fact {
	return []Fact{FactUserState, FactAssignment, FactAssignmentSince, FactJobs, FactScope}
}

// Unread says why a fact could not be read. The zero value means the
// reason was not recorded.
type Unread string

// The reasons a fact could not be read.
const (
	// UnreadBudget means the reporting API's request budget was used up
	// (the audit log shares Microsoft's 5-requests-per-10-seconds limit).
	UnreadBudget Unread = "budget"
	// UnreadForbidden means provbot lacks the permission (HTTP 403).
	UnreadForbidden Unread = "forbidden"
	// UnreadTimeout means the service did not answer in time.
	UnreadTimeout Unread = "timeout"
	// UnreadFailed means the service answered with an error.
	UnreadFailed Unread = "failed"
	// UnreadOffline means the question was answered from saved files,
	// which do not hold the fact.
	UnreadOffline Unread = "offline"
	// UnreadNotFound means the directory no longer has the object (for
	// example a user deleted more than 30 days ago).
	UnreadNotFound Unread = "not-found"
)

// Words says the reason in a few words, for sentences ("the reporting
// budget was used up").
func (u Unread) Words() string {
	switch u {
	case UnreadBudget:
		return "the reporting budget was used up"
	case UnreadForbidden:
		return "provbot lacks the permission to read it"
	case UnreadTimeout:
		return "Microsoft Graph did not answer in time"
	case UnreadFailed:
		return "Microsoft Graph answered with an error"
	case UnreadOffline:
		return "the saved files do not hold it"
	case UnreadNotFound:
		return "the directory no longer has the object"
	default:
		return "it could not be read"
	}
}

// Unknowns maps each fact that could not be read to why.
type Unknowns map[Fact]Unread

// Set records that a fact could not be read; it returns u, creating it
// when nil.
func (u Unknowns) Set(f Fact, why Unread) Unknowns {
	if u == nil {
		u = Unknowns{}
	}
	u[f] = why
	return u
}

// Has reports whether the fact is recorded as unread, and why.
func (u Unknowns) Has(f Fact) (Unread, bool) {
	why, ok := u[f]
	return why, ok
}

// UnknownFact is one fact a diagnosis could not read, and why: the answer
// says what it depends on instead of guessing.
type UnknownFact struct {
	Fact   Fact   `json:"fact"`
	Reason Unread `json:"reason,omitzero"`
}

// unknown reports whether a fact could not be read for this case, and
// why. A fact is unread when the input says so, or when the field that
// would hold it is absent (a nil assignment, jobs not fetched).
func (c *Case) unknown(f Fact) (Unread, bool) {
	if why, ok := c.App.Unknown.Has(f); ok {
		return why, true
	}
	if why, ok := c.inputUnknown.Has(f); ok {
		return why, true
	}
	switch f {
	case FactUserState:
		return "", c.User == nil
	case FactJobs:
		return "", !c.App.JobsKnown
	case FactAssignment:
		return "", c.Assigned() == AssignmentUnknown
	case FactAssignmentSince:
		if c.Assigned() == AssignmentUnknown {
			return "", true
		}
		return "", c.IsAssigned() && c.Assignment.Since.IsZero()
	case FactScope:
		return "", c.Assignment == nil || c.Assignment.Scope == ScopeUnknown
	}
	return "", false
}

// known reports whether a fact was read for this case.
func (c *Case) known(f Fact) bool {
	_, unk := c.unknown(f)
	return !unk
}

// unknownFacts lists the facts this case could not read.
func (c *Case) unknownFacts() []UnknownFact {
	var out []UnknownFact
	for _, f := range Facts() {
		if why, unk := c.unknown(f); unk {
			out = append(out, UnknownFact{Fact: f, Reason: why})
		}
	}
	return slices.Clip(out)
}

// userStateKnown reports whether the user's directory state (enabled,
// guest, deleted) was read.
func (c *Case) userStateKnown() bool { return c.known(FactUserState) }

// userOff reports whether the directory says, now, that the user's
// account is turned off (and not deleted); false when unread.
func (c *Case) userOff() bool {
	return c.userStateKnown() && !c.User.Enabled && !c.User.SoftDeleted
}

// userOn reports whether the directory says, now, that the user's account
// is on; false when unread.
func (c *Case) userOn() bool {
	return c.userStateKnown() && c.User.Enabled && !c.User.SoftDeleted
}

// userSoftDeleted reports whether the directory says the user is in the
// recycle bin; false when unread.
func (c *Case) userSoftDeleted() bool {
	return c.userStateKnown() && c.User.SoftDeleted
}

package diagnose

import "time"

// Diagnosis is provbot's answer for one user and one app: the verdict, the
// sentences that explain it to the asker's audience, what to do and by
// whom, when things will happen, the app's current status, and the ids a
// support ticket needs. Rendering (text, cards, JSON) belongs to consumers.
type Diagnosis struct {
	// User and App name the subject of the diagnosis.
	User UserRef
	App  AppRef
	// Audience is who the sentences are written for.
	Audience Audience

	// RuleID is the id of the rule that decided the verdict; it cites the
	// provisioning facts catalogue (J08, S05, E13, ...).
	RuleID string
	// Category is the verdict, from the fixed vocabulary.
	Category Category
	// Severity says how bad it is.
	Severity Severity
	// Headline is one sentence that names the user and the app.
	Headline string
	// Explanation says what happened and why, for the audience.
	Explanation string
	// Recommendations say who should do what, most useful first.
	Recommendations []Recommendation
	// Estimate says when things will happen; nil when time does not matter.
	Estimate *Estimate
	// Notes are secondary findings that colour the verdict (a quarantined
	// job, an earlier failure now resolved, ...).
	Notes []Note
	// Status is the app's current status as the Entra "Current Status"
	// panel shows it; nil when the job is unknown.
	Status *AppStatus
	// Timeline is the step-by-step record of the decisive log entry.
	Timeline []TimelineStep
	// Ticket holds the ids a support ticket needs.
	Ticket Ticket
	// Evidence lists the facts the verdict rests on. Empty for end users.
	Evidence []Evidence
	// Article is the Microsoft Learn page the rule rests on.
	Article Article
	// History summarises the user's entries for this app.
	History History
}

// UserRef names the user a diagnosis is about.
type UserRef struct {
	ObjectID    string
	DisplayName string
	UPN         string
}

// AppRef names the app a diagnosis is about.
type AppRef struct {
	// ServicePrincipalID is the enterprise app's object id.
	ServicePrincipalID string
	// Name is the app's display name.
	Name string
}

// Recommendation is one thing someone should do.
type Recommendation struct {
	// Who should act.
	Who Party
	// Text says what to do, in the audience's words.
	Text string
}

// EstimateKind says what kind of "when" an estimate is.
type EstimateKind string

// The kinds of estimate.
const (
	// EstimateDone means it already happened (Earliest is when).
	EstimateDone EstimateKind = "done"
	// EstimateNextCycle means the next incremental cycle will do it.
	EstimateNextCycle EstimateKind = "next-cycle"
	// EstimateInitialCycle means the running initial cycle will reach the
	// user somewhere in the Earliest..Latest window.
	EstimateInitialCycle EstimateKind = "initial-cycle"
	// EstimateRetry means the service retries on its own at about Earliest.
	EstimateRetry EstimateKind = "retry"
	// EstimateQuarantineRetry means the quarantined job tries again at
	// Earliest, but will keep failing until someone fixes the cause.
	EstimateQuarantineRetry EstimateKind = "quarantine-retry"
	// EstimateAdminAction means nothing happens until an admin acts.
	EstimateAdminAction EstimateKind = "admin-action"
	// EstimateUnknown means provbot cannot tell.
	EstimateUnknown EstimateKind = "unknown"
)

// Estimate says when something will happen.
type Estimate struct {
	Kind EstimateKind
	// Earliest and Latest bound the expected time; zero when not time-bound.
	Earliest, Latest time.Time
	// Text says it in words ("at about 14:40 UTC, in about 25 minutes").
	Text string
}

// Note is a secondary finding.
type Note struct {
	RuleID   string
	Severity Severity
	Text     string
}

// TimelineStep is one provisioning step of the decisive entry.
type TimelineStep struct {
	Type        StepType
	Name        string
	Status      Result
	Description string
}

// Ticket holds the identifiers Microsoft support and app admins ask for.
type Ticket struct {
	EntryID            string
	ChangeID           string
	CycleID            string
	JobID              string
	ServicePrincipalID string
	TenantID           string
	ErrorCode          string
	// Time is the decisive entry's activity time.
	Time time.Time
	// ActivityID identifies the job's last run.
	ActivityID string
}

// Evidence is one fact a verdict rests on: a field and its value, with the
// change, cycle and time it was seen in.
type Evidence struct {
	Field    string
	Value    string
	ChangeID string
	CycleID  string
	Time     time.Time
}

// Article is a Microsoft Learn page.
type Article struct {
	Title string
	URL   string
}

// History summarises a user's entries for one app.
type History struct {
	// Entries is how many entries there were.
	Entries int
	// First and Last are the oldest and newest activity times.
	First, Last time.Time
	// Failures counts failed entries; FailuresInARow counts those since the
	// newest success.
	Failures, FailuresInARow int
	// FirstFailureInARow is when the current run of failures began.
	FirstFailureInARow time.Time
	// ResolvedAt is when a success followed earlier failures; zero if not.
	ResolvedAt time.Time
	// LastSuccess is the newest successful entry's time.
	LastSuccess time.Time
}

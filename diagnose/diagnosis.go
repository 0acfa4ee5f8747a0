package diagnose

import (
	"strings"
	"time"
)

// Diagnosis is provbot's answer for one user and one app: the verdict, the
// sentences that explain it to the asker's audience, what to do and by
// whom, when things will happen, the app's current status, and the ids a
// support ticket needs. Rendering (text, cards, JSON) belongs to consumers.
type Diagnosis struct {
	// User and App name the subject of the diagnosis.
	User UserRef `json:"user,omitzero"`
	App  AppRef  `json:"app,omitzero"`
	// Audience is who the sentences are written for.
	Audience Audience `json:"audience,omitzero"`

	// RuleID is the id of the rule that decided the verdict, as listed in
	// RULES.md (J08, S05, E13, ...).
	RuleID string `json:"ruleId,omitzero"`
	// Category is the verdict, from the fixed vocabulary.
	Category Category `json:"category,omitzero"`
	// Severity says how bad it is.
	Severity Severity `json:"severity,omitzero"`
	// Headline is one sentence that names the user and the app.
	Headline string `json:"headline,omitzero"`
	// Explanation says what happened and why, for the audience.
	Explanation string `json:"explanation,omitzero"`
	// Recommendations say who should do what, most useful first.
	Recommendations []Recommendation `json:"actions,omitzero"`
	// Estimate says when things will happen; nil when time does not matter.
	Estimate *Estimate `json:"estimate,omitzero"`
	// Notes are secondary findings that colour the verdict (a quarantined
	// job, an earlier failure now resolved, ...).
	Notes []Note `json:"notes,omitzero"`
	// Status is the app's current status as the Entra "Current Status"
	// panel shows it; nil when the job is unknown.
	Status *AppStatus `json:"status,omitzero"`
	// Timeline is the step-by-step record of the decisive log entry.
	Timeline []TimelineStep `json:"timeline,omitzero"`
	// Ticket holds the ids a support ticket needs.
	Ticket Ticket `json:"ticket,omitzero"`
	// Evidence lists the facts the verdict rests on. Empty for end users.
	Evidence []Evidence `json:"evidence,omitzero"`
	// Article is the Microsoft Learn page the rule rests on.
	Article Article `json:"article,omitzero"`
	// History summarises the user's entries for this app.
	History History `json:"history,omitzero"`
	// Source says where the evidence came from and how old it is; set when
	// an older log source was searched or supplied the decisive entry.
	Source *Source `json:"source,omitzero"`
	// Unknown lists the facts provbot could not read for this answer, and
	// why; the sentences say what the answer depends on instead.
	Unknown []UnknownFact `json:"unknown,omitzero"`
	// AsOf is set when the answer describes saved files older than the
	// question: the time it is told as of (Input.AsOf); "ago", estimates
	// and the job's state count from then. Zero for an answer about now.
	AsOf time.Time `json:"asOf,omitzero"`
}

// UserRef names the user a diagnosis is about.
type UserRef struct {
	ObjectID    string `json:"objectId,omitzero"`
	DisplayName string `json:"displayName,omitzero"`
	UPN         string `json:"upn,omitzero"`
	// Type is "group" when the diagnosis is about a group; empty for a user.
	Type string `json:"type,omitzero"`
}

// Label names who (or which group) a diagnosis is about, for headings:
// "Adele Vance (adele@contoso.com)", "adele@contoso.com", "Sales (group)";
// the object id when nothing else is known.
func (u UserRef) Label() string {
	name := strings.TrimSpace(u.DisplayName)
	switch {
	case u.Type == SubjectGroup:
		if name == "" {
			name = u.ObjectID
		}
		return name + " (group)"
	case name != "" && u.UPN != "":
		return name + " (" + u.UPN + ")"
	case name != "":
		return name
	case u.UPN != "":
		return u.UPN
	}
	return u.ObjectID
}

// AppRef names the app a diagnosis is about.
type AppRef struct {
	// ServicePrincipalID is the enterprise app's object id.
	ServicePrincipalID string `json:"servicePrincipalId,omitzero"`
	// Name is the app's display name.
	Name string `json:"name,omitzero"`
}

// Recommendation is one thing someone should do.
type Recommendation struct {
	// Who should act.
	Who Party `json:"who,omitzero"`
	// Text says what to do, in the audience's words.
	Text string `json:"text,omitzero"`
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
	Kind EstimateKind `json:"kind,omitzero"`
	// Earliest and Latest bound the expected time; zero when not time-bound.
	Earliest time.Time `json:"earliest,omitzero"`
	Latest   time.Time `json:"latest,omitzero"`
	// Text says it in words ("at about 14:40 UTC, in about 25 minutes").
	Text string `json:"text,omitzero"`
}

// Note is a secondary finding.
type Note struct {
	RuleID   string   `json:"ruleId,omitzero"`
	Severity Severity `json:"severity,omitzero"`
	Text     string   `json:"text,omitzero"`
}

// TimelineStep is one provisioning step of the decisive entry.
type TimelineStep struct {
	Type        StepType `json:"type,omitzero"`
	Name        string   `json:"name,omitzero"`
	Status      Result   `json:"status,omitzero"`
	Description string   `json:"description,omitzero"`
}

// Ticket holds the identifiers Microsoft support and app admins ask for.
type Ticket struct {
	EntryID            string `json:"entryId,omitzero"`
	ChangeID           string `json:"changeId,omitzero"`
	CycleID            string `json:"cycleId,omitzero"`
	JobID              string `json:"jobId,omitzero"`
	ServicePrincipalID string `json:"servicePrincipalId,omitzero"`
	TenantID           string `json:"tenantId,omitzero"`
	ErrorCode          string `json:"errorCode,omitzero"`
	// Time is the decisive entry's activity time.
	Time time.Time `json:"time,omitzero"`
	// ActivityID identifies the job's last run.
	ActivityID string `json:"activityId,omitzero"`
}

// Evidence is one fact a verdict rests on: a field and its value, with the
// change, cycle and time it was seen in.
type Evidence struct {
	Field    string    `json:"field,omitzero"`
	Value    string    `json:"value,omitzero"`
	ChangeID string    `json:"changeId,omitzero"`
	CycleID  string    `json:"cycleId,omitzero"`
	Time     time.Time `json:"time,omitzero"`
}

// Article is a Microsoft Learn page.
type Article struct {
	Title string `json:"title,omitzero"`
	URL   string `json:"url,omitzero"`
}

// History summarises a user's entries for one app.
type History struct {
	// Entries is how many entries there were.
	Entries int `json:"entries,omitzero"`
	// First and Last are the oldest and newest activity times.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
	// Failures counts failed entries; FailuresInARow counts those since the
	// newest success.
	Failures       int `json:"failures,omitzero"`
	FailuresInARow int `json:"failuresInARow,omitzero"`
	// FirstFailureInARow is when the current run of failures began.
	FirstFailureInARow time.Time `json:"firstFailureInARow,omitzero"`
	// ResolvedAt is when a success followed earlier failures; zero if not.
	ResolvedAt time.Time `json:"resolvedAt,omitzero"`
	// LastSuccess is the newest successful entry's time.
	LastSuccess time.Time `json:"lastSuccess,omitzero"`
}

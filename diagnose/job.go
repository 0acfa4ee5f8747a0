package diagnose

import (
	"strings"
	"time"
)

// Job is an app's provisioning job (Graph's synchronizationJob).
//
// Times that Graph reports as "never" (0001-01-01T00:00:00Z, or an empty
// string) are the zero time.Time here; use IsNever to test for them.
type Job struct {
	// ID is the job id; provisioning log entries carry it as JobID.
	ID string
	// TemplateID names the template the job was built from (scim,
	// BoxOutDelta, Azure2Azure, ...).
	TemplateID string
	// Schedule is when the job runs.
	Schedule Schedule
	// Status is the job's current state, last runs and quarantine.
	Status JobStatus
	// Settings are the job's name/value settings in wire order
	// (QuarantineTooManyDeletesThreshold, ...).
	Settings []Setting
}

// Setting is one synchronizationJobSettings name/value pair.
type Setting struct {
	Name  string
	Value string
}

// Setting returns the value of a job setting and whether it is set.
func (j *Job) Setting(name string) (string, bool) {
	for _, s := range j.Settings {
		if strings.EqualFold(s.Name, name) {
			return s.Value, true
		}
	}
	return "", false
}

// IsCrossTenant reports whether the job synchronizes users between Entra
// tenants (cross-tenant synchronization) rather than into a SaaS app.
func (j *Job) IsCrossTenant() bool {
	return strings.HasPrefix(strings.ToLower(j.TemplateID), "azure2azure") ||
		strings.HasPrefix(strings.ToLower(j.ID), "azure2azure")
}

// Schedule is a job's run schedule.
type Schedule struct {
	// Interval is the time between cycles (40 minutes by default). Zero
	// when unknown.
	Interval time.Duration
	// Unscheduled is true when Graph reports the "never" interval
	// (P10675199DT2H48M5.4775807S, .NET's TimeSpan.MaxValue).
	Unscheduled bool
	// State is Active, Disabled or Paused.
	State ScheduleState
	// RawState is the state as the wire spelled it.
	RawState string
	// Expiration is when the job expires; zero when never.
	Expiration time.Time
}

// NeverInterval is the smallest interval treated as "never scheduled":
// Graph writes TimeSpan.MaxValue (about 29,227 years) for jobs that do not run.
const NeverInterval = 100 * 365 * 24 * time.Hour

// DefaultInterval is the documented time between incremental cycles.
const DefaultInterval = 40 * time.Minute

// ScheduleState is the state of a job's schedule.
type ScheduleState string

// The members of Graph's synchronizationScheduleState enum.
const (
	ScheduleActive   ScheduleState = "Active"
	ScheduleDisabled ScheduleState = "Disabled"
	SchedulePaused   ScheduleState = "Paused"
	ScheduleUnknown  ScheduleState = "Unknown"
)

// ParseScheduleState maps a wire value to a ScheduleState, ignoring case.
func ParseScheduleState(s string) ScheduleState {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "active":
		return ScheduleActive
	case "disabled":
		return ScheduleDisabled
	case "paused":
		return SchedulePaused
	default:
		return ScheduleUnknown
	}
}

// JobStatus is Graph's synchronizationStatus.
type JobStatus struct {
	// Code is the high-level state.
	Code StatusCode
	// RawCode is the code as the wire spelled it.
	RawCode string
	// CountSuccessiveCompleteFailures counts whole runs that failed in a row.
	CountSuccessiveCompleteFailures int64
	// EscrowsPruned is true when the initial cycle dropped its retry queue
	// because too many objects failed.
	EscrowsPruned bool
	// LastExecution is the most recent run; nil when there was none.
	LastExecution *Execution
	// LastSuccessfulExecution is the most recent run without errors.
	LastSuccessfulExecution *Execution
	// LastSuccessfulExecutionWithExports is the most recent run that
	// wrote something to the app.
	LastSuccessfulExecutionWithExports *Execution
	// Progress describes the running cycle, if any.
	Progress []Progress
	// Quarantine is set when the job is (or was being evaluated for being)
	// quarantined.
	Quarantine *Quarantine
	// SteadyStateFirstAchieved is when the initial cycle first finished;
	// zero means never.
	SteadyStateFirstAchieved time.Time
	// SteadyStateLastAchieved is when steady state was last reached.
	SteadyStateLastAchieved time.Time
	// EntryCounts are the synchronized objects per mapping ("user to User").
	EntryCounts []EntryCount
	// TroubleshootingURL is Graph's link for the current error, if any.
	TroubleshootingURL string
}

// EntryCount is one synchronizedEntryCountByType pair.
type EntryCount struct {
	Key   string
	Value int64
}

// Count returns the synchronized count for mappings whose key starts with
// the given source object type ("user" or "group"), summed.
func (s JobStatus) Count(objectType string) (int64, bool) {
	var n int64
	found := false
	for _, c := range s.EntryCounts {
		if strings.HasPrefix(strings.ToLower(c.Key), strings.ToLower(objectType)) {
			n += c.Value
			found = true
		}
	}
	return n, found
}

// StatusCode is a job's high-level state.
type StatusCode string

// The members of Graph's synchronizationStatusCode enum, plus StatusUnknown.
const (
	StatusNotConfigured StatusCode = "NotConfigured"
	StatusNotRun        StatusCode = "NotRun"
	StatusActive        StatusCode = "Active"
	StatusPaused        StatusCode = "Paused"
	StatusQuarantine    StatusCode = "Quarantine"
	StatusUnknown       StatusCode = "Unknown"
)

// ParseStatusCode maps a wire value to a StatusCode, ignoring case.
func ParseStatusCode(s string) StatusCode {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "notconfigured":
		return StatusNotConfigured
	case "notrun":
		return StatusNotRun
	case "active":
		return StatusActive
	case "paused":
		return StatusPaused
	case "quarantine", "quarantined":
		return StatusQuarantine
	default:
		return StatusUnknown
	}
}

// Execution is one run of a job (Graph's synchronizationTaskExecution).
type Execution struct {
	// ActivityID identifies the run (the portal's "Activity ID").
	ActivityID string
	// State is how the run ended.
	State ExecutionState
	// RawState is the state as the wire spelled it.
	RawState string
	// Began and Ended bound the run; either may be zero (never).
	Began, Ended time.Time
	// Counters reported for the run.
	CountEntitled, CountEntitledForProvisioning int64
	CountEscrowed, CountEscrowedRaw             int64
	CountExported, CountExports                 int64
	CountImported, CountImportedDeltas          int64
	CountImportedReferenceDeltas                int64
	// Error is set when the run hit an error.
	Error *SyncError
}

// ExecutionState is how a run ended.
type ExecutionState string

// The members of Graph's synchronizationTaskExecutionResult enum, plus
// ExecutionUnknown.
const (
	ExecutionSucceeded       ExecutionState = "Succeeded"
	ExecutionFailed          ExecutionState = "Failed"
	ExecutionEntryLevelError ExecutionState = "EntryLevelErrors"
	ExecutionUnknown         ExecutionState = "Unknown"
)

// ParseExecutionState maps a wire value to an ExecutionState, ignoring case.
func ParseExecutionState(s string) ExecutionState {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "succeeded":
		return ExecutionSucceeded
	case "failed":
		return ExecutionFailed
	case "entrylevelerrors":
		return ExecutionEntryLevelError
	default:
		return ExecutionUnknown
	}
}

// Quarantine is Graph's synchronizationQuarantine.
type Quarantine struct {
	// Reason is why the job is quarantined.
	Reason QuarantineReason
	// RawReason is the reason as the wire spelled it (may be "").
	RawReason string
	// CurrentBegan is when the quarantine was last imposed; zero if never.
	CurrentBegan time.Time
	// NextAttempt is when the service will try again; zero if unknown.
	NextAttempt time.Time
	// SeriesBegan is when the current series of quarantines began.
	SeriesBegan time.Time
	// SeriesCount is how many times the quarantine was re-evaluated and kept.
	SeriesCount int64
	// Error is the error that caused it.
	Error *SyncError
}

// SyncError is Graph's synchronizationError.
type SyncError struct {
	// Code is the error code ("None" means no error).
	Code string `json:"code"`
	// Message is the service's explanation.
	Message string `json:"message,omitzero"`
	// TenantActionable is true when the customer can fix it.
	TenantActionable bool `json:"tenantActionable"`
}

// IsNone reports whether the error is absent or the "None" placeholder.
func (e *SyncError) IsNone() bool {
	return e == nil || e.Code == "" && e.Message == "" || strings.EqualFold(e.Code, "none") && e.Message == ""
}

// Text is the error as one line: "Code: Message", or whichever of the two
// is set ("" for none).
func (e *SyncError) Text() string {
	switch {
	case e.IsNone():
		return ""
	case e.Code == "" || strings.EqualFold(e.Code, "none"):
		return e.Message
	case e.Message == "":
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// QuarantineReason is why a job is quarantined.
type QuarantineReason string

// The members of Graph's quarantineReason enum, plus QuarantineUnspecified
// for an empty or unknown reason.
const (
	QuarantineBaseEscrowThreshold       QuarantineReason = "EncounteredBaseEscrowThreshold"
	QuarantineTotalEscrowThreshold      QuarantineReason = "EncounteredTotalEscrowThreshold"
	QuarantineEscrowProportionThreshold QuarantineReason = "EncounteredEscrowProportionThreshold"
	QuarantineException                 QuarantineReason = "EncounteredQuarantineException"
	QuarantineOnDemand                  QuarantineReason = "QuarantinedOnDemand"
	QuarantineTooManyDeletes            QuarantineReason = "TooManyDeletes"
	QuarantineIngestionInterrupted      QuarantineReason = "IngestionInterrupted"
	QuarantineUnknown                   QuarantineReason = "Unknown"
	QuarantineUnspecified               QuarantineReason = ""
)

// ParseQuarantineReason maps a wire value to a QuarantineReason, ignoring
// case. "QuarantineOnDemand" (the docs' spelling) is accepted.
func ParseQuarantineReason(s string) QuarantineReason {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "encounteredbaseescrowthreshold":
		return QuarantineBaseEscrowThreshold
	case "encounteredtotalescrowthreshold":
		return QuarantineTotalEscrowThreshold
	case "encounteredescrowproportionthreshold":
		return QuarantineEscrowProportionThreshold
	case "encounteredquarantineexception":
		return QuarantineException
	case "quarantinedondemand", "quarantineondemand":
		return QuarantineOnDemand
	case "toomanydeletes":
		return QuarantineTooManyDeletes
	case "ingestioninterrupted":
		return QuarantineIngestionInterrupted
	case "unknown":
		return QuarantineUnknown
	default:
		return QuarantineUnspecified
	}
}

// Progress is Graph's synchronizationProgress: how far the running cycle is.
// The portal's bar counts pages, not users.
type Progress struct {
	CompletedUnits int64
	TotalUnits     int64
	Units          string
	ObservedAt     time.Time
}

// Percent returns the progress as a whole percentage, and false when the
// total is unknown.
func (p Progress) Percent() (int, bool) {
	if p.TotalUnits <= 0 {
		return 0, false
	}
	pct := int(p.CompletedUnits * 100 / p.TotalUnits)
	return min(max(pct, 0), 100), true
}

// IsNever reports whether t is Graph's "never": the zero time, which is how
// 0001-01-01T00:00:00Z and empty-string timestamps decode.
func IsNever(t time.Time) bool { return t.IsZero() || t.Year() <= 1 }

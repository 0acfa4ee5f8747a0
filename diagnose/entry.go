package diagnose

import (
	"strings"
	"time"
)

// Entry is one provisioning log entry (Graph's provisioningObjectSummary):
// one thing the provisioning service did, or tried to do, to one object.
type Entry struct {
	// ID is the entry's own id (opaque; not always a GUID).
	ID string
	// ActivityTime is when the event happened, in UTC.
	ActivityTime time.Time
	// ChangeID identifies this change within its cycle; support asks for it.
	ChangeID string
	// CycleID identifies the job iteration (cycle) the event belongs to.
	CycleID string
	// JobID is the provisioning job's id (the synchronizationJob id).
	JobID string
	// TenantID is the Entra tenant the entry belongs to.
	TenantID string

	// Action is what the service did (create, update, disable, ...).
	Action Action
	// RawAction is the action as the wire spelled it ("create", "Create",
	// "stageddelete", or a value this package does not know).
	RawAction string
	// Status is the outcome of the whole event.
	Status Result
	// RawStatus is the status as the wire spelled it.
	RawStatus string
	// Error holds the error details; nil when Graph sent none (success).
	Error *ErrorInfo

	// Steps are the ordered provisioning steps (import, scoping, matching,
	// processing, reference resolution, export).
	Steps []Step
	// Modified lists the attributes the event touched.
	Modified []ModifiedProperty

	// Source is the object in the source system (for outbound provisioning
	// the Entra user; its ID is the user's object id).
	Source Identity
	// Target is the object in the target system; Target.ID is empty when the
	// object was never created or linked there.
	Target Identity
	// ServicePrincipal is the enterprise app the job belongs to.
	ServicePrincipal ServicePrincipal
	// SourceSystem and TargetSystem name the two systems.
	SourceSystem, TargetSystem System
	// InitiatedBy is who started the event (usually the service itself).
	InitiatedBy Initiator
	// Duration is how long the action took.
	Duration time.Duration

	// Origin is the log source the entry was read from (Microsoft Graph
	// unless set).
	Origin Origin
}

// ErrorInfo is Graph's provisioningErrorInfo: why an event failed or was
// skipped, in the service's own words.
type ErrorInfo struct {
	// Code is the error code, possibly prefixed with the connector name
	// (ContosoEntryConflict, SalesforceInvalidCredentials).
	Code string
	// Reason is the human-readable summary; it often quotes the target
	// app's HTTP status and response.
	Reason string
	// AdditionalDetails holds extra details, if any.
	AdditionalDetails string
	// Category is Graph's errorCategory (failure, nonServiceFailure, ...).
	Category string
	// RecommendedAction is the service's suggested fix (often empty).
	RecommendedAction string
}

// Step is one provisioning step of an entry.
type Step struct {
	// Name is the internal step name (EntryImport, EntrySynchronizationScoping, ...).
	Name string
	// Type is the phase the step belongs to.
	Type StepType
	// RawType is the type as the wire spelled it ("Import", "import", ...).
	RawType string
	// Status is the step's result.
	Status Result
	// RawStatus is the status as the wire spelled it.
	RawStatus string
	// Description is the service's one-line summary of the step.
	Description string
	// Details are the step's key/value details (SkipReason,
	// "Assigned to the application", ScopeEvaluationResult, ...).
	Details map[string]string
}

// Detail returns the value of a step detail, comparing the key without
// regard to case, spaces or punctuation ("Assigned to the application" and
// "AssignedToTheApplication" are the same key), and whether it was present.
func (s Step) Detail(key string) (string, bool) {
	if v, ok := s.Details[key]; ok {
		return v, true
	}
	want := foldKey(key)
	for k, v := range s.Details {
		if foldKey(k) == want {
			return v, true
		}
	}
	return "", false
}

// foldKey lowercases a detail key and drops everything but letters and digits.
func foldKey(k string) string {
	var b strings.Builder
	b.Grow(len(k))
	for _, r := range k {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		}
	}
	return b.String()
}

// ModifiedProperty is one attribute an event touched. Values are strings on
// the wire even for booleans ("True"); a null old or new value is "".
type ModifiedProperty struct {
	Name     string
	OldValue string
	NewValue string
}

// Identity is an object in the source or target system.
type Identity struct {
	// ID is the object's id in that system (empty when it does not exist).
	ID string
	// DisplayName may be empty.
	DisplayName string
	// Type is the object type: User, Group, or a SCIM schema URN.
	Type string
	// Details holds extra key/values such as UserPrincipalName.
	Details map[string]string
}

// IsGroup reports whether the identity is a group rather than a user.
func (i Identity) IsGroup() bool { return strings.EqualFold(i.Type, "group") }

// ServicePrincipal is the enterprise app a provisioning job belongs to.
type ServicePrincipal struct {
	// ID is the service principal's object id.
	ID string
	// Name is its display name.
	Name string
}

// System is the source or target system of an entry.
type System struct {
	ID          string
	DisplayName string
	Details     map[string]string
}

// Initiator is who or what started an event.
type Initiator struct {
	ID          string
	DisplayName string
	// Type is user, application or system; the wire sometimes spells the
	// property initiatingType.
	Type string
}

// Action is what the provisioning service did in an event.
type Action string

// The provisioning actions of Graph's provisioningAction enum.
const (
	ActionOther        Action = "other"
	ActionCreate       Action = "create"
	ActionUpdate       Action = "update"
	ActionDelete       Action = "delete"
	ActionDisable      Action = "disable"
	ActionStagedDelete Action = "stagedDelete"
)

// ParseAction maps a wire value to an Action, ignoring case. Unknown values
// (including unknownFutureValue) become ActionOther; callers keep the raw
// spelling alongside.
func ParseAction(s string) Action {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "create":
		return ActionCreate
	case "update":
		return ActionUpdate
	case "delete":
		return ActionDelete
	case "disable":
		return ActionDisable
	case "stageddelete", "stagedaction":
		return ActionStagedDelete
	default:
		return ActionOther
	}
}

// Result is the outcome of an event or of one of its steps.
type Result string

// The results of Graph's provisioningResult enum, plus ResultUnknown for
// values this package does not know.
const (
	ResultSuccess Result = "success"
	ResultFailure Result = "failure"
	ResultSkipped Result = "skipped"
	ResultWarning Result = "warning"
	ResultUnknown Result = "unknown"
)

// ParseResult maps a wire value to a Result, ignoring case.
func ParseResult(s string) Result {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "success", "succeeded":
		return ResultSuccess
	case "failure", "failed":
		return ResultFailure
	case "skipped":
		return ResultSkipped
	case "warning":
		return ResultWarning
	default:
		return ResultUnknown
	}
}

// StepType is the phase a provisioning step belongs to.
type StepType string

// The step types of Graph's provisioningStepType enum, plus StepUnknown.
const (
	StepImport              StepType = "import"
	StepScoping             StepType = "scoping"
	StepMatching            StepType = "matching"
	StepProcessing          StepType = "processing"
	StepReferenceResolution StepType = "referenceResolution"
	StepExport              StepType = "export"
	StepUnknown             StepType = "unknown"
)

// ParseStepType maps a wire value to a StepType, ignoring case ("Import"
// and "import" both occur in Graph's own examples).
func ParseStepType(s string) StepType {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "import":
		return StepImport
	case "scoping":
		return StepScoping
	case "matching":
		return StepMatching
	case "processing":
		return StepProcessing
	case "referenceresolution":
		return StepReferenceResolution
	case "export":
		return StepExport
	default:
		return StepUnknown
	}
}

// Step returns the first step of the given type and whether there was one.
func (e *Entry) Step(t StepType) (Step, bool) {
	for _, s := range e.Steps {
		if s.Type == t {
			return s, true
		}
	}
	return Step{}, false
}

// FailedStep returns the first step that failed or was skipped, if any.
func (e *Entry) FailedStep() (Step, bool) {
	for _, s := range e.Steps {
		if s.Status == ResultFailure || s.Status == ResultSkipped {
			return s, true
		}
	}
	return Step{}, false
}

// ErrorCode returns the entry's error code, or "" when there is none.
func (e *Entry) ErrorCode() string {
	if e.Error == nil {
		return ""
	}
	return e.Error.Code
}

// Detail looks a key up in every step's details, in step order, and
// returns the first value found.
func (e *Entry) Detail(key string) (string, bool) {
	for _, s := range e.Steps {
		if v, ok := s.Detail(key); ok {
			return v, true
		}
	}
	return "", false
}

// SourceUPN returns the source user's principal name: from the source
// identity's details (UserPrincipalName), else from a step's imported
// userPrincipalName; "" when the entry has neither.
func (e *Entry) SourceUPN() string {
	for k, v := range e.Source.Details {
		if strings.EqualFold(k, "UserPrincipalName") {
			return v
		}
	}
	if v, ok := e.Detail("userPrincipalName"); ok {
		return v
	}
	return ""
}

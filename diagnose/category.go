package diagnose

// Category is a diagnosis verdict. The strings are a public contract: the
// JSON output and the Teams cards use exactly these values.
type Category string

// The verdict categories.
const (
	Provisioned                Category = "provisioned"
	AlreadyInSync              Category = "already-in-sync"
	PendingNextCycle           Category = "pending-next-cycle"
	InitialCycleRunning        Category = "initial-cycle-running"
	JobNotConfigured           Category = "job-not-configured"
	JobPaused                  Category = "job-paused"
	JobQuarantinedCredentials  Category = "job-quarantined-credentials"
	JobQuarantinedErrors       Category = "job-quarantined-errors"
	JobQuarantinedDeletes      Category = "job-quarantined-deletes"
	JobQuarantinedOther        Category = "job-quarantined-other"
	JobDisabledAfterQuarantine Category = "job-disabled-after-quarantine"
	JobRunFailed               Category = "job-run-failed"
	NotAssigned                Category = "not-assigned"
	NestedGroupOnly            Category = "nested-group-only"
	NotEffectivelyEntitled     Category = "not-effectively-entitled"
	UserDisabled               Category = "user-disabled"
	UserDeleted                Category = "user-deleted"
	ScopingFilter              Category = "scoping-filter"
	MatchingAttributeMissing   Category = "matching-attribute-missing"
	MatchingConflict           Category = "matching-conflict"
	DuplicateMatch             Category = "duplicate-match"
	InvalidAnchor              Category = "invalid-anchor"
	MissingRequiredAttribute   Category = "missing-required-attribute"
	AttributeMapping           Category = "attribute-mapping"
	InvalidDomain              Category = "invalid-domain"
	LicenseLimit               Category = "license-limit"
	TargetPermission           Category = "target-permission"
	TargetTransient            Category = "target-transient"
	TargetRejected             Category = "target-rejected"
	ReferenceUnresolved        Category = "reference-unresolved"
	Deprovisioned              Category = "deprovisioned"
	DeletesHeld                Category = "deletes-held"
	CrossTenantPolicy          Category = "cross-tenant-policy"
	GuestUserMapping           Category = "guest-user-mapping"
	NoLogs                     Category = "no-logs"
	UnknownError               Category = "unknown-error"
)

// Categories lists every category in the contract, in a stable order.
func Categories() []Category {
	return []Category{
		Provisioned, AlreadyInSync, PendingNextCycle, InitialCycleRunning,
		JobNotConfigured, JobPaused, JobQuarantinedCredentials, JobQuarantinedErrors,
		JobQuarantinedDeletes, JobQuarantinedOther, JobDisabledAfterQuarantine, JobRunFailed,
		NotAssigned, NestedGroupOnly, NotEffectivelyEntitled, UserDisabled, UserDeleted,
		ScopingFilter, MatchingAttributeMissing, MatchingConflict, DuplicateMatch, InvalidAnchor,
		MissingRequiredAttribute, AttributeMapping, InvalidDomain, LicenseLimit, TargetPermission,
		TargetTransient, TargetRejected, ReferenceUnresolved, Deprovisioned, DeletesHeld,
		CrossTenantPolicy, GuestUserMapping, NoLogs, UnknownError,
	}
}

// Severity says how bad a verdict is.
type Severity string

// The severities, from best to worst.
const (
	SeverityOK      Severity = "ok"
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityError   Severity = "error"
)

// Mark is the severity in one character, for terminals and Markdown:
// ✓ (OK), ! (warning), ✗ (error), i (information).
func (s Severity) Mark() string {
	switch s {
	case SeverityOK:
		return "✓"
	case SeverityWarning:
		return "!"
	case SeverityError:
		return "✗"
	default:
		return "i"
	}
}

// Rank orders severities: higher is worse.
func (s Severity) Rank() int {
	switch s {
	case SeverityOK:
		return 0
	case SeverityInfo:
		return 1
	case SeverityWarning:
		return 2
	case SeverityError:
		return 3
	default:
		return 1
	}
}

// Audience is who the explanation is written for.
type Audience string

// The audiences.
const (
	// EndUser is the person whose account it is: plain words, no ids, no
	// other people's data.
	EndUser Audience = "end-user"
	// HelpDesk is a help-desk agent or admin: plain words plus the
	// technical evidence.
	HelpDesk Audience = "help-desk"
)

// Party is who should act on a recommendation.
type Party string

// The parties a recommendation can address.
const (
	PartyNobody   Party = "nobody"
	PartyUser     Party = "user"
	PartyHelpDesk Party = "help-desk"
	PartyAppAdmin Party = "app-admin"
	PartyVendor   Party = "app-vendor"
)

// Label names the party for people: "Help desk", "App admin"; the user is
// "You" when the audience is that user.
func (p Party) Label(aud Audience) string {
	switch p {
	case PartyUser:
		if aud == EndUser {
			return "You"
		}
		return "User"
	case PartyHelpDesk:
		return "Help desk"
	case PartyAppAdmin:
		return "App admin"
	case PartyVendor:
		return "App vendor"
	default:
		return "Nobody"
	}
}

package diagnose

import (
	"slices"
	"strings"
)

// OnDemandResult is what provisioning one user on demand answered: the
// service's verdict and the steps it ran, read from the
// stringKeyStringValuePair that synchronizationJob: provisionOnDemand
// returns (its key is JSON holding the result and the error details, its
// value JSON holding the steps).
// https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-provisionondemand
type OnDemandResult struct {
	// Result is the service's verdict as sent: "Success", "Skipped",
	// "Failure" (or a value this package does not know).
	Result string
	// ErrorCode and ErrorMessage are the verdict's details, when sent.
	ErrorCode, ErrorMessage string
	// Entry holds the steps as a provisioning log entry, so the rules read
	// them as they read the logs. Its ID starts with OnDemandEntryPrefix.
	Entry Entry
	// RequestID is Graph's request-id of the write, for Microsoft support.
	RequestID string
}

// OnDemandEntryPrefix starts the ID of an entry made from an on-demand
// answer (which carries a change id but no entry id of its own).
const OnDemandEntryPrefix = "ondemand:"

// Succeeded reports whether the service reported success.
func (r OnDemandResult) Succeeded() bool { return ParseResult(r.Result) == ResultSuccess }

// WriteAccess says whether provbot may take the actions that write
// through Microsoft Graph (provision on demand, restart a job), which
// need the Synchronization.ReadWrite.All permission.
type WriteAccess struct {
	// Granted is true when the permission is known to be held.
	Granted bool
	// Reason says how that was found, or why not, in an operator's words:
	// "the Graph token's roles include Synchronization.ReadWrite.All".
	Reason string
}

// WritePermission is the Graph application permission the write actions
// need.
const WritePermission = "Synchronization.ReadWrite.All"

// WithOnDemand returns in with the entry of an on-demand answer added, so
// that the answer is diagnosed with everything else known, unless the
// logs already hold it (the same change id). The entry is named after
// the app and the user as in knows them (the answer names neither).
func (in Input) WithOnDemand(r OnDemandResult) Input {
	e := r.Entry
	for _, x := range in.Entries {
		if e.ChangeID != "" && x.ChangeID == e.ChangeID {
			return in
		}
	}
	for _, app := range in.Apps {
		if strings.EqualFold(app.ID, e.ServicePrincipal.ID) {
			if e.ServicePrincipal.Name == "" {
				e.ServicePrincipal.Name = app.Name
			}
			if e.TargetSystem.DisplayName == "" {
				e.TargetSystem.DisplayName = app.Name
			}
		}
	}
	if in.User != nil && e.Source.DisplayName == "" {
		e.Source.DisplayName = in.User.DisplayName
	}
	in.Entries = append(slices.Clone(in.Entries), e)
	return in
}

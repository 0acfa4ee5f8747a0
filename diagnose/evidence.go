package diagnose

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// evidence lists the facts behind a verdict: the newest entry's status,
// action, error and decisive steps; the job's state when it matters; the
// assignment when it matters; and the rule's own additions.
func evidence(c *Case, r *Rule) []Evidence {
	var ev []Evidence
	if e := c.Latest; e != nil {
		add := func(field, value string) {
			if value == "" {
				return
			}
			ev = append(ev, Evidence{Field: field, Value: value, ChangeID: e.ChangeID, CycleID: e.CycleID, Time: e.ActivityTime})
		}
		add("provisioningStatusInfo.status", nonEmpty(e.RawStatus, string(e.Status)))
		add("provisioningAction", nonEmpty(e.RawAction, string(e.Action)))
		if e.Error != nil {
			add("errorInformation.errorCode", e.Error.Code)
			add("errorInformation.errorCategory", e.Error.Category)
			add("errorInformation.reason", shorten(e.Error.Reason, 300))
		}
		for i, s := range e.Steps {
			if s.Status == ResultFailure || s.Status == ResultSkipped {
				add(fmt.Sprintf("provisioningSteps[%d] %s (%s)", i, s.Name, nonEmpty(s.RawType, string(s.Type))), nonEmpty(s.RawStatus, string(s.Status))+": "+s.Description)
			}
		}
		for _, key := range evidenceDetails {
			if v, ok := e.Detail(key); ok {
				add("details."+key, shorten(v, 300))
			}
		}
		if e.Target.ID != "" {
			add("targetIdentity.id", e.Target.ID)
		}
	}
	if c.Job != nil && (r.Family == FamilyJob || r.Tier == TierJobBlocked || r.Tier == TierJobSlow || r.Category == PendingNextCycle) {
		ev = append(ev, jobEvidence(c.Job)...)
	}
	if a := c.Assignment; a != nil && (r.Family == FamilyNoLogs || r.Family == FamilySkipped || r.Category == PendingNextCycle) {
		ev = append(ev, Evidence{Field: "assignment", Value: assignmentWords(a), Time: a.Since})
		if a.Scope != ScopeUnknown {
			ev = append(ev, Evidence{Field: "scope", Value: string(a.Scope)})
		}
	}
	if c.User != nil && (r.Category == UserDisabled || r.Category == UserDeleted) {
		ev = append(ev, Evidence{Field: "user.accountEnabled", Value: strconv.FormatBool(c.User.Enabled)})
		if c.User.SoftDeleted {
			ev = append(ev, Evidence{Field: "user.deletedDateTime", Value: c.User.DeletedAt.UTC().Format(time.RFC3339), Time: c.User.DeletedAt})
		}
	}
	if r.Evidence != nil {
		ev = append(ev, r.Evidence(c)...)
	}
	return ev
}

// evidenceDetails are the step details worth quoting as evidence.
var evidenceDetails = []string{
	"SkipReason", "Assigned to the application", "Active in the source system",
	"IsActive", "Assigned", "User has the required role", "IsEffectivelyEntitledForProvisioning",
	"Scoping filter evaluation passed", "ScopeEvaluationResult", "IsSoftDeleted",
}

// jobEvidence lists the job fields that describe its state.
func jobEvidence(j *Job) []Evidence {
	st := j.Status
	ev := []Evidence{
		{Field: "job.id", Value: j.ID},
		{Field: "status.code", Value: nonEmpty(st.RawCode, string(st.Code))},
		{Field: "schedule.state", Value: nonEmpty(j.Schedule.RawState, string(j.Schedule.State))},
	}
	if q := st.Quarantine; q != nil {
		ev = append(ev, Evidence{Field: "quarantine.reason", Value: nonEmpty(q.RawReason, "(empty)"), Time: q.CurrentBegan})
		if q.Error != nil && !q.Error.IsNone() {
			ev = append(ev, Evidence{Field: "quarantine.error.code", Value: q.Error.Code})
			ev = append(ev, Evidence{Field: "quarantine.error.tenantActionable", Value: strconv.FormatBool(q.Error.TenantActionable)})
		}
		if !IsNever(q.SeriesBegan) {
			ev = append(ev, Evidence{Field: "quarantine.seriesBegan", Value: q.SeriesBegan.UTC().Format(time.RFC3339), Time: q.SeriesBegan})
		}
		if !IsNever(q.NextAttempt) {
			ev = append(ev, Evidence{Field: "quarantine.nextAttempt", Value: q.NextAttempt.UTC().Format(time.RFC3339), Time: q.NextAttempt})
		}
	}
	if le := st.LastExecution; le != nil {
		ev = append(ev, Evidence{Field: "lastExecution.state", Value: nonEmpty(le.RawState, string(le.State)), Time: le.Ended})
		if le.Error != nil && !le.Error.IsNone() {
			ev = append(ev, Evidence{Field: "lastExecution.error.code", Value: le.Error.Code})
		}
	}
	if IsNever(st.SteadyStateFirstAchieved) {
		ev = append(ev, Evidence{Field: "steadyStateFirstAchievedTime", Value: "never"})
	}
	if st.EscrowsPruned {
		ev = append(ev, Evidence{Field: "escrowsPruned", Value: "true"})
	}
	return ev
}

func assignmentWords(a *Assignment) string {
	switch a.Kind {
	case AssignmentDirect:
		return "assigned directly"
	case AssignmentGroup:
		return "assigned through group " + a.Group
	case AssignmentNestedGroupOnly:
		return "only through nested group " + a.ViaGroup + " inside " + a.Group
	case AssignmentNone:
		return "not assigned"
	default:
		return "unknown"
	}
}

func nonEmpty(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

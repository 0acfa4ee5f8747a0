package bot

import (
	"fmt"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// jobCondition is one thing about a provisioning job the help desk is
// alerted to, once per episode.
type jobCondition string

// The conditions, each the last word of its episode's key.
const (
	condQuarantine  jobCondition = "quarantine"
	condDeletesHeld jobCondition = "deletes-held"
	condPaused      jobCondition = "paused"
	condDisabled    jobCondition = "disabled"
	condRunFailed   jobCondition = "run-failed"
	condErrors      jobCondition = "errors"
)

// errorsFor is how long a job may run with errors before it is alerted.
const errorsFor = 24 * time.Hour

// conditionsOf reads the conditions a job is in now.
func conditionsOf(j *diagnose.Job, now time.Time) []jobCondition {
	st := j.Status
	var out []jobCondition
	switch {
	case j.Schedule.State == diagnose.ScheduleDisabled:
		out = append(out, condDisabled)
	case j.Schedule.State == diagnose.SchedulePaused || st.Code == diagnose.StatusPaused:
		out = append(out, condPaused)
	}
	if st.Code == diagnose.StatusQuarantine && j.Schedule.State != diagnose.ScheduleDisabled {
		if q := st.Quarantine; q != nil && q.Reason == diagnose.QuarantineTooManyDeletes {
			out = append(out, condDeletesHeld)
		} else {
			out = append(out, condQuarantine)
		}
		return out
	}
	if len(out) > 0 {
		return out
	}
	le := st.LastExecution
	if le == nil {
		return out
	}
	if le.State == diagnose.ExecutionFailed || st.CountSuccessiveCompleteFailures > 1 {
		return append(out, condRunFailed)
	}
	if le.State == diagnose.ExecutionEntryLevelError {
		// Errors for more than a day: no clean run for errorsFor. When no
		// clean run is known, how long is unknown: no alert.
		if ls := st.LastSuccessfulExecution; ls != nil && !diagnose.IsNever(ls.Ended) && now.Sub(ls.Ended) > errorsFor {
			out = append(out, condErrors)
		}
	}
	return out
}

// alertTitle says, for the help desk's channel, what happened to app.
func alertTitle(c jobCondition, app string, ended bool) string {
	if ended {
		switch c {
		case condQuarantine, condDeletesHeld:
			return fmt.Sprintf("✓ %s provisioning is out of quarantine", app)
		case condPaused, condDisabled:
			return fmt.Sprintf("✓ %s provisioning is turned back on", app)
		case condRunFailed:
			return fmt.Sprintf("✓ %s provisioning runs are getting through again", app)
		default:
			return fmt.Sprintf("✓ %s provisioning runs without errors again", app)
		}
	}
	switch c {
	case condQuarantine:
		return fmt.Sprintf("⚠ %s provisioning is quarantined", app)
	case condDeletesHeld:
		return fmt.Sprintf("⚠ %s provisioning is holding deletions back", app)
	case condPaused:
		return fmt.Sprintf("⚠ %s provisioning is paused", app)
	case condDisabled:
		return fmt.Sprintf("⚠ %s provisioning is switched off", app)
	case condRunFailed:
		return fmt.Sprintf("⚠ %s provisioning runs are failing as a whole", app)
	default:
		return fmt.Sprintf("⚠ %s provisioning has had errors for more than a day", app)
	}
}

// whoActs says who must act on a condition, and what they do.
func whoActs(c jobCondition, app string, ended bool) string {
	if ended {
		return "Nobody: provisioning works again. Accounts that waited are picked up at the next cycle."
	}
	switch c {
	case condQuarantine:
		return fmt.Sprintf("The %s admin: fix the cause shown on the app's Provisioning page in Entra ID, then restart provisioning. Until then nobody's %s account is created or updated.", app, app)
	case condDeletesHeld:
		return fmt.Sprintf("The %s admin: if the removals are wanted, allow them; if not, fix the assignments or the scope. Then restart provisioning.", app)
	case condPaused, condDisabled:
		return fmt.Sprintf("The %s admin: turn provisioning back on in Entra ID when it should run again.", app)
	case condRunFailed:
		return fmt.Sprintf("Nobody yet: the service tries again each cycle. If it keeps failing, the %s admin checks the app's address and admin credentials.", app)
	default:
		return "The help desk: ask me about one of the failing accounts; each answer says who fixes it."
	}
}

package bot

import (
	"slices"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

func TestJobConditionsAreReadFromTheJobsState(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ok := &diagnose.Execution{State: diagnose.ExecutionSucceeded, Began: now.Add(-12 * time.Minute), Ended: now.Add(-10 * time.Minute)}
	job := func(edit func(j *diagnose.Job)) *diagnose.Job {
		j := &diagnose.Job{ID: "job", Schedule: diagnose.Schedule{Interval: 40 * time.Minute, State: diagnose.ScheduleActive},
			Status: diagnose.JobStatus{Code: diagnose.StatusActive, LastExecution: ok, LastSuccessfulExecution: ok}}
		edit(j)
		return j
	}
	errorsRun := &diagnose.Execution{State: diagnose.ExecutionEntryLevelError, Began: now.Add(-12 * time.Minute), Ended: now.Add(-10 * time.Minute)}
	for _, tc := range []struct {
		name string
		job  *diagnose.Job
		want []jobCondition
	}{
		{"healthy", job(func(j *diagnose.Job) {}), nil},
		{"quarantined", job(func(j *diagnose.Job) {
			j.Status.Code = diagnose.StatusQuarantine
			j.Status.Quarantine = &diagnose.Quarantine{Reason: diagnose.QuarantineEscrowProportionThreshold}
		}), []jobCondition{condQuarantine}},
		{"deletions held over the threshold", job(func(j *diagnose.Job) {
			j.Status.Code = diagnose.StatusQuarantine
			j.Status.Quarantine = &diagnose.Quarantine{Reason: diagnose.QuarantineTooManyDeletes}
		}), []jobCondition{condDeletesHeld}},
		{"paused", job(func(j *diagnose.Job) {
			j.Schedule.State = diagnose.SchedulePaused
			j.Status.Code = diagnose.StatusPaused
		}), []jobCondition{condPaused}},
		{"switched off after a quarantine", job(func(j *diagnose.Job) {
			j.Schedule.State = diagnose.ScheduleDisabled
			j.Status.Code = diagnose.StatusQuarantine
		}), []jobCondition{condDisabled}},
		{"whole runs failing", job(func(j *diagnose.Job) {
			j.Status.LastExecution = &diagnose.Execution{State: diagnose.ExecutionFailed, Ended: now.Add(-time.Hour)}
			j.Status.CountSuccessiveCompleteFailures = 4
		}), []jobCondition{condRunFailed}},
		{"errors for two days", job(func(j *diagnose.Job) {
			j.Status.LastExecution = errorsRun
			j.Status.LastSuccessfulExecution = &diagnose.Execution{State: diagnose.ExecutionSucceeded, Ended: now.Add(-48 * time.Hour)}
		}), []jobCondition{condErrors}},
		{"errors for an hour", job(func(j *diagnose.Job) {
			j.Status.LastExecution = errorsRun
			j.Status.LastSuccessfulExecution = &diagnose.Execution{State: diagnose.ExecutionSucceeded, Ended: now.Add(-time.Hour)}
		}), nil},
		{"errors, no clean run known: how long is unknown", job(func(j *diagnose.Job) {
			j.Status.LastExecution = errorsRun
			j.Status.LastSuccessfulExecution = nil
		}), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := conditionsOf(tc.job, now); !slices.Equal(got, tc.want) {
				t.Errorf("conditions %v, want %v", got, tc.want)
			}
		})
	}
}

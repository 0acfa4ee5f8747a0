package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// fakeGraphError is an error shaped like graph.Error: a kind, an HTTP
// status and a wait.
type fakeGraphError struct {
	kind   error
	status int
	wait   time.Duration
}

func (e fakeGraphError) Error() string            { return fmt.Sprintf("graph: %d", e.status) }
func (e fakeGraphError) Is(target error) bool     { return target == e.kind }
func (e fakeGraphError) HTTPStatus() int          { return e.status }
func (e fakeGraphError) RetryWait() time.Duration { return e.wait }
func (e fakeGraphError) GraphRequestID() string   { return "req-1" }

// TestWriteRefusalsInPlainWords: each way Graph refuses a write is told
// in words, without codes, and says whether trying again can work.
func TestWriteRefusalsInPlainWords(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		says  string
		retry bool
	}{
		{"throttled with a wait", fakeGraphError{diagnose.ErrThrottled, 429, 7 * time.Second}, "Try again in 7 seconds", true},
		{"throttled without", fakeGraphError{diagnose.ErrThrottled, 429, 0}, "5 every 10 seconds", true},
		{"one at a time", fakeGraphError{diagnose.ErrInvalid, 409, 0}, "one person on demand at a time", true},
		{"no permission", fakeGraphError{diagnose.ErrForbidden, 403, 0}, "Synchronization.ReadWrite.All", false},
		{"gone", fakeGraphError{diagnose.ErrNotFound, 404, 0}, "no longer exists", false},
		{"no answer in time", context.DeadlineExceeded, "can't tell whether it was done", false},
		{"unavailable", fakeGraphError{diagnose.ErrUnavailable, 503, 0}, "did not answer", true},
		{"provbot's own pacing", errOwnOnDemand, "provbot has just sent that many", true},
		{"the job's lease is held", errJobBusy, "one person on demand at a time", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, retry := writeRefusal(tc.err, "provision Diego", "ServiceNow")
			if !strings.Contains(text, tc.says) || retry != tc.retry {
				t.Errorf("%q (retry %v); want %q, retry %v", text, retry, tc.says, tc.retry)
			}
			if strings.Contains(text, "409") || strings.Contains(text, "429") {
				t.Errorf("a status code in the words: %q", text)
			}
		})
	}
}

// TestProvisionHelps: offered for waits, retries and fixable data, never
// for people the cycle skips or while the job is stopped.
func TestProvisionHelps(t *testing.T) {
	active := &diagnose.AppStatus{JobID: "j", Code: diagnose.StatusActive}
	for _, tc := range []struct {
		cat    diagnose.Category
		status *diagnose.AppStatus
		want   bool
	}{
		{diagnose.PendingNextCycle, active, true},
		{diagnose.MissingRequiredAttribute, active, true},
		{diagnose.MatchingConflict, active, true},
		{diagnose.NotAssigned, active, false},
		{diagnose.NestedGroupOnly, active, false},
		{diagnose.ScopingFilter, active, false},
		{diagnose.UserDisabled, active, false},
		{diagnose.Provisioned, active, false},
		{diagnose.PendingNextCycle, &diagnose.AppStatus{JobID: "j", Code: diagnose.StatusPaused}, false},
		{diagnose.PendingNextCycle, &diagnose.AppStatus{JobID: "j", Code: diagnose.StatusActive, Quarantined: true}, false},
		{diagnose.PendingNextCycle, nil, false},
	} {
		d := diagnose.Diagnosis{Category: tc.cat, Status: tc.status}
		if got := provisionHelps(d); got != tc.want {
			t.Errorf("%s with %+v: %v, want %v", tc.cat, tc.status, got, tc.want)
		}
	}
}

package graph_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
)

// wantPausedJob is Microsoft's v1.0 get-job example (paused, quarantined
// for invalid credentials), field by field.
func wantPausedJob() diagnose.Job {
	return diagnose.Job{
		ID:         "{jobId}",
		TemplateID: "BoxOutDelta",
		Schedule:   diagnose.Schedule{Unscheduled: true, State: diagnose.ScheduleDisabled, RawState: "Disabled"},
		Status: diagnose.JobStatus{
			Code: diagnose.StatusPaused, RawCode: "Paused",
			Quarantine: &diagnose.Quarantine{
				Reason:      diagnose.QuarantineUnspecified,
				SeriesCount: 2,
				Error: &diagnose.SyncError{
					Code: "SalesforceInvalidCredentials",
					Message: "Your Salesforce.com credentials are invalid.  Please obtain a current Salesforce.com administrative user name, password and security token, " +
						"and enter those in the screen for configuring user provisioning",
					TenantActionable: true,
				},
			},
		},
		Settings: []diagnose.Setting{{Name: "QuarantineTooManyDeletesThreshold", Value: "500"}},
	}
}

func TestDocumentationJobExampleConvertsWithoutLoss(t *testing.T) {
	const name = "synchronizationJob-get-v1-paused-quarantine-invalidcredentials.json"
	for _, dir := range exampleDirs {
		t.Run(dir, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, name))
			if os.IsNotExist(err) {
				t.Skipf("%s not present", dir)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := graph.ReadJobs(f)
			if err != nil {
				t.Fatalf("ReadJobs: %v", err)
			}
			if diff := cmp.Diff([]diagnose.Job{wantPausedJob()}, got); diff != "" {
				t.Errorf("example job (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJobSchedulesAndOddFields(t *testing.T) {
	for _, tc := range []struct {
		name  string
		json  string
		check func(t *testing.T, j diagnose.Job)
	}{
		{"PT40M is forty minutes", `{"id": "j", "schedule": {"interval": "PT40M", "state": "Active"}}`,
			func(t *testing.T, j diagnose.Job) {
				if j.Schedule.Interval != 40*time.Minute || j.Schedule.Unscheduled || j.Schedule.State != diagnose.ScheduleActive {
					t.Errorf("schedule = %+v", j.Schedule)
				}
			}},
		{"TimeSpan.MaxValue is unscheduled", `{"id": "j", "schedule": {"interval": "P10675199DT2H48M5.4775807S"}}`,
			func(t *testing.T, j diagnose.Job) {
				if j.Schedule.Interval != 0 || !j.Schedule.Unscheduled {
					t.Errorf("schedule = %+v", j.Schedule)
				}
			}},
		{"days, hours and fractions add up", `{"id": "j", "schedule": {"interval": "P1DT2H3M4.5S"}}`,
			func(t *testing.T, j diagnose.Job) {
				if want := 26*time.Hour + 3*time.Minute + 4500*time.Millisecond; j.Schedule.Interval != want {
					t.Errorf("interval = %v, want %v", j.Schedule.Interval, want)
				}
			}},
		{"an unreadable interval is unknown", `{"id": "j", "schedule": {"interval": "forty minutes"}}`,
			func(t *testing.T, j diagnose.Job) {
				if j.Schedule.Interval != 0 || j.Schedule.Unscheduled {
					t.Errorf("schedule = %+v", j.Schedule)
				}
			}},
		{"empty quarantine times are never", `{"id": "j", "status": {"code": "Quarantine", "quarantine": {"currentBegan": "", "nextAttempt": "", "reason": "TooManyDeletes", "seriesBegan": "", "seriesCount": 1}}}`,
			func(t *testing.T, j diagnose.Job) {
				q := j.Status.Quarantine
				if q == nil || !q.CurrentBegan.IsZero() || !q.NextAttempt.IsZero() || q.Reason != diagnose.QuarantineTooManyDeletes || q.RawReason != "TooManyDeletes" {
					t.Errorf("quarantine = %+v", q)
				}
			}},
		{"lastExecution null is no execution", `{"id": "j", "status": {"code": "NotRun", "lastExecution": null, "quarantine": null}}`,
			func(t *testing.T, j diagnose.Job) {
				if j.Status.LastExecution != nil || j.Status.Quarantine != nil || j.Status.Code != diagnose.StatusNotRun {
					t.Errorf("status = %+v", j.Status)
				}
			}},
		{"an execution keeps every counter and a 0001 start", `{"id": "j", "status": {"lastSuccessfulExecution": {"activityIdentifier": "a", "state": "Succeeded",
			"timeBegan": "0001-01-01T00:00:00Z", "timeEnded": "2025-03-01T11:00:00Z", "countEntitled": 1, "countEntitledForProvisioning": 2, "countEscrowed": 3,
			"countEscrowedRaw": 4, "countExported": 5, "countExports": 6, "countImported": 7, "countImportedDeltas": 8, "countImportedReferenceDeltas": 9,
			"error": {"code": "None", "message": "", "tenantActionable": false}}}}`,
			func(t *testing.T, j diagnose.Job) {
				want := &diagnose.Execution{ActivityID: "a", State: diagnose.ExecutionSucceeded, RawState: "Succeeded",
					Ended: time.Date(2025, 3, 1, 11, 0, 0, 0, time.UTC), CountEntitled: 1, CountEntitledForProvisioning: 2, CountEscrowed: 3,
					CountEscrowedRaw: 4, CountExported: 5, CountExports: 6, CountImported: 7, CountImportedDeltas: 8, CountImportedReferenceDeltas: 9,
					Error: &diagnose.SyncError{Code: "None"}}
				if diff := cmp.Diff(want, j.Status.LastSuccessfulExecution); diff != "" {
					t.Errorf("execution (-want +got):\n%s", diff)
				}
			}},
		{"progress and entry counts", `{"id": "j", "status": {"progress": [{"completedUnits": 3, "totalUnits": 10, "units": "pages",
			"progressObservationDateTime": "2025-03-01T11:00:00Z"}], "synchronizedEntryCountByType": [{"key": "user to User", "value": 12}]}}`,
			func(t *testing.T, j diagnose.Job) {
				if len(j.Status.Progress) != 1 || j.Status.Progress[0].CompletedUnits != 3 || j.Status.Progress[0].TotalUnits != 10 {
					t.Errorf("progress = %+v", j.Status.Progress)
				}
				if n, ok := j.Status.Count("user"); !ok || n != 12 {
					t.Errorf("count = %d, %v", n, ok)
				}
			}},
		{"settings as the documented single object", `{"id": "j", "synchronizationJobSettings": {"QuarantineTooManyDeletesThreshold": "500"}}`,
			func(t *testing.T, j diagnose.Job) {
				if v, ok := j.Setting("QuarantineTooManyDeletesThreshold"); !ok || v != "500" {
					t.Errorf("settings = %+v", j.Settings)
				}
			}},
		{"unknown status code keeps its spelling", `{"id": "j", "status": {"code": "Hibernating"}}`,
			func(t *testing.T, j diagnose.Job) {
				if j.Status.Code != diagnose.StatusUnknown || j.Status.RawCode != "Hibernating" {
					t.Errorf("status = %+v", j.Status)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := graph.ReadJobs(strings.NewReader(tc.json))
			if err != nil {
				t.Fatalf("ReadJobs: %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d jobs, want 1", len(got))
			}
			tc.check(t, got[0])
		})
	}
}

func TestReadJobsAcceptsAListAnswerAndAnArray(t *testing.T) {
	for _, doc := range []string{
		`{"@odata.context": "x", "value": [{"id": "a"}, {"id": "b"}]}`,
		`[{"id": "a"}, {"id": "b"}]`,
	} {
		got, err := graph.ReadJobs(strings.NewReader(doc))
		if err != nil {
			t.Fatalf("ReadJobs(%s): %v", doc, err)
		}
		if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" {
			t.Errorf("ReadJobs(%s) = %+v", doc, got)
		}
	}
	if _, err := graph.ReadJobs(strings.NewReader(`"a job"`)); err == nil {
		t.Error("a JSON string was accepted as jobs")
	}
}

func TestJobsThroughTheFakeMatchTheDocumentationExample(t *testing.T) {
	// The fixture's Box job is the documentation example under another id:
	// its "" quarantine times would make the SDK's typed model fail.
	e := newEnv(t, nil, nil)
	jobs, err := e.client.Jobs(t.Context(), boxID)
	if err != nil {
		t.Fatal(err)
	}
	want := wantPausedJob()
	want.ID = "BoxOutDelta.f2f2f2f2f2f24f2f8f2ff2f2f2f2f2f2"
	want.Status.Quarantine.Error = &diagnose.SyncError{Code: "BoxInvalidCredentials", Message: "Your Box credentials are invalid.", TenantActionable: true}
	if diff := cmp.Diff([]diagnose.Job{want}, jobs); diff != "" {
		t.Errorf("Box jobs (-want +got):\n%s", diff)
	}
}

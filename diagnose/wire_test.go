package diagnose_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// This file is a small test-only decoder from Graph's wire JSON to
// diagnose types, so that fixtures keep the real wire shapes (quirks
// included). The production conversion lives in package graph.

type wireIdentity struct {
	ID           string            `json:"id"`
	DisplayName  string            `json:"displayName"`
	IdentityType string            `json:"identityType"`
	Details      map[string]string `json:"details"`
}

type wireEntry struct {
	ID                     string       `json:"id"`
	ActivityDateTime       string       `json:"activityDateTime"`
	TenantID               string       `json:"tenantId"`
	JobID                  string       `json:"jobId"`
	CycleID                string       `json:"cycleId"`
	ChangeID               string       `json:"changeId"`
	ProvisioningAction     string       `json:"provisioningAction"`
	Action                 string       `json:"action"`
	DurationInMilliseconds int64        `json:"durationInMilliseconds"`
	SourceSystem           wireIdentity `json:"sourceSystem"`
	TargetSystem           wireIdentity `json:"targetSystem"`
	InitiatedBy            struct {
		ID             string `json:"id"`
		DisplayName    string `json:"displayName"`
		InitiatorType  string `json:"initiatorType"`
		InitiatingType string `json:"initiatingType"`
	} `json:"initiatedBy"`
	ServicePrincipal       wireIdentity `json:"servicePrincipal"`
	SourceIdentity         wireIdentity `json:"sourceIdentity"`
	TargetIdentity         wireIdentity `json:"targetIdentity"`
	ProvisioningStatusInfo struct {
		Status           string `json:"status"`
		ErrorInformation *struct {
			ErrorCode         string `json:"errorCode"`
			Reason            string `json:"reason"`
			AdditionalDetails string `json:"additionalDetails"`
			ErrorCategory     string `json:"errorCategory"`
			RecommendedAction string `json:"recommendedAction"`
		} `json:"errorInformation"`
	} `json:"provisioningStatusInfo"`
	ProvisioningSteps []struct {
		Name                 string            `json:"name"`
		ProvisioningStepType string            `json:"provisioningStepType"`
		Status               string            `json:"status"`
		Description          string            `json:"description"`
		Details              map[string]string `json:"details"`
	} `json:"provisioningSteps"`
	ModifiedProperties []struct {
		DisplayName string  `json:"displayName"`
		OldValue    *string `json:"oldValue"`
		NewValue    *string `json:"newValue"`
	} `json:"modifiedProperties"`
}

func parseWireTime(t testing.TB, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v.UTC()
		}
	}
	t.Fatalf("bad wire time %q", s)
	return time.Time{}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (w wireEntry) toEntry(t testing.TB) diagnose.Entry {
	t.Helper()
	action := w.ProvisioningAction
	if action == "" {
		action = w.Action
	}
	e := diagnose.Entry{
		ID: w.ID, ActivityTime: parseWireTime(t, w.ActivityDateTime), ChangeID: w.ChangeID, CycleID: w.CycleID,
		JobID: w.JobID, TenantID: w.TenantID,
		Action: diagnose.ParseAction(action), RawAction: action,
		Status: diagnose.ParseResult(w.ProvisioningStatusInfo.Status), RawStatus: w.ProvisioningStatusInfo.Status,
		Source:           diagnose.Identity{ID: w.SourceIdentity.ID, DisplayName: w.SourceIdentity.DisplayName, Type: w.SourceIdentity.IdentityType, Details: w.SourceIdentity.Details},
		Target:           diagnose.Identity{ID: w.TargetIdentity.ID, DisplayName: w.TargetIdentity.DisplayName, Type: w.TargetIdentity.IdentityType, Details: w.TargetIdentity.Details},
		ServicePrincipal: diagnose.ServicePrincipal{ID: w.ServicePrincipal.ID, Name: w.ServicePrincipal.DisplayName},
		SourceSystem:     diagnose.System{ID: w.SourceSystem.ID, DisplayName: w.SourceSystem.DisplayName, Details: w.SourceSystem.Details},
		TargetSystem:     diagnose.System{ID: w.TargetSystem.ID, DisplayName: w.TargetSystem.DisplayName, Details: w.TargetSystem.Details},
		InitiatedBy: diagnose.Initiator{ID: w.InitiatedBy.ID, DisplayName: w.InitiatedBy.DisplayName,
			Type: firstNonEmpty(w.InitiatedBy.InitiatorType, w.InitiatedBy.InitiatingType)},
		Duration: time.Duration(w.DurationInMilliseconds) * time.Millisecond,
	}
	if ei := w.ProvisioningStatusInfo.ErrorInformation; ei != nil {
		e.Error = &diagnose.ErrorInfo{Code: ei.ErrorCode, Reason: ei.Reason, AdditionalDetails: ei.AdditionalDetails,
			Category: ei.ErrorCategory, RecommendedAction: ei.RecommendedAction}
	}
	for _, s := range w.ProvisioningSteps {
		e.Steps = append(e.Steps, diagnose.Step{Name: s.Name, Type: diagnose.ParseStepType(s.ProvisioningStepType), RawType: s.ProvisioningStepType,
			Status: diagnose.ParseResult(s.Status), RawStatus: s.Status, Description: s.Description, Details: s.Details})
	}
	for _, m := range w.ModifiedProperties {
		e.Modified = append(e.Modified, diagnose.ModifiedProperty{Name: m.DisplayName, OldValue: str(m.OldValue), NewValue: str(m.NewValue)})
	}
	return e
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// decodeEntries decodes a Graph list response ({"value": [...]}) or a bare
// JSON array of provisioningObjectSummary objects.
func decodeEntries(t testing.TB, data []byte) []diagnose.Entry {
	t.Helper()
	var list struct {
		Value []wireEntry `json:"value"`
	}
	trimmed := strings.TrimSpace(string(data))
	var ws []wireEntry
	if strings.HasPrefix(trimmed, "[") {
		if err := json.Unmarshal(data, &ws); err != nil {
			t.Fatalf("decode entries: %v", err)
		}
	} else {
		if err := json.Unmarshal(data, &list); err != nil {
			t.Fatalf("decode entries: %v", err)
		}
		ws = list.Value
	}
	out := make([]diagnose.Entry, len(ws))
	for i, w := range ws {
		out[i] = w.toEntry(t)
	}
	return out
}

type wireSyncError struct {
	Code             string `json:"code"`
	Message          string `json:"message"`
	TenantActionable bool   `json:"tenantActionable"`
}

type wireExecution struct {
	ActivityIdentifier string         `json:"activityIdentifier"`
	CountEntitled      int64          `json:"countEntitled"`
	CountEscrowed      int64          `json:"countEscrowed"`
	CountExported      int64          `json:"countExported"`
	CountImported      int64          `json:"countImported"`
	Error              *wireSyncError `json:"error"`
	State              string         `json:"state"`
	TimeBegan          string         `json:"timeBegan"`
	TimeEnded          string         `json:"timeEnded"`
}

type wireJob struct {
	ID         string `json:"id"`
	TemplateID string `json:"templateId"`
	Schedule   struct {
		Interval string `json:"interval"`
		State    string `json:"state"`
	} `json:"schedule"`
	Status struct {
		Code                               string         `json:"code"`
		CountSuccessiveCompleteFailures    int64          `json:"countSuccessiveCompleteFailures"`
		EscrowsPruned                      bool           `json:"escrowsPruned"`
		LastExecution                      *wireExecution `json:"lastExecution"`
		LastSuccessfulExecution            *wireExecution `json:"lastSuccessfulExecution"`
		LastSuccessfulExecutionWithExports *wireExecution `json:"lastSuccessfulExecutionWithExports"`
		Progress                           []struct {
			CompletedUnits             int64  `json:"completedUnits"`
			TotalUnits                 int64  `json:"totalUnits"`
			Units                      string `json:"units"`
			ProgressObservationDateTme string `json:"progressObservationDateTime"`
		} `json:"progress"`
		Quarantine *struct {
			CurrentBegan string         `json:"currentBegan"`
			NextAttempt  string         `json:"nextAttempt"`
			Reason       string         `json:"reason"`
			SeriesBegan  string         `json:"seriesBegan"`
			SeriesCount  int64          `json:"seriesCount"`
			Error        *wireSyncError `json:"error"`
		} `json:"quarantine"`
		SteadyStateFirstAchievedTime string `json:"steadyStateFirstAchievedTime"`
		SteadyStateLastAchievedTime  string `json:"steadyStateLastAchievedTime"`
		SynchronizedEntryCountByType []struct {
			Key   string `json:"key"`
			Value int64  `json:"value"`
		} `json:"synchronizedEntryCountByType"`
		TroubleshootingURL string `json:"troubleshootingUrl"`
	} `json:"status"`
	Settings []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"synchronizationJobSettings"`
}

func syncErr(w *wireSyncError) *diagnose.SyncError {
	if w == nil {
		return nil
	}
	return &diagnose.SyncError{Code: w.Code, Message: w.Message, TenantActionable: w.TenantActionable}
}

func (w *wireExecution) toExecution(t testing.TB) *diagnose.Execution {
	if w == nil {
		return nil
	}
	return &diagnose.Execution{ActivityID: w.ActivityIdentifier, State: diagnose.ParseExecutionState(w.State), RawState: w.State,
		Began: parseWireTime(t, w.TimeBegan), Ended: parseWireTime(t, w.TimeEnded),
		CountEntitled: w.CountEntitled, CountEscrowed: w.CountEscrowed, CountExported: w.CountExported, CountImported: w.CountImported,
		Error: syncErr(w.Error)}
}

// parseInterval understands the ISO 8601 durations Graph uses for job
// schedules (PT40M, PT20M, P10675199DT2H48M5.4775807S).
func parseInterval(t testing.TB, s string) (time.Duration, bool) {
	t.Helper()
	if s == "" {
		return 0, false
	}
	if strings.HasPrefix(s, "P10675199D") {
		return 0, true
	}
	rest := strings.TrimPrefix(s, "P")
	var d time.Duration
	var days string
	if i := strings.Index(rest, "D"); i >= 0 {
		days, rest = rest[:i], rest[i+1:]
		n, err := time.ParseDuration(days + "h")
		if err != nil {
			t.Fatalf("bad interval %q", s)
		}
		d += 24 * n
	}
	rest = strings.TrimPrefix(rest, "T")
	if rest != "" {
		n, err := time.ParseDuration(strings.ToLower(rest))
		if err != nil {
			t.Fatalf("bad interval %q: %v", s, err)
		}
		d += n
	}
	return d, false
}

// decodeJob decodes one synchronizationJob.
func decodeJob(t testing.TB, data []byte) diagnose.Job {
	t.Helper()
	var w wireJob
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatalf("decode job: %v", err)
	}
	iv, never := parseInterval(t, w.Schedule.Interval)
	j := diagnose.Job{ID: w.ID, TemplateID: w.TemplateID,
		Schedule: diagnose.Schedule{Interval: iv, Unscheduled: never, State: diagnose.ParseScheduleState(w.Schedule.State), RawState: w.Schedule.State}}
	st := &j.Status
	st.Code, st.RawCode = diagnose.ParseStatusCode(w.Status.Code), w.Status.Code
	st.CountSuccessiveCompleteFailures = w.Status.CountSuccessiveCompleteFailures
	st.EscrowsPruned = w.Status.EscrowsPruned
	st.LastExecution = w.Status.LastExecution.toExecution(t)
	st.LastSuccessfulExecution = w.Status.LastSuccessfulExecution.toExecution(t)
	st.LastSuccessfulExecutionWithExports = w.Status.LastSuccessfulExecutionWithExports.toExecution(t)
	for _, p := range w.Status.Progress {
		st.Progress = append(st.Progress, diagnose.Progress{CompletedUnits: p.CompletedUnits, TotalUnits: p.TotalUnits, Units: p.Units,
			ObservedAt: parseWireTime(t, p.ProgressObservationDateTme)})
	}
	if q := w.Status.Quarantine; q != nil {
		st.Quarantine = &diagnose.Quarantine{Reason: diagnose.ParseQuarantineReason(q.Reason), RawReason: q.Reason,
			CurrentBegan: parseWireTime(t, q.CurrentBegan), NextAttempt: parseWireTime(t, q.NextAttempt),
			SeriesBegan: parseWireTime(t, q.SeriesBegan), SeriesCount: q.SeriesCount, Error: syncErr(q.Error)}
	}
	st.SteadyStateFirstAchieved = parseWireTime(t, w.Status.SteadyStateFirstAchievedTime)
	st.SteadyStateLastAchieved = parseWireTime(t, w.Status.SteadyStateLastAchievedTime)
	for _, c := range w.Status.SynchronizedEntryCountByType {
		st.EntryCounts = append(st.EntryCounts, diagnose.EntryCount{Key: c.Key, Value: c.Value})
	}
	st.TroubleshootingURL = w.Status.TroubleshootingURL
	for _, s := range w.Settings {
		j.Settings = append(j.Settings, diagnose.Setting{Name: s.Name, Value: s.Value})
	}
	return j
}

func readExample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/graph/" + name)
	if err != nil {
		t.Fatalf("read example: %v", err)
	}
	return data
}

package graph

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// jobFromNode converts one synchronizationJob into a diagnose.Job. Like
// entryFromNode it never fails on a field: enums keep their raw
// spelling, "" and 0001-01-01T00:00:00Z timestamps are the zero time
// ("never"), null executions and quarantines stay nil, and the
// TimeSpan.MaxValue interval (P10675199DT2H48M5.4775807S) marks the job
// unscheduled. The SDK's generated model fails the whole job on the ""
// timestamps of Microsoft's own example and loses the fraction of the
// interval (it reads it as P1525028W3DT2H48M5S). It reports false when the
// node is not an object.
//
// https://learn.microsoft.com/graph/api/resources/synchronization-synchronizationjob
func jobFromNode(n jnode) (diagnose.Job, bool) {
	if !n.isObject() {
		return diagnose.Job{}, false
	}
	j := diagnose.Job{ID: n.str("id"), TemplateID: n.str("templateId")}

	sched := n.child("schedule")
	j.Schedule.Interval, j.Schedule.Unscheduled = parseInterval(sched.str("interval"))
	j.Schedule.RawState = sched.str("state")
	j.Schedule.State = diagnose.ParseScheduleState(j.Schedule.RawState)
	j.Schedule.Expiration = sched.time("expiration")

	st := n.child("status")
	s := &j.Status
	s.RawCode = st.str("code")
	s.Code = diagnose.ParseStatusCode(s.RawCode)
	s.CountSuccessiveCompleteFailures = st.int("countSuccessiveCompleteFailures")
	s.EscrowsPruned = st.bool("escrowsPruned")
	s.LastExecution = executionFromNode(st.child("lastExecution"))
	s.LastSuccessfulExecution = executionFromNode(st.child("lastSuccessfulExecution"))
	s.LastSuccessfulExecutionWithExports = executionFromNode(st.child("lastSuccessfulExecutionWithExports"))
	for _, p := range st.child("progress").items() {
		if !p.isObject() {
			continue
		}
		s.Progress = append(s.Progress, diagnose.Progress{
			CompletedUnits: p.int("completedUnits"),
			TotalUnits:     p.int("totalUnits"),
			Units:          p.str("units"),
			ObservedAt:     p.time("progressObservationDateTime"),
		})
	}
	if q := st.child("quarantine"); q.isObject() {
		raw := q.str("reason")
		s.Quarantine = &diagnose.Quarantine{
			Reason:       diagnose.ParseQuarantineReason(raw),
			RawReason:    raw,
			CurrentBegan: q.time("currentBegan"),
			NextAttempt:  q.time("nextAttempt"),
			SeriesBegan:  q.time("seriesBegan"),
			SeriesCount:  q.int("seriesCount"),
			Error:        syncErrorFromNode(q.child("error")),
		}
	}
	s.SteadyStateFirstAchieved = st.time("steadyStateFirstAchievedTime")
	s.SteadyStateLastAchieved = st.time("steadyStateLastAchievedTime")
	for _, c := range st.child("synchronizedEntryCountByType").items() {
		if c.isObject() {
			s.EntryCounts = append(s.EntryCounts, diagnose.EntryCount{Key: c.str("key"), Value: c.int("value")})
		}
	}
	s.TroubleshootingURL = st.str("troubleshootingUrl")

	// A keyValuePair collection on the wire; the documentation's template
	// shows one object, so a plain {"name": "value"} map is read too.
	settings := n.child("synchronizationJobSettings")
	for _, kv := range settings.items() {
		if !kv.isObject() {
			continue
		}
		if !kv.child("name").null() {
			j.Settings = append(j.Settings, diagnose.Setting{Name: kv.str("name"), Value: kv.str("value")})
			continue
		}
		m := kv.stringMap()
		for _, k := range sortedKeys(m) {
			j.Settings = append(j.Settings, diagnose.Setting{Name: k, Value: m[k]})
		}
	}
	return j, true
}

// executionFromNode reads a synchronizationTaskExecution; nil for null.
func executionFromNode(n jnode) *diagnose.Execution {
	if !n.isObject() {
		return nil
	}
	raw := n.str("state")
	return &diagnose.Execution{
		ActivityID:                   n.str("activityIdentifier"),
		State:                        diagnose.ParseExecutionState(raw),
		RawState:                     raw,
		Began:                        n.time("timeBegan"),
		Ended:                        n.time("timeEnded"),
		CountEntitled:                n.int("countEntitled"),
		CountEntitledForProvisioning: n.int("countEntitledForProvisioning"),
		CountEscrowed:                n.int("countEscrowed"),
		CountEscrowedRaw:             n.int("countEscrowedRaw"),
		CountExported:                n.int("countExported"),
		CountExports:                 n.int("countExports"),
		CountImported:                n.int("countImported"),
		CountImportedDeltas:          n.int("countImportedDeltas"),
		CountImportedReferenceDeltas: n.int("countImportedReferenceDeltas"),
		Error:                        syncErrorFromNode(n.child("error")),
	}
}

// syncErrorFromNode reads a synchronizationError; nil for null.
func syncErrorFromNode(n jnode) *diagnose.SyncError {
	if !n.isObject() {
		return nil
	}
	return &diagnose.SyncError{Code: n.str("code"), Message: n.str("message"), TenantActionable: n.bool("tenantActionable")}
}

// jobsFromDocument finds the jobs of a document: one job, a Graph list
// {"value":[...]}, or a bare array.
func jobsFromDocument(root jnode) ([]diagnose.Job, bool) {
	var items []jnode
	switch root.kind() {
	case kindArray:
		items, _ = root.elements()
	case kindObject:
		if v := root.child("value"); !v.null() {
			els, ok := v.elements()
			if !ok {
				return nil, false
			}
			items = els
		} else {
			items = []jnode{root}
		}
	default:
		return nil, false
	}
	jobs := make([]diagnose.Job, 0, len(items))
	for _, it := range items {
		if j, ok := jobFromNode(it); ok {
			jobs = append(jobs, j)
		}
	}
	return jobs, true
}

// parseInterval reads an ISO 8601 duration ([-]PnYnMnWnDTnHnMn.nS). It
// returns unscheduled for durations of NeverInterval or more (Graph
// writes .NET's TimeSpan.MaxValue for jobs that never run) and 0 for ""
// or anything it cannot read. Years and months count as 365 and 30 days.
func parseInterval(s string) (d time.Duration, unscheduled bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" || s[0] == '-' {
		return 0, false
	}
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" {
		return 0, false
	}
	units := map[byte]float64{'Y': 365 * 86400, 'M': 30 * 86400, 'W': 7 * 86400, 'D': 86400}
	timeUnits := map[byte]float64{'H': 3600, 'M': 60, 'S': 1}
	var secs float64
	inTime := false
	for rest != "" {
		if rest[0] == 'T' {
			if inTime {
				return 0, false
			}
			inTime = true
			rest = rest[1:]
			continue
		}
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.' || rest[i] == ',') {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, false
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(rest[:i], ",", "."), 64)
		if err != nil {
			return 0, false
		}
		table := units
		if inTime {
			table = timeUnits
		}
		mult, ok := table[rest[i]]
		if !ok {
			return 0, false
		}
		secs += n * mult
		rest = rest[i+1:]
	}
	if math.IsInf(secs, 0) || secs >= diagnose.NeverInterval.Seconds() {
		return 0, true
	}
	return time.Duration(math.Round(secs * float64(time.Second))), false
}

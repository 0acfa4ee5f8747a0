package workspace

import (
	"strconv"
	"strings"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// row is one row of a query result, its cells found by column name.
type row struct {
	cols map[string]int
	vals []any
}

// cell returns a column's value, nil when the column is absent.
func (r row) cell(name string) any {
	i, ok := r.cols[name]
	if !ok || i >= len(r.vals) {
		return nil
	}
	return r.vals[i]
}

// str returns a column as text.
func (r row) str(name string) string { return jval{r.cell(name)}.str() }

// json decodes a JSON-in-string column.
func (r row) json(name string) jval { return parseCell(r.cell(name)) }

// entryFromRow converts one AADProvisioningLogs row into the entry the
// engine reads, the way graph converts a provisioningObjectSummary. It
// never fails: a cell it cannot read stays empty and every enum keeps its
// raw spelling beside the parsed value. It reports false for a row that
// carries neither an id nor a time.
//
// The table differs from Graph's resource (provisioning facts §1.6.9,
// §4.4):
//   - the reason is ResultDescription and the error code ResultSignature
//     (ProvisioningStatusInfo's errorInformation is the fallback);
//   - the outcome is ResultType ("Success", "Failure", "Skipped");
//   - the activity time is TimeGenerated, often with seven fractional
//     digits;
//   - identities, systems, the service principal, the initiator, the steps
//     and the modified properties are JSON inside string columns, whose
//     keys are spelled Id and Name where Graph says id and displayName;
//   - SourceSystem is the Azure Monitor column for the agent type
//     ("Azure", "OpsManager", "Linux"), which clashes with the provisioning
//     source system: only a JSON object there is read as the system;
//   - TenantId is the Log Analytics workspace; the Entra tenant is
//     AADTenantId;
//   - Microsoft's own sample queries use an Action column the table
//     reference does not list; it is read when ProvisioningAction is empty.
//
// https://learn.microsoft.com/azure/azure-monitor/reference/tables/aadprovisioninglogs
// https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-log-analytics
func entryFromRow(r row) (diagnose.Entry, bool) {
	e := diagnose.Entry{
		ID:           r.str("Id"),
		ActivityTime: parseTime(r.str("TimeGenerated")),
		ChangeID:     r.str("ChangeId"),
		CycleID:      r.str("CycleId"),
		JobID:        r.str("JobId"),
		TenantID:     r.str("AADTenantId"),
		Duration:     parseMillis(r.str("DurationMs")),
		Origin:       diagnose.OriginWorkspace,
	}
	if e.ID == "" && e.ActivityTime.IsZero() {
		return diagnose.Entry{}, false
	}
	e.RawAction = r.str("ProvisioningAction")
	if e.RawAction == "" {
		e.RawAction = r.str("Action")
	}
	e.Action = diagnose.ParseAction(e.RawAction)

	psi := r.json("ProvisioningStatusInfo")
	ei := psi.get("errorInformation", "errorInfo").object()
	e.RawStatus = r.str("ResultType")
	if e.RawStatus == "" {
		e.RawStatus = psi.get("status").str()
	}
	e.Status = diagnose.ParseResult(e.RawStatus)
	info := diagnose.ErrorInfo{
		Code:              firstOf(r.str("ResultSignature"), ei.get("errorCode").str()),
		Reason:            firstOf(r.str("ResultDescription"), ei.get("reason").str()),
		AdditionalDetails: ei.get("additionalDetails").str(),
		Category:          ei.get("errorCategory").str(),
		RecommendedAction: ei.get("recommendedAction").str(),
	}
	if info != (diagnose.ErrorInfo{}) {
		e.Error = &info
	}

	for _, s := range r.json("ProvisioningSteps").items() {
		if !s.isObject() {
			continue
		}
		rawType := s.get("provisioningStepType", "type").str()
		rawStatus := s.get("status").str()
		e.Steps = append(e.Steps, diagnose.Step{
			Name:        s.get("name").str(),
			Type:        diagnose.ParseStepType(rawType),
			RawType:     rawType,
			Status:      diagnose.ParseResult(rawStatus),
			RawStatus:   rawStatus,
			Description: s.get("description").str(),
			Details:     s.get("details").stringMap(),
		})
	}
	for _, m := range r.json("ModifiedProperties").items() {
		if !m.isObject() {
			continue
		}
		e.Modified = append(e.Modified, diagnose.ModifiedProperty{
			Name:     m.get("displayName", "name").str(),
			OldValue: m.get("oldValue").str(),
			NewValue: m.get("newValue").str(),
		})
	}
	e.Source = identityOf(r.json("SourceIdentity"))
	e.Target = identityOf(r.json("TargetIdentity"))
	sp := r.json("ServicePrincipal")
	e.ServicePrincipal = diagnose.ServicePrincipal{ID: sp.get("Id").str(), Name: sp.get("Name", "displayName").str()}
	e.TargetSystem = systemOf(r.json("TargetSystem"))
	if src := r.json("SourceSystem"); src.isObject() {
		e.SourceSystem = systemOf(src)
	}
	ib := r.json("InitiatedBy")
	e.InitiatedBy = diagnose.Initiator{
		ID:          ib.get("Id").str(),
		DisplayName: ib.get("Name", "displayName").str(),
		Type:        ib.get("Type", "initiatorType", "initiatingType").str(),
	}
	return e, true
}

// identityOf reads a provisioned identity.
func identityOf(j jval) diagnose.Identity {
	return diagnose.Identity{
		ID:          j.get("Id").str(),
		DisplayName: j.get("displayName", "Name").str(),
		Type:        j.get("identityType", "Type").str(),
		Details:     j.get("details").stringMap(),
	}
}

// systemOf reads a provisioning system.
func systemOf(j jval) diagnose.System {
	return diagnose.System{
		ID:          j.get("Id").str(),
		DisplayName: j.get("displayName", "Name").str(),
		Details:     j.get("details").stringMap(),
	}
}

// parseTime reads a datetime cell: RFC 3339 with up to nine fractional
// digits, or without a zone (taken as UTC). Anything else is the zero time.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// parseMillis reads a long cell of milliseconds.
func parseMillis(s string) time.Duration {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f < 0 {
		return 0
	}
	return time.Duration(f * float64(time.Millisecond))
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

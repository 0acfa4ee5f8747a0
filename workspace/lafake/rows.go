package lafake

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// Table is the name of the table the fake serves.
const Table = "AADProvisioningLogs"

// schema is AADProvisioningLogs' columns as the table reference lists them
// (less the hidden _BilledSize and _IsBillable), in the order the API
// returns them.
// https://learn.microsoft.com/azure/azure-monitor/reference/tables/aadprovisioninglogs
var schema = []column{
	{"TenantId", "string"}, {"SourceSystem", "string"}, {"TimeGenerated", "datetime"},
	{"AADTenantId", "string"}, {"Category", "string"}, {"ChangeId", "string"}, {"CorrelationId", "string"},
	{"CycleId", "string"}, {"DurationMs", "long"}, {"Id", "string"}, {"InitiatedBy", "string"},
	{"JobId", "string"}, {"ModifiedProperties", "string"}, {"OperationName", "string"},
	{"OperationVersion", "string"}, {"ProvisioningAction", "string"}, {"ProvisioningStatusInfo", "string"},
	{"ProvisioningSteps", "string"}, {"ResultDescription", "string"}, {"ResultSignature", "string"},
	{"ResultType", "string"}, {"ServicePrincipal", "string"}, {"SourceIdentity", "string"},
	{"TargetIdentity", "string"}, {"TargetSystem", "string"}, {"Type", "string"},
}

// withAction is the schema plus the Action column Microsoft's sample
// queries use but the table reference does not list. A workspace gets it
// when one of its rows sets Action.
var withAction = append(append([]column(nil), schema...), column{"Action", "string"})

// Row is one AADProvisioningLogs row: column name → value. Text columns
// hold strings (the JSON columns hold JSON inside the string, as the
// service stores them), TimeGenerated a time.Time, DurationMs an int64 or
// nil.
type Row map[string]any

// Style says how a row spells what the documentation leaves open, so that
// a workspace can hold the variants real rows show.
type Style struct {
	// GraphKeys spells identity keys as Graph does (id, displayName)
	// instead of Id and Name.
	GraphKeys bool
	// SourceSystemJSON puts the provisioning source system's JSON in the
	// SourceSystem column instead of the Azure Monitor agent type "Azure".
	SourceSystemJSON bool
	// ActionColumn puts the action in the Action column and leaves
	// ProvisioningAction empty.
	ActionColumn bool
	// LowerResult writes ResultType as Graph spells the status ("success")
	// instead of "Success".
	LowerResult bool
	// EmptyModified writes an empty ModifiedProperties cell instead of "[]".
	EmptyModified bool
	// NoDuration leaves DurationMs null.
	NoDuration bool
}

// RowFromEntry writes an entry as Entra streams it to a workspace: the
// reason in ResultDescription, the error code in ResultSignature, the
// outcome capitalised in ResultType, nested objects as JSON inside string
// columns, TenantId the workspace and AADTenantId the Entra tenant.
func RowFromEntry(e diagnose.Entry, workspaceID string, st Style) Row {
	r := Row{
		"TenantId": workspaceID, "SourceSystem": "Azure", "TimeGenerated": e.ActivityTime.UTC(),
		"AADTenantId": e.TenantID, "Category": "ProvisioningLogs", "ChangeId": e.ChangeID,
		"CorrelationId": e.CycleID, "CycleId": e.CycleID, "Id": e.ID, "JobId": e.JobID,
		"OperationName": "Provisioning activity", "OperationVersion": "1.0", "Type": Table,
	}
	if !st.NoDuration {
		r["DurationMs"] = e.Duration.Milliseconds()
	}
	if st.ActionColumn {
		r["Action"], r["ProvisioningAction"] = e.RawAction, ""
	} else {
		r["ProvisioningAction"] = e.RawAction
	}
	status := e.RawStatus
	if status == "" {
		status = string(e.Status)
	}
	r["ResultType"] = capitalise(status)
	if st.LowerResult {
		r["ResultType"] = strings.ToLower(status)
	}
	errInfo := any(nil)
	if e.Error != nil {
		r["ResultSignature"], r["ResultDescription"] = e.Error.Code, e.Error.Reason
		errInfo = map[string]any{"errorCode": e.Error.Code, "reason": e.Error.Reason,
			"additionalDetails": nullable(e.Error.AdditionalDetails), "errorCategory": e.Error.Category,
			"recommendedAction": nullable(e.Error.RecommendedAction)}
	} else {
		r["ResultSignature"], r["ResultDescription"] = "", ""
	}
	r["ProvisioningStatusInfo"] = jsonText(map[string]any{"status": strings.ToLower(status), "errorInformation": errInfo})
	steps := make([]any, 0, len(e.Steps))
	for _, s := range e.Steps {
		steps = append(steps, map[string]any{"name": s.Name, "provisioningStepType": orDefault(s.RawType, string(s.Type)),
			"status": orDefault(s.RawStatus, string(s.Status)), "description": s.Description, "details": orEmpty(s.Details)})
	}
	r["ProvisioningSteps"] = jsonText(steps)
	mods := make([]any, 0, len(e.Modified))
	for _, m := range e.Modified {
		mods = append(mods, map[string]any{"displayName": m.Name, "oldValue": nullable(m.OldValue), "newValue": nullable(m.NewValue)})
	}
	r["ModifiedProperties"] = jsonText(mods)
	if st.EmptyModified && len(mods) == 0 {
		r["ModifiedProperties"] = ""
	}
	idKey, nameKey := "Id", "Name"
	if st.GraphKeys {
		idKey, nameKey = "id", "displayName"
	}
	identity := func(i diagnose.Identity) string {
		return jsonText(map[string]any{idKey: i.ID, nameKey: i.DisplayName, "identityType": i.Type, "details": orEmpty(i.Details)})
	}
	system := func(s diagnose.System) string {
		return jsonText(map[string]any{idKey: s.ID, nameKey: s.DisplayName, "details": orEmpty(s.Details)})
	}
	r["SourceIdentity"] = identity(e.Source)
	r["TargetIdentity"] = identity(e.Target)
	r["ServicePrincipal"] = jsonText(map[string]any{idKey: e.ServicePrincipal.ID, nameKey: e.ServicePrincipal.Name})
	r["TargetSystem"] = system(e.TargetSystem)
	if st.SourceSystemJSON {
		r["SourceSystem"] = system(e.SourceSystem)
	}
	typeKey := "Type"
	if st.GraphKeys {
		typeKey = "initiatorType"
	}
	r["InitiatedBy"] = jsonText(map[string]any{idKey: e.InitiatedBy.ID, nameKey: e.InitiatedBy.DisplayName, typeKey: e.InitiatedBy.Type})
	return r
}

// time returns the row's TimeGenerated.
func (r Row) time() time.Time {
	t, _ := r["TimeGenerated"].(time.Time)
	return t
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// capitalise writes a status as ResultType does: "Success", "Failure",
// "Skipped"; an unknown value keeps its spelling with a capital first
// letter.
func capitalise(s string) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

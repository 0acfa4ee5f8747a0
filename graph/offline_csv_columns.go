package graph

import "strings"

// The Entra admin center's CSV download of provisioning logs is three
// files: the entries without their steps and modified properties, the
// steps, and the modified properties, the last two carrying the change id
// that joins them to their entry. Timestamps in downloaded files are UTC.
// The user may rename the download.
// https://learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs#csv-format
// https://learn.microsoft.com/entra/identity/monitoring-health/howto-download-logs#log-download-details
//
// Microsoft does not document the files' column names. Columns are
// therefore found by name ignoring case, spaces and punctuation ("Change
// ID", "ChangeId" and "changeId" are one column), under the labels provbot
// writes (`provbot logs --format csv`), the names of Graph's
// provisioningObjectSummary properties flattened ("sourceIdentity.id",
// "provisioningStatusInfo/status") and the names of the Log Analytics
// table AADProvisioningLogs; a column found under none of them is reported
// as missing, never guessed.
// https://learn.microsoft.com/graph/api/resources/provisioningobjectsummary
// https://learn.microsoft.com/azure/azure-monitor/reference/tables/aadprovisioninglogs
const (
	// CSVEntriesFile, CSVStepsFile and CSVPropertiesFile are the names
	// of the portal's three files.
	CSVEntriesFile    = "ProvisioningLogs.csv"
	CSVStepsFile      = "ProvisioningLogs_ProvisioningSteps.csv"
	CSVPropertiesFile = "ProvisioningLogs_ModifiedProperties.csv"
)

// csvColumn is one field of a CSV file: the label provbot writes and
// reports, and the other names it goes by.
type csvColumn struct {
	label   string
	aliases []string
}

// The columns of the entries file, in the order provbot writes them.
var (
	colDate          = csvColumn{"Date (UTC)", []string{"Date", "Activity Date", "Activity Date (UTC)", "Activity Date Time", "activityDateTime", "Activity Time", "TimeGenerated", "Time", "Timestamp", "Date Time"}}
	colID            = csvColumn{"Id", []string{"ID", "Entry ID"}}
	colChangeID      = csvColumn{"Change ID", nil}
	colCycleID       = csvColumn{"Cycle ID", nil}
	colJobID         = csvColumn{"Job ID", nil}
	colAction        = csvColumn{"Action", []string{"provisioningAction"}}
	colStatus        = csvColumn{"Status", []string{"provisioningStatusInfo.status", "statusInfo.status", "ResultType", "Result"}}
	colErrorCode     = csvColumn{"Error Code", []string{"provisioningStatusInfo.errorInformation.errorCode", "errorInformation.errorCode", "ResultSignature"}}
	colErrorReason   = csvColumn{"Error Reason", []string{"Reason", "provisioningStatusInfo.errorInformation.reason", "errorInformation.reason", "ResultDescription", "Status Reason"}}
	colErrorCategory = csvColumn{"Error Category", []string{"provisioningStatusInfo.errorInformation.errorCategory", "errorInformation.errorCategory"}}
	colRecommended   = csvColumn{"Recommended Action", []string{"provisioningStatusInfo.errorInformation.recommendedAction", "errorInformation.recommendedAction"}}
	colAdditional    = csvColumn{"Additional Details", []string{"provisioningStatusInfo.errorInformation.additionalDetails", "errorInformation.additionalDetails"}}
	colSourceSystem  = csvColumn{"Source System", []string{"sourceSystem.displayName", "Source System Name"}}
	colTargetSystem  = csvColumn{"Target System", []string{"targetSystem.displayName", "Target System Name"}}
	colSourceID      = csvColumn{"Source ID", []string{"sourceIdentity.id", "Source Identity ID", "Source Object ID"}}
	colSourceName    = csvColumn{"Source Name", []string{"sourceIdentity.displayName", "Source Display Name", "Source Identity Name"}}
	colSourceType    = csvColumn{"Source Type", []string{"sourceIdentity.identityType", "Source Identity Type"}}
	colSourceUPN     = csvColumn{"Source User Principal Name", []string{"sourceIdentity.details.UserPrincipalName", "User Principal Name", "UPN", "Source UPN"}}
	colTargetID      = csvColumn{"Target ID", []string{"targetIdentity.id", "Target Identity ID", "Target Object ID"}}
	colTargetName    = csvColumn{"Target Name", []string{"targetIdentity.displayName", "Target Display Name", "Target Identity Name"}}
	colTargetType    = csvColumn{"Target Type", []string{"targetIdentity.identityType", "Target Identity Type"}}
	colSPID          = csvColumn{"Service Principal ID", []string{"servicePrincipal.id", "Service Principal Object ID"}}
	colSPName        = csvColumn{"Service Principal Name", []string{"servicePrincipal.displayName", "Application", "Application Name", "App"}}
	colInitiatedBy   = csvColumn{"Initiated By", []string{"initiatedBy.displayName"}}
	colInitiatorType = csvColumn{"Initiator Type", []string{"initiatedBy.initiatingType", "Initiating Type"}}
	colDuration      = csvColumn{"Duration (ms)", []string{"durationInMilliseconds", "DurationMs", "Duration"}}
	colTenantID      = csvColumn{"Tenant ID", []string{"AADTenantId"}}

	csvEntryColumns = []csvColumn{colDate, colID, colChangeID, colCycleID, colJobID, colAction, colStatus,
		colErrorCode, colErrorReason, colErrorCategory, colRecommended, colAdditional,
		colSourceSystem, colTargetSystem, colSourceID, colSourceName, colSourceType, colSourceUPN,
		colTargetID, colTargetName, colTargetType, colSPID, colSPName, colInitiatedBy, colInitiatorType,
		colDuration, colTenantID}
)

// The columns of the steps file.
var (
	colStepNumber      = csvColumn{"Step", []string{"Step Number", "Order", "Index"}}
	colStepName        = csvColumn{"Name", []string{"Step Name"}}
	colStepType        = csvColumn{"Type", []string{"Step Type", "provisioningStepType"}}
	colStepStatus      = csvColumn{"Status", []string{"Step Status"}}
	colStepDescription = csvColumn{"Description", []string{"Step Description"}}
	colStepDetails     = csvColumn{"Details", []string{"Step Details"}}

	csvStepColumns = []csvColumn{colChangeID, colStepNumber, colStepName, colStepType, colStepStatus, colStepDescription, colStepDetails}
)

// The columns of the modified properties file.
var (
	colPropName = csvColumn{"Name", []string{"Display Name", "Property", "Property Name", "Attribute", "Attribute Name"}}
	colOldValue = csvColumn{"Old Value", nil}
	colNewValue = csvColumn{"New Value", nil}

	csvPropertyColumns = []csvColumn{colChangeID, colPropName, colOldValue, colNewValue}
)

// CSVEntryHeader, CSVStepHeader and CSVPropertyHeader are the header rows
// of the three files as provbot writes them; ReadLogPath finds every one
// of these columns.
var (
	CSVEntryHeader    = labels(csvEntryColumns)
	CSVStepHeader     = labels(csvStepColumns)
	CSVPropertyHeader = labels(csvPropertyColumns)
)

func labels(cols []csvColumn) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.label
	}
	return out
}

// foldColumn is a column name without case, spaces or punctuation.
func foldColumn(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// csvHeader maps a file's column names to their positions.
type csvHeader map[string]int

func newCSVHeader(row []string) csvHeader {
	h := csvHeader{}
	for i, name := range row {
		k := foldColumn(name)
		if _, dup := h[k]; !dup && k != "" {
			h[k] = i
		}
	}
	return h
}

// index returns the position of c in the file, or -1.
func (h csvHeader) index(c csvColumn) int {
	if i, ok := h[foldColumn(c.label)]; ok {
		return i
	}
	for _, a := range c.aliases {
		if i, ok := h[foldColumn(a)]; ok {
			return i
		}
	}
	return -1
}

// has reports whether the file has column c.
func (h csvHeader) has(c csvColumn) bool { return h.index(c) >= 0 }

// missing lists the labels of cols the file does not have.
func (h csvHeader) missing(cols []csvColumn) []string {
	var out []string
	for _, c := range cols {
		if !h.has(c) {
			out = append(out, c.label)
		}
	}
	return out
}

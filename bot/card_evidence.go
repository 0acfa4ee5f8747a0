package bot

import (
	"strings"
	"unicode"
)

// evidenceLabels name the fields of a provisioning log entry, a job and a
// user the way the help desk reads them (the portal's words where it has
// some), instead of Graph's JSON paths.
var evidenceLabels = map[string]string{
	"provisioningStatusInfo.status":      "Result",
	"provisioningAction":                 "Action",
	"errorInformation.errorCode":         "Error code",
	"errorInformation.errorCategory":     "Error category",
	"errorInformation.reason":            "App's message",
	"errorInformation.additionalDetails": "Details",
	"user.accountEnabled":                "Account enabled",
	"user.deletedDateTime":               "Deleted",
	"assignment":                         "Assignment",
	"scope":                              "Scope",
	"job.id":                             "Job ID",
	"status.code":                        "Job status",
	"schedule.state":                     "Schedule",
	"quarantine.reason":                  "Quarantine reason",
	"quarantine.error.code":              "Quarantine error",
	"quarantine.error.tenantActionable":  "Fixable by an admin",
	"quarantine.seriesBegan":             "Quarantined since",
	"quarantine.nextAttempt":             "Next attempt",
	"lastExecution.state":                "Last run",
	"lastExecution.error.code":           "Last run error",
	"steadyStateFirstAchievedTime":       "First full cycle",
	"escrowsPruned":                      "Retries dropped",
	"countSuccessiveCompleteFailures":    "Failed runs in a row",
}

// evidenceLabel names an evidence field for people: from the table, else
// in words made from its last part ("modifiedProperties.department" →
// "Changed department", "targetIdentity.id" → "Id"), never a JSON path.
func evidenceLabel(field string) string {
	field = strings.TrimSpace(field)
	if l, ok := evidenceLabels[field]; ok {
		return l
	}
	for _, p := range []struct{ prefix, words string }{
		{"earlier ", "Earlier "}, {"modifiedProperties.", "Changed "}, {"reference step ", "Reference step "},
	} {
		if rest, ok := strings.CutPrefix(field, p.prefix); ok {
			if p.prefix == "earlier " {
				return p.words + strings.ToLower(evidenceLabel(rest))
			}
			return p.words + rest
		}
	}
	if strings.HasPrefix(field, "provisioningSteps[") {
		if _, name, ok := strings.Cut(field, "] "); ok {
			return "Step " + name
		}
		return "Step"
	}
	last := field
	if i := strings.LastIndexAny(field, ".]"); i >= 0 && i < len(field)-1 {
		last = field[i+1:]
	}
	return sentenceCase(splitCamel(last))
}

// splitCamel puts spaces between the words of a camelCase name.
func splitCamel(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimSpace(b.String())
}

// sentenceCase capitalises the first letter.
func sentenceCase(s string) string {
	rs := []rune(s)
	if len(rs) == 0 {
		return s
	}
	rs[0] = unicode.ToUpper(rs[0])
	return string(rs)
}

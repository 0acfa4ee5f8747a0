package lafake

import (
	"crypto/sha1"
	"fmt"
	"strings"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// Person is someone whose provisioning history a workspace holds.
type Person struct {
	// ObjectID is the Entra object id; UPN and Name as the directory has
	// them.
	ObjectID, UPN, Name string
}

// App is an enterprise app whose provisioning job writes the history.
type App struct {
	// ID is the service principal object id, AppID the application id,
	// Name the display name.
	ID, AppID, Name string
	// JobID is the provisioning job's id; TargetSystemID the id Graph gives
	// the app as a provisioning system.
	JobID, TargetSystemID string
}

// event is one thing the provisioning service did for a person in an app.
type event struct {
	at      time.Time
	action  string // create, update, disable, delete, stagedDelete, other…
	status  string // success, failure, skipped, warning
	code    string
	reason  string
	target  string // the account id in the app; "" when never made
	skip    string // a SkipReason
	mods    []diagnose.ModifiedProperty
	stepErr diagnose.StepType // the step that failed
}

// entraSystemID is the id Graph gives Entra ID as a provisioning system.
const entraSystemID = "78252af7-b5d1-5da6-a85d-637e303b8322"

// entryFor builds the entry a provisioning job writes for one event,
// shaped like Graph's: import, scoping, matching and export steps.
func entryFor(tenantID string, p Person, a App, ev event) diagnose.Entry {
	key := p.ObjectID + "|" + a.ID + "|" + ev.at.UTC().Format(time.RFC3339Nano) + "|" + ev.action
	e := diagnose.Entry{
		ID: nameGUID("entry", key), ActivityTime: ev.at.UTC(), ChangeID: nameGUID("change", key),
		CycleID: nameGUID("cycle", a.ID+ev.at.UTC().Truncate(40*time.Minute).Format(time.RFC3339)), JobID: a.JobID, TenantID: tenantID,
		RawAction: ev.action, Action: diagnose.ParseAction(ev.action), RawStatus: ev.status, Status: diagnose.ParseResult(ev.status),
		Source:           diagnose.Identity{ID: p.ObjectID, DisplayName: p.Name, Type: "User", Details: map[string]string{"UserPrincipalName": p.UPN}},
		Target:           diagnose.Identity{ID: ev.target, DisplayName: p.Name, Type: "User"},
		ServicePrincipal: diagnose.ServicePrincipal{ID: a.ID, Name: a.Name},
		SourceSystem:     diagnose.System{ID: entraSystemID, DisplayName: "Azure Active Directory"},
		TargetSystem: diagnose.System{ID: a.TargetSystemID, DisplayName: a.Name,
			Details: map[string]string{"ApplicationId": a.AppID, "ServicePrincipalId": a.ID, "ServicePrincipalDisplayName": a.Name}},
		InitiatedBy: diagnose.Initiator{DisplayName: "Azure AD Provisioning Service", Type: "system"},
		Duration:    time.Duration(800+len(key)*37%4000) * time.Millisecond,
		Modified:    ev.mods,
	}
	if ev.code != "" || ev.reason != "" {
		cat := "nonServiceFailure"
		if ev.status == "skipped" {
			cat = ""
		}
		e.Error = &diagnose.ErrorInfo{Code: ev.code, Reason: ev.reason, Category: cat}
	}
	ok := func(s diagnose.StepType) string {
		switch {
		case ev.stepErr == s && ev.status == "failure":
			return "failure"
		case ev.stepErr == s && ev.status == "skipped":
			return "skipped"
		}
		return "success"
	}
	e.Steps = []diagnose.Step{
		{Name: "EntryImport", Type: diagnose.StepImport, RawType: "import", RawStatus: "success", Status: diagnose.ResultSuccess,
			Description: fmt.Sprintf("Retrieved User '%s' from Azure Active Directory", p.UPN),
			Details:     map[string]string{"objectId": p.ObjectID, "userPrincipalName": p.UPN, "displayName": p.Name, "accountEnabled": boolText(ev.action != "disable")}},
		{Name: "EntrySynchronizationScoping", Type: diagnose.StepScoping, RawType: "scoping", RawStatus: ok(diagnose.StepScoping),
			Status:      diagnose.ParseResult(ok(diagnose.StepScoping)),
			Description: "Determine if User in scope by evaluating against each scoping filter",
			Details: map[string]string{"Active in the source system": boolText(ev.action != "disable"),
				"Assigned to the application": boolText(ev.action != "disable" && ev.action != "delete"), "User has the required role": "True"}},
	}
	if ev.skip != "" {
		e.Steps[1].Details["SkipReason"] = ev.skip
	}
	export := map[string]string{
		"create": "EntryExportAdd", "update": "EntryExportUpdate", "disable": "EntryExportUpdateSoftDelete",
		"delete": "EntryExportDelete", "stagedDelete": "EntryExportUpdateSoftDelete",
	}[strings.TrimSpace(ev.action)]
	if export == "" {
		export = "EntryExportUpdate"
	}
	verb := map[string]string{"create": "created", "disable": "disabled", "delete": "deleted"}[ev.action]
	if verb == "" {
		verb = "updated"
	}
	desc := fmt.Sprintf("User '%s' was %s in %s", p.UPN, verb, a.Name)
	if ev.status == "failure" {
		desc = fmt.Sprintf("Failed to %s User '%s' in %s", strings.TrimSuffix(verb, "d"), p.UPN, a.Name)
	}
	if ev.skip == "" {
		e.Steps = append(e.Steps,
			diagnose.Step{Name: "EntryImport", Type: diagnose.StepMatching, RawType: "matching", RawStatus: ok(diagnose.StepMatching),
				Status: diagnose.ParseResult(ok(diagnose.StepMatching)), Description: fmt.Sprintf("Retrieved '%s' from %s", p.UPN, a.Name)},
			diagnose.Step{Name: export, Type: diagnose.StepExport, RawType: "export", RawStatus: ok(diagnose.StepExport),
				Status: diagnose.ParseResult(ok(diagnose.StepExport)), Description: desc,
				Details: map[string]string{"ReportableIdentifier": p.UPN}})
	}
	return e
}

func boolText(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// nameGUID derives a stable GUID from a name (SHA-1, RFC 4122 version 5
// layout), so that generated history is the same on every run.
func nameGUID(space, name string) string {
	h := sha1.Sum([]byte("provbot-lafake/" + space + "/" + name))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// accountID derives the id an app gives a person's account.
func accountID(p Person, a App) string {
	return strings.ReplaceAll(nameGUID("account", p.ObjectID+a.ID), "-", "")
}

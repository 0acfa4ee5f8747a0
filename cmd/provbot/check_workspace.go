package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/workspace"
)

// checkWorkspace checks the Log Analytics workspace for `provbot check`:
// that the settings make sense, that provbot's identity can read the
// workspace (the Log Analytics Reader role), and that provisioning logs
// reach it; it names whatever is missing. Without a workspace configured
// it says what that costs, without failing.
func checkWorkspace(ctx context.Context, e env, ws *workspace.Client, settingsErr error, line func(ok, optional bool, what, detail string)) {
	switch {
	case settingsErr != nil:
		line(false, false, "Log Analytics settings", settingsErr.Error())
		return
	case ws == nil:
		line(false, true, "PROVBOT_LOG_ANALYTICS_WORKSPACE",
			"Not set: answers use Graph's provisioning logs only (30 days; 7 without Entra ID P1/P2). "+
				"To reach older history, stream ProvisioningLogs to a Log Analytics workspace and set its workspace id.")
		return
	}
	what := fmt.Sprintf("%-34s %s", "read workspace "+ws.WorkspaceID(), "Log Analytics Reader")
	cv, err := ws.Coverage(ctx)
	var we *workspace.Error
	switch {
	case err == nil:
		line(true, false, what, "")
	case errors.As(err, &we) && we.MissingRole():
		line(false, false, what, "Give provbot's identity (the AZURE_* app or managed identity) the Log Analytics Reader role on the workspace: "+
			"the workspace → Access control (IAM) → Add role assignment.")
		return
	case errors.As(err, &we) && we.MissingTable():
		line(false, false, what, "The workspace has no AADProvisioningLogs table: in Entra ID → Monitoring & health → Diagnostic settings, "+
			"tick ProvisioningLogs and send them to this workspace (the first entries can take a while to arrive).")
		return
	case errors.As(err, &we) && we.Status == http.StatusNotFound:
		line(false, false, what, "No workspace has this id: PROVBOT_LOG_ANALYTICS_WORKSPACE is the Workspace ID on the workspace's Overview page.")
		return
	case errors.As(err, &we) && (we.Status == http.StatusUnauthorized || we.Status == http.StatusForbidden):
		line(false, false, what, "The Log Analytics API refused provbot's token: check the AZURE_* credentials ("+we.Code+").")
		return
	default:
		line(false, false, what, err.Error())
		return
	}
	now := e.now()
	if cv.Rows == 0 {
		line(false, false, "provisioning logs in the workspace", fmt.Sprintf("AADProvisioningLogs has no entries in the last %d days: "+
			"in Entra ID → Monitoring & health → Diagnostic settings, send ProvisioningLogs to this workspace.", int(ws.Lookback().Hours()/24)))
		return
	}
	line(true, false, fmt.Sprintf("provisioning logs: %d entries, back to %s (%s)", cv.Rows, cv.Oldest.In(now.Location()).Format("2 Jan 2006"),
		diagnose.Age(cv.Oldest, now)), "")
}

package main

import (
	"context"
	"fmt"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/store"
)

// actionState is the part of the state store the approved fixes use (the
// confirmations, running each action once, the audit); nil without a
// store, which turns the actions off.
func actionState(st store.Store) bot.ActionState {
	if st == nil {
		return nil
	}
	return st
}

// demoAdminGroups are the demo's admin groups: its help-desk group, so
// that Henrietta Mueller can show both approved fixes.
func demoAdminGroups() []string { return []string{fakegraph.DemoHelpDeskGroupID} }

// checkActions says, for `provbot check`, which approved fixes provbot
// can offer and why not: both need the Graph permission
// Synchronization.ReadWrite.All (read from the token), provisioning on
// demand help-desk groups, restarting admin groups.
func checkActions(ctx context.Context, src *source, gs graphSettings, line func(ok, optional bool, what, detail string)) {
	acc, err := src.client.WriteAccess(ctx)
	switch {
	case err != nil:
		line(false, true, diagnose.WritePermission, "Could not tell whether provbot may write: "+err.Error()+". No actions are offered until it can.")
	case !acc.Granted:
		line(false, true, diagnose.WritePermission, "Not granted ("+acc.Reason+"). Without it provbot explains only, and offers no action.")
	default:
		line(true, false, diagnose.WritePermission+": "+acc.Reason, "")
	}
	granted := err == nil && acc.Granted
	switch {
	case !granted:
		line(false, true, "Provision on demand (help desk): not available", "It needs "+diagnose.WritePermission+".")
	case len(gs.HelpDeskGroups) == 0:
		line(false, true, "Provision on demand (help desk): not available", "It is for the help desk: set PROVBOT_HELPDESK_GROUPS.")
	default:
		line(true, false, "Provision on demand (help desk): available", "")
	}
	switch {
	case !granted:
		line(false, true, "Restart a quarantined job (admins): not available", "It needs "+diagnose.WritePermission+".")
	case len(gs.AdminGroups) == 0:
		line(false, true, "Restart a quarantined job (admins): not available", "It is for admins: set PROVBOT_ADMIN_GROUPS to their group object ids.")
	default:
		line(true, false, fmt.Sprintf("Restart a quarantined job (admins): available to %d group(s)", len(gs.AdminGroups)), "")
	}
}

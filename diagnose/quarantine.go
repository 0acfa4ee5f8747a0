package diagnose

import (
	"slices"
	"strings"
)

// quarantineCause is what a quarantine is about. The quarantine's own
// error (its code, else its message) decides, before the generic reason
// (EncounteredQuarantineException says only that an exception was met):
// facts §3.1 A, "a quarantine's own error code decides its category and
// fix". The job rules (rules_job.go), the plain words ({qreason}) and the
// Current Status panel all read it, so that they never disagree.
type quarantineCause int

const (
	// causeOther: calls to the app keep failing for a reason provbot has
	// no rule for (J07).
	causeOther quarantineCause = iota
	// causeCredentials: the app no longer accepts the admin credentials
	// (J08).
	causeCredentials
	// causeAutoRedemption: a cross-tenant synchronization whose access
	// settings do not allow automatic redemption of invitations (J15).
	causeAutoRedemption
	// causeDuplicateRoles: the service principal has app roles with
	// duplicate values (J13).
	causeDuplicateRoles
	// causeNotFound: the app answers 404 at the saved address (J12).
	causeNotFound
	// causeTooManyDeletes: accidental-deletions prevention (J11).
	causeTooManyDeletes
	// causeOnDemand: Microsoft quarantined the job by hand (J10).
	causeOnDemand
	// causeEscrow: too many objects failed (J09).
	causeEscrow
)

// quarantineCauseOf decides what a quarantine is about. A reason that
// names the cause itself (too many deletes, too many failures) decides;
// otherwise the error's own code, then its message, then the reason.
func quarantineCauseOf(q *Quarantine) quarantineCause {
	if q == nil {
		return causeOther
	}
	switch q.Reason {
	case QuarantineTooManyDeletes:
		return causeTooManyDeletes
	case QuarantineEscrowProportionThreshold, QuarantineTotalEscrowThreshold, QuarantineBaseEscrowThreshold:
		return causeEscrow
	}
	var code, msg string
	if q.Error != nil && !q.Error.IsNone() {
		code = strings.TrimSpace(q.Error.Code)
		if strings.EqualFold(code, "none") {
			code = ""
		}
		msg = strings.ToLower(q.Error.Message)
	}
	switch {
	case suffixMatch(code, credentialCodes) > 0:
		return causeCredentials
	case suffixMatch(code, crossTenantPolicyCodes) > 0 || autoRedemptionWords(msg):
		return causeAutoRedemption
	case duplicateRoleWords(strings.ToLower(code) + " " + msg):
		return causeDuplicateRoles
	case mentions404(q):
		return causeNotFound
	}
	switch q.Reason {
	case QuarantineOnDemand:
		return causeOnDemand
	case QuarantineException:
		if code == "" && msg == "" {
			// The generic exception with no error of its own: credentials
			// are the usual cause, and the rule says it is the usual one.
			return causeCredentials
		}
		for _, w := range []string{"credential", "unauthorized", "401", "token", "password", "secret", "authentication"} {
			if strings.Contains(strings.ToLower(code)+" "+msg, w) {
				return causeCredentials
			}
		}
	}
	return causeOther
}

// quarantinedFor returns a predicate: the job is quarantined now, for the
// cause.
func quarantinedFor(cause quarantineCause) func(c *Case) bool {
	return func(c *Case) bool {
		q := c.Quarantine()
		return c.Quarantined() && q != nil && quarantineCauseOf(q) == cause
	}
}

// autoRedemptionWords reports whether a quarantine message says that
// automatic redemption of invitations is not allowed.
func autoRedemptionWords(msg string) bool {
	return strings.Contains(msg, "auto-redemption") || strings.Contains(msg, "automatic redemption") || strings.Contains(msg, "autoredemption")
}

// duplicateRoleWords reports whether a quarantine error says the app's
// roles are not unique ("app roles with duplicate attribute values").
func duplicateRoleWords(s string) bool {
	return strings.Contains(s, "role") && (strings.Contains(s, "duplicate") || strings.Contains(s, "unique"))
}

// quarantineAutoRedemption reports whether a quarantine's own error says
// that cross-tenant access settings do not allow automatic redemption.
func quarantineAutoRedemption(q *Quarantine) bool { return quarantineCauseOf(q) == causeAutoRedemption }

// crossTenantPolicyCodes mean the cross-tenant access policy check failed.
var crossTenantPolicyCodes = []string{"AzureDirectoryB2BManagementPolicyCheckFailure"}

// credentialCodes are quarantine or entry error codes that mean the
// connection's admin credentials are wrong or expired.
var credentialCodes = []string{"InvalidCredentials", "CredentialValidationFailure", "CredentialsInvalid", "AuthenticationFailure", "TokenExpired"}

// mentions404 reports whether a quarantine error says the app answered 404.
func mentions404(q *Quarantine) bool {
	if q.Error == nil {
		return false
	}
	m := strings.ToLower(q.Error.Code + " " + q.Error.Message)
	return strings.Contains(m, "404") || strings.Contains(m, "notfound") || strings.Contains(m, "not found")
}

// isEscrowReason reports whether a quarantine reason is one of the "too
// many object failures" thresholds.
func isEscrowReason(r QuarantineReason) bool {
	switch r {
	case QuarantineEscrowProportionThreshold, QuarantineTotalEscrowThreshold, QuarantineBaseEscrowThreshold:
		return true
	}
	return false
}

// quarantinePlain says a quarantine's reason in plain words.
func quarantinePlain(q *Quarantine) string {
	switch quarantineCauseOf(q) {
	case causeCredentials:
		if q.Error != nil && suffixMatch(q.Error.Code, credentialCodes) > 0 {
			return "the app no longer accepts the admin credentials that provisioning uses"
		}
		return "provisioning cannot connect to the app, usually because its admin credentials are wrong or expired"
	case causeAutoRedemption:
		return "the cross-tenant access settings do not allow automatic redemption of invitations in both tenants"
	case causeDuplicateRoles:
		return "the app's roles are not unique (two roles share a value)"
	case causeNotFound:
		return "the app answers 404 (not found) at the address provisioning uses"
	case causeTooManyDeletes:
		return "more accounts were about to be disabled or deleted than the safety limit allows"
	case causeOnDemand:
		return "Microsoft stopped it by hand after detecting a problem"
	case causeEscrow:
		return "too many accounts failed to provision"
	}
	if q.Reason == QuarantineIngestionInterrupted {
		return "reading changes from the directory was interrupted"
	}
	if q.Error != nil && q.Error.Code != "" && !q.Error.IsNone() {
		return "the app keeps answering with an error (" + q.Error.Code + ")"
	}
	return "calls to the app keep failing"
}

// quarantineFixes are what an admin does about each cause of a quarantine,
// before the job is started again: the quarantine rules list them, and a
// job switched off after a long quarantine (J14) lists its cause's.
var quarantineFixes = map[quarantineCause][]Recommendation{
	causeCredentials: {
		{PartyAppAdmin, "Get a new admin token or password for {app}, enter it in the Provisioning page, select Test Connection and save."},
	},
	causeAutoRedemption: {
		{PartyAppAdmin, "In the source tenant: External Identities → Cross-tenant access settings → the target organization → Outbound access → Trust settings: tick Automatically redeem invitations."},
		{PartyAppAdmin, "In the target tenant: Cross-tenant access settings → the source organization → Inbound access: under Cross-tenant sync allow users to sync into this tenant, and under Trust settings tick Automatically redeem invitations."},
	},
	causeDuplicateRoles: {
		{PartyAppAdmin, "Remove the duplicate app role from the application's manifest (App registrations → {app} → Manifest → appRoles)."},
	},
	causeNotFound: {
		{PartyAppAdmin, "Check the Tenant URL in the {app} Provisioning page's admin credentials, then select Test Connection."},
		{PartyVendor, "If the URL is right, ask the {app} vendor to make their SCIM endpoint return 200 for the provisioning service's requests."},
	},
	causeTooManyDeletes: {
		{PartyAppAdmin, "Find out why so many users left scope (unassigned groups, a scoping filter change, deleted users) in the provisioning logs filtered on action StagedDelete."},
		{PartyAppAdmin, "If the deletions are wanted, select Allow deletes (or restart the job with resetScope ForceDeletes); if not, fix the assignments or scope."},
	},
	causeOnDemand: {
		{PartyAppAdmin, "Read the quarantine notification email and the provisioning logs for {app}, and fix the cause."},
		{PartyHelpDesk, "If the cause is unclear, open a case with Microsoft support and quote the job id {job}."},
	},
	causeEscrow: {
		{PartyAppAdmin, "Filter the {app} provisioning logs on status Failure and fix the most common error."},
	},
	causeOther: {
		{PartyAppAdmin, "Read the quarantine details on the {app} Provisioning page and the failures in its provisioning logs, and fix the cause."},
	},
}

// fixThen is a quarantine rule's actions: its cause's fixes, then what
// starts the job again.
func fixThen(cause quarantineCause, then Recommendation) []Recommendation {
	return append(slices.Clone(quarantineFixes[cause]), then)
}

// joinFixes says an admin's fixes in one action: the texts of the ones an
// app admin does, filled and joined.
func joinFixes(c *Case, fixes []Recommendation) string {
	var parts []string
	for _, r := range fixes {
		if r.Who == PartyAppAdmin {
			parts = append(parts, c.fill(r.Text))
		}
	}
	return strings.Join(parts, " ")
}

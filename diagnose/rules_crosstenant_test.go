package diagnose_test

import (
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// The cross-tenant synchronization configuration Contoso uses to copy its
// users into its Fabrikam tenant.
const (
	ctSPID    = "5a1c3e9d-2b7f-4c1a-9e0d-7f3b2a6c8d41"
	ctAppName = "Fabrikam"
	ctJobID   = "Azure2Azure.7928d5b574424a97ne2d66f9j9972ecn.5a1c3e9d2b7f4c1a9e0d7f3b2a6c8d41"
)

// crossTenant moves an entry to the Fabrikam cross-tenant configuration.
func crossTenant() mod {
	return func(e *diagnose.Entry) {
		e.JobID = ctJobID
		e.ServicePrincipal = diagnose.ServicePrincipal{ID: ctSPID, Name: ctAppName}
		e.TargetSystem = diagnose.System{DisplayName: "Azure Active Directory (target tenant)", Details: map[string]string{"ServicePrincipalId": ctSPID, "ServicePrincipalDisplayName": ctAppName}}
		for i := range e.Steps {
			if e.Steps[i].Type == diagnose.StepExport {
				e.Steps[i].Name = "EntryExportAdd"
			}
		}
	}
}

// fabrikam returns an input for Adele with the Fabrikam cross-tenant
// configuration in steady state and the given entries.
func fabrikam(entries ...diagnose.Entry) func() diagnose.Input {
	return func() diagnose.Input {
		j := job(func(j *diagnose.Job) { j.ID, j.TemplateID = ctJobID, "Azure2Azure" })
		app := diagnose.App{ID: ctSPID, Name: ctAppName, JobsKnown: true, Jobs: []diagnose.Job{j}, InScope: 120,
			Assignment: &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-30 * 24 * time.Hour), Scope: diagnose.ScopeAssigned}}
		return diagnose.Input{User: adele(), Entries: entries, Apps: []diagnose.App{app}}
	}
}

// ctFailed is a failed cross-tenant entry, ago before now.
func ctFailed(ago time.Duration, code, reason string, mods ...mod) diagnose.Entry {
	return entry(ago, append([]mod{crossTenant(), failed(code, reason)}, mods...)...)
}

// TestCrossTenantPolicyWords: a policy refusal said in words decides even
// when the code says nothing, or says "invalid credentials".
func TestCrossTenantPolicyWords(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{
			name: "a test connection that calls the auto-redemption policy 'invalid credentials' is a policy problem",
			in: fabrikam(ctFailed(20*time.Minute, "",
				"You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account.\nError code: AzureDirectoryB2BManagementPolicyCheckFailure\nDetails: Policy permitting auto-redemption of invitations not configured.")),
			wantRule: "XT11", wantCategory: diagnose.CrossTenantPolicy,
			wantHelpDesk: []string{"Policy permitting auto-redemption of invitations not configured.”", "both tenants"},
			wantEndUser:  []string{"a setting in one of the two tenants"},
		},
	})
}

func TestCrossTenantRules(t *testing.T) {
	m := time.Minute
	other := "your organization's other tenant"
	runRuleCases(t, []ruleCase{
		{
			name: "details mastered in Exchange Online in the other tenant cannot be updated",
			code: "AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService",
			in: fabrikam(ctFailed(20*m, "AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService",
				"Unable to update this object because the following attributes associated with this object have values that may already be associated with another object in your on-premises directory services: [extensionAttribute1]", action("update"))),
			wantRule: "XT01", wantCategory: diagnose.CrossTenantPolicy, wantSeverity: diagnose.SeverityWarning,
			wantHelpDesk: []string{"mastered in Exchange Online", "dirSyncEnabled", "AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService", "chg-134000"},
			wantEndUser:  []string{other, "managed by the mail system"},
		},
		{
			name: "automatic redemption is not allowed in both tenants, so the copy cannot be made",
			code: "AzureDirectoryB2BManagementPolicyCheckFailure",
			in: fabrikam(ctFailed(20*m, "AzureDirectoryB2BManagementPolicyCheckFailure",
				"The cross-tenant synchronization policy allowing automatic redemption failed.")),
			wantRule: "XT02", wantCategory: diagnose.CrossTenantPolicy, wantSeverity: diagnose.SeverityError,
			wantHelpDesk: []string{"automatically redeems invitations", "AzureDirectoryB2BManagementPolicyCheckFailure", "cyc-1340"},
			wantEndUser:  []string{other, "without an invite email"},
			wantEstimate: diagnose.EstimateAdminAction,
		},
		{
			name:     "the other tenant is full: its directory object quota is reached",
			code:     "AzureActiveDirectoryQuotaLimitExceeded",
			in:       fabrikam(ctFailed(20*m, "AzureActiveDirectoryQuotaLimitExceeded", "The directory object quota limit for the tenant has been exceeded.")),
			wantRule: "XT03", wantCategory: diagnose.LicenseLimit,
			wantHelpDesk: []string{"directory object quota", "AzureActiveDirectoryQuotaLimitExceeded"},
			wantEndUser:  []string{other, "That tenant is full"},
		},
		{
			name:     "the invitation into the other tenant failed",
			code:     "InvitationCreationFailure",
			in:       fabrikam(ctFailed(20*m, "InvitationCreationFailure", "The invitation could not be created.")),
			wantRule: "XT04", wantCategory: diagnose.CrossTenantPolicy,
			wantHelpDesk: []string{"invitation failed", "collaboration restrictions", "InvitationCreationFailure"},
			wantEndUser:  []string{other, "That invite failed"},
		},
		{
			name:     "the account in the other tenant is turned off with an invitation pending",
			code:     "InvitationCreationFailureUserAccountDisabled",
			in:       fabrikam(ctFailed(20*m, "InvitationCreationFailureUserAccountDisabled", "The user account is disabled.")),
			wantRule: "XT05", wantCategory: diagnose.CrossTenantPolicy,
			wantHelpDesk: []string{"disabled, with a pending invitation", "InvitationCreationFailureUserAccountDisabled"},
			wantEndUser:  []string{other, "it is turned off"},
		},
		{
			name:     "the other tenant does not allow guest invitations",
			code:     "AzureActiveDirectoryForbidden",
			in:       fabrikam(ctFailed(20*m, "AzureActiveDirectoryForbidden", "StatusCode: 403 Guest invitations not allowed for your company. Contact your administrator for more information.")),
			wantRule: "XT06", wantCategory: diagnose.CrossTenantPolicy,
			wantHelpDesk: []string{"external collaboration settings block invitations", "HTTP status 403", "Guest invitations not allowed"},
			wantEndUser:  []string{other, "turn away new outside accounts"},
		},
		{
			name:     "one of the account's values is not valid for an invitation in the other tenant",
			code:     "InvitationCreationFailureInvalidPropertyValue",
			in:       fabrikam(ctFailed(20*m, "InvitationCreationFailureInvalidPropertyValue", "Property value is invalid: userType.")),
			wantRule: "XT07", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"primary SMTP address", "userType mapping", "InvitationCreationFailureInvalidPropertyValue"},
			wantEndUser:  []string{other, "is not valid there"},
		},
		{
			name: "an account in the other tenant already uses the same address: the more specific invitation code wins",
			code: "InvitationCreationFailureAmbiguousUser",
			in: fabrikam(ctFailed(20*m, "InvitationCreationFailureAmbiguousUser",
				"The proxy address adele@contoso.com is already used by an internal user.")),
			wantRule: "XT08", wantCategory: diagnose.MatchingConflict,
			wantHelpDesk: []string{"proxy address of Adele Vance collides", "InvitationCreationFailureAmbiguousUser", "adele@contoso.com"},
			wantEndUser:  []string{other, "already uses one of your email addresses"},
		},
		{
			name:     "the account in the other tenant is run from its on-premises directory",
			code:     "AzureActiveDirectoryCannotUpdateObjectsMasteredOnPremises",
			in:       fabrikam(ctFailed(20*m, "AzureActiveDirectoryCannotUpdateObjectsMasteredOnPremises", "Unable to update this object because it is mastered on-premises.", action("update"))),
			wantRule: "XT09", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"on-premises Active Directory", "AzureActiveDirectoryCannotUpdateObjectsMasteredOnPremises", "update"},
			wantEndUser:  []string{other, "own local servers"},
		},
		{
			name: "admin role in the other tenant blocks removal: the longer code beats the generic rights rule",
			code: "AzureActiveDirectoryInsufficientRights",
			in: fabrikam(ctFailed(20*m, "AzureActiveDirectoryInsufficientRights",
				"Insufficient privileges to complete the operation.", action("delete"))),
			wantRule: "XT10", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"holds an administrator role", "may not delete it", "AzureActiveDirectoryInsufficientRights"},
			wantEndUser:  []string{other, "admin role"},
		},
		{
			name:     "a plain rights error in a cross-tenant job is still the generic rights rule",
			in:       fabrikam(ctFailed(20*m, "InsufficientRights", "Insufficient privileges to complete the operation.")),
			wantRule: "E01", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"InsufficientRights"},
		},
		{
			name: "a cross-tenant failure repeated three times is noted as retried",
			in: fabrikam(
				ctFailed(20*m, "AzureActiveDirectoryForbidden", "Guest invitations not allowed for your company."),
				ctFailed(60*m, "AzureActiveDirectoryForbidden", "Guest invitations not allowed for your company."),
				ctFailed(100*m, "AzureActiveDirectoryForbidden", "Guest invitations not allowed for your company.")),
			wantRule: "XT06", wantCategory: diagnose.CrossTenantPolicy,
			wantNotes: []string{"E16"},
		},
	})
}

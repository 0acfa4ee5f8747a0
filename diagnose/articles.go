package diagnose

// The Microsoft Learn articles the rules rest on.
var (
	articleTroubleshoot = Article{"Troubleshoot user provisioning", "https://learn.microsoft.com/entra/identity/app-provisioning/troubleshoot"}
	articleNoUsers      = Article{"No users are being provisioned", "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-no-users-provisioned"}
	articleQuarantine   = Article{"Application provisioning in quarantine status", "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-quarantine-status"}
	articleHowWorks     = Article{"How application provisioning works", "https://learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works"}
	articleWhenFinish   = Article{"When will provisioning finish for a specific user", "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-when-will-provisioning-finish-specific-user"}
	articleCheckStatus  = Article{"Check the status of user provisioning", "https://learn.microsoft.com/entra/identity/app-provisioning/check-status-user-account-provisioning"}
	articleAnalyzeLogs  = Article{"Analyze provisioning logs", "https://learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs"}
	articleScoping      = Article{"Scoping users or groups with scoping filters", "https://learn.microsoft.com/entra/identity/app-provisioning/define-conditional-rules-for-provisioning-user-accounts"}
	articleAttrMap      = Article{"Customize attribute mappings", "https://learn.microsoft.com/entra/identity/app-provisioning/customize-application-attributes"}
	articleAccidental   = Article{"Enable accidental deletions prevention", "https://learn.microsoft.com/entra/identity/app-provisioning/accidental-deletions"}
	articleKnownIssues  = Article{"Known issues for provisioning", "https://learn.microsoft.com/entra/identity/app-provisioning/known-issues"}
	articleOnDemand     = Article{"On-demand provisioning", "https://learn.microsoft.com/entra/identity/app-provisioning/provision-on-demand"}
	articleSkipOOS      = Article{"Skip deletion of user accounts that go out of scope", "https://learn.microsoft.com/entra/identity/app-provisioning/skip-out-of-scope-deletions"}
	articleUnmatched    = Article{"Unmatched users in the target app", "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-application-unmatched-users"}
	articleSCIMCompat   = Article{"Known issues with SCIM 2.0 compliance", "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility"}
	articleSCIM         = Article{"Develop a SCIM endpoint for provisioning", "https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups"}
	articleCrossTenant  = Article{"Configure cross-tenant synchronization", "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure"}
	articleRetention    = Article{"Microsoft Entra data retention", "https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention"}
	articlePortalConfig = Article{"Configure automatic user provisioning", "https://learn.microsoft.com/entra/identity/app-provisioning/configure-automatic-user-provisioning-portal"}
	articleObjConn      = Article{"Manage object connections", "https://learn.microsoft.com/entra/identity/app-provisioning/manage-object-connections"}
	articleProvLogs     = Article{"Provisioning logs", "https://learn.microsoft.com/entra/identity/monitoring-health/concept-provisioning-logs"}
)

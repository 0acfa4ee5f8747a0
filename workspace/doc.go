// Package workspace reads Microsoft Entra provisioning logs from a Log
// Analytics workspace, where organisations stream them to keep more than
// the 30 days Microsoft Graph keeps (Entra ID → Monitoring & health →
// Diagnostic settings → ProvisioningLogs → Send to Log Analytics
// workspace). It queries the workspace's AADProvisioningLogs table with the
// Azure SDK's logs query client (azquery) and the same azidentity
// credential the Graph adapter uses, whose identity needs the Log
// Analytics Reader role on the workspace, and converts the rows into the
// entries package diagnose reads, each marked with its origin.
//
// Every value a caller supplies reaches the query base64-encoded inside a
// literal (see kqlText), so no name, id or typed text can change the
// query. Needed says when a lookup needs the older history, Merge and
// AddHistory join it to what Graph gave.
//
// The Azure SDK stays inside this package; it imports diagnose and never
// graph or bot.
//
// https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-log-analytics
// https://learn.microsoft.com/azure/azure-monitor/reference/tables/aadprovisioninglogs
package workspace

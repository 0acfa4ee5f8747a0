// Package lafake is a fake Azure Monitor Log Analytics query API for
// tests and the demo. It speaks the wire protocol the Azure SDK's logs
// query client speaks (POST /v1/workspaces/{id}/query), runs a strict
// subset of KQL against workspaces holding AADProvisioningLogs rows, and
// answers the way the service answers: its response tables, its error
// objects, its per-caller throttling and its partial results.
//
// RowFromEntry writes provisioning log entries as Entra streams them to a
// workspace, with the table's quirks; Background generates a year of
// history; DemoWorkspace is the demo's workspace.
//
// The package does not import package testing; it imports diagnose (for
// the entries it writes as rows) and never workspace, graph or bot.
package lafake

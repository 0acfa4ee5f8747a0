// Package diagnose is provbot's domain core: it explains why one user's
// account is (or is not) provisioned into an app by Microsoft Entra ID,
// from that user's provisioning log entries, the app's synchronization job
// status, and facts about the user and their assignment.
//
// The package is pure: standard library only, no I/O, no context, and the
// current time is always passed in. Adapters (graph, bot, cmd) convert their
// wire formats into the types declared here and render the Diagnosis that
// comes back.
package diagnose

// Package graph is provbot's Microsoft Graph adapter: it fetches provisioning
// log entries, synchronization job status, users and assignments with
// msgraph-sdk-go and converts them into diagnose types.
package graph

package graph

import (
	"fmt"
	"io"

	"github.com/provbot/provbot/diagnose"
)

// maxOfflineSize bounds what ReadLogs and ReadJobs read: a month of a
// busy tenant's provisioning logs for one app stays well below it.
const maxOfflineSize = 512 << 20

// ReadLogs reads provisioning log entries from a saved file: a Graph list
// answer ({"value":[...]} with its @odata fields), a bare JSON array of
// entries, or the Entra portal's JSON download (beta-style action and
// statusInfo in place of provisioningAction and provisioningStatusInfo).
// It decodes with kiota's JSON parse nodes and converts with the same
// code as live lookups, so a field it cannot read never loses an entry.
// Array elements that are not objects are skipped. Malformed JSON is an
// error that says where it stops being JSON.
func ReadLogs(r io.Reader) (entries []diagnose.Entry, err error) {
	defer recoverOffline(&err, "read provisioning logs")
	root, err := readDocument(r, "read provisioning logs")
	if err != nil {
		return nil, err
	}
	entries, _, _, ok := entriesFromDocument(root)
	if !ok {
		return nil, fmt.Errorf("read provisioning logs: no entries found: want a Graph list answer {\"value\":[...]}, a JSON array of entries, or the portal's JSON download")
	}
	return entries, nil
}

// ReadJobs reads synchronization jobs from a saved file: one job object,
// a Graph list answer ({"value":[...]}) or a bare JSON array of jobs.
func ReadJobs(r io.Reader) (jobs []diagnose.Job, err error) {
	defer recoverOffline(&err, "read synchronization jobs")
	root, err := readDocument(r, "read synchronization jobs")
	if err != nil {
		return nil, err
	}
	jobs, ok := jobsFromDocument(root)
	if !ok {
		return nil, fmt.Errorf("read synchronization jobs: no jobs found: want a job object, a Graph list answer {\"value\":[...]} or a JSON array")
	}
	return jobs, nil
}

// recoverOffline turns a panic while decoding a file into an error.
func recoverOffline(err *error, op string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: recovered from a panic: %v", op, r)
	}
}

// readDocument reads and parses a whole JSON document.
func readDocument(r io.Reader, op string) (jnode, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxOfflineSize+1))
	if err != nil {
		return jnode{}, fmt.Errorf("%s: %w", op, err)
	}
	if len(data) > maxOfflineSize {
		return jnode{}, fmt.Errorf("%s: the file is larger than %d MiB", op, maxOfflineSize>>20)
	}
	root, err := parseJSON(data)
	if err != nil {
		return jnode{}, fmt.Errorf("%s: %w", op, err)
	}
	return root, nil
}

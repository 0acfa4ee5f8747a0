package graph_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/graph"
)

// FuzzReadLogs reads any file as a provisioning log download. It must
// never panic (ReadLogs turns a panic into an error; the fuzz target
// fails on that error too), and what it reads must survive WriteLogs and
// a second ReadLogs unchanged, as `logs --format json` then `--logs`
// does. Seeds: testdata/fuzz/FuzzReadLogs (the documentation's example,
// the portal's and Graph's forms, the demo's own export).
func FuzzReadLogs(f *testing.F) {
	f.Add([]byte(`{"value":[{"id":"e1","activityDateTime":"2025-03-01T10:00:00Z","provisioningAction":"create","provisioningStatusInfo":{"status":"failure","errorInformation":{"errorCode":"E"}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := graph.ReadLogs(bytes.NewReader(data))
		if err != nil {
			if strings.Contains(err.Error(), "panic") {
				t.Fatalf("ReadLogs panicked: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := graph.WriteLogs(&buf, entries); err != nil {
			t.Fatalf("WriteLogs of what ReadLogs read: %v", err)
		}
		back, err := graph.ReadLogs(&buf)
		if err != nil {
			t.Fatalf("ReadLogs of WriteLogs: %v\n%s", err, buf.String())
		}
		if len(entries) == 0 && len(back) == 0 {
			return
		}
		if diff := cmp.Diff(entries, back); diff != "" {
			t.Fatalf("round trip (-read +read back):\n%s", diff)
		}
	})
}

// FuzzReadJobs reads any file as saved synchronization jobs: never a
// panic, and a job read has a usable status.
func FuzzReadJobs(f *testing.F) {
	f.Add([]byte(`{"id":"j1","status":{"code":"Active"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := graph.ReadJobs(bytes.NewReader(data))
		if err != nil && strings.Contains(err.Error(), "panic") {
			t.Fatalf("ReadJobs panicked: %v", err)
		}
	})
}

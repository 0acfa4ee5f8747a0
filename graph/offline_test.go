package graph_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
)

func TestReadLogsAcceptsEverySavedForm(t *testing.T) {
	entry := `{"id": "e1", "activityDateTime": "2025-03-01T10:00:00Z", "provisioningAction": "create",
		"provisioningStatusInfo": {"status": "success", "errorInformation": null}}`
	portal := `{"id": "e1", "activityDateTime": "2025-03-01T10:00:00Z", "action": "Create",
		"statusInfo": {"@odata.type": "#microsoft.graph.statusDetails", "status": "success"}}`
	for _, tc := range []struct {
		name, doc string
	}{
		{"Graph list answer", `{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/provisioning",
			"@odata.nextLink": "https://graph.microsoft.com/v1.0/auditLogs/provisioning?$skiptoken=x", "value": [` + entry + `]}`},
		{"bare array", `[` + entry + `]`},
		{"single entry", entry},
		{"portal download", `[` + portal + `]`},
		{"beta list answer", `{"@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/provisioning", "value": [` + portal + `]}`},
		{"array with a stray element", `[` + entry + `, 42, null]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := graph.ReadLogs(strings.NewReader(tc.doc))
			if err != nil {
				t.Fatalf("ReadLogs: %v", err)
			}
			if len(got) != 1 || got[0].ID != "e1" || got[0].Action != diagnose.ActionCreate || got[0].Status != diagnose.ResultSuccess {
				t.Errorf("ReadLogs = %+v", got)
			}
		})
	}
}

func TestReadLogsSaysWhatIsWrong(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"empty file", "", "empty"},
		{"cut off", `{"value": [{"id": "a"`, "malformed JSON"},
		{"trailing comma", `{"value": [{"id": "a"},]}`, "malformed JSON"},
		{"trailing data", `[] []`, "after the JSON document"},
		{"not entries", `{"error": {"code": "x"}}`, "no entries found"},
		{"a string", `"hello"`, "no entries found"},
		{"value is not an array", `{"value": 3}`, "no entries found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := graph.ReadLogs(strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadLogs(%q) error = %v, want it to mention %q", tc.doc, err, tc.want)
			}
		})
	}
}

func TestWriteLogsRoundTripsWithoutLoss(t *testing.T) {
	e := newEnv(t, nil, nil)
	live, err := e.client.ProvisioningLogs(t.Context(), graph.LogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("fakegraph", "testdata", "examples", "provisioningObjectSummary-list-v1-example2-failure-entryconflict.json"))
	if err != nil {
		t.Fatal(err)
	}
	example, err := graph.ReadLogs(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	built := diagnose.Entry{ID: "built", Action: diagnose.ActionDisable, Status: diagnose.ResultSkipped,
		Steps: []diagnose.Step{{Name: "S", Type: diagnose.StepScoping, Status: diagnose.ResultSkipped}}}
	builtBack := built
	builtBack.RawAction, builtBack.RawStatus = "disable", "skipped"
	builtBack.Steps = []diagnose.Step{{Name: "S", Type: diagnose.StepScoping, RawType: "scoping", Status: diagnose.ResultSkipped, RawStatus: "skipped"}}

	for _, tc := range []struct {
		name     string
		in, want []diagnose.Entry
	}{
		{"entries from the fake, odd ones included", live, live},
		{"the documentation example", example, example},
		{"entries built in code gain their raw spelling", []diagnose.Entry{built}, []diagnose.Entry{builtBack}},
		{"no entries", nil, []diagnose.Entry{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := graph.WriteLogs(&buf, tc.in); err != nil {
				t.Fatal(err)
			}
			back, err := graph.ReadLogs(&buf)
			if err != nil {
				t.Fatalf("ReadLogs of WriteLogs: %v\n%s", err, buf.String())
			}
			if diff := cmp.Diff(tc.want, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteLogsWritesGraphWireNames(t *testing.T) {
	var buf bytes.Buffer
	err := graph.WriteLogs(&buf, []diagnose.Entry{{ID: "x", RawAction: "stageddelete", Action: diagnose.ActionStagedDelete,
		InitiatedBy: diagnose.Initiator{Type: "system"}, Error: &diagnose.ErrorInfo{Code: "E"}}})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`"value": [`, `"provisioningAction": "stageddelete"`, `"initiatorType": "system"`,
		`"errorInformation": {`, `"errorCode": "E"`, `"reason": null`, `"provisioningStatusInfo"`, `"details": {}`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}

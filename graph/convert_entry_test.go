package graph_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
)

// exampleDirs hold Microsoft's documentation examples: our copies, and
// the shared reference folder when present.
var exampleDirs = []string{
	filepath.Join("..", "diagnose", "testdata", "graph"),
	filepath.Join("fakegraph", "testdata", "examples"),
	filepath.Join("..", "..", "shared", "reference", "examples", "graph"),
}

// wantExample2 is Microsoft's v1.0 list example 2 (a failed group create,
// HTTP 409), field by field.
func wantExample2() diagnose.Entry {
	return diagnose.Entry{
		ID:           "gc532ff9-r265-ec76-861e-42e2970a8218",
		ActivityTime: time.Date(2019, 6, 24, 20, 53, 8, 0, time.UTC),
		ChangeID:     "eaad2f8b-e6e3-409b-83bd-e4e2e57177d5",
		CycleID:      "44576n58-v14b-70fj-8404-3d22tt46ed93",
		JobID:        "ContosoOutDelta.7928d5b574424a97ne2d66f9j9972ecn",
		TenantID:     "7928d5b5-7442-4a97-ne2d-66f9j9972ecn",
		Action:       diagnose.ActionCreate, RawAction: "create",
		Status: diagnose.ResultFailure, RawStatus: "failure",
		Error: &diagnose.ErrorInfo{
			Code: "ContosoEntryConflict",
			Reason: "Message: Contoso returned an error response with the HTTP status code 409.  This response indicates that a user or a group already exisits with the same name. " +
				"This can be avoided by identifying and removing the conflicting user from Contoso via the Contoso administrative user interface, or removing the current user from the scope of provisioning " +
				"either by removing their assignment to the Contoso application in Azure Active Directory or adding a scoping filter to exclude the user.",
			Category: "nonServiceFailure",
		},
		Steps: []diagnose.Step{
			{Name: "EntryImportAdd", Type: diagnose.StepImport, RawType: "import", Status: diagnose.ResultSuccess, RawStatus: "success",
				Description: "Received Group 'Self-service Pilot' change of type (Add) from Azure Active Directory"},
			{Name: "EntrySynchronizationAdd", Type: diagnose.StepMatching, RawType: "matching", Status: diagnose.ResultSuccess, RawStatus: "success",
				Description: "Group 'Self-service Pilot' will be created in Contoso (Group is active and assigned in Azure Active Directory, but no matching Group was found in Contoso)"},
			{Name: "EntryExportAdd", Type: diagnose.StepExport, RawType: "export", Status: diagnose.ResultFailure, RawStatus: "failure",
				Description: "Failed to create Group 'Self-service Pilot' in Contoso", Details: map[string]string{"ReportableIdentifier": "Self-service Pilot"}},
		},
		Modified: []diagnose.ModifiedProperty{
			{Name: "objectId", NewValue: "5e0c9eae-ad3d-4139-5ad0-174391d110eb"},
			{Name: "displayName", NewValue: "Self-service Pilot"},
			{Name: "mailEnabled", NewValue: "False"},
			{Name: "mailNickname", NewValue: "5ce25n9a-4c5f-45c9-8362-ef3da29c66c5"},
			{Name: "securityEnabled", NewValue: "True"},
			{Name: "Name", NewValue: "Self-service Pilot"},
		},
		Source:           diagnose.Identity{ID: "5e6c9rae-ab4d-5239-8ad0-174391d110eb", DisplayName: "Self-service Pilot", Type: "Group"},
		Target:           diagnose.Identity{Type: "Group"},
		ServicePrincipal: diagnose.ServicePrincipal{ID: "chc46a42-966b-47d7-9774-576b1c8bd0b8", Name: "Contoso"},
		SourceSystem:     diagnose.System{ID: "0404601d-a9c0-4ec7-bbcd-02660120d8c9", DisplayName: "Azure Active Directory"},
		TargetSystem: diagnose.System{ID: "cd22f60b-5f2d-1adg-adb4-76ef31db996b", DisplayName: "Contoso", Details: map[string]string{
			"ApplicationId":               "f2764360-e0ec-5676-711e-cd6fc0d4dd61",
			"ServicePrincipalId":          "chc46a42-966b-47d7-9774-576b1c8bd0b8",
			"ServicePrincipalDisplayName": "Contoso",
		}},
		InitiatedBy: diagnose.Initiator{DisplayName: "Azure AD Provisioning Service", Type: "system"},
		Duration:    2785 * time.Millisecond,
	}
}

func TestDocumentationEntryExampleConvertsWithoutLoss(t *testing.T) {
	const name = "provisioningObjectSummary-list-v1-example2-failure-entryconflict.json"
	for _, dir := range exampleDirs {
		t.Run(dir, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, name))
			if os.IsNotExist(err) {
				t.Skipf("%s not present", dir)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := graph.ReadLogs(f)
			if err != nil {
				t.Fatalf("ReadLogs: %v", err)
			}
			if diff := cmp.Diff([]diagnose.Entry{wantExample2()}, got); diff != "" {
				t.Errorf("example entry (-want +got):\n%s", diff)
			}
		})
	}
}

// oddEntry is a provisioningObjectSummary with the fields a case does not
// care about filled in normally.
func oddEntry(fields string) string {
	return `{"id": "odd", "activityDateTime": "2025-03-01T10:00:00Z", "provisioningAction": "create",
	  "servicePrincipal": {"id": "sp", "displayName": "App"},
	  "sourceIdentity": {"id": "u", "displayName": "User", "identityType": "User", "details": {}},
	  "provisioningStatusInfo": {"status": "success", "errorInformation": null}` + fields + `}`
}

func TestOddEntryFieldsAreKeptRaw(t *testing.T) {
	for _, tc := range []struct {
		name  string
		json  string
		check func(t *testing.T, e diagnose.Entry)
	}{
		{"capitalised step type Import is an import step", oddEntry(`, "provisioningSteps": [{"name": "EntryImport", "provisioningStepType": "Import", "status": "Success"}]`),
			func(t *testing.T, e diagnose.Entry) {
				if s := e.Steps[0]; s.Type != diagnose.StepImport || s.RawType != "Import" || s.Status != diagnose.ResultSuccess || s.RawStatus != "Success" {
					t.Errorf("step = %+v", s)
				}
			}},
		{"lowercase stageddelete is a staged delete", `{"id": "x", "provisioningAction": "stageddelete"}`,
			func(t *testing.T, e diagnose.Entry) {
				if e.Action != diagnose.ActionStagedDelete || e.RawAction != "stageddelete" {
					t.Errorf("action = %q raw %q", e.Action, e.RawAction)
				}
			}},
		{"camel-case stagedDelete is a staged delete", `{"id": "x", "provisioningAction": "stagedDelete"}`,
			func(t *testing.T, e diagnose.Entry) {
				if e.Action != diagnose.ActionStagedDelete || e.RawAction != "stagedDelete" {
					t.Errorf("action = %q raw %q", e.Action, e.RawAction)
				}
			}},
		{"initiatingType stands for initiatorType", oddEntry(`, "initiatedBy": {"id": "", "displayName": "Azure AD Provisioning Service", "initiatingType": "system"}`),
			func(t *testing.T, e diagnose.Entry) {
				if e.InitiatedBy.Type != "system" {
					t.Errorf("initiator = %+v", e.InitiatedBy)
				}
			}},
		{"unknownFutureValue and unknown enums keep their spelling", `{"id": "x", "provisioningAction": "unknownFutureValue",
			"provisioningStatusInfo": {"status": "somethingNew"}, "provisioningSteps": [{"provisioningStepType": "somethingNew", "status": "unknownFutureValue"}]}`,
			func(t *testing.T, e diagnose.Entry) {
				if e.Action != diagnose.ActionOther || e.RawAction != "unknownFutureValue" || e.Status != diagnose.ResultUnknown || e.RawStatus != "somethingNew" {
					t.Errorf("entry = %q/%q %q/%q", e.Action, e.RawAction, e.Status, e.RawStatus)
				}
				if s := e.Steps[0]; s.Type != diagnose.StepUnknown || s.RawType != "somethingNew" || s.Status != diagnose.ResultUnknown {
					t.Errorf("step = %+v", s)
				}
			}},
		{"empty timestamp is never, and the entry survives", `{"id": "x", "activityDateTime": "", "provisioningAction": "create"}`,
			func(t *testing.T, e diagnose.Entry) {
				if !e.ActivityTime.IsZero() || e.Action != diagnose.ActionCreate {
					t.Errorf("entry = %+v", e)
				}
			}},
		{"0001-01-01 timestamp is never", `{"id": "x", "activityDateTime": "0001-01-01T00:00:00Z"}`,
			func(t *testing.T, e diagnose.Entry) {
				if !diagnose.IsNever(e.ActivityTime) || !e.ActivityTime.IsZero() {
					t.Errorf("time = %v", e.ActivityTime)
				}
			}},
		{"timestamp without a zone is UTC", `{"id": "x", "activityDateTime": "2025-03-01T10:00:00"}`,
			func(t *testing.T, e diagnose.Entry) {
				if want := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC); !e.ActivityTime.Equal(want) || e.ActivityTime.Location() != time.UTC {
					t.Errorf("time = %v", e.ActivityTime)
				}
			}},
		{"fractional and offset timestamps become UTC", `{"id": "x", "activityDateTime": "2025-03-01T12:00:00.1234567+02:00"}`,
			func(t *testing.T, e diagnose.Entry) {
				if want := time.Date(2025, 3, 1, 10, 0, 0, 123456700, time.UTC); !e.ActivityTime.Equal(want) {
					t.Errorf("time = %v", e.ActivityTime)
				}
			}},
		{"unparseable timestamp is never, and the entry survives", `{"id": "x", "activityDateTime": "yesterday", "changeId": "c"}`,
			func(t *testing.T, e diagnose.Entry) {
				if !e.ActivityTime.IsZero() || e.ChangeID != "c" {
					t.Errorf("entry = %+v", e)
				}
			}},
		{"errorInformation null is no error", oddEntry(""),
			func(t *testing.T, e diagnose.Entry) {
				if e.Error != nil {
					t.Errorf("error = %+v", e.Error)
				}
			}},
		{"errorInfo, the documented spelling, is read too", `{"id": "x", "provisioningStatusInfo": {"status": "failure", "errorInfo": {"errorCode": "E1"}}}`,
			func(t *testing.T, e diagnose.Entry) {
				if e.ErrorCode() != "E1" {
					t.Errorf("error = %+v", e.Error)
				}
			}},
		{"null error fields are empty", `{"id": "x", "provisioningStatusInfo": {"status": "failure", "errorInformation": {"errorCode": "E", "reason": null, "errorCategory": null}}}`,
			func(t *testing.T, e diagnose.Entry) {
				if *e.Error != (diagnose.ErrorInfo{Code: "E"}) {
					t.Errorf("error = %+v", e.Error)
				}
			}},
		{"servicePrincipal as one object", oddEntry(""),
			func(t *testing.T, e diagnose.Entry) {
				if e.ServicePrincipal != (diagnose.ServicePrincipal{ID: "sp", Name: "App"}) {
					t.Errorf("sp = %+v", e.ServicePrincipal)
				}
			}},
		{"servicePrincipal as the documented collection", `{"id": "x", "servicePrincipal": [{"id": "sp", "name": "App"}]}`,
			func(t *testing.T, e diagnose.Entry) {
				if e.ServicePrincipal != (diagnose.ServicePrincipal{ID: "sp", Name: "App"}) {
					t.Errorf("sp = %+v", e.ServicePrincipal)
				}
			}},
		{"duration as a string or a float", `{"id": "x", "durationInMilliseconds": "250"}`,
			func(t *testing.T, e diagnose.Entry) {
				if e.Duration != 250*time.Millisecond {
					t.Errorf("duration = %v", e.Duration)
				}
			}},
		{"non-string details are kept as text", `{"id": "x", "provisioningSteps": [{"details": {"n": 3, "b": true, "o": {"k": "v"}, "z": null, "s": "{\"a\":1}"}}]}`,
			func(t *testing.T, e diagnose.Entry) {
				want := map[string]string{"n": "3", "b": "true", "o": `{"k":"v"}`, "z": "", "s": `{"a":1}`}
				if diff := cmp.Diff(want, e.Steps[0].Details); diff != "" {
					t.Errorf("details (-want +got):\n%s", diff)
				}
			}},
		{"a field of the wrong type is empty, the rest survives", `{"id": "x", "jobId": {"odd": true}, "cycleId": "c", "provisioningSteps": "none"}`,
			func(t *testing.T, e diagnose.Entry) {
				if e.JobID != `{"odd":true}` || e.CycleID != "c" || e.Steps != nil {
					t.Errorf("entry = %+v", e)
				}
			}},
		{"beta action and flat statusInfo", `{"id": "x", "action": "Create", "statusInfo": {"@odata.type": "#microsoft.graph.statusDetails",
			"status": "failure", "errorCode": "E", "reason": "why", "additionalDetails": "more", "errorCategory": "failure", "recommendedAction": "fix"}}`,
			func(t *testing.T, e diagnose.Entry) {
				if e.Action != diagnose.ActionCreate || e.RawAction != "Create" || e.Status != diagnose.ResultFailure {
					t.Errorf("entry = %+v", e)
				}
				want := diagnose.ErrorInfo{Code: "E", Reason: "why", AdditionalDetails: "more", Category: "failure", RecommendedAction: "fix"}
				if e.Error == nil || *e.Error != want {
					t.Errorf("error = %+v", e.Error)
				}
			}},
		{"beta statusInfo without error fields is no error", `{"id": "x", "statusInfo": {"status": "success"}}`,
			func(t *testing.T, e diagnose.Entry) {
				if e.Error != nil || e.Status != diagnose.ResultSuccess {
					t.Errorf("entry = %+v", e)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := graph.ReadLogs(strings.NewReader("[" + tc.json + "]"))
			if err != nil {
				t.Fatalf("ReadLogs: %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d entries, want 1", len(got))
			}
			tc.check(t, got[0])
		})
	}
}

func TestFixtureEntriesAllDecodeThroughTheFake(t *testing.T) {
	// Every entry of the fixture comes back through the real SDK and the
	// fake, the odd ones included (a string duration, servicePrincipal as
	// an array, unknown enums, initiatingType, null details).
	e := newEnv(t, nil, nil)
	got, err := e.client.ProvisioningLogs(t.Context(), graph.LogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 {
		t.Fatalf("got %d entries, want 6", len(got))
	}
	var odd *diagnose.Entry
	for i := range got {
		if got[i].ID == "p-conan-odd" {
			odd = &got[i]
		}
	}
	if odd == nil {
		t.Fatal("the odd entry is missing")
	}
	want := diagnose.Entry{
		ID: "p-conan-odd", ActivityTime: testNow().Add(-time.Hour), ChangeID: "change-4", CycleID: "cycle-4",
		JobID: "SlackOutDelta.f6f6f6f6f6f64f6f8f6ff6f6f6f6f6f6", TenantID: "c0ffee00-1111-4222-8333-444455556666",
		Action: diagnose.ActionOther, RawAction: "somethingNew", Status: diagnose.ResultUnknown, RawStatus: "unknownFutureValue",
		Error: &diagnose.ErrorInfo{Code: "SlackRateLimited", Category: "somethingNew"},
		Steps: []diagnose.Step{
			{Name: "EntryImport", Type: diagnose.StepImport, RawType: "Import", Status: diagnose.ResultSuccess, RawStatus: "Success"},
			{Name: "EntryNew", Type: diagnose.StepUnknown, RawType: "somethingNew", Status: diagnose.ResultUnknown, Description: "x"},
		},
		Modified:         []diagnose.ModifiedProperty{{Name: "title", NewValue: "Host"}},
		Source:           diagnose.Identity{ID: conanID, DisplayName: "Conan O'Brien", Type: "User"},
		Target:           diagnose.Identity{ID: "U012345", DisplayName: "Conan O'Brien", Type: "User"},
		ServicePrincipal: diagnose.ServicePrincipal{ID: slackID, Name: "Slack"},
		SourceSystem:     diagnose.System{ID: "0404601d-a9c0-4ec7-bbcd-02660120d8c9", DisplayName: "Azure Active Directory"},
		TargetSystem:     diagnose.System{ID: "slack", DisplayName: "Slack", Details: map[string]string{"Nested": `{"a":1}`, "Flag": "true", "Count": "3"}},
		InitiatedBy:      diagnose.Initiator{DisplayName: "Azure AD Provisioning Service", Type: "system"},
		Duration:         17 * time.Millisecond,
	}
	if diff := cmp.Diff(want, *odd); diff != "" {
		t.Errorf("odd entry (-want +got):\n%s", diff)
	}
}

package workspace

import (
	"os"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"
	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/diagnose"
)

// documentedRows decodes testdata/aadprovisioninglogs-rows.json the way
// the SDK decodes an answer.
func documentedRows(t *testing.T) []row {
	t.Helper()
	data, err := os.ReadFile("testdata/aadprovisioninglogs-rows.json")
	if err != nil {
		t.Fatal(err)
	}
	var res azquery.Results
	if err := res.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	tb := res.Tables[0]
	cols := map[string]int{}
	for i, c := range tb.Columns {
		cols[*c.Name] = i
	}
	var out []row
	for _, r := range tb.Rows {
		out = append(out, row{cols: cols, vals: r})
	}
	return out
}

func TestRowsBecomeTheEntriesTheEngineReads(t *testing.T) {
	rows := documentedRows(t)
	reason := "Message: Contoso returned an error response with the HTTP status code 409.  This response indicates that a user or a group already exisits with the same name. This can be avoided by identifying and removing the conflicting user from Contoso via the Contoso administrative user interface, or removing the current user from the scope of provisioning either by removing their assignment to the Contoso application in Azure Active Directory or adding a scoping filter to exclude the user."
	ws := diagnose.OriginWorkspace
	for i, tc := range []struct {
		name string
		want diagnose.Entry
	}{
		{
			name: "the documentation's 409 conflict: reason from ResultDescription, code from ResultSignature, tenant from AADTenantId, no source system from the agent type",
			want: diagnose.Entry{
				ID: "gc532ff9-r265-ec76-861e-42e2970a8218", ActivityTime: time.Date(2019, 6, 24, 20, 53, 8, 0, time.UTC),
				ChangeID: "eaad2f8b-e6e3-409b-83bd-e4e2e57177d5", CycleID: "44576n58-v14b-70fj-8404-3d22tt46ed93",
				JobID: "ContosoOutDelta.7928d5b574424a97ne2d66f9j9972ecn", TenantID: "7928d5b5-7442-4a97-ne2d-66f9j9972ecn",
				Action: diagnose.ActionCreate, RawAction: "create", Status: diagnose.ResultFailure, RawStatus: "Failure",
				Error: &diagnose.ErrorInfo{Code: "ContosoEntryConflict", Reason: reason, Category: "nonServiceFailure"},
				Steps: []diagnose.Step{
					{Name: "EntryImportAdd", Type: diagnose.StepImport, RawType: "import", Status: diagnose.ResultSuccess, RawStatus: "success",
						Description: "Received Group 'Self-service Pilot' change of type (Add) from Azure Active Directory"},
					{Name: "EntrySynchronizationAdd", Type: diagnose.StepMatching, RawType: "matching", Status: diagnose.ResultSuccess, RawStatus: "success",
						Description: "Group 'Self-service Pilot' will be created in Contoso (Group is active and assigned in Azure Active Directory, but no matching Group was found in Contoso)"},
					{Name: "EntryExportAdd", Type: diagnose.StepExport, RawType: "export", Status: diagnose.ResultFailure, RawStatus: "failure",
						Description: "Failed to create Group 'Self-service Pilot' in Contoso", Details: map[string]string{"ReportableIdentifier": "Self-service Pilot"}},
				},
				Modified: []diagnose.ModifiedProperty{
					{Name: "objectId", NewValue: "5e0c9eae-ad3d-4139-5ad0-174391d110eb"}, {Name: "displayName", NewValue: "Self-service Pilot"},
					{Name: "mailEnabled", NewValue: "False"}, {Name: "mailNickname", NewValue: "5ce25n9a-4c5f-45c9-8362-ef3da29c66c5"},
					{Name: "securityEnabled", NewValue: "True"}, {Name: "Name", NewValue: "Self-service Pilot"},
				},
				Source:           diagnose.Identity{ID: "5e6c9rae-ab4d-5239-8ad0-174391d110eb", DisplayName: "Self-service Pilot", Type: "Group"},
				Target:           diagnose.Identity{Type: "Group"},
				ServicePrincipal: diagnose.ServicePrincipal{ID: "chc46a42-966b-47d7-9774-576b1c8bd0b8", Name: "Contoso"},
				TargetSystem: diagnose.System{ID: "cd22f60b-5f2d-1adg-adb4-76ef31db996b", DisplayName: "Contoso",
					Details: map[string]string{"ApplicationId": "f2764360-e0ec-5676-711e-cd6fc0d4dd61", "ServicePrincipalId": "chc46a42-966b-47d7-9774-576b1c8bd0b8", "ServicePrincipalDisplayName": "Contoso"}},
				InitiatedBy: diagnose.Initiator{DisplayName: "Azure AD Provisioning Service", Type: "system"},
				Duration:    2785 * time.Millisecond, Origin: ws,
			},
		},
		{
			name: "the cross-tenant example: Graph's key spelling, the source system as JSON, step details that are JSON inside a string kept as text",
			want: diagnose.Entry{
				ID: "b1b8a1f2-5d7c-4a3e-9e0b-6c2d1f3a4e55", ActivityTime: time.Date(2022, 12, 10, 9, 41, 27, 532987300, time.UTC),
				ChangeID: "1a0e1d4c-0d3c-4ac1-8d3a-f0a0d3c5d2b1", CycleID: "9ee0a3b6-c4e8-4f3b-8a1c-0b2c6f0e2d44",
				JobID: "Azure2Azure.aaaabbbb0000cccc1111dddd2222eeee.5ef3be57-f45f-4518-88c4-68a7fda680bb", TenantID: "aaaabbbb-0000-cccc-1111-dddd2222eeee",
				Action: diagnose.ActionCreate, RawAction: "create", Status: diagnose.ResultSuccess, RawStatus: "Success",
				Steps: []diagnose.Step{
					{Name: "EntryImportAdd", Type: diagnose.StepImport, RawType: "import", Status: diagnose.ResultSuccess, RawStatus: "success",
						Description: "Received User 'user4@fabrikam.com' change of type (Add) from Azure Active Directory",
						Details: map[string]string{"objectId": "{sourceUserObjectId}", "accountEnabled": "True", "department": "Marketing",
							"displayName": "User4", "mailNickname": "user4", "userPrincipalName": "user4@fabrikam.com"}},
					{Name: "EntrySynchronizationScoping", Type: diagnose.StepScoping, RawType: "scoping", Status: diagnose.ResultSuccess, RawStatus: "success",
						Description: "Determine if User in scope by evaluating against each scoping filter",
						Details: map[string]string{"Active in the source system": "True", "Assigned to the application": "True",
							"ScopeEvaluationResult": `{"Marketing department filter.department EQUALS 'Marketing'":true}`}},
					{Name: "EntryExportAdd", Type: diagnose.StepExport, RawType: "export", Status: diagnose.ResultSuccess, RawStatus: "success",
						Description: "User 'user4@fabrikam.com' was created in Contoso", Details: map[string]string{"ReportableIdentifier": "user4@fabrikam.com"}},
				},
				Modified: []diagnose.ModifiedProperty{{Name: "accountEnabled", NewValue: "True"}, {Name: "userType", NewValue: "Member"}},
				Source: diagnose.Identity{ID: "{sourceUserObjectId}", DisplayName: "User4", Type: "User",
					Details: map[string]string{"id": "{sourceUserObjectId}", "odatatype": "User", "DisplayName": "User4", "UserPrincipalName": "user4@fabrikam.com"}},
				Target:           diagnose.Identity{ID: "{targetUserObjectId}", Type: "User"},
				ServicePrincipal: diagnose.ServicePrincipal{ID: "7ef39364-7541-5e2d-a31b-aab9e8c6daf5", Name: "Contoso to Fabrikam"},
				SourceSystem:     diagnose.System{ID: "0404601d-a9c0-4ec7-bbcd-02660120d8c9", DisplayName: "Azure Active Directory"},
				TargetSystem: diagnose.System{ID: "11deebde-11c8-539a-b483-d121b831842d", DisplayName: "Fabrikam",
					Details: map[string]string{"ServicePrincipalId": "7ef39364-7541-5e2d-a31b-aab9e8c6daf5"}},
				InitiatedBy: diagnose.Initiator{DisplayName: "Azure AD Provisioning Service", Type: "system"},
				Duration:    1311 * time.Millisecond, Origin: ws,
			},
		},
		{
			name: "values no document lists are kept as they are: an unknown result, the Action column, PascalCase status info, an unknown step type",
			want: diagnose.Entry{
				ID: "row-3-quirks", ActivityTime: time.Date(2026, 2, 3, 4, 5, 6, 700000000, time.UTC), ChangeID: "c3", CycleID: "cy3",
				JobID: "SlackOutDelta.82e407ec31bc56ceaed5375dddebdfd3.d34c4158-12e4-5905-96a4-2d37b7f4159f", TenantID: "82e407ec-31bc-56ce-aed5-375dddebdfd3",
				Action: diagnose.ActionStagedDelete, RawAction: "StagedDelete", Status: diagnose.ResultUnknown, RawStatus: "unknownFutureValue",
				Error: &diagnose.ErrorInfo{Code: "SlackSomethingNew", Reason: "A reason only the status info carries.", Category: "failure"},
				Steps: []diagnose.Step{
					{Name: "EntryImport", Type: diagnose.StepImport, RawType: "Import", Status: diagnose.ResultSuccess, RawStatus: "Success",
						Description: "Retrieved User 'miriam.graham@contoso.com' from Azure Active Directory",
						Details:     map[string]string{"accountEnabled": "True", "IsSoftDeleted": "False"}},
					{Name: "EntryExportStagedDelete", Type: diagnose.StepUnknown, RawType: "Provisioning", Status: diagnose.ResultUnknown, RawStatus: "unknownFutureValue",
						Description: "A step of a kind no document lists", Details: map[string]string{"HeldBy": "AccidentalDeletionPrevention"}},
				},
				Source: diagnose.Identity{ID: "04b44de2-4b86-5576-8c45-4badd2d57638", DisplayName: "Miriam Graham", Type: "User",
					Details: map[string]string{"UserPrincipalName": "miriam.graham@contoso.com"}},
				Target:           diagnose.Identity{ID: "U04MIRIAM", DisplayName: "Miriam Graham", Type: "urn:ietf:params:scim:schemas:core:2.0:User"},
				ServicePrincipal: diagnose.ServicePrincipal{ID: "c589abf9-8675-5287-bda3-3aed7366014e", Name: "Slack"},
				TargetSystem: diagnose.System{ID: "27b8b053-f5c4-537f-822d-9d445eda0cb0", DisplayName: "Slack",
					Details: map[string]string{"ServicePrincipalId": "c589abf9-8675-5287-bda3-3aed7366014e"}},
				InitiatedBy: diagnose.Initiator{DisplayName: "Azure AD Provisioning Service", Type: "system"},
				Origin:      ws,
			},
		},
		{
			name: "object cells instead of JSON text, a time without a zone, a skipped scoping step",
			want: diagnose.Entry{
				ID: "row-4-objects", ActivityTime: time.Date(2026, 3, 1, 10, 0, 0, 123456700, time.UTC), ChangeID: "c4", CycleID: "cy4",
				JobID: "ServiceNowOutDelta.82e407ec31bc56ceaed5375dddebdfd3.0250aab7-45b1-582b-88fb-da510ada5557", TenantID: "82e407ec-31bc-56ce-aed5-375dddebdfd3",
				Action: diagnose.ActionOther, RawAction: "Other", Status: diagnose.ResultSkipped, RawStatus: "Skipped",
				Steps: []diagnose.Step{{Name: "EntrySynchronizationScoping", Type: diagnose.StepScoping, RawType: "scoping", Status: diagnose.ResultSkipped, RawStatus: "skipped",
					Description: "Determine if User in scope by evaluating against each scoping filter",
					Details:     map[string]string{"Assigned to the application": "False", "SkipReason": "NotEffectivelyEntitled"}}},
				Source: diagnose.Identity{ID: "e1047c35-590a-5875-8764-c5133cfa4477", DisplayName: "Christie Cline", Type: "User",
					Details: map[string]string{"UserPrincipalName": "christie.cline@contoso.com"}},
				Target:           diagnose.Identity{Type: "User"},
				ServicePrincipal: diagnose.ServicePrincipal{ID: "79867c67-c485-5f9f-8ac7-e327ede941e0", Name: "ServiceNow"},
				TargetSystem:     diagnose.System{ID: "c78656e9-b42f-58db-84ff-e232ebfc944f", DisplayName: "ServiceNow"},
				InitiatedBy:      diagnose.Initiator{DisplayName: "Azure AD Provisioning Service", Type: "system"},
				Duration:         412 * time.Millisecond, Origin: ws,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := entryFromRow(rows[i])
			if !ok {
				t.Fatal("row not converted")
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("entry (-want +got):\n%s", d)
			}
		})
	}
	t.Run("a row with neither an id nor a time is skipped", func(t *testing.T) {
		if e, ok := entryFromRow(rows[4]); ok {
			t.Errorf("converted: %+v", e)
		}
	})
}

func TestConvertedRowsDecideLikeGraphsEntries(t *testing.T) {
	// The documentation's conflict, made a user's, reaches the same verdict
	// whether it came from Graph or from the workspace.
	e, _ := entryFromRow(documentedRows(t)[0])
	e.Source.Type, e.Target.Type = "User", "User"
	ds := diagnose.Diagnose(diagnose.Input{Entries: []diagnose.Entry{e}}, time.Date(2019, 6, 24, 23, 53, 8, 0, time.UTC))
	if len(ds) != 1 || ds[0].Category != diagnose.MatchingConflict {
		t.Fatalf("diagnoses %+v", ds)
	}
	if ds[0].Source == nil || ds[0].Source.Text != "from the Log Analytics workspace, 3 hours ago" {
		t.Errorf("source %+v", ds[0].Source)
	}
}

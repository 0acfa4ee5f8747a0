package diagnose_test

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/golden"
)

// goldenScenarios are whole diagnoses kept as golden files: every field of
// the answer, for both audiences.
func goldenScenarios(t *testing.T) map[string]diagnose.Input {
	h := time.Hour
	healthy := job()
	conflict := decodeEntries(t, readExample(t, "provisioningObjectSummary-list-v1-example2-failure-entryconflict.json"))
	for i := range conflict {
		// The real example is about a group; make it Adele's, keeping
		// every other field (and quirk) as Graph sent it.
		conflict[i].Source = diagnose.Identity{ID: adeleID, DisplayName: "Adele Vance", Type: "User"}
		conflict[i].Target.Type = "User"
	}
	contoso := diagnose.App{ID: conflict[0].ServicePrincipal.ID, Name: "Contoso", JobsKnown: true,
		Jobs: []diagnose.Job{healthyJob(15 * time.Minute)}}
	contoso.Jobs[0].ID = conflict[0].JobID
	exampleJob := decodeJob(t, readExample(t, "synchronizationJob-get-v1-paused-quarantine-invalidcredentials.json"))
	dropbox := diagnose.App{ID: "9a1c0f1e-0000-4000-8000-00000000d00b", Name: "Dropbox Business", JobsKnown: true,
		Jobs:       []diagnose.Job{healthyJob(5 * time.Minute)},
		Assignment: &diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: diagnose.ScopeAssigned}}
	return map[string]diagnose.Input{
		"graph-example-entry-conflict": {
			User: adele(), Entries: conflict, Apps: []diagnose.App{contoso},
		},
		"graph-example-job-paused-after-credentials-quarantine": {
			User: adele(), Apps: []diagnose.App{{ID: spID, Name: "Box", JobsKnown: true, Jobs: []diagnose.Job{exampleJob},
				Assignment: &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: now.Add(-90 * 24 * h)}}},
		},
		"three-apps-worst-first": {
			User: adele(),
			Entries: []diagnose.Entry{
				entry(26 * h),
				entry(3*h, func(e *diagnose.Entry) {
					e.ServicePrincipal = diagnose.ServicePrincipal{ID: "sp-servicenow", Name: "ServiceNow"}
					e.JobID = "ServiceNowOutDelta.1"
					e.TargetSystem.DisplayName = "ServiceNow"
				}, failed("ServiceNowMandatoryFieldsMissing", "StatusCode: 400 Message: Mandatory field 'department' is missing.")),
			},
			Apps: []diagnose.App{salesforce(&healthy, nil), dropbox,
				{ID: "sp-servicenow", Name: "ServiceNow", JobsKnown: true, Jobs: []diagnose.Job{healthyJob(20 * time.Minute)}}},
		},
		"failed-three-times-then-created": {
			User: adele(),
			Entries: []diagnose.Entry{
				entry(30*h, failed("SalesforceLicenseLimitExceeded", "StatusCode: 403 LICENSE_LIMIT_EXCEEDED")),
				entry(20*h, failed("SalesforceLicenseLimitExceeded", "StatusCode: 403 LICENSE_LIMIT_EXCEEDED")),
				entry(4*h, failed("SalesforceLicenseLimitExceeded", "StatusCode: 403 LICENSE_LIMIT_EXCEEDED")),
				entry(1 * h),
			},
			Apps: []diagnose.App{salesforce(&healthy, nil)},
		},
		"assigned-after-last-cycle": {
			User: adele(),
			Apps: []diagnose.App{salesforce(&healthy, &diagnose.Assignment{Kind: diagnose.AssignmentGroup, Group: "Sales Team",
				Since: now.Add(-4 * time.Minute), Scope: diagnose.ScopeAssigned})},
		},
	}
}

func TestGoldenDiagnoses(t *testing.T) {
	for name, in := range goldenScenarios(t) {
		t.Run(name, func(t *testing.T) {
			out := map[string][]diagnose.Diagnosis{}
			for _, aud := range []diagnose.Audience{diagnose.HelpDesk, diagnose.EndUser} {
				in.Audience = aud
				out[string(aud)] = diagnose.Diagnose(in, now)
				checkInvariants(t, in, out[string(aud)])
			}
			got, err := json.MarshalIndent(out, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.JSON(t, filepath.Join("testdata", "golden", name+".json"), got)
		})
	}
}

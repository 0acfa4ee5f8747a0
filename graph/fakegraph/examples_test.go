package fakegraph

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// The saved Graph answers in testdata/examples are verbatim copies of
// /work/shared/reference/examples/graph (Microsoft's documentation
// examples). These tests load them into a tenant and check the fake serves
// them back unchanged in meaning, quirks included.

func loadExample(t *testing.T, name string) (raw []byte, objs []Object) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "examples", name))
	if err != nil {
		t.Fatalf("read example: %v", err)
	}
	objs, err = ParseObjects(raw)
	if err != nil {
		t.Fatalf("parse example %s: %v", name, err)
	}
	return raw, objs
}

// decode parses JSON the way the tenant stores it.
func decode(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return v
}

func TestExampleProvisioningServedBackIntact(t *testing.T) {
	raw, entries := loadExample(t, "provisioningObjectSummary-list-v1-example2-failure-entryconflict.json")
	var tenant Tenant
	tenant.AddProvisioning(entries...)
	srv := NewTestServer(t, &tenant, WithThrottle(0, 0))

	r := get(t, srv, withQuery("/v1.0/auditLogs/provisioning",
		"$filter", "sourceIdentity/identityType eq 'Group' and targetIdentity/id eq '' and provisioningStatusInfo/status eq 'failure'",
		"$top", "10"))
	wantStatus(t, r, 200)
	got := r.obj(t)["value"]
	want := decode(t, raw).(map[string]any)["value"]
	if !reflect.DeepEqual(got, want) {
		t.Errorf("served entry differs from the saved example:\n got %v\nwant %v", got, want)
	}
	entry := r.values(t)[0]
	errInfo := entry["provisioningStatusInfo"].(map[string]any)["errorInformation"].(map[string]any)
	if v, ok := errInfo["additionalDetails"]; !ok || v != nil {
		t.Errorf("additionalDetails: null lost: %v", errInfo)
	}
	if _, ok := entry["servicePrincipal"].(map[string]any); !ok {
		t.Errorf("servicePrincipal should stay a single object: %v", entry["servicePrincipal"])
	}
	if entry["durationInMilliseconds"] != json.Number("2785") {
		t.Errorf("durationInMilliseconds = %#v", entry["durationInMilliseconds"])
	}
	// The example's odd ids (non-hex "GUIDs") are opaque strings.
	r = get(t, srv, withQuery("/v1.0/auditLogs/provisioning", "$filter", "id eq 'gc532ff9-r265-ec76-861e-42e2970a8218'", "$top", "1"))
	if ids := r.ids(t); len(ids) != 1 {
		t.Errorf("lookup by the example id = %v", ids)
	}
}

func TestExampleJobServedBackIntact(t *testing.T) {
	raw, jobs := loadExample(t, "synchronizationJob-get-v1-paused-quarantine-invalidcredentials.json")
	var tenant Tenant
	tenant.AddServicePrincipal(Object{"id": boxID, "displayName": "Box"})
	tenant.AddJob(boxID, jobs...)
	srv := NewTestServer(t, &tenant)

	want := decode(t, raw).(map[string]any)
	r := get(t, srv, "/v1.0/servicePrincipals/"+boxID+"/synchronization/jobs/"+url.PathEscape("{jobId}"))
	wantStatus(t, r, 200)
	got := r.obj(t)
	delete(got, "@odata.context")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("served job differs from the saved example:\n got %v\nwant %v", got, want)
	}
	schedule := got["schedule"].(map[string]any)
	status := got["status"].(map[string]any)
	quarantine := status["quarantine"].(map[string]any)
	if schedule["interval"] != "P10675199DT2H48M5.4775807S" || status["steadyStateFirstAchievedTime"] != "0001-01-01T00:00:00Z" ||
		quarantine["currentBegan"] != "" || quarantine["seriesCount"] != json.Number("2") || status["lastExecution"] != nil {
		t.Errorf("job quirks lost: %v", got)
	}

	r = get(t, srv, "/v1.0/servicePrincipals/"+boxID+"/synchronization/jobs")
	wantStatus(t, r, 200)
	list := r.obj(t)["value"].([]any)
	if len(list) != 1 || !reflect.DeepEqual(list[0], want) {
		t.Errorf("listed job differs from the saved example: %v", list)
	}
}

// TestSharedExamplesMatchCopies keeps testdata/examples in step with the
// shared reference folder when it is present.
func TestSharedExamplesMatchCopies(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "reference", "examples", "graph")
	entries, err := os.ReadDir(shared)
	if err != nil {
		t.Skipf("shared examples not present: %v", err)
	}
	for _, e := range entries {
		orig, err := os.ReadFile(filepath.Join(shared, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		copied, err := os.ReadFile(filepath.Join("testdata", "examples", e.Name()))
		if err != nil {
			t.Errorf("%s is not copied into testdata/examples: %v", e.Name(), err)
			continue
		}
		if !bytes.Equal(orig, copied) {
			t.Errorf("testdata/examples/%s differs from the shared copy", e.Name())
		}
	}
}

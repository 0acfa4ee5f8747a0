package fakegraph

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseObjects(t *testing.T) {
	tests := []struct {
		name, doc string
		want      int
	}{
		{"object", `{"id": "a"}`, 1},
		{"array", `[{"id": "a"}, {"id": "b"}]`, 2},
		{"collection answer", `{"@odata.context": "x", "value": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}`, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, err := ParseObjects([]byte(tt.doc))
			if err != nil {
				t.Fatalf("ParseObjects: %v", err)
			}
			if len(objs) != tt.want {
				t.Errorf("got %d objects, want %d", len(objs), tt.want)
			}
		})
	}
	for _, bad := range []string{`"text"`, `[1]`, `{`} {
		if _, err := ParseObjects([]byte(bad)); err == nil {
			t.Errorf("ParseObjects(%s) succeeded, want an error", bad)
		}
	}
}

func TestParseObjectsKeepsNumbersExact(t *testing.T) {
	objs, err := ParseObjects([]byte(`{"id": "a", "big": 9007199254740993, "frac": 5.4775807}`))
	if err != nil {
		t.Fatalf("ParseObjects: %v", err)
	}
	if got := objs[0]["big"].(json.Number).String(); got != "9007199254740993" {
		t.Errorf("big = %s", got)
	}
}

func TestTenantBuildersAndRoundTrip(t *testing.T) {
	var tenant Tenant
	tenant.TenantID = "t1"
	tenant.AddUser(Object{"id": adaID, "userPrincipalName": "ada@contoso.com"})
	tenant.AddDeletedUser(Object{"id": deletedID, "deletedDateTime": "{{now-1d}}"})
	tenant.AddGroup(Object{"id": salesID, "displayName": "Sales"}, adaID)
	tenant.AddMembers(staffID, salesID)
	tenant.AddServicePrincipal(Object{"id": sfID, "displayName": "Salesforce"})
	tenant.AddAppRoleAssignment(Object{"id": "a1", "principalId": adaID, "resourceId": sfID})
	tenant.AddJob(sfID, Object{"id": "job1"})
	tenant.AddSecret(sfID, "SyncAll", "false")
	tenant.AddProvisioning(Object{"id": "p1"})
	tenant.AddDirectoryAudit(Object{"id": "d1"})
	tenant.Deny("AuditLog.Read.All")
	tenant.Unlicensed = true

	data, err := json.Marshal(&tenant)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	back, err := LoadTenant(strings.NewReader(string(data)), testNow())
	if err != nil {
		t.Fatalf("LoadTenant(marshalled): %v", err)
	}
	if !back.Unlicensed || len(back.DeniedPermissions) != 1 || back.GroupMembers[salesID][0] != adaID ||
		back.GroupMembers[staffID][0] != salesID || back.SynchronizationSecrets[sfID][0]["value"] != "false" ||
		back.SynchronizationJobs[sfID][0]["id"] != "job1" || len(back.Provisioning) != 1 || len(back.DirectoryAudits) != 1 {
		t.Errorf("round trip lost data: %s", data)
	}
	if got := back.DeletedUsers[0]["deletedDateTime"]; got != "2025-02-28T12:00:00Z" {
		t.Errorf("deletedDateTime = %v", got)
	}
}

func TestFixtureLoads(t *testing.T) {
	tenant := fixture(t)
	if len(tenant.Users) != 5 || len(tenant.Provisioning) != 4 || len(tenant.DirectoryAudits) != 3 {
		t.Errorf("fixture sizes: %d users, %d provisioning, %d audits", len(tenant.Users), len(tenant.Provisioning), len(tenant.DirectoryAudits))
	}
}

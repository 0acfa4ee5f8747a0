package fakegraph

import (
	"strings"
	"testing"
)

func TestProvisioningOrderAndShape(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, "/v1.0/auditLogs/provisioning")
	wantStatus(t, r, 200)
	want := []string{"p-alan-skip", "p-ada-update", "p-ada-create", "p-zoe-delete"}
	if got := r.ids(t); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("default order = %v, want newest first %v", got, want)
	}
	if ctx := r.obj(t)["@odata.context"]; ctx != srv.URL()+"/v1.0/$metadata#auditLogs/provisioning" {
		t.Errorf("@odata.context = %v", ctx)
	}
	create := r.values(t)[2]
	if create["initiatedBy"].(map[string]any)["initiatingType"] != "system" {
		t.Errorf("initiatingType quirk lost: %v", create["initiatedBy"])
	}
	if create["provisioningSteps"].([]any)[0].(map[string]any)["provisioningStepType"] != "Import" {
		t.Errorf("step type casing lost")
	}
	update := r.values(t)[1]
	info := update["provisioningStatusInfo"].(map[string]any)
	if v, ok := info["errorInformation"]; !ok || v != nil {
		t.Errorf("errorInformation: null lost: %v", info)
	}
	if r.values(t)[3]["provisioningAction"] != "stageddelete" {
		t.Errorf("stageddelete casing lost")
	}

	r = get(t, srv, withQuery("/v1.0/auditLogs/provisioning", "$orderby", "activityDateTime asc"))
	wantStatus(t, r, 200)
	if got := r.ids(t); got[0] != "p-zoe-delete" || got[3] != "p-alan-skip" {
		t.Errorf("ascending order = %v", got)
	}
}

func TestProvisioningFilters(t *testing.T) {
	srv := newFixtureServer(t)
	sfJob := "SfSandboxOutDelta.e4bbf44533ea4eabb17027f3a92e92aa.f1f1f1f1-f1f1-4f1f-8f1f-f1f1f1f1f1f1"
	tests := []struct {
		name, filter string
		want         []string
	}{
		{"source id", "sourceIdentity/id eq '" + adaID + "'", []string{"p-ada-update", "p-ada-create"}},
		{"source id and service principal", "sourceIdentity/id eq '" + adaID + "' and servicePrincipal/id eq '" + sfID + "'", []string{"p-ada-update", "p-ada-create"}},
		{"job id", "jobId eq '" + sfJob + "'", []string{"p-ada-update", "p-ada-create", "p-zoe-delete"}},
		{"job id with lower-case property", "jobid eq '" + sfJob + "'", []string{"p-ada-update", "p-ada-create", "p-zoe-delete"}},
		{"case sensitive", "sourceIdentity/displayName eq 'ada lovelace'", nil},
		{"contains", "contains(sourceIdentity/displayName,'Love')", []string{"p-ada-update", "p-ada-create"}},
		{"emoji", "sourceIdentity/displayName eq 'Zoë 🚀 Müller'", []string{"p-zoe-delete"}},
		{"status", "provisioningStatusInfo/status eq 'failure'", []string{"p-ada-create"}},
		{"action", "provisioningAction eq 'stageddelete'", []string{"p-zoe-delete"}},
		{"time window", "activityDateTime gt 2025-03-01T10:00:00Z and activityDateTime lt 2025-03-01T11:30:00Z", []string{"p-ada-update"}},
		{"date only", "activityDateTime gt 2025-03-01", []string{"p-alan-skip", "p-ada-update", "p-ada-create", "p-zoe-delete"}},
		{"documented cross-tenant form", "((contains(tolower(servicePrincipal/id), '" + scimID + "') or contains(tolower(servicePrincipal/displayName), 'contoso scim')) and activityDateTime gt 2025-03-01 and activityDateTime lt 2025-03-02)", []string{"p-alan-skip"}},
		{"service principal name", "servicePrincipal/name eq 'Salesforce' and targetIdentity/id eq ''", []string{"p-ada-create"}},
		{"identity type", "targetIdentity/identityType eq 'urn:ietf:params:scim:schemas:core:2.0:User'", []string{"p-alan-skip"}},
		{"duration", "durationInMilliseconds gt 300", []string{"p-ada-update", "p-ada-create"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, srv, withQuery("/v1.0/auditLogs/provisioning", "$filter", tt.filter, "$top", "50"))
			wantStatus(t, r, 200)
			if got := r.ids(t); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestProvisioningRefusals(t *testing.T) {
	srv := newFixtureServer(t)
	tests := []struct {
		name  string
		query []string
		msg   string
	}{
		{"ge", []string{"$filter", "activityDateTime ge 2025-03-01"}, "activityDateTime"},
		{"quoted date", []string{"$filter", "activityDateTime gt '2025-03-01'"}, "incompatible types"},
		{"startswith", []string{"$filter", "startswith(jobId,'Sf')"}, "jobId"},
		{"unknown property", []string{"$filter", "userPrincipalName eq 'ada@contoso.com'"}, "Could not find a property named 'userPrincipalName'"},
		{"unescaped quote", []string{"$filter", "sourceIdentity/displayName eq 'O'Brien'"}, "Invalid filter clause"},
		{"injection", []string{"$filter", "sourceIdentity/id eq 'x' or 1 eq 1 or 'a'"}, "Invalid filter clause"},
		{"select", []string{"$select", "id"}, "Query option 'select' is not allowed"},
		{"orderby other property", []string{"$orderby", "jobId"}, "cannot be used in the $orderby query option"},
		{"top too large", []string{"$top", "1001"}, "$top"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, get(t, srv, withQuery("/v1.0/auditLogs/provisioning", tt.query...)), 400, "BadRequest", tt.msg)
		})
	}
}

func TestProvisioningPaging(t *testing.T) {
	srv := newFixtureServer(t, WithPageSize(2))
	r := get(t, srv, "/v1.0/auditLogs/provisioning")
	wantStatus(t, r, 200)
	if _, ok := r.obj(t)["@odata.nextLink"]; ok || len(r.values(t)) != 2 {
		t.Errorf("without $top: %s (want one page and no nextLink)", r.body)
	}

	next := srv.URL() + withQuery("/v1.0/auditLogs/provisioning", "$filter", "servicePrincipal/id eq '"+sfID+"'", "$top", "1")
	var all []string
	for next != "" {
		r := send(t, "GET", next, "")
		wantStatus(t, r, 200)
		all = append(all, r.ids(t)...)
		next, _ = r.obj(t)["@odata.nextLink"].(string)
		if next != "" && !strings.Contains(next, "%24filter=") {
			t.Errorf("nextLink lost the filter: %s", next)
		}
	}
	if strings.Join(all, ",") != "p-ada-update,p-ada-create,p-zoe-delete" {
		t.Errorf("paged ids = %v", all)
	}
}

func TestProvisioningLicenceAndPermission(t *testing.T) {
	tenant := fixture(t)
	tenant.Unlicensed = true
	srv := NewTestServer(t, tenant, WithThrottle(0, 0))
	wantError(t, get(t, srv, "/v1.0/auditLogs/provisioning"), 403,
		"Authentication_RequestFromNonPremiumTenantOrB2CTenant", "Neither tenant is B2C or tenant doesn't have premium license")
	wantStatus(t, get(t, srv, "/v1.0/auditLogs/directoryAudits"), 200)

	tenant = fixture(t)
	tenant.Deny("AuditLog.Read.All")
	srv = NewTestServer(t, tenant, WithThrottle(0, 0))
	for _, path := range []string{"/v1.0/auditLogs/provisioning", "/v1.0/auditLogs/directoryAudits"} {
		wantError(t, get(t, srv, path), 403, "Authentication_MSGraphPermissionMissing",
			"Calling principal does not have required MSGraph permissions AuditLog.Read.All")
	}
	wantStatus(t, get(t, srv, "/v1.0/users"), 200)
}

func TestPermissionsPerRoute(t *testing.T) {
	tests := []struct {
		perm, path string
	}{
		{"User.Read.All", "/v1.0/users/" + adaID},
		{"User.Read.All", "/v1.0/directory/deletedItems/microsoft.graph.user"},
		{"GroupMember.Read.All", "/v1.0/users/" + adaID + "/transitiveMemberOf"},
		{"Directory.Read.All", "/v1.0/users/" + adaID + "/appRoleAssignments"},
		{"Application.Read.All", "/v1.0/servicePrincipals"},
		{"Synchronization.Read.All", "/v1.0/servicePrincipals/" + sfID + "/synchronization/jobs"},
		{"Synchronization.Read.All", "/beta/servicePrincipals/" + sfID + "/synchronization/secrets"},
		{"Organization.Read.All", "/v1.0/organization"},
	}
	for _, tt := range tests {
		t.Run(tt.perm+" "+tt.path, func(t *testing.T) {
			tenant := fixture(t)
			tenant.Deny(tt.perm)
			srv := NewTestServer(t, tenant)
			wantError(t, get(t, srv, tt.path), 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		})
	}
}

func TestDirectoryAudits(t *testing.T) {
	srv := newFixtureServer(t)
	tests := []struct {
		name, filter string
		want         []string
	}{
		{"none", "", []string{"Directory_UpdateUser_3", "Directory_AddAppRole_2", "Directory_AddMember_1"}},
		{"activity", "activityDisplayName eq 'Add member to group'", []string{"Directory_AddMember_1"}},
		{"activity prefix", "startswith(activityDisplayName,'Add ')", []string{"Directory_AddAppRole_2", "Directory_AddMember_1"}},
		{"target id", "targetResources/any(t:t/id eq '" + adaID + "')", []string{"Directory_AddAppRole_2", "Directory_AddMember_1"}},
		{"target and activity and window", "activityDisplayName eq 'Add app role assignment grant to user' and targetResources/any(t:t/id eq '" + adaID + "') and activityDateTime ge 2025-03-01T07:00:00Z and activityDateTime le 2025-03-01T09:00:00Z", []string{"Directory_AddAppRole_2"}},
		{"initiator", "initiatedBy/user/userPrincipalName eq 'admin@contoso.com'", []string{"Directory_AddAppRole_2", "Directory_AddMember_1"}},
		{"app initiator", "initiatedBy/app/displayName eq 'HR Sync'", []string{"Directory_UpdateUser_3"}},
		{"correlation id", "correlationId eq da159bfb-54fa-4092-8a38-6e1fa7870e30", []string{"Directory_AddMember_1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var kv []string
			if tt.filter != "" {
				kv = []string{"$filter", tt.filter}
			}
			r := get(t, srv, withQuery("/v1.0/auditLogs/directoryAudits", kv...))
			wantStatus(t, r, 200)
			if got := r.ids(t); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
		})
	}

	for _, bad := range []string{
		"activityDateTime gt 2025-03-01T00:00:00Z",
		"activityDisplayName eq 'a' or activityDisplayName eq 'b'",
		"category eq 'UserManagement'",
		"targetResources/any(t:t/id eq 'x' or t/displayName eq 'y')",
	} {
		wantError(t, get(t, srv, withQuery("/v1.0/auditLogs/directoryAudits", "$filter", bad)), 400, "BadRequest", "Invalid filter clause")
	}

	r := get(t, srv, withQuery("/v1.0/auditLogs/directoryAudits", "$select", "activityDateTime,activityDisplayName", "$top", "1", "$orderby", "activityDateTime asc"))
	wantStatus(t, r, 200)
	v := r.values(t)
	if len(v) != 1 || len(v[0]) != 2 || v[0]["activityDisplayName"] != "Add member to group" {
		t.Errorf("selected page = %v", v)
	}
	if _, ok := r.obj(t)["@odata.nextLink"]; !ok {
		t.Error("no nextLink")
	}
}

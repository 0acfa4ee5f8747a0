package fakegraph

import (
	"net/url"
	"strings"
	"testing"
)

func TestListServicePrincipalsFilters(t *testing.T) {
	srv := newFixtureServer(t)
	tests := []struct {
		name, filter string
		want         []string
	}{
		{"tags any", "tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')", []string{sfID, boxID}},
		{"tags any ignores case", "tags/any(t:t eq 'windowsazureactivedirectorycustomsinglesignonapplication')", []string{scimID}},
		{"displayName eq", "displayName eq 'salesforce'", []string{sfID}},
		{"startswith displayName", "startswith(displayName,'Contoso')", []string{scimID}},
		{"appId eq", "appId eq 'f2f2f2f2-f2f2-4f2f-8f2f-f2f2f2f2f2f2'", []string{boxID}},
		{"id eq", "id eq '" + sfID + "'", []string{sfID}},
		{"combined", "tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp') and startswith(displayName,'B')", []string{boxID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, srv, withQuery("/v1.0/servicePrincipals", "$filter", tt.filter, "$select", "id,displayName"))
			wantStatus(t, r, 200)
			if got := r.ids(t); !sameSet(got, tt.want) {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestListServicePrincipalsRefusals(t *testing.T) {
	srv := newFixtureServer(t)
	tests := []struct {
		name, filter, code, msg string
	}{
		{"quoted nothing", "appId eq f1f1f1f1-f1f1-4f1f-8f1f-f1f1f1f1f1f1", "BadRequest", "incompatible types"},
		{"startswith on tags", "tags/any(t:startswith(t,'Windows'))", "Request_UnsupportedQuery", "property 'tags'"},
		{"endswith displayName", "endswith(displayName,'force')", "Request_UnsupportedQuery", "property 'displayName'"},
		{"tags all", "tags/all(t:t eq 'x')", "Request_UnsupportedQuery", "property 'tags'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, srv, withQuery("/v1.0/servicePrincipals", "$filter", tt.filter))
			wantError(t, r, 400, tt.code, tt.msg)
		})
	}
	r := get(t, srv, withQuery("/v1.0/servicePrincipals", "$orderby", "displayName"))
	wantError(t, r, 400, "Request_UnsupportedQuery", "Sorting not supported")
}

func TestListServicePrincipalsPaging(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, withQuery("/v1.0/servicePrincipals", "$top", "2"))
	wantStatus(t, r, 200)
	first := r.ids(t)
	next, _ := r.obj(t)["@odata.nextLink"].(string)
	if len(first) != 2 || next == "" {
		t.Fatalf("first page = %v, nextLink %q", first, next)
	}
	r = send(t, "GET", next, "")
	wantStatus(t, r, 200)
	if got := r.ids(t); len(got) != 1 || got[0] != scimID {
		t.Errorf("second page = %v", got)
	}
	if _, ok := r.obj(t)["@odata.nextLink"]; ok {
		t.Error("nextLink on the last page")
	}
}

func TestGetServicePrincipal(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, "/v1.0/servicePrincipals/"+sfID)
	wantStatus(t, r, 200)
	sp := r.obj(t)
	if sp["appRoleAssignmentRequired"] != true || len(sp["tags"].([]any)) != 2 {
		t.Errorf("service principal = %v", sp)
	}
	r = get(t, srv, withQuery("/v1.0/servicePrincipals/"+sfID, "$select", "appId"))
	wantStatus(t, r, 200)
	if got := r.obj(t); len(got) != 2 || got["appId"] != "f1f1f1f1-f1f1-4f1f-8f1f-f1f1f1f1f1f1" {
		t.Errorf("selected = %v", got)
	}
	wantError(t, get(t, srv, "/v1.0/servicePrincipals/00000000-0000-4000-8000-000000000000"), 404, "Request_ResourceNotFound", "does not exist")
}

func TestAppRoleAssignedTo(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, "/v1.0/servicePrincipals/"+sfID+"/appRoleAssignedTo")
	wantStatus(t, r, 200)
	if got := r.ids(t); !sameSet(got, []string{"41W1zT6z1U-kJxf62svfp1HFE8pMZhxDun-ThPczmJE", "qqqqSalesGroupAssignmentToSalesforce00000001"}) {
		t.Errorf("ids = %v", got)
	}
	if ctx := r.obj(t)["@odata.context"]; ctx != srv.URL()+"/v1.0/$metadata#servicePrincipals('"+sfID+"')/appRoleAssignedTo" {
		t.Errorf("@odata.context = %v", ctx)
	}

	r = get(t, srv, withQuery("/v1.0/servicePrincipals/"+sfID+"/appRoleAssignedTo", "$top", "1", "$select", "principalId,principalType"))
	wantStatus(t, r, 200)
	v := r.values(t)
	if len(v) != 1 || v[0]["principalType"] != "User" || len(v[0]) != 2 {
		t.Errorf("first page = %v", v)
	}
	next := r.obj(t)["@odata.nextLink"].(string)
	r = send(t, "GET", next, "")
	if v := r.values(t); len(v) != 1 || v[0]["principalType"] != "Group" {
		t.Errorf("second page = %v", v)
	}

	wantError(t, get(t, srv, "/v1.0/servicePrincipals/nope/appRoleAssignedTo"), 404, "Request_ResourceNotFound", "'nope'")
}

func TestUserAppRoleAssignments(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, withQuery("/v1.0/users/"+adaID+"/appRoleAssignments", "$filter", "resourceId eq "+sfID))
	wantStatus(t, r, 200)
	if got := r.ids(t); !sameSet(got, []string{"41W1zT6z1U-kJxf62svfp1HFE8pMZhxDun-ThPczmJE"}) {
		t.Errorf("ids = %v (group assignments must not be inherited)", got)
	}
	r = get(t, srv, withQuery("/v1.0/users/ada@contoso.com/appRoleAssignments", "$filter", "resourceId eq "+boxID))
	wantStatus(t, r, 200)
	if got := r.ids(t); len(got) != 0 {
		t.Errorf("ids = %v, want none", got)
	}
	r = get(t, srv, withQuery("/v1.0/users/"+adaID+"/appRoleAssignments", "$filter", "resourceId eq '"+sfID+"'"))
	wantError(t, r, 400, "BadRequest", "Invalid filter clause")
	r = get(t, srv, withQuery("/v1.0/users/"+adaID+"/appRoleAssignments", "$orderby", "createdDateTime"))
	wantError(t, r, 400, "Request_BadRequest", "'$orderby' is not supported")
}

func TestSynchronizationJobs(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, "/v1.0/servicePrincipals/"+sfID+"/synchronization/jobs")
	wantStatus(t, r, 200)
	jobs := r.values(t)
	if len(jobs) != 1 {
		t.Fatalf("jobs = %v", jobs)
	}
	jobID := jobs[0]["id"].(string)
	status := jobs[0]["status"].(map[string]any)
	last := status["lastSuccessfulExecutionWithExports"].(map[string]any)
	if status["code"] != "Active" || last["timeBegan"] != "0001-01-01T00:00:00Z" || status["quarantine"] != nil {
		t.Errorf("job status = %v", status)
	}
	if status["steadyStateLastAchievedTime"] != "2025-03-01T11:20:00Z" {
		t.Errorf("relative time not resolved: %v", status["steadyStateLastAchievedTime"])
	}

	r = get(t, srv, "/v1.0/servicePrincipals/"+sfID+"/synchronization/jobs/"+url.PathEscape(jobID))
	wantStatus(t, r, 200)
	job := r.obj(t)
	if job["id"] != jobID || !strings.HasSuffix(job["@odata.context"].(string), "/synchronization/jobs/$entity") {
		t.Errorf("job = %v", job)
	}

	r = get(t, srv, "/v1.0/servicePrincipals/"+boxID+"/synchronization/jobs")
	wantStatus(t, r, 200)
	if v := r.values(t); len(v) != 0 {
		t.Errorf("jobs of a service principal without provisioning = %v", v)
	}
	wantError(t, get(t, srv, "/v1.0/servicePrincipals/nope/synchronization/jobs"), 404, "Request_ResourceNotFound", "'nope'")
	wantError(t, get(t, srv, "/v1.0/servicePrincipals/"+sfID+"/synchronization/jobs/nojob"), 404, "Request_ResourceNotFound", "'nojob'")
	wantError(t, get(t, srv, withQuery("/v1.0/servicePrincipals/"+sfID+"/synchronization/jobs", "$top", "1")), 400, "Request_BadRequest", "not supported")
}

func TestSynchronizationSecretsOnBeta(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, "/beta/servicePrincipals/"+sfID+"/synchronization/secrets")
	wantStatus(t, r, 200)
	v := r.values(t)
	if len(v) != 2 || v[0]["key"] != "SyncAll" || v[0]["value"] != "false" {
		t.Errorf("secrets = %v", v)
	}
	if ctx := r.obj(t)["@odata.context"]; ctx != srv.URL()+"/beta/$metadata#servicePrincipals('"+sfID+"')/synchronization/secrets" {
		t.Errorf("@odata.context = %v", ctx)
	}
	r = get(t, srv, "/beta/servicePrincipals/"+boxID+"/synchronization/secrets")
	wantStatus(t, r, 200)
	if v := r.values(t); len(v) != 0 {
		t.Errorf("secrets = %v, want none", v)
	}
	wantError(t, get(t, srv, "/beta/servicePrincipals/nope/synchronization/secrets"), 404, "Request_ResourceNotFound", "nope")
	wantError(t, get(t, srv, "/v1.0/servicePrincipals/"+sfID+"/synchronization/secrets"), 400, "BadRequest", "Resource not found for the segment 'secrets'.")
	wantError(t, get(t, srv, "/beta/users/"+adaID), 404, "NotFound", "/beta only")
}

func TestOrganization(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, "/v1.0/organization")
	wantStatus(t, r, 200)
	org := r.values(t)[0]
	plans := org["assignedPlans"].([]any)
	if org["id"] != "c0ffee00-1111-4222-8333-444455556666" || len(plans) != 1 ||
		plans[0].(map[string]any)["servicePlanId"] != aadPremiumPlan {
		t.Errorf("organization = %v", org)
	}
	r = get(t, srv, withQuery("/v1.0/organization", "$select", "id,displayName"))
	if v := r.values(t)[0]; len(v) != 2 {
		t.Errorf("selected organization = %v", v)
	}

	tenant := fixture(t)
	tenant.Unlicensed = true
	srv = NewTestServer(t, tenant)
	org = get(t, srv, "/v1.0/organization").values(t)[0]
	if plans := org["assignedPlans"].([]any); len(plans) != 0 {
		t.Errorf("unlicensed assignedPlans = %v", plans)
	}

	tenant.Organization = Object{"id": "x", "displayName": "Fabrikam", "assignedPlans": []any{}}
	srv = NewTestServer(t, tenant)
	if org := get(t, srv, "/v1.0/organization").values(t)[0]; org["displayName"] != "Fabrikam" {
		t.Errorf("stored organization not served: %v", org)
	}
}

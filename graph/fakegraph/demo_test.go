package fakegraph

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// demoCategories are the 36 verdict categories of diagnose/category.go,
// copied so that this package keeps importing only the standard library.
var demoCategories = []string{
	"provisioned", "already-in-sync", "pending-next-cycle", "initial-cycle-running",
	"job-not-configured", "job-paused", "job-quarantined-credentials", "job-quarantined-errors",
	"job-quarantined-deletes", "job-quarantined-other", "job-disabled-after-quarantine", "job-run-failed",
	"not-assigned", "nested-group-only", "not-effectively-entitled", "user-disabled", "user-deleted",
	"scoping-filter", "matching-attribute-missing", "matching-conflict", "duplicate-match", "invalid-anchor",
	"missing-required-attribute", "attribute-mapping", "invalid-domain", "license-limit", "target-permission",
	"target-transient", "target-rejected", "reference-unresolved", "deprovisioned", "deletes-held",
	"cross-tenant-policy", "guest-user-mapping", "no-logs", "unknown-error",
}

// demoNow is the fixed time most demo tests load the tenant at.
var demoNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// demoTenant loads the demo tenant at now.
func demoTenant(t *testing.T, now time.Time) *Tenant {
	t.Helper()
	tenant, err := DemoTenant(now)
	if err != nil {
		t.Fatalf("DemoTenant: %v", err)
	}
	return tenant
}

// demoByID indexes objects by id.
func demoByID(objs []Object) map[string]Object {
	m := make(map[string]Object, len(objs))
	for _, o := range objs {
		m[demoStr(o["id"])] = o
	}
	return m
}

func TestDemoTenantLoadsAtAnyTime(t *testing.T) {
	later := time.Date(2031, 7, 15, 8, 30, 45, 0, time.UTC)
	a, b := demoTenant(t, demoNow), demoTenant(t, later)
	for _, tenant := range []*Tenant{a, b} {
		data, err := json.Marshal(tenant)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "{{now") {
			t.Error("a relative time was left unresolved")
		}
		if len(tenant.Users) < 30 || len(tenant.Provisioning) < 300 || len(tenant.DeletedUsers) == 0 {
			t.Errorf("users %d, entries %d, deleted users %d: want 30+, 300+, 1+",
				len(tenant.Users), len(tenant.Provisioning), len(tenant.DeletedUsers))
		}
	}
	// Every entry, story or background, moves with now and nothing else changes.
	shift := later.Sub(demoNow)
	later2 := demoByID(b.Provisioning)
	for _, e := range a.Provisioning {
		id := demoStr(e["id"])
		f, ok := later2[id]
		if !ok {
			t.Fatalf("entry %s missing when loaded later", id)
		}
		t1, _ := time.Parse(time.RFC3339, demoStr(e["activityDateTime"]))
		t2, _ := time.Parse(time.RFC3339, demoStr(f["activityDateTime"]))
		if t2.Sub(t1) != shift {
			t.Fatalf("entry %s moved by %v, want %v", id, t2.Sub(t1), shift)
		}
	}
	again, _ := json.Marshal(demoTenant(t, demoNow))
	first, _ := json.Marshal(a)
	if string(again) != string(first) {
		t.Error("two loads at the same time differ")
	}
}

func TestDemoCastExists(t *testing.T) {
	tenant := demoTenant(t, demoNow)
	users, deleted, sps := demoByID(tenant.Users), demoByID(tenant.DeletedUsers), demoByID(tenant.ServicePrincipals)
	seen := map[string]bool{}
	for _, c := range DemoCast() {
		if seen[c.ObjectID] {
			t.Errorf("%s appears twice in the cast", c.DisplayName)
		}
		seen[c.ObjectID] = true
		u, ok := users[c.ObjectID]
		switch {
		case ok && demoStr(u["userPrincipalName"]) != c.UPN:
			t.Errorf("%s: UPN %q, the tenant says %q", c.DisplayName, c.UPN, demoStr(u["userPrincipalName"]))
		case !ok:
			d, ok := deleted[c.ObjectID]
			if !ok || !strings.HasSuffix(demoStr(d["userPrincipalName"]), c.UPN) {
				t.Errorf("%s (%s) is neither a user nor a deleted user", c.DisplayName, c.ObjectID)
				continue
			}
			u = d
		}
		if demoStr(u["displayName"]) != c.DisplayName {
			t.Errorf("%s: the tenant calls them %q", c.DisplayName, demoStr(u["displayName"]))
		}
		sp, ok := sps[c.AppID]
		if !ok || demoStr(sp["displayName"]) != c.App {
			t.Errorf("%s: app %s (%s) not in the tenant", c.DisplayName, c.App, c.AppID)
		} else if tags, _ := sp["tags"].([]any); !slices.Contains(tags, any("WindowsAzureActiveDirectoryIntegratedApp")) {
			t.Errorf("%s: %s is not tagged as an enterprise app", c.DisplayName, c.App)
		}
		if c.Role != RoleEndUser && c.Role != RoleHelpDesk {
			t.Errorf("%s: role %q", c.DisplayName, c.Role)
		}
		if !slices.Contains(demoCategories, c.Category) || c.RuleID == "" || c.Story == "" || c.Question == "" || c.Signal == "" {
			t.Errorf("%s: incomplete story %+v", c.DisplayName, c)
		}
	}
}

func TestDemoHelpDeskAgentIsInTheHelpDeskGroup(t *testing.T) {
	tenant := demoTenant(t, demoNow)
	g, ok := demoByID(tenant.Groups)[DemoHelpDeskGroupID]
	if !ok || demoStr(g["displayName"]) != "Provbot Help Desk" {
		t.Fatalf("DemoHelpDeskGroupID is not the group Provbot Help Desk: %v", g)
	}
	members := tenant.GroupMembers[DemoHelpDeskGroupID]
	agents := 0
	for _, c := range DemoCast() {
		in := slices.Contains(members, c.ObjectID)
		if in != (c.Role == RoleHelpDesk) {
			t.Errorf("%s (%s): member of the help-desk group = %v", c.DisplayName, c.Role, in)
		}
		if c.Role == RoleHelpDesk {
			agents++
		}
	}
	if agents == 0 {
		t.Error("the cast has no help-desk agent")
	}
}

func TestDemoExpectationsCoverEveryCategory(t *testing.T) {
	tenant := demoTenant(t, demoNow)
	users, deleted, sps := demoByID(tenant.Users), demoByID(tenant.DeletedUsers), demoByID(tenant.ServicePrincipals)
	got := map[string]bool{}
	pairs := map[string]bool{}
	for _, e := range DemoExpectations() {
		if !slices.Contains(demoCategories, e.Category) {
			t.Errorf("%s / %s: %q is not a category", e.DisplayName, e.App, e.Category)
		}
		got[e.Category] = true
		if _, ok := users[e.UserID]; !ok {
			if _, ok := deleted[e.UserID]; !ok {
				t.Errorf("%s: no such user %s", e.DisplayName, e.UserID)
			}
		}
		if sp, ok := sps[e.AppID]; !ok || demoStr(sp["displayName"]) != e.App {
			t.Errorf("%s: no app %s (%s)", e.DisplayName, e.App, e.AppID)
		}
		key := e.UserID + "/" + e.AppID
		if pairs[key] {
			t.Errorf("%s / %s is expected twice", e.DisplayName, e.App)
		}
		pairs[key] = true
	}
	for _, c := range demoCategories {
		if !got[c] {
			t.Errorf("no expectation produces %q", c)
		}
	}
	for _, c := range DemoCast() {
		if !pairs[c.ObjectID+"/"+c.AppID] {
			t.Errorf("%s's story is not among the expectations", c.DisplayName)
		}
	}
}

func TestDemoJobsHaveTheDocumentedShapes(t *testing.T) {
	tenant := demoTenant(t, demoNow)
	jobs := map[string]Object{}
	for _, sp := range tenant.ServicePrincipals {
		if js := tenant.SynchronizationJobs[demoStr(sp["id"])]; len(js) > 0 {
			jobs[demoStr(sp["displayName"])] = js[0]
		}
	}
	status := func(app string) Object { s, _ := jobs[app]["status"].(Object); return s }
	field := func(o Object, path ...string) any {
		v, _ := lookup(o, path)
		return v
	}
	checks := []struct {
		app  string
		want map[string]any // path (slash-separated, from the job) → value
	}{
		{"ServiceNow", map[string]any{"status/code": "Active", "schedule/interval": "PT40M", "status/lastSuccessfulExecution/timeBegan": "0001-01-01T00:00:00Z"}},
		{"Atlassian Cloud", map[string]any{"status/code": "Active", "status/lastExecution/state": "EntryLevelErrors"}},
		{"Zoom", map[string]any{"status/code": "NotRun", "status/steadyStateFirstAchievedTime": "0001-01-01T00:00:00Z"}},
		{"Dropbox Business", map[string]any{"status/code": "Paused", "schedule/state": "Disabled", "schedule/interval": "P10675199DT2H48M5.4775807S"}},
		{"Box", map[string]any{"status/code": "NotConfigured", "status/lastExecution": nil}},
		{"Salesforce", map[string]any{"status/quarantine/reason": "EncounteredQuarantineException", "status/quarantine/error/code": "SalesforceInvalidCredentials"}},
		{"Slack", map[string]any{"status/quarantine/reason": "TooManyDeletes"}},
		{"GitHub Enterprise", map[string]any{"status/quarantine/reason": "EncounteredEscrowProportionThreshold"}},
		{"DocuSign", map[string]any{"status/code": "Active", "status/lastExecution/state": "Failed"}},
		{"Zendesk", map[string]any{"status/code": "Paused", "status/quarantine/currentBegan": "", "status/quarantine/reason": ""}},
		{"Fabrikam (cross-tenant sync)", map[string]any{"templateId": "Azure2Azure"}},
	}
	for _, c := range checks {
		job, ok := jobs[c.app]
		if !ok {
			t.Errorf("%s has no job", c.app)
			continue
		}
		for path, want := range c.want {
			if got := field(job, strings.Split(path, "/")...); got != want {
				t.Errorf("%s: %s = %#v, want %#v", c.app, path, got, want)
			}
		}
	}
	if !strings.HasPrefix(demoStr(jobs["Fabrikam (cross-tenant sync)"]["id"]), "Azure2Azure.") {
		t.Error("the cross-tenant job id does not start with Azure2Azure.")
	}
	if p, _ := status("Zoom")["progress"].([]any); len(p) == 0 {
		t.Error("the initial cycle shows no progress")
	}
	settings, _ := json.Marshal(jobs["Slack"]["synchronizationJobSettings"])
	if !strings.Contains(string(settings), "QuarantineTooManyDeletesThreshold") {
		t.Error("Slack has no QuarantineTooManyDeletesThreshold setting")
	}
	for _, sp := range tenant.ServicePrincipals {
		if demoStr(sp["displayName"]) == "Adobe Creative Cloud" && len(tenant.SynchronizationJobs[demoStr(sp["id"])]) > 0 {
			t.Error("Adobe Creative Cloud should have no provisioning job")
		}
	}
}

func TestDemoEntriesKeepTheWireShape(t *testing.T) {
	tenant := demoTenant(t, demoNow)
	spellings := map[string]bool{}
	sources := map[string]bool{}
	for _, e := range tenant.Provisioning {
		id := demoStr(e["id"])
		sp, ok := e["servicePrincipal"].(Object)
		if !ok || demoStr(sp["id"]) == "" || demoStr(sp["displayName"]) == "" {
			t.Fatalf("entry %s: servicePrincipal is not one object with id and displayName", id)
		}
		target, _ := e["targetSystem"].(Object)
		if details, _ := target["details"].(Object); demoStr(details["ServicePrincipalId"]) != demoStr(sp["id"]) {
			t.Errorf("entry %s: targetSystem names another service principal", id)
		}
		source, _ := e["sourceSystem"].(Object)
		sources[demoStr(source["id"])] = true
		psi, _ := e["provisioningStatusInfo"].(Object)
		if demoStr(psi["status"]) == "success" && psi["errorInformation"] != nil {
			t.Errorf("entry %s: errorInformation set on success", id)
		}
		if demoStr(psi["status"]) == "failure" && psi["errorInformation"] == nil {
			t.Errorf("entry %s: a failure without errorInformation", id)
		}
		ini, _ := e["initiatedBy"].(Object)
		for _, k := range []string{"initiatorType", "initiatingType"} {
			if _, ok := ini[k]; ok {
				spellings[k] = true
			}
		}
		steps, _ := e["provisioningSteps"].([]any)
		for _, s := range steps {
			typ := demoStr(s.(Object)["provisioningStepType"])
			spellings["step "+typ] = true
		}
		spellings["action "+demoStr(e["provisioningAction"])] = true
		mods, _ := e["modifiedProperties"].([]any)
		for _, m := range mods {
			for _, k := range []string{"oldValue", "newValue"} {
				if v := m.(Object)[k]; v != nil {
					if _, ok := v.(string); !ok {
						t.Errorf("entry %s: modified property %s is %T, want a string", id, k, v)
					}
				}
			}
		}
	}
	if len(sources) != 1 {
		t.Errorf("entries name %d source systems, want one (the tenant's directory)", len(sources))
	}
	for _, want := range []string{"initiatorType", "initiatingType", "step Import", "step import", "step Export", "step export",
		"step scoping", "step matching", "step referenceResolution", "action stagedDelete", "action stageddelete"} {
		if !spellings[want] {
			t.Errorf("no entry has %s", want)
		}
	}
}

func TestDemoServedByTheFake(t *testing.T) {
	tenant := demoTenant(t, demoNow)
	srv := NewTestServer(t, tenant, WithNow(func() time.Time { return demoNow }), WithThrottle(0, 0))
	cast := map[string]CastMember{}
	for _, c := range DemoCast() {
		cast[c.DisplayName] = c
	}

	t.Run("a story user's entries, newest first", func(t *testing.T) {
		grady := cast["Grady Archie"]
		r := get(t, srv, withQuery("/v1.0/auditLogs/provisioning",
			"$filter", "sourceIdentity/id eq '"+grady.ObjectID+"'", "$top", "50"))
		wantStatus(t, r, http.StatusOK)
		vs := r.values(t)
		if len(vs) != 4 {
			t.Fatalf("Grady has %d entries, want 4 (three failures, then a success)", len(vs))
		}
		for i := 1; i < len(vs); i++ {
			if demoStr(vs[i-1]["activityDateTime"]) < demoStr(vs[i]["activityDateTime"]) {
				t.Errorf("entries not newest first: %s before %s", vs[i-1]["activityDateTime"], vs[i]["activityDateTime"])
			}
		}
		statuses := []string{}
		for _, v := range vs {
			statuses = append(statuses, demoStr(v["provisioningStatusInfo"].(map[string]any)["status"]))
		}
		if !slices.Equal(statuses, []string{"success", "failure", "failure", "failure"}) {
			t.Errorf("statuses newest first = %v", statuses)
		}
	})

	t.Run("paging visits every entry", func(t *testing.T) {
		next := srv.URL() + withQuery("/v1.0/auditLogs/provisioning", "$top", "100")
		seen := map[string]bool{}
		pages := 0
		for next != "" && pages < 50 {
			r := send(t, http.MethodGet, next, "")
			wantStatus(t, r, http.StatusOK)
			for _, id := range r.ids(t) {
				if seen[id] {
					t.Fatalf("entry %s served twice", id)
				}
				seen[id] = true
			}
			next, _ = r.obj(t)["@odata.nextLink"].(string)
			pages++
		}
		if len(seen) < 300 || len(seen) != len(tenant.Provisioning) || pages < 4 {
			t.Errorf("visited %d entries in %d pages; the tenant has %d", len(seen), pages, len(tenant.Provisioning))
		}
	})

	t.Run("two Adeles", func(t *testing.T) {
		r := get(t, srv, withQuery("/v1.0/users", "$filter", "startswith(displayName,'Adele')"))
		wantStatus(t, r, http.StatusOK)
		want := []string{cast["Adele Vance"].ObjectID, cast["Adele Moreau"].ObjectID}
		if got := r.ids(t); !sameSet(got, want) {
			t.Errorf("startswith(displayName,'Adele') = %v, want %v", got, want)
		}
	})

	t.Run("the help-desk agent is in the help-desk group", func(t *testing.T) {
		agent := cast["Henrietta Mueller"]
		r := send(t, http.MethodPost, srv.URL()+"/v1.0/users/"+agent.ObjectID+"/checkMemberGroups",
			`{"groupIds":["`+DemoHelpDeskGroupID+`"]}`)
		wantStatus(t, r, http.StatusOK)
		if ids, _ := r.obj(t)["value"].([]any); !slices.Contains(ids, any(DemoHelpDeskGroupID)) {
			t.Errorf("checkMemberGroups = %s, want the help-desk group", r.body)
		}
	})
}

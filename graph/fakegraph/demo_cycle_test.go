package fakegraph

import (
	"strings"
	"testing"
	"time"
)

func TestRunDemoCycleCreatesThePendingAccountsOfTheApp(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tenant, err := DemoTenant(now)
	if err != nil {
		t.Fatal(err)
	}
	before := len(tenant.Provisioning)
	later := now.Add(30 * time.Minute)
	done, err := tenant.RunDemoCycle(demoAppServiceNow, later)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range DemoCast() {
		if c.AppID == demoAppServiceNow && c.Category == "pending-next-cycle" {
			want = append(want, c.ObjectID)
		}
	}
	if len(want) == 0 || strings.Join(done, ",") != strings.Join(want, ",") {
		t.Fatalf("provisioned %v, want the pending cast members %v", done, want)
	}
	added := tenant.Provisioning[before:]
	if len(added) != len(want) {
		t.Fatalf("%d entries added, want %d", len(added), len(want))
	}
	for i, e := range added {
		u := tenant.user(want[i])
		src := e["sourceIdentity"].(map[string]any)
		if src["id"] != want[i] || src["displayName"] != u["displayName"] {
			t.Errorf("entry %d is about %v, want %v", i, src, u["displayName"])
		}
		if e["activityDateTime"] != later.Format(time.RFC3339) || e["provisioningAction"] != "create" {
			t.Errorf("entry %d: %v at %v", i, e["provisioningAction"], e["activityDateTime"])
		}
		desc := e["provisioningSteps"].([]any)[0].(map[string]any)["description"].(string)
		if !strings.Contains(desc, demoStr(u["userPrincipalName"])) {
			t.Errorf("entry %d's import step reads %q, not %s's", i, desc, u["userPrincipalName"])
		}
	}
	le := tenant.SynchronizationJobs[demoAppServiceNow][0]["status"].(map[string]any)["lastExecution"].(map[string]any)
	if le["timeEnded"] != later.Format(time.RFC3339) {
		t.Errorf("the job's last run ended %v, want %v", le["timeEnded"], later)
	}
	again, err := tenant.RunDemoCycle(demoAppServiceNow, later.Add(40*time.Minute))
	if err != nil || len(again) != 0 || len(tenant.Provisioning) != before+len(want) {
		t.Errorf("a second cycle created %v again (%v)", again, err)
	}
	if _, err := tenant.RunDemoCycle("no-such-app", later); err == nil {
		t.Error("a cycle of an app without a job ran")
	}
}

func TestQuarantineDemoJobPutsTheJobOnHold(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tenant, err := DemoTenant(now)
	if err != nil {
		t.Fatal(err)
	}
	if err := tenant.QuarantineDemoJob(demoAppAtlassian, now); err != nil {
		t.Fatal(err)
	}
	srv := NewTestServer(t, tenant, WithNow(func() time.Time { return now }))
	body := string(get(t, srv, "/v1.0/servicePrincipals/"+demoAppAtlassian+"/synchronization/jobs").body)
	if !strings.Contains(body, `"code":"Quarantine"`) || !strings.Contains(body, `"reason":"EncounteredEscrowProportionThreshold"`) ||
		!strings.Contains(body, `"nextAttempt":"2026-03-02T13:00:00Z"`) {
		t.Errorf("the job as Graph serves it: %s", body)
	}
	if err := tenant.QuarantineDemoJob("no-such-app", now); err == nil {
		t.Error("an app without a job was quarantined")
	}
}

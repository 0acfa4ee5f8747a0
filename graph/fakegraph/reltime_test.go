package fakegraph

import (
	"strings"
	"testing"
	"time"
)

func TestExpandTime(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 987654321, time.FixedZone("CET", 3600))
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"{{now}}", "2025-03-01T11:00:00Z", true},
		{"{{now-2h30m}}", "2025-03-01T08:30:00Z", true},
		{"{{now+40m}}", "2025-03-01T11:40:00Z", true},
		{"{{now-3d}}", "2025-02-26T11:00:00Z", true},
		{"{{now-1d2h3m4s}}", "2025-02-28T08:56:56Z", true},
		{"{{now+90s}}", "2025-03-01T11:01:30Z", true},
		{"now", "", false},
		{"{{ now }}", "", false},
		{"{{now-2h", "", false},
		{"2025-03-01T00:00:00Z", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok, err := expandTime(tt.in, now)
			if err != nil {
				t.Fatalf("expandTime(%q) error: %v", tt.in, err)
			}
			if ok != tt.ok || got != tt.want {
				t.Errorf("expandTime(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestExpandTimeRejectsMalformedTemplates(t *testing.T) {
	for _, in := range []string{"{{now-}}", "{{now2h}}", "{{now-h}}", "{{now-2x}}", "{{now-2}}", "{{now--2h}}", "{{nowish}}"} {
		t.Run(in, func(t *testing.T) {
			if _, _, err := expandTime(in, testNow()); err == nil {
				t.Errorf("expandTime(%q) succeeded, want an error", in)
			}
		})
	}
}

func TestLoadTenantResolvesRelativeTimesEverywhere(t *testing.T) {
	const doc = `{
	  "tenantId": "t",
	  "users": [{"id": "u1", "createdDateTime": "{{now-1d}}", "{{now}}": "key stays",
	             "nested": {"list": ["{{now+1h}}", 3, null, "plain"]}}],
	  "synchronizationJobs": {"sp": [{"id": "j", "status": {"steadyStateLastAchievedTime": "{{now-40m}}",
	             "steadyStateFirstAchievedTime": "0001-01-01T00:00:00Z"}}]},
	  "provisioning": [{"id": "p", "activityDateTime": "{{now-2h30m}}"}]
	}`
	tenant, err := LoadTenant(strings.NewReader(doc), testNow())
	if err != nil {
		t.Fatalf("LoadTenant: %v", err)
	}
	u := tenant.Users[0]
	if got := u["createdDateTime"]; got != "2025-02-28T12:00:00Z" {
		t.Errorf("createdDateTime = %v", got)
	}
	if got := u["{{now}}"]; got != "key stays" {
		t.Errorf("object keys must not be expanded, got %v", u)
	}
	list := u["nested"].(map[string]any)["list"].([]any)
	if list[0] != "2025-03-01T13:00:00Z" || list[3] != "plain" || list[2] != nil {
		t.Errorf("nested list = %v", list)
	}
	status := tenant.SynchronizationJobs["sp"][0]["status"].(map[string]any)
	if status["steadyStateLastAchievedTime"] != "2025-03-01T11:20:00Z" ||
		status["steadyStateFirstAchievedTime"] != "0001-01-01T00:00:00Z" {
		t.Errorf("job status = %v", status)
	}
	if got := tenant.Provisioning[0]["activityDateTime"]; got != "2025-03-01T09:30:00Z" {
		t.Errorf("activityDateTime = %v", got)
	}
}

func TestLoadTenantErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"unknown key", `{"user": []}`, "unknown field"},
		{"missing id", `{"users": [{"displayName": "x"}]}`, "users[0]: missing string id"},
		{"job without id", `{"synchronizationJobs": {"sp": [{}]}}`, "missing string id"},
		{"bad template", `{"provisioning": [{"id": "p", "activityDateTime": "{{now-2y}}"}]}`, "provisioning[0].activityDateTime"},
		{"trailing data", `{} {}`, "trailing data"},
		{"not json", `{`, "decode tenant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadTenant(strings.NewReader(tt.doc), testNow())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadTenant error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadTenantLicensedFlag(t *testing.T) {
	for doc, unlicensed := range map[string]bool{`{}`: false, `{"licensed": true}`: false, `{"licensed": false}`: true} {
		tenant, err := LoadTenant(strings.NewReader(doc), testNow())
		if err != nil {
			t.Fatalf("LoadTenant(%s): %v", doc, err)
		}
		if tenant.Unlicensed != unlicensed {
			t.Errorf("LoadTenant(%s).Unlicensed = %v, want %v", doc, tenant.Unlicensed, unlicensed)
		}
	}
}

func TestNewResolvesTemplatesLeftByBuilders(t *testing.T) {
	tenant := &Tenant{TenantID: "t"}
	tenant.AddUser(Object{"id": adaID, "displayName": "Ada", "createdDateTime": "{{now-1h}}"})
	clock := newClock()
	srv := NewTestServer(t, tenant, WithNow(clock.Now))
	r := get(t, srv, withQuery("/v1.0/users/"+adaID, "$select", "createdDateTime"))
	wantStatus(t, r, 200)
	if got := r.obj(t)["createdDateTime"]; got != "2025-03-01T11:00:00Z" {
		t.Errorf("createdDateTime = %v, want 2025-03-01T11:00:00Z", got)
	}
	if tenant.Users[0]["createdDateTime"] != "{{now-1h}}" {
		t.Errorf("New changed the caller's tenant: %v", tenant.Users[0])
	}
}

func TestNewPanicsOnBrokenFixture(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New did not panic on a user without an id")
		}
	}()
	New(&Tenant{Users: []Object{{"displayName": "nobody"}}})
}

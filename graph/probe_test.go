package graph_test

import (
	"errors"
	"testing"

	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

func TestProbeReportsEachPermission(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(*fakegraph.Tenant)
		failing map[string]string // probe name → permission named
		licence bool
	}{
		{"everything granted", func(*fakegraph.Tenant) {}, nil, false},
		{"no AuditLog.Read.All", func(t *fakegraph.Tenant) { t.Deny("AuditLog.Read.All") },
			map[string]string{"read provisioning logs": "AuditLog.Read.All"}, false},
		{"no Directory.Read.All", func(t *fakegraph.Tenant) { t.Deny("Directory.Read.All") },
			map[string]string{"read provisioning logs": "Directory.Read.All", "read app role assignments": "Directory.Read.All"}, false},
		{"no GroupMember.Read.All", func(t *fakegraph.Tenant) { t.Deny("GroupMember.Read.All") },
			map[string]string{"read group memberships": "GroupMember.Read.All"}, false},
		{"no Synchronization.Read.All", func(t *fakegraph.Tenant) { t.Deny("Synchronization.Read.All") },
			map[string]string{"read provisioning jobs": "Synchronization.Read.All", "read the apps' scope settings": "Synchronization.ReadWrite.All"}, false},
		{"no Application.Read.All", func(t *fakegraph.Tenant) { t.Deny("Application.Read.All") },
			map[string]string{"read enterprise apps": "Application.Read.All", "read provisioning jobs": "Synchronization.Read.All",
				"read the apps' scope settings": "Synchronization.ReadWrite.All"}, false},
		{"no Entra ID P1/P2", func(t *fakegraph.Tenant) { t.Unlicensed = true },
			map[string]string{"read provisioning logs": "AuditLog.Read.All"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tenant := loadTenant(t)
			tc.edit(tenant)
			e := newEnv(t, tenant, nil)
			results := e.client.Probe(t.Context())
			if len(results) != 7 {
				t.Fatalf("%d results", len(results))
			}
			for _, r := range results {
				perm, wantFail := tc.failing[r.Name]
				switch {
				case wantFail && r.Err == nil:
					t.Errorf("%s passed", r.Name)
				case !wantFail && r.Err != nil:
					t.Errorf("%s failed: %v", r.Name, r.Err)
				case wantFail && r.Permission != perm:
					t.Errorf("%s names %s, want %s (%v)", r.Name, r.Permission, perm, r.Err)
				}
				if r.Licence != (tc.licence && r.Name == "read provisioning logs") {
					t.Errorf("%s: licence %v", r.Name, r.Licence)
				}
				if r.Name == "read the apps' scope settings" && !r.Optional {
					t.Errorf("the scope settings should be optional")
				}
			}
			if tc.name == "no GroupMember.Read.All" {
				for _, r := range results {
					if r.Name == "read group memberships" && !errors.Is(r.Err, graph.ErrForbidden) {
						t.Errorf("memberships error = %v, want ErrForbidden", r.Err)
					}
				}
			}
		})
	}
}

package graph

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/diagnose"
)

func TestAssignmentFor(t *testing.T) {
	day := func(n int) time.Time { return time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -n) }
	app := appInfo{id: "APP", name: "App", roles: map[string]string{"role-1": "Editor"}}
	group := func(id, name string, created time.Time) assignmentRef {
		return assignmentRef{principalID: id, principalType: "Group", principalName: name, resourceID: "app",
			roleID: diagnose.DefaultAccessRoleID, created: created}
	}
	base := func() assignmentFacts {
		return assignmentFacts{
			app: app, directOK: true, assignedOK: true, memberOK: true, joinsOK: true, joins: memberJoins{},
			assigned: appAssignments{groups: []assignmentRef{group("g1", "Sales", day(60)), group("g2", "Field", day(10)), group("outer", "All Staff", day(90))}},
			member: memberships{
				direct:     []groupRef{{id: "g1", name: "Sales"}, {id: "team", name: "Team Blue"}, {id: "m365", name: "Lunch", unified: true}},
				transitive: []groupRef{{id: "g1", name: "Sales"}, {id: "team", name: "Team Blue"}, {id: "m365", name: "Lunch", unified: true}, {id: "outer", name: "All Staff"}},
			},
			scope: scopeInfo{scope: diagnose.ScopeAssigned}, scopeKnown: true,
		}
	}
	for _, tc := range []struct {
		name string
		edit func(*assignmentFacts)
		want *diagnose.Assignment
	}{
		{"the earliest direct assignment wins", func(f *assignmentFacts) {
			f.direct = []assignmentRef{
				{principalID: "u", resourceID: "app", roleID: "role-1", created: day(3)},
				{principalID: "u", resourceID: "app", roleID: diagnose.DefaultAccessRoleID, created: day(7)},
				{principalID: "u", resourceID: "other", created: day(30)},
			}
		}, &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: day(7), RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access", Scope: diagnose.ScopeAssigned}},
		{"a role the app does not list keeps its id", func(f *assignmentFacts) {
			f.direct = []assignmentRef{{resourceID: "app", roleID: "role-2", created: day(1)}}
		}, &diagnose.Assignment{Kind: diagnose.AssignmentDirect, Since: day(1), RoleID: "role-2", Scope: diagnose.ScopeAssigned}},
		{"a group joined after its assignment dates from the joining", func(f *assignmentFacts) {
			f.joins["g1"] = day(2)
		}, &diagnose.Assignment{Kind: diagnose.AssignmentGroup, Since: day(2), Group: "Sales", RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access", Scope: diagnose.ScopeAssigned}},
		{"a membership older than the audit log dates from the assignment", nil,
			&diagnose.Assignment{Kind: diagnose.AssignmentGroup, Since: day(60), Group: "Sales", RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access", Scope: diagnose.ScopeAssigned}},
		{"an unread audit log leaves the date unknown", func(f *assignmentFacts) { f.joinsOK = false },
			&diagnose.Assignment{Kind: diagnose.AssignmentGroup, Group: "Sales", RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access", Scope: diagnose.ScopeAssigned}},
		{"of two assigned groups, the one that let the user in first", func(f *assignmentFacts) {
			f.member.direct = append(f.member.direct, groupRef{id: "g2", name: "Field"})
			f.member.transitive = append(f.member.transitive, groupRef{id: "g2", name: "Field"})
			f.joins["g1"] = day(1)
		}, &diagnose.Assignment{Kind: diagnose.AssignmentGroup, Since: day(10), Group: "Field", RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access", Scope: diagnose.ScopeAssigned}},
		{"nested only names the outer group and the user's candidate groups", func(f *assignmentFacts) {
			f.assigned.groups = f.assigned.groups[2:]
		}, &diagnose.Assignment{Kind: diagnose.AssignmentNestedGroupOnly, Group: "All Staff", ViaGroup: "Sales or Team Blue", RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access", Scope: diagnose.ScopeAssigned}},
		{"nested only, with the outer group's nested groups read, names exactly the path", func(f *assignmentFacts) {
			f.assigned.groups = f.assigned.groups[2:]
			f.nested = map[string][]groupRef{"outer": {{id: "team", name: "Team Blue"}, {id: "x", name: "Not Hers"}}}
		}, &diagnose.Assignment{Kind: diagnose.AssignmentNestedGroupOnly, Group: "All Staff", ViaGroup: "Team Blue", Path: []string{"Team Blue"},
			RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access", Scope: diagnose.ScopeAssigned}},
		{"nested through a tenant-wide group: named, and marked so it is never suggested", func(f *assignmentFacts) {
			f.assigned.groups = f.assigned.groups[2:]
			f.member.direct = append(f.member.direct, groupRef{id: "all", name: "Everyone", dynamic: true, rule: "(user.objectId -ne null)"})
			f.member.transitive = append(f.member.transitive, groupRef{id: "all", name: "Everyone", dynamic: true, rule: "(user.objectId -ne null)"},
				groupRef{id: "mid", name: "Operations"})
			f.nested = map[string][]groupRef{"outer": {{id: "all", name: "Everyone"}, {id: "mid", name: "Operations"}}}
		}, &diagnose.Assignment{Kind: diagnose.AssignmentNestedGroupOnly, Group: "All Staff", ViaGroup: "Everyone", Path: []string{"Everyone", "Operations"},
			PathTenantWide: true, RoleID: diagnose.DefaultAccessRoleID, RoleName: "Default Access", Scope: diagnose.ScopeAssigned}},
		{"none", func(f *assignmentFacts) { f.assigned.groups = nil },
			&diagnose.Assignment{Kind: diagnose.AssignmentNone, Scope: diagnose.ScopeAssigned}},
		{"unknown memberships with a known scope", func(f *assignmentFacts) { f.memberOK = false },
			&diagnose.Assignment{Kind: diagnose.AssignmentUnknown, Scope: diagnose.ScopeAssigned}},
		{"nothing known", func(f *assignmentFacts) { f.assignedOK, f.scopeKnown = false, false }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := base()
			if tc.edit != nil {
				tc.edit(&f)
			}
			if diff := cmp.Diff(tc.want, assignmentFor(f)); diff != "" {
				t.Errorf("assignment (-want +got):\n%s", diff)
			}
		})
	}
}

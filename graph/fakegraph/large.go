package fakegraph

import (
	"fmt"
	"time"
)

// TenantSize says how large a generated tenant is (see [GenerateTenant]).
type TenantSize struct {
	// ServicePrincipals is how many enterprise apps the tenant has; a
	// tenth of the rest are Microsoft's own first-party apps.
	ServicePrincipals int
	// Provisioning is how many of them have a provisioning job.
	Provisioning int
	// BigAppAssignments is how many users are assigned to the first
	// provisioning app ("Big App"); they are assignments only, the users
	// themselves are not generated.
	BigAppAssignments int
	// Groups is how many groups the member of many groups belongs to.
	Groups int
	// Entries is how many provisioning log entries, over the last 30
	// days, the busy user has.
	Entries int
	// Users is how many ordinary users there are besides the two above,
	// each in a few groups with a few entries.
	Users int
}

// LargeTenantSize is the tenant of issue 11: 5,000 service principals of
// which 300 provision, an app with 200,000 assignments, a user in 1,000
// groups and a user with 5,000 entries in 30 days.
var LargeTenantSize = TenantSize{ServicePrincipals: 5000, Provisioning: 300, BigAppAssignments: 200000,
	Groups: 1000, Entries: 5000, Users: 200}

// Object ids of a generated tenant's notable objects.
const (
	// LargeBigAppID is the provisioning app with BigAppAssignments
	// assignments.
	LargeBigAppID = "b1b1b1b1-0000-4000-8000-000000000001"
	// LargeGroupsUserID (UPN LargeGroupsUserUPN) is a direct member of
	// Groups groups; every tenth of them is assigned to a provisioning app.
	LargeGroupsUserID  = "c1c1c1c1-0000-4000-8000-000000000001"
	LargeGroupsUserUPN = "many.groups@contoso.com"
	// LargeBusyUserID (UPN LargeBusyUserUPN) has Entries log entries.
	LargeBusyUserID  = "c1c1c1c1-0000-4000-8000-000000000002"
	LargeBusyUserUPN = "busy.user@contoso.com"
)

// LargeUserID is the object id of generated ordinary user i (0 ≤ i <
// Users); its UPN is user<i>@contoso.com.
func LargeUserID(i int) string { return fmt.Sprintf("c2c2c2c2-0000-4000-8000-%012d", i) }

// LargeAppID is the object id of generated service principal i; those
// below Provisioning have a job, and 0 is LargeBigAppID.
func LargeAppID(i int) string {
	if i == 0 {
		return LargeBigAppID
	}
	return fmt.Sprintf("b1b1b1b1-0000-4000-8000-%012d", i+1)
}

// largeGroupID is the object id of generated group i.
func largeGroupID(i int) string { return fmt.Sprintf("d1d1d1d1-0000-4000-8000-%012d", i) }

// microsoftServicesTenant owns Microsoft's first-party service principals.
const microsoftServicesTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

// GenerateTenant builds a tenant of the given size in memory, with times
// relative to now, for measuring a client at tenant scale: nothing large
// is committed to the repository. The same size and now give the same
// tenant.
func GenerateTenant(size TenantSize, now time.Time) *Tenant {
	t := &Tenant{TenantID: "36d1c2a4-0000-4000-8000-00000000a11e"}
	at := func(ago time.Duration) string { return now.Add(-ago).UTC().Truncate(time.Second).Format(time.RFC3339) }
	role := "00000000-0000-0000-0000-000000000000"

	for i := range size.ServicePrincipals {
		sp := Object{
			"id": LargeAppID(i), "appId": fmt.Sprintf("a1a1a1a1-0000-4000-8000-%012d", i),
			"displayName": fmt.Sprintf("App %04d", i), "servicePrincipalType": "Application",
			"accountEnabled": true, "tags": []any{"WindowsAzureActiveDirectoryIntegratedApp"}, "appRoles": []any{},
		}
		switch {
		case i == 0:
			sp["displayName"] = "Big App"
		case i >= size.Provisioning && i%10 == 0:
			sp["appOwnerOrganizationId"] = microsoftServicesTenant
		}
		t.AddServicePrincipal(sp)
		if i < size.Provisioning {
			t.AddJob(LargeAppID(i), largeJob(i, at))
		}
	}

	t.AddUser(
		Object{"id": LargeGroupsUserID, "displayName": "Many Groups", "userPrincipalName": LargeGroupsUserUPN,
			"mail": LargeGroupsUserUPN, "accountEnabled": true, "userType": "Member"},
		Object{"id": LargeBusyUserID, "displayName": "Busy User", "userPrincipalName": LargeBusyUserUPN,
			"mail": LargeBusyUserUPN, "accountEnabled": true, "userType": "Member"},
	)
	for i := range size.Users {
		upn := fmt.Sprintf("user%d@contoso.com", i)
		t.AddUser(Object{"id": LargeUserID(i), "displayName": fmt.Sprintf("User %d", i),
			"userPrincipalName": upn, "mail": upn, "accountEnabled": true, "userType": "Member"})
	}

	assign := func(id, principal, principalType, name string, app int, ago time.Duration) {
		t.AddAppRoleAssignment(Object{"id": id, "principalId": principal, "principalType": principalType,
			"principalDisplayName": name, "resourceId": LargeAppID(app), "resourceDisplayName": fmt.Sprintf("App %04d", app),
			"appRoleId": role, "createdDateTime": at(ago)})
	}
	for i := range size.BigAppAssignments {
		assign(fmt.Sprintf("big-%d", i), fmt.Sprintf("e1e1e1e1-0000-4000-8000-%012d", i), "User", fmt.Sprintf("Member %d", i), 0, 90*24*time.Hour)
	}
	for i := range size.Groups {
		g := largeGroupID(i)
		name := fmt.Sprintf("Group %04d", i)
		t.AddGroup(Object{"id": g, "displayName": name, "securityEnabled": true, "groupTypes": []any{}}, LargeGroupsUserID)
		if i%10 == 0 && size.Provisioning > 0 {
			assign(fmt.Sprintf("grp-%d", i), g, "Group", name, (i/10)%size.Provisioning, 60*24*time.Hour)
		}
		if i < size.Users {
			t.AddMembers(g, LargeUserID(i))
		}
	}
	if size.Provisioning > 0 {
		assign("busy-direct", LargeBusyUserID, "User", "Busy User", 0, 40*24*time.Hour)
		for i := range size.Users {
			assign(fmt.Sprintf("user-%d", i), LargeUserID(i), "User", fmt.Sprintf("User %d", i), i%size.Provisioning, 30*24*time.Hour)
		}
	}

	apps := max(1, min(size.Provisioning, 5))
	for i := range size.Entries {
		t.AddProvisioning(largeEntry(fmt.Sprintf("busy-%05d", i), LargeBusyUserID, "Busy User", i%apps,
			at(time.Duration(i)*30*24*time.Hour/time.Duration(max(size.Entries, 1)))))
	}
	for i := range size.Users {
		for k := range 3 {
			t.AddProvisioning(largeEntry(fmt.Sprintf("user-%d-%d", i, k), LargeUserID(i), fmt.Sprintf("User %d", i),
				i%max(size.Provisioning, 1), at(time.Duration(k+1)*7*time.Hour)))
		}
	}
	return t
}

// largeJob is an Active job run every 40 minutes.
func largeJob(i int, at func(time.Duration) string) Object {
	return Object{
		"id":         fmt.Sprintf("scim.%032x", i),
		"templateId": "scim",
		"schedule":   Object{"interval": "PT40M", "state": "Active", "expiration": nil},
		"status": Object{
			"code": "Active", "countSuccessiveCompleteFailures": 0, "escrowsPruned": false,
			"steadyStateFirstAchievedTime": at(200 * 24 * time.Hour), "steadyStateLastAchievedTime": at(10 * time.Minute),
			"lastExecution": Object{"activityIdentifier": fmt.Sprintf("run-%d", i), "countEntitled": 10,
				"timeBegan": at(12 * time.Minute), "timeEnded": at(10 * time.Minute), "state": "Succeeded", "error": nil},
			"lastSuccessfulExecution": Object{"timeBegan": at(12 * time.Minute), "timeEnded": at(10 * time.Minute), "state": "Succeeded"},
			"quarantine":              nil, "synchronizedEntryCountByType": []any{}, "progress": []any{},
		},
		"synchronizationJobSettings": []any{},
	}
}

// largeEntry is a successful update of a user in app i.
func largeEntry(id, userID, name string, app int, when string) Object {
	return Object{
		"id": id, "activityDateTime": when, "jobId": fmt.Sprintf("scim.%032x", app),
		"changeId": "c-" + id, "cycleId": "y-" + id, "provisioningAction": "update",
		"servicePrincipal":       Object{"id": LargeAppID(app), "displayName": fmt.Sprintf("App %04d", app)},
		"sourceIdentity":         Object{"id": userID, "displayName": name, "identityType": "User", "details": Object{}},
		"targetIdentity":         Object{"id": "t-" + userID[len(userID)-6:], "displayName": name, "identityType": "User", "details": Object{}},
		"sourceSystem":           Object{"displayName": "Azure Active Directory"},
		"targetSystem":           Object{"displayName": fmt.Sprintf("App %04d", app)},
		"provisioningStatusInfo": Object{"status": "success", "errorInformation": nil},
		"provisioningSteps": []any{
			Object{"name": "EntryImport", "provisioningStepType": "import", "status": "success", "description": "Retrieved " + name, "details": Object{}},
			Object{"name": "EntryExportUpdate", "provisioningStepType": "export", "status": "success", "description": "Updated " + name, "details": Object{}},
		},
		"modifiedProperties": []any{Object{"displayName": "jobTitle", "oldValue": "A", "newValue": "B"}},
	}
}

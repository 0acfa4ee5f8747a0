package fakegraph

import "strings"

// routeTable lists every operation. The adapter calls exactly these.
func (s *Server) routeTable() []route {
	dirList := []string{"$filter", "$top", "$select", "$orderby", "$count", "$skiptoken", "$search"}
	p := func(path string) []string { return strings.Split(path, "/") }
	return append([]route{
		{method: "GET", version: "v1.0", pattern: p("users"), perms: []string{"User.Read.All"},
			optional: dirList, handle: listUsers},
		{method: "GET", version: "v1.0", pattern: p("users/{}"), perms: []string{"User.Read.All"},
			optional: []string{"$select"}, handle: getUser},
		{method: "GET", version: "v1.0", pattern: p("users/{}/memberOf"), perms: []string{"GroupMember.Read.All"},
			optional: dirList, handle: memberOf(false, false)},
		{method: "GET", version: "v1.0", pattern: p("users/{}/memberOf/microsoft.graph.group"), perms: []string{"GroupMember.Read.All"},
			optional: dirList, handle: memberOf(false, true)},
		{method: "GET", version: "v1.0", pattern: p("users/{}/transitiveMemberOf"), perms: []string{"GroupMember.Read.All"},
			optional: dirList, handle: memberOf(true, false)},
		{method: "GET", version: "v1.0", pattern: p("users/{}/transitiveMemberOf/microsoft.graph.group"), perms: []string{"GroupMember.Read.All"},
			optional: dirList, handle: memberOf(true, true)},
		{method: "POST", version: "v1.0", pattern: p("users/{}/checkMemberGroups"), perms: []string{"GroupMember.Read.All"},
			handle: checkMemberGroups},
		{method: "GET", version: "v1.0", pattern: p("groups"), perms: []string{"GroupMember.Read.All"},
			optional: dirList, handle: listGroups},
		{method: "GET", version: "v1.0", pattern: p("groups/{}"), perms: []string{"GroupMember.Read.All"},
			optional: []string{"$select"}, handle: getGroup},
		{method: "GET", version: "v1.0", pattern: p("groups/{}/transitiveMembers/microsoft.graph.group"), perms: []string{"GroupMember.Read.All"},
			optional: dirList, handle: groupTransitiveGroups},
		{method: "GET", version: "v1.0", pattern: p("users/{}/appRoleAssignments"), perms: []string{"Directory.Read.All"},
			optional: []string{"$filter", "$top", "$select", "$count", "$skiptoken"}, handle: userAssignments},
		{method: "GET", version: "v1.0", pattern: p("directory/deletedItems/microsoft.graph.user"), perms: []string{"User.Read.All"},
			optional: dirList, handle: listDeletedUsers},
		{method: "GET", version: "v1.0", pattern: p("servicePrincipals"), perms: []string{"Application.Read.All"},
			optional: dirList, handle: listServicePrincipals},
		{method: "GET", version: "v1.0", pattern: p("servicePrincipals/{}"), perms: []string{"Application.Read.All"},
			optional: []string{"$select"}, handle: getServicePrincipal},
		{method: "GET", version: "v1.0", pattern: p("servicePrincipals/{}/appRoleAssignedTo"), perms: []string{"Application.Read.All"},
			optional: []string{"$filter", "$top", "$select", "$count", "$skiptoken"}, handle: appRoleAssignedTo},
		{method: "GET", version: "v1.0", pattern: p("servicePrincipals/{}/synchronization/jobs"), perms: []string{"Synchronization.Read.All"},
			handle: listJobs},
		{method: "GET", version: "v1.0", pattern: p("servicePrincipals/{}/synchronization/jobs/{}"), perms: []string{"Synchronization.Read.All"},
			handle: getJob},
		{method: "GET", version: "beta", pattern: p("servicePrincipals/{}/synchronization/secrets"), perms: []string{"Synchronization.Read.All"},
			handle: listSecrets},
		{method: "GET", version: "v1.0", pattern: p("auditLogs/provisioning"), perms: []string{"AuditLog.Read.All", "Directory.Read.All"},
			reports: true, premium: true, optional: []string{"$filter", "$top", "$orderby", "$skiptoken"}, handle: listProvisioning},
		{method: "GET", version: "v1.0", pattern: p("auditLogs/directoryAudits"), perms: []string{"AuditLog.Read.All", "Directory.Read.All"},
			reports: true, optional: []string{"$filter", "$top", "$orderby", "$skiptoken", "$select"}, handle: listDirectoryAudits},
		{method: "GET", version: "v1.0", pattern: p("organization"), perms: []string{"Organization.Read.All"},
			optional: []string{"$select"}, handle: listOrganization},
	}, s.scaleRoutes()...)
}

// Package fakegraph is a fake Microsoft Graph at the wire level, for
// provbot's tests, its end-to-end tests and the in-process demo, with the
// demo tenant ([DemoTenant], [DemoCast]). It imports only the standard
// library, and not testing: the provbot binary links it for the demo.
//
// The fake behaves like Graph over HTTP, including where Graph is strict:
// it refuses filters, query options and literals that Graph refuses, with
// Graph's status codes and error bodies, so an adapter written against it
// does not come to rely on leniency the real service lacks. Each rule
// names its source (a learn.microsoft.com page or a public issue) in a
// comment beside it.
//
// # Starting a server
//
//	tenant, err := fakegraph.LoadTenantFile("testdata/tenant.json", time.Now())
//	srv := fakegraph.NewTestServer(t, tenant)          // in a test
//	base := srv.URL() + "/v1.0"                        // the client's Graph base URL
//
// Outside tests, New plus Start (or StartListener on a listener of your
// own) and Close; Handler returns the http.Handler alone.
//
// # Tenant JSON
//
// A tenant is one JSON object. Every key is optional; objects keep Graph's
// wire shape and are served back as stored (quirks included):
//
//	{
//	  "tenantId": "2f0c6a4e-0b4f-4f3e-9d1c-1a2b3c4d5e6f",
//	  "licensed": true,
//	  "deniedPermissions": ["AuditLog.Read.All"],
//	  "users": [{"id": "6e7b768e-07e2-4810-8459-485f84f8f204", "displayName": "Ada Lovelace",
//	             "userPrincipalName": "ada@contoso.com", "mail": "ada@contoso.com",
//	             "accountEnabled": true, "createdDateTime": "{{now-30d}}"}],
//	  "deletedUsers": [{"id": "...", "displayName": "...", "deletedDateTime": "{{now-2d}}"}],
//	  "groups": [{"id": "...", "displayName": "Sales", "securityEnabled": true}],
//	  "groupMembers": {"<groupId>": ["<userId>", "<nestedGroupId>"]},
//	  "servicePrincipals": [{"id": "...", "appId": "...", "displayName": "Salesforce",
//	                         "tags": ["WindowsAzureActiveDirectoryIntegratedApp"]}],
//	  "appRoleAssignments": [{"id": "...", "principalId": "<userId>", "principalType": "User",
//	                          "resourceId": "<spId>", "appRoleId": "00000000-0000-0000-0000-000000000000"}],
//	  "synchronizationJobs": {"<spId>": [{"id": "salesforce.1234", "templateId": "salesforce", "status": {...}}]},
//	  "synchronizationSecrets": {"<spId>": [{"key": "SyncAll", "value": "false"}]},
//	  "provisioning": [{"id": "...", "activityDateTime": "{{now-40m}}", ...}],
//	  "directoryAudits": [{"id": "...", "activityDisplayName": "Add member to group", ...}],
//	  "organization": {"id": "...", "displayName": "Contoso", "assignedPlans": [...]},
//	  "_comment": "ignored"
//	}
//
// "licensed": false makes the provisioning logs answer Graph's 403 for a
// tenant without Entra ID P1/P2. Without "organization" the server makes
// one from tenantId whose assignedPlans carry the Entra ID P1 plan when
// the tenant is licensed. Unknown top-level keys are errors.
//
// # Relative times
//
// Any JSON string value that is exactly {{now}}, or {{now}} followed by a
// sign and amounts with units d, h, m, s ({{now-2h30m}}, {{now+40m}},
// {{now-3d}}), is replaced by that time in RFC 3339 UTC with seconds
// precision and a Z suffix, e.g. "2025-03-01T10:20:30Z". LoadTenant uses
// the time it is given; New resolves the templates still left (from the
// Add methods or a literal Tenant) with the server's clock. Other strings
// are untouched; a string that starts with "{{now" and ends with "}}" but
// does not parse is an error.
//
// # Routes and filters
//
// String comparisons on directory objects (users, service principals,
// groups, assignments) ignore case: Microsoft's own example finds users
// named Mary with startswith(displayName,'mary')
// (https://learn.microsoft.com/graph/filter-query-parameter). On the
// reporting APIs they do not ("The filters are all case sensitive",
// https://learn.microsoft.com/graph/api/provisioningobjectsummary-list).
// "Advanced" below means the request must carry ConsistencyLevel: eventual
// and $count=true, or Graph answers 400 Request_UnsupportedQuery
// (https://learn.microsoft.com/graph/aad-advanced-queries).
//
//	GET  /v1.0/users/{id | userPrincipalName}           $select
//	GET  /v1.0/users                                     $filter $top(1-999) $select $orderby $count $skiptoken
//	     filter: displayName, givenName, surname, mail, userPrincipalName, mailNickname,
//	             jobTitle, department, employeeId: eq, in, startswith;
//	             id, userType, accountEnabled: eq, in; proxyAddresses/otherMails/any(p:p eq|startswith ...);
//	             advanced: ne, not, endswith (mail, userPrincipalName, proxyAddresses, otherMails),
//	             createdDateTime eq/ne/ge/le; and/or/parentheses.
//	     orderby: displayName, userPrincipalName; with $filter only advanced.
//	     Without $select only the default properties are returned (businessPhones, displayName,
//	     givenName, id, jobTitle, mail, mobilePhone, officeLocation, preferredLanguage, surname,
//	     userPrincipalName).
//	GET  /v1.0/directory/deletedItems/microsoft.graph.user  same as /users, plus deletedDateTime (advanced)
//	GET  /v1.0/users/{id}/memberOf[/microsoft.graph.group]            $select $top $skiptoken; $filter advanced only
//	GET  /v1.0/users/{id}/transitiveMemberOf[/microsoft.graph.group]  same, following nested groups
//	POST /v1.0/users/{id}/checkMemberGroups              {"groupIds":[up to 20 GUIDs]}, transitive
//	GET  /v1.0/users/{id}/appRoleAssignments             $filter resourceId|principalId|appRoleId eq <unquoted GUID>,
//	                                                     principalDisplayName|resourceDisplayName eq|startswith; $top $select
//	GET  /v1.0/servicePrincipals                         $filter id, appId, servicePrincipalType, accountEnabled: eq, in;
//	                                                     displayName: eq, in, startswith; tags/any(t:t eq '...');
//	                                                     $top $select $skiptoken; $orderby displayName advanced
//	GET  /v1.0/servicePrincipals/{id}                    $select
//	GET  /v1.0/servicePrincipals/{id}/appRoleAssignedTo  as appRoleAssignments
//	GET  /v1.0/servicePrincipals/{id}/synchronization/jobs[/{jobId}]
//	GET  /beta/servicePrincipals/{id}/synchronization/secrets
//	GET  /v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/schema   one rule, Entra ID to the app
//	POST /v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/provisionOnDemand
//	     one User subject and the job's rule id; 5 per 10 s per caller (429), one at a time per job
//	     (409); the answer follows the tenant's data (not assigned: Skipped; last entry failed: the
//	     same failure; provisioned: Skipped RedundantExport; else Created, and the entry is added to
//	     the provisioning logs). Needs Synchronization.ReadWrite.All (see routes_actions.go)
//	POST /v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/restart  criteria.resetScope
//	     checked; lifts the quarantine; 204. Needs Synchronization.ReadWrite.All
//	GET  /v1.0/auditLogs/provisioning                    $filter $top(1-1000) $orderby $skiptoken
//	     filter (case-sensitive, property names in any case): id, tenantId, jobId, changeId, cycleId,
//	             provisioningAction, provisioningStatusInfo/status, sourceSystem/displayName,
//	             targetSystem/displayName, {source,target}Identity/{id,displayName,identityType},
//	             servicePrincipal/id, servicePrincipal/displayName, initiatedBy/displayName: eq, contains;
//	             servicePrincipal/name: eq; activityDateTime, durationInMilliseconds: eq, gt, lt;
//	             tolower(property) on strings; and/or/parentheses. No ne, ge, le, not, startswith.
//	     orderby: activityDateTime asc|desc; newest first by default. A nextLink is produced only
//	     when $top was sent (beta page). Needs AuditLog.Read.All and a licensed tenant.
//	GET  /v1.0/auditLogs/directoryAudits                 $filter $top(1-1000) $orderby $skiptoken $select
//	     filter (case-sensitive): activityDisplayName eq|startswith; activityDateTime eq|ge|le;
//	             id, loggedByService, initiatedBy/user/{id,displayName}, initiatedBy/app/{appId,displayName}: eq;
//	             initiatedBy/user/userPrincipalName eq|startswith; correlationId eq <GUID>;
//	             targetResources/any(t:t/id eq '...'), targetResources/any(t:t/displayName eq|startswith ...);
//	             combined with and only.
//	GET  /v1.0/organization                              $select
//
// Literals follow OData: strings in single quotes, a quote inside written
// twice; GUIDs and dates unquoted:
//
//	displayName eq 'O''Brien'
//	resourceId eq 8e881353-1735-45af-af21-ee1344582a4d
//	activityDateTime gt 2024-05-01T00:00:00Z
//
// A filter that does not parse, compares two literals (what an injection
// such as x' or 1 eq 1 or 'a produces), or quotes a GUID is answered 400
// with "Invalid filter clause: ...".
//
// Paged answers carry an absolute @odata.nextLink on the fake's own host
// with an opaque $skiptoken; every answer carries request-id,
// client-request-id (echoed), and Graph's content type. Path segments
// ignore case, a cast may be written graph.group as msgraph-sdk-go does,
// and gzip-compressed request bodies (msgraph-sdk-go's default) are
// accepted.
//
// # Throttling
//
// The reporting routes (/auditLogs/...) allow 5 requests per 10 seconds
// per Authorization header value, as Graph's identity and access reports
// service does; the next one gets 429 TooManyRequests with Retry-After in
// whole seconds. The window runs on the server's clock (WithNow), so a
// fake clock makes it deterministic. WithThrottle changes or disables it.
//
// # Permissions
//
// Tenant.DeniedPermissions makes routes that need a permission answer 403:
// users and deleted users need User.Read.All; memberOf, transitiveMemberOf
// and checkMemberGroups GroupMember.Read.All; appRoleAssignments
// Directory.Read.All; servicePrincipals and appRoleAssignedTo
// Application.Read.All; synchronization jobs and secrets
// Synchronization.Read.All; organization Organization.Read.All; the
// reporting routes AuditLog.Read.All and Directory.Read.All (answered with
// Authentication_MSGraphPermissionMissing, the others with
// Authorization_RequestDenied).
//
// # Faults
//
// Faults are matched by method and path pattern (and optionally page):
//
//	srv.Fault(fakegraph.Route("GET", "/v1.0/auditLogs/provisioning"),
//		fakegraph.Status(429, fakegraph.RetryAfter(2)), fakegraph.Times(1))
//	srv.Fault(fakegraph.Route("GET", "/v1.0/users/*"), fakegraph.Latency(50*time.Millisecond))
//	srv.Fault(fakegraph.Route("GET", "/v1.0/auditLogs/provisioning").Page(2), fakegraph.TruncatedBody())
//	srv.Fault(fakegraph.Route("*", "/v1.0/*"), fakegraph.Hang())
//
// Effects are Latency, Status (with RetryAfter and WithError), MalformedJSON,
// TruncatedBody and Hang. Times(n) makes a fault one-shot; without it a
// fault is permanent until ClearFaults.
//
// # Observing requests
//
// Requests returns every request with its method, path, query, decoded
// $filter, headers of interest, time and status; Reset clears it.
// MaxInFlight reports the most requests handled at once, which a benchmark
// uses with Latency to count sequential round trips.
package fakegraph

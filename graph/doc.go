// Package graph is provbot's Microsoft Graph adapter. It reads what a
// provisioning diagnosis needs (a user, their provisioning log entries,
// the apps' synchronization jobs, the user's assignments and group
// memberships) with msgraph-sdk-go and converts it into package diagnose's
// types, so that *Client satisfies the bot's and the command line's own
// interfaces without either side importing the other.
//
// # Clients
//
// [New] authenticates with any azidentity credential; [NewUnauthenticated]
// talks to a local fake Graph (package fakegraph) for the demo and tests;
// [NewFromAdapter] wraps a ready kiota request adapter. Options set the
// base URL (national clouds), HTTP client, logger, clock, caches, the
// reporting budget, retries, help-desk groups and a metrics [Observer].
//
//	client, err := graph.New(cred, graph.WithLogger(logger), graph.WithHelpDeskGroups(groupID))
//	if err := client.Warm(ctx); err != nil { ... }        // build the app catalog
//	users, err := client.ResolveUser(ctx, "ada@contoso.com")
//	in, err := client.Gather(ctx, diagnose.Query{UserID: users[0].ObjectID})
//	report := diagnose.Diagnose(in, time.Now())
//
// One [Client.Gather] sends everything keyed by the user at once; the
// user's groups' app role assignments follow in JSON batches as soon as
// the groups are known (cached per group for a minute). [Client.Lookup]
// resolves a UPN and reads the user's facts in the same wave, so a lookup
// by UPN costs two round trips instead of three. A user's apps are found
// from the user's side, never by listing an app's assignments (an app
// can have hundreds of thousands); an app's size is counted with $count
// only when an initial cycle makes it matter. [Client.Probe] checks every
// permission below with one small request each, for the command line's
// check command.
//
// # Permissions
//
// Application permissions, least privileged
// (https://learn.microsoft.com/graph/permissions-reference):
//
//	AuditLog.Read.All         provisioning logs and directory audits (/auditLogs/*)
//	Directory.Read.All        provisioning logs (alongside AuditLog.Read.All) and a user's
//	                          app role assignments; it also covers the next three
//	User.Read.All             users and deleted users
//	GroupMember.Read.All      memberOf, transitiveMemberOf, checkMemberGroups (help desk)
//	Application.Read.All      service principals and their appRoleAssignedTo
//	Synchronization.Read.All  synchronization jobs
//
// Optional: Synchronization.ReadWrite.All lets the client read the app's
// scope setting ("Sync all" or "assigned only") and SkipOutOfScopeDeletions
// from the beta synchronization secrets; without it they stay unknown. It
// is also what the two writes need (ProvisionOnDemand, RestartJob; see
// WriteAccess), which are never retried and return Graph's request-id.
// Provisioning logs also need a Microsoft Entra ID P1 or P2 licence. See
// https://learn.microsoft.com/graph/api/provisioningobjectsummary-list and
// https://learn.microsoft.com/graph/api/synchronization-synchronization-list-jobs.
//
// # Errors
//
// Every method of [Client] returns *[Error], built at the boundary from kiota's
// errors, which errors.Is matches against [ErrNotFound], [ErrForbidden]
// (naming the missing permission, or the missing licence), [ErrThrottled]
// (with RetryAfter), [ErrUnavailable] (transport failures, timeouts,
// malformed answers, 5xx) and [ErrInvalid]. No panic escapes a method.
//
// # Throttling
//
// The reporting endpoints are limited to 5 requests per 10 seconds per app
// per tenant
// (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-reports-service-limits).
// The client keeps that budget itself and spends it where it changes the
// answer: it coalesces identical lookups, caches a user's entries for a
// minute, batches the provisioning-log requests of waiting users (up to
// 15 per $filter), serves them in arrival order about one request every
// 2 seconds, and reads a group membership's date from the directory audit
// log only when the answer depends on it. A lookup waits for its turn as
// long as its caller lets it, never failing merely because the budget is
// busy; [WithQueueNotifier] tells it its place and expected wait as soon
// as it is queued, and [Client.ReportingQueue] says what a new lookup
// would wait. Throttled requests (429, and 503 or 504) are retried by the
// client, honouring Retry-After within the caller's deadline; the SDK's
// own retry handler is left out of the pipeline so requests are never
// retried twice.
//
// Several replicas of the bot share what keeps them within that limit
// together ([WithSharedBudget], [WithSharedCache], [WithSharedQueue]):
// one budget, identical lookups coalesced, and the users waiting for the
// budget, so that the replica whose turn comes fills its request with
// other replicas' waiting users of the same app and hands them their
// entries. Each of these falls back to the replica alone when the shared
// store fails (but the budget, which cannot be spent safely without it).
//
// # Decoding
//
// The SDK's generated models decode enums strictly (an unknown or
// differently cased value such as "Import" or "stageddelete" becomes nil)
// and fail a whole page on one "" timestamp. Provisioning logs and jobs
// are therefore fetched as raw bytes through the request adapter and
// walked with kiota's own JSON parse nodes, field by field, keeping every
// raw enum spelling; [ReadLogs] and [ReadJobs] read saved files through
// the same code.
package graph

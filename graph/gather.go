package graph

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/logsafe"
)

// appFact is what one lookup learned about one app.
type appFact struct {
	info    appInfo
	jobs    []diagnose.Job
	jobsOK  bool
	jobsErr error
	scope   scopeInfo
	scopeOK bool
	count   int // the app's assignments; 0 when not read or unknown
}

// Gather collects everything one diagnosis needs about the user q.UserID
// (an object id) for the app q.AppID, or for every provisioning app when
// q.AppID is empty:
//
//   - the user (active, or deleted in the last 30 days);
//   - the user's provisioning log entries, newest first, up to the log
//     cap (batched with other users' lookups and cached, see LogQuery);
//   - the apps with their jobs, and the user's Assignment to each: direct,
//     through a group, only through a nested group, or none; role; Scope
//     and SkipOutOfScopeDeletions from the beta synchronization secrets
//     when readable; InScope, the number of the app's assignments, when a
//     job is still in its initial cycle (the only answer it changes).
//
// The user's apps are found from the user's side: their own app role
// assignments and those of their groups (read in JSON batches of 20), so
// an app's size does not matter. Everything keyed by the user goes out at
// once; the groups' assignments follow as soon as the user's groups are
// known (they are cached per group for the job cache TTL, so groups seen
// in the last minute cost nothing). The date the user joined an assigned
// group is read from the directory audit log, which spends the reporting
// budget, only when the answer depends on it: the user is assigned
// through a group and the app's newest entry is a skip, a disable or a
// delete from before the group was assigned, or there is no entry.
//
// For every app, Apps holds the apps the user has entries in, is
// assigned to in any way, or that sync all users. q.Refresh bypasses the
// caches.
//
// The entries slice is the caller's; the entries' own slices and maps are
// shared with the cache and must not be modified.
//
// The user and the entries are required: their errors are returned (a
// user who exists neither active nor deleted and has no entries matches
// ErrNotFound). Jobs, assignments, memberships, audit dates and scope are
// best effort: when one cannot be read the matching field stays unknown
// (JobsKnown false, Assignment nil, Kind unknown or Since zero) and the
// reason is logged.
func (c *Client) Gather(ctx context.Context, q diagnose.Query) (in diagnose.Input, err error) {
	const op = "gather"
	defer c.recoverAs(&err, op)
	if q.GroupID != "" {
		return c.gatherGroup(ctx, q)
	}
	if !isGUID(q.UserID) {
		return in, invalidInput(op, "user id %q: want the user's object id (GUID); resolve names with ResolveUser or use Lookup", logsafe.Cap(q.UserID))
	}
	if q.AppID != "" && !isGUID(q.AppID) {
		return in, invalidInput(op, "app id %q: want the service principal's object id (GUID)", logsafe.Cap(q.AppID))
	}
	return c.gather(ctx, q, subjectByID(c, q.UserID))
}

// subject is the user a gather is about: key addresses the user-keyed
// requests (/users/{key}/...: an object id or a UPN, which Graph accepts
// alike), and resolve finds the user and their object id (nil when no
// user has that key).
type subject struct {
	key     string
	resolve func(ctx context.Context) (*diagnose.User, error)
}

// subjectByID is the user with object id id, active or deleted.
func subjectByID(c *Client, id string) subject {
	return subject{key: id, resolve: func(ctx context.Context) (*diagnose.User, error) { return c.userFacts(ctx, id) }}
}

// gather runs one lookup: see Gather.
func (c *Client) gather(ctx context.Context, q diagnose.Query, s subject) (in diagnose.Input, err error) {
	const op = "gather"
	var (
		wg                           sync.WaitGroup
		user                         *diagnose.User
		logs                         logResult
		direct, trans                []groupRef
		mine                         []assignmentRef
		grants                       map[string][]assignmentRef
		facts                        []appFact
		userErr, logsErr, appsErr    error
		directErr, transErr, mineErr error
		grantsErr                    error
	)
	resolved := make(chan struct{})
	mineDone := make(chan struct{})
	leg := func(errp *error, fn func() error) {
		wg.Go(func() { *errp = protect(fn) })
	}
	// legThen closes done once the leg's result and error are both set,
	// so that a leg waiting on done may read them.
	legThen := func(errp *error, done chan struct{}, fn func() error) {
		wg.Go(func() {
			defer close(done)
			*errp = protect(fn)
		})
	}
	legThen(&userErr, resolved, func() (err error) {
		user, err = s.resolve(ctx)
		return err
	})
	leg(&logsErr, func() (err error) {
		id := s.key
		if !isGUID(id) {
			<-resolved
			if user == nil || userErr != nil {
				return nil // the user's error (or absence) decides
			}
			id = user.ObjectID
		}
		logs, err = c.userEntries(ctx, id, q.AppID, q.Refresh)
		return err
	})
	leg(&directErr, func() (err error) { direct, err = c.userGroups(ctx, s.key, false); return err })
	legThen(&mineErr, mineDone, func() (err error) {
		mine, err = c.userAssignments(ctx, s.key, q.AppID)
		return err
	})
	leg(&transErr, func() (err error) {
		trans, err = c.userGroups(ctx, s.key, true)
		if err != nil {
			return err
		}
		// The groups' assignments go out as soon as the groups are
		// known, unless the user's own assignment to the one app asked
		// about already decides.
		<-mineDone
		if q.AppID != "" && mineErr == nil && assignedDirectly(mine, q.AppID) {
			return nil
		}
		ids := make([]string, len(trans))
		for i, g := range trans {
			ids[i] = g.id
		}
		grants, grantsErr = c.groupGrants(ctx, ids, q.Refresh)
		return nil
	})
	leg(&appsErr, func() (err error) { facts, err = c.appFacts(ctx, q.AppID, q.Refresh); return err })
	wg.Wait()

	switch {
	case userErr != nil:
		return in, userErr
	case logsErr != nil:
		return in, logsErr
	case appsErr != nil:
		return in, appsErr
	}
	if user == nil {
		if !isGUID(s.key) {
			return in, notFound(op, "no user has the user principal name %s", s.key)
		}
		if !anyUserEntry(logs.entries) {
			// No user, and no entry about a user: the id may be a group's.
			return in, notFound(op, "no user has the object id %s", s.key)
		}
		// Gone from the directory, deleted users included: the entries
		// are all that is left; its state is not "disabled".
		user = &diagnose.User{ObjectID: s.key}
		c.skipped(ctx, &in.Unknown, diagnose.FactUserState, diagnose.UnreadNotFound, "user", s.key)
	}
	level := slog.LevelWarn
	if user.SoftDeleted {
		level = slog.LevelDebug // a deleted user has no memberships to read
	}
	for _, e := range []struct {
		what string
		err  error
	}{{"groups", directErr}, {"nested groups", transErr}, {"app role assignments", mineErr}, {"groups' app role assignments", grantsErr}} {
		if e.err != nil {
			c.log.Log(ctx, level, "assignment facts incomplete", "user", user.ObjectID, "missing", e.what, "err", e.err)
		}
	}

	in.User = user
	in.Entries = slices.Clone(logs.entries)
	mentioned := map[string]bool{}
	for _, e := range logs.entries {
		mentioned[strings.ToLower(e.ServicePrincipal.ID)] = true
	}
	af := assignmentFacts{
		direct:   mine,
		directOK: mineErr == nil,
		member:   memberships{direct: direct, transitive: trans},
		memberOK: directErr == nil && transErr == nil,
	}
	groupsKnown := grantsErr == nil && transErr == nil
	membershipErr := errors.Join(mineErr, directErr, transErr, grantsErr)
	factsOf := func(f appFact, joins memberJoins, joinsOK bool) assignmentFacts {
		a := af
		a.app, a.scope, a.scopeKnown = f.info, f.scope, f.scopeOK
		a.assigned, a.assignedOK = groupAssignmentsTo(f.info.id, grants), groupsKnown || assignedDirectly(mine, f.info.id)
		a.joins, a.joinsOK = joins, joinsOK
		return a
	}
	afs := make([]assignmentFacts, len(facts))
	for i, f := range facts {
		afs[i] = factsOf(f, memberJoins{}, true)
	}
	// The groups between the user and a group assigned to an app they
	// reach only through nesting, so the answer names exactly those.
	nested := c.nestedInOuterGroups(ctx, afs)
	assign := func(f appFact, joins memberJoins, joinsOK bool) *diagnose.Assignment {
		a := factsOf(f, joins, joinsOK)
		a.nested = nested
		return assignmentFor(a)
	}
	var apps []diagnose.App
	var needJoins []int
	for _, f := range facts {
		name := f.info.name
		if name == "" {
			name = appName(logs.entries, f.info.id)
		}
		app := diagnose.App{ID: f.info.id, Name: name, Jobs: slices.Clone(f.jobs), JobsKnown: f.jobsOK, InScope: f.count}
		// First with every membership taken as older than the group's
		// assignment, to see whether the date matters.
		app.Assignment = assign(f, memberJoins{}, true)
		if q.AppID == "" && !relevant(app, mentioned) {
			continue
		}
		if joinDateMatters(app, logs.entries) {
			needJoins = append(needJoins, len(apps))
		} else if app.Assignment != nil && app.Assignment.Kind == diagnose.AssignmentGroup {
			// Not read because the answer does not depend on it.
			app.Assignment.Since = time.Time{}
		}
		apps = append(apps, app)
	}
	joinsWhy := diagnose.Unread("")
	if len(needJoins) > 0 {
		var joins memberJoins
		joins, joinsWhy = c.membershipJoins(ctx, user.ObjectID, q.Refresh)
		for _, i := range needJoins {
			// When the audit log could not be read in time the date is
			// unknown (Since zero, and listed as unread), never "older".
			apps[i].Assignment = assign(factOf(facts, apps[i].ID), joins, joinsWhy == "")
		}
	}
	for i := range apps {
		why := diagnose.Unread("")
		if slices.Contains(needJoins, i) {
			why = joinsWhy
		}
		c.recordUnread(ctx, &apps[i], factOf(facts, apps[i].ID), membershipErr, why, slices.Contains(needJoins, i))
	}
	in.Apps = apps
	if lo, ok := c.cfg.observer.(LookupObserver); ok {
		n := len(in.Unknown)
		for _, a := range apps {
			n += len(a.Unknown)
		}
		lo.ObserveLookupSkipped(n)
	}
	return in, nil
}

// factOf finds the facts of an app by id.
func factOf(facts []appFact, id string) appFact {
	for _, f := range facts {
		if f.info.id == id {
			return f
		}
	}
	return appFact{}
}

// assignedDirectly reports whether the user's own assignments include the
// app.
func assignedDirectly(mine []assignmentRef, appID string) bool {
	for _, r := range mine {
		if strings.EqualFold(r.resourceID, appID) {
			return true
		}
	}
	return false
}

// anyUserEntry reports whether an entry is about a user (not a group).
func anyUserEntry(entries []diagnose.Entry) bool {
	for _, e := range entries {
		if !e.Source.IsGroup() {
			return true
		}
	}
	return false
}

// recordUnread notes, for one app, each fact the lookup could not read and
// why: the jobs, the assignment, when a group membership began (only when
// the answer depends on it: joinsAsked), the scope.
func (c *Client) recordUnread(ctx context.Context, app *diagnose.App, f appFact, assignErr error, joinsWhy diagnose.Unread, joinsAsked bool) {
	at := []any{"app", app.ID}
	if !f.jobsOK {
		c.skipped(ctx, &app.Unknown, diagnose.FactJobs, unreadOf(f.jobsErr), at...)
	}
	a := app.Assignment
	switch {
	case a == nil || a.Kind == diagnose.AssignmentUnknown:
		c.skipped(ctx, &app.Unknown, diagnose.FactAssignment, nonEmptyUnread(unreadOf(assignErr)), at...)
	case joinsAsked && a.Kind == diagnose.AssignmentGroup && a.Since.IsZero():
		c.skipped(ctx, &app.Unknown, diagnose.FactAssignmentSince, nonEmptyUnread(joinsWhy), at...)
	}
	if !f.scopeOK && c.beta != "" {
		c.skipped(ctx, &app.Unknown, diagnose.FactScope, diagnose.UnreadForbidden, at...)
	}
}

// nonEmptyUnread is why, or "failed" when no reason was recorded.
func nonEmptyUnread(why diagnose.Unread) diagnose.Unread {
	if why == "" {
		return diagnose.UnreadFailed
	}
	return why
}

// groupAssignmentsTo collects the assignments of the user's groups to one
// app.
func groupAssignmentsTo(appID string, grants map[string][]assignmentRef) appAssignments {
	var out appAssignments
	for _, refs := range grants {
		for _, r := range refs {
			if strings.EqualFold(r.resourceID, appID) && strings.EqualFold(r.principalType, "Group") {
				out.groups = append(out.groups, r)
			}
		}
	}
	slices.SortFunc(out.groups, func(a, b assignmentRef) int { return strings.Compare(a.principalID, b.principalID) })
	return out
}

// joinDateMatters reports whether the date the user joined the assigned
// group can change the answer: the user is assigned through a group, and
// the app has no entry for them, or its newest entry is a skip, a disable
// or a delete that the group's assignment does not already postdate.
func joinDateMatters(app diagnose.App, entries []diagnose.Entry) bool {
	a := app.Assignment
	if a == nil || a.Kind != diagnose.AssignmentGroup {
		return false
	}
	var latest *diagnose.Entry
	for i := range entries {
		e := &entries[i]
		if strings.EqualFold(e.ServicePrincipal.ID, app.ID) && (latest == nil || e.ActivityTime.After(latest.ActivityTime)) {
			latest = e
		}
	}
	if latest == nil {
		return true
	}
	if a.Since.After(latest.ActivityTime) {
		return false
	}
	if latest.Status == diagnose.ResultSkipped {
		return true
	}
	if s, ok := latest.Step(diagnose.StepScoping); ok && s.Status == diagnose.ResultSkipped {
		return true
	}
	switch latest.Action {
	case diagnose.ActionDisable, diagnose.ActionDelete, diagnose.ActionStagedDelete:
		return true
	}
	return false
}

// appName finds an app's name in the entries, for an app whose service
// principal could not be read.
func appName(entries []diagnose.Entry, id string) string {
	for _, e := range entries {
		if strings.EqualFold(e.ServicePrincipal.ID, id) && e.ServicePrincipal.Name != "" {
			return e.ServicePrincipal.Name
		}
	}
	return ""
}

// relevant reports whether an app belongs in an all-apps diagnosis: the
// user has entries in it, is assigned to it in any way, or it syncs
// everyone.
func relevant(app diagnose.App, mentioned map[string]bool) bool {
	if mentioned[strings.ToLower(app.ID)] {
		return true
	}
	a := app.Assignment
	if a == nil {
		return false
	}
	switch a.Kind {
	case diagnose.AssignmentDirect, diagnose.AssignmentGroup, diagnose.AssignmentNestedGroupOnly:
		return true
	}
	return a.Scope == diagnose.ScopeAll
}

// appFacts reads each relevant app's jobs and scope: the one app asked
// about (from the catalog, or its service principal read alongside), or
// every app of the catalog (in JSON batches when not cached). An app
// whose job is still in its initial cycle also gets its number of
// assignments.
func (c *Client) appFacts(ctx context.Context, appID string, refresh bool) ([]appFact, error) {
	var infos []appInfo
	var spFetch func() (appInfo, bool, error)
	if appID != "" {
		if info, ok := c.catalogApp(appID); ok {
			infos = []appInfo{info}
		} else {
			infos = []appInfo{{id: appID}}
			spFetch = func() (appInfo, bool, error) { return c.getApp(ctx, appID) }
		}
	} else {
		cat, err := c.appCatalog(ctx)
		if err != nil {
			return nil, err
		}
		infos = cat
	}
	ids := make([]string, len(infos))
	for i, a := range infos {
		ids[i] = a.id
	}

	facts := make([]appFact, len(infos))
	var (
		wg      sync.WaitGroup
		spInfo  appInfo
		spFound bool
		spErr   error
		jobs    []jobsResult
		scopes  []scopeResult
	)
	if spFetch != nil {
		wg.Go(func() {
			spErr = protect(func() (err error) { spInfo, spFound, err = spFetch(); return err })
		})
	}
	wg.Go(func() {
		jobs = c.appsJobs(ctx, ids, refresh, nil)
		// The number of assignments only matters during an initial
		// cycle; it is read once the jobs say so.
		var cw sync.WaitGroup
		for i, r := range jobs {
			if r.err == nil && initialCycle(r.jobs) {
				cw.Go(func() {
					_ = protect(func() error { facts[i].count, _ = c.appCount(ctx, ids[i], refresh); return nil })
				})
			}
		}
		cw.Wait()
	})
	wg.Go(func() { scopes = c.appsScopes(ctx, ids, refresh) })
	wg.Wait()
	for i, info := range infos {
		f := &facts[i]
		f.info = info
		f.jobs, f.jobsOK, f.jobsErr = jobs[i].jobs, jobs[i].err == nil, jobs[i].err
		if err := jobs[i].err; err != nil && !isNotFound(err) {
			c.log.Warn("reading an app's jobs failed", "app", info.id, "err", err)
		}
		f.scope, f.scopeOK = scopes[i].scope, scopes[i].ok
	}
	if spFetch != nil {
		switch {
		case spErr != nil:
			// The jobs and entries still name the app; go on without its
			// roles.
			c.log.Warn("reading the app's service principal failed", "app", appID, "err", spErr)
		case !spFound:
			return nil, notFound("gather", "no enterprise app has the id %s", appID)
		default:
			facts[0].info = spInfo
		}
	}
	slices.SortStableFunc(facts, func(a, b appFact) int {
		return strings.Compare(strings.ToLower(a.info.name), strings.ToLower(b.info.name))
	})
	return facts, nil
}

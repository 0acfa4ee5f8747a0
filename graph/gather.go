package graph

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/provbot/provbot/diagnose"
)

// appFact is what one lookup learned about one app.
type appFact struct {
	info        appInfo
	jobs        []diagnose.Job
	jobsOK      bool
	jobsErr     error
	assigned    appAssignments
	assignedOK  bool
	assignedErr error
	scope       scopeInfo
	scopeOK     bool
}

// Gather collects everything one diagnosis needs about the user q.UserID
// (an object id) for the app q.AppID, or for every provisioning app when
// q.AppID is empty:
//
//   - the user (active, or deleted in the last 30 days);
//   - the user's provisioning log entries, newest first, up to the log
//     cap (batched with other users' lookups and cached, see LogQuery);
//   - the apps with their jobs, and the user's Assignment to each: direct,
//     through a group (with the membership date from the audit log when the
//     reporting budget allows), only through a nested group, or none; role;
//     Scope and SkipOutOfScopeDeletions from the beta synchronization
//     secrets when readable; InScope, the number of the app's assignments
//     (users and groups; group members are not counted).
//
// Every request goes out at once: with the app catalog built (Warm) that
// is one sequential round trip to Graph. For every app, Apps holds the
// apps the user has entries in, is assigned to in any way, or that sync
// all users. q.Refresh bypasses the entry, job, assignment and scope
// caches.
//
// The entries slice is the caller's; the entries' own slices and maps are
// shared with the cache and must not be modified.
//
// With q.GroupID set instead, it gathers a group's own provisioning (see
// gatherGroup).
//
// The user and the entries are required: their errors are returned (a
// user who exists neither active nor deleted and has no entries matches
// ErrNotFound). Jobs, assignments, memberships, audit dates and scope are
// best effort: when one cannot be read the matching field stays unknown
// (JobsKnown false, Assignment nil or Kind unknown) and the reason is
// logged.
func (c *Client) Gather(ctx context.Context, q diagnose.Query) (in diagnose.Input, err error) {
	const op = "gather"
	defer c.recoverAs(&err, op)
	if q.GroupID != "" {
		return c.gatherGroup(ctx, q)
	}
	if !isGUID(q.UserID) {
		return in, invalidInput(op, "user id %q: want the user's object id (GUID); resolve names with ResolveUser", q.UserID)
	}
	if q.AppID != "" && !isGUID(q.AppID) {
		return in, invalidInput(op, "app id %q: want the service principal's object id (GUID)", q.AppID)
	}

	var (
		wg                           sync.WaitGroup
		user                         *diagnose.User
		logs                         logResult
		direct, trans                []groupRef
		mine                         []assignmentRef
		joins                        memberJoins
		joinsWhy                     diagnose.Unread
		facts                        []appFact
		userErr, logsErr, appsErr    error
		directErr, transErr, mineErr error
	)
	leg := func(errp *error, fn func() error) {
		wg.Go(func() { *errp = protect(fn) })
	}
	leg(&userErr, func() (err error) { user, err = c.userFacts(ctx, q.UserID); return err })
	logsDone := make(chan struct{})
	leg(&logsErr, func() (err error) {
		defer close(logsDone)
		logs, err = c.userEntries(ctx, q.UserID, q.AppID, q.Refresh)
		return err
	})
	leg(&directErr, func() (err error) { direct, err = c.userGroups(ctx, q.UserID, false); return err })
	leg(&transErr, func() (err error) { trans, err = c.userGroups(ctx, q.UserID, true); return err })
	leg(&mineErr, func() (err error) { mine, err = c.userAssignments(ctx, q.UserID, q.AppID); return err })
	var joinsErr error
	leg(&joinsErr, func() error { joins, joinsWhy = c.membershipJoins(ctx, q.UserID, q.Refresh, logsDone); return nil })
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
		if !anyUserEntry(logs.entries) {
			// No user, and no entry about a user: the id may be a group's.
			return in, notFound(op, "no user has the object id %s", q.UserID)
		}
		// Gone from the directory, deleted users included: the entries
		// are all that is left; its state is not "disabled".
		user = &diagnose.User{ObjectID: q.UserID}
		c.skipped(ctx, &in.Unknown, diagnose.FactUserState, diagnose.UnreadNotFound, "user", q.UserID)
	}
	level := slog.LevelWarn
	if user == nil || user.SoftDeleted {
		level = slog.LevelDebug // a deleted user has no memberships to read
	}
	for _, e := range []struct {
		what string
		err  error
	}{{"groups", directErr}, {"nested groups", transErr}, {"app role assignments", mineErr}, {"membership dates", joinsErr}} {
		if e.err != nil {
			c.log.Log(ctx, level, "assignment facts incomplete", "user", q.UserID, "missing", e.what, "err", e.err)
		}
	}

	in.User = user
	in.Entries = slices.Clone(logs.entries)
	mentioned := map[string]bool{}
	for _, e := range logs.entries {
		mentioned[strings.ToLower(e.ServicePrincipal.ID)] = true
	}
	member := memberships{direct: direct, transitive: trans}
	membershipErr := errors.Join(mineErr, directErr, transErr)
	afs := make([]assignmentFacts, len(facts))
	for i, f := range facts {
		afs[i] = assignmentFacts{
			app:        f.info,
			direct:     mine,
			directOK:   mineErr == nil,
			assigned:   f.assigned,
			assignedOK: f.assignedOK,
			member:     member,
			memberOK:   directErr == nil && transErr == nil,
			joins:      joins,
			joinsOK:    joinsWhy == "",
			scope:      f.scope,
			scopeKnown: f.scopeOK,
		}
	}
	nested := c.nestedInOuterGroups(ctx, afs)
	for i, f := range facts {
		name := f.info.name
		if name == "" {
			name = appName(logs.entries, f.info.id)
		}
		app := diagnose.App{ID: f.info.id, Name: name, Jobs: slices.Clone(f.jobs), JobsKnown: f.jobsOK}
		afs[i].nested = nested
		app.Assignment = assignmentFor(afs[i])
		if f.assignedOK {
			app.InScope = f.assigned.count
		}
		if q.AppID == "" && !relevant(app, mentioned) {
			continue
		}
		c.recordUnread(ctx, &app, f, errors.Join(membershipErr, f.assignedErr), joinsWhy)
		in.Apps = append(in.Apps, app)
	}
	return in, nil
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
// why: the jobs, the assignment, when a group membership began, the scope.
func (c *Client) recordUnread(ctx context.Context, app *diagnose.App, f appFact, assignErr error, joinsWhy diagnose.Unread) {
	at := []any{"app", app.ID}
	if !f.jobsOK {
		c.skipped(ctx, &app.Unknown, diagnose.FactJobs, unreadOf(f.jobsErr), at...)
	}
	a := app.Assignment
	switch {
	case a == nil || a.Kind == diagnose.AssignmentUnknown:
		c.skipped(ctx, &app.Unknown, diagnose.FactAssignment, unreadOf(assignErr), at...)
	case (a.Kind == diagnose.AssignmentGroup) && a.Since.IsZero():
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

// appFacts reads, in parallel, each relevant app's jobs, assignments and
// scope: the one app asked about (from the catalog, or its service
// principal read alongside), or every app of the catalog.
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

	facts := make([]appFact, len(infos))
	var (
		wg      sync.WaitGroup
		spInfo  appInfo
		spFound bool
		spErr   error
	)
	if spFetch != nil {
		wg.Go(func() {
			spErr = protect(func() (err error) { spInfo, spFound, err = spFetch(); return err })
		})
	}
	for i, info := range infos {
		facts[i].info = info
		f := &facts[i]
		wg.Go(func() {
			err := protect(func() (err error) { f.jobs, err = c.appJobs(ctx, info.id, refresh); return err })
			f.jobsOK, f.jobsErr = err == nil, err
			if err != nil && !isNotFound(err) {
				c.log.Warn("reading an app's jobs failed", "app", info.id, "err", err)
			}
		})
		wg.Go(func() {
			err := protect(func() (err error) { f.assigned, err = c.appAssignedTo(ctx, info.id, refresh); return err })
			f.assignedOK, f.assignedErr = err == nil, err
			if err != nil && !isNotFound(err) {
				c.log.Warn("reading an app's assignments failed", "app", info.id, "err", err)
			}
		})
		wg.Go(func() {
			_ = protect(func() error { f.scope, f.scopeOK = c.appScope(ctx, info.id, refresh); return nil })
		})
	}
	wg.Wait()
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

package graph

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/logsafe"
)

// appFact is what one lookup learned about one app.
type appFact struct {
	info       appInfo
	jobs       []diagnose.Job
	jobsOK     bool
	assigned   appAssignments
	assignedOK bool
	scope      scopeInfo
	scopeOK    bool
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
// The user and the entries are required: their errors are returned (a
// user who exists neither active nor deleted and has no entries matches
// ErrNotFound). Jobs, assignments, memberships, audit dates and scope are
// best effort: when one cannot be read the matching field stays unknown
// (JobsKnown false, Assignment nil or Kind unknown) and the reason is
// logged.
func (c *Client) Gather(ctx context.Context, q diagnose.Query) (in diagnose.Input, err error) {
	const op = "gather"
	defer c.recoverAs(&err, op)
	if !isGUID(q.UserID) {
		return in, invalidInput(op, "user id %q: want the user's object id (GUID); resolve names with ResolveUser", logsafe.Cap(q.UserID))
	}
	if q.AppID != "" && !isGUID(q.AppID) {
		return in, invalidInput(op, "app id %q: want the service principal's object id (GUID)", logsafe.Cap(q.AppID))
	}

	var (
		wg                           sync.WaitGroup
		user                         *diagnose.User
		logs                         logResult
		direct, trans                []groupRef
		mine                         []assignmentRef
		joins                        memberJoins
		joinsOK                      bool
		facts                        []appFact
		userErr, logsErr, appsErr    error
		directErr, transErr, mineErr error
	)
	leg := func(errp *error, fn func() error) {
		wg.Go(func() { *errp = protect(fn) })
	}
	leg(&userErr, func() (err error) { user, err = c.userFacts(ctx, q.UserID); return err })
	leg(&logsErr, func() (err error) { logs, err = c.userEntries(ctx, q.UserID, q.AppID, q.Refresh); return err })
	leg(&directErr, func() (err error) { direct, err = c.userGroups(ctx, q.UserID, false); return err })
	leg(&transErr, func() (err error) { trans, err = c.userGroups(ctx, q.UserID, true); return err })
	leg(&mineErr, func() (err error) { mine, err = c.userAssignments(ctx, q.UserID, q.AppID); return err })
	var joinsErr error
	leg(&joinsErr, func() error { joins, joinsOK = c.membershipJoins(ctx, q.UserID, q.Refresh); return nil })
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
		if len(logs.entries) == 0 {
			return in, notFound(op, "no user has the object id %s", q.UserID)
		}
		user = &diagnose.User{ObjectID: q.UserID}
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
	for _, f := range facts {
		name := f.info.name
		if name == "" {
			name = appName(logs.entries, f.info.id)
		}
		app := diagnose.App{ID: f.info.id, Name: name, Jobs: slices.Clone(f.jobs), JobsKnown: f.jobsOK}
		app.Assignment = assignmentFor(assignmentFacts{
			app:        f.info,
			direct:     mine,
			directOK:   mineErr == nil,
			assigned:   f.assigned,
			assignedOK: f.assignedOK,
			member:     member,
			memberOK:   directErr == nil && transErr == nil,
			joins:      joins,
			joinsOK:    joinsOK,
			scope:      f.scope,
			scopeKnown: f.scopeOK,
		})
		if f.assignedOK {
			app.InScope = f.assigned.count
		}
		if q.AppID == "" && !relevant(app, mentioned) {
			continue
		}
		in.Apps = append(in.Apps, app)
	}
	return in, nil
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
			f.jobsOK = err == nil
			if err != nil && !isNotFound(err) {
				c.log.Warn("reading an app's jobs failed", "app", info.id, "err", err)
			}
		})
		wg.Go(func() {
			err := protect(func() (err error) { f.assigned, err = c.appAssignedTo(ctx, info.id, refresh); return err })
			f.assignedOK = err == nil
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

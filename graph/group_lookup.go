package graph

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/provbot/provbot/diagnose"
)

var (
	// https://learn.microsoft.com/graph/api/group-get
	opGetGroup = operation{name: "get group", route: "GET /groups/{group-id}", permission: "GroupMember.Read.All"}
	// https://learn.microsoft.com/graph/api/group-list
	opFindGroups = operation{name: "find groups", route: "GET /groups", permission: "GroupMember.Read.All"}
	// https://learn.microsoft.com/graph/api/group-list-approleassignments
	opGroupAssignments = operation{name: "list the group's app role assignments",
		route: "GET /groups/{group-id}/appRoleAssignments", permission: "Directory.Read.All"}
)

// ResolveGroup finds the groups ref names: an object id, or a name (the
// display name, exactly or as a prefix; "the Sales group" is Sales).
// Several matches return every candidate, exact matches first (at most
// 25). No match is an error matching ErrNotFound.
//
// https://learn.microsoft.com/graph/api/group-get
// https://learn.microsoft.com/graph/api/group-list
func (c *Client) ResolveGroup(ctx context.Context, ref string) (out []diagnose.Group, err error) {
	const op = "resolve group"
	defer c.recoverAs(&err, op)
	ref = GroupName(ref)
	if ref == "" {
		return nil, invalidInput(op, "no group given")
	}
	if err := checkText("group", ref); err != nil {
		return nil, invalidInput(op, "%v", err)
	}
	var found []diagnose.Group
	if isGUID(ref) {
		var g models.Groupable
		err = c.send(ctx, opGetGroup, func(ctx context.Context) error {
			var err error
			g, err = c.groupsBuilder().ByGroupId(ref).Get(ctx, &groups.GroupItemRequestBuilderGetRequestConfiguration{
				QueryParameters: &groups.GroupItemRequestBuilderGetQueryParameters{Select: []string{"id", "displayName"}},
			})
			return err
		})
		switch {
		case isNotFound(err):
		case err != nil:
			return nil, err
		case g != nil:
			found = append(found, diagnose.Group{ObjectID: deref(g.GetId()), DisplayName: deref(g.GetDisplayName())})
		}
	} else {
		lit := mustQuote(ref)
		filter := "displayName eq " + lit + " or startswith(displayName," + lit + ")"
		top := int32(maxCandidates)
		var resp models.GroupCollectionResponseable
		err = c.send(ctx, opFindGroups, func(ctx context.Context) error {
			var err error
			resp, err = c.groupsBuilder().Get(ctx, &groups.GroupsRequestBuilderGetRequestConfiguration{
				QueryParameters: &groups.GroupsRequestBuilderGetQueryParameters{Filter: &filter, Select: []string{"id", "displayName"}, Top: &top},
			})
			return err
		})
		if err != nil {
			return nil, err
		}
		if resp != nil {
			for _, g := range resp.GetValue() {
				if g != nil {
					found = append(found, diagnose.Group{ObjectID: deref(g.GetId()), DisplayName: deref(g.GetDisplayName())})
				}
			}
		}
	}
	if len(found) == 0 {
		return nil, notFound(op, "no group matches %q", ref)
	}
	exact := func(g diagnose.Group) int {
		if strings.EqualFold(g.DisplayName, ref) || strings.EqualFold(g.ObjectID, ref) {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(found, func(a, b diagnose.Group) int {
		if d := exact(a) - exact(b); d != 0 {
			return d
		}
		return strings.Compare(strings.ToLower(a.DisplayName), strings.ToLower(b.DisplayName))
	})
	if exact(found[0]) == 0 && (len(found) == 1 || exact(found[1]) != 0) {
		return found[:1], nil
	}
	return found, nil
}

// GroupName strips the words people wrap a group's name in: "the Sales
// group" and "group Sales" are Sales.
func GroupName(ref string) string {
	r := strings.TrimSpace(ref)
	lr := strings.ToLower(r)
	if strings.HasPrefix(lr, "the ") {
		r, lr = strings.TrimSpace(r[4:]), strings.TrimSpace(lr[4:])
	}
	if strings.HasSuffix(lr, " group") {
		r = strings.TrimSpace(r[:len(r)-len(" group")])
	} else if strings.HasPrefix(lr, "group ") {
		r = strings.TrimSpace(r[len("group "):])
	}
	return r
}

// gatherGroup is Gather for a group's own provisioning: the group, its
// entries, its own app role assignments (a group is provisioned only when
// it is assigned itself), and the apps' jobs and scope. Apps are the one
// asked about, or those the group has entries in, is assigned to, or that
// sync everything.
func (c *Client) gatherGroup(ctx context.Context, q diagnose.Query) (in diagnose.Input, err error) {
	const op = "gather group"
	if !isGUID(q.GroupID) {
		return in, invalidInput(op, "group id %q: want the group's object id (GUID); resolve names with ResolveGroup", q.GroupID)
	}
	var (
		wg                         sync.WaitGroup
		group                      *diagnose.Group
		logs                       logResult
		mine                       []assignmentRef
		facts                      []appFact
		groupErr, logsErr, appsErr error
		mineErr                    error
	)
	leg := func(errp *error, fn func() error) { wg.Go(func() { *errp = protect(fn) }) }
	leg(&groupErr, func() error {
		var g models.Groupable
		err := c.send(ctx, opGetGroup, func(ctx context.Context) error {
			var err error
			g, err = c.groupsBuilder().ByGroupId(q.GroupID).Get(ctx, &groups.GroupItemRequestBuilderGetRequestConfiguration{
				QueryParameters: &groups.GroupItemRequestBuilderGetQueryParameters{Select: []string{"id", "displayName"}},
			})
			return err
		})
		if err == nil && g != nil {
			group = &diagnose.Group{ObjectID: deref(g.GetId()), DisplayName: deref(g.GetDisplayName())}
		}
		if isNotFound(err) {
			return nil
		}
		return err
	})
	leg(&logsErr, func() (err error) { logs, err = c.userEntries(ctx, q.GroupID, q.AppID, q.Refresh); return err })
	leg(&mineErr, func() (err error) { mine, err = c.groupAssignments(ctx, q.GroupID, q.AppID); return err })
	leg(&appsErr, func() (err error) { facts, err = c.appFacts(ctx, q.AppID, q.Refresh); return err })
	wg.Wait()
	switch {
	case groupErr != nil:
		return in, groupErr
	case logsErr != nil:
		return in, logsErr
	case appsErr != nil:
		return in, appsErr
	}
	if group == nil {
		if len(logs.entries) == 0 {
			return in, notFound(op, "no group has the object id %s", q.GroupID)
		}
		group = &diagnose.Group{ObjectID: q.GroupID}
		for _, e := range logs.entries {
			if e.Source.DisplayName != "" {
				group.DisplayName = e.Source.DisplayName
				break
			}
		}
	}
	in.Group = group
	in.Entries = slices.Clone(logs.entries)
	mentioned := map[string]bool{}
	for _, e := range logs.entries {
		mentioned[strings.ToLower(e.ServicePrincipal.ID)] = true
	}
	for _, f := range facts {
		name := f.info.name
		if name == "" {
			name = appName(logs.entries, f.info.id)
		}
		app := diagnose.App{ID: f.info.id, Name: name, Jobs: slices.Clone(f.jobs), JobsKnown: f.jobsOK, InScope: f.count}
		if mineErr == nil {
			a := &diagnose.Assignment{Kind: diagnose.AssignmentNone}
			for _, r := range mine {
				if r.resourceID == lowerID(f.info.id) && (a.Kind == diagnose.AssignmentNone || r.created.Before(a.Since)) {
					a.Kind, a.Since = diagnose.AssignmentDirect, r.created
					a.RoleID, a.RoleName = roleOf(f.info, r.roleID)
				}
			}
			if f.scopeOK {
				a.Scope, a.SkipOutOfScopeDeletions = f.scope.scope, f.scope.skipOutOfScopeDeletions
			}
			app.Assignment = a
		}
		if q.AppID == "" && !relevant(app, mentioned) {
			continue
		}
		c.recordUnread(ctx, &app, f, mineErr, "", false)
		in.Apps = append(in.Apps, app)
	}
	return in, nil
}

// groupAssignments lists the group's own app role assignments, for one app
// or all.
//
// https://learn.microsoft.com/graph/api/group-list-approleassignments
func (c *Client) groupAssignments(ctx context.Context, groupID, appID string) ([]assignmentRef, error) {
	top := int32(999)
	params := &groups.ItemAppRoleAssignmentsRequestBuilderGetQueryParameters{Select: assignmentSelect, Top: &top}
	if appID != "" {
		filter := "resourceId eq " + appID
		params.Filter = &filter
	}
	out, _, err := collect(ctx, c, opGroupAssignments, maxAssignments, func(ctx context.Context, url string) (page[assignmentRef], error) {
		b := c.groupsBuilder().ByGroupId(groupID).AppRoleAssignments()
		var resp models.AppRoleAssignmentCollectionResponseable
		var err error
		if url == "" {
			resp, err = b.Get(ctx, &groups.ItemAppRoleAssignmentsRequestBuilderGetRequestConfiguration{QueryParameters: params})
		} else {
			resp, err = b.WithUrl(url).Get(ctx, nil)
		}
		return assignmentPage(resp, err)
	})
	return out, err
}

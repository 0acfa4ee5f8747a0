package graph

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/provbot/provbot/diagnose"
)

var (
	// https://learn.microsoft.com/graph/api/user-list-approleassignments
	opUserAssignments = operation{name: "list the user's app role assignments",
		route: "GET /users/{user-id}/appRoleAssignments", permission: "Directory.Read.All"}
	// https://learn.microsoft.com/graph/api/user-list-memberof
	opMemberOf = operation{name: "list the user's groups",
		route: "GET /users/{user-id}/memberOf/graph.group", permission: "GroupMember.Read.All"}
	// https://learn.microsoft.com/graph/api/user-list-transitivememberof
	opTransitiveMemberOf = operation{name: "list the user's nested groups",
		route: "GET /users/{user-id}/transitiveMemberOf/graph.group", permission: "GroupMember.Read.All"}
)

// Paging limits of the assignment and membership lists.
const (
	maxAssignments = 20000
	maxGroups      = 5000
)

// assignmentSelect are the appRoleAssignment properties a diagnosis uses.
var assignmentSelect = []string{"id", "appRoleId", "createdDateTime", "principalDisplayName", "principalId", "principalType", "resourceId"}

// groupSelect are the group properties a diagnosis uses.
var groupSelect = []string{"id", "displayName", "groupTypes", "membershipRule"}

// appAssignments are the assignments of the user's groups to one app.
type appAssignments struct {
	groups []assignmentRef
}

// memberships are the groups a user belongs to.
type memberships struct {
	direct     []groupRef
	transitive []groupRef // includes the direct ones
}

// memberJoins maps a group id (lower case) to the latest time the user
// was added to it, from the directory audit log.
type memberJoins map[string]time.Time

// scopeInfo is an app's scope settings, from its synchronization secrets.
type scopeInfo struct {
	scope                   diagnose.Scope
	skipOutOfScopeDeletions bool
}

// assignmentFacts is everything assignmentFor looks at for one app.
type assignmentFacts struct {
	app        appInfo
	direct     []assignmentRef // the user's own assignments, any app
	directOK   bool
	assigned   appAssignments
	assignedOK bool
	member     memberships
	memberOK   bool
	joins      memberJoins
	joinsOK    bool // the audit log was read (an absent group means "longer ago")
	scope      scopeInfo
	scopeKnown bool
	// nested holds the groups nested in an assigned group (by its lower
	// case id), when they were read: they give the exact path of a user
	// who reaches it only through nesting.
	nested map[string][]groupRef
}

// assignmentFor works out how the user is assigned to the app: directly;
// through a group they are a direct member of; only through a nested
// group (which provisioning ignores); or not at all. It returns nil when
// nothing is known.
//
// Since is the assignment's createdDateTime for a direct assignment and,
// for a group, the later of the group's assignment and the user's joining
// the group (from "Add member to group" audit events, kept 30 days: when
// the audit log was read without an event for the group, the membership
// is older and the group's assignment date stands; when it could not be
// read, Since is zero).
func assignmentFor(f assignmentFacts) *diagnose.Assignment {
	a := &diagnose.Assignment{}
	if f.scopeKnown {
		a.Scope, a.SkipOutOfScopeDeletions = f.scope.scope, f.scope.skipOutOfScopeDeletions
	}
	appID := strings.ToLower(f.app.id)
	var mine []assignmentRef
	for _, r := range f.direct {
		if r.resourceID == appID {
			mine = append(mine, r)
		}
	}
	switch {
	case len(mine) > 0:
		first := earliest(mine)
		a.Kind, a.Since = diagnose.AssignmentDirect, first.created
		a.RoleID, a.RoleName = roleOf(f.app, first.roleID)
		return a
	case !f.directOK || !f.assignedOK || !f.memberOK:
		if f.scopeKnown {
			return a // kind unknown, scope known
		}
		return nil
	}

	direct := map[string]groupRef{}
	for _, g := range f.member.direct {
		direct[g.id] = g
	}
	nested := map[string]groupRef{}
	for _, g := range f.member.transitive {
		if _, ok := direct[g.id]; !ok {
			nested[g.id] = g
		}
	}

	var viaDirect, viaNested []assignmentRef
	for _, g := range f.assigned.groups {
		if _, ok := direct[g.principalID]; ok {
			viaDirect = append(viaDirect, g)
		} else if _, ok := nested[g.principalID]; ok {
			viaNested = append(viaNested, g)
		}
	}
	switch {
	case len(viaDirect) > 0:
		best, bestSince := assignmentRef{}, time.Time{}
		for i, g := range sortedByName(viaDirect) {
			since := time.Time{}
			if f.joinsOK {
				since = later(g.created, f.joins[g.principalID])
			}
			if i == 0 || !since.IsZero() && (bestSince.IsZero() || since.Before(bestSince)) {
				best, bestSince = g, since
			}
		}
		a.Kind, a.Since = diagnose.AssignmentGroup, bestSince
		a.Group = nameOr(best.principalName, direct[best.principalID].name)
		a.RoleID, a.RoleName = roleOf(f.app, best.roleID)
	case len(viaNested) > 0:
		outer := sortedByName(viaNested)[0]
		a.Kind = diagnose.AssignmentNestedGroupOnly
		a.Group = nameOr(outer.principalName, nested[outer.principalID].name)
		a.ViaGroup = viaGroups(f.member.direct, f.assigned.groups)
		if inside, ok := f.nested[outer.principalID]; ok {
			var via []string
			a.Path, via, a.PathTenantWide = nestedPath(f.member, inside)
			if len(via) > 0 {
				a.ViaGroup = strings.Join(via, " and ")
			}
		}
		a.RoleID, a.RoleName = roleOf(f.app, outer.roleID)
	default:
		a.Kind = diagnose.AssignmentNone
	}
	return a
}

// nestedOuter is the assigned group a user reaches only through nesting
// (the first by name), if that is how they reach the app.
func nestedOuter(f assignmentFacts) (assignmentRef, bool) {
	direct := map[string]bool{}
	for _, g := range f.member.direct {
		direct[g.id] = true
	}
	trans := map[string]bool{}
	for _, g := range f.member.transitive {
		trans[g.id] = true
	}
	var via []assignmentRef
	for _, g := range f.assigned.groups {
		if direct[g.principalID] {
			return assignmentRef{}, false
		}
		if trans[g.principalID] {
			via = append(via, g)
		}
	}
	if len(via) == 0 {
		return assignmentRef{}, false
	}
	return sortedByName(via)[0], true
}

// nestedPath names exactly the groups between the user and the assigned
// group: the user's groups (at any depth) that are nested inside it, the
// ones the user is directly in first; and whether one of them is
// tenant-wide.
func nestedPath(m memberships, inside []groupRef) (path, via []string, tenantWide bool) {
	in := map[string]bool{}
	for _, g := range inside {
		in[g.id] = true
	}
	isDirect := map[string]bool{}
	for _, g := range m.direct {
		isDirect[g.id] = true
	}
	var first, rest []groupRef
	for _, g := range m.transitive {
		if !in[g.id] {
			continue
		}
		if g.tenantWide() {
			tenantWide = true
		}
		if isDirect[g.id] {
			first = append(first, g)
		} else {
			rest = append(rest, g)
		}
	}
	byName := func(a, b groupRef) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) }
	slices.SortFunc(first, byName)
	slices.SortFunc(rest, byName)
	for i, g := range append(first, rest...) {
		if g.name != "" && !slices.Contains(path, g.name) {
			path = append(path, g.name)
			if i < len(first) {
				via = append(via, g.name)
			}
		}
	}
	return path, via, tenantWide
}

// viaGroups names the user's direct groups that can carry a nested
// membership: not assigned themselves and not Microsoft 365 groups (which
// cannot contain groups). Graph's user-side lists do not say which one
// leads to the assigned group; when several qualify they are all named.
func viaGroups(direct []groupRef, assigned []assignmentRef) string {
	isAssigned := map[string]bool{}
	for _, g := range assigned {
		isAssigned[g.principalID] = true
	}
	var names []string
	for _, g := range direct {
		if !g.unified && !isAssigned[g.id] && g.name != "" {
			names = append(names, g.name)
		}
	}
	slices.Sort(names)
	return strings.Join(slices.Compact(names), " or ")
}

// roleOf names an app role: the all-zero id is Default Access.
func roleOf(app appInfo, roleID string) (id, name string) {
	if roleID == "" {
		return "", ""
	}
	if roleID == diagnose.DefaultAccessRoleID {
		return roleID, "Default Access"
	}
	return roleID, app.roles[roleID]
}

func earliest(rs []assignmentRef) assignmentRef {
	best := rs[0]
	for _, r := range rs[1:] {
		if !r.created.IsZero() && (best.created.IsZero() || r.created.Before(best.created)) {
			best = r
		}
	}
	return best
}

func sortedByName(rs []assignmentRef) []assignmentRef {
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(a, b assignmentRef) int {
		return strings.Compare(strings.ToLower(a.principalName), strings.ToLower(b.principalName))
	})
	return out
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func nameOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// userAssignments lists the user's own app role assignments, for one app
// (filtered by resourceId, an unquoted GUID as Graph requires) or all.
//
// https://learn.microsoft.com/graph/api/user-list-approleassignments
func (c *Client) userAssignments(ctx context.Context, userID, appID string) ([]assignmentRef, error) {
	top := int32(999)
	params := &users.ItemAppRoleAssignmentsRequestBuilderGetQueryParameters{Select: assignmentSelect, Top: &top}
	if appID != "" {
		lit, err := guid(appID)
		if err != nil {
			return nil, invalidInput(opUserAssignments.name, "app id: %v", err)
		}
		filter := "resourceId eq " + lit
		params.Filter = &filter
	}
	out, _, err := collect(ctx, c, opUserAssignments, maxAssignments, func(ctx context.Context, url string) (page[assignmentRef], error) {
		b := c.usersBuilder().ByUserId(userID).AppRoleAssignments()
		var resp models.AppRoleAssignmentCollectionResponseable
		var err error
		if url == "" {
			resp, err = b.Get(ctx, &users.ItemAppRoleAssignmentsRequestBuilderGetRequestConfiguration{QueryParameters: params})
		} else {
			resp, err = b.WithUrl(url).Get(ctx, nil)
		}
		return assignmentPage(resp, err)
	})
	return out, err
}

// assignmentPage converts one page of appRoleAssignments.
func assignmentPage(resp models.AppRoleAssignmentCollectionResponseable, err error) (page[assignmentRef], error) {
	if err != nil || resp == nil {
		return page[assignmentRef]{}, err
	}
	var p page[assignmentRef]
	for _, a := range resp.GetValue() {
		if a != nil {
			p.items = append(p.items, assignmentFromModel(a))
		}
	}
	p.next = deref(resp.GetOdataNextLink())
	return p, nil
}

// userGroups lists the groups the user is a direct member of, or
// (transitive) a member of at any depth.
//
// https://learn.microsoft.com/graph/api/user-list-memberof
// https://learn.microsoft.com/graph/api/user-list-transitivememberof
func (c *Client) userGroups(ctx context.Context, userID string, transitive bool) ([]groupRef, error) {
	top := int32(999)
	op := opMemberOf
	if transitive {
		op = opTransitiveMemberOf
	}
	out, _, err := collect(ctx, c, op, maxGroups, func(ctx context.Context, url string) (page[groupRef], error) {
		u := c.usersBuilder().ByUserId(userID)
		var resp models.GroupCollectionResponseable
		var err error
		switch {
		case transitive && url == "":
			resp, err = u.TransitiveMemberOf().GraphGroup().Get(ctx, &users.ItemTransitiveMemberOfGraphGroupRequestBuilderGetRequestConfiguration{
				QueryParameters: &users.ItemTransitiveMemberOfGraphGroupRequestBuilderGetQueryParameters{Select: groupSelect, Top: &top},
			})
		case transitive:
			resp, err = u.TransitiveMemberOf().GraphGroup().WithUrl(url).Get(ctx, nil)
		case url == "":
			resp, err = u.MemberOf().GraphGroup().Get(ctx, &users.ItemMemberOfGraphGroupRequestBuilderGetRequestConfiguration{
				QueryParameters: &users.ItemMemberOfGraphGroupRequestBuilderGetQueryParameters{Select: groupSelect, Top: &top},
			})
		default:
			resp, err = u.MemberOf().GraphGroup().WithUrl(url).Get(ctx, nil)
		}
		if err != nil || resp == nil {
			return page[groupRef]{}, err
		}
		var p page[groupRef]
		for _, g := range resp.GetValue() {
			if g != nil {
				p.items = append(p.items, groupFromModel(g))
			}
		}
		p.next = deref(resp.GetOdataNextLink())
		return p, nil
	})
	return out, err
}

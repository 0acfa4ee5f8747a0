package graph

import (
	"context"
	"sync"

	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

var (
	// https://learn.microsoft.com/graph/api/group-list-transitivemembers
	opGroupNested = operation{name: "list the groups nested in a group",
		route: "GET /groups/{group-id}/transitiveMembers/graph.group", permission: "GroupMember.Read.All"}
)

// groupsBuilder is the SDK's /groups.
func (c *Client) groupsBuilder() *groups.GroupsRequestBuilder {
	return groups.NewGroupsRequestBuilderInternal(c.params(), c.adapter)
}

// nestedInOuterGroups reads, for each app a user reaches only through a
// nested group, the groups nested inside the assigned group, so that the
// answer names exactly the groups on the path (one request per outer
// group, in parallel; only in that rare case). An outer group whose
// nested groups cannot be read is left out: the answer then names the
// user's candidate groups instead.
func (c *Client) nestedInOuterGroups(ctx context.Context, afs []assignmentFacts) map[string][]groupRef {
	want := map[string]bool{}
	for _, f := range afs {
		if !f.memberOK || !f.assignedOK || !f.directOK {
			continue
		}
		if outer, ok := nestedOuter(f); ok && !ownAssignment(f) {
			want[outer.principalID] = true
		}
	}
	if len(want) == 0 {
		return nil
	}
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = map[string][]groupRef{}
	)
	for id := range want {
		wg.Go(func() {
			var gs []groupRef
			err := protect(func() (err error) { gs, err = c.groupNestedGroups(ctx, id); return err })
			if err != nil {
				c.log.Debug("reading the groups nested in an assigned group failed", "group", id, "err", err)
				return
			}
			mu.Lock()
			out[id] = gs
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// ownAssignment reports whether the user is assigned to the app directly.
func ownAssignment(f assignmentFacts) bool {
	for _, r := range f.direct {
		if r.resourceID == lowerID(f.app.id) {
			return true
		}
	}
	return false
}

// groupNestedGroups lists the groups nested in a group, at any depth.
//
// https://learn.microsoft.com/graph/api/group-list-transitivemembers
func (c *Client) groupNestedGroups(ctx context.Context, groupID string) ([]groupRef, error) {
	top := int32(999)
	out, _, err := collect(ctx, c, opGroupNested, maxGroups, func(ctx context.Context, url string) (page[groupRef], error) {
		b := c.groupsBuilder().ByGroupId(groupID).TransitiveMembers().GraphGroup()
		var resp models.GroupCollectionResponseable
		var err error
		if url == "" {
			resp, err = b.Get(ctx, &groups.ItemTransitiveMembersGraphGroupRequestBuilderGetRequestConfiguration{
				QueryParameters: &groups.ItemTransitiveMembersGraphGroupRequestBuilderGetQueryParameters{Select: groupSelect, Top: &top},
			})
		} else {
			resp, err = b.WithUrl(url).Get(ctx, nil)
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

package fakegraph

import "strings"

// Groups: a group by id, a search by name, the groups nested inside a
// group at any depth, and the group's own app role assignments.
// https://learn.microsoft.com/graph/api/group-list
// https://learn.microsoft.com/graph/api/group-get
// https://learn.microsoft.com/graph/api/group-list-transitivemembers
// https://learn.microsoft.com/graph/api/group-list-approleassignments

// groupSpec is the listing rule of /groups.
func (c *call) groupSpec(context string) listSpec {
	return listSpec{
		entity:  c.s.cat.group,
		filter:  c.s.cat.groupFilter,
		context: context,
		orderBy: map[string]orderRule{
			"displayname": {wire: []string{"displayName"}, typ: edmString},
		},
		maxTop:    999,
		directory: true,
	}
}

func listGroups(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	return c.list(c.t.Groups, q, c.groupSpec("groups"))
}

func getGroup(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	g := findByID(c.t.Groups, c.params[0])
	if g == nil {
		return errResponse(notFound(c.params[0]))
	}
	return c.one(g, q, c.s.cat.group, "groups")
}

// childrenOf returns the groups that id lists as direct members.
func childrenOf(t *Tenant, id string) []string {
	var out []string
	for g, members := range t.GroupMembers {
		if !strings.EqualFold(g, id) {
			continue
		}
		for _, m := range members {
			if findByID(t.Groups, m) != nil {
				out = append(out, m)
			}
		}
	}
	return out
}

// groupTransitiveGroups lists the groups nested inside a group, at any
// depth (the microsoft.graph.group cast of transitiveMembers).
func groupTransitiveGroups(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	g := findByID(c.t.Groups, c.params[0])
	if g == nil {
		return errResponse(notFound(c.params[0]))
	}
	id, _ := g["id"].(string)
	seen := map[string]bool{}
	queue := childrenOf(c.t, id)
	for len(queue) > 0 {
		k := strings.ToLower(queue[0])
		queue = queue[1:]
		if seen[k] || strings.EqualFold(k, id) {
			continue
		}
		seen[k] = true
		queue = append(queue, childrenOf(c.t, k)...)
	}
	spec := c.groupSpec("groups")
	spec.filter = c.s.cat.memberOfFilter
	spec.odataType = "#microsoft.graph.group"
	return c.list(groupsIn(c.t, seen), q, spec)
}

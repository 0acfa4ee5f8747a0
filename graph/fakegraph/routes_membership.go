package fakegraph

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// Group membership of a user, computed from Tenant.GroupMembers.
// https://learn.microsoft.com/graph/api/user-list-memberof
// https://learn.microsoft.com/graph/api/user-list-transitivememberof
// https://learn.microsoft.com/graph/api/directoryobject-checkmembergroups

// parentsOf returns the groups that list id as a direct member.
func parentsOf(t *Tenant, id string) []string {
	var out []string
	for g, members := range t.GroupMembers {
		for _, m := range members {
			if strings.EqualFold(m, id) {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// memberGroups returns the ids (lower case) of the groups id belongs to,
// directly or through nesting. Cycles are harmless: each group is visited
// once.
func memberGroups(t *Tenant, id string, transitive bool) map[string]bool {
	seen := map[string]bool{}
	queue := parentsOf(t, id)
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		key := strings.ToLower(g)
		if seen[key] {
			continue
		}
		seen[key] = true
		if transitive {
			queue = append(queue, parentsOf(t, g)...)
		}
	}
	return seen
}

// groupsIn returns the tenant's group objects whose ids are in set, in
// tenant order.
func groupsIn(t *Tenant, set map[string]bool) []Object {
	var out []Object
	for _, g := range t.Groups {
		if id, _ := g["id"].(string); set[strings.ToLower(id)] {
			out = append(out, g)
		}
	}
	return out
}

// memberOf serves memberOf and transitiveMemberOf, with or without the
// microsoft.graph.group cast segment.
func memberOf(transitive, cast bool) func(c *call) response {
	return func(c *call) response {
		q, err := c.query()
		if err != nil {
			return errResponse(err)
		}
		u := findUser(c.t, c.params[0])
		if u == nil {
			return errResponse(notFound(c.params[0]))
		}
		id, _ := u["id"].(string)
		groups := groupsIn(c.t, memberGroups(c.t, id, transitive))
		context := "directoryObjects"
		if cast {
			context = "groups"
		}
		return c.list(groups, q, listSpec{
			entity:  c.s.cat.group,
			filter:  c.s.cat.memberOfFilter,
			context: context,
			orderBy: map[string]orderRule{
				"displayname": {wire: []string{"displayName"}, typ: edmString, advanced: true},
			},
			maxTop:    999,
			directory: true,
			odataType: "#microsoft.graph.group",
		})
	}
}

// checkMemberGroups answers which of up to 20 group ids the user belongs
// to, transitively, in the order asked.
func checkMemberGroups(c *call) response {
	if _, err := c.query(); err != nil {
		return errResponse(err)
	}
	u := findUser(c.t, c.params[0])
	if u == nil {
		return errResponse(notFound(c.params[0]))
	}
	if len(bytes.TrimSpace(c.body)) == 0 {
		return errResponse(newError(http.StatusBadRequest, codeBadRequest, "Empty Payload. JSON content expected."))
	}
	var req struct {
		GroupIDs *[]string `json:"groupIds"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		return errResponse(newError(http.StatusBadRequest, codeBadRequest, "Invalid JSON body: %v", err))
	}
	if req.GroupIDs == nil {
		return errResponse(newError(http.StatusBadRequest, codeDirBadRequest, "The parameter 'groupIds' is missing."))
	}
	ids := *req.GroupIDs
	if len(ids) > 20 {
		return errResponse(newError(http.StatusBadRequest, codeDirBadRequest,
			"At most 20 groupIds may be checked in one request; got %d.", len(ids)))
	}
	for _, g := range ids {
		if matchGUID(g) != len(g) {
			return errResponse(newError(http.StatusBadRequest, codeDirBadRequest, "Invalid object identifier '%s'.", g))
		}
	}
	id, _ := u["id"].(string)
	member := memberGroups(c.t, id, true)
	out := []string{}
	for _, g := range ids {
		if member[strings.ToLower(g)] {
			out = append(out, g)
		}
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"@odata.context": c.contextURL("Collection(Edm.String)", nil),
		"value":          out,
	})
}

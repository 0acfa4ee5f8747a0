package fakegraph

import "strings"

// Users and deleted users.
// https://learn.microsoft.com/graph/api/user-get
// https://learn.microsoft.com/graph/api/user-list
// https://learn.microsoft.com/graph/api/directory-deleteditems-list

// findUser looks a user up by object id or by userPrincipalName; both
// compare without regard to case, as Entra does.
func findUser(t *Tenant, key string) Object {
	for _, u := range t.Users {
		id, _ := u["id"].(string)
		upn, _ := u["userPrincipalName"].(string)
		if strings.EqualFold(id, key) || (upn != "" && strings.EqualFold(upn, key)) {
			return u
		}
	}
	return nil
}

// userSpec is the listing rule shared by /users and deleted users.
func (c *call) userSpec(filter *filterSchema, context string) listSpec {
	return listSpec{
		entity:  c.s.cat.user,
		filter:  filter,
		context: context,
		orderBy: map[string]orderRule{
			"displayname":       {wire: []string{"displayName"}, typ: edmString},
			"userprincipalname": {wire: []string{"userPrincipalName"}, typ: edmString},
			"createddatetime":   {wire: []string{"createdDateTime"}, typ: edmDateTime, advanced: true},
			"deleteddatetime":   {wire: []string{"deletedDateTime"}, typ: edmDateTime, advanced: true},
		},
		maxTop:    999,
		directory: true,
	}
}

func listUsers(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	return c.list(c.t.Users, q, c.userSpec(c.s.cat.userFilter, "users"))
}

func getUser(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	u := findUser(c.t, c.params[0])
	if u == nil {
		return errResponse(notFound(c.params[0]))
	}
	return c.one(u, q, c.s.cat.user, "users")
}

func listDeletedUsers(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	spec := c.userSpec(c.s.cat.deletedUserFilter, "directory/deletedItems/microsoft.graph.user")
	// Sorting deleted items needs the advanced query parameters.
	// https://learn.microsoft.com/graph/api/directory-deleteditems-list
	spec.orderBy["displayname"] = orderRule{wire: []string{"displayName"}, typ: edmString, advanced: true}
	spec.orderBy["userprincipalname"] = orderRule{wire: []string{"userPrincipalName"}, typ: edmString, advanced: true}
	return c.list(c.t.DeletedUsers, q, spec)
}

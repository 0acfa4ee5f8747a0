package graph

import "context"

// opCheckAdmin checks a user's transitive membership of the admin groups.
// https://learn.microsoft.com/graph/api/user-checkmembergroups
var opCheckAdmin = operation{
	name:       "check admin membership",
	route:      "POST /users/{user-id}/checkMemberGroups",
	permission: "GroupMember.Read.All",
}

// WithAdminGroups sets the object ids of the groups whose members (direct
// or nested) may restart provisioning jobs; see Client.IsAdmin.
func WithAdminGroups(ids ...string) Option {
	return func(c *config) {
		for _, id := range ids {
			if !isGUID(id) {
				c.invalid("admin group %q: want a group object id (GUID)", id)
				continue
			}
			c.admins = append(c.admins, id)
		}
	}
}

// IsAdmin reports whether the user (an object id) is a member, directly
// or through nested groups, of one of the admin groups configured with
// WithAdminGroups. With none configured nobody is. Answers are reused for
// five minutes; an error never counts as membership.
//
// https://learn.microsoft.com/graph/api/user-checkmembergroups
func (c *Client) IsAdmin(ctx context.Context, userID string) (ok bool, err error) {
	defer c.recoverAs(&err, opCheckAdmin.name)
	return c.inGroups(ctx, opCheckAdmin, userID, c.cfg.admins, c.act.admins)
}

// HasAdminGroups reports whether any admin group is configured.
func (c *Client) HasAdminGroups() bool { return len(c.cfg.admins) > 0 }

package graph

import (
	"context"
	"sync"

	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/provbot/provbot/internal/logsafe"
)

// opCheckGroups checks a user's transitive membership of up to 20 groups.
// https://learn.microsoft.com/graph/api/user-checkmembergroups
var opCheckGroups = operation{
	name:       "check help-desk membership",
	route:      "POST /users/{user-id}/checkMemberGroups",
	permission: "GroupMember.Read.All",
}

// checkGroupsMax is how many groups one checkMemberGroups call may name.
const checkGroupsMax = 20

// IsHelpDesk reports whether the user (an object id) is a member, directly
// or through nested groups, of one of the help-desk groups configured with
// WithHelpDeskGroups. With none configured nobody is. Answers are reused
// for five minutes; an error never counts as membership.
//
// https://learn.microsoft.com/graph/api/user-checkmembergroups
func (c *Client) IsHelpDesk(ctx context.Context, userID string) (ok bool, err error) {
	defer c.recoverAs(&err, opCheckGroups.name)
	return c.inGroups(ctx, opCheckGroups, userID, c.cfg.helpDesk, c.helpDesk)
}

// inGroups reports whether the user is a member, directly or through
// nested groups, of one of groups, asking checkMemberGroups 20 groups at
// a time; answers are kept in cache and in the shared cache, if any.
func (c *Client) inGroups(ctx context.Context, op operation, userID string, groups []string, cache *ttlCache[string, bool]) (ok bool, err error) {
	if !isGUID(userID) {
		return false, invalidInput(op.name, "user id %q: want an object id (GUID)", logsafe.Cap(userID))
	}
	if len(groups) == 0 {
		return false, nil
	}
	key := lowerID(userID)
	if v, hit := cache.get(key); hit {
		return v, nil
	}
	shared := membershipKey(op, key, groups)
	if at, hit := sharedGet(ctx, c, shared, &ok); hit {
		cache.putAt(key, ok, at)
		return ok, nil
	}
	read := c.cfg.now()
	var chunks [][]string
	for ids := groups; len(ids) > 0; {
		n := min(len(ids), checkGroupsMax)
		chunks = append(chunks, ids[:n])
		ids = ids[n:]
	}
	found := make([]bool, len(chunks))
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for i, ids := range chunks {
		wg.Go(func() {
			errs[i] = c.send(ctx, op, func(ctx context.Context) error {
				body := users.NewItemCheckMemberGroupsPostRequestBody()
				body.SetGroupIds(ids)
				resp, err := c.usersBuilder().ByUserId(userID).CheckMemberGroups().PostAsCheckMemberGroupsPostResponse(ctx, body, nil)
				if err != nil {
					return err
				}
				found[i] = resp != nil && len(resp.GetValue()) > 0
				return nil
			})
		})
	}
	wg.Wait()
	for i := range chunks {
		if errs[i] != nil {
			return false, errs[i]
		}
		if found[i] {
			ok = true
		}
	}
	cache.put(key, ok)
	sharedPut(ctx, c, shared, ok, read, cache.ttl)
	return ok, nil
}

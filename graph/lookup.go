package graph

import (
	"context"
	"errors"
	"strings"

	"github.com/provbot/provbot/diagnose"
)

// errSeveral stops a lookup whose reference matched several people.
var errSeveral = errors.New("several people match")

// Lookup is ResolveUser and Gather in one: it finds the person ref names
// (an object id, a user principal name, an email address or a name) and,
// when exactly one matches, gathers what a diagnosis of them needs for
// q.AppID (q.UserID is ignored). When several people match, it returns
// them as candidates, best first, and no input.
//
// A user principal name costs two round trips, not three: Graph
// addresses /users/{upn} like /users/{id}, so the user's groups and
// assignments are requested by UPN at once, alongside resolving it, and
// only the provisioning logs (filtered by object id) wait for the id.
// When ref turns out to be someone's email address or alias rather than
// their UPN, the user-keyed requests are sent again by object id. An
// object id costs one round trip, a name one more than a UPN.
func (c *Client) Lookup(ctx context.Context, ref string, q diagnose.Query) (in diagnose.Input, candidates []diagnose.User, err error) {
	const op = "lookup"
	defer c.recoverAs(&err, op)
	ref = strings.TrimSpace(ref)
	if q.AppID != "" && !isGUID(q.AppID) {
		return in, nil, invalidInput(op, "app id %q: want the service principal's object id (GUID)", q.AppID)
	}
	switch {
	case isGUID(ref):
		q.UserID = ref
		in, err = c.Gather(ctx, q)
		return in, nil, err
	case !addressableUPN(ref):
		users, err := c.ResolveUser(ctx, ref)
		if err != nil || len(users) != 1 {
			return in, users, err
		}
		q.UserID = users[0].ObjectID
		in, err = c.Gather(ctx, q)
		return in, nil, err
	}
	var several []diagnose.User
	in, err = c.gather(ctx, q, subject{key: ref, resolve: func(ctx context.Context) (*diagnose.User, error) {
		users, err := c.ResolveUser(ctx, ref)
		switch {
		case isNotFound(err) || errors.Is(err, ErrNotFound):
			return nil, nil
		case err != nil:
			return nil, err
		case len(users) > 1:
			several = users
			return nil, errSeveral
		}
		return &users[0], nil
	}})
	switch {
	case errors.Is(err, errSeveral):
		return diagnose.Input{}, several, nil
	case err != nil:
		return in, nil, err
	case !strings.EqualFold(in.User.UPN, ref):
		// Found by email address or alias (or deleted): the requests
		// addressed by ref were not about them.
		q.UserID = in.User.ObjectID
		in, err = c.Gather(ctx, q)
		return in, nil, err
	}
	return in, nil, nil
}

// addressableUPN reports whether ref can address /users/{ref}: it looks
// like a user principal name (one @, text on both sides) and has nothing
// that a path segment would need special syntax for (Graph reads a key
// starting with $ as a function, and / or \ as path separators).
func addressableUPN(ref string) bool {
	if checkText("user", ref) != nil || strings.Count(ref, "@") != 1 || strings.HasPrefix(ref, "$") ||
		strings.ContainsAny(ref, "/\\?#%' ") {
		return false
	}
	local, domain, _ := strings.Cut(ref, "@")
	return local != "" && domain != ""
}

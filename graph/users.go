package graph

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/microsoftgraph/msgraph-sdk-go/directory"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/logsafe"
)

// maxCandidates is the most users ResolveUser returns.
const maxCandidates = 25

var (
	// https://learn.microsoft.com/graph/api/user-get
	opGetUser = operation{name: "get user", route: "GET /users/{user-id}", permission: "User.Read.All"}
	// https://learn.microsoft.com/graph/api/user-list
	opFindUsers = operation{name: "find users", route: "GET /users", permission: "User.Read.All"}
	// https://learn.microsoft.com/graph/api/directory-deleteditems-list
	opFindDeleted = operation{name: "find deleted users", route: "GET /directory/deletedItems/graph.user", permission: "User.Read.All"}
)

// userSelect are the user properties a diagnosis uses.
var userSelect = []string{"id", "displayName", "userPrincipalName", "mail", "accountEnabled", "userType", "givenName", "surname"}

// ResolveUser finds the people ref names: an object id, a user principal
// name, an email address (primary or alias), or a name (a prefix of the
// display name, given name, surname, UPN or mail). Users deleted in the
// last 30 days are searched too (SoftDeleted, DeletedAt), so their
// deprovisioning can be explained. Several matches return every
// candidate, exact matches first, then the rest by name (at most 25), for
// the bot to ask which one. No match is an error matching ErrNotFound.
//
// An object id or UPN costs one round trip (a direct GET and the deleted
// items search run in parallel). When the app catalog is cold it starts
// building in the background, since a Gather usually follows.
//
// https://learn.microsoft.com/graph/api/user-get
// https://learn.microsoft.com/graph/api/user-list
// https://learn.microsoft.com/graph/api/directory-deleteditems-list
func (c *Client) ResolveUser(ctx context.Context, ref string) (out []diagnose.User, err error) {
	const op = "resolve user"
	defer c.recoverAs(&err, op)
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, invalidInput(op, "no user given")
	}
	if err := checkText("user", ref); err != nil {
		return nil, invalidInput(op, "%v", err)
	}
	c.prewarm()

	var (
		wg                  sync.WaitGroup
		mu                  sync.Mutex
		found               []diagnose.User
		primaryErr, deadErr error
		primaryHit, anyHit  bool
	)
	add := func(us []diagnose.User, err error, primary bool) {
		mu.Lock()
		defer mu.Unlock()
		found = append(found, us...)
		anyHit = anyHit || len(us) > 0
		primaryHit = primaryHit || primary && len(us) > 0
		switch {
		case err == nil:
		case primary:
			primaryErr = err
		default:
			deadErr = err
		}
	}
	run := func(primary bool, fn func() ([]diagnose.User, error)) {
		wg.Go(func() {
			us, err := safeUsers(fn)
			add(us, err, primary)
		})
	}
	lit := mustQuote(ref)
	switch {
	case isGUID(ref):
		run(true, func() ([]diagnose.User, error) { return c.getUserList(ctx, ref) })
		run(false, func() ([]diagnose.User, error) { return c.findDeleted(ctx, "id eq "+lit) })
	case strings.Contains(ref, "@"):
		mailFilter := "mail eq " + lit + " or proxyAddresses/any(p:p eq " + mustQuote("smtp:"+ref) + ")"
		run(true, func() ([]diagnose.User, error) { return c.getUserList(ctx, ref) })
		run(true, func() ([]diagnose.User, error) { return c.findUsers(ctx, mailFilter) })
		run(false, func() ([]diagnose.User, error) { return c.findDeleted(ctx, mailFilter) })
	default:
		var parts []string
		for _, p := range []string{"displayName", "givenName", "surname", "userPrincipalName", "mail"} {
			parts = append(parts, "startswith("+p+","+lit+")")
		}
		nameFilter := strings.Join(parts, " or ")
		run(true, func() ([]diagnose.User, error) { return c.findUsers(ctx, nameFilter) })
		run(false, func() ([]diagnose.User, error) { return c.findDeleted(ctx, nameFilter) })
	}
	wg.Wait()

	if deadErr != nil {
		c.log.Warn("searching deleted users failed", "err", deadErr)
	}
	switch {
	case primaryErr != nil && !primaryHit:
		// Deleted users alone would hide the active ones that failed.
		return nil, primaryErr
	case !anyHit:
		return nil, notFound(op, "no user matches %q", logsafe.Cap(ref))
	}
	return rankUsers(ref, found), nil
}

// safeUsers runs a lookup, turning a panic into an error.
func safeUsers(fn func() ([]diagnose.User, error)) (us []diagnose.User, err error) {
	err = protect(func() error {
		var e error
		us, e = fn()
		return e
	})
	return us, err
}

// getUserList gets one user by object id or UPN; a 404 is no user.
func (c *Client) getUserList(ctx context.Context, ref string) ([]diagnose.User, error) {
	u, err := c.getUser(ctx, ref)
	if err != nil || u == nil {
		return nil, err
	}
	return []diagnose.User{*u}, nil
}

// getUser gets one user by object id or UPN; nil without error when the
// user does not exist.
//
// https://learn.microsoft.com/graph/api/user-get
func (c *Client) getUser(ctx context.Context, ref string) (*diagnose.User, error) {
	var u models.Userable
	err := c.send(ctx, opGetUser, func(ctx context.Context) error {
		var err error
		u, err = c.usersBuilder().ByUserId(ref).Get(ctx, &users.UserItemRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.UserItemRequestBuilderGetQueryParameters{Select: userSelect},
		})
		return err
	})
	switch {
	case isNotFound(err):
		return nil, nil
	case err != nil:
		return nil, err
	case u == nil:
		return nil, nil
	}
	out := userFromModel(u, false)
	return &out, nil
}

// findUsers lists up to maxCandidates users matching filter.
//
// https://learn.microsoft.com/graph/api/user-list
func (c *Client) findUsers(ctx context.Context, filter string) ([]diagnose.User, error) {
	top := int32(maxCandidates)
	var resp models.UserCollectionResponseable
	err := c.send(ctx, opFindUsers, func(ctx context.Context) error {
		var err error
		resp, err = c.usersBuilder().Get(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Filter: &filter, Select: userSelect, Top: &top},
		})
		return err
	})
	if err != nil || resp == nil {
		return nil, err
	}
	var out []diagnose.User
	for _, u := range resp.GetValue() {
		if u != nil {
			out = append(out, userFromModel(u, false))
		}
	}
	return out, nil
}

// findDeleted lists up to maxCandidates users in the directory's deleted
// items (kept 30 days) matching filter.
//
// https://learn.microsoft.com/graph/api/directory-deleteditems-list
func (c *Client) findDeleted(ctx context.Context, filter string) ([]diagnose.User, error) {
	top := int32(maxCandidates)
	var resp models.UserCollectionResponseable
	err := c.send(ctx, opFindDeleted, func(ctx context.Context) error {
		var err error
		resp, err = c.directoryBuilder().DeletedItems().GraphUser().Get(ctx, &directory.DeletedItemsGraphUserRequestBuilderGetRequestConfiguration{
			QueryParameters: &directory.DeletedItemsGraphUserRequestBuilderGetQueryParameters{
				Filter: &filter, Select: append(slices.Clip(userSelect), "deletedDateTime"), Top: &top,
			},
		})
		return err
	})
	if err != nil || resp == nil {
		return nil, err
	}
	var out []diagnose.User
	for _, u := range resp.GetValue() {
		if u != nil {
			out = append(out, userFromModel(u, true))
		}
	}
	return out, nil
}

// userFacts gets a user by object id, looking among deleted users when
// the user is not active; nil when neither has them.
func (c *Client) userFacts(ctx context.Context, id string) (*diagnose.User, error) {
	u, err := c.getUser(ctx, id)
	if err != nil || u != nil {
		return u, err
	}
	dead, err := c.findDeleted(ctx, "id eq "+mustQuote(id))
	if err != nil || len(dead) == 0 {
		return nil, err
	}
	return &dead[0], nil
}

// rankUsers removes duplicates and orders candidates: exact matches of
// ref first, then display names starting with it, then the rest; active
// users before deleted ones; then by name. It keeps maxCandidates.
func rankUsers(ref string, us []diagnose.User) []diagnose.User {
	seen := map[string]bool{}
	var out []diagnose.User
	for _, u := range us {
		key := strings.ToLower(u.ObjectID)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, u)
	}
	lref := strings.ToLower(ref)
	score := func(u diagnose.User) int {
		switch {
		case strings.EqualFold(u.ObjectID, ref), strings.EqualFold(u.UPN, ref),
			strings.EqualFold(u.Mail, ref), strings.EqualFold(u.DisplayName, ref):
			return 0
		case strings.HasPrefix(strings.ToLower(u.DisplayName), lref):
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(a, b diagnose.User) int {
		if d := score(a) - score(b); d != 0 {
			return d
		}
		if a.SoftDeleted != b.SoftDeleted {
			if a.SoftDeleted {
				return 1
			}
			return -1
		}
		if d := strings.Compare(strings.ToLower(a.DisplayName), strings.ToLower(b.DisplayName)); d != 0 {
			return d
		}
		return strings.Compare(strings.ToLower(a.UPN), strings.ToLower(b.UPN))
	})
	if len(out) > maxCandidates {
		out = out[:maxCandidates]
	}
	return out
}

// isNotFound reports a 404.
func isNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == 404
}

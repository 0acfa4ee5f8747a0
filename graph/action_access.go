package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/provbot/provbot/diagnose"
)

// actionState is what the write actions keep: the credential whose token
// says which permissions were granted, the rule ids read from job
// schemas, the admin checks, and the last refused write.
type actionState struct {
	cred   azcore.TokenCredential // nil: an unauthenticated client (loopback fakes)
	scope  string
	rules  *ttlCache[string, string] // "sp/job" → the rule that provisions users
	admins *ttlCache[string, bool]

	mu         sync.Mutex
	deniedAt   time.Time
	deniedWhy  string
	deniedPerm string
}

func newActionState(now func() time.Time, jobTTL time.Duration) actionState {
	return actionState{
		rules:  newTTLCache[string, string](now, max(jobTTL, 10*time.Minute), 5000),
		admins: newTTLCache[string, bool](now, helpDeskTTL, 10000),
	}
}

// writeDeniedFor is how long a refused write turns the actions off before
// the token is read again (permissions granted meanwhile show in the next
// token, which azidentity fetches when the cached one expires).
const writeDeniedFor = 15 * time.Minute

// writeDenied records a 401 or 403 answer to a write.
func (c *Client) writeDenied(e *Error) {
	c.act.mu.Lock()
	defer c.act.mu.Unlock()
	c.act.deniedAt = c.cfg.now()
	c.act.deniedWhy = fmt.Sprintf("Graph refused a write with %d %s", e.Status, e.Code)
	c.act.deniedPerm = e.Permission
}

// WriteAccess says whether provbot may write through Graph: provision on
// demand and restart jobs need the application permission
// Synchronization.ReadWrite.All. With a credential, the access token's
// roles claim (app-only tokens list the application permissions granted
// with admin consent; delegated tokens list scopes in scp) says so before
// anything is tried; Graph's answer to a write has the last word: a 401
// or 403 turns the actions off for 15 minutes. An unauthenticated client
// (a loopback test endpoint) has no token to read and is assumed to hold
// it until a write is refused.
//
// Application.ReadWrite.OwnedBy also allows these calls, but only on apps
// provbot's own app owns; it is not counted.
//
// https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-provisionondemand#permissions
// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference (roles, scp)
func (c *Client) WriteAccess(ctx context.Context) (acc diagnose.WriteAccess, err error) {
	defer c.recoverAs(&err, "check write access")
	c.act.mu.Lock()
	deniedAt, why := c.act.deniedAt, c.act.deniedWhy
	c.act.mu.Unlock()
	if !deniedAt.IsZero() && c.cfg.now().Sub(deniedAt) < writeDeniedFor {
		return diagnose.WriteAccess{Reason: why + " at " + deniedAt.UTC().Format("15:04 UTC") +
			": grant " + diagnose.WritePermission + " to provbot's Graph app with admin consent"}, nil
	}
	if c.act.cred == nil {
		return diagnose.WriteAccess{Granted: true,
			Reason: "no Graph token to read (a loopback test endpoint): assumed granted until Graph refuses a write"}, nil
	}
	tok, err := c.act.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{c.act.scope}})
	if err != nil {
		return diagnose.WriteAccess{}, &Error{Op: "check write access", Code: CodeTransport,
			Message: "no Graph token: " + errorText(err), Err: err, kind: ErrUnavailable}
	}
	return accessFromToken(tok.Token), nil
}

// accessFromToken reads the permissions an access token carries. The
// token is not verified: it came from the token endpoint to this process,
// and it only decides what is offered; Graph checks it on every call.
func accessFromToken(token string) diagnose.WriteAccess {
	roles, scopes, ok := tokenPermissions(token)
	switch {
	case !ok:
		return diagnose.WriteAccess{Reason: "the Graph token's permissions could not be read; provbot offers no actions that write"}
	case slices.ContainsFunc(roles, func(r string) bool { return strings.EqualFold(r, diagnose.WritePermission) }):
		return diagnose.WriteAccess{Granted: true, Reason: "the Graph token's roles include " + diagnose.WritePermission}
	case slices.ContainsFunc(scopes, func(r string) bool { return strings.EqualFold(r, diagnose.WritePermission) }):
		return diagnose.WriteAccess{Granted: true, Reason: "the Graph token's delegated scopes include " + diagnose.WritePermission}
	case slices.ContainsFunc(roles, func(r string) bool { return strings.EqualFold(r, "Application.ReadWrite.OwnedBy") }):
		return diagnose.WriteAccess{Reason: "the Graph token has Application.ReadWrite.OwnedBy, which works only on apps provbot's app owns: grant " +
			diagnose.WritePermission + " with admin consent"}
	default:
		return diagnose.WriteAccess{Reason: "the Graph token's roles do not include " + diagnose.WritePermission + ": grant it to provbot's Graph app with admin consent"}
	}
}

// tokenPermissions reads the roles and scp claims of a JWT's payload.
func tokenPermissions(token string) (roles, scopes []string, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, nil, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, nil, false
	}
	var claims struct {
		Roles []string `json:"roles"`
		Scp   string   `json:"scp"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil, nil, false
	}
	return claims.Roles, strings.Fields(claims.Scp), true
}

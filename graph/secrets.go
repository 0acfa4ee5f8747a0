package graph

import (
	"context"
	"errors"
	"net/url"
	"strings"

	abstractions "github.com/microsoft/kiota-abstractions-go"

	"github.com/provbot/provbot/diagnose"
)

// opSecrets reads an app's synchronization secrets on the beta endpoint
// (v1.0 only lets them be written). Microsoft documents
// Synchronization.ReadWrite.All for them; the client reads two keys and
// drops the rest (credentials such as SecretToken) without logging them.
// https://learn.microsoft.com/graph/api/resources/synchronization-synchronizationsecretkeystringvaluepair?view=graph-rest-beta
// https://learn.microsoft.com/entra/identity/app-provisioning/skip-out-of-scope-deletions
var opSecrets = operation{
	name:       "read synchronization settings",
	route:      "GET /beta/servicePrincipals/{servicePrincipal-id}/synchronization/secrets",
	permission: "Synchronization.ReadWrite.All",
}

// appScope returns an app's scope setting (SyncAll true: "Sync all users
// and groups"; false: "Sync only assigned users and groups") and
// SkipOutOfScopeDeletions, from the cache or the beta endpoint. known is
// false when the secrets cannot be read (403 without
// Synchronization.ReadWrite.All, 404, no beta endpoint) or carry no
// SyncAll key; the scope is then unknown, which is not an error.
func (c *Client) appScope(ctx context.Context, appID string, refresh bool) (scopeInfo, bool) {
	if c.beta == "" {
		return scopeInfo{}, false
	}
	key := lowerID(appID)
	if !refresh {
		if s, ok := c.scopes.get(key); ok {
			return s, s.scope != diagnose.ScopeUnknown
		}
	}
	v, err := c.shared(ctx, "secrets:"+key, func(ctx context.Context) (any, error) {
		s, err := c.fetchScope(ctx, appID)
		if err != nil {
			return scopeInfo{}, err
		}
		c.scopes.put(key, s)
		return s, nil
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			c.log.Debug("the app's scope settings are unreadable", "app", appID, "status", e.Status, "code", e.Code)
		}
		return scopeInfo{}, false
	}
	s, _ := v.(scopeInfo)
	return s, s.scope != diagnose.ScopeUnknown
}

// fetchScope reads the two settings from the beta secrets. A 403 or 404
// is remembered as unknown for the cache period, so a tenant that does
// not grant the permission is not asked again on every lookup.
func (c *Client) fetchScope(ctx context.Context, appID string) (scopeInfo, error) {
	s, err := c.readSecrets(ctx, appID)
	var e *Error
	if errors.As(err, &e) && (e.Is(ErrForbidden) || e.Is(ErrNotFound)) {
		return scopeInfo{}, nil
	}
	return s, err
}

// readSecrets reads SyncAll and SkipOutOfScopeDeletions from an app's
// beta synchronization secrets, and nothing else.
//
// https://learn.microsoft.com/graph/api/resources/synchronization-synchronizationsecretkeystringvaluepair?view=graph-rest-beta
func (c *Client) readSecrets(ctx context.Context, appID string) (scopeInfo, error) {
	if c.beta == "" {
		return scopeInfo{}, &Error{Op: opSecrets.name, Code: "NoBetaEndpoint",
			Message: "the base URL " + c.base + " does not end in /v1.0, so the beta endpoint is unknown", kind: ErrInvalid}
	}
	body, err := c.getRaw(ctx, opSecrets, nil, func(ctx context.Context) (*abstractions.RequestInformation, error) {
		info := abstractions.NewRequestInformationWithMethodAndUrlTemplateAndPathParameters(abstractions.GET,
			"{+baseurl}/servicePrincipals/{servicePrincipal%2Did}/synchronization/secrets",
			map[string]string{
				"baseurl":               c.base,
				"servicePrincipal%2Did": appID,
				"request-raw-url":       c.beta + "/servicePrincipals/" + url.PathEscape(appID) + "/synchronization/secrets",
			})
		info.Headers.TryAdd("Accept", "application/json")
		return info, nil
	})
	if err != nil {
		return scopeInfo{}, err
	}
	return scopeFromSecrets(body)
}

// scopeFromSecrets reads SyncAll and SkipOutOfScopeDeletions from an
// answer of the secrets route; every other key is dropped unread.
func scopeFromSecrets(body []byte) (scopeInfo, error) {
	root, err := parseJSON(body)
	if err != nil {
		return scopeInfo{}, malformed(opSecrets.name, err)
	}
	var s scopeInfo
	for _, kv := range root.child("value").items() {
		switch k := kv.str("key"); {
		case strings.EqualFold(k, "SyncAll"):
			switch strings.ToLower(strings.TrimSpace(kv.str("value"))) {
			case "true":
				s.scope = diagnose.ScopeAll
			case "false":
				s.scope = diagnose.ScopeAssigned
			}
		case strings.EqualFold(k, "SkipOutOfScopeDeletions"):
			s.skipOutOfScopeDeletions = strings.EqualFold(strings.TrimSpace(kv.str("value")), "true")
		}
	}
	return s, nil
}

package graph

import (
	"context"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"net/url"
	"strings"
	"sync"
	"time"
)

// A user's apps found from the user's side: their own app role
// assignments and those of the groups they belong to, instead of each
// app's whole list of assignments (which for a large app is hundreds of
// thousands long).

// opGroupGrants lists the app role assignments granted to a group.
// https://learn.microsoft.com/graph/api/group-list-approleassignments
var opGroupGrants = operation{name: "list the group's app role assignments",
	route: "GET /groups/{group-id}/appRoleAssignments", permission: "Directory.Read.All"}

// wireAssignment is an appRoleAssignment as JSON.
type wireAssignment struct {
	AppRoleID            string `json:"appRoleId"`
	CreatedDateTime      string `json:"createdDateTime"`
	PrincipalDisplayName string `json:"principalDisplayName"`
	PrincipalID          string `json:"principalId"`
	PrincipalType        string `json:"principalType"`
	ResourceID           string `json:"resourceId"`
}

func (w wireAssignment) ref() assignmentRef {
	r := assignmentRef{principalID: strings.ToLower(w.PrincipalID), principalType: w.PrincipalType,
		principalName: w.PrincipalDisplayName, resourceID: strings.ToLower(w.ResourceID), roleID: strings.ToLower(w.AppRoleID)}
	if t, err := time.Parse(time.RFC3339Nano, w.CreatedDateTime); err == nil && t.Year() > 1 {
		r.created = t.UTC()
	}
	return r
}

// groupGrants returns the app role assignments of each group in ids
// (lower-case object ids), from the cache or from Graph in JSON batches
// of 20. Any group that cannot be read fails the whole call: a missing
// group could hide the assignment that matters.
func (c *Client) groupGrants(ctx context.Context, ids []string, refresh bool) (map[string][]assignmentRef, error) {
	out := make(map[string][]assignmentRef, len(ids))
	var miss []string
	for _, id := range ids {
		if !refresh {
			if g, ok := c.grants.get(id); ok {
				out[id] = g
				continue
			}
		}
		miss = append(miss, id)
	}
	if !refresh {
		miss = c.sharedGrants(ctx, miss, out)
	}
	if len(miss) == 0 {
		return out, nil
	}
	read := c.cfg.now()
	parts := make([]batchPart, len(miss))
	for i, id := range miss {
		parts[i] = batchPart{op: opGroupGrants, url: relURL("/groups/"+url.PathEscape(id)+"/appRoleAssignments",
			[2]string{"$select", strings.Join(assignmentSelect, ",")}, [2]string{"$top", "999"})}
	}
	for i, a := range c.batchGet(ctx, c.base, parts) {
		if a.err != nil {
			return nil, a.err
		}
		var page struct {
			Value    []wireAssignment `json:"value"`
			NextLink string           `json:"@odata.nextLink"`
		}
		if err := jsonValue(opGroupGrants, a.body, &page); err != nil {
			return nil, err
		}
		var refs []assignmentRef
		for {
			for _, w := range page.Value {
				refs = append(refs, w.ref())
			}
			if page.NextLink == "" || len(refs) >= maxAssignments {
				break
			}
			body, err := c.getURL(ctx, opGroupGrants, page.NextLink)
			if err != nil {
				return nil, err
			}
			page.Value, page.NextLink = nil, ""
			if err := jsonValue(opGroupGrants, body, &page); err != nil {
				return nil, err
			}
		}
		c.grants.put(miss[i], refs)
		out[miss[i]] = refs
	}
	c.shareGrants(ctx, miss, out, read)
	return out, nil
}

// sharedGrants looks the groups in ids up in the shared cache, in
// parallel, puts those found in out and in the client's cache, and
// returns the others.
func (c *Client) sharedGrants(ctx context.Context, ids []string, out map[string][]assignmentRef) []string {
	if c.sharedCacheOff() || c.grants.ttl <= 0 {
		return ids
	}
	found := make([][]sharedAssignment, len(ids))
	at := make([]time.Time, len(ids))
	hit := make([]bool, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { at[i], hit[i] = sharedGet(ctx, c, grantsKey(id), &found[i]) })
	}
	wg.Wait()
	var miss []string
	for i, id := range ids {
		if !hit[i] {
			miss = append(miss, id)
			continue
		}
		refs := fromShared(found[i])
		c.grants.putAt(id, refs, at[i])
		out[id] = refs
	}
	return miss
}

// shareGrants stores the assignments of the groups in ids, just read from
// Graph, in the shared cache for the client's cache TTL, in parallel.
func (c *Client) shareGrants(ctx context.Context, ids []string, grants map[string][]assignmentRef, at time.Time) {
	if c.sharedCacheOff() || c.grants.ttl <= 0 {
		return
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() { sharedPut(ctx, c, grantsKey(id), toShared(grants[id]), at, c.grants.ttl) })
	}
	wg.Wait()
}

// getURL GETs an absolute URL Graph gave (an @odata.nextLink).
func (c *Client) getURL(ctx context.Context, op operation, raw string) ([]byte, error) {
	return c.getRaw(ctx, op, nil, func(ctx context.Context) (*abstractions.RequestInformation, error) {
		info := abstractions.NewRequestInformationWithMethodAndUrlTemplateAndPathParameters(abstractions.GET,
			"{+baseurl}", map[string]string{"baseurl": c.base, "request-raw-url": raw})
		info.Headers.TryAdd("Accept", "application/json")
		return info, nil
	})
}

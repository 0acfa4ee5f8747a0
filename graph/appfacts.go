package graph

import (
	"context"
	"errors"
	"net/url"
	"sync"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/serviceprincipals"

	"github.com/provbot/provbot/diagnose"
)

// Per-app facts for many apps at once: jobs and scope settings through
// JSON batches, and the number of an app's assignments with $count.

// opCountAssigned counts an app's assignments. Counting directory objects
// needs ConsistencyLevel: eventual; without it Graph answers 400.
// https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto
// https://learn.microsoft.com/graph/aad-advanced-queries#error-handling-for-advanced-queries-on-directory-objects
var opCountAssigned = operation{name: "count the app's assignments",
	route: "GET /servicePrincipals/{servicePrincipal-id}/appRoleAssignedTo/$count", permission: "Application.Read.All"}

// batchThreshold is how many uncached apps make a batch worth it; fewer
// are read one request each (and coalesced with concurrent lookups).
const batchThreshold = 3

// jobsResult is one app's jobs or why they could not be read.
type jobsResult struct {
	jobs []diagnose.Job
	err  error
}

// appsJobs returns the jobs of each app in ids (object ids), from the
// cache (this replica's, then the shared one) or from Graph, many at once
// in JSON batches, whose answers it shares. pace spaces the batches (see
// batchGetPaced).
func (c *Client) appsJobs(ctx context.Context, ids []string, refresh bool, pace paceFunc) []jobsResult {
	out := make([]jobsResult, len(ids))
	var miss []int
	for i, id := range ids {
		if !refresh {
			if jobs, ok := c.jobs.get(lowerID(id)); ok {
				out[i].jobs = jobs
				continue
			}
		}
		miss = append(miss, i)
	}
	if len(miss) < batchThreshold {
		var wg sync.WaitGroup
		for _, i := range miss {
			wg.Go(func() {
				out[i].err = protect(func() (err error) { out[i].jobs, err = c.appJobs(ctx, ids[i], refresh); return err })
			})
		}
		wg.Wait()
		return out
	}
	if !refresh {
		if miss = c.sharedJobsMany(ctx, ids, miss, out); len(miss) == 0 {
			return out
		}
	}
	parts := make([]batchPart, len(miss))
	for k, i := range miss {
		parts[k] = batchPart{op: opJobs, url: "/servicePrincipals/" + url.PathEscape(ids[i]) + "/synchronization/jobs"}
	}
	at := c.cfg.now()
	bodies := make(map[string][]byte, len(miss))
	for k, a := range c.batchGetPaced(ctx, c.base, parts, pace) {
		i := miss[k]
		if a.err != nil {
			out[i].err = a.err
			continue
		}
		jobs, err := jobsFromBody(a.body)
		if err != nil {
			out[i].err = err
			continue
		}
		c.jobs.putAt(lowerID(ids[i]), jobs, at)
		bodies[lowerID(ids[i])] = a.body
		out[i].jobs = jobs
	}
	c.shareJobsMany(ctx, bodies, at)
	return out
}

// scopeResult is one app's scope settings; ok is false when unknown.
type scopeResult struct {
	scope scopeInfo
	ok    bool
}

// appsScopes returns each app's scope settings (see appScope), many at
// once through JSON batches on the beta endpoint.
func (c *Client) appsScopes(ctx context.Context, ids []string, refresh bool) []scopeResult {
	out := make([]scopeResult, len(ids))
	if c.beta == "" {
		return out
	}
	var miss []int
	for i, id := range ids {
		if !refresh {
			if s, ok := c.scopes.get(lowerID(id)); ok {
				out[i] = scopeResult{s, s.scope != diagnose.ScopeUnknown}
				continue
			}
		}
		miss = append(miss, i)
	}
	if len(miss) < batchThreshold {
		var wg sync.WaitGroup
		for _, i := range miss {
			wg.Go(func() {
				_ = protect(func() error { out[i].scope, out[i].ok = c.appScope(ctx, ids[i], refresh); return nil })
			})
		}
		wg.Wait()
		return out
	}
	parts := make([]batchPart, len(miss))
	for k, i := range miss {
		parts[k] = batchPart{op: opSecrets, url: "/servicePrincipals/" + url.PathEscape(ids[i]) + "/synchronization/secrets"}
	}
	for k, a := range c.batchGet(ctx, c.beta, parts) {
		i := miss[k]
		var s scopeInfo
		err := a.err
		if err == nil {
			s, err = scopeFromSecrets(a.body)
		}
		var e *Error
		switch {
		case err == nil:
		case errors.As(err, &e) && (e.Is(ErrForbidden) || e.Is(ErrNotFound)):
			// Remembered as unknown, as fetchScope does.
		default:
			c.log.Debug("the app's scope settings are unreadable", "app", ids[i], "err", err)
			continue
		}
		c.scopes.put(lowerID(ids[i]), s)
		out[i] = scopeResult{s, s.scope != diagnose.ScopeUnknown}
	}
	return out
}

// appCount returns how many assignments (users, groups, service
// principals) an app has, with one $count request instead of paging
// through them; reused for the app cache TTL, since it only feeds
// Microsoft's estimate of an initial cycle. ok is false when it could not
// be read.
//
// https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto
func (c *Client) appCount(ctx context.Context, appID string, refresh bool) (int, bool) {
	key := lowerID(appID)
	if !refresh {
		if n, ok := c.counts.get(key); ok {
			return n, true
		}
	}
	v, err := c.shared(ctx, "count:"+key, func(ctx context.Context) (any, error) {
		var n *int32
		err := c.send(ctx, opCountAssigned, func(ctx context.Context) error {
			h := abstractions.NewRequestHeaders()
			h.Add("ConsistencyLevel", "eventual")
			var err error
			n, err = c.spBuilder().ByServicePrincipalId(appID).AppRoleAssignedTo().Count().Get(ctx,
				&serviceprincipals.ItemAppRoleAssignedToCountRequestBuilderGetRequestConfiguration{Headers: h})
			return err
		})
		if err != nil {
			return 0, err
		}
		if n == nil {
			return 0, malformed(opCountAssigned.name, errors.New("the answer holds no number"))
		}
		c.counts.put(key, int(*n))
		return int(*n), nil
	})
	if err != nil {
		c.log.Debug("counting the app's assignments failed", "app", appID, "err", err)
		return 0, false
	}
	n, _ := v.(int)
	return n, true
}

// initialCycle reports whether any job is still in its first full cycle,
// the only case where the number of assignments changes an answer
// (Microsoft's estimate of the initial cycle's length).
func initialCycle(jobs []diagnose.Job) bool {
	for i := range jobs {
		st := jobs[i].Status
		if diagnose.IsNever(st.SteadyStateFirstAchieved) && st.LastSuccessfulExecution == nil {
			return true
		}
	}
	return false
}

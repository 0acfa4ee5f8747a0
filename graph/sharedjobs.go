package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// Apps' jobs shared across replicas. The shared cache holds the body of
// Graph's answer as it came (a sharedEntry of the raw JSON, with when it
// was read), which every replica decodes as it decodes Graph's own
// answer (jobsFromBody, lenient with Microsoft's "" timestamps): nothing
// is lost in a round trip of diagnose.Job through JSON.

// sharedJobsKeep is how long a coalesced jobs answer stays available to
// the replicas that were waiting for it (they look every 100 ms at most);
// the shared cache keeps it for the job TTL.
const sharedJobsKeep = time.Second

// jobsKey names an app's jobs in the shared cache, jobsFetchKey the
// coalesced fetch of them. spID is lower case.
func jobsKey(spID string) string      { return "jobs:" + spID }
func jobsFetchKey(spID string) string { return "jobs-fetch:" + spID }

// sharingJobs reports whether jobs answers go through the shared cache.
func (c *Client) sharingJobs() bool { return !c.sharedCacheOff() && c.cfg.jobTTL > 0 }

// jobsShared returns an app's jobs from the shared cache, or fetches them
// once for every replica asking at the same time (the others wait for
// its answer). When the shared cache fails, it asks Graph itself.
func (c *Client) jobsShared(ctx context.Context, spID string) ([]diagnose.Job, error) {
	if !c.sharingJobs() {
		return c.fetchJobsShared(ctx, spID)
	}
	key := lowerID(spID)
	var body json.RawMessage
	if at, ok := sharedGet(ctx, c, jobsKey(key), &body); ok {
		if jobs, ok := c.keepSharedJobs(key, body, at); ok {
			return jobs, nil
		}
	}
	var (
		ran, done bool
		jobs      []diagnose.Job
		runErr    error
	)
	v, shared, err := c.cfg.sharedCache.Coalesce(ctx, sharedKeyPrefix+jobsFetchKey(key), coalesceHold(ctx), sharedJobsKeep, func(ctx context.Context) ([]byte, error) {
		ran = true
		var b []byte
		b, jobs, runErr = c.readJobs(ctx, spID)
		done = true
		return b, runErr
	})
	switch {
	case ran && !done:
		return nil, &Error{Op: opJobs.name, Code: CodeInternal, Err: err, kind: ErrUnavailable,
			Message: fmt.Sprintf("reading the jobs failed: %v", err)}
	case ran:
		// Our own fetch: its answer stands, whatever the store did
		// after it.
		return jobs, runErr
	case err == nil && shared:
		var e sharedEntry[json.RawMessage]
		if derr := json.Unmarshal(v, &e); derr != nil {
			c.sharedWarn("a coalesced jobs answer does not decode; asking Graph instead", "app", key, "err", derr)
		} else if jobs, ok := c.keepSharedJobs(key, e.V, e.At); ok {
			return jobs, nil
		}
	case ctx.Err() != nil:
		return nil, toError(opJobs, ctx.Err(), nil)
	case err != nil:
		c.sharedWarn("coalesce a jobs read with other replicas; asking Graph alone", "err", err)
	}
	return c.fetchJobsShared(ctx, spID)
}

// coalesceHold is how long a coalesced read of the catalog or of jobs
// may hold its key: as long as the in-memory coalescing allows
// (sharedTimeout), or the caller, at least a second.
func coalesceHold(ctx context.Context) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		return max(min(time.Until(d), sharedTimeout), time.Second)
	}
	return sharedTimeout
}

// fetchJobsShared reads an app's jobs from Graph, keeps them and shares
// them with the other replicas.
func (c *Client) fetchJobsShared(ctx context.Context, spID string) ([]diagnose.Job, error) {
	_, jobs, err := c.readJobs(ctx, spID)
	return jobs, err
}

// readJobs reads an app's jobs from Graph, keeps them here for the job
// TTL and puts them in the shared cache for the same time. It returns
// the shared cache's value too (nil without a shared cache).
func (c *Client) readJobs(ctx context.Context, spID string) ([]byte, []diagnose.Job, error) {
	at := c.cfg.now()
	body, err := c.fetchJobsBody(ctx, spID)
	if err != nil {
		return nil, nil, err
	}
	jobs, err := jobsFromBody(body)
	if err != nil {
		return nil, nil, err
	}
	key := lowerID(spID)
	c.jobs.putAt(key, jobs, at)
	return c.shareJobs(ctx, key, body, at), jobs, nil
}

// shareJobs puts an app's jobs as Graph sent them (body, read at the time
// at) in the shared cache for what is left of the job TTL, and returns
// the value put (nil when there was none to put).
func (c *Client) shareJobs(ctx context.Context, key string, body []byte, at time.Time) []byte {
	if !c.sharingJobs() {
		return nil
	}
	b, err := json.Marshal(sharedEntry[json.RawMessage]{At: at.UTC(), V: body})
	if err != nil {
		c.sharedWarn("encode a shared cache value", "key", jobsKey(key), "err", err)
		return nil
	}
	if ttl := c.cfg.jobTTL - c.cfg.now().Sub(at); ttl >= time.Millisecond {
		c.sharedPutBytes(ctx, jobsKey(key), b, ttl)
	}
	return b
}

// keepSharedJobs decodes an app's jobs from another replica, read from
// Graph at the time at, and keeps them here for what is left of the job
// TTL. ok is false when they are too old or do not decode (a warning).
func (c *Client) keepSharedJobs(key string, body []byte, at time.Time) ([]diagnose.Job, bool) {
	if age := c.cfg.now().Sub(at); at.IsZero() || age >= c.cfg.jobTTL {
		return nil, false
	}
	jobs, err := jobsFromBody(body)
	if err != nil {
		c.sharedWarn("shared jobs do not decode; asking Graph instead", "app", key, "err", err)
		return nil, false
	}
	c.jobs.putAt(key, jobs, at)
	return jobs, true
}

// sharedJobsMany takes the jobs of the apps ids[i] for i in miss from the
// shared cache into out, and returns the indexes it found none for.
func (c *Client) sharedJobsMany(ctx context.Context, ids []string, miss []int, out []jobsResult) []int {
	if !c.sharingJobs() {
		return miss
	}
	found := make([]bool, len(miss))
	var wg sync.WaitGroup
	for k, i := range miss {
		wg.Go(func() {
			key := lowerID(ids[i])
			var body json.RawMessage
			if at, ok := sharedGet(ctx, c, jobsKey(key), &body); ok {
				out[i].jobs, found[k] = c.keepSharedJobs(key, body, at)
			}
		})
	}
	wg.Wait()
	var left []int
	for k, i := range miss {
		if !found[k] {
			left = append(left, i)
		}
	}
	return left
}

// shareJobsMany puts apps' jobs read at the time at (bodies by lower-case
// app id) in the shared cache, a few at a time.
func (c *Client) shareJobsMany(ctx context.Context, bodies map[string][]byte, at time.Time) {
	if !c.sharingJobs() {
		return
	}
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for key, body := range bodies {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			c.shareJobs(ctx, key, body, at)
		})
	}
	wg.Wait()
}

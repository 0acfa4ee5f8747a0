package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// SharedCache is a cache and a coalescer kept outside the client, which
// every replica of provbot serving the same tenant shares, so that
// together they ask Graph once where one replica would: store.Shared
// implements it (store/redis across replicas). The client uses it for
// users' provisioning logs being fetched (one replica fetches, the others
// wait for its answer), the app role assignments of groups and help-desk
// and admin membership answers, with the TTLs of its own caches. It is
// an optimisation only: when it fails the client logs a warning and asks
// Graph itself.
type SharedCache interface {
	// Coalesce runs fn once for everyone asking for key at the same time,
	// across replicas, and returns its value to all of them; shared says
	// whether it came from another caller's run. fn runs on the caller's
	// goroutine, before Coalesce returns, holding key for up to hold; its
	// value is kept for keep after it returns. An error from fn goes to
	// its own caller only.
	Coalesce(ctx context.Context, key string, hold, keep time.Duration, fn func(ctx context.Context) ([]byte, error)) (v []byte, shared bool, err error)
	// CacheGet returns the value stored under key and not yet expired.
	CacheGet(ctx context.Context, key string) (v []byte, ok bool, err error)
	// CachePut stores v under key for ttl.
	CachePut(ctx context.Context, key string, v []byte, ttl time.Duration) error
}

// WithSharedCache makes the client share fetched provisioning logs,
// groups' app role assignments, group membership answers, apps' jobs and
// the catalog of provisioning apps with the other replicas using sc.
func WithSharedCache(sc SharedCache) Option {
	return func(c *config) {
		if sc == nil {
			c.invalid("shared cache is nil")
			return
		}
		c.sharedCache = sc
	}
}

const (
	// sharedKeyPrefix starts every key the client puts in the shared
	// cache; its version changes with the format of the values, so that
	// replicas of two versions never read each other's.
	sharedKeyPrefix = "graph:v1:"
	// sharedCacheTimeout bounds one read or write of the shared cache: a
	// store that hangs delays a lookup by at most this much.
	sharedCacheTimeout = 2 * time.Second
	// logsKeep is how long a coalesced provisioning log answer stays
	// available to callers that were waiting for it (they look every
	// 100 ms at most). It is short on purpose: a refresh may join a fetch
	// in flight, never reuse an old answer.
	logsKeep = 2 * time.Second
)

// sharedWarnEvery is how often each warning about the shared cache is
// logged at most: while the store is down every lookup would log several.
const sharedWarnEvery = 10 * time.Second

// sharedWarn logs a warning about the shared cache, at most once every
// sharedWarnEvery per message, with how many were left out since.
func (c *Client) sharedWarn(msg string, args ...any) {
	now := c.cfg.now()
	v, _ := c.sharedWarns.LoadOrStore(msg, &warnLimit{})
	w := v.(*warnLimit)
	w.mu.Lock()
	if !w.last.IsZero() && now.Sub(w.last) < sharedWarnEvery && now.Sub(w.last) >= 0 {
		w.skipped++
		w.mu.Unlock()
		return
	}
	skipped := w.skipped
	w.last, w.skipped = now, 0
	w.mu.Unlock()
	if skipped > 0 {
		args = append(args, "same warnings left out", skipped)
	}
	c.log.Warn(msg, args...)
}

// warnLimit is when a warning was last logged and how many were left
// out since.
type warnLimit struct {
	mu      sync.Mutex
	last    time.Time
	skipped int
}

// sharedCacheOff reports whether no shared cache is configured.
func (c *Client) sharedCacheOff() bool { return c.cfg.sharedCache == nil }

// sharedEntry is a value in the shared cache with when it was read from
// Graph, so that a replica keeping it in its own cache keeps it no longer
// than the TTL from then.
type sharedEntry[T any] struct {
	At time.Time `json:"at"`
	V  T         `json:"v"`
}

// sharedGet reads key from the shared cache into v and returns when the
// value was read from Graph. Any failure (the store, a value that does
// not decode) is a miss, logged as a warning.
func sharedGet[T any](ctx context.Context, c *Client, key string, v *T) (at time.Time, ok bool) {
	if c.sharedCacheOff() || ctx.Err() != nil {
		return time.Time{}, false
	}
	ctx, cancel := context.WithTimeout(ctx, sharedCacheTimeout)
	defer cancel()
	b, ok, err := c.cfg.sharedCache.CacheGet(ctx, sharedKeyPrefix+key)
	if err != nil {
		c.sharedWarn("read the shared cache; asking Graph instead", "key", key, "err", err)
		return time.Time{}, false
	}
	if !ok {
		return time.Time{}, false
	}
	var e sharedEntry[T]
	if err := json.Unmarshal(b, &e); err != nil {
		c.sharedWarn("a shared cache value does not decode; asking Graph instead", "key", key, "err", err)
		return time.Time{}, false
	}
	*v = e.V
	return e.At, true
}

// sharedPut stores v, read from Graph at the time at, under key for ttl;
// a failure is logged as a warning.
func sharedPut[T any](ctx context.Context, c *Client, key string, v T, at time.Time, ttl time.Duration) {
	if c.sharedCacheOff() || ttl < time.Millisecond {
		return
	}
	b, err := json.Marshal(sharedEntry[T]{At: at.UTC(), V: v})
	if err != nil {
		c.sharedWarn("encode a shared cache value", "key", key, "err", err)
		return
	}
	c.sharedPutBytes(ctx, key, b, ttl)
}

// Keys of the shared cache (after sharedKeyPrefix). Ids are lower case.

func logsKey(k lookupKey) string      { return "logs:" + k.user + ":" + k.app }
func grantsKey(groupID string) string { return "grants:" + groupID }

// membershipKey names a user's membership answer for one set of groups
// (help desk, admins): the set is part of the key, so that replicas
// configured with other groups (during a change of configuration) never
// take each other's answers.
func membershipKey(op operation, userID string, groups []string) string {
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = lowerID(g)
	}
	slices.Sort(ids)
	sum := sha256.Sum256([]byte(op.route + "\n" + strings.Join(ids, ",")))
	return "member:" + hex.EncodeToString(sum[:12]) + ":" + userID
}

// sharedLogs is a logResult as the shared cache holds it.
type sharedLogs struct {
	Entries  []diagnose.Entry `json:"entries"`
	Complete bool             `json:"complete"`
}

// lookupShared is logBatcher.lookup coalesced across replicas: the first
// replica to ask for key fetches (through its own batcher and budget),
// the others wait for its answer. A refresh joins a fetch in flight, or
// one that ended at most logsKeep ago, as it joins one in memory. When
// the shared cache fails, the lookup goes through the batcher alone.
func (c *Client) lookupShared(ctx context.Context, userID, appID string) (logResult, error) {
	if c.sharedCacheOff() {
		return c.logs.lookup(ctx, userID, appID)
	}
	key := newLookupKey(userID, appID)
	if c.logs.inFlight(key) {
		// This replica is fetching it already (its lock is held in the
		// store): join the fetch here rather than poll the store.
		return c.logs.lookup(ctx, userID, appID)
	}
	var (
		ran, done bool
		res       logResult
		runErr    error
	)
	hold := batchTimeout
	if d, ok := ctx.Deadline(); ok {
		hold = max(min(time.Until(d), hold), time.Second)
	}
	// Waiting for another replica's fetch (maybe queued for the budget
	// there) the asker is told so, after a while; running the fetch
	// here, the batcher tells.
	stopNote := c.lateNote(ctx, func() bool { return true })
	v, shared, err := c.cfg.sharedCache.Coalesce(ctx, sharedKeyPrefix+logsKey(key), hold, logsKeep, func(ctx context.Context) ([]byte, error) {
		stopNote()
		ran = true
		res, runErr = c.logs.lookup(ctx, userID, appID)
		done = true
		if runErr != nil {
			return nil, runErr
		}
		return json.Marshal(sharedLogs{Entries: res.entries, Complete: res.complete})
	})
	stopNote()
	switch {
	case ran && !done:
		return logResult{}, &Error{Op: opProvisioning.name, Code: CodeInternal, Err: err, kind: ErrUnavailable,
			Message: fmt.Sprintf("the lookup failed: %v", err)}
	case ran:
		// Our own fetch: its answer stands, whatever the store did
		// after it.
		return res, runErr
	case err == nil && shared:
		var s sharedLogs
		derr := json.Unmarshal(v, &s)
		if derr == nil {
			r := logResult{entries: s.Entries, complete: s.Complete}
			c.entries.put(key, r)
			return r, nil
		}
		c.sharedWarn("a coalesced provisioning log answer does not decode; asking Graph instead", "err", derr)
	case ctx.Err() != nil:
		return logResult{}, toError(opProvisioning, ctx.Err(), nil)
	case err != nil:
		c.sharedWarn("coalesce a provisioning log lookup with other replicas; asking Graph alone", "err", err)
	}
	return c.logs.lookup(ctx, userID, appID)
}

// sharedAssignment is an assignmentRef as the shared cache holds it.
type sharedAssignment = wireAssignment

func toShared(refs []assignmentRef) []sharedAssignment {
	out := make([]sharedAssignment, len(refs))
	for i, r := range refs {
		out[i] = sharedAssignment{AppRoleID: r.roleID, PrincipalDisplayName: r.principalName,
			PrincipalID: r.principalID, PrincipalType: r.principalType, ResourceID: r.resourceID}
		if !r.created.IsZero() {
			out[i].CreatedDateTime = r.created.Format(time.RFC3339Nano)
		}
	}
	return out
}

func fromShared(ws []sharedAssignment) []assignmentRef {
	if len(ws) == 0 {
		return nil
	}
	out := make([]assignmentRef, len(ws))
	for i, w := range ws {
		out[i] = w.ref()
	}
	return out
}

package graph

import (
	"context"
	"time"
)

// SharedValueLimit is the largest value, in bytes, the client puts in a
// SharedCache or returns from a Coalesce: a larger one (the catalogue of
// a tenant with tens of thousands of provisioning apps) is kept by each
// replica for itself. A SharedCache must accept values this big
// (store.MaxCached).
const SharedValueLimit = 8 << 20

// sharedPutBytes stores the encoded value b under key for ttl; a value
// over SharedValueLimit is not stored, and a failure is logged as a
// warning.
func (c *Client) sharedPutBytes(ctx context.Context, key string, b []byte, ttl time.Duration) {
	if len(b) > SharedValueLimit {
		c.sharedWarn("a value is too big for the shared cache; each replica reads it itself", "key", key, "bytes", len(b), "limit", SharedValueLimit)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedCacheTimeout)
	defer cancel()
	if err := c.cfg.sharedCache.CachePut(ctx, sharedKeyPrefix+key, b, ttl); err != nil {
		c.sharedWarn("write the shared cache", "key", key, "err", err)
	}
}

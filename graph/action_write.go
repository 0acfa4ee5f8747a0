package graph

import (
	"context"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
)

// postRaw sends one write built by build, never retried (a 429 or a 409
// is explained to the person who asked, who decides whether to try
// again), and returns the answer's body as sent (nil for 204) and Graph's
// request-id from the answer's headers, which the audit keeps. A 401 or
// 403 also records that writes are not allowed (see WriteAccess).
func (c *Client) postRaw(ctx context.Context, op operation, build func(ctx context.Context) (*abstractions.RequestInformation, error)) (body []byte, requestID string, err error) {
	err = c.sendWithPolicy(ctx, op, nil, 0, func(ctx context.Context) error {
		info, err := build(ctx)
		if err != nil {
			return err
		}
		info.Headers.TryAdd("Accept", "application/json")
		v, err := c.adapter.SendPrimitive(ctx, info, "[]byte", errorMapping)
		if ex, ok := ctx.Value(exchangeKey{}).(*exchange); ok {
			if _, h := ex.result(); h != nil {
				requestID = h.Get("request-id")
			}
		}
		if err != nil {
			return err
		}
		body, _ = v.([]byte)
		return nil
	})
	if err != nil {
		if e, ok := err.(*Error); ok {
			if e.RequestID == "" {
				e.RequestID = requestID
			}
			if e.Is(ErrForbidden) {
				c.writeDenied(e)
			}
		}
		return nil, requestID, err
	}
	return body, requestID, nil
}

// HTTPStatus is the answer's HTTP status, 0 when none arrived: for
// callers outside this package that explain a refused write (409, 429).
func (e *Error) HTTPStatus() int { return e.Status }

// RetryWait is how long Graph asked to wait before trying again, 0 when
// it did not say.
func (e *Error) RetryWait() time.Duration { return e.RetryAfter }

// forget drops k.
func (c *ttlCache[K, V]) forget(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}

// GraphRequestID is Graph's request-id of the failed request, "" when
// none arrived.
func (e *Error) GraphRequestID() string { return e.RequestID }

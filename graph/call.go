package graph

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
)

// operation describes one kind of Graph request, for errors, metrics and
// the reporting budget.
type operation struct {
	name       string // what the client is doing: "list provisioning logs"
	route      string // route template for metrics: "GET /auditLogs/provisioning"
	permission string // the Graph permission the route needs
	reports    bool   // a reporting API route (/auditLogs/*): spends the budget
}

// send runs one Graph request through fn, which makes exactly one SDK
// call. It spends the reporting budget for reporting routes, recovers
// panics from the SDK's generated code, reports to the observer, converts
// errors to *Error and retries throttling (429) and unavailability (503,
// 504) a bounded number of times, honouring Retry-After within the
// caller's deadline.
func (c *Client) send(ctx context.Context, op operation, fn func(ctx context.Context) error) error {
	return c.sendWithSlot(ctx, op, nil, fn)
}

// sendWithSlot is send whose first attempt uses a budget slot the caller
// already holds.
func (c *Client) sendWithSlot(ctx context.Context, op operation, slot func(used bool), fn func(ctx context.Context) error) error {
	return c.sendWithPolicy(ctx, op, slot, c.cfg.maxRetries, fn)
}

// sendWithPolicy is sendWithSlot with at most retries retries.
func (c *Client) sendWithPolicy(ctx context.Context, op operation, slot func(used bool), retries int, fn func(ctx context.Context) error) error {
	for attempt := 0; ; attempt++ {
		release := slot
		slot = nil
		if release == nil && op.reports && c.budget != nil {
			r, err := c.budget.acquire(ctx, op.name)
			if err != nil {
				return err
			}
			release = r
		}
		ex := &exchange{}
		start := time.Now()
		err := protect(func() error { return fn(withExchange(ctx, ex)) })
		if release != nil {
			release(true)
		}
		took := time.Since(start)
		status, _ := ex.result()
		if err == nil {
			if status == 0 {
				status = http.StatusOK
			}
			c.cfg.observer.ObserveRequest(op.route, status, took)
			return nil
		}
		e := toError(op, err, ex)
		if status == 0 {
			status = e.Status
		}
		c.cfg.observer.ObserveRequest(op.route, status, took)
		if e.Is(ErrThrottled) && e.Status != 0 {
			c.cfg.observer.ObserveThrottle(op.route)
			if op.reports && c.budget != nil && e.RetryAfter > 0 {
				c.budget.pause(e.RetryAfter)
			}
		}
		if !retryable(e) || attempt >= retries {
			return e
		}
		wait := e.RetryAfter
		if wait <= 0 {
			wait = backoff(attempt)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			c.log.Debug("not retrying: the wait outlasts the deadline", "op", op.name, "status", e.Status, "wait", wait)
			return e
		}
		c.log.Debug("retrying", "op", op.name, "status", e.Status, "attempt", attempt+1, "wait", wait)
		if err := c.cfg.sleep(ctx, wait); err != nil {
			return toError(op, err, nil)
		}
	}
}

// retryable reports whether a failed request is worth repeating.
func retryable(e *Error) bool {
	switch e.Status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is the wait before retry attempt+1 when Graph gave no
// Retry-After: 1 s, 2 s, 4 s, ... up to 30 s.
func backoff(attempt int) time.Duration {
	return min(time.Second<<min(attempt, 5), 30*time.Second)
}

// protect runs fn and turns a panic into an error.
func protect(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Code: CodeInternal, Message: fmt.Sprintf("recovered from a panic: %v", r),
				Err: fmt.Errorf("panic: %v\n%s", r, debug.Stack()), kind: ErrUnavailable}
		}
	}()
	return fn()
}

// recoverAs ends a public method: a panic becomes an *Error for op.
func (c *Client) recoverAs(err *error, op string) {
	if r := recover(); r != nil {
		c.log.Error("recovered from a panic", "op", op, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		*err = &Error{Op: op, Code: CodeInternal, Message: fmt.Sprintf("recovered from a panic: %v", r), kind: ErrUnavailable}
	}
}

// goSafe runs fn on a new goroutine that cannot crash the process.
func (c *Client) goSafe(fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				c.log.Error("recovered from a panic in a background task", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
		}()
		fn()
	}()
}

// getRaw sends a GET built by build and returns the body as sent, for the
// routes whose answers the client decodes itself (provisioning logs,
// synchronization jobs and secrets).
func (c *Client) getRaw(ctx context.Context, op operation, slot func(bool), build func(ctx context.Context) (*abstractions.RequestInformation, error)) ([]byte, error) {
	var body []byte
	err := c.sendWithSlot(ctx, op, slot, func(ctx context.Context) error {
		info, err := build(ctx)
		if err != nil {
			return err
		}
		v, err := c.adapter.SendPrimitive(ctx, info, "[]byte", errorMapping)
		if err != nil {
			return err
		}
		body, _ = v.([]byte)
		return nil
	})
	return body, err
}

// sharedTimeout bounds work shared by concurrent callers.
const sharedTimeout = 2 * time.Minute

// shared runs fn once for concurrent callers with the same key
// (singleflight). fn runs on a context detached from the first caller's
// cancellation, so one caller giving up does not fail the others, but
// bounded by that caller's deadline (or sharedTimeout), so waits such as
// Retry-After still respect it; each caller returns when its own ctx
// ends.
func (c *Client) shared(ctx context.Context, key string, fn func(ctx context.Context) (any, error)) (any, error) {
	ch := c.flight.DoChan(key, func() (v any, err error) {
		deadline, ok := ctx.Deadline()
		if !ok {
			deadline = time.Now().Add(sharedTimeout)
		}
		sctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline)
		defer cancel()
		err = protect(func() error {
			var e error
			v, e = fn(sctx)
			return e
		})
		return v, err
	})
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		return nil, toError(operation{name: key}, ctx.Err(), nil)
	}
}

// lowerID is the cache key form of an object id.
func lowerID(id string) string { return strings.ToLower(id) }

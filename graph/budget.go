package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/provbot/provbot/internal/fcfs"
)

// budget keeps the client within the reporting service's limit: at most
// limit requests to /auditLogs/* in any window. It counts a request from
// the moment it starts until window after its answer arrived, which is
// never shorter than the span Graph counts it (from when Graph received
// it), so the client does not provoke 429s by itself. A 429 from Graph
// (another tool spending the same app's quota) pauses every request for
// its Retry-After.
//
// Within that limit it spreads the requests that start a batch of
// lookups (acquireSpaced): one every window/limit (2 s for Microsoft's 5
// per 10 s) rather than the whole window's worth at once and then
// nothing until the window ends. The throughput is the same, but lookups
// queued meanwhile go out in the next request, batched, instead of
// waiting for a whole window. A lookup's own follow-up requests (later
// pages, the audit read it may need) are not spaced, only counted.
//
// Slots are granted in the order they were asked for (first come, first
// served), whoever asks: the log batcher, a later page of a lookup, a
// directory audit read.
//
// With a SharedBudget (several replicas), the shared one keeps the count
// and the line, and this one only passes the calls on.
type budget struct {
	limit  int
	window time.Duration
	line   *fcfs.Line                    // the count and the line, when not shared
	shared SharedBudget                  // nil: the count and the line are kept here
	log    *slog.Logger                  // for the shared budget's failures
	idle   func(context.Context, func()) // runs a wait for a turn in the line
}

func newBudget(limit int, window time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error, idle func(context.Context, func())) *budget {
	return &budget{limit: limit, window: window, idle: idle,
		line: fcfs.New(fcfs.Config{Limit: limit, Window: window, Now: now, Sleep: sleep, Idle: idle})}
}

// acquire waits, in arrival order, for a slot and returns the function
// that gives it back; used says whether a request was sent. It waits as
// long as ctx allows: a busy budget is a reason to wait, not to fail.
// When ctx ends first it returns an ErrThrottled *Error
// (CodeBudgetExhausted) saying how much longer the wait would have been.
func (b *budget) acquire(ctx context.Context, op string) (release func(used bool), err error) {
	return b.take(ctx, op, false)
}

// acquireSpaced is acquire for a request that starts a batch of lookups:
// it also waits until window/limit after the previous such request.
func (b *budget) acquireSpaced(ctx context.Context, op string) (release func(used bool), err error) {
	return b.take(ctx, op, true)
}

// take waits for a slot in the shared budget or this one's line.
func (b *budget) take(ctx context.Context, op string, spaced bool) (release func(used bool), err error) {
	if b.shared != nil {
		return b.takeShared(ctx, op, spaced)
	}
	release, err = b.line.Take(ctx, spaced)
	if stopped, ok := errors.AsType[*fcfs.StoppedError](err); ok {
		return nil, b.exhausted(op, stopped.Wait)
	}
	return release, err
}

// waitIdle runs wait, a wait for a turn in the line, through the
// client's idle function (WithIdle).
func (b *budget) waitIdle(ctx context.Context, wait func()) {
	if b.idle == nil {
		wait()
		return
	}
	b.idle(ctx, wait)
}

// pause holds every request for d (a Retry-After from Graph).
func (b *budget) pause(d time.Duration) {
	if b.shared != nil {
		b.pauseShared(d)
		return
	}
	b.line.Pause(d)
}

// estimate is how long a spaced request with ahead requests queued
// before it (besides the callers already waiting here) would wait for a
// slot, roughly: the time until the next slot frees, then one spacing per
// request ahead.
func (b *budget) estimate(ahead int) time.Duration {
	if b.shared != nil {
		return b.shared.Estimate(ahead)
	}
	return b.line.Estimate(ahead)
}

// exhausted is the error for a wait the caller could not afford.
func (b *budget) exhausted(op string, wait time.Duration) *Error {
	return &Error{
		Op:   op,
		Code: CodeBudgetExhausted,
		Message: fmt.Sprintf("the reporting API allows %d requests per %s and the caller stopped waiting for one",
			b.limit, b.window),
		RetryAfter: wait.Round(time.Millisecond),
		kind:       ErrThrottled,
	}
}

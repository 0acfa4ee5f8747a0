package main

import (
	"context"
	"net/http"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/graph"
)

// graphHTTPTimeout bounds a Graph request without a deadline (as the Graph
// adapter's own default client does).
const graphHTTPTimeout = 100 * time.Second

// graphIdleOptions make a conversation turn give its place among the turns
// working at once up while it waits for Graph: during each request, and
// during the throttling and reporting-budget waits (botframework.Idle). The
// server bounds the turns working at once to keep the CPU for the
// acknowledgements; a turn waiting for Graph uses none. Outside a turn
// (the command line) they change nothing.
func graphIdleOptions() []graph.Option {
	return []graph.Option{
		graph.WithHTTPClient(&http.Client{Transport: botframework.IdleTransport(http.DefaultTransport), Timeout: graphHTTPTimeout}),
		graph.WithSleep(func(ctx context.Context, d time.Duration) (err error) {
			botframework.Idle(ctx, func() { err = sleepContext(ctx, d) })
			return err
		}),
		graph.WithIdle(botframework.Idle),
	}
}

// lookupHooks passes the conversation's lookup hooks on to the Graph
// client: the asker is told when their lookup waits for the reporting
// budget, and someone else's provisioning logs are read only once the
// asker may see them.
func lookupHooks(ctx context.Context, h bot.LookupHooks) context.Context {
	if h.Queued != nil {
		queued := h.Queued
		ctx = graph.WithQueueNotifier(ctx, func(w graph.QueueWait) { queued(bot.QueueWait{Ahead: w.Ahead, Wait: w.Wait}) })
	}
	if h.Allowed != nil {
		ctx = graph.WithReportingGate(ctx, h.Allowed)
	}
	return ctx
}

// sleepContext waits for d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

package botframework

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// TokenSource supplies the bot token the [Connector] sends to the Bot
// Connector service. Implementations must be safe for concurrent use and
// should cache. Tests and the demo can plug their own with [TokenSourceFunc].
type TokenSource interface {
	// Token returns a bearer access token (without the "Bearer " prefix).
	Token(ctx context.Context) (string, error)
}

// TokenSourceFunc adapts a function to [TokenSource].
type TokenSourceFunc func(ctx context.Context) (string, error)

// Token calls f.
func (f TokenSourceFunc) Token(ctx context.Context) (string, error) { return f(ctx) }

// Token cache timing.
const (
	// tokenRefreshMargin: refresh a cached token this long before it expires
	// (the SDKs use five minutes), or at half its lifetime if that is sooner.
	tokenRefreshMargin = 5 * time.Minute
	// tokenFetchTimeout bounds one token request.
	tokenFetchTimeout = 30 * time.Second
)

// tokenFetcher gets a fresh token and its expiry.
type tokenFetcher func(ctx context.Context) (token string, expiresAt time.Time, err error)

// cachingTokenSource caches a token until shortly before it expires and lets
// only one refresh run at a time; concurrent callers wait for it. If a
// refresh fails while the cached token is still valid, the cached token is
// returned.
type cachingTokenSource struct {
	fetch  tokenFetcher
	now    func() time.Time
	logger *slog.Logger

	mu        sync.Mutex
	token     string
	expiresAt time.Time
	refreshAt time.Time
	inflight  *fetchCall
}

func newCachingTokenSource(fetch tokenFetcher, now func() time.Time, logger *slog.Logger) *cachingTokenSource {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &cachingTokenSource{fetch: fetch, now: now, logger: logger}
}

// Token returns the cached token or fetches a new one.
func (c *cachingTokenSource) Token(ctx context.Context) (string, error) {
	c.mu.Lock()
	if c.token != "" && c.now().Before(c.refreshAt) {
		tok := c.token
		c.mu.Unlock()
		return tok, nil
	}
	call := c.inflight
	if call == nil {
		call = &fetchCall{done: make(chan struct{})}
		c.inflight = call
		go c.refresh(context.WithoutCancel(ctx), call)
	}
	c.mu.Unlock()

	select {
	case <-call.done:
	case <-ctx.Done():
		return "", fmt.Errorf("wait for bot token: %w", ctx.Err())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.now().Before(c.expiresAt) {
		return c.token, nil
	}
	if call.err != nil {
		return "", call.err
	}
	return "", fmt.Errorf("get bot token: token expired on arrival")
}

// refresh fetches a token and stores it.
func (c *cachingTokenSource) refresh(ctx context.Context, call *fetchCall) {
	ctx, cancel := context.WithTimeout(ctx, tokenFetchTimeout)
	defer cancel()
	tok, exp, err := c.fetch(ctx)
	c.mu.Lock()
	if err == nil {
		now := c.now()
		margin := min(tokenRefreshMargin, exp.Sub(now)/2)
		c.token, c.expiresAt, c.refreshAt = tok, exp, exp.Add(-margin)
	} else if c.token != "" && c.now().Before(c.expiresAt) {
		c.logger.Warn("bot token refresh failed; using the cached token until it expires", "expires_at", c.expiresAt, "err", err)
	}
	call.err = err
	c.inflight = nil
	c.mu.Unlock()
	close(call.done)
}

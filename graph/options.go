package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Defaults of the options below.
const (
	// DefaultBaseURL is the Graph endpoint of the global cloud. National
	// clouds have their own, such as https://graph.microsoft.us/v1.0 (US
	// Government L4), https://dod-graph.microsoft.us/v1.0 (L5) and
	// https://microsoftgraph.chinacloudapi.cn/v1.0 (21Vianet):
	// https://learn.microsoft.com/graph/deployments
	DefaultBaseURL = "https://graph.microsoft.com/v1.0"
	// DefaultLogCap is how many provisioning log entries are kept per user.
	DefaultLogCap = 500
	// DefaultEntryCacheTTL is how long a user's entries are reused.
	DefaultEntryCacheTTL = 60 * time.Second
	// DefaultJobCacheTTL is how long an app's jobs, assignments and scope
	// settings are reused.
	DefaultJobCacheTTL = 60 * time.Second
	// DefaultAppCacheTTL is how long the list of provisioning apps is reused.
	DefaultAppCacheTTL = 10 * time.Minute
	// DefaultReportBudget and DefaultReportWindow are Microsoft's limit for
	// the identity and access reports service (/auditLogs/*): 5 requests
	// per 10 seconds per app per tenant.
	// https://learn.microsoft.com/graph/throttling-limits#identity-and-access-reports-service-limits
	DefaultReportBudget = 5
	DefaultReportWindow = 10 * time.Second
	// DefaultMaxRetries is how many times a throttled request is retried.
	DefaultMaxRetries = 3
	// helpDeskTTL is how long a help-desk membership answer is reused.
	helpDeskTTL = 5 * time.Minute
)

// Option configures a Client.
type Option func(*config)

// config is what the options set.
type config struct {
	baseURL    string
	httpClient *http.Client
	logger     *slog.Logger
	now        func() time.Time
	sleep      func(context.Context, time.Duration) error
	idle       func(context.Context, func())
	logCap     int
	entryTTL   time.Duration
	jobTTL     time.Duration
	appTTL     time.Duration
	budgetN    int
	budgetPer  time.Duration
	shared     SharedBudget
	// sharedCache is shared with other replicas (WithSharedCache).
	sharedCache SharedCache
	// sharedQueue batches lookups with other replicas (WithSharedQueue).
	sharedQueue SharedQueue
	maxRetries  int
	helpDesk    []string
	admins      []string
	observer    Observer
	errs        []error
}

func defaultConfig() config {
	return config{
		baseURL:    DefaultBaseURL,
		logger:     slog.New(slog.DiscardHandler),
		now:        time.Now,
		sleep:      sleepContext,
		idle:       func(_ context.Context, wait func()) { wait() },
		logCap:     DefaultLogCap,
		entryTTL:   DefaultEntryCacheTTL,
		jobTTL:     DefaultJobCacheTTL,
		appTTL:     DefaultAppCacheTTL,
		budgetN:    DefaultReportBudget,
		budgetPer:  DefaultReportWindow,
		maxRetries: DefaultMaxRetries,
		observer:   nopObserver{},
	}
}

func (c *config) invalid(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

// err reports the options that were refused.
func (c *config) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return &Error{Op: "configure client", Code: CodeInvalidInput, Message: errors.Join(c.errs...).Error(), kind: ErrInvalid}
}

// WithBaseURL sets the Graph endpoint including its version segment
// (default DefaultBaseURL). The beta endpoint, used only for the optional
// synchronization secrets, is derived by replacing the last segment with
// "beta".
func WithBaseURL(u string) Option { return func(c *config) { c.baseURL = u } }

// WithHTTPClient sets the HTTP client whose transport, timeout and
// redirect policy carry the requests. The Graph SDK's middleware is added
// on top of its transport, without the SDK's retry handler (the client
// retries throttled requests itself).
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.httpClient = hc } }

// WithLogger sets the logger; the default discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// WithNow sets the clock used for caches, the reporting budget and the
// age of answers. The default is time.Now.
func WithNow(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithSleep sets how the client waits (Retry-After, the reporting budget).
// The default waits on a timer and returns early with the context's error.
// Together with WithNow it lets tests and simulations run throttling on a
// fake clock.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) {
		if sleep != nil {
			c.sleep = sleep
		}
	}
}

// WithIdle sets how the client waits for something other than a timer
// or a request on a caller's behalf: a lookup queued for the reporting
// budget waiting for its turn. idle must run wait and return when it
// returns; a server can use it to give the caller's place among the work
// allowed to run at once up meanwhile (botframework.Idle). The default
// just runs wait.
func WithIdle(idle func(ctx context.Context, wait func())) Option {
	return func(c *config) {
		if idle != nil {
			c.idle = idle
		}
	}
}

// WithLogCap sets how many provisioning log entries are kept per user,
// newest first (default DefaultLogCap).
func WithLogCap(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.invalid("log cap %d: want at least 1", n)
			return
		}
		c.logCap = n
	}
}

// WithEntryCacheTTL sets how long a user's provisioning log entries are
// reused (default 60 s; 0 disables the cache).
func WithEntryCacheTTL(d time.Duration) Option {
	return func(c *config) { c.entryTTL = max(d, 0) }
}

// WithJobCacheTTL sets how long an app's synchronization jobs, assignment
// list and scope settings are reused (default 60 s; 0 disables the cache).
func WithJobCacheTTL(d time.Duration) Option {
	return func(c *config) { c.jobTTL = max(d, 0) }
}

// WithAppCacheTTL sets how long the list of provisioning apps is reused
// before it is rebuilt in the background (default 10 min).
func WithAppCacheTTL(d time.Duration) Option {
	return func(c *config) { c.appTTL = max(d, 0) }
}

// WithReportBudget sets the client's budget for the reporting endpoints
// (/auditLogs/*): at most n requests per window (default 5 per 10 s,
// Microsoft's limit per app per tenant). A tenant shared with other tools
// should get a smaller n. n of 0 or less removes the budget, for tests
// against a fake that does not throttle.
func WithReportBudget(n int, per time.Duration) Option {
	return func(c *config) {
		if n > 0 && per <= 0 {
			c.invalid("report budget window %v: want a positive duration", per)
			return
		}
		c.budgetN, c.budgetPer = n, per
	}
}

// WithMaxRetries sets how many times a throttled (429) or unavailable
// (503, 504) request is retried (default 3; 0 never retries).
func WithMaxRetries(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.invalid("max retries %d: want 0 or more", n)
			return
		}
		c.maxRetries = n
	}
}

// WithHelpDeskGroups sets the object ids of the groups whose members
// (direct or nested) may use the bot's help-desk features; see
// Client.IsHelpDesk.
func WithHelpDeskGroups(ids ...string) Option {
	return func(c *config) {
		for _, id := range ids {
			if !isGUID(id) {
				c.invalid("help-desk group %q: want a group object id (GUID)", id)
				continue
			}
			c.helpDesk = append(c.helpDesk, id)
		}
	}
}

// WithObserver sets who is told about every Graph request and throttling
// event (the command line's Prometheus metrics).
func WithObserver(o Observer) Option {
	return func(c *config) {
		if o != nil {
			c.observer = o
		}
	}
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

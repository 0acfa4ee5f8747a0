package workspace

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"
)

// DefaultEndpoint is the Log Analytics query API of the public cloud, with
// its version. US Government: https://api.loganalytics.us/v1.
// https://learn.microsoft.com/azure/azure-monitor/logs/api/access-api
const DefaultEndpoint = "https://api.loganalytics.io/v1"

// DefaultLookback is how far back a search goes unless told otherwise: two
// years, the longest interactive retention a workspace table can have.
// Searching past a workspace's retention costs nothing and finds nothing.
const DefaultLookback = 730 * 24 * time.Hour

// DefaultMaxEntries is the most rows one search returns, newest first.
const DefaultMaxEntries = 1000

// Client reads provisioning logs from the AADProvisioningLogs table of one
// Log Analytics workspace with the Azure SDK's logs query client. It is
// safe for concurrent use.
type Client struct {
	logs        *azquery.LogsClient
	workspaceID string
	endpoint    string
	log         *slog.Logger
	now         func() time.Time
	lookback    time.Duration
	max         int

	covMu sync.Mutex
	cov   Coverage
	covAt time.Time
}

// config is what the options set.
type config struct {
	endpoint   string
	httpClient *http.Client
	logger     *slog.Logger
	now        func() time.Time
	lookback   time.Duration
	max        int
	retries    int
	retryMax   time.Duration
}

// Option configures a Client.
type Option func(*config)

// WithEndpoint sets the query API's base URL with its version (default
// DefaultEndpoint). Tokens are requested for the URL's origin, which is the
// API's audience (https://api.loganalytics.io for the public cloud).
func WithEndpoint(u string) Option { return func(c *config) { c.endpoint = strings.TrimRight(u, "/") } }

// WithHTTPClient sends requests through this client (a test's TLS trust, a
// metrics transport).
func WithHTTPClient(h *http.Client) Option { return func(c *config) { c.httpClient = h } }

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithNow sets the clock (default time.Now).
func WithNow(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithLookback sets how far back searches go (default DefaultLookback).
func WithLookback(d time.Duration) Option { return func(c *config) { c.lookback = d } }

// WithMaxEntries sets the most rows one search returns (default
// DefaultMaxEntries).
func WithMaxEntries(n int) Option { return func(c *config) { c.max = n } }

// WithRetry sets how often a throttled or failed request is retried and
// the longest Retry-After the client waits out (default 2 retries, 10 s):
// an answer that asks for a longer wait is returned as ErrThrottled at
// once, so that a chat answer is not held up.
func WithRetry(retries int, maxWait time.Duration) Option {
	return func(c *config) { c.retries, c.retryMax = retries, maxWait }
}

// New returns a client for the workspace with the given id (the Workspace
// ID of the workspace's Overview page, a GUID) that authenticates with
// cred: the same azidentity credential the Graph client uses. Its identity
// needs the Log Analytics Reader role on the workspace.
//
// A nil cred sends no token; that is allowed only to a loopback endpoint
// (test endpoints).
func New(cred azcore.TokenCredential, workspaceID string, opts ...Option) (*Client, error) {
	cfg := config{endpoint: DefaultEndpoint, now: time.Now, lookback: DefaultLookback, max: DefaultMaxEntries,
		retries: 2, retryMax: 10 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	if !guid(workspaceID) {
		return nil, fmt.Errorf("workspace id %q: want the workspace's Workspace ID (a GUID)", workspaceID)
	}
	u, err := url.Parse(cfg.endpoint)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return nil, fmt.Errorf("endpoint %q is not an http(s) URL", cfg.endpoint)
	case u.Scheme == "http" && !loopback(u.Hostname()):
		return nil, fmt.Errorf("endpoint %q: plain http is only allowed to a loopback address", cfg.endpoint)
	case cred == nil && !loopback(u.Hostname()):
		return nil, fmt.Errorf("endpoint %q: without credentials the client only talks to a loopback address", cfg.endpoint)
	case cred != nil && u.Scheme != "https":
		return nil, fmt.Errorf("endpoint %q: tokens are only sent over https", cfg.endpoint)
	case cfg.lookback <= 0 || cfg.max <= 0:
		return nil, errors.New("lookback and max entries must be positive")
	}
	opts2 := &azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azquery.ServiceNameLogs: {Audience: audience(u), Endpoint: cfg.endpoint},
		}},
		Retry: policy.RetryOptions{MaxRetries: int32(cfg.retries), MaxRetryDelay: cfg.retryMax},
	}}
	if cfg.retries <= 0 {
		opts2.Retry.MaxRetries = -1 // azcore reads 0 as "the default, 3"
	}
	if cfg.httpClient != nil {
		opts2.Transport = cfg.httpClient
	}
	lc, err := azquery.NewLogsClient(cred, opts2)
	if err != nil {
		return nil, fmt.Errorf("logs query client: %w", err)
	}
	return &Client{logs: lc, workspaceID: workspaceID, endpoint: cfg.endpoint, log: cfg.logger.With("component", "workspace"),
		now: cfg.now, lookback: cfg.lookback, max: cfg.max}, nil
}

// WorkspaceID is the workspace the client reads.
func (c *Client) WorkspaceID() string { return c.workspaceID }

// Lookback is how far back searches go.
func (c *Client) Lookback() time.Duration { return c.lookback }

// audience is the token audience for an endpoint: its origin, except that
// the public cloud's alternative host takes the main one's audience.
func audience(u *url.URL) string {
	if strings.EqualFold(u.Hostname(), "api.loganalytics.azure.com") {
		return "https://api.loganalytics.io"
	}
	return u.Scheme + "://" + u.Host
}

// loopback reports whether host is localhost or a loopback address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// guid reports whether s is a GUID.
func guid(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}

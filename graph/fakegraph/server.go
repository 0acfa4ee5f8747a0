package fakegraph

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Server is a fake Microsoft Graph. It serves a [Tenant] over HTTP under
// /v1.0/ (and /beta/ for synchronization secrets) with Graph's wire
// format: bodies, headers, error codes, paging and throttling.
//
// It is safe for concurrent use.
type Server struct {
	cat      *catalog
	now      func() time.Time
	pageSize int
	logger   *slog.Logger
	throttle *throttle
	actions  *actionsState
	faults   faultSet
	reqs     requestLog
	routes   []route
	idx      indexCache

	mu     sync.RWMutex // guards tenant
	tenant *Tenant

	inFlight    atomic.Int64
	maxInFlight atomic.Int64

	done      chan struct{} // closed by Close: releases hung requests
	closeOnce sync.Once
	startMu   sync.Mutex // guards httpSrv and url
	httpSrv   *http.Server
	url       string
}

// config is what the options set.
type config struct {
	now            func() time.Time
	pageSize       int
	throttleLimit  int
	throttleWindow time.Duration
	logger         *slog.Logger
	onDemandDelay  time.Duration
}

// Option configures a Server.
type Option func(*config)

// WithNow sets the clock used for relative times, the throttling window
// and error dates. The default is time.Now.
func WithNow(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithPageSize sets the page size used when a request has no $top. The
// default is 100.
func WithPageSize(n int) Option { return func(c *config) { c.pageSize = n } }

// WithThrottle sets the reporting throttle: at most limit requests to
// /auditLogs per window, per Authorization header value. Graph's limit
// is 5 requests per 10 seconds per app per tenant for the identity and
// access reports service
// (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-reports-service-limits),
// which is the default. A limit of 0 or less disables throttling.
func WithThrottle(limit int, window time.Duration) Option {
	return func(c *config) { c.throttleLimit, c.throttleWindow = limit, window }
}

// WithLogger logs every request at debug level. Authorization values are
// never logged.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// New returns a server for a copy of t. Relative times ("{{now-2h}}")
// left in t are resolved against the server's clock now. New panics if t
// cannot be copied or holds a malformed relative time or an object
// without an id: that is a broken fixture, not a runtime condition.
//
// The server does not listen until [Server.Start] or [Server.StartListener];
// [Server.Handler] can be mounted anywhere instead.
func New(t *Tenant, opts ...Option) *Server {
	cfg := config{now: time.Now, pageSize: 100, throttleLimit: 5, throttleWindow: 10 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.pageSize < 1 {
		cfg.pageSize = 100
	}
	if t == nil {
		t = &Tenant{}
	}
	copyT, err := t.clone()
	if err != nil {
		panic(fmt.Sprintf("fakegraph: %v", err))
	}
	if err := copyT.expandTimes(cfg.now()); err != nil {
		panic(fmt.Sprintf("fakegraph: %v", err))
	}
	if err := copyT.validate(); err != nil {
		panic(fmt.Sprintf("fakegraph: %v", err))
	}
	s := &Server{
		cat:      newCatalog(),
		now:      cfg.now,
		pageSize: cfg.pageSize,
		logger:   cfg.logger,
		tenant:   copyT,
		done:     make(chan struct{}),
	}
	if cfg.throttleLimit > 0 && cfg.throttleWindow > 0 {
		s.throttle = newThrottle(cfg.throttleLimit, cfg.throttleWindow)
	}
	s.actions = newActionsState(cfg.onDemandDelay)
	s.routes = append(s.routeTable(), s.actionRoutes()...)
	return s
}

// TB is the part of testing.TB that NewTestServer uses; *testing.T and
// *testing.B satisfy it. The package does not import testing, so that the
// binary serving the demo does not link it.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// NewTestServer starts a server for t on a loopback port and closes it
// when the test ends.
func NewTestServer(tb TB, t *Tenant, opts ...Option) *Server {
	tb.Helper()
	s := New(t, opts...)
	if err := s.Start(); err != nil {
		tb.Fatalf("fakegraph: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Handler returns the server's HTTP handler, for mounting it on another
// server (httptest.NewServer(s.Handler()) works).
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Start listens on a free loopback port and serves in the background.
func (s *Server) Start() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	return s.StartListener(l)
}

// StartListener serves on l in the background until [Server.Close]. The
// demo uses it with its own loopback listener.
func (s *Server) StartListener(l net.Listener) error {
	s.startMu.Lock()
	defer s.startMu.Unlock()
	if s.httpSrv != nil {
		return errors.New("fakegraph: server already started")
	}
	select {
	case <-s.done:
		return errors.New("fakegraph: server closed")
	default:
	}
	s.httpSrv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + l.Addr().String()
	srv := s.httpSrv
	go func() { _ = srv.Serve(l) }()
	return nil
}

// URL is the server's base URL without a version, such as
// "http://127.0.0.1:41234"; the Graph base URL of a client is
// URL()+"/v1.0". It is empty before Start.
func (s *Server) URL() string {
	s.startMu.Lock()
	defer s.startMu.Unlock()
	return s.url
}

// Close stops the server and releases requests held by a [Hang] fault.
// It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.startMu.Lock()
		srv := s.httpSrv
		s.startMu.Unlock()
		if srv != nil {
			_ = srv.Close()
		}
	})
}

// Update changes the served data under the server's lock, for tests that
// need new log entries or members to appear while a client runs. Objects
// added here are served as they are: relative times are not resolved.
func (s *Server) Update(fn func(t *Tenant)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idx.reset()
	fn(s.tenant)
}

// MaxInFlight is the largest number of requests the server was handling at
// the same moment since it started or since [Server.Reset].
func (s *Server) MaxInFlight() int { return int(s.maxInFlight.Load()) }

// Reset forgets the request log, the in-flight maximum and the throttling
// windows (the reporting and the on-demand ones). Faults stay; see [Server.ClearFaults].
func (s *Server) Reset() {
	s.reqs.reset()
	s.maxInFlight.Store(s.inFlight.Load())
	if s.throttle != nil {
		s.throttle.reset()
	}
	s.actions.limit.reset()
}

// Requests returns a copy of the request log, oldest first. The log keeps
// the latest 10,000 requests.
func (s *Server) Requests() []Request { return s.reqs.all() }

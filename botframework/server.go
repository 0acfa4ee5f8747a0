package botframework

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Server defaults.
const (
	// DefaultMaxBodyBytes caps an inbound activity.
	DefaultMaxBodyBytes = 256 << 10
	// DefaultTurnTimeout bounds OnActivity.
	DefaultTurnTimeout = 60 * time.Second
	// DefaultInvokeTimeout bounds OnInvoke, well under Teams' 15 s limit.
	DefaultInvokeTimeout = 10 * time.Second
	// DefaultMaxQueuedTurns bounds the activities waiting for a turn.
	DefaultMaxQueuedTurns = 10000
)

// Options are the dependencies and limits of a [Server].
type Options struct {
	// ListenAddr is the address the HTTP server listens on (host:port).
	// When authentication is disabled it must be a loopback address.
	ListenAddr string
	// Logger is required; the server adds "component"="bot".
	Logger *slog.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// HTTPClient sends outbound requests: OpenID metadata and keys, the bot
	// token, the Bot Connector. Default: clients with timeouts.
	HTTPClient *http.Client
	// TokenSource, when set, replaces the bot token source the Config
	// describes (tests and the demo). Ignored when authentication is
	// disabled: then no token is ever sent.
	TokenSource TokenSource
	// Retry bounds the Bot Connector retries.
	Retry RetryPolicy
	// MaxBodyBytes caps an inbound request body (413 above). Default
	// [DefaultMaxBodyBytes].
	MaxBodyBytes int64
	// TurnTimeout bounds each OnActivity call. Default [DefaultTurnTimeout].
	TurnTimeout time.Duration
	// InvokeTimeout bounds each OnInvoke call. Default [DefaultInvokeTimeout].
	InvokeTimeout time.Duration
	// MaxConcurrentTurns bounds the OnActivity calls working at once; the
	// others wait in arrival order, so that a burst of work never delays
	// the acknowledgements. A call waiting for another service through
	// [Idle] (the Bot Connector, Graph through [IdleTransport]) does not
	// count. Default: one less than the number of CPUs Go uses
	// (GOMAXPROCS - 1, at least 1), which keeps a CPU for the
	// acknowledgements (BENCHMARKS.md); negative means no bound (every
	// call at once).
	MaxConcurrentTurns int
	// MaxQueuedTurns bounds the activities waiting for a turn; above it the
	// server answers 503 with Retry-After. Default [DefaultMaxQueuedTurns].
	MaxQueuedTurns int
}

// Server is the bot's Bot Framework endpoint: it authenticates inbound
// activities, acknowledges them, dispatches them to a [Handler] and gives
// the handler a [Turn] to answer through the Bot Connector.
type Server struct {
	handler       Handler
	listenAddr    string
	auth          *authenticator
	connector     *Connector
	logger        *slog.Logger
	now           func() time.Time
	maxBodyBytes  int64
	turnTimeout   time.Duration
	invokeTimeout time.Duration
	engine        *gin.Engine
	pool          *turnPool // nil: every turn at once

	mu       sync.Mutex
	closing  bool
	inflight sync.WaitGroup
	// stop is cancelled when a graceful shutdown runs out of time; every
	// turn's context is cancelled with it.
	stop       context.Context
	cancelStop context.CancelFunc
}

// NewServer validates cfg and builds a Server that dispatches to h. It
// refuses to run without authentication (empty MicrosoftAppId) unless
// o.ListenAddr is a loopback address.
func NewServer(cfg Config, h Handler, o Options) (*Server, error) {
	if h == nil {
		return nil, errors.New("bot: handler is required")
	}
	if o.Logger == nil {
		return nil, errors.New("bot: Options.Logger is required")
	}
	if err := cfg.validate(o.TokenSource == nil); err != nil {
		return nil, err
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	logger := o.Logger.With("component", "bot")
	trusted := &TrustedServiceURLs{}
	auth, err := newAuthenticator(cfg, authOptions{
		ListenAddr: o.ListenAddr,
		HTTPClient: o.HTTPClient,
		Logger:     o.Logger,
		Now:        now,
		Trusted:    trusted,
	})
	if err != nil {
		return nil, err
	}
	var tokens TokenSource
	if !cfg.AuthDisabled() {
		tokens = o.TokenSource
		if tokens == nil {
			tokens, err = newConfigTokenSource(cfg, o.HTTPClient, o.Logger.With("component", "bot.token"), now)
			if err != nil {
				return nil, err
			}
		}
	}
	connector, err := NewConnector(ConnectorOptions{
		HTTPClient:  o.HTTPClient,
		TokenSource: tokens,
		Trusted:     trusted,
		Retry:       o.Retry,
		Logger:      o.Logger,
		Now:         now,
	})
	if err != nil {
		return nil, err
	}
	s := &Server{
		handler:       h,
		listenAddr:    o.ListenAddr,
		auth:          auth,
		connector:     connector,
		logger:        logger,
		now:           now,
		maxBodyBytes:  o.MaxBodyBytes,
		turnTimeout:   o.TurnTimeout,
		invokeTimeout: o.InvokeTimeout,
	}
	if s.maxBodyBytes <= 0 {
		s.maxBodyBytes = DefaultMaxBodyBytes
	}
	if s.turnTimeout <= 0 {
		s.turnTimeout = DefaultTurnTimeout
	}
	if s.invokeTimeout <= 0 {
		s.invokeTimeout = DefaultInvokeTimeout
	}
	if o.MaxConcurrentTurns >= 0 {
		size := o.MaxConcurrentTurns
		if size == 0 {
			size = max(runtime.GOMAXPROCS(0)-1, 1)
		}
		queue := o.MaxQueuedTurns
		if queue <= 0 {
			queue = DefaultMaxQueuedTurns
		}
		s.pool = newTurnPool(size, queue)
	}
	s.stop, s.cancelStop = context.WithCancel(context.Background())
	s.engine = s.routes()
	return s, nil
}

// Handler returns the HTTP handler: POST /api/messages (the messaging
// endpoint) and GET /healthz.
func (s *Server) Handler() http.Handler { return s.engine }

// Ready reports whether the server can authenticate activities: with
// authentication on, the Bot Connector's signing keys must be loaded (it
// fetches them when they are not). It is what a readiness probe asks.
func (s *Server) Ready(ctx context.Context) error {
	if s.auth.Disabled() {
		return nil
	}
	if err := s.auth.channelKeys.ensure(ctx); err != nil {
		return fmt.Errorf("load bot signing keys: %w", err)
	}
	return nil
}

// Connector returns the Bot Connector client, for proactive messages
// ([Connector.Send]).
func (s *Server) Connector() *Connector { return s.connector }

// Shutdown stops accepting activities (later requests get 503) and waits
// for the turns in flight, including background OnActivity calls. If ctx
// ends first, it cancels their contexts and returns ctx's error. Call it
// after http.Server.Shutdown has stopped new connections.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		s.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.cancelStop()
		return ctx.Err()
	}
}

// begin registers work in flight; it returns false once shutting down.
func (s *Server) begin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.inflight.Add(1)
	return true
}

// turnContext derives a context with timeout d that is cancelled when a
// shutdown runs out of time.
func (s *Server) turnContext(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, d)
	stop := context.AfterFunc(s.stop, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}

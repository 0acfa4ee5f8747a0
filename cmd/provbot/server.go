package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/internal/logsafe"
	"github.com/provbot/provbot/store"
	"github.com/provbot/provbot/workspace"
)

// appServer is provbot's HTTP server: the Bot Framework endpoint plus the
// operational endpoints (and the demo's page and connector).
type appServer struct {
	listener net.Listener
	http     *http.Server
	bot      *botframework.Server
	graph    *graph.Client
	store    store.Store // nil: none
	pollers  *pollers    // nil: none
	metrics  *metrics
	logger   *slog.Logger

	readyMu  sync.Mutex
	warmedAt time.Time
	ready    *readiness
}

// serverParts are what buildServer assembles.
type serverParts struct {
	listener   net.Listener
	botConfig  botframework.Config
	botOptions botframework.Options
	graph      *graph.Client
	// workspace reads older history from Log Analytics; nil when none is
	// configured.
	workspace *workspace.Client
	// store keeps the state that outlives a request; nil when none.
	store           store.Store
	metrics         *metrics
	logger          *slog.Logger
	now             func() time.Time
	helpDeskContact string
	// tenantID is the Entra tenant whose directory Graph reads, when
	// known: people from other tenants get nothing about it.
	tenantID string
	// extra registers more routes (the demo's).
	extra func(mux *http.ServeMux)
	// pollers, when set with a store, runs the watch and alert pollers
	// (on the replica that holds their lease).
	pollers *pollerSettings
}

// maxHeaderBytes caps a request's headers: a Bot Framework token is a few
// kilobytes, so anything near Go's default of 1 MiB is an attack (431).
const maxHeaderBytes = 64 << 10

// logOptions are the handler options of every logger provbot builds: the
// level, and every value capped to a few hundred bytes (logsafe), so that a
// request cannot write megabytes of log with a forged kid or id.
func logOptions(level slog.Leveler) *slog.HandlerOptions {
	return &slog.HandlerOptions{Level: level, ReplaceAttr: logsafe.ReplaceAttr}
}

// buildServer wires the conversation, the bot server and the routes.
func buildServer(p serverParts) (*appServer, error) {
	m := p.metrics
	conv, err := bot.NewConversation(bot.ConversationConfig{
		Directory:       directoryFor(p.graph, p.workspace),
		Logger:          p.logger,
		Audit:           p.logger.With("audit", true),
		Now:             p.now,
		HelpDeskContact: p.helpDeskContact,
		TenantID:        p.tenantID,
		State:           p.store,
		LookupContext:   lookupHooks,
		OnLookup:        m.lookedUp,
		OnAnswered:      m.answered,
		Actions:         actionState(p.store),
	})
	if err != nil {
		return nil, err
	}
	opts := p.botOptions
	opts.ListenAddr = p.listener.Addr().String()
	opts.Logger = p.logger
	opts.Now = p.now
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 30 * time.Second, Transport: connectorTransport{base: http.DefaultTransport, m: m}}
	}
	bs, err := botframework.NewServer(p.botConfig, conv, opts)
	if err != nil {
		return nil, err
	}
	s := &appServer{listener: p.listener, bot: bs, graph: p.graph, store: p.store, metrics: m, logger: p.logger}
	if p.store != nil && p.pollers != nil {
		if s.pollers, err = newPollers(p.store, directoryFor(p.graph, p.workspace), bs.Connector(), *p.pollers, p.now, p.logger); err != nil {
			return nil, err
		}
	}
	s.ready = &readiness{check: s.checkReady, now: p.now}
	mux := http.NewServeMux()
	mux.Handle("/api/messages", bs.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", m.handler())
	if p.extra != nil {
		p.extra(mux)
	}
	s.http = &http.Server{
		Handler:           mux,
		MaxHeaderBytes:    maxHeaderBytes,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(p.logger.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// readyz answers whether provbot can work: Graph credentials usable (the
// app catalogue loads), the bot's signing keys loaded and the state store
// answering. It serves the
// cached result of checkReady and never quotes an upstream error.
func (s *appServer) readyz(w http.ResponseWriter, r *http.Request) {
	problems, err := s.ready.problems(r.Context())
	if err != nil {
		return // the caller went away
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if len(problems) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		for _, p := range problems {
			fmt.Fprintln(w, p)
		}
		return
	}
	fmt.Fprintln(w, "ready")
}

// checkReady builds the app catalogue if it has not been built yet and
// checks the bot's signing keys. What fails is logged with its cause;
// what it returns names the part only.
func (s *appServer) checkReady(ctx context.Context) []string {
	var problems []string
	s.readyMu.Lock()
	warm := !s.warmedAt.IsZero()
	s.readyMu.Unlock()
	if !warm {
		if err := s.graph.Warm(ctx); err != nil {
			s.logger.Warn("not ready: the app catalogue could not be built", "err", err)
			problems = append(problems, "graph: Microsoft Graph could not be read (the server's log says why)")
		} else {
			s.readyMu.Lock()
			s.warmedAt = time.Now()
			s.readyMu.Unlock()
		}
	}
	if err := s.bot.Ready(ctx); err != nil {
		s.logger.Warn("not ready: the bot's signing keys could not be loaded", "err", err)
		problems = append(problems, "bot: the Bot Connector's signing keys could not be loaded (the server's log says why)")
	}
	if s.store != nil {
		if err := s.store.Ping(ctx); err != nil {
			s.logger.Warn("not ready: the state store does not answer", "err", err)
			problems = append(problems, "store: the state store does not answer (the server's log says why)")
		}
	}
	return problems
}

// serve runs until ctx ends, then shuts down gracefully: it stops taking
// requests and waits (up to 30 s) for answers in flight.
func (s *appServer) serve(ctx context.Context) error {
	go func() {
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := s.graph.Warm(wctx); err != nil {
			s.logger.Warn("warm the app catalogue", "err", err)
			return
		}
		s.readyMu.Lock()
		s.warmedAt = time.Now()
		s.readyMu.Unlock()
		s.ready.invalidate()
	}()
	if s.pollers != nil {
		pctx, stop := context.WithCancel(ctx)
		s.pollers.start(pctx)
		defer func() { stop(); s.pollers.wait() }()
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.listener) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.logger.Info("shutting down: finishing answers in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	herr := s.http.Shutdown(sctx)
	berr := s.bot.Shutdown(sctx)
	if err := errors.Join(herr, berr); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	s.logger.Info("stopped")
	return nil
}

// runServe is `provbot serve`: the production Teams bot server.
func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "serve", "[--addr HOST:PORT]")
	var addr string
	fs.StringVar(&addr, "addr", "", "listen `address` (default :$PORT, else :3978)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	cfg, err := loadServeConfig(e.getenv, addr)
	if err != nil {
		return fmt.Errorf("invalid configuration:\n%w", err)
	}
	logger := slog.New(slog.NewJSONHandler(e.stderr, logOptions(cfg.LogLevel))).With("service", "provbot")
	polling, errs := loadPollerSettings(e.getenv)
	if len(errs) > 0 {
		return fmt.Errorf("invalid configuration:\n%w", errors.Join(errs...))
	}
	m := newMetrics()
	st, err := openStore(ctx, cfg.Store, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	shared, err := sharedGraph(cfg.Store, st)
	if err != nil {
		return err
	}
	gc, err := newGraphClient(graphSettings{URL: cfg.GraphURL, Auth: cfg.GraphAuth, HelpDeskGroups: cfg.HelpDeskGroups, AdminGroups: cfg.AdminGroups},
		logger, graphObserver{m}, shared...)
	if err != nil {
		return err
	}
	ws, err := newWorkspaceClient(cfg.Workspace, logger, e.now, nil)
	if err != nil {
		return err
	}
	botCfg := cfg.Bot
	if botCfg.Credential, err = botCredential(cfg); err != nil {
		return err
	}
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("--addr/PORT: %w", err)
	}
	srv, err := buildServer(serverParts{listener: l, botConfig: botCfg, graph: gc, workspace: ws, store: st, metrics: m, logger: logger,
		now: e.now, helpDeskContact: cfg.HelpDeskContact, tenantID: directoryTenant(e.getenv, botCfg.AllowedTenantIds), pollers: &polling})
	if err != nil {
		l.Close()
		return err
	}
	logger.Info("listening", "addr", l.Addr().String(), "graph", cfg.GraphURL, "auth", !botCfg.AuthDisabled(),
		"help_desk_groups", len(cfg.HelpDeskGroups), "admin_groups", len(cfg.AdminGroups), "tenants", tenantsChoice(cfg), "log_analytics_workspace", cfg.Workspace.ID, "store", st.Describe(),
		"shared_reporting_budget", len(shared) > 0)
	return srv.serve(ctx)
}

// directoryTenant is the tenant whose directory serve reads: the Graph
// credential's AZURE_TENANT_ID, else the one tenant PROVBOT_TENANTS allows;
// "" when neither says.
func directoryTenant(getenv func(string) string, allowed []string) string {
	if t := strings.TrimSpace(getenv("AZURE_TENANT_ID")); t != "" {
		return t
	}
	if len(allowed) == 1 && allowed[0] != "*" {
		return allowed[0]
	}
	return ""
}

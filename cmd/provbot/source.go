package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/workspace"
)

// sourceFlags are the data-source flags of diagnose, status and logs.
type sourceFlags struct {
	demo    bool
	logs    string
	job     string
	refresh bool
	// history is --source: graph, workspace or both; "" reads Graph and
	// the Log Analytics workspace when Graph cannot explain the state.
	history string
}

func (s *sourceFlags) register(fs *flag.FlagSet, withFiles bool) {
	fs.BoolVar(&s.demo, "demo", false, "use the embedded demo tenant instead of live Microsoft Graph")
	if withFiles {
		fs.StringVar(&s.logs, "logs", "", "read provisioning logs from a `path` instead of Graph: the portal's CSV download (ProvisioningLogs.csv, joined with the two files beside it), "+
			"its JSON download, a Graph response or JSON array, or a folder or .zip holding a download")
		fs.StringVar(&s.job, "job", "", "with --logs: read the app's provisioning job from a `file` (one job, or a Graph list of jobs)")
	}
	fs.BoolVar(&s.refresh, "refresh", false, "bypass caches")
}

// registerHistory adds --source, for the commands that read log entries.
func (s *sourceFlags) registerHistory(fs *flag.FlagSet) {
	fs.StringVar(&s.history, "source", "", "where log entries come from: `graph`, workspace (the Log Analytics workspace of PROVBOT_LOG_ANALYTICS_WORKSPACE) or both; "+
		"default: Graph, and the workspace too when Graph's 30 days cannot explain the state")
}

func (s sourceFlags) validate() error {
	switch {
	case s.demo && s.logs != "":
		return usageError("--demo and --logs cannot be used together")
	case s.job != "" && s.logs == "":
		return usageError("--job needs --logs")
	case s.history != "" && s.logs != "":
		return usageError("--source does not apply to --logs files")
	}
	if _, err := parseSourceMode(s.history); err != nil {
		return err
	}
	return nil
}

// source is where a command reads provisioning data: live Graph, the demo
// tenant, or saved files.
type source struct {
	// client reads Graph (live or the demo's fake); nil for files.
	client *graph.Client
	// entries and jobs come from files (client nil).
	entries  []diagnose.Entry
	jobs     []diagnose.Job
	haveJobs bool
	// demo is the in-process fake Graph, when --demo.
	demo *fakegraph.Server
	// ws reads the Log Analytics workspace; nil when none is configured.
	ws *workspace.Client
	// mode is --source.
	mode  workspace.Mode
	close func()
}

// Close releases the source.
func (s *source) Close() {
	if s.close != nil {
		s.close()
	}
}

// openSource opens the data source the flags ask for.
func openSource(ctx context.Context, e env, f sourceFlags, logger *slog.Logger) (*source, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	var (
		src *source
		err error
	)
	switch {
	case f.logs != "":
		return openFiles(e, f)
	case f.demo:
		src, err = openDemoGraph(e, logger)
		if err == nil {
			err = src.openDemoWorkspace(ctx, e)
		}
	default:
		src, err = openLiveGraph(e, logger)
		if err == nil {
			err = src.openLiveWorkspace(e, logger)
		}
	}
	if err != nil {
		if src != nil {
			src.Close()
		}
		return nil, err
	}
	src.mode, _ = parseSourceMode(f.history)
	if src.ws == nil && (src.mode == workspace.ModeWorkspace || src.mode == workspace.ModeBoth) {
		src.Close()
		return nil, usageError("--source %s needs a Log Analytics workspace: set PROVBOT_LOG_ANALYTICS_WORKSPACE to its workspace id", src.mode)
	}
	return src, nil
}

// openDemoWorkspace adds the demo's Log Analytics workspace.
func (s *source) openDemoWorkspace(ctx context.Context, e env) error {
	ws, stop, err := startDemoWorkspace(ctx, e, s.client)
	if err != nil {
		return err
	}
	prev := s.close
	s.ws, s.close = ws, func() {
		stop()
		if prev != nil {
			prev()
		}
	}
	return nil
}

// openLiveWorkspace adds the configured Log Analytics workspace, if any.
func (s *source) openLiveWorkspace(e env, logger *slog.Logger) error {
	ws, errs := loadWorkspaceSettings(e.getenv)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	c, err := newWorkspaceClient(ws, logger, e.now, nil)
	if err != nil {
		return err
	}
	s.ws = c
	return nil
}

// openFiles reads saved logs (and a job), and says on stderr what it
// read: how many entries, from which files, which columns were missing.
func openFiles(e env, f sourceFlags) (*source, error) {
	entries, read, err := graph.ReadLogPath(f.logs)
	if err != nil {
		return nil, fmt.Errorf("--logs %s: %w", f.logs, err)
	}
	fmt.Fprintln(e.stderr, read.String())
	s := &source{entries: entries}
	if f.job != "" {
		jh, err := os.Open(f.job)
		if err != nil {
			return nil, fmt.Errorf("--job: %w", err)
		}
		defer jh.Close()
		if s.jobs, err = graph.ReadJobs(jh); err != nil {
			return nil, fmt.Errorf("--job %s: %w", f.job, err)
		}
		s.haveJobs = true
	}
	return s, nil
}

// openDemoGraph starts the fake Graph with the demo tenant on loopback.
func openDemoGraph(e env, logger *slog.Logger) (*source, error) {
	srv, err := startDemoGraph(e, logger)
	if err != nil {
		return nil, err
	}
	c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", graph.WithLogger(logger), graph.WithNow(e.now),
		graph.WithHelpDeskGroups(fakegraph.DemoHelpDeskGroupID), graph.WithAdminGroups(demoAdminGroups()...))
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("demo graph client: %w", err)
	}
	return &source{client: c, demo: srv, close: srv.Close}, nil
}

// startDemoGraph serves the demo tenant on a loopback port.
func startDemoGraph(e env, logger *slog.Logger) (*fakegraph.Server, error) {
	tenant, err := fakegraph.DemoTenant(e.now())
	if err != nil {
		return nil, fmt.Errorf("load demo tenant: %w", err)
	}
	srv := fakegraph.New(tenant, fakegraph.WithNow(e.now), fakegraph.WithLogger(logger))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo graph listener: %w", err)
	}
	if err := srv.StartListener(l); err != nil {
		return nil, fmt.Errorf("start demo graph: %w", err)
	}
	return srv, nil
}

// graphSettings are the Graph connection settings shared by every command.
type graphSettings struct {
	URL            string
	Auth           string
	HelpDeskGroups []string
	// AdminGroups may restart provisioning jobs (PROVBOT_ADMIN_GROUPS).
	AdminGroups []string
}

// openLiveGraph connects to Microsoft Graph with the configured
// credentials.
func openLiveGraph(e env, logger *slog.Logger) (*source, error) {
	gs, errs := loadGraphSettings(e.getenv)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	c, err := newGraphClient(gs, logger, nil)
	if err != nil {
		return nil, err
	}
	return &source{client: c}, nil
}

// newGraphClient builds the Graph client from the settings.
func newGraphClient(gs graphSettings, logger *slog.Logger, obs graph.Observer, extra ...graph.Option) (*graph.Client, error) {
	opts := append([]graph.Option{graph.WithLogger(logger), graph.WithHelpDeskGroups(gs.HelpDeskGroups...), graph.WithAdminGroups(gs.AdminGroups...)}, graphIdleOptions()...)
	if obs != nil {
		opts = append(opts, graph.WithObserver(obs))
	}
	opts = append(opts, extra...)
	if gs.Auth == "none" {
		c, err := graph.NewUnauthenticated(gs.URL, opts...)
		if err != nil {
			return nil, fmt.Errorf("PROVBOT_GRAPH_URL: %w", err)
		}
		return c, nil
	}
	cred, err := graphCredential()
	if err != nil {
		return nil, err
	}
	c, err := graph.New(cred, append(opts, graph.WithBaseURL(gs.URL))...)
	if err != nil {
		return nil, fmt.Errorf("graph client: %w", err)
	}
	return c, nil
}

// userFromEntries finds a user in saved entries by object id, UPN or
// name, for the offline commands.
func userFromEntries(entries []diagnose.Entry, ref string) (diagnose.User, []diagnose.User, error) {
	seen := map[string]diagnose.User{}
	var order []string
	want := strings.ToLower(strings.TrimSpace(ref))
	for _, e := range entries {
		s := e.Source
		if s.IsGroup() || s.ID == "" {
			continue
		}
		upn := e.SourceUPN()
		match := strings.EqualFold(s.ID, want) || upn != "" && strings.EqualFold(upn, want) ||
			s.DisplayName != "" && (strings.EqualFold(s.DisplayName, want) || strings.HasPrefix(strings.ToLower(s.DisplayName), want))
		if !match {
			continue
		}
		if _, ok := seen[s.ID]; !ok {
			order = append(order, s.ID)
			// Only what the entries hold: the directory (enabled, guest,
			// deleted) is not read offline.
			seen[s.ID] = diagnose.User{ObjectID: s.ID, UPN: upn, DisplayName: s.DisplayName}
		} else if u := seen[s.ID]; u.UPN == "" && upn != "" {
			u.UPN = upn
			seen[s.ID] = u
		}
	}
	switch len(order) {
	case 0:
		return diagnose.User{}, nil, fmt.Errorf("no user matching %q in the log file: %w", ref, diagnose.ErrNotFound)
	case 1:
		return seen[order[0]], nil, nil
	default:
		var cands []diagnose.User
		for _, id := range order {
			cands = append(cands, seen[id])
		}
		return diagnose.User{}, cands, errAmbiguous
	}
}

// errAmbiguous means several people match a reference.
var errAmbiguous = errors.New("several people match")

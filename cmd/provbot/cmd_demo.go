package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/store/sqlite"
	"github.com/provbot/provbot/workspace/lafake"
)

// demoBot is the bot account the demo page talks to.
var demoBot = map[string]string{"id": "28:provbot", "name": "provbot"}

// runDemo is `provbot demo`: the fake Graph with the demo tenant, the bot
// server with authentication off (loopback only), the chat page and a local
// connector, all in this process. Every message travels the production
// path: POST /api/messages, the conversation, Graph over HTTP, the reply
// through the connector REST API.
func runDemo(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "demo", "[--addr 127.0.0.1:3978]")
	var addr string
	fs.StringVar(&addr, "addr", "", "loopback listen `address` (default 127.0.0.1:3978, or a free port when that is taken)")
	fs.StringVar(&addr, "a", "", "shorthand for --addr")
	var verbose bool
	fs.BoolVar(&verbose, "v", false, "log every request")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	l, err := demoListener(addr)
	if err != nil {
		return err
	}
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	src, err := openDemoGraph(e, logger)
	if err == nil {
		if err = src.openDemoWorkspace(ctx, e); err != nil {
			src.Close()
		}
	}
	if err != nil {
		l.Close()
		return err
	}
	defer src.Close()
	// The demo's state lives in memory: its tenant is made up anew each run.
	st, err := openStore(ctx, storeSettings{Kind: "sqlite", Path: sqlite.Memory}, logger)
	if err != nil {
		l.Close()
		return err
	}
	defer st.Close()

	base := "http://" + l.Addr().String()
	lc := newLocalConnector()
	srv, err := buildServer(serverParts{
		listener: l, graph: src.client, workspace: src.ws, store: st, metrics: newMetrics(), logger: logger, now: e.now,
		helpDeskContact: "the Contoso help desk (Megan Bowen in this demo)",
		extra: func(mux *http.ServeMux) {
			mux.Handle("/connector/", lc.connectorHandler())
			mux.Handle("GET /demo/conversations/", lc.pollHandler())
			mux.Handle("GET /demo/cast", castHandler(base+"/connector/"))
			page := demoPageHandler()
			mux.Handle("/", page)
		},
	})
	if err != nil {
		l.Close()
		return err
	}
	fmt.Fprintf(e.stdout, "provbot demo is running at %s/\n", base)
	fmt.Fprintf(e.stdout, "Pick who you are on the left and ask a question. Press Ctrl+C to stop.\n")
	return srv.serve(ctx)
}

// demoListener listens on a loopback address: the one asked for, else
// 127.0.0.1:3978, else any free port.
func demoListener(addr string) (net.Listener, error) {
	if addr != "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, usageError("--addr %q is not host:port", addr)
		}
		if !isLoopbackHost(host) {
			return nil, usageError("--addr must be a loopback address: the demo runs without authentication")
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("--addr: %w", err)
		}
		return l, nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:3978")
	if errors.Is(err, syscall.EADDRINUSE) {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	return l, nil
}

// castHandler serves GET /demo/cast: who the visitor can be, and where the
// page should say the bot's connector is.
func castHandler(serviceURL string) http.Handler {
	type member struct {
		Name     string `json:"name"`
		UPN      string `json:"upn"`
		ObjectID string `json:"objectId"`
		Role     string `json:"role"`
		App      string `json:"app"`
		Story    string `json:"story"`
		Question string `json:"question"`
		Expected string `json:"expectedCategory"`
	}
	var cast []member
	// The demo's Log Analytics workspace changes the stories of the people
	// it holds older history for.
	older := map[string]lafake.Story{}
	for _, s := range lafake.DemoStories() {
		older[strings.ToLower(s.UPN)] = s
	}
	for _, c := range fakegraph.DemoCast() {
		role := "end-user"
		if strings.EqualFold(c.Role, fakegraph.RoleHelpDesk) {
			role = "help-desk"
		}
		m := member{Name: c.DisplayName, UPN: c.UPN, ObjectID: c.ObjectID, Role: role, App: c.App,
			Story: sentence(c.Story), Question: c.Question, Expected: c.Category}
		if s, ok := older[strings.ToLower(c.UPN)]; ok {
			m.App, m.Story, m.Question, m.Expected = s.App, sentence(s.Story), s.Question, s.Category
		}
		cast = append(cast, m)
	}
	body, _ := json.Marshal(map[string]any{"cast": cast, "bot": demoBot, "serviceUrl": serviceURL, "tenantId": fakegraph.DemoTenantID})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
	})
}

// sentence starts s with a capital letter.
func sentence(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+utf8.RuneLen(r):]
	}
	return s
}

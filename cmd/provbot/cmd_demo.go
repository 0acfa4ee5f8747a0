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

	"github.com/provbot/provbot/botframework"
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
	logger := slog.New(slog.NewTextHandler(e.stderr, logOptions(level)))
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
	if err := registerDemoChannel(ctx, st, base+"/connector/", e.now()); err != nil {
		l.Close()
		return err
	}
	lc := newLocalConnector()
	var srv *appServer
	cycleRan := func(appID string) {
		if srv != nil && srv.pollers != nil {
			srv.pollers.watches.JobRan(appID)
			srv.pollers.alerts.Wake()
		}
	}
	srv, err = buildServer(serverParts{
		listener: l, graph: src.client, workspace: src.ws, store: st, metrics: newMetrics(), logger: logger, now: e.now,
		helpDeskContact: demoHelpDeskContact(fakegraph.DemoCast()), tenantID: fakegraph.DemoTenantID, pollers: &demoPollers,
		extra: func(mux *http.ServeMux) {
			// The demo's own routes answer only this loopback origin, as
			// the bot endpoint does without authentication (DNS
			// rebinding defence).
			demo := http.NewServeMux()
			demo.Handle("/connector/", lc.connectorHandler())
			demo.Handle("GET /demo/conversations/", lc.pollHandler())
			demo.Handle("GET /demo/cast", castHandler(base+"/connector/"))
			demo.Handle("POST /demo/run-cycle", runCycleHandler(src.demo, e.now, cycleRan))
			demo.Handle("POST /demo/quarantine", quarantineHandler(src.demo, e.now, cycleRan))
			demo.Handle("/", demoPageHandler())
			mux.Handle("/", botframework.LocalOnly(l.Addr().String(), demo))
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

// demoStory is a cast member's story as the demo tells it: the cast
// data's, or, for the people the demo's Log Analytics workspace holds
// older history for, the story that history makes of it.
type demoStory struct {
	fakegraph.CastMember
	// GraphCategory is the verdict from Graph's 30 days alone, when the
	// workspace changes it ("" otherwise).
	GraphCategory string
}

// demoCast returns the demo's cast in DemoCast order, with the stories the
// demo's workspace changes.
func demoCast() []demoStory {
	older := map[string]lafake.Story{}
	for _, s := range lafake.DemoStories() {
		older[strings.ToLower(s.UPN)] = s
	}
	var out []demoStory
	for _, c := range fakegraph.DemoCast() {
		d := demoStory{CastMember: c}
		if s, ok := older[strings.ToLower(c.UPN)]; ok {
			if s.Category != c.Category {
				d.GraphCategory = c.Category
			}
			d.App, d.AppID, d.Category, d.RuleID, d.Story, d.Question = s.App, s.AppID, s.Category, s.RuleID, s.Story, s.Question
		}
		out = append(out, d)
	}
	return out
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
	for _, c := range demoCast() {
		role := "end-user"
		if strings.EqualFold(c.Role, fakegraph.RoleHelpDesk) {
			role = "help-desk"
		}
		cast = append(cast, member{Name: c.DisplayName, UPN: c.UPN, ObjectID: c.ObjectID, Role: role, App: c.App,
			Story: sentence(c.Story), Question: c.Question, Expected: c.Category})
	}
	body, _ := json.Marshal(map[string]any{"cast": cast, "bot": demoBot, "serviceUrl": serviceURL, "tenantId": fakegraph.DemoTenantID,
		"channel": map[string]string{"id": demoChannelID, "name": demoChannelName},
		"roles":   demoRolesText(fakegraph.DemoCast())})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
	})
}

// demoHelpDesk returns the display names of the cast's help-desk agents.
func demoHelpDesk(cast []fakegraph.CastMember) []string {
	var names []string
	for _, c := range cast {
		if strings.EqualFold(c.Role, fakegraph.RoleHelpDesk) {
			names = append(names, c.DisplayName)
		}
	}
	return names
}

// demoHelpDeskContact is whom the demo tells end users to ask about other
// people's accounts: the cast's help-desk agents, the people the page
// lets a visitor be to ask about anyone.
func demoHelpDeskContact(cast []fakegraph.CastMember) string {
	names := demoHelpDesk(cast)
	if len(names) == 0 {
		return "the Contoso help desk"
	}
	return "the Contoso help desk (" + joinNames(names) + " in this demo)"
}

// demoRolesText is the page's line about who may ask about whom.
func demoRolesText(cast []fakegraph.CastMember) string {
	names := demoHelpDesk(cast)
	switch len(names) {
	case 0:
		return "Everyone here is an end user and can ask only about their own accounts."
	case 1:
		return names[0] + " is on the help desk and can ask about anyone. Everyone else is an end user and can ask only about their own accounts."
	default:
		return joinNames(names) + " are on the help desk and can ask about anyone. Everyone else is an end user and can ask only about their own accounts."
	}
}

// joinNames joins names as a sentence does: "A", "A and B", "A, B and C".
func joinNames(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// sentence starts s with a capital letter.
func sentence(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+utf8.RuneLen(r):]
	}
	return s
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework/bftest"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/logtest"
)

// castBot is `provbot demo`'s wiring (the real conversation, the Graph
// adapter over HTTP, the demo tenant in the fake Graph, the demo's Log
// Analytics workspace) behind the real
// Bot Framework endpoint with authentication off, answering through a
// fake Bot Connector. Every question gets its own conversation, so its
// card and its audit line can be told apart.
type castBot struct {
	t         *testing.T
	url       string
	connector *bftest.Connector
	logs      *logtest.Buffer
	seq       atomic.Int64
}

func newCastBot(t *testing.T) *castBot {
	t.Helper()
	now := time.Now()
	tenant, err := fakegraph.DemoTenant(now)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	gsrv := fakegraph.NewTestServer(t, tenant, fakegraph.WithNow(clock), fakegraph.WithThrottle(0, 0))
	logs := &logtest.Buffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	gc, err := graph.NewUnauthenticated(gsrv.URL()+"/v1.0", graph.WithLogger(logger), graph.WithNow(clock),
		graph.WithHelpDeskGroups(fakegraph.DemoHelpDeskGroupID), graph.WithReportBudget(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ws, stopWorkspace, err := startDemoWorkspace(t.Context(), env{now: clock}, gc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopWorkspace)
	srv, err := buildServer(serverParts{listener: l, graph: gc, workspace: ws, metrics: newMetrics(), logger: logger, now: clock,
		helpDeskContact: "the Contoso help desk", tenantID: fakegraph.DemoTenantID})
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.http.Serve(l) }()
	t.Cleanup(func() { _ = srv.http.Close() })
	return &castBot{t: t, url: "http://" + l.Addr().String() + "/api/messages", connector: bftest.NewConnector(t), logs: logs}
}

// castAnswer is what the bot did with one question: its card and the
// verdicts of its audit line ("App=category"), if it looked anything up.
type castAnswer struct {
	card     string
	verdicts []string
	outcome  string
}

// ask sends text from the demo user with object id from and waits for the
// card and the audit line.
func (b *castBot) ask(from, text string) castAnswer {
	b.t.Helper()
	conv := b.post(from, "cast", "text", text)
	a := castAnswer{card: b.replyCard(conv, fmt.Sprintf("%q", text))}
	a.verdicts, a.outcome = b.audit(conv)
	return a
}

// post sends a personal-chat message from the demo user with object id
// from, in a new conversation named after kind, with key (text, or value
// for a button's data) set to v, and returns the conversation's id.
func (b *castBot) post(from, kind, key string, v any) string {
	b.t.Helper()
	conv := fmt.Sprintf("a:%s-%d", kind, b.seq.Add(1))
	body, _ := json.Marshal(map[string]any{
		"type": "message", "id": "m-" + conv, "channelId": "msteams", "serviceUrl": b.connector.URL,
		"from":         map[string]any{"id": "29:" + from, "name": "cast", "aadObjectId": from},
		"conversation": map[string]any{"conversationType": "personal", "id": conv, "tenantId": fakegraph.DemoTenantID},
		"recipient":    map[string]any{"id": "28:provbot", "name": "provbot"},
		key:            v,
		"channelData":  map[string]any{"tenant": map[string]any{"id": fakegraph.DemoTenantID}},
	})
	req, _ := http.NewRequest(http.MethodPost, b.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("POST %s %v: status %d", key, v, resp.StatusCode)
	}
	return conv
}

// replyCard waits for the first card posted in conv and returns it; what
// names the message it answers, for the failure.
func (b *castBot) replyCard(conv, what string) string {
	b.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		for _, c := range b.connector.Calls() {
			if atts, _ := c.Body["attachments"].([]any); c.ConversationID == conv && len(atts) > 0 {
				card, _ := json.Marshal(atts[0].(map[string]any)["content"])
				return string(card)
			}
		}
	}
	b.t.Fatalf("no card for %s", what)
	return ""
}

// audit returns the verdicts and outcome of the conversation's audit line.
func (b *castBot) audit(conv string) ([]string, string) {
	for _, rec := range b.logs.Records("lookup") {
		if rec["conversation_id"] != conv {
			continue
		}
		v, _ := rec["verdict"].(string)
		o, _ := rec["outcome"].(string)
		if v == "" {
			return nil, o
		}
		return strings.Split(v, ","), o
	}
	return nil, ""
}

// castQuestion is one question of the demo's cast data with the verdict
// it must get.
type castQuestion struct {
	who, asker, text, app, category string
	main                            bool // the suggested "Try:" question
}

// castQuestions are every question the demo page, the README and the
// cast data suggest, and the other wordings the cast data lists, each
// with the verdict the cast data gives for the person it asks about; then
// the group stories' questions, asked by the help desk.
func castQuestions(t *testing.T) []castQuestion {
	t.Helper()
	// The cast's stories as the demo tells them (its workspace changes
	// some), then the further ones.
	exps := fakegraph.DemoExpectations()
	for i, d := range demoCast() {
		exps[i].App, exps[i].Category, exps[i].Question = d.App, d.Category, d.Question
	}
	ids := map[string]string{}
	verdicts := map[string]string{}
	for _, e := range exps {
		ids[e.UPN] = e.UserID
		verdicts[e.UserID+"/"+e.App] = e.Category
	}
	var qs []castQuestion
	for _, e := range exps {
		subject := e.UserID
		if e.About != "" {
			subject = ids[e.About]
		}
		category, ok := verdicts[subject+"/"+e.App]
		if !ok {
			t.Fatalf("%s asks about %s in %s, whose verdict the cast data does not give", e.DisplayName, e.About, e.App)
		}
		for i, text := range e.Questions() {
			qs = append(qs, castQuestion{who: e.DisplayName, asker: e.UserID, text: text, app: e.App, category: category, main: i == 0})
		}
	}
	// The help desk asks about the groups.
	var helpDesk fakegraph.CastMember
	for _, c := range fakegraph.DemoCast() {
		if c.Role == fakegraph.RoleHelpDesk {
			helpDesk = c
			break
		}
	}
	if helpDesk.ObjectID == "" {
		t.Fatal("the cast has no help-desk agent to ask about the groups")
	}
	for _, g := range fakegraph.DemoGroupStories() {
		for _, text := range g.Questions() {
			qs = append(qs, castQuestion{who: helpDesk.DisplayName, asker: helpDesk.ObjectID, text: text, app: g.App, category: g.Category})
		}
	}
	return qs
}

// TestEveryCastQuestionGetsItsStory asks every question of the cast data
// as the cast member it belongs to (the demo page's "Try:" chips, the
// README's cast table and the other wordings) and checks that the answer
// is about that app only, with the verdict the cast data names.
func TestEveryCastQuestionGetsItsStory(t *testing.T) {
	b := newCastBot(t)
	qs := castQuestions(t)
	var (
		mu     sync.Mutex
		passed int
		people = map[string]int{}
	)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, q := range qs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			a := b.ask(q.asker, q.text)
			want := q.app + "=" + q.category
			if len(a.verdicts) != 1 || a.verdicts[0] != want {
				t.Errorf("%s asks %q: verdicts %v (%s), want [%s]\ncard: %s", q.who, q.text, a.verdicts, a.outcome, want, a.card)
				return
			}
			mu.Lock()
			passed++
			people[q.who]++
			mu.Unlock()
		})
	}
	wg.Wait()
	t.Logf("%d of %d cast questions got their story", passed, len(qs))

	// The demo page suggests exactly the questions asked here.
	rec := httptest.NewRecorder()
	castHandler("http://127.0.0.1/connector/").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/demo/cast", nil))
	var page struct {
		Cast []struct{ Name, Question string } `json:"cast"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
		t.Fatal(err)
	}
	asked := map[string]bool{}
	for _, q := range qs {
		asked[q.who+": "+q.text] = q.main
	}
	for _, m := range page.Cast {
		if !asked[m.Name+": "+m.Question] {
			t.Errorf("the demo page suggests %q to %s, which is not asked here as their main question", m.Question, m.Name)
		}
	}
	if len(page.Cast) != len(fakegraph.DemoCast()) {
		t.Errorf("the demo page shows %d people, the cast has %d", len(page.Cast), len(fakegraph.DemoCast()))
	}
	for _, e := range fakegraph.DemoCast() {
		if n := len(e.Questions()); n < 2 {
			t.Errorf("%s has %d wordings in the cast data, want the suggested question and at least one other", e.DisplayName, n)
		}
	}
}

// TestDemoAnswersTheWayPeopleAsk asks the demo tenant, through the real
// conversation and Graph adapter, the questions whose answer is not a
// verdict: what the bot could not tell, what it offers instead.
func TestDemoAnswersTheWayPeopleAsk(t *testing.T) {
	b := newCastBot(t)
	cast := map[string]fakegraph.CastMember{}
	for _, c := range fakegraph.DemoCast() {
		cast[c.DisplayName] = c
	}
	helpDesk, adele := cast["Henrietta Mueller"].ObjectID, cast["Adele Vance"].ObjectID
	for _, tc := range []struct {
		name, asker, ask string
		says, never      []string
	}{
		{"a misspelt person gets the closest names", helpDesk, "check Jony Sherman in ServiceNow",
			[]string{"No one is called “Jony Sherman”", "Joni Sherman"}, nil},
		{"a misspelt app is answered, saying which app", adele, "why can't I get into servicenwo?",
			[]string{"Did you mean ServiceNow?", "ServiceNow already has an account that uses one of your details"}, nil},
		{"an app nobody has gets the list of apps", adele, "why can't I get into Notion?",
			[]string{"I don't know an app called “Notion”", "Atlassian Cloud", "Zendesk"}, nil},
		{"an app that only resembles one is offered", adele, "why can't I get into Adobe Photoshop?",
			[]string{"I don't know an app called “Adobe Photoshop”", "Adobe Creative Cloud"}, []string{"✗ Problem"}},
		{"a name of five words is not the asker", adele, "check Maria de los Santos Garcia in ServiceNow",
			[]string{"I could not tell whom you mean"}, []string{"Adele", "ServiceNow already has"}},
		{"stray punctuation is not the asker", helpDesk, "check ??? in ServiceNow",
			[]string{"I could not tell whom you mean"}, []string{"Henrietta"}},
		{"an end user hears an app's status in plain words", adele, "is GitHub down?",
			[]string{"GitHub Enterprise updates are on hold until an admin fixes them"},
			[]string{"EncounteredEscrowProportionThreshold", "Job ID", "Activity ID", "quarantined", "Quarantine"}},
		{"the help desk gets the Current Status panel", helpDesk, "how is GitHub doing",
			[]string{"Job ID", "quarantined"}, nil},
		{"thanks", adele, "thanks!", []string{"You're welcome"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := b.ask(tc.asker, tc.ask)
			for _, s := range tc.says {
				if !strings.Contains(a.card, s) {
					t.Errorf("card lacks %q:\n%s", s, a.card)
				}
			}
			for _, s := range tc.never {
				if strings.Contains(a.card, s) {
					t.Errorf("card shows %q:\n%s", s, a.card)
				}
			}
		})
	}
}

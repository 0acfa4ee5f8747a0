package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/teamsrender"
)

// teamsChat is the production server (JWT-checked Bot Framework requests,
// the real conversation, the Graph adapter over HTTP) against the demo
// tenant's fake Graph and the Bot Framework fakes, to ask questions as
// the cast does and collect the cards the bot answers with.
type teamsChat struct {
	t         *testing.T
	base      string
	issuer    *bftest.Issuer
	connector *bftest.Connector
	appID     string
	seq       atomic.Int64
}

func newTeamsChat(t *testing.T) *teamsChat {
	t.Helper()
	const appID, secret = "9e7d8f2a-1c3b-4d5e-8f90-123456789abc", "cards-test-secret"
	now := time.Now()
	tenant, err := fakegraph.DemoTenant(now)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	graphSrv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
	// No reporting budget: the fake does not throttle, and the test asks
	// a few hundred questions.
	client, err := graph.NewUnauthenticated(graphSrv.URL()+"/v1.0", graph.WithLogger(logger),
		graph.WithHelpDeskGroups(fakegraph.DemoHelpDeskGroupID), graph.WithReportBudget(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	c := &teamsChat{t: t, appID: appID}
	c.issuer = bftest.NewIssuer(t, bftest.IssuerOptions{AppID: appID})
	tokens := bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{ClientID: appID, ClientSecret: secret})
	c.connector = bftest.NewConnector(t)
	c.connector.RequireTokensFrom(tokens)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := buildServer(serverParts{
		listener: l, graph: client, metrics: newMetrics(), logger: logger, now: time.Now,
		helpDeskContact: "the Contoso help desk (Henrietta Mueller in this demo)",
		botConfig: botframework.Config{MicrosoftAppId: appID, MicrosoftAppPassword: secret,
			ToBotFromChannelOpenIdMetadataUrl: c.issuer.MetadataURL, ToChannelFromBotLoginUrl: tokens.URL},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	c.base = "http://" + l.Addr().String()
	return c
}

// post sends a signed activity from member in a new personal chat and
// returns the conversation id and the HTTP answer.
func (c *teamsChat) post(member fakegraph.CastMember, fields map[string]any) (string, []byte) {
	c.t.Helper()
	conv := fmt.Sprintf("a:cards-%d", c.seq.Add(1))
	act := map[string]any{
		"id": fmt.Sprintf("1%012d", c.seq.Load()), "channelId": "msteams", "serviceUrl": c.connector.URL,
		"from":         map[string]any{"id": "29:" + member.ObjectID, "name": member.DisplayName, "aadObjectId": member.ObjectID},
		"conversation": map[string]any{"conversationType": "personal", "id": conv, "tenantId": fakegraph.DemoTenantID},
		"recipient":    map[string]any{"id": "28:" + c.appID, "name": "provbot"},
		"channelData":  map[string]any{"tenant": map[string]any{"id": fakegraph.DemoTenantID}},
	}
	maps.Copy(act, fields)
	body, err := json.Marshal(act)
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+"/api/messages", bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", c.issuer.Bearer(c.connector.URL))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	if _, err := out.ReadFrom(resp.Body); err != nil {
		c.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("%s: status %d: %s", body, resp.StatusCode, out.Bytes())
	}
	return conv, out.Bytes()
}

// card waits for the card the bot posts in a conversation.
func (c *teamsChat) card(conv string) []byte {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, call := range c.connector.Calls() {
			if call.ConversationID != conv {
				continue
			}
			var a struct {
				Attachments []struct {
					Content json.RawMessage `json:"content"`
				} `json:"attachments"`
			}
			if json.Unmarshal(call.RawBody, &a) == nil && len(a.Attachments) > 0 {
				return a.Attachments[0].Content
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.t.Fatalf("no card in %s", conv)
	return nil
}

// ask sends text as member and returns the card of the answer.
func (c *teamsChat) ask(member fakegraph.CastMember, text string) []byte {
	conv, _ := c.post(member, map[string]any{"type": "message", "text": text})
	return c.card(conv)
}

// click sends a card button's data as an Action.Submit of member.
func (c *teamsChat) click(member fakegraph.CastMember, d bot.ActionData) []byte {
	d.Kind = "provbot"
	conv, _ := c.post(member, map[string]any{"type": "message", "value": d, "replyToId": "1000"})
	return c.card(conv)
}

// execute sends a card button's data as an Action.Execute of member and
// returns the card that replaces the clicked one.
func (c *teamsChat) execute(member fakegraph.CastMember, d bot.ActionData) []byte {
	c.t.Helper()
	d.Kind = "provbot"
	_, resp := c.post(member, map[string]any{"type": "invoke", "name": "adaptiveCard/action", "replyToId": "1000",
		"value": map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": d.Verb, "data": d}, "trigger": "manual"}})
	var ir struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(resp, &ir); err != nil || len(ir.Value) == 0 {
		c.t.Fatalf("invoke answered %s", resp)
	}
	return ir.Value
}

// welcome adds the bot to a personal chat with member.
func (c *teamsChat) welcome(member fakegraph.CastMember) []byte {
	conv, _ := c.post(member, map[string]any{"type": "conversationUpdate",
		"membersAdded": []any{map[string]any{"id": "28:" + c.appID}}})
	return c.card(conv)
}

// askedCard is a card the demo tenant produced, and whom it was for.
type askedCard struct {
	json     []byte
	endUser  bool   // answered to an end user
	kind     string // diagnosis, summary, status, apps, picker, welcome, help, message
	question string
}

// demoCards asks, as the cast, for a card of every kind: each person's own
// question, their accounts, the help desk's view of each story, every
// app's status for both audiences, the list of apps, the pickers, the
// welcome and help, and the messages for what cannot be answered.
func demoCards(t *testing.T, c *teamsChat) map[string]askedCard {
	cast := fakegraph.DemoCast()
	var agent fakegraph.CastMember
	for _, m := range cast {
		if m.Role == fakegraph.RoleHelpDesk {
			agent = m
		}
	}
	var endUser fakegraph.CastMember
	for _, m := range cast {
		if m.Role == fakegraph.RoleEndUser {
			endUser = m
			break
		}
	}
	var mu sync.Mutex
	cards := map[string]askedCard{}
	var wg sync.WaitGroup
	work := make(chan func(), 256)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				f()
			}
		}()
	}
	add := func(name, kind string, m fakegraph.CastMember, question string, get func() []byte) {
		work <- func() {
			j := get()
			mu.Lock()
			defer mu.Unlock()
			cards[name] = askedCard{json: j, endUser: m.Role != fakegraph.RoleHelpDesk, kind: kind, question: m.DisplayName + ": " + question}
		}
	}
	apps := map[string]string{}
	for _, m := range cast {
		slug := slugOf(m.DisplayName)
		apps[m.AppID] = m.App
		add("own-"+slug, "diagnosis", m, m.Question, func() []byte { return c.ask(m, m.Question) })
		if m.Role == fakegraph.RoleEndUser {
			add("accounts-"+slug, "summary", m, "check my accounts", func() []byte { return c.ask(m, "check my accounts") })
		}
		add("help-desk-"+slug, "diagnosis", agent, "(button) "+m.DisplayName+" in "+m.App, func() []byte {
			return c.click(agent, bot.ActionData{Verb: bot.VerbDiagnose, User: m.ObjectID, App: m.AppID})
		})
	}
	for id, name := range apps {
		slug := slugOf(name)
		add("status-end-user-"+slug, "status", endUser, "status of "+name, func() []byte {
			return c.click(endUser, bot.ActionData{Verb: bot.VerbStatus, App: id})
		})
		add("status-help-desk-"+slug, "status", agent, "status of "+name, func() []byte {
			return c.click(agent, bot.ActionData{Verb: bot.VerbStatus, App: id})
		})
	}
	for who, m := range map[string]fakegraph.CastMember{"end-user": endUser, "help-desk": agent} {
		add("welcome-"+who, "welcome", m, "(added)", func() []byte { return c.welcome(m) })
		add("help-"+who, "help", m, "help", func() []byte { return c.ask(m, "help") })
		add("apps-"+who, "apps", m, "which apps", func() []byte { return c.ask(m, "which apps") })
		add("not-understood-"+who, "message", m, "blorp", func() []byte { return c.ask(m, "blorp") })
		add("refresh-"+who, "diagnosis", m, "(refresh)", func() []byte {
			return c.execute(m, bot.ActionData{Verb: bot.VerbRefresh, User: m.ObjectID, App: m.AppID})
		})
	}
	add("pick-user", "picker", agent, "check Adele in ServiceNow", func() []byte { return c.ask(agent, "check Adele in ServiceNow") })
	add("pick-app", "picker", agent, "check adele.vance@contoso.com in Qwertyapp", func() []byte {
		return c.ask(agent, "check adele.vance@contoso.com in Qwertyapp")
	})
	add("no-one-found", "message", agent, "check nobody.here@contoso.com in ServiceNow", func() []byte {
		return c.ask(agent, "check nobody.here@contoso.com in ServiceNow")
	})
	add("refused", "message", endUser, "check adele.vance@contoso.com in ServiceNow", func() []byte {
		return c.ask(endUser, "check adele.vance@contoso.com in ServiceNow")
	})
	close(work)
	wg.Wait()
	return cards
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

func slugOf(s string) string {
	return strings.Trim(slugRE.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// jargon is what an end user's card never shows (issue 10 §2): error
// codes, ids, step names, HTTP status codes, job states, counts of
// objects, and the help desk's parts.
var jargon = []*regexp.Regexp{
	regexp.MustCompile(`\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-`), // an object, change or cycle id
	camelCase, // an error code or a state: ServiceNowEntryConflict, EntryLevelErrors
	regexp.MustCompile(`\b(?:Entry[A-Z]\w*|Scoping|Matching|Import|Export|Processing)\b`),             // a step
	regexp.MustCompile(`\bHTTP\b|\b[1-5][0-9][0-9]\b`),                                                // a status code
	regexp.MustCompile(`(?i)\bquarantin|\bescrow|\bsteady state|\bNotRun\b|\bincremental\b`),          // a job state
	regexp.MustCompile(`\b\d+ (?:users|groups|objects|pages)\b`),                                      // a count of objects
	regexp.MustCompile(`Show all steps|Evidence|Change ID|Job ID|Cycle ID|Error code|For the ticket`), // the help desk's parts
}

// camelCase finds words with inner capitals: codes and states, and names
// such as ServiceNow (which jargonIn allows).
var camelCase = regexp.MustCompile(`\b[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+\b`)

// jargonIn returns the jargon in an end user's rendered card; names (of
// apps and people) are allowed.
func jargonIn(text string, names []string) []string {
	allowed := map[string]bool{}
	for _, n := range names {
		for _, w := range strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			allowed[w] = true
		}
	}
	var found []string
	for _, re := range jargon {
		for _, m := range re.FindAllString(text, -1) {
			if re == camelCase && allowed[m] {
				continue
			}
			found = append(found, m)
		}
	}
	return found
}

// castNames are the names of the demo's apps and people.
func castNames() []string {
	var names []string
	for _, m := range fakegraph.DemoCast() {
		names = append(names, m.App, m.DisplayName)
	}
	return names
}

func TestJargonIsFound(t *testing.T) {
	names := castNames()
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Your ServiceNow account is set up. GitHub, DocuSign and Salesforce are working normally.", nil},
		{"It failed with ServiceNowEntryConflict (HTTP 409) in EntryExportAdd.", []string{"ServiceNowEntryConflict", "EntryExportAdd", "HTTP", "409", "EntryExportAdd"}},
		{"Last run: EntryLevelErrors; InvalidCredentials", []string{"EntryLevelErrors", "EntryLevelErrors", "InvalidCredentials"}},
		{"Export failed for 52 users; the job is quarantined.", []string{"Export", "quarantin", "52 users"}},
		{"change 63946681-75a7-5248-8cbb-8490c723ee33", []string{"63946681-75a7-5248-"}},
		{"Show all steps", []string{"Show all steps"}},
	} {
		got := jargonIn(tc.text, names)
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("jargonIn(%q) = %q, want %q", tc.text, got, want)
		}
	}
}

// renderedText is a card's visible text, as drawn.
func renderedText(r teamsrender.Rendering) string {
	var b strings.Builder
	for _, tx := range r.Texts[teamsrender.Light] {
		b.WriteString(tx.Text + "\n")
	}
	for _, a := range r.Actions {
		b.WriteString(a.Title + "\n")
	}
	return b.String()
}

// The stories whose cards the test keeps as screenshots (with
// $PROVBOT_SCREENSHOT_DIR): an account refused by the app, an app on hold,
// and an account on its way.
var screenshotStories = []string{"Adele Vance", "Lynne Robbins", "Diego Siciliani"}

// TestDemoCardsInTeams asks the demo tenant, through the real
// conversation, for a card of every kind for every cast member, and checks
// each with Microsoft's renderer and Teams' host configs: no parse
// warning, at most 6 actions a set, under 28 KB, no button title or text
// cut at 460 px, every text readable in the light, dark and high-contrast
// themes. End users' cards show no jargon; a help-desk diagnosis shows its
// verdict, action and ticket block on the first screen.
func TestDemoCardsInTeams(t *testing.T) {
	chat := newTeamsChat(t)
	asked := demoCards(t, chat)
	raw := map[string][]byte{}
	for name, c := range asked {
		raw[name] = c.json
	}
	report := teamsrender.Check(t, raw)
	kinds := map[string]int{}
	for _, c := range asked {
		kinds[c.kind]++
	}
	t.Logf("%d cards from the demo tenant (%v), checked by adaptivecards %s", len(raw), kinds, report.Library)

	stories := map[string]bool{}
	for _, s := range screenshotStories {
		stories["own-"+slugOf(s)] = true
		stories["help-desk-"+slugOf(s)] = true
	}
	names := castNames()
	b := teamsrender.NewBrowser(t)
	drawn := map[string]teamsrender.Rendering{}
	for _, name := range slices.Sorted(maps.Keys(asked)) {
		c := asked[name]
		shot := name
		if stories[name] {
			shot = "story-" + name
		}
		key := string(c.json)
		r, ok := drawn[key]
		if !ok || stories[name] {
			r = b.Render(t, shot, c.json, teamsrender.Width)
			drawn[key] = r
			for _, f := range r.Findings() {
				t.Errorf("%s (%s): %s", name, c.question, f)
			}
		}
		if c.endUser {
			if j := jargonIn(renderedText(r), names); len(j) > 0 {
				t.Errorf("%s (%s): an end user's card shows %q:\n%s", name, c.question, j, renderedText(r))
			}
		}
		if c.kind == "diagnosis" && !c.endUser {
			checkFirstScreen(t, name, r)
		}
		if stories[name] {
			t.Logf("%-36s %4.0f px tall %s", name, r.Height, r.ScreenshotPath)
		}
	}
	for _, s := range screenshotStories {
		for _, name := range []string{"own-" + slugOf(s), "help-desk-" + slugOf(s)} {
			if _, ok := asked[name]; !ok {
				t.Errorf("no card for the story %s", name)
			}
		}
	}
}

// checkFirstScreen checks a help-desk diagnosis: the verdict, then the
// action, then the ticket block, all ending within the first screen.
func checkFirstScreen(t *testing.T, name string, r teamsrender.Rendering) {
	t.Helper()
	verdict, okV := r.Elements["verdict"]
	action, okA := r.Elements["action"]
	ticket, okT := r.Elements["ticket"]
	if !okV {
		t.Errorf("%s: a help-desk diagnosis without a verdict block (elements %v)", name, slices.Sorted(maps.Keys(r.Elements)))
		return
	}
	last := verdict
	if okA {
		if action.Top < verdict.Bottom {
			t.Errorf("%s: the action (top %.0f) is not after the verdict (bottom %.0f)", name, action.Top, verdict.Bottom)
		}
		last = action
	}
	if okT {
		if ticket.Top < last.Bottom {
			t.Errorf("%s: the ticket block (top %.0f) is not after the verdict and action (bottom %.0f)", name, ticket.Top, last.Bottom)
		}
		last = ticket
	}
	if last.Bottom > teamsrender.FirstScreen {
		t.Errorf("%s: the verdict, action and ticket block end at %.0f px, below the first screen (%d px)", name, last.Bottom, teamsrender.FirstScreen)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// inProcessConnector is a Bot Connector answered on the caller's goroutine
// (no sockets, so that it works inside a testing/synctest bubble): every
// activity POSTed to /v3/conversations/{id}/activities[/{replyTo}] is
// recorded with the bubble's time and answered 200 with a new activity id,
// as the Bot Connector does.
type inProcessConnector struct {
	mu   sync.Mutex
	seq  int
	sent map[string][]sentActivity // by conversation id
}

// sentActivity is one activity the bot sent.
type sentActivity struct {
	at   time.Time
	typ  string
	text string
	card string // the first attachment's content, as JSON; "" when none
}

var connectorPath = regexp.MustCompile(`^/v3/conversations/([^/]+)/activities(?:/[^/]+)?$`)

func (c *inProcessConnector) RoundTrip(r *http.Request) (*http.Response, error) {
	m := connectorPath.FindStringSubmatch(r.URL.Path)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	var a struct {
		Type        string `json:"type"`
		Text        string `json:"text"`
		Attachments []struct {
			Content json.RawMessage `json:"content"`
		} `json:"attachments"`
	}
	if m == nil || r.Method != http.MethodPost || json.Unmarshal(body, &a) != nil {
		rec.WriteHeader(http.StatusBadRequest)
		return rec.Result(), nil
	}
	s := sentActivity{at: time.Now(), typ: a.Type, text: a.Text}
	if len(a.Attachments) > 0 {
		s.card = string(a.Attachments[0].Content)
	}
	c.mu.Lock()
	c.seq++
	id := fmt.Sprintf("act-%d", c.seq)
	c.sent[m[1]] = append(c.sent[m[1]], s)
	c.mu.Unlock()
	rec.Header().Set("Content-Type", "application/json")
	rec.WriteHeader(http.StatusOK)
	fmt.Fprintf(rec, `{"id":%q}`, id)
	return rec.Result(), nil
}

// sentTo returns what the bot sent to one conversation.
func (c *inProcessConnector) sentTo(conv string) []sentActivity {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]sentActivity(nil), c.sent[conv]...)
}

// TestABurstOf200AskersIsAnsweredWithoutApologies: 200 different people
// ask about their own account in the same app at once, through the
// conversation, the Bot Framework server and the Graph client as serve
// wires them, against the fake Graph enforcing Microsoft's reporting
// throttle (5 requests per 10 s) with 50 ms per request. Nobody gets an
// apology card; everyone whose answer waits for the reporting budget is
// told so first, in plain words; the last answer comes within what the
// throttle allows (200 ÷ 15 users per request × 2 s, plus a few seconds
// for the requests' own time). Simulated time (testing/synctest).
func TestABurstOf200AskersIsAnsweredWithoutApologies(t *testing.T) {
	const askers = 200
	synctest.Test(t, func(t *testing.T) {
		now := time.Now()
		tenant, err := fakegraph.DemoTenant(now)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, askers)
		for i := range ids {
			ids[i] = fmt.Sprintf("%08x-0000-4000-8000-%012x", 0x60000000+i, i)
			tenant.AddUser(fakegraph.Object{"id": ids[i], "displayName": fmt.Sprintf("Burst User %d", i),
				"userPrincipalName": fmt.Sprintf("burst%d@contoso.com", i), "accountEnabled": true})
		}
		gsrv := fakegraph.New(tenant, fakegraph.WithThrottle(graph.DefaultReportBudget, graph.DefaultReportWindow))
		t.Cleanup(gsrv.Close)
		logger := slog.New(slog.DiscardHandler)
		gc, err := newGraphClient(graphSettings{URL: "http://127.0.0.1:9/v1.0", Auth: "none", HelpDeskGroups: []string{fakegraph.DemoHelpDeskGroupID}},
			logger, nil, graph.WithHTTPClient(&http.Client{Transport: botframework.IdleTransport(
				latencyTransport{base: gsrv.InProcess(), d: 50 * time.Millisecond})}))
		if err != nil {
			t.Fatal(err)
		}
		if err := gc.Warm(t.Context()); err != nil {
			t.Fatal(err)
		}
		connector := &inProcessConnector{sent: map[string][]sentActivity{}}
		srv, err := buildServer(serverParts{listener: fixedAddr{}, graph: gc, metrics: newMetrics(), logger: logger, now: time.Now,
			botOptions: botframework.Options{HTTPClient: &http.Client{Transport: connector}}, tenantID: fakegraph.DemoTenantID})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.bot.Shutdown(t.Context()) })

		start := time.Now()
		for i, id := range ids {
			body := teamsMessage(fmt.Sprintf("a:burst-%d", i), id, "why can't I get into ServiceNow?")
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:3978/api/messages", bytes.NewReader(body))
			req.RemoteAddr = "127.0.0.1:50000" // without authentication, only loopback callers are served
			req.Header.Set("Content-Type", "application/json")
			srv.http.Handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("asker %d: status %d", i, rec.Code)
			}
		}
		answered := func() int {
			n := 0
			for i := range ids {
				for _, s := range connector.sentTo(fmt.Sprintf("a:burst-%d", i)) {
					if s.card != "" {
						n++
						break
					}
				}
			}
			return n
		}
		for answered() < askers && time.Since(start) < 5*time.Minute {
			time.Sleep(100 * time.Millisecond)
		}

		var last time.Duration
		told, apologies := 0, 0
		longest := ""
		aheadOf := func(text string) int {
			n, _ := strconv.Atoi(strings.Fields(strings.TrimPrefix(text, "Busy: "))[0])
			return n
		}
		for i := range ids {
			var note, card *sentActivity
			for _, s := range connector.sentTo(fmt.Sprintf("a:burst-%d", i)) {
				switch {
				case s.card != "" && card == nil:
					card = &s
				case strings.HasPrefix(s.text, "Busy: ") && note == nil:
					note = &s
				}
			}
			if card == nil {
				t.Errorf("asker %d got no answer in %v", i, time.Since(start))
				continue
			}
			last = max(last, card.at.Sub(start))
			if strings.Contains(card.card, "Sorry, I couldn't answer") {
				apologies++
				t.Errorf("asker %d got an apology: %s", i, card.card)
			}
			if note != nil {
				told++
				if longest == "" || aheadOf(note.text) > aheadOf(longest) {
					longest = note.text
				}
				if note.at.After(card.at) {
					t.Errorf("asker %d was told to wait after the answer", i)
				}
				if !regexp.MustCompile(`^Busy: (You're next|1 person ahead of you|\d+ people ahead of you), (a few seconds|about \d+ seconds|about a minute|about \d+ minutes)\. `).MatchString(note.text) {
					t.Errorf("asker %d: the busy note is not in plain words: %q", i, note.text)
				}
			} else if card.at.Sub(start) > 5*time.Second {
				t.Errorf("asker %d waited %v without being told", i, card.at.Sub(start))
			}
		}
		limit := time.Duration((askers+14)/15)*2*time.Second + 5*time.Second
		t.Logf("%d askers: last answer after %v (limit %v), %d told to wait, %d apologies; the longest wait told: %q", askers, last, limit, told, apologies, longest)
		if last > limit {
			t.Errorf("the last answer came after %v, want within %v", last, limit)
		}
	})
}

// teamsMessage is a Teams message from the demo tenant's user aad in a
// personal conversation conv.
func teamsMessage(conv, aad, text string) []byte {
	body, _ := json.Marshal(map[string]any{
		"type": "message", "id": "m-" + conv, "channelId": "msteams", "serviceUrl": "http://127.0.0.1:3979/",
		"from":         map[string]any{"id": "29:" + aad, "aadObjectId": aad},
		"conversation": map[string]any{"conversationType": "personal", "id": conv, "tenantId": fakegraph.DemoTenantID},
		"recipient":    map[string]any{"id": "28:provbot", "name": "provbot"},
		"text":         text,
		"channelData":  map[string]any{"tenant": map[string]any{"id": fakegraph.DemoTenantID}},
	})
	return body
}

// fixedAddr is a listener that is never served (the test calls the
// handler itself); it only names a loopback address.
type fixedAddr struct{}

func (fixedAddr) Accept() (net.Conn, error) { return nil, net.ErrClosed }
func (fixedAddr) Close() error              { return nil }
func (fixedAddr) Addr() net.Addr            { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 3978} }

package botframework_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
	"github.com/provbot/provbot/internal/fakeclock"
	"github.com/provbot/provbot/internal/golden"
	"github.com/provbot/provbot/internal/logtest"
)

// Test identities. The testdata/ files are copies of the protocol
// reference's examples (shared/reference/examples/teams and cards).
const (
	testAppID  = "9e7d8f2a-1c3b-4d5e-8f90-123456789abc"
	testSecret = "pr0vb0t-s3cr3t-never-log-me"
	testTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	waitLimit  = 10 * time.Second
)

// newClock is the settable clock shared by the server and the fake issuer.
func newClock() *fakeclock.Clock { return fakeclock.New(time.Time{}) }

// logBuffer captures the server's JSON logs.
type logBuffer struct{ logtest.Buffer }

// records returns the log records whose msg is msg.
func (b *logBuffer) records(msg string) []map[string]any { return b.Records(msg) }

// harness is a botframework.Server wired to the bftest fakes, served over httptest.
type harness struct {
	t         *testing.T
	clock     *fakeclock.Clock
	issuer    *bftest.Issuer
	connector *bftest.Connector
	tokens    *bftest.TokenEndpoint
	logs      *logBuffer
	server    *botframework.Server
	url       string

	mu     sync.Mutex
	sleeps []time.Duration
}

// setup configures a harness before the server is built.
type setup struct {
	cfg  botframework.Config
	opts botframework.Options
}

// newHarness starts the fakes and a server dispatching to h. The server
// gets its bot token from the fake token endpoint (which the fake connector
// requires), shares the fake clock, and records retry waits instead of
// sleeping. Mutators adjust the configuration.
func newHarness(t *testing.T, h botframework.Handler, mutate ...func(*harness, *setup)) *harness {
	t.Helper()
	hs := &harness{t: t, clock: newClock(), logs: &logBuffer{}}
	hs.issuer = bftest.NewIssuer(t, bftest.IssuerOptions{AppID: testAppID, Now: hs.clock.Now})
	hs.connector = bftest.NewConnector(t)
	hs.tokens = bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{ClientID: testAppID, ClientSecret: testSecret})
	hs.connector.RequireTokensFrom(hs.tokens)
	s := &setup{
		cfg: botframework.Config{
			MicrosoftAppId:                    testAppID,
			MicrosoftAppPassword:              testSecret,
			ToBotFromChannelOpenIdMetadataUrl: hs.issuer.MetadataURL,
			ToChannelFromBotLoginUrl:          hs.tokens.URL,
		},
		opts: botframework.Options{
			ListenAddr: "0.0.0.0:3978",
			Logger:     slog.New(slog.NewJSONHandler(hs.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			Now:        hs.clock.Now,
			Retry:      botframework.RetryPolicy{Sleep: hs.recordSleep},
		},
	}
	for _, m := range mutate {
		m(hs, s)
	}
	srv, err := botframework.NewServer(s.cfg, h, s.opts)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	hs.server = srv
	web := httptest.NewServer(srv.Handler())
	t.Cleanup(web.Close)
	hs.url = web.URL + "/api/messages"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return hs
}

// recordSleep is the connector's retry sleep: it records and returns.
func (h *harness) recordSleep(ctx context.Context, d time.Duration) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sleeps = append(h.sleeps, d)
	return ctx.Err()
}

// post sends body to the messaging endpoint with the Authorization header
// (none when empty) and returns the status and body.
func (h *harness) post(body []byte, authorization string) (int, []byte) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.StatusCode, respBody
}

// postSigned sends body with a valid token for its serviceUrl.
func (h *harness) postSigned(body []byte) (int, []byte) {
	h.t.Helper()
	return h.post(body, h.issuer.Bearer(serviceURLOf(h.t, body)))
}

// activity loads a testdata activity and points its serviceUrl at the fake
// connector.
func (h *harness) activity(name string, edits ...func(map[string]any)) []byte {
	h.t.Helper()
	return loadActivity(h.t, name, append([]func(map[string]any){func(m map[string]any) { m["serviceUrl"] = h.connector.URL }}, edits...)...)
}

// loadActivity reads testdata/name as a JSON object, applies edits and
// returns it encoded.
func loadActivity(t testing.TB, name string, edits ...func(map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(readTestdata(t, name), &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, e := range edits {
		e(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readTestdata reads a file under testdata/.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// serviceURLOf returns the serviceUrl of an encoded activity.
func serviceURLOf(t testing.TB, body []byte) string {
	t.Helper()
	var a struct {
		ServiceURL string `json:"serviceUrl"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	return a.ServiceURL
}

// turnRecorder is a handler that records turns and optionally replies.
type turnRecorder struct {
	turns chan *botframework.Turn
	reply func(ctx context.Context, t *botframework.Turn) error
}

func newTurnRecorder() *turnRecorder { return &turnRecorder{turns: make(chan *botframework.Turn, 256)} }

func (r *turnRecorder) OnActivity(ctx context.Context, t *botframework.Turn) error {
	var err error
	if r.reply != nil {
		err = r.reply(ctx, t)
	}
	r.turns <- t
	return err
}

func (r *turnRecorder) OnInvoke(ctx context.Context, t *botframework.Turn) (botframework.InvokeResponse, error) {
	r.turns <- t
	return botframework.InvokeMessage("ok"), nil
}

// next waits for the next recorded turn.
func (r *turnRecorder) next(t *testing.T) *botframework.Turn {
	t.Helper()
	select {
	case turn := <-r.turns:
		return turn
	case <-time.After(waitLimit):
		t.Fatal("no turn was dispatched")
		return nil
	}
}

// none asserts that no turn was dispatched.
func (r *turnRecorder) none(t *testing.T) {
	t.Helper()
	select {
	case turn := <-r.turns:
		t.Fatalf("a %s activity was dispatched", turn.Activity.Type)
	default:
	}
}

// jsonEqual reports whether two JSON documents are equal as values.
func jsonEqual(t testing.TB, a, b []byte) bool {
	t.Helper()
	diff, err := golden.JSONDiff(a, b)
	if err != nil {
		t.Fatalf("compare %s with %s: %v", a, b, err)
	}
	return diff == ""
}

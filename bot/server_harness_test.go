package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
	"github.com/provbot/provbot/internal/fakeclock"
	"github.com/provbot/provbot/internal/logtest"
)

// Test identities of the Azure Bot the conversation runs behind.
const (
	testAppID  = "9e7d8f2a-1c3b-4d5e-8f90-123456789abc"
	testSecret = "pr0vb0t-s3cr3t-never-log-me"
	waitLimit  = 10 * time.Second
)

// newClock is the settable clock shared by the server and the fake issuer.
func newClock() *fakeclock.Clock { return fakeclock.New(time.Time{}) }

// logBuffer captures the conversation's JSON audit lines.
type logBuffer struct{ logtest.Buffer }

// records returns the log records whose msg is msg.
func (b *logBuffer) records(msg string) []map[string]any { return b.Records(msg) }

// harness is the real Bot Framework server dispatching to a handler, behind
// the bftest fakes of the Bot Framework services (token issuer, token
// endpoint, Bot Connector), served over httptest.
type harness struct {
	t         *testing.T
	clock     *fakeclock.Clock
	issuer    *bftest.Issuer
	connector *bftest.Connector
	url       string
}

// newHarness starts the fakes and a server dispatching to h, with
// authentication on and the bot token from the fake token endpoint.
func newHarness(t *testing.T, h botframework.Handler) *harness {
	t.Helper()
	hs := &harness{t: t, clock: newClock()}
	hs.issuer = bftest.NewIssuer(t, bftest.IssuerOptions{AppID: testAppID, Now: hs.clock.Now})
	hs.connector = bftest.NewConnector(t)
	tokens := bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{ClientID: testAppID, ClientSecret: testSecret})
	hs.connector.RequireTokensFrom(tokens)
	cfg := botframework.Config{
		MicrosoftAppId:                    testAppID,
		MicrosoftAppPassword:              testSecret,
		ToBotFromChannelOpenIdMetadataUrl: hs.issuer.MetadataURL,
		ToChannelFromBotLoginUrl:          tokens.URL,
	}
	srv, err := botframework.NewServer(cfg, h, botframework.Options{
		ListenAddr: "0.0.0.0:3978",
		Logger:     slog.New(slog.DiscardHandler),
		Now:        hs.clock.Now,
	})
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
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

// postSigned sends body to the messaging endpoint with a valid token for
// its serviceUrl and returns the status and body.
func (h *harness) postSigned(body []byte) (int, []byte) {
	h.t.Helper()
	var a struct {
		ServiceURL string `json:"serviceUrl"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		h.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Authorization", h.issuer.Bearer(a.ServiceURL))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	if _, err := out.ReadFrom(resp.Body); err != nil {
		h.t.Fatal(err)
	}
	return resp.StatusCode, out.Bytes()
}

// activity loads one of the protocol reference's example activities (kept
// with the protocol's tests in botframework/testdata), points its
// serviceUrl at the fake connector, applies edits and returns it encoded.
func (h *harness) activity(name string, edits ...func(map[string]any)) []byte {
	h.t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "botframework", "testdata", name))
	if err != nil {
		h.t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		h.t.Fatalf("%s: %v", name, err)
	}
	m["serviceUrl"] = h.connector.URL
	for _, e := range edits {
		e(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		h.t.Fatal(err)
	}
	return b
}

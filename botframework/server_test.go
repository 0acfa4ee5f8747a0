package botframework_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

func TestExamplesAreDispatched(t *testing.T) {
	rec := newTurnRecorder()
	h := newHarness(t, rec)
	for _, tc := range []struct {
		file     string
		wantType string
		check    func(t *testing.T, a *botframework.Activity)
	}{
		{"teams/teams-message-personal.json", botframework.ActivityMessage, func(t *testing.T, a *botframework.Activity) {
			if a.From.AADObjectID != "7faf8ab2-3d56-4244-b585-20c8a42ed2b8" || a.Conversation.ConversationType != "personal" || a.Locale != "en-US" {
				t.Errorf("activity = %+v", a)
			}
		}},
		{"teams/teams-message-channel-mention.json", botframework.ActivityMessage, func(t *testing.T, a *botframework.Activity) {
			if m := a.Mentions(); len(m) != 1 || m[0].Mentioned.Name != "Pranav Smith" {
				t.Errorf("mentions = %+v", m)
			}
		}},
		{"teams/teams-conversationupdate-bot-added-personal.json", botframework.ActivityConversationUpdate, func(t *testing.T, a *botframework.Activity) {
			if len(a.MembersAdded) != 2 {
				t.Errorf("membersAdded = %+v", a.MembersAdded)
			}
		}},
		{"teams/teams-conversationupdate-bot-added-to-team.json", botframework.ActivityConversationUpdate, func(t *testing.T, a *botframework.Activity) {
			if a.TenantID() != "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f" {
				t.Errorf("tenant = %q", a.TenantID())
			}
		}},
		{"cards/inbound-action-submit-message.illustrative.json", botframework.ActivityMessage, func(t *testing.T, a *botframework.Activity) {
			if !jsonEqual(t, a.Value, []byte(`{"action":"ack","deploymentId":"d-42","comment":"looks good"}`)) || a.ReplyToID != "1575667808184" {
				t.Errorf("value = %s, replyToId = %q", a.Value, a.ReplyToID)
			}
		}},
		{"teams/teams-invoke-cardaction-inbound.json", botframework.ActivityInvoke, func(t *testing.T, a *botframework.Activity) {
			if a.Name != "" || !jsonEqual(t, a.Value, []byte(`{"option":"opt1"}`)) {
				t.Errorf("name = %q, value = %s", a.Name, a.Value)
			}
		}},
		{"cards/inbound-adaptivecard-action-invoke.illustrative.json", botframework.ActivityInvoke, func(t *testing.T, a *botframework.Activity) {
			if a.Name != botframework.InvokeNameAdaptiveCardAction {
				t.Errorf("name = %q", a.Name)
			}
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			status, body := h.postSigned(h.activity(tc.file))
			if status != 200 {
				t.Fatalf("status = %d, want 200", status)
			}
			// The recorder answers invokes with InvokeMessage("ok").
			if tc.wantType == botframework.ActivityInvoke && !jsonEqual(t, body, []byte(`{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"ok"}`)) {
				t.Errorf("invoke body = %s", body)
			}
			turn := rec.next(t)
			if turn.Activity.Type != tc.wantType {
				t.Fatalf("dispatched %q, want %q", turn.Activity.Type, tc.wantType)
			}
			tc.check(t, turn.Activity)
		})
	}
}

func TestRequestsThatAreNotActivities(t *testing.T) {
	rec := newTurnRecorder()
	h := newHarness(t, rec, func(_ *harness, s *setup) { s.opts.MaxBodyBytes = 4 << 10 })
	valid := h.activity("teams/teams-message-personal.json")
	auth := h.issuer.Bearer(h.connector.URL)
	for _, tc := range []struct {
		name        string
		method      string
		contentType string
		body        []byte
		status      int
	}{
		{"oversized body", "POST", "application/json", append(valid[:len(valid)-1], []byte(`,"pad":"`+strings.Repeat("x", 5<<10)+`"}`)...), 413},
		{"not JSON", "POST", "application/json", []byte("hello"), 400},
		{"JSON array", "POST", "application/json", []byte(`[{"type":"message"}]`), 400},
		{"empty body", "POST", "application/json", nil, 400},
		{"JSON null", "POST", "application/json", []byte("null"), 400},
		{"missing type", "POST", "application/json", []byte(`{"text":"hi","serviceUrl":"x"}`), 400},
		{"trailing garbage", "POST", "application/json", append(append([]byte{}, valid...), []byte(" {}")...), 400},
		{"text/plain content type", "POST", "text/plain", valid, 400},
		{"type of the wrong JSON kind", "POST", "application/json", []byte(`{"type":7}`), 400},
		{"GET", "GET", "", nil, 405},
		{"PUT", "PUT", "application/json", valid, 405},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, h.url, bytes.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			req.Header.Set("Authorization", auth)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.status == 405 && resp.Header.Get("Allow") != "POST" {
				t.Errorf("Allow = %q, want POST", resp.Header.Get("Allow"))
			}
			rec.none(t)
		})
	}
	if n := len(h.connector.Calls()); n != 0 {
		t.Errorf("connector calls = %d, want none", n)
	}
}

func TestUnknownActivityTypesAreAcknowledgedAndIgnored(t *testing.T) {
	rec := newTurnRecorder()
	h := newHarness(t, rec)
	for _, typ := range []string{"somethingNew", botframework.ActivityTyping, "handoff"} {
		t.Run(typ, func(t *testing.T) {
			body := h.activity("teams/teams-message-personal.json", func(m map[string]any) { m["type"] = typ })
			if status, _ := h.postSigned(body); status != 200 {
				t.Fatalf("status = %d, want 200", status)
			}
			rec.none(t)
		})
	}
	if len(h.logs.records("ignored activity of unknown type")) != 3 {
		t.Errorf("ignored activities not logged at debug:\n%s", h.logs)
	}
}

func TestAuthDisabledOnlyOnLoopback(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	for _, addr := range []string{":3978", "0.0.0.0:3978", "[::]:3978", "10.0.0.5:3978", "bot.example.com:443", "localhost", ""} {
		t.Run("refused on "+addr, func(t *testing.T) {
			_, err := botframework.NewServer(botframework.Config{}, botframework.HandlerFuncs{}, botframework.Options{ListenAddr: addr, Logger: logger})
			var ce *botframework.ConfigError
			if !errors.As(err, &ce) || ce.Setting != "MicrosoftAppId" {
				t.Fatalf("err = %v, want a ConfigError naming MicrosoftAppId", err)
			}
		})
	}
	for _, addr := range []string{"127.0.0.1:3978", "localhost:3978", "[::1]:3978", "127.0.0.2:0"} {
		t.Run("allowed on "+addr, func(t *testing.T) {
			if _, err := botframework.NewServer(botframework.Config{}, botframework.HandlerFuncs{}, botframework.Options{ListenAddr: addr, Logger: logger}); err != nil {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestAuthDisabledSendsNoToken(t *testing.T) {
	rec := replyingRecorder()
	connector := bftest.NewConnector(t)
	srv, err := botframework.NewServer(botframework.Config{}, rec, botframework.Options{
		ListenAddr:  "127.0.0.1:3978",
		Logger:      slog.New(slog.DiscardHandler),
		TokenSource: botframework.TokenSourceFunc(func(context.Context) (string, error) { return "must-not-be-sent", nil }),
	})
	if err != nil {
		t.Fatal(err)
	}
	body := loadActivity(t, "teams/teams-message-personal.json", func(m map[string]any) { m["serviceUrl"] = connector.URL })
	w := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/api/messages", bytes.NewReader(body))
	req.Host = "127.0.0.1:3978" // the server's own loopback origin
	req.Header.Set("Content-Type", "application/json")
	srv.Handler().ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("status = %d, want 200", w.Code)
	}
	turn := rec.next(t)
	if turn.Identity.Authenticated() || turn.Identity.Scheme != botframework.SchemeDisabled {
		t.Errorf("identity = %+v, want the disabled scheme", turn.Identity)
	}
	call := connector.WaitForCall(t, 1, waitLimit)
	if call.Authorization != "" {
		t.Errorf("Authorization = %q, want none", call.Authorization)
	}
	if err := srv.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestHealthz(t *testing.T) {
	h := newHarness(t, botframework.HandlerFuncs{})
	resp, err := http.Get(strings.TrimSuffix(h.url, "/api/messages") + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status = %d", resp.StatusCode)
	}
}

func TestReadyLoadsTheSigningKeys(t *testing.T) {
	h := newHarness(t, botframework.HandlerFuncs{})
	if n := h.issuer.JWKSRequests(); n != 0 {
		t.Fatalf("keys fetched before anyone asked: %d", n)
	}
	if err := h.server.Ready(t.Context()); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	if n := h.issuer.JWKSRequests(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1", n)
	}
	if err := h.server.Ready(t.Context()); err != nil || h.issuer.JWKSRequests() != 1 {
		t.Errorf("second Ready refetched or failed: %v", err)
	}
}

func TestReadyFailsWhenTheKeysCannotBeLoaded(t *testing.T) {
	h := newHarness(t, botframework.HandlerFuncs{})
	h.issuer.FailJWKS(500, 5)
	if err := h.server.Ready(t.Context()); err == nil {
		t.Error("Ready succeeded without keys")
	}
}

func TestConfigChecksTokenAndKeysAsTheServerWould(t *testing.T) {
	h := newHarness(t, botframework.HandlerFuncs{})
	cfg := botframework.Config{MicrosoftAppId: testAppID, MicrosoftAppPassword: testSecret,
		ToBotFromChannelOpenIdMetadataUrl: h.issuer.MetadataURL, ToChannelFromBotLoginUrl: h.tokens.URL}
	n, err := cfg.LoadSigningKeys(t.Context(), nil)
	if err != nil || n == 0 {
		t.Fatalf("LoadSigningKeys = %d, %v", n, err)
	}
	ts, err := cfg.NewTokenSource(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := ts.Token(t.Context())
	if err != nil || !h.tokens.Valid(tok) {
		t.Fatalf("token %q, %v", tok, err)
	}
	bad := cfg
	bad.MicrosoftAppPassword = "wrong"
	ts, _ = bad.NewTokenSource(nil, nil)
	if _, err := ts.Token(t.Context()); err == nil {
		t.Error("a wrong password got a token")
	}
}

func TestAnAcknowledgedActivityThatDoesNotDecodeIsDroppedWithAnError(t *testing.T) {
	rec := newTurnRecorder()
	h := newHarness(t, rec)
	// The routing members are fine; "from" is of the wrong JSON type, which
	// only the full decode, in the turn after the 200, finds.
	body := h.activity("teams/teams-message-personal.json", func(m map[string]any) { m["from"] = 5 })
	if status, _ := h.postSigned(body); status != 200 {
		t.Fatalf("status = %d, want 200", status)
	}
	deadline := time.Now().Add(waitLimit)
	for len(h.logs.records("dropped an acknowledged activity that does not decode")) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no error logged:\n%s", h.logs)
		}
		time.Sleep(5 * time.Millisecond)
	}
	rec.none(t)
}

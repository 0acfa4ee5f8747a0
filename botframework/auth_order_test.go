package botframework_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

// countingBody is a request body that counts the bytes read from it.
type countingBody struct {
	r    io.Reader
	read atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read.Add(int64(n))
	return n, err
}

func (b *countingBody) Close() error { return nil }

// serve runs one request through the server's handler in process.
func (h *harness) serve(body io.Reader, authorization string) int {
	h.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/messages", body)
	req.Header.Set("Content-Type", "application/json")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	w := httptest.NewRecorder()
	h.server.Handler().ServeHTTP(w, req)
	return w.Code
}

func TestTheTokenIsCheckedBeforeTheBodyIsRead(t *testing.T) {
	rec := replyingRecorder()
	h := newHarness(t, rec)
	su := h.connector.URL
	now := h.clock.Now()
	for _, tc := range []struct {
		name          string
		authorization string
	}{
		{"no authorization header", ""},
		{"basic scheme", "Basic YXBwOnNlY3JldA=="},
		{"garbage token", "Bearer not-a-jwt"},
		{"alg none", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Algorithm: "none"})},
		{"forged signature", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, SignWithUnpublishedKey: true})},
		{"unknown kid", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, KeyID: "no-such-key"})},
		{"wrong issuer", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Issuer: "https://evil.example.com"})},
		{"another app's token", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Audience: "other-app"})},
		{"expired", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, NotBefore: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Not JSON at all: reading or parsing it would answer 400.
			body := &countingBody{r: strings.NewReader("{" + strings.Repeat("x", 200<<10))}
			if got := h.serve(body, tc.authorization); got != http.StatusUnauthorized {
				t.Errorf("status = %d, want 401", got)
			}
			if n := body.read.Load(); n != 0 {
				t.Errorf("%d bytes of the body were read before the token was refused", n)
			}
			rec.none(t)
		})
	}
	// A valid token with a body that is not an activity is a 400, once
	// the token has passed.
	if got := h.serve(strings.NewReader("{"), h.issuer.Bearer(su)); got != http.StatusBadRequest {
		t.Errorf("valid token, broken body: status = %d, want 400", got)
	}
}

func TestLogLinesCarryAtMostAFewHundredBytesOfAnyRequestValue(t *testing.T) {
	rec := replyingRecorder()
	h := newHarness(t, rec, func(_ *harness, s *setup) { s.cfg.AllowedTenantIds = []string{testTenant} })
	su := h.connector.URL
	huge := strings.Repeat("A", 300<<10)
	for _, tc := range []struct {
		name   string
		auth   string
		edit   func(map[string]any)
		status int
	}{
		{"huge unknown kid", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, KeyID: huge}), nil, 401},
		{"huge issuer claim", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Issuer: huge}), nil, 401},
		{"huge audience claim", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Audience: huge}), nil, 401},
		{"huge serviceurl claim", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su + huge}), nil, 401},
		{"huge serviceUrl in the body", h.issuer.Bearer(su), func(m map[string]any) { m["serviceUrl"] = su + huge[:200<<10] }, 401},
		{"huge channel id", h.issuer.Bearer(su), func(m map[string]any) { m["channelId"] = huge[:200<<10] }, 401},
		{"huge activity id from another tenant", h.issuer.Bearer(su), func(m map[string]any) {
			m["id"] = huge[:200<<10]
			m["channelData"] = map[string]any{"tenant": map[string]any{"id": huge[:10<<10]}}
		}, 403},
		{"huge activity and conversation ids, authenticated", h.issuer.Bearer(su), func(m map[string]any) {
			m["id"] = huge[:100<<10]
			m["conversation"].(map[string]any)["id"] = huge[:100<<10]
		}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var edits []func(map[string]any)
			if tc.edit != nil {
				edits = append(edits, tc.edit)
			}
			before := len(h.logs.String())
			if got := h.serve(bytes.NewReader(h.activity("teams/teams-message-personal.json", edits...)), tc.auth); got != tc.status {
				t.Fatalf("status = %d, want %d", got, tc.status)
			}
			if tc.status == 200 {
				rec.next(t)
				time.Sleep(50 * time.Millisecond) // let the turn's own log lines land
			}
			if n := len(h.logs.String()) - before; n > 8<<10 {
				t.Errorf("the request wrote %d bytes of log, want a few KiB at most", n)
			}
		})
	}
}

func TestMinimalActivityHeaderDecodingAgreesWithTheFullDecoder(t *testing.T) {
	for _, name := range []string{
		"teams/teams-message-personal.json",
		"teams/teams-message-channel-mention.json",
		"teams/teams-conversationupdate-bot-added-to-team.json",
		"cards/inbound-adaptivecard-action-invoke.illustrative.json",
	} {
		t.Run(name, func(t *testing.T) {
			body := readTestdata(t, name)
			got, err := botframework.DecodeRouting(body)
			if err != nil {
				t.Fatal(err)
			}
			var full botframework.Activity
			if err := full.UnmarshalJSON(body); err != nil {
				t.Fatal(err)
			}
			if got.ServiceURL != full.ServiceURL || got.ChannelID != full.ChannelID {
				t.Errorf("routing %+v, full decode serviceUrl %q channelId %q", got, full.ServiceURL, full.ChannelID)
			}
		})
	}
}

func TestARememberedTokenStillFacesEveryActivityCheckAndItsExpiry(t *testing.T) {
	rec := replyingRecorder()
	h := newHarness(t, rec, func(_ *harness, s *setup) { s.cfg.AllowedTenantIds = []string{testTenant} })
	auth := h.issuer.Bearer(h.connector.URL)
	personal := h.activity("teams/teams-message-personal.json")
	if got := h.serve(bytes.NewReader(personal), auth); got != http.StatusOK {
		t.Fatalf("first request: status %d", got)
	}
	rec.next(t)
	for _, tc := range []struct {
		name   string
		edit   func(map[string]any)
		status int
	}{
		{"same token, another serviceUrl", func(m map[string]any) { m["serviceUrl"] = "https://attacker.example.com/" }, 401},
		{"same token, another channel", func(m map[string]any) { m["channelId"] = "webchat" }, 401},
		{"same token, another tenant", func(m map[string]any) {
			m["channelData"] = map[string]any{"tenant": map[string]any{"id": "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f"}}
		}, 403},
		{"same token, same activity", nil, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var edits []func(map[string]any)
			if tc.edit != nil {
				edits = append(edits, tc.edit)
			}
			if got := h.serve(bytes.NewReader(h.activity("teams/teams-message-personal.json", edits...)), auth); got != tc.status {
				t.Errorf("status = %d, want %d", got, tc.status)
			}
			if tc.status == 200 {
				rec.next(t)
			} else {
				rec.none(t)
			}
		})
	}
	h.clock.Advance(66 * time.Minute) // an hour's token, plus the 5 minute skew
	if got := h.serve(bytes.NewReader(personal), auth); got != http.StatusUnauthorized {
		t.Errorf("the remembered token after it expired: status %d, want 401", got)
	}
}

package botframework_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

// replyingRecorder returns a recorder that replies "pong" to every
// activity, so an accepted request shows up at the fake connector.
func replyingRecorder() *turnRecorder {
	rec := newTurnRecorder()
	rec.reply = func(ctx context.Context, t *botframework.Turn) error {
		_, err := t.ReplyText(ctx, "pong")
		return err
	}
	return rec
}

func TestForgedOrBrokenTokensAreRejected(t *testing.T) {
	rec := replyingRecorder()
	h := newHarness(t, rec)
	webchatOnly := h.issuer.AddKey("webchat")
	bothChannels := h.issuer.AddKey("msteams", "webchat")
	emulator := bftest.NewIssuer(t, bftest.IssuerOptions{AppID: testAppID, Emulator: true, Now: h.clock.Now})
	personal := h.activity("teams/teams-message-personal.json")
	su := h.connector.URL
	now := h.clock.Now()
	valid := h.issuer.Token(bftest.TokenSpec{ServiceURL: su})

	for _, tc := range []struct {
		name          string
		authorization string
		body          []byte // personal message unless set
		check         botframework.AuthCheck
	}{
		{"no authorization header", "", nil, botframework.CheckHeader},
		{"basic scheme", "Basic " + base64.StdEncoding.EncodeToString([]byte("app:secret")), nil, botframework.CheckScheme},
		{"lower-case bearer scheme", "bearer " + valid, nil, botframework.CheckScheme},
		{"bearer without a token", "Bearer ", nil, botframework.CheckScheme},
		{"two spaces after bearer", "Bearer  " + valid, nil, botframework.CheckScheme},
		{"token alone without scheme", valid, nil, botframework.CheckScheme},
		{"garbage token", "Bearer not-a-jwt", nil, botframework.CheckFormat},
		{"three garbage segments", "Bearer a.b.c", nil, botframework.CheckFormat},
		{"alg none", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Algorithm: "none"}), nil, botframework.CheckAlgorithm},
		{"HS256 signed with the public key", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Algorithm: "HS256"}), nil, botframework.CheckAlgorithm},
		{"PS256 is not an allowed algorithm", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Header: map[string]any{"alg": "PS256"}}), nil, botframework.CheckAlgorithm},
		{"signed with a key that is not published", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, SignWithUnpublishedKey: true}), nil, botframework.CheckSignature},
		{"payload tampered after signing", "Bearer " + tamper(t, valid, "aud", "someone-else"), nil, botframework.CheckSignature},
		{"missing kid", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, OmitKeyID: true}), nil, botframework.CheckKeyID},
		{"unknown kid", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, KeyID: "no-such-key"}), nil, botframework.CheckSigningKey},
		{"wrong issuer", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Issuer: "https://evil.example.com"}), nil, botframework.CheckIssuer},
		{"audience is another app", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Audience: "11111111-2222-3333-4444-555555555555"}), nil, botframework.CheckAudience},
		{"audience array without the app id", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Audience: []string{"https://api.botframework.com", "other"}}), nil, botframework.CheckAudience},
		{"audience is a prefix of the app id", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Audience: testAppID[:10]}), nil, botframework.CheckAudience},
		{"expired beyond the 5 minute skew", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, NotBefore: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-6 * time.Minute)}), nil, botframework.CheckLifetime},
		{"not valid before 6 minutes from now", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, NotBefore: now.Add(6 * time.Minute)}), nil, botframework.CheckLifetime},
		{"no exp claim", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, OmitExpiry: true}), nil, botframework.CheckLifetime},
		{"key not endorsed for msteams", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, KeyID: webchatOnly}), nil, botframework.CheckEndorsement},
		{"channel not allowed even if endorsed", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, KeyID: bothChannels}),
			h.activity("teams/teams-message-personal.json", func(m map[string]any) { m["channelId"] = "webchat" }), botframework.CheckChannel},
		{"emulator channel on the Bot Connector path", h.issuer.Bearer(su),
			h.activity("teams/teams-message-personal.json", func(m map[string]any) { m["channelId"] = "emulator" }), botframework.CheckChannel},
		{"serviceurl claim for another host", h.issuer.Bearer("https://smba.trafficmanager.net/amer/"), nil, botframework.CheckServiceURL},
		{"serviceurl claim missing", h.issuer.Authorization(bftest.TokenSpec{}), nil, botframework.CheckServiceURL},
		{"activity serviceUrl changed after signing", h.issuer.Bearer(su),
			h.activity("teams/teams-message-personal.json", func(m map[string]any) { m["serviceUrl"] = "https://attacker.example.com/" }), botframework.CheckServiceURL},
		{"Emulator token while the Emulator is not allowed", emulator.Authorization(bftest.TokenSpec{}), nil, botframework.CheckSigningKey},
		{"Emulator issuer signed by a Bot Connector key while the Emulator is not allowed", h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Issuer: bftest.EmulatorIssuer}), nil, botframework.CheckIssuer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if body == nil {
				body = personal
			}
			before := len(h.logs.records("rejected unauthenticated request"))
			status, respBody := h.post(body, tc.authorization)
			if status != 401 {
				t.Fatalf("status = %d, want 401", status)
			}
			if len(respBody) != 0 {
				t.Errorf("401 body = %q, want none", respBody)
			}
			rec.none(t)
			if n := len(h.connector.Calls()); n != 0 {
				t.Errorf("%d calls reached the connector, want none", n)
			}
			logged := h.logs.records("rejected unauthenticated request")
			if len(logged) != before+1 {
				t.Fatalf("rejections logged = %d, want %d", len(logged), before+1)
			}
			if got := logged[len(logged)-1]["check"]; got != string(tc.check) {
				t.Errorf("logged check = %v, want %q (err: %v)", got, tc.check, logged[len(logged)-1]["err"])
			}
		})
	}
}

// tamper changes one claim of a signed token without re-signing it.
func tamper(t *testing.T, token, claim string, value any) string {
	t.Helper()
	parts := strings.Split(token, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	claims[claim] = value
	payload, err = json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}

func TestValidTokensAreAccepted(t *testing.T) {
	rec := replyingRecorder()
	h := newHarness(t, rec)
	su := h.connector.URL
	now := h.clock.Now()
	for _, tc := range []struct {
		name string
		spec bftest.TokenSpec
	}{
		{"RS256 token from the Bot Connector", bftest.TokenSpec{ServiceURL: su}},
		{"RS384", bftest.TokenSpec{ServiceURL: su, Algorithm: "RS384"}},
		{"RS512", bftest.TokenSpec{ServiceURL: su, Algorithm: "RS512"}},
		{"expired 4 minutes ago, within the skew", bftest.TokenSpec{ServiceURL: su, NotBefore: now.Add(-time.Hour), ExpiresAt: now.Add(-4 * time.Minute)}},
		{"nbf 4 minutes ahead, within the skew", bftest.TokenSpec{ServiceURL: su, NotBefore: now.Add(4 * time.Minute)}},
		{"audience array containing the app id", bftest.TokenSpec{ServiceURL: su, Audience: []string{"other", testAppID}}},
		{"serviceurl claim differing only in case", bftest.TokenSpec{ServiceURL: strings.ToUpper(su)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := len(h.connector.Calls())
			status, _ := h.post(h.activity("teams/teams-message-personal.json"), h.issuer.Authorization(tc.spec))
			if status != 200 {
				t.Fatalf("status = %d, want 200; log:\n%s", status, h.logs)
			}
			turn := rec.next(t)
			if !turn.Identity.Authenticated() || turn.Identity.Scheme != botframework.SchemeBotConnector {
				t.Errorf("identity = %+v, want an authenticated Bot Connector identity", turn.Identity)
			}
			if turn.Identity.Claims["serviceurl"] == nil {
				t.Errorf("claims = %v, want the verified claims", turn.Identity.Claims)
			}
			h.connector.WaitForCall(t, calls+1, waitLimit)
		})
	}
}

func TestEmulatorTokensAcceptedOnlyWhenAllowed(t *testing.T) {
	rec := replyingRecorder()
	var emulator *bftest.Issuer
	h := newHarness(t, rec, func(h *harness, s *setup) {
		emulator = bftest.NewIssuer(t, bftest.IssuerOptions{AppID: testAppID, Emulator: true, Now: h.clock.Now})
		s.cfg.AllowEmulator = true
		s.cfg.ToBotFromEmulatorOpenIdMetadataUrl = emulator.MetadataURL
	})
	fromEmulator := h.activity("teams/teams-message-personal.json", func(m map[string]any) { m["channelId"] = "emulator" })

	if status, _ := h.post(fromEmulator, emulator.Authorization(bftest.TokenSpec{})); status != 200 {
		t.Fatalf("status = %d, want 200; log:\n%s", status, h.logs)
	}
	if id := rec.next(t).Identity; id.Scheme != botframework.SchemeEmulator || id.CallerID != "" {
		t.Errorf("identity = %+v, want the Emulator scheme without caller id", id)
	}
	h.connector.WaitForCall(t, 1, waitLimit)

	for _, tc := range []struct {
		name  string
		body  []byte
		auth  string
		check botframework.AuthCheck
	}{
		{"Emulator token for a Teams activity", h.activity("teams/teams-message-personal.json"), emulator.Authorization(bftest.TokenSpec{}), botframework.CheckChannel},
		{"azp is another app", fromEmulator, emulator.Authorization(bftest.TokenSpec{Claims: map[string]any{"azp": "other-app"}}), botframework.CheckAppID},
		{"v1 token without appid", fromEmulator, emulator.Authorization(bftest.TokenSpec{Claims: map[string]any{"ver": "1.0"}}), botframework.CheckAppID},
		{"unknown token version", fromEmulator, emulator.Authorization(bftest.TokenSpec{Claims: map[string]any{"ver": "3.0"}}), botframework.CheckAppID},
		{"audience is another app", fromEmulator, emulator.Authorization(bftest.TokenSpec{Audience: "other"}), botframework.CheckAudience},
		{"signed by a Bot Connector key", fromEmulator, "Bearer " + h.issuer.Token(bftest.TokenSpec{Issuer: bftest.EmulatorIssuer}), botframework.CheckSigningKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _ := h.post(tc.body, tc.auth)
			if status != 401 {
				t.Fatalf("status = %d, want 401", status)
			}
			rec.none(t)
			logged := h.logs.records("rejected unauthenticated request")
			if got := logged[len(logged)-1]["check"]; got != string(tc.check) {
				t.Errorf("logged check = %v, want %q (err: %v)", got, tc.check, logged[len(logged)-1]["err"])
			}
		})
	}
	if n := len(h.connector.Calls()); n != 1 {
		t.Errorf("connector calls = %d, want only the first reply", n)
	}
}

func TestTenantAllowList(t *testing.T) {
	rec := newTurnRecorder()
	h := newHarness(t, rec, func(_ *harness, s *setup) { s.cfg.AllowedTenantIds = []string{strings.ToUpper(testTenant)} })
	for _, tc := range []struct {
		name   string
		edit   func(map[string]any)
		status int
	}{
		{"allowed tenant in channelData", func(map[string]any) {}, 200},
		{"allowed tenant only in conversation.tenantId", func(m map[string]any) {
			delete(m, "channelData")
			m["conversation"].(map[string]any)["tenantId"] = testTenant
		}, 200},
		{"other tenant", func(m map[string]any) {
			m["channelData"] = map[string]any{"tenant": map[string]any{"id": "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f"}}
		}, 403},
		{"no tenant at all", func(m map[string]any) { delete(m, "channelData") }, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _ := h.postSigned(h.activity("teams/teams-message-personal.json", tc.edit))
			if status != tc.status {
				t.Fatalf("status = %d, want %d", status, tc.status)
			}
			if tc.status == 200 {
				rec.next(t)
			} else {
				rec.none(t)
			}
		})
	}
}

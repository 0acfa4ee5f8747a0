package botframework_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

// errorCollector is a handler that replies and keeps the errors it gets.
type errorCollector struct {
	mu   sync.Mutex
	errs []error
	done chan struct{}
}

func (c *errorCollector) OnActivity(ctx context.Context, t *botframework.Turn) error {
	defer func() { c.done <- struct{}{} }()
	_, err := t.ReplyText(ctx, "hello")
	if err != nil {
		c.mu.Lock()
		c.errs = append(c.errs, err)
		c.mu.Unlock()
	}
	return err
}

func (c *errorCollector) OnInvoke(context.Context, *botframework.Turn) (botframework.InvokeResponse, error) {
	return botframework.InvokeResponse{}, errors.New("invoke failed")
}

func TestSecretsAndTokensNeverLogged(t *testing.T) {
	const wrongSecret = "wr0ng-s3cr3t-also-never-logged"
	var leaks []string // every secret and bearer token that must not appear
	var texts []string // every log and error text produced

	t.Run("wrong password makes replies fail", func(t *testing.T) {
		coll := &errorCollector{done: make(chan struct{}, 4)}
		h := newHarness(t, coll, func(_ *harness, s *setup) { s.cfg.MicrosoftAppPassword = wrongSecret })
		auth := h.issuer.Bearer(h.connector.URL)
		leaks = append(leaks, wrongSecret, strings.TrimPrefix(auth, "Bearer "))
		if status, _ := h.post(h.activity("teams/teams-message-personal.json"), auth); status != 200 {
			t.Fatalf("status = %d", status)
		}
		<-coll.done
		var te *botframework.TokenError
		if len(coll.errs) != 1 || !errors.As(coll.errs[0], &te) || te.Code != "invalid_client" {
			t.Fatalf("reply errors = %v, want an invalid_client TokenError", coll.errs)
		}
		h.server.Shutdown(t.Context())
		texts = append(texts, h.logs.String(), fmt.Sprint(coll.errs))
	})

	t.Run("forged tokens, connector failures and a failing invoke", func(t *testing.T) {
		coll := &errorCollector{done: make(chan struct{}, 4)}
		h := newHarness(t, coll)
		su := h.connector.URL
		forged := []string{
			h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Algorithm: "HS256"}),
			h.issuer.Authorization(bftest.TokenSpec{ServiceURL: "https://evil.example.com/"}),
			h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, Audience: "other"}),
			h.issuer.Authorization(bftest.TokenSpec{ServiceURL: su, SignWithUnpublishedKey: true}),
			"Basic " + testSecret,
		}
		for _, auth := range forged {
			leaks = append(leaks, strings.TrimPrefix(strings.TrimPrefix(auth, "Bearer "), "Basic "))
			if status, _ := h.post(h.activity("teams/teams-message-personal.json"), auth); status != 401 {
				t.Fatalf("forged token status = %d", status)
			}
		}
		h.connector.Fail(bftest.Failure{Status: 403, Code: "BotDisabledByAdmin"})
		valid := h.issuer.Bearer(su)
		leaks = append(leaks, strings.TrimPrefix(valid, "Bearer "))
		if status, _ := h.post(h.activity("teams/teams-message-personal.json"), valid); status != 200 {
			t.Fatalf("status = %d", status)
		}
		<-coll.done
		if status, _ := h.postSigned(h.activity("cards/inbound-adaptivecard-action-invoke.illustrative.json")); status != 500 {
			t.Fatalf("invoke status = %d", status)
		}
		if len(coll.errs) != 1 || !errors.Is(coll.errs[0], botframework.ErrForbidden) {
			t.Fatalf("reply errors = %v, want ErrForbidden", coll.errs)
		}
		leaks = append(leaks, h.tokens.Issued()...)
		if len(h.tokens.Issued()) == 0 {
			t.Fatal("no bot token was issued")
		}
		h.server.Shutdown(t.Context())
		texts = append(texts, h.logs.String(), fmt.Sprint(coll.errs))
	})

	t.Run("configuration printed every way", func(t *testing.T) {
		cfg := validConfig()
		var logs logBuffer
		logger := slog.New(slog.NewJSONHandler(&logs, nil))
		logger.Info("config", "cfg", cfg, "password", cfg.MicrosoftAppPassword)
		slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "cfg", cfg, "password", cfg.MicrosoftAppPassword)
		js, err := json.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		bad := cfg
		bad.MicrosoftAppId = ""
		texts = append(texts, logs.String(), string(js),
			fmt.Sprintf("%v %+v %#v %s %q %x", cfg, cfg, cfg, cfg.MicrosoftAppPassword, cfg.MicrosoftAppPassword, cfg.MicrosoftAppPassword),
			fmt.Sprint(bad.Validate()))
		if !strings.Contains(logs.String(), "[REDACTED]") {
			t.Errorf("redacted marker missing from %s", logs.String())
		}
		if got := cfg.MicrosoftAppPassword.Reveal(); got != testSecret {
			t.Errorf("Reveal() = %q", got)
		}
		leaks = append(leaks, testSecret)
	})

	all := strings.Join(texts, "\n")
	if len(all) < 1000 {
		t.Fatalf("only %d bytes of logs and errors were captured; the test is not exercising anything", len(all))
	}
	for _, secret := range leaks {
		if secret == "" {
			continue
		}
		if strings.Contains(all, secret) {
			t.Errorf("secret or token %.12s… appears in logs or errors", secret)
		}
		// Also the signature part alone (a token split in a message).
		if parts := strings.Split(secret, "."); len(parts) == 3 && len(parts[2]) > 20 && strings.Contains(all, parts[2]) {
			t.Errorf("token signature %.12s… appears in logs or errors", parts[2])
		}
	}
}

package bot_test

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/provbot/provbot/bot"
)

// A handler answers messages through its Turn and Adaptive Card actions
// with an InvokeResponse.
func ExampleNewServer() {
	handler := bot.HandlerFuncs{
		Activity: func(ctx context.Context, t *bot.Turn) error {
			if t.Activity.Type != bot.ActivityMessage {
				return nil
			}
			_ = t.SendTyping(ctx)
			question := t.Activity.TextWithoutRecipientMention()
			_, err := t.ReplyText(ctx, "You asked: "+question)
			return err
		},
		Invoke: func(ctx context.Context, t *bot.Turn) (bot.InvokeResponse, error) {
			action, err := t.Activity.AdaptiveCardAction()
			if err != nil {
				return bot.InvokeNotImplemented(), nil
			}
			return bot.InvokeMessage("Working on " + action.Action.Verb), nil
		},
	}
	cfg := bot.Config{
		MicrosoftAppId:       os.Getenv("MicrosoftAppId"),
		MicrosoftAppPassword: bot.Secret(os.Getenv("MicrosoftAppPassword")),
		MicrosoftAppType:     bot.AppType(os.Getenv("MicrosoftAppType")),
		MicrosoftAppTenantId: os.Getenv("MicrosoftAppTenantId"),
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	addr := "127.0.0.1:3978"
	srv, err := bot.NewServer(cfg, handler, bot.Options{ListenAddr: addr, Logger: logger})
	if err != nil {
		logger.Error("bot configuration", "err", err) // names the offending setting
		return
	}
	hs := &http.Server{Addr: addr, Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.ListenAndServe() }()

	// On SIGTERM: stop new connections, then wait for the turns in flight.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = hs.Shutdown(ctx)
	_ = srv.Shutdown(ctx)
}

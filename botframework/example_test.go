package botframework_test

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/provbot/provbot/botframework"
)

// A handler answers messages through its Turn and Adaptive Card actions
// with an InvokeResponse.
func ExampleNewServer() {
	handler := botframework.HandlerFuncs{
		Activity: func(ctx context.Context, t *botframework.Turn) error {
			if t.Activity.Type != botframework.ActivityMessage {
				return nil
			}
			_ = t.SendTyping(ctx)
			question := t.Activity.TextWithoutRecipientMention()
			_, err := t.ReplyText(ctx, "You asked: "+question)
			return err
		},
		Invoke: func(ctx context.Context, t *botframework.Turn) (botframework.InvokeResponse, error) {
			action, err := t.Activity.AdaptiveCardAction()
			if err != nil {
				return botframework.InvokeNotImplemented(), nil
			}
			return botframework.InvokeMessage("Working on " + action.Action.Verb), nil
		},
	}
	cfg := botframework.Config{
		MicrosoftAppId:       os.Getenv("MicrosoftAppId"),
		MicrosoftAppPassword: botframework.Secret(os.Getenv("MicrosoftAppPassword")),
		MicrosoftAppType:     botframework.AppType(os.Getenv("MicrosoftAppType")),
		MicrosoftAppTenantId: os.Getenv("MicrosoftAppTenantId"),
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	addr := "127.0.0.1:3978"
	srv, err := botframework.NewServer(cfg, handler, botframework.Options{ListenAddr: addr, Logger: logger})
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

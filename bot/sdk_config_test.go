package bot_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

// TestBotConfiguredTheBotbuilderJSWayAnswers configures the bot as a
// botbuilder-js bot for the US Government cloud is configured from
// Microsoft's documentation: ChannelService, ToChannelFromBotLoginUrl as the
// authority (not the token endpoint), ToChannelFromBotOAuthScope as the
// resource (without /.default). The issuer is left to ChannelService; only
// the endpoints the test must reach on loopback are overridden (the signing
// keys' metadata, the login authority). A question must get its card through
// the fake token endpoint and connector.
func TestBotConfiguredTheBotbuilderJSWayAnswers(t *testing.T) {
	clk := newClock()
	issuer := bftest.NewIssuer(t, bftest.IssuerOptions{AppID: testAppID, Now: clk.Now, Issuer: bftest.GovBotConnectorIssuer})
	connector := bftest.NewConnector(t)
	tokens := bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{ClientID: testAppID, ClientSecret: testSecret,
		Scope: "https://api.botframework.us/.default", Tenants: []string{"MicrosoftServices.onmicrosoft.us"}})
	connector.RequireTokensFrom(tokens)
	cfg := botframework.Config{
		MicrosoftAppId:                    testAppID,
		MicrosoftAppPassword:              testSecret,
		ChannelService:                    "https://botframework.azure.us",
		ToChannelFromBotLoginUrl:          tokens.Authority, // http://127.0.0.1:…/MicrosoftServices.onmicrosoft.us
		ToChannelFromBotOAuthScope:        "https://api.botframework.us",
		ToBotFromChannelOpenIdMetadataUrl: issuer.MetadataURL,
	}
	if strings.HasSuffix(cfg.ToChannelFromBotLoginUrl, "/token") {
		t.Fatalf("the login URL %q is a token endpoint, not the authority the SDKs expect", cfg.ToChannelFromBotLoginUrl)
	}

	dir := newFakeDirectory(clk.Now())
	audit := &logBuffer{}
	conv, err := bot.NewConversation(bot.ConversationConfig{Directory: dir, Logger: slog.New(slog.DiscardHandler),
		Audit: slog.New(slog.NewJSONHandler(audit, nil)), Now: clk.Now, HelpDeskContact: "the IT help desk (help@contoso.com)"})
	if err != nil {
		t.Fatal(err)
	}
	callerIDs := make(chan string, 4)
	srv, err := botframework.NewServer(cfg, botframework.HandlerFuncs{
		Activity: func(ctx context.Context, turn *botframework.Turn) error {
			callerIDs <- turn.Activity.CallerID
			return conv.OnActivity(ctx, turn)
		},
		Invoke: conv.OnInvoke,
	}, botframework.Options{ListenAddr: "0.0.0.0:3978", Logger: slog.New(slog.DiscardHandler), Now: clk.Now})
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	web := httptest.NewServer(srv.Handler())
	t.Cleanup(web.Close)
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	h := &convHarness{harness: &harness{t: t, clock: clk, issuer: issuer, connector: connector, url: web.URL + "/api/messages"}, dir: dir, audit: audit}

	card := h.ask(t, meganID, "why can't I get into ServiceNow?")
	if text := cardText(card); !strings.Contains(text, "your ServiceNow account") {
		t.Errorf("card does not answer Megan about ServiceNow:\n%s", text)
	}
	if got := <-callerIDs; got != botframework.CallerIDAzureUSGov {
		t.Errorf("callerId %q, want %q", got, botframework.CallerIDAzureUSGov)
	}
	calls := tokens.Calls()
	if len(calls) == 0 {
		t.Fatal("no bot token was asked for")
	}
	for _, c := range calls {
		if c.Tenant != "MicrosoftServices.onmicrosoft.us" || c.Scope != "https://api.botframework.us/.default" || c.Status != 200 {
			t.Errorf("token request %+v, want tenant MicrosoftServices.onmicrosoft.us, scope https://api.botframework.us/.default, 200", c)
		}
	}
	for _, c := range connector.Calls() {
		if c.Status != 200 {
			t.Errorf("connector answered %d to %s %s", c.Status, c.Method, c.Path)
		}
	}
}

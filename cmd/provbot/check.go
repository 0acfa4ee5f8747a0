package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/escape"
	"github.com/provbot/provbot/workspace"
)

// runCheck is `provbot check`: for an operator setting up. It checks the
// bot settings (coherent; the bot token can be obtained; the signing keys
// load) and Microsoft Graph (a token; each endpoint provbot uses, once, and
// the permission each needs; the tenant's licence for provisioning logs).
// It exits non-zero when something required does not work.
func runCheck(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "check", "[--demo] [--skip-bot]")
	var demo, skipBot bool
	fs.BoolVar(&demo, "demo", false, "check against the embedded demo tenant (shows what a working setup looks like)")
	fs.BoolVar(&skipBot, "skip-bot", false, "check Microsoft Graph only")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	p := painter(isTerminal(e.stdout, e.getenv))
	var b strings.Builder
	failed := 0
	// line prints one check; detail can quote Graph's or a server's
	// message and is cleaned of what a terminal would obey.
	line := func(ok bool, optional bool, what, detail string) {
		detail = escape.TerminalLines(detail)
		mark := p.paint(ansiGreen, "✓")
		switch {
		case !ok && optional:
			mark = p.paint(ansiYellow, "–")
		case !ok:
			mark = p.paint(ansiRed, "✗")
			failed++
		}
		fmt.Fprintf(&b, "  %s %s", mark, what)
		if detail != "" {
			fmt.Fprintf(&b, "\n      %s", detail)
		}
		b.WriteByte('\n')
	}

	if !skipBot && !demo {
		b.WriteString(p.paint(ansiBold, "Bot settings") + "\n")
		checkBot(ctx, e, line)
	}

	b.WriteString(p.paint(ansiBold, "Microsoft Graph") + "\n")
	logger := cliLogger(e)
	var src *source
	if demo {
		src, err = openDemoGraph(e, logger)
	} else {
		src, err = openLiveGraph(e, logger)
	}
	if err != nil {
		line(false, false, "Graph settings", err.Error())
	} else {
		defer src.Close()
		licence := ""
		for _, pr := range src.client.Probe(ctx) {
			if strings.Contains(pr.Name, "provisioning logs") {
				switch {
				case pr.Err == nil:
					licence = "ok"
				case pr.Licence:
					licence = "missing"
				}
			}
			what := fmt.Sprintf("%-34s %s", pr.Name, p.paint(ansiDim, escape.Terminal(pr.Permission)))
			detail := ""
			switch {
			case pr.Err == nil:
			case pr.Licence:
				detail = "The tenant needs a Microsoft Entra ID P1 or P2 licence for provisioning logs."
			case errors.Is(pr.Err, diagnose.ErrForbidden):
				detail = "Grant the application permission " + pr.Permission + " to provbot's Graph app and give admin consent."
				if pr.Optional {
					detail = "Optional: without " + pr.Permission + " provbot cannot read the app's scope setting."
				}
			default:
				detail = pr.Err.Error()
			}
			line(pr.Err == nil, pr.Optional, what, detail)
		}
		switch licence {
		case "ok":
			line(true, false, "Entra ID P1/P2 licence: provisioning logs are available", "")
		case "missing":
			line(false, false, "Entra ID P1/P2 licence", "Provisioning logs need a Microsoft Entra ID P1 or P2 licence in the tenant.")
		}
		gs, _ := loadGraphSettings(e.getenv)
		if demo {
			gs.HelpDeskGroups = []string{"(the demo's help-desk group)"}
		}
		if len(gs.HelpDeskGroups) == 0 {
			line(false, true, "PROVBOT_HELPDESK_GROUPS", "No help-desk groups: everyone is an end user and may only look up their own account.")
		} else {
			line(true, false, fmt.Sprintf("PROVBOT_HELPDESK_GROUPS: %d group(s)", len(gs.HelpDeskGroups)), "")
		}
		b.WriteString(p.paint(ansiBold, "Approved fixes (optional)") + "\n")
		if demo {
			gs.AdminGroups = demoAdminGroups()
		}
		checkActions(ctx, src, gs, line)
	}
	b.WriteString(p.paint(ansiBold, "Log Analytics workspace (history beyond 30 days)") + "\n")
	var (
		wsClient *workspace.Client
		wsErr    error
	)
	switch {
	case demo && src != nil:
		if wsErr = src.openDemoWorkspace(ctx, e); wsErr == nil {
			wsClient = src.ws
		}
	case !demo:
		ws, errs := loadWorkspaceSettings(e.getenv)
		if wsErr = errors.Join(errs...); wsErr == nil {
			wsClient, wsErr = newWorkspaceClient(ws, logger, e.now, nil)
		}
	}
	checkWorkspace(ctx, e, wsClient, wsErr, line)
	b.WriteString(p.paint(ansiBold, "State store (watches, alerts, audit; shared by replicas)") + "\n")
	checkStore(ctx, e, demo, line)
	fmt.Fprint(e.stdout, b.String())
	if failed > 0 {
		return fmt.Errorf("%d check(s) failed", failed)
	}
	fmt.Fprintln(e.stdout, p.paint(ansiGreen, "Everything provbot needs works."))
	return nil
}

// checkBot checks the Bot Framework settings.
func checkBot(ctx context.Context, e env, line func(ok, optional bool, what, detail string)) {
	cfg, err := loadServeConfig(e.getenv, "127.0.0.1:0")
	if err != nil {
		line(false, false, "settings are coherent", strings.ReplaceAll(err.Error(), "\n", "\n      "))
		return
	}
	if cfg.AnyTenant {
		line(false, true, "PROVBOT_TENANTS=*: answers any tenant, on purpose",
			"Teams users of every Microsoft Entra tenant that can reach the bot get answers; list your tenant ids to answer only yours.")
	} else {
		line(true, false, "PROVBOT_TENANTS: answers "+tenantsChoice(cfg), "")
	}
	if cfg.Bot.AuthDisabled() {
		line(false, false, "MicrosoftAppId", "Not set: Teams cannot reach the bot without the Azure Bot's app id and credentials.")
		return
	}
	line(true, false, fmt.Sprintf("settings are coherent (%s, app %s)", nonEmptyStr(string(cfg.Bot.MicrosoftAppType), "MultiTenant"), cfg.Bot.MicrosoftAppId), "")
	botCfg := cfg.Bot
	if botCfg.Credential, err = botCredential(cfg); err != nil {
		line(false, false, "bot credential", err.Error())
		return
	}
	client := &http.Client{Timeout: 30 * time.Second}
	ts, err := botCfg.NewTokenSource(client, nil)
	if err == nil {
		_, err = ts.Token(ctx)
	}
	if err != nil {
		line(false, false, "bot token from "+botCfg.TokenURL(), err.Error())
	} else {
		line(true, false, "bot token from "+botCfg.TokenURL(), "")
	}
	n, err := botCfg.LoadSigningKeys(ctx, client)
	if err != nil {
		line(false, false, "Bot Connector signing keys from "+botCfg.SigningKeysURL(), err.Error())
	} else {
		line(true, false, fmt.Sprintf("Bot Connector signing keys (%d) from %s", n, botCfg.SigningKeysURL()), "")
	}
}

// tenantsChoice says which tenants the bot answers: "any tenant, on
// purpose" or "tenant 72f988bf-…" / "tenants a, b".
func tenantsChoice(cfg serveConfig) string {
	switch ids := cfg.Bot.AllowedTenantIds; {
	case cfg.AnyTenant:
		return "any tenant, on purpose"
	case len(ids) == 1:
		return "tenant " + ids[0]
	default:
		return "tenants " + strings.Join(ids, ", ")
	}
}

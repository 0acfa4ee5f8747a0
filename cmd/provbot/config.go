package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/provbot/provbot/botframework"
)

// serveConfig is everything `provbot serve` reads from the environment and
// its flags. Only this package reads the environment.
type serveConfig struct {
	// Addr is where the server listens (--addr, else PORT as ":PORT",
	// else ":3978", the Bot Framework default).
	Addr string
	// Bot holds the Bot Framework settings by their usual names.
	Bot botframework.Config
	// BotCertificatePath is a PEM or PKCS#12 file with the bot app's
	// certificate and key (PROVBOT_BOT_CERTIFICATE_PATH), used instead of
	// MicrosoftAppPassword.
	BotCertificatePath string
	// GraphURL is Microsoft Graph's base URL including the version
	// (PROVBOT_GRAPH_URL; national clouds or a Graph-compatible endpoint).
	GraphURL string
	// GraphAuth is "azure" (azidentity's default credential chain: the
	// AZURE_* variables, workload identity, managed identity, Azure CLI) or
	// "none" (no token; loopback test endpoints only).
	GraphAuth string
	// HelpDeskGroups are the Entra group object ids whose members may look
	// up anyone (PROVBOT_HELPDESK_GROUPS, comma separated).
	HelpDeskGroups []string
	// AdminGroups are the Entra group object ids whose members may restart
	// provisioning jobs (PROVBOT_ADMIN_GROUPS, comma separated).
	AdminGroups []string
	// HelpDeskContact tells end users whom to ask about other people's
	// accounts (PROVBOT_HELPDESK_CONTACT).
	HelpDeskContact string
	// LogLevel is debug, info, warn or error (PROVBOT_LOG_LEVEL).
	LogLevel slog.Level
	// Workspace is the Log Analytics workspace that keeps provisioning
	// logs beyond Graph's 30 days (PROVBOT_LOG_ANALYTICS_*); off when its
	// ID is empty.
	Workspace workspaceSettings
	// AnyTenant is true when PROVBOT_TENANTS is "*": the bot answers
	// every Microsoft Entra tenant, on purpose. Otherwise
	// Bot.AllowedTenantIds lists the tenants it answers.
	AnyTenant bool
	// Store is where the state that outlives a request is kept
	// (PROVBOT_STORE; see store.go).
	Store storeSettings
}

// The Graph base URLs of the clouds provbot knows.
const defaultGraphURL = "https://graph.microsoft.com/v1.0"

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// loadServeConfig reads the configuration. addrFlag is the --addr flag
// ("" when not given). Every problem is reported, each naming its setting.
func loadServeConfig(getenv func(string) string, addrFlag string) (serveConfig, error) {
	env := func(k string) string { return strings.TrimSpace(getenv(k)) }
	c := serveConfig{
		Addr: addrFlag,
		Bot: botframework.Config{
			MicrosoftAppId:                    env("MicrosoftAppId"),
			MicrosoftAppPassword:              botframework.Secret(getenv("MicrosoftAppPassword")),
			MicrosoftAppType:                  botframework.AppType(env("MicrosoftAppType")),
			MicrosoftAppTenantId:              env("MicrosoftAppTenantId"),
			ChannelService:                    env("ChannelService"),
			ToBotFromChannelOpenIdMetadataUrl: env("ToBotFromChannelOpenIdMetadataUrl"),
			ToBotFromChannelTokenIssuer:       env("ToBotFromChannelTokenIssuer"),
			ToChannelFromBotLoginUrl:          env("ToChannelFromBotLoginUrl"),
			ToChannelFromBotOAuthScope:        env("ToChannelFromBotOAuthScope"),
		},
		BotCertificatePath: env("PROVBOT_BOT_CERTIFICATE_PATH"),
		HelpDeskContact:    env("PROVBOT_HELPDESK_CONTACT"),
	}
	var errs []error
	bad := func(setting, f string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", setting, fmt.Sprintf(f, a...)))
	}

	if c.Addr == "" {
		if p := env("PORT"); p != "" {
			c.Addr = ":" + p
		} else {
			c.Addr = ":3978"
		}
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		bad("--addr/PORT", "%q is not a host:port address", c.Addr)
	}
	gs, gerrs := loadGraphSettings(getenv)
	c.GraphURL, c.GraphAuth, c.HelpDeskGroups, c.AdminGroups = gs.URL, gs.Auth, gs.HelpDeskGroups, gs.AdminGroups
	errs = append(errs, gerrs...)
	ws, werrs := loadWorkspaceSettings(getenv)
	c.Workspace = ws
	errs = append(errs, werrs...)
	st, serrs := loadStoreSettings(getenv)
	c.Store = st
	errs = append(errs, serrs...)
	switch tenants := splitList(env("PROVBOT_TENANTS")); {
	case len(tenants) == 0:
		bad("PROVBOT_TENANTS", "not set: list the Microsoft Entra tenant ids (GUIDs) whose Teams users the bot answers, or set it to * to answer any tenant on purpose")
	case slices.Contains(tenants, "*") && len(tenants) > 1:
		bad("PROVBOT_TENANTS", "* means any tenant: list tenant ids or *, not both")
	case tenants[0] == "*":
		c.AnyTenant = true
	default:
		for _, t := range tenants {
			if !guidRE.MatchString(t) {
				bad("PROVBOT_TENANTS", "%q is not a tenant id (a GUID)", t)
			}
		}
		c.Bot.AllowedTenantIds = tenants
	}
	if c.BotCertificatePath != "" && c.Bot.MicrosoftAppPassword != "" {
		bad("PROVBOT_BOT_CERTIFICATE_PATH", "set either MicrosoftAppPassword or a certificate, not both")
	}
	if c.BotCertificatePath != "" && c.Bot.MicrosoftAppTenantId == "" {
		bad("PROVBOT_BOT_CERTIFICATE_PATH", "a certificate needs MicrosoftAppTenantId")
	}
	switch lvl := strings.ToLower(env("PROVBOT_LOG_LEVEL")); lvl {
	case "", "info":
		c.LogLevel = slog.LevelInfo
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		bad("PROVBOT_LOG_LEVEL", "%q is not one of debug, info, warn, error", lvl)
	}
	// The bot settings: a certificate or managed identity stands in for
	// the password when validating.
	check := c.Bot
	if c.BotCertificatePath != "" {
		check.Credential = placeholderCredential{}
	}
	if err := check.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Bot.CheckListenAddr(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr/PORT: %w", err))
	}
	return c, errors.Join(errs...)
}

// loadGraphSettings reads and checks PROVBOT_GRAPH_URL, PROVBOT_GRAPH_AUTH,
// PROVBOT_HELPDESK_GROUPS and PROVBOT_ADMIN_GROUPS; every problem names its
// setting.
func loadGraphSettings(getenv func(string) string) (graphSettings, []error) {
	env := func(k string) string { return strings.TrimSpace(getenv(k)) }
	s := graphSettings{URL: env("PROVBOT_GRAPH_URL"), Auth: strings.ToLower(env("PROVBOT_GRAPH_AUTH")),
		HelpDeskGroups: splitList(env("PROVBOT_HELPDESK_GROUPS")), AdminGroups: splitList(env("PROVBOT_ADMIN_GROUPS"))}
	var errs []error
	bad := func(setting, f string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", setting, fmt.Sprintf(f, a...)))
	}
	if s.URL == "" {
		s.URL = defaultGraphURL
	}
	u, err := url.Parse(s.URL)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		bad("PROVBOT_GRAPH_URL", "%q is not an http(s) URL", s.URL)
	case u.Scheme == "http" && !isLoopbackHost(u.Hostname()):
		bad("PROVBOT_GRAPH_URL", "plain http is only allowed to a loopback address, not %q", u.Host)
	case !strings.HasSuffix(strings.TrimRight(u.Path, "/"), "/v1.0"):
		bad("PROVBOT_GRAPH_URL", "%q must end with the API version /v1.0", s.URL)
	}
	switch s.Auth {
	case "", "azure":
		s.Auth = "azure"
	case "none":
		if err == nil && !isLoopbackHost(u.Hostname()) {
			bad("PROVBOT_GRAPH_AUTH", "none is only allowed when PROVBOT_GRAPH_URL is a loopback address (it is %q)", s.URL)
		}
	default:
		bad("PROVBOT_GRAPH_AUTH", "%q is not one of azure, none", s.Auth)
	}
	for _, g := range s.HelpDeskGroups {
		if !guidRE.MatchString(g) {
			bad("PROVBOT_HELPDESK_GROUPS", "%q is not a group object id (a GUID)", g)
		}
	}
	for _, g := range s.AdminGroups {
		if !guidRE.MatchString(g) {
			bad("PROVBOT_ADMIN_GROUPS", "%q is not a group object id (a GUID)", g)
		}
	}
	return s, errs
}

// splitList splits a comma- or space-separated list.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
}

// isLoopbackHost reports whether a host name or address is the loopback
// interface.
func isLoopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

package botframework

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// AppType is the kind of Microsoft Entra app registration behind the bot
// (the MicrosoftAppType setting).
type AppType string

// App types, as the Bot Framework SDKs name them (compared
// case-insensitively; "UserAssignedMsi" is accepted too).
const (
	MultiTenant     AppType = "MultiTenant"
	SingleTenant    AppType = "SingleTenant"
	UserAssignedMSI AppType = "UserAssignedMSI"
)

// The clouds' settings, as the Bot Framework SDKs define them
// (botbuilder-js authenticationConstants.ts and governmentConstants.ts,
// botbuilder-dotnet AuthenticationConstants.cs). ToChannelFromBotLoginUrl
// is the authority the bot token comes from (the token endpoint is the
// authority followed by [TokenEndpointPath]) and ToChannelFromBotOAuthScope
// the resource the token is for ("/.default" is appended when the token is
// asked for).
const (
	// GovChannelService is the ChannelService value that selects the US
	// Government cloud.
	GovChannelService = "https://botframework.azure.us"
	// TokenEndpointPath follows the authority in the token endpoint's URL.
	TokenEndpointPath = "/oauth2/v2.0/token"

	DefaultToBotFromChannelOpenIdMetadataUrl  = "https://login.botframework.com/v1/.well-known/openidconfiguration"
	DefaultToBotFromChannelTokenIssuer        = "https://api.botframework.com"
	DefaultToBotFromEmulatorOpenIdMetadataUrl = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
	DefaultToChannelFromBotLoginUrl           = "https://login.microsoftonline.com/botframework.com"
	DefaultToChannelFromBotOAuthScope         = "https://api.botframework.com"

	GovToBotFromChannelOpenIdMetadataUrl  = "https://login.botframework.azure.us/v1/.well-known/openidconfiguration"
	GovToBotFromChannelTokenIssuer        = "https://api.botframework.us"
	GovToBotFromEmulatorOpenIdMetadataUrl = "https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration"
	GovToChannelFromBotLoginUrl           = "https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us"
	GovToChannelFromBotOAuthScope         = "https://api.botframework.us"
)

// cloudSettings are one cloud's defaults.
type cloudSettings struct {
	metadataURL, issuer, emulatorMetadataURL, loginURL, scope, callerID string
}

var (
	publicCloud = cloudSettings{DefaultToBotFromChannelOpenIdMetadataUrl, DefaultToBotFromChannelTokenIssuer,
		DefaultToBotFromEmulatorOpenIdMetadataUrl, DefaultToChannelFromBotLoginUrl, DefaultToChannelFromBotOAuthScope, CallerIDAzure}
	govCloud = cloudSettings{GovToBotFromChannelOpenIdMetadataUrl, GovToBotFromChannelTokenIssuer,
		GovToBotFromEmulatorOpenIdMetadataUrl, GovToChannelFromBotLoginUrl, GovToChannelFromBotOAuthScope, CallerIDAzureUSGov}
)

// sdkLoginHosts are the login hosts whose authority the SDKs build from the
// app's tenant (botbuilder-js PasswordServiceClientCredentialFactory: a
// login URL starting with https://login.microsoftonline.com/ or .us/ gets
// the tenant MicrosoftAppTenantId for SingleTenant, else the cloud's
// default tenant; any other login URL is used as given), with that default.
var sdkLoginHosts = map[string]string{
	"login.microsoftonline.com": "botframework.com",
	"login.microsoftonline.us":  "MicrosoftServices.onmicrosoft.us",
}

// Config holds the Bot Framework settings, named as Bot Framework users know
// them and meaning what the Bot Framework SDKs mean by them (the cmd layer
// fills it from the environment). ChannelService picks the cloud whose
// defaults (above) apply; each override replaces its one value. Leaving
// MicrosoftAppId empty disables authentication, which [NewServer] allows
// only on a loopback listen address.
type Config struct {
	// MicrosoftAppId is the bot's Microsoft App ID (for UserAssignedMSI, the
	// managed identity's client id). Inbound tokens must have it as aud.
	MicrosoftAppId string
	// MicrosoftAppPassword is the app's client secret, used to get the bot
	// token for replies. Not allowed with UserAssignedMSI.
	MicrosoftAppPassword Secret
	// MicrosoftAppType is MultiTenant (the default when empty), SingleTenant
	// or UserAssignedMSI.
	MicrosoftAppType AppType
	// MicrosoftAppTenantId is the app's home tenant. Required for
	// SingleTenant and UserAssignedMSI; it selects the token authority and
	// the Emulator's single-tenant issuers.
	MicrosoftAppTenantId string

	// ChannelService selects the cloud: empty for the public Azure cloud,
	// [GovChannelService] for US Government, which switches the default of
	// every setting below to the Gov… constants. Other values are refused,
	// as the SDKs refuse them.
	ChannelService string

	// ToBotFromChannelOpenIdMetadataUrl is where the Bot Connector's signing
	// keys are published (OpenID metadata whose jwks_uri lists them).
	ToBotFromChannelOpenIdMetadataUrl string
	// ToBotFromChannelTokenIssuer is the iss of Bot Connector tokens.
	ToBotFromChannelTokenIssuer string
	// ToChannelFromBotLoginUrl is the authority the bot token comes from,
	// https://{login host}/{tenant}; the full token endpoint (the authority
	// followed by /oauth2/v2.0/token, as old SDK constants held it) is
	// accepted too. On Microsoft's login hosts the tenant is
	// MicrosoftAppTenantId for SingleTenant, as in the SDKs. Default: the
	// cloud's multi-tenant authority.
	ToChannelFromBotLoginUrl string
	// ToChannelFromBotOAuthScope is the resource the bot token is for;
	// "/.default" is appended when missing, as the SDKs do.
	ToChannelFromBotOAuthScope string

	// AllowEmulator accepts tokens the Bot Framework Emulator obtained with
	// the bot's own credentials (channelId "emulator" only). For development.
	AllowEmulator bool
	// ToBotFromEmulatorOpenIdMetadataUrl is where the Emulator path's signing
	// keys (Microsoft Entra ID's) are published.
	ToBotFromEmulatorOpenIdMetadataUrl string
	// AllowedChannelIds are the channels accepted on the Bot Connector path.
	// Default: msteams only.
	AllowedChannelIds []string
	// AllowedTenantIds, when not empty, restricts the bot to activities from
	// these Microsoft Entra tenants (channelData.tenant.id, else
	// conversation.tenantId). A single-tenant registration alone does not
	// stop other tenants' users from messaging the bot.
	AllowedTenantIds []string

	// Credential, when set, gets the bot token instead of
	// MicrosoftAppPassword: an azidentity certificate, workload or managed
	// identity credential built by the caller. For UserAssignedMSI it
	// defaults to a managed identity credential for MicrosoftAppId.
	Credential azcore.TokenCredential
}

// AuthDisabled reports whether the configuration turns authentication off
// (no MicrosoftAppId): inbound requests are not checked and replies carry no
// token. Only for local development on a loopback address.
func (c Config) AuthDisabled() bool { return strings.TrimSpace(c.MicrosoftAppId) == "" }

// ConfigError names a setting whose value is not usable.
type ConfigError struct {
	// Setting is the name of the offending setting, e.g. "MicrosoftAppTenantId".
	Setting string
	// Problem says what is wrong, without the setting's value when secret.
	Problem string
}

// Error names the setting and the problem.
func (e *ConfigError) Error() string { return "bot config: " + e.Setting + ": " + e.Problem }

// tenantPattern matches tenant ids and domain names.
var tenantPattern = regexp.MustCompile(`^[A-Za-z0-9.-]+$`)

// Validate checks the settings and returns every problem found, each a
// [*ConfigError] naming the setting (joined with errors.Join):
//   - MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI;
//   - without MicrosoftAppId (auth disabled) no password, credential or
//     AllowEmulator may be set;
//   - MultiTenant and SingleTenant need MicrosoftAppPassword or Credential
//     (not both); UserAssignedMSI must not have a password;
//   - SingleTenant and UserAssignedMSI need MicrosoftAppTenantId, which must
//     look like a tenant id or domain;
//   - ChannelService must be empty or [GovChannelService];
//   - URL overrides must be https, or http to a loopback host;
//     ToChannelFromBotLoginUrl must be an authority https://host/{tenant}
//     or that followed by /oauth2/v2.0/token, and on Microsoft's login
//     hosts its tenant must be the cloud's multi-tenant one or, for
//     SingleTenant, MicrosoftAppTenantId (the SDKs would silently use
//     those instead);
//   - the issuer and scope overrides, channel and tenant ids must not be
//     blank, and "emulator" is not a Bot Connector channel (use AllowEmulator).
//
// Validate does not know the listen address; see [Config.CheckListenAddr].
func (c Config) Validate() error { return c.validate(true) }

// validate is Validate; needCredential is false when the caller brings its
// own TokenSource.
func (c Config) validate(needCredential bool) error {
	var errs []error
	bad := func(setting, format string, args ...any) {
		errs = append(errs, &ConfigError{Setting: setting, Problem: fmt.Sprintf(format, args...)})
	}
	appType, ok := normalizeAppType(c.MicrosoftAppType)
	if !ok {
		bad("MicrosoftAppType", "%q is not one of MultiTenant, SingleTenant, UserAssignedMSI", c.MicrosoftAppType)
	}
	appID := strings.TrimSpace(c.MicrosoftAppId)
	switch {
	case appID == "":
		if c.MicrosoftAppPassword != "" {
			bad("MicrosoftAppPassword", "is set but MicrosoftAppId is empty")
		}
		if c.Credential != nil {
			bad("Credential", "is set but MicrosoftAppId is empty")
		}
		if c.AllowEmulator {
			bad("AllowEmulator", "needs MicrosoftAppId")
		}
	case appID != c.MicrosoftAppId || strings.ContainsAny(appID, " \t\r\n\"'"):
		bad("MicrosoftAppId", "contains spaces or quotes")
	case ok && appType == UserAssignedMSI:
		if c.MicrosoftAppPassword != "" {
			bad("MicrosoftAppPassword", "must be empty for UserAssignedMSI")
		}
	case ok && needCredential:
		if c.MicrosoftAppPassword == "" && c.Credential == nil {
			bad("MicrosoftAppPassword", "is required for %s (or set Credential)", appType)
		}
		if c.MicrosoftAppPassword != "" && c.Credential != nil {
			bad("MicrosoftAppPassword", "set MicrosoftAppPassword or Credential, not both")
		}
	}
	if appID != "" && ok && (appType == SingleTenant || appType == UserAssignedMSI) && c.MicrosoftAppTenantId == "" {
		bad("MicrosoftAppTenantId", "is required for %s", appType)
	}
	if c.MicrosoftAppTenantId != "" && !tenantPattern.MatchString(c.MicrosoftAppTenantId) {
		bad("MicrosoftAppTenantId", "%q is not a tenant id or domain", c.MicrosoftAppTenantId)
	}
	if _, known := channelCloud(c.ChannelService); !known {
		bad("ChannelService", "%q is not supported: leave it empty for the public cloud or set %s for US Government", c.ChannelService, GovChannelService)
	}
	if c.ToChannelFromBotLoginUrl != "" {
		if err := c.checkLoginURL(appType); err != nil {
			bad("ToChannelFromBotLoginUrl", "%v", err)
		}
	}
	for _, u := range []struct{ setting, raw string }{
		{"ToBotFromChannelOpenIdMetadataUrl", c.ToBotFromChannelOpenIdMetadataUrl},
		{"ToBotFromEmulatorOpenIdMetadataUrl", c.ToBotFromEmulatorOpenIdMetadataUrl},
	} {
		if u.raw == "" {
			continue
		}
		if err := checkEndpointURL(u.raw); err != nil {
			bad(u.setting, "%v", err)
		}
	}
	if c.ToBotFromChannelTokenIssuer != "" && strings.TrimSpace(c.ToBotFromChannelTokenIssuer) != c.ToBotFromChannelTokenIssuer {
		bad("ToBotFromChannelTokenIssuer", "has surrounding spaces")
	}
	if c.ToChannelFromBotOAuthScope != "" && strings.TrimSpace(c.ToChannelFromBotOAuthScope) != c.ToChannelFromBotOAuthScope {
		bad("ToChannelFromBotOAuthScope", "has surrounding spaces")
	}
	for _, id := range c.AllowedChannelIds {
		switch {
		case strings.TrimSpace(id) == "":
			bad("AllowedChannelIds", "contains a blank channel id")
		case strings.EqualFold(id, ChannelEmulator):
			bad("AllowedChannelIds", "%q is not a Bot Connector channel; use AllowEmulator", id)
		}
	}
	if slices.ContainsFunc(c.AllowedTenantIds, func(id string) bool { return strings.TrimSpace(id) == "" }) {
		bad("AllowedTenantIds", "contains a blank tenant id")
	}
	return errors.Join(errs...)
}

// CheckListenAddr refuses to run without authentication anywhere but on a
// loopback address: when MicrosoftAppId is empty, addr (host:port) must be
// "localhost" or a loopback IP. With an app id any address is fine.
func (c Config) CheckListenAddr(addr string) error {
	if !c.AuthDisabled() {
		return nil
	}
	if !isLoopbackListenAddr(addr) {
		return &ConfigError{
			Setting: "MicrosoftAppId",
			Problem: fmt.Sprintf("is empty, which disables authentication; that is only allowed when listening on a loopback address, not %q", addr),
		}
	}
	return nil
}

// normalizeAppType maps the setting to its canonical spelling; "" is
// MultiTenant.
func normalizeAppType(t AppType) (AppType, bool) {
	for _, known := range []AppType{MultiTenant, SingleTenant, UserAssignedMSI} {
		if strings.EqualFold(string(t), string(known)) {
			return known, true
		}
	}
	return MultiTenant, t == ""
}

// appType returns the canonical app type (MultiTenant when unknown; Validate
// rejects unknown ones).
func (c Config) appType() AppType {
	t, _ := normalizeAppType(c.MicrosoftAppType)
	return t
}

// channelCloud returns the cloud a ChannelService value selects, and
// whether the value is known.
func channelCloud(channelService string) (cloudSettings, bool) {
	switch v := strings.TrimRight(strings.TrimSpace(channelService), "/"); {
	case v == "":
		return publicCloud, true
	case strings.EqualFold(v, GovChannelService):
		return govCloud, true
	}
	return publicCloud, false
}

// cloud returns the defaults of the configured cloud.
func (c Config) cloud() cloudSettings {
	cl, _ := channelCloud(c.ChannelService)
	return cl
}

// channelMetadataURL returns the Bot Connector OpenID metadata URL.
func (c Config) channelMetadataURL() string {
	return cmp.Or(c.ToBotFromChannelOpenIdMetadataUrl, c.cloud().metadataURL)
}

// channelIssuer returns the expected iss of Bot Connector tokens.
func (c Config) channelIssuer() string {
	return cmp.Or(c.ToBotFromChannelTokenIssuer, c.cloud().issuer)
}

// callerID returns the callerId stamped on activities the Bot Connector
// sent.
func (c Config) callerID() string { return c.cloud().callerID }

// emulatorMetadataURL returns the Emulator path's OpenID metadata URL.
func (c Config) emulatorMetadataURL() string {
	return cmp.Or(c.ToBotFromEmulatorOpenIdMetadataUrl, c.cloud().emulatorMetadataURL)
}

// splitLoginURL splits a ToChannelFromBotLoginUrl value, an authority
// scheme://host/{tenant} or that followed by /oauth2/v2.0/token (a trailing
// slash allowed), into scheme://host and the tenant.
func splitLoginURL(raw string) (base, tenant string, err error) {
	if err := checkEndpointURL(raw); err != nil {
		return "", "", err
	}
	u, _ := url.Parse(raw)
	if u.RawQuery != "" || u.Fragment != "" {
		return "", "", errors.New("must not have a query or fragment")
	}
	p := strings.TrimSuffix(u.Path, "/")
	if len(p) >= len(TokenEndpointPath) && strings.EqualFold(p[len(p)-len(TokenEndpointPath):], TokenEndpointPath) {
		p = p[:len(p)-len(TokenEndpointPath)]
	}
	tenant = strings.TrimPrefix(p, "/")
	if tenant == "" || strings.Contains(tenant, "/") || !tenantPattern.MatchString(tenant) {
		return "", "", fmt.Errorf("%q is not an authority https://{login host}/{tenant} (optionally followed by %s)", raw, TokenEndpointPath)
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host, tenant, nil
}

// checkLoginURL checks ToChannelFromBotLoginUrl: its shape, and on
// Microsoft's login hosts that its tenant is not one the SDKs would
// silently replace (a tenant other than the multi-tenant default, unless it
// is the single tenant's own).
func (c Config) checkLoginURL(appType AppType) error {
	base, tenant, err := splitLoginURL(c.ToChannelFromBotLoginUrl)
	if err != nil {
		return err
	}
	def, ok := sdkLoginHosts[strings.ToLower(strings.TrimPrefix(base, "https://"))]
	if !ok || strings.EqualFold(tenant, def) {
		return nil
	}
	switch appType {
	case SingleTenant, UserAssignedMSI:
		if !strings.EqualFold(tenant, c.MicrosoftAppTenantId) {
			return fmt.Errorf("names tenant %q but MicrosoftAppTenantId is %q: a %s bot gets its token from its own tenant", tenant, c.MicrosoftAppTenantId, appType)
		}
	default:
		return fmt.Errorf("names tenant %q, but a MultiTenant bot gets its token from %q; for a single-tenant bot set MicrosoftAppType=SingleTenant and MicrosoftAppTenantId=%s", tenant, def, tenant)
	}
	return nil
}

// LoginAuthority returns the authority the bot token comes from, as its
// login host (scheme://host) and tenant: ToChannelFromBotLoginUrl or the
// cloud's default, with MicrosoftAppTenantId as the tenant of a
// SingleTenant or UserAssignedMSI bot on Microsoft's login hosts.
func (c Config) LoginAuthority() (host, tenant string) {
	host, tenant, err := splitLoginURL(cmp.Or(c.ToChannelFromBotLoginUrl, c.cloud().loginURL))
	if err != nil {
		return "", "" // Validate reports it
	}
	_, microsoft := sdkLoginHosts[strings.ToLower(strings.TrimPrefix(host, "https://"))]
	if t := c.appType(); microsoft && (t == SingleTenant || t == UserAssignedMSI) && c.MicrosoftAppTenantId != "" {
		tenant = c.MicrosoftAppTenantId
	}
	return host, tenant
}

// tokenURL returns the OAuth2 token endpoint for the bot token: the
// authority followed by /oauth2/v2.0/token.
func (c Config) tokenURL() string {
	host, tenant := c.LoginAuthority()
	if host == "" {
		return ""
	}
	return host + "/" + tenant + TokenEndpointPath
}

// scope returns the OAuth2 scope of the bot token: the resource with
// "/.default" appended when missing.
func (c Config) scope() string {
	return defaultScope(cmp.Or(c.ToChannelFromBotOAuthScope, c.cloud().scope))
}

// defaultScope appends "/.default" to a resource, as the SDKs do
// (botbuilder-js MsalAppCredentials.getToken), unless it is there.
func defaultScope(s string) string {
	const suffix = "/.default"
	if s == "" || strings.HasSuffix(s, suffix) {
		return s
	}
	return s + suffix
}

// allowedChannels returns the channels accepted on the Bot Connector path.
func (c Config) allowedChannels() []string {
	if len(c.AllowedChannelIds) == 0 {
		return []string{ChannelMSTeams}
	}
	return c.AllowedChannelIds
}

// emulatorIssuers are the iss values of tokens the Emulator obtains from
// Microsoft Entra ID, v1 and v2 tokens, public cloud and US Government (one
// list, as in the SDKs; the keys differ per cloud).
var emulatorIssuers = []string{
	"https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
	"https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0",
	"https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
	"https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0",
	"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
	"https://sts.windows.net/cab8a31a-1906-4287-a0d8-4eef66b95f6e/",
	"https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0",
	"https://login.microsoftonline.us/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
	"https://login.microsoftonline.us/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0",
}

// emulatorIssuerList returns the accepted Emulator issuers: the fixed list
// plus the configured tenant's (never derived from the token itself).
func (c Config) emulatorIssuerList() []string {
	list := slices.Clone(emulatorIssuers)
	if t := c.MicrosoftAppTenantId; t != "" {
		list = append(list,
			"https://sts.windows.net/"+t+"/",
			"https://login.microsoftonline.com/"+t+"/v2.0",
			"https://login.microsoftonline.us/"+t+"/v2.0")
	}
	return list
}

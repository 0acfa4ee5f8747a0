package botframework

import (
	"cmp"
	"errors"
	"fmt"
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

// Defaults for the public Azure cloud (Bot Framework SDK constants).
const (
	DefaultToBotFromChannelOpenIdMetadataUrl  = "https://login.botframework.com/v1/.well-known/openidconfiguration"
	DefaultToBotFromChannelTokenIssuer        = "https://api.botframework.com"
	DefaultToBotFromEmulatorOpenIdMetadataUrl = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
	DefaultToChannelFromBotLoginUrl           = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
	DefaultToChannelFromBotOAuthScope         = "https://api.botframework.com/.default"
)

// Config holds the Bot Framework settings, named as Bot Framework users know
// them (the cmd layer fills it from the environment). Empty overrides take
// the public-cloud defaults above. Leaving MicrosoftAppId empty disables
// authentication, which [NewServer] allows only on a
// loopback listen address.
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

	// ToBotFromChannelOpenIdMetadataUrl is where the Bot Connector's signing
	// keys are published (OpenID metadata whose jwks_uri lists them).
	ToBotFromChannelOpenIdMetadataUrl string
	// ToBotFromChannelTokenIssuer is the iss of Bot Connector tokens.
	ToBotFromChannelTokenIssuer string
	// ToChannelFromBotLoginUrl is the OAuth2 token endpoint for the bot
	// token. Default: the botframework.com tenant's endpoint, or the
	// MicrosoftAppTenantId tenant's for SingleTenant.
	ToChannelFromBotLoginUrl string
	// ToChannelFromBotOAuthScope is the scope of the bot token.
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
//   - URL overrides must be https, or http to a loopback host;
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
	for _, u := range []struct{ setting, raw string }{
		{"ToBotFromChannelOpenIdMetadataUrl", c.ToBotFromChannelOpenIdMetadataUrl},
		{"ToChannelFromBotLoginUrl", c.ToChannelFromBotLoginUrl},
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

// channelMetadataURL returns the Bot Connector OpenID metadata URL.
func (c Config) channelMetadataURL() string {
	return cmp.Or(c.ToBotFromChannelOpenIdMetadataUrl, DefaultToBotFromChannelOpenIdMetadataUrl)
}

// channelIssuer returns the expected iss of Bot Connector tokens.
func (c Config) channelIssuer() string {
	return cmp.Or(c.ToBotFromChannelTokenIssuer, DefaultToBotFromChannelTokenIssuer)
}

// emulatorMetadataURL returns the Emulator path's OpenID metadata URL.
func (c Config) emulatorMetadataURL() string {
	return cmp.Or(c.ToBotFromEmulatorOpenIdMetadataUrl, DefaultToBotFromEmulatorOpenIdMetadataUrl)
}

// tokenURL returns the OAuth2 token endpoint for the bot token.
func (c Config) tokenURL() string {
	if c.ToChannelFromBotLoginUrl != "" {
		return c.ToChannelFromBotLoginUrl
	}
	if c.appType() == SingleTenant {
		return "https://login.microsoftonline.com/" + c.MicrosoftAppTenantId + "/oauth2/v2.0/token"
	}
	return DefaultToChannelFromBotLoginUrl
}

// scope returns the OAuth2 scope of the bot token.
func (c Config) scope() string {
	return cmp.Or(c.ToChannelFromBotOAuthScope, DefaultToChannelFromBotOAuthScope)
}

// allowedChannels returns the channels accepted on the Bot Connector path.
func (c Config) allowedChannels() []string {
	if len(c.AllowedChannelIds) == 0 {
		return []string{ChannelMSTeams}
	}
	return c.AllowedChannelIds
}

// emulatorIssuers are the iss values of tokens the Emulator obtains from
// Microsoft Entra ID (public cloud), v1 and v2 tokens.
var emulatorIssuers = []string{
	"https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
	"https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0",
	"https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/",
	"https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0",
	"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
}

// emulatorIssuerList returns the accepted Emulator issuers: the fixed list
// plus the configured tenant's (never derived from the token itself).
func (c Config) emulatorIssuerList() []string {
	list := slices.Clone(emulatorIssuers)
	if t := c.MicrosoftAppTenantId; t != "" {
		list = append(list,
			"https://sts.windows.net/"+t+"/",
			"https://login.microsoftonline.com/"+t+"/v2.0")
	}
	return list
}

package botframework_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/provbot/provbot/botframework"
)

// validConfig is a multi-tenant configuration that passes Validate.
func validConfig() botframework.Config {
	return botframework.Config{MicrosoftAppId: testAppID, MicrosoftAppPassword: testSecret}
}

// staticCredential is an azcore.TokenCredential returning a fixed token.
type staticCredential struct{ token azcore.AccessToken }

func (c staticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return c.token, nil
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mutate  func(*botframework.Config)
		setting string // "" means valid
	}{
		{"multi-tenant with a password is valid", func(*botframework.Config) {}, ""},
		{"app type compared case-insensitively", func(c *botframework.Config) { c.MicrosoftAppType = "multitenant" }, ""},
		{"single-tenant with tenant and password is valid", func(c *botframework.Config) {
			c.MicrosoftAppType = botframework.SingleTenant
			c.MicrosoftAppTenantId = testTenant
		}, ""},
		{"user-assigned MSI with tenant and no password is valid", func(c *botframework.Config) {
			c.MicrosoftAppType = "UserAssignedMsi"
			c.MicrosoftAppTenantId = testTenant
			c.MicrosoftAppPassword = ""
		}, ""},
		{"certificate credential instead of a password is valid", func(c *botframework.Config) {
			c.MicrosoftAppPassword = ""
			c.Credential = staticCredential{}
		}, ""},
		{"no app id at all disables auth and is valid", func(c *botframework.Config) { *c = botframework.Config{} }, ""},
		{"loopback http overrides are valid", func(c *botframework.Config) {
			c.ToBotFromChannelOpenIdMetadataUrl = "http://127.0.0.1:8080/v1/.well-known/openidconfiguration"
			c.ToChannelFromBotLoginUrl = "http://localhost:9000/botframework.com"
		}, ""},
		{"US Government channel service is valid", func(c *botframework.Config) { c.ChannelService = "https://botframework.azure.us" }, ""},
		{"channel service compared case-insensitively, trailing slash allowed", func(c *botframework.Config) { c.ChannelService = "HTTPS://BotFramework.Azure.us/" }, ""},
		{"login url as the SDKs' authority", func(c *botframework.Config) {
			c.ToChannelFromBotLoginUrl = "https://login.microsoftonline.com/botframework.com"
		}, ""},
		{"login url as the full token endpoint", func(c *botframework.Config) {
			c.ToChannelFromBotLoginUrl = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
		}, ""},
		{"US Government login url on the public cloud", func(c *botframework.Config) {
			c.ToChannelFromBotLoginUrl = "https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us"
		}, ""},
		{"single-tenant login url naming its own tenant", func(c *botframework.Config) {
			c.MicrosoftAppType, c.MicrosoftAppTenantId = botframework.SingleTenant, testTenant
			c.ToChannelFromBotLoginUrl = "https://login.microsoftonline.com/" + testTenant
		}, ""},
		{"private cloud login url with any tenant", func(c *botframework.Config) {
			c.ToChannelFromBotLoginUrl = "https://login.partner.microsoftonline.cn/contoso.partner.onmschina.cn"
		}, ""},
		{"unknown channel service", func(c *botframework.Config) { c.ChannelService = "https://botframework.azure.cn" }, "ChannelService"},
		{"login url with a deeper path", func(c *botframework.Config) {
			c.ToChannelFromBotLoginUrl = "https://login.microsoftonline.com/botframework.com/oauth2/token"
		}, "ToChannelFromBotLoginUrl"},
		{"login url without a tenant", func(c *botframework.Config) { c.ToChannelFromBotLoginUrl = "https://login.microsoftonline.com/" }, "ToChannelFromBotLoginUrl"},
		{"login url with a query", func(c *botframework.Config) {
			c.ToChannelFromBotLoginUrl = "https://login.microsoftonline.com/botframework.com?x=1"
		}, "ToChannelFromBotLoginUrl"},
		{"multi-tenant login url naming another tenant", func(c *botframework.Config) {
			c.ToChannelFromBotLoginUrl = "https://login.microsoftonline.com/contoso.onmicrosoft.com"
		}, "ToChannelFromBotLoginUrl"},
		{"single-tenant login url naming a tenant that is not its own", func(c *botframework.Config) {
			c.MicrosoftAppType, c.MicrosoftAppTenantId = botframework.SingleTenant, testTenant
			c.ToChannelFromBotLoginUrl = "https://login.microsoftonline.com/contoso.onmicrosoft.com"
		}, "ToChannelFromBotLoginUrl"},
		{"unknown app type", func(c *botframework.Config) { c.MicrosoftAppType = "Global" }, "MicrosoftAppType"},
		{"password without app id", func(c *botframework.Config) { c.MicrosoftAppId = "" }, "MicrosoftAppPassword"},
		{"emulator without app id", func(c *botframework.Config) { *c = botframework.Config{AllowEmulator: true} }, "AllowEmulator"},
		{"app id with a stray quote", func(c *botframework.Config) { c.MicrosoftAppId = `"` + testAppID + `"` }, "MicrosoftAppId"},
		{"app id with a trailing newline", func(c *botframework.Config) { c.MicrosoftAppId = testAppID + "\n" }, "MicrosoftAppId"},
		{"multi-tenant without password", func(c *botframework.Config) { c.MicrosoftAppPassword = "" }, "MicrosoftAppPassword"},
		{"password and credential both set", func(c *botframework.Config) { c.Credential = staticCredential{} }, "MicrosoftAppPassword"},
		{"single-tenant without tenant", func(c *botframework.Config) { c.MicrosoftAppType = botframework.SingleTenant }, "MicrosoftAppTenantId"},
		{"user-assigned MSI with a password", func(c *botframework.Config) {
			c.MicrosoftAppType = botframework.UserAssignedMSI
			c.MicrosoftAppTenantId = testTenant
		}, "MicrosoftAppPassword"},
		{"user-assigned MSI without tenant", func(c *botframework.Config) {
			c.MicrosoftAppType = botframework.UserAssignedMSI
			c.MicrosoftAppPassword = ""
		}, "MicrosoftAppTenantId"},
		{"tenant id with a slash", func(c *botframework.Config) { c.MicrosoftAppTenantId = "contoso/../x" }, "MicrosoftAppTenantId"},
		{"plain http metadata to a remote host", func(c *botframework.Config) {
			c.ToBotFromChannelOpenIdMetadataUrl = "http://login.botframework.com/v1/.well-known/openidconfiguration"
		}, "ToBotFromChannelOpenIdMetadataUrl"},
		{"plain http token endpoint to a remote host", func(c *botframework.Config) {
			c.ToChannelFromBotLoginUrl = "http://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
		}, "ToChannelFromBotLoginUrl"},
		{"relative token endpoint", func(c *botframework.Config) { c.ToChannelFromBotLoginUrl = "/token" }, "ToChannelFromBotLoginUrl"},
		{"token endpoint with user info", func(c *botframework.Config) { c.ToChannelFromBotLoginUrl = "https://user:pw@login.example.com/token" }, "ToChannelFromBotLoginUrl"},
		{"emulator metadata over plain http", func(c *botframework.Config) {
			c.ToBotFromEmulatorOpenIdMetadataUrl = "http://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
		}, "ToBotFromEmulatorOpenIdMetadataUrl"},
		{"issuer with spaces", func(c *botframework.Config) { c.ToBotFromChannelTokenIssuer = " https://api.botframework.com" }, "ToBotFromChannelTokenIssuer"},
		{"scope with spaces", func(c *botframework.Config) { c.ToChannelFromBotOAuthScope = "https://api.botframework.com/.default " }, "ToChannelFromBotOAuthScope"},
		{"emulator listed as a channel", func(c *botframework.Config) { c.AllowedChannelIds = []string{"msteams", "emulator"} }, "AllowedChannelIds"},
		{"blank channel id", func(c *botframework.Config) { c.AllowedChannelIds = []string{" "} }, "AllowedChannelIds"},
		{"blank tenant in the allow-list", func(c *botframework.Config) { c.AllowedTenantIds = []string{testTenant, ""} }, "AllowedTenantIds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := validConfig()
			tc.mutate(&cfg)
			err := cfg.Validate()
			if tc.setting == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ce *botframework.ConfigError
			if !errors.As(err, &ce) || ce.Setting != tc.setting {
				t.Fatalf("Validate() = %v, want a ConfigError naming %s", err, tc.setting)
			}
			if !strings.Contains(err.Error(), tc.setting) {
				t.Errorf("message %q does not name %s", err, tc.setting)
			}
		})
	}
}

func TestConfigCheckListenAddr(t *testing.T) {
	withApp := validConfig()
	for _, addr := range []string{":3978", "0.0.0.0:443", "10.1.2.3:80"} {
		if err := withApp.CheckListenAddr(addr); err != nil {
			t.Errorf("with an app id, CheckListenAddr(%q) = %v, want nil", addr, err)
		}
	}
	var none botframework.Config
	for addr, ok := range map[string]bool{
		"127.0.0.1:3978": true, "localhost:0": true, "[::1]:80": true, "LOCALHOST:1": true,
		":3978": false, "0.0.0.0:3978": false, "192.168.1.10:3978": false, "example.com:80": false, "127.0.0.1": false,
	} {
		if err := none.CheckListenAddr(addr); (err == nil) != ok {
			t.Errorf("without an app id, CheckListenAddr(%q) = %v, want allowed=%v", addr, err, ok)
		}
	}
}

package main

import (
	"strings"
	"testing"
)

// envOf turns a map into a getenv function.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// validServeEnv is a complete production configuration.
func validServeEnv() map[string]string {
	return map[string]string{
		"MicrosoftAppId":          "9e7d8f2a-1c3b-4d5e-8f90-123456789abc",
		"MicrosoftAppPassword":    "s3cret",
		"MicrosoftAppType":        "MultiTenant",
		"PROVBOT_HELPDESK_GROUPS": "0b7e1f0a-1111-4222-8333-444455556666",
		"PROVBOT_TENANTS":         "72f988bf-86f1-41af-91ab-2d7cd011db47",
		"PORT":                    "8080",
	}
}

func TestServeConfigAcceptsAProductionSetup(t *testing.T) {
	c, err := loadServeConfig(envOf(validServeEnv()), "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.GraphURL != defaultGraphURL || c.GraphAuth != "azure" || len(c.HelpDeskGroups) != 1 {
		t.Errorf("config %+v", c)
	}
}

func TestServeConfigNamesTheBadSetting(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mutate  func(map[string]string)
		addr    string
		setting string
	}{
		{"graph auth none needs a loopback graph url", func(m map[string]string) { m["PROVBOT_GRAPH_AUTH"] = "none" }, "", "PROVBOT_GRAPH_AUTH"},
		{"graph url over plain http to a remote host", func(m map[string]string) { m["PROVBOT_GRAPH_URL"] = "http://graph.example.com/v1.0" }, "", "PROVBOT_GRAPH_URL"},
		{"graph url without the api version", func(m map[string]string) { m["PROVBOT_GRAPH_URL"] = "https://graph.microsoft.us" }, "", "PROVBOT_GRAPH_URL"},
		{"unknown graph auth", func(m map[string]string) { m["PROVBOT_GRAPH_AUTH"] = "kerberos" }, "", "PROVBOT_GRAPH_AUTH"},
		{"help-desk group that is not a guid", func(m map[string]string) { m["PROVBOT_HELPDESK_GROUPS"] = "Help Desk" }, "", "PROVBOT_HELPDESK_GROUPS"},
		{"admin group that is not a guid", func(m map[string]string) { m["PROVBOT_ADMIN_GROUPS"] = "Provisioning Admins" }, "", "PROVBOT_ADMIN_GROUPS"},
		{"tenant that is not a guid", func(m map[string]string) { m["PROVBOT_TENANTS"] = "contoso.com" }, "", "PROVBOT_TENANTS"},
		{"no tenants", func(m map[string]string) { delete(m, "PROVBOT_TENANTS") }, "", "PROVBOT_TENANTS"},
		{"blank tenants", func(m map[string]string) { m["PROVBOT_TENANTS"] = " , " }, "", "PROVBOT_TENANTS"},
		{"any tenant and a tenant id", func(m map[string]string) { m["PROVBOT_TENANTS"] = "*,72f988bf-86f1-41af-91ab-2d7cd011db47" }, "", "PROVBOT_TENANTS"},
		{"no app id on a public address", func(m map[string]string) { delete(m, "MicrosoftAppId"); delete(m, "MicrosoftAppPassword") }, "0.0.0.0:3978", "MicrosoftAppId"},
		{"password and certificate together", func(m map[string]string) {
			m["PROVBOT_BOT_CERTIFICATE_PATH"] = "/etc/bot.pem"
			m["MicrosoftAppTenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47"
		}, "", "PROVBOT_BOT_CERTIFICATE_PATH"},
		{"single tenant without a tenant id", func(m map[string]string) { m["MicrosoftAppType"] = "SingleTenant" }, "", "MicrosoftAppTenantId"},
		{"unknown app type", func(m map[string]string) { m["MicrosoftAppType"] = "Personal" }, "", "MicrosoftAppType"},
		{"managed identity with a password", func(m map[string]string) {
			m["MicrosoftAppType"] = "UserAssignedMSI"
			m["MicrosoftAppTenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47"
		}, "", "MicrosoftAppPassword"},
		{"bad listen address", func(m map[string]string) {}, "localhost", "--addr"},
		{"unknown log level", func(m map[string]string) { m["PROVBOT_LOG_LEVEL"] = "loud" }, "", "PROVBOT_LOG_LEVEL"},
		{"unknown channel service", func(m map[string]string) { m["ChannelService"] = "https://botframework.azure.cn" }, "", "ChannelService"},
		{"plain-http token endpoint to a remote host", func(m map[string]string) { m["ToChannelFromBotLoginUrl"] = "http://login.example.com/token" }, "", "ToChannelFromBotLoginUrl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := validServeEnv()
			tc.mutate(env)
			_, err := loadServeConfig(envOf(env), tc.addr)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.setting) {
				t.Errorf("error does not name %s: %v", tc.setting, err)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error shows the secret: %v", err)
			}
		})
	}
}

func TestServeConfigReadsTheSDKsCloudSettings(t *testing.T) {
	env := validServeEnv()
	env["ChannelService"] = "https://botframework.azure.us"
	env["ToChannelFromBotOAuthScope"] = "https://api.botframework.us"
	c, err := loadServeConfig(envOf(env), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Bot.TokenURL(); got != "https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us/oauth2/v2.0/token" {
		t.Errorf("token url %q, want US Government's", got)
	}
	if got := c.Bot.SigningKeysURL(); got != "https://login.botframework.azure.us/v1/.well-known/openidconfiguration" {
		t.Errorf("signing keys url %q, want US Government's", got)
	}
}

func TestServeConfigAllowsUnauthenticatedLoopbackOnly(t *testing.T) {
	env := map[string]string{"PROVBOT_GRAPH_URL": "http://127.0.0.1:9999/v1.0", "PROVBOT_GRAPH_AUTH": "none", "PROVBOT_TENANTS": "*"}
	if _, err := loadServeConfig(envOf(env), "127.0.0.1:0"); err != nil {
		t.Errorf("loopback without app id refused: %v", err)
	}
	if _, err := loadServeConfig(envOf(env), ":3978"); err == nil {
		t.Error("all interfaces without app id accepted")
	}
}

func TestServeConfigTenantsAreListedOrAnyOnPurpose(t *testing.T) {
	for _, tc := range []struct {
		value   string
		any     bool
		allowed int
		choice  string
	}{
		{"72f988bf-86f1-41af-91ab-2d7cd011db47", false, 1, "tenant 72f988bf-86f1-41af-91ab-2d7cd011db47"},
		{"72f988bf-86f1-41af-91ab-2d7cd011db47, 0b7e1f0a-1111-4222-8333-444455556666", false, 2, "tenants 72f988bf-86f1-41af-91ab-2d7cd011db47, 0b7e1f0a-1111-4222-8333-444455556666"},
		{"*", true, 0, "any tenant, on purpose"},
		{" * ", true, 0, "any tenant, on purpose"},
	} {
		env := validServeEnv()
		env["PROVBOT_TENANTS"] = tc.value
		c, err := loadServeConfig(envOf(env), "")
		if err != nil {
			t.Fatalf("PROVBOT_TENANTS=%q: %v", tc.value, err)
		}
		if c.AnyTenant != tc.any || len(c.Bot.AllowedTenantIds) != tc.allowed || tenantsChoice(c) != tc.choice {
			t.Errorf("PROVBOT_TENANTS=%q: any %v, allowed %q, choice %q", tc.value, c.AnyTenant, c.Bot.AllowedTenantIds, tenantsChoice(c))
		}
	}
}

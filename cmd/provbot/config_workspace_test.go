package main

import (
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/workspace"
)

func TestWorkspaceSettingsAcceptAProductionSetup(t *testing.T) {
	env := validServeEnv()
	env["PROVBOT_LOG_ANALYTICS_WORKSPACE"] = "5d2f5c4e-2b7a-4f0e-9a51-6c1d3e8b7a90"
	c, err := loadServeConfig(envOf(env), "")
	if err != nil {
		t.Fatal(err)
	}
	ws := c.Workspace
	if !ws.enabled() || ws.URL != workspace.DefaultEndpoint || ws.Auth != "azure" || ws.Lookback != workspace.DefaultLookback {
		t.Errorf("settings %+v", ws)
	}
	env["PROVBOT_LOG_ANALYTICS_URL"] = "https://api.loganalytics.us/v1"
	env["PROVBOT_LOG_ANALYTICS_LOOKBACK"] = "365d"
	if c, err = loadServeConfig(envOf(env), ""); err != nil || c.Workspace.Lookback != 365*24*time.Hour {
		t.Errorf("US Government with a year's lookback: %+v, %v", c.Workspace, err)
	}
	if c, _ := loadServeConfig(envOf(validServeEnv()), ""); c.Workspace.enabled() {
		t.Error("a workspace without PROVBOT_LOG_ANALYTICS_WORKSPACE")
	}
}

func TestWorkspaceSettingsNameTheBadSetting(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		setting string
	}{
		{"a workspace name instead of its id", map[string]string{"PROVBOT_LOG_ANALYTICS_WORKSPACE": "contoso-logs"}, "PROVBOT_LOG_ANALYTICS_WORKSPACE"},
		{"plain http to a remote host", map[string]string{"PROVBOT_LOG_ANALYTICS_URL": "http://api.loganalytics.io/v1"}, "PROVBOT_LOG_ANALYTICS_URL"},
		{"no api version", map[string]string{"PROVBOT_LOG_ANALYTICS_URL": "https://api.loganalytics.io"}, "PROVBOT_LOG_ANALYTICS_URL"},
		{"no token to a remote host", map[string]string{"PROVBOT_LOG_ANALYTICS_AUTH": "none"}, "PROVBOT_LOG_ANALYTICS_AUTH"},
		{"a token over plain http, even on loopback", map[string]string{"PROVBOT_LOG_ANALYTICS_URL": "http://127.0.0.1:9/v1"}, "PROVBOT_LOG_ANALYTICS_AUTH"},
		{"an unknown auth", map[string]string{"PROVBOT_LOG_ANALYTICS_AUTH": "key"}, "PROVBOT_LOG_ANALYTICS_AUTH"},
		{"a lookback that is not a duration", map[string]string{"PROVBOT_LOG_ANALYTICS_LOOKBACK": "a year"}, "PROVBOT_LOG_ANALYTICS_LOOKBACK"},
		{"a lookback of a few minutes", map[string]string{"PROVBOT_LOG_ANALYTICS_LOOKBACK": "5m"}, "PROVBOT_LOG_ANALYTICS_LOOKBACK"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := validServeEnv()
			for k, v := range tc.env {
				env[k] = v
			}
			_, err := loadServeConfig(envOf(env), "")
			if err == nil || !strings.Contains(err.Error(), tc.setting) {
				t.Errorf("err %v, want one naming %s", err, tc.setting)
			}
		})
	}
}

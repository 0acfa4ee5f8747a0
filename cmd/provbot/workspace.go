package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/provbot/provbot/workspace"
)

// workspaceSettings are the Log Analytics settings: the workspace that
// keeps provisioning logs beyond Graph's 30 days.
type workspaceSettings struct {
	// ID is the workspace id (PROVBOT_LOG_ANALYTICS_WORKSPACE); empty turns
	// the second log source off.
	ID string
	// URL is the query API's base URL with its version
	// (PROVBOT_LOG_ANALYTICS_URL; https://api.loganalytics.io/v1 by
	// default, https://api.loganalytics.us/v1 for US Government).
	URL string
	// Auth is "azure" (the azidentity credential the Graph client uses) or
	// "none" (no token; loopback test endpoints only)
	// (PROVBOT_LOG_ANALYTICS_AUTH).
	Auth string
	// Lookback is how far back searches go (PROVBOT_LOG_ANALYTICS_LOOKBACK,
	// e.g. 365d; two years by default).
	Lookback time.Duration
}

// enabled reports whether a workspace is configured.
func (w workspaceSettings) enabled() bool { return w.ID != "" }

// loadWorkspaceSettings reads and checks the Log Analytics settings; every
// problem names its setting.
func loadWorkspaceSettings(getenv func(string) string) (workspaceSettings, []error) {
	env := func(k string) string { return strings.TrimSpace(getenv(k)) }
	s := workspaceSettings{ID: env("PROVBOT_LOG_ANALYTICS_WORKSPACE"), URL: env("PROVBOT_LOG_ANALYTICS_URL"),
		Auth: strings.ToLower(env("PROVBOT_LOG_ANALYTICS_AUTH")), Lookback: workspace.DefaultLookback}
	var errs []error
	bad := func(setting, f string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", setting, fmt.Sprintf(f, a...)))
	}
	if s.ID != "" && !guidRE.MatchString(s.ID) {
		bad("PROVBOT_LOG_ANALYTICS_WORKSPACE", "%q is not a workspace id (the Workspace ID on the workspace's Overview page, a GUID)", s.ID)
	}
	if s.URL == "" {
		s.URL = workspace.DefaultEndpoint
	}
	u, err := url.Parse(s.URL)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		bad("PROVBOT_LOG_ANALYTICS_URL", "%q is not an http(s) URL", s.URL)
	case u.Scheme == "http" && !isLoopbackHost(u.Hostname()):
		bad("PROVBOT_LOG_ANALYTICS_URL", "plain http is only allowed to a loopback address, not %q", u.Host)
	case !strings.HasSuffix(strings.TrimRight(u.Path, "/"), "/v1"):
		bad("PROVBOT_LOG_ANALYTICS_URL", "%q must end with the API version /v1", s.URL)
	}
	switch s.Auth {
	case "", "azure":
		s.Auth = "azure"
		if err == nil && u.Scheme == "http" {
			bad("PROVBOT_LOG_ANALYTICS_AUTH", "azure sends tokens, and tokens go only over https (PROVBOT_LOG_ANALYTICS_URL is %q)", s.URL)
		}
	case "none":
		if err == nil && !isLoopbackHost(u.Hostname()) {
			bad("PROVBOT_LOG_ANALYTICS_AUTH", "none is only allowed when PROVBOT_LOG_ANALYTICS_URL is a loopback address (it is %q)", s.URL)
		}
	default:
		bad("PROVBOT_LOG_ANALYTICS_AUTH", "%q is not one of azure, none", s.Auth)
	}
	if v := env("PROVBOT_LOG_ANALYTICS_LOOKBACK"); v != "" {
		d, perr := parseDays(v)
		if perr != nil || d < 24*time.Hour || d > 12*365*24*time.Hour {
			bad("PROVBOT_LOG_ANALYTICS_LOOKBACK", "%q is not a duration between 1d and 12 years (e.g. 365d)", v)
		} else {
			s.Lookback = d
		}
	}
	return s, errs
}

// parseDays reads "365d" or a Go duration ("8760h").
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days int
		if _, err := fmt.Sscanf(n, "%d", &days); err == nil && fmt.Sprint(days) == n {
			return time.Duration(days) * 24 * time.Hour, nil
		}
	}
	return time.ParseDuration(s)
}

// newWorkspaceClient builds the Log Analytics client from the settings;
// nil when no workspace is configured. The credential is the one the Graph
// client uses (azidentity's environment conventions).
func newWorkspaceClient(ws workspaceSettings, logger *slog.Logger, now func() time.Time, transport http.RoundTripper) (*workspace.Client, error) {
	if !ws.enabled() {
		return nil, nil
	}
	var cred azcore.TokenCredential
	if ws.Auth != "none" {
		c, err := graphCredential()
		if err != nil {
			return nil, err
		}
		cred = c
	}
	opts := []workspace.Option{workspace.WithEndpoint(ws.URL), workspace.WithLogger(logger), workspace.WithNow(now),
		workspace.WithLookback(ws.Lookback)}
	if transport != nil {
		opts = append(opts, workspace.WithHTTPClient(&http.Client{Transport: transport}))
	}
	c, err := workspace.New(cred, ws.ID, opts...)
	if err != nil {
		return nil, fmt.Errorf("PROVBOT_LOG_ANALYTICS_WORKSPACE: %w", err)
	}
	return c, nil
}

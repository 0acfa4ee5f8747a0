package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework/bftest"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/logtest"
)

// waitFor polls s until re matches, for up to 20 s, and returns the
// first submatch.
func waitFor(t testing.TB, what string, s func() string, re *regexp.Regexp) string {
	t.Helper()
	return waitWithin(t, 20*time.Second, what, s, re)
}

// waitWithin is waitFor for up to d.
func waitWithin(t testing.TB, d time.Duration, what string, s func() string, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(s()); m != nil {
			return m[len(m)-1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never appeared in:\n%s", what, s())
	return ""
}

// running is a command started in the background.
type running struct {
	stdout, stderr *logtest.Buffer // the output and the JSON logs
	done           chan int
	cancel         context.CancelFunc
}

// start runs the command until the test ends (then expects exit code 0).
func start(t testing.TB, args []string, env map[string]string) *running {
	t.Helper()
	if _, ok := env["PROVBOT_STORE"]; !ok && len(args) > 0 && args[0] == "serve" {
		env["PROVBOT_STORE"] = "sqlite://" + filepath.Join(t.TempDir(), "provbot.db") // not the machine's default
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{stdout: &logtest.Buffer{}, stderr: &logtest.Buffer{}, done: make(chan int, 1), cancel: cancel}
	go func() { r.done <- run(ctx, args, envOf(env), r.stdout, r.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-r.done:
			if code != 0 {
				t.Errorf("%v exited %d on shutdown\nstderr:\n%s", args, code, r.stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Errorf("%v did not shut down", args)
		}
	})
	return r
}

// servedBot is `provbot serve` running as in production against the
// fakes: a token issuer, a token endpoint, a Bot Connector and the demo
// tenant's Graph.
type servedBot struct {
	*running
	base      string
	issuer    *bftest.Issuer
	connector *bftest.Connector
}

const (
	serveAppID  = "9e7d8f2a-1c3b-4d5e-8f90-123456789abc"
	serveSecret = "serve-test-secret-never-logged"
)

// serveFakes are what `provbot serve` talks to in tests: the demo
// tenant's Graph, a Bot Framework token issuer, a token endpoint for the
// bot's own tokens and a Bot Connector that takes only that endpoint's
// tokens.
type serveFakes struct {
	graph     *fakegraph.Server
	issuer    *bftest.Issuer
	tokens    *bftest.TokenEndpoint
	connector *bftest.Connector
}

// newServeFakes starts the fakes for the test.
func newServeFakes(t *testing.T) serveFakes {
	t.Helper()
	tenant, err := fakegraph.DemoTenant(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	f := serveFakes{
		graph:     fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0)),
		issuer:    bftest.NewIssuer(t, bftest.IssuerOptions{AppID: serveAppID}),
		tokens:    bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{ClientID: serveAppID, ClientSecret: serveSecret}),
		connector: bftest.NewConnector(t),
	}
	f.connector.RequireTokensFrom(f.tokens)
	return f
}

// env is a complete configuration of `provbot serve` on the fakes.
func (f serveFakes) env() map[string]string {
	return map[string]string{
		"MicrosoftAppId":                    serveAppID,
		"MicrosoftAppPassword":              serveSecret,
		"ToBotFromChannelOpenIdMetadataUrl": f.issuer.MetadataURL,
		"ToChannelFromBotLoginUrl":          f.tokens.URL,
		"PROVBOT_GRAPH_URL":                 f.graph.URL() + "/v1.0",
		"PROVBOT_GRAPH_AUTH":                "none",
		"PROVBOT_HELPDESK_GROUPS":           fakegraph.DemoHelpDeskGroupID,
		"PROVBOT_TENANTS":                   fakegraph.DemoTenantID,
	}
}

// startServe starts `provbot serve` with a complete configuration, plus
// or minus the settings in extra (an empty value removes one).
func startServe(t *testing.T, extra map[string]string) *servedBot {
	t.Helper()
	f := newServeFakes(t)
	env := f.env()
	for k, v := range extra {
		if v == "" {
			delete(env, k)
		} else {
			env[k] = v
		}
	}
	r := start(t, []string{"serve", "--addr", "127.0.0.1:0"}, env)
	addr := waitFor(t, "the listening address", r.stderr.String, regexp.MustCompile(`"msg":"listening".*?"addr":"([^"]+)"`))
	return &servedBot{running: r, base: "http://" + addr, issuer: f.issuer, connector: f.connector}
}

// activityFrom is a Teams message from a cast member to the served bot.
func activityFrom(name, text, serviceURL string) []byte {
	var who fakegraph.CastMember
	for _, c := range fakegraph.DemoCast() {
		if c.DisplayName == name {
			who = c
		}
	}
	body, _ := json.Marshal(map[string]any{
		"type": "message", "id": "1485983408511", "channelId": "msteams", "serviceUrl": serviceURL,
		"from":         map[string]any{"id": "29:1XJKJMvc5GBtc2JwZq0oj8t", "name": who.DisplayName, "aadObjectId": who.ObjectID},
		"conversation": map[string]any{"conversationType": "personal", "id": "a:17I0kl9EkpE1O9PH5TWrzrLN"},
		"recipient":    map[string]any{"id": "28:" + serveAppID, "name": "provbot"},
		"text":         text,
		"channelData":  map[string]any{"tenant": map[string]any{"id": fakegraph.DemoTenantID}},
	})
	return body
}

// postActivity posts body to the served bot with an Authorization header
// (none when auth is "") and returns the status.
func (b *servedBot) postActivity(t *testing.T, body []byte, auth string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+"/api/messages", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestServeAnswersASignedTeamsActivityWithACard runs `provbot serve` as in
// production — JWT-checked Bot Framework requests, a bot token from a token
// endpoint, Graph over HTTP — against the fakes: a signed Teams message in,
// the diagnosis card out at the connector.
func TestServeAnswersASignedTeamsActivityWithACard(t *testing.T) {
	b := startServe(t, nil)
	r, base, issuer, connector := b.running, b.base, b.issuer, b.connector
	body := activityFrom("Adele Vance", "why can't I get into ServiceNow?", connector.URL)
	secret := serveSecret

	post := func(auth string) int { return b.postActivity(t, body, auth) }
	if code := post(""); code != http.StatusUnauthorized {
		t.Fatalf("unsigned activity answered %d, want 401", code)
	}
	if code := post(issuer.Bearer("https://evil.example/")); code != http.StatusUnauthorized {
		t.Fatalf("activity whose token names another serviceUrl answered %d, want 401", code)
	}
	if code := post(issuer.Bearer(connector.URL)); code != http.StatusOK {
		t.Fatalf("signed activity answered %d, want 200", code)
	}
	var card map[string]any
	deadline := time.Now().Add(20 * time.Second)
	for card == nil && time.Now().Before(deadline) {
		for _, c := range connector.Calls() {
			if atts, ok := c.Body["attachments"].([]any); ok && len(atts) > 0 {
				card, _ = atts[0].(map[string]any)["content"].(map[string]any)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	if card == nil {
		t.Fatalf("no card reached the connector; calls: %d\nstderr:\n%s", len(connector.Calls()), r.stderr.String())
	}
	text, _ := json.Marshal(card)
	if !strings.Contains(string(text), "ServiceNow already has an account that uses one of your details") || !strings.Contains(string(text), `"version":"1.5"`) {
		t.Errorf("card is not Adele's ServiceNow conflict:\n%s", text)
	}

	for path, want := range map[string]string{
		"/healthz": "ok",
		"/readyz":  "ready",
		"/metrics": `provbot_lookups_total{category="matching-conflict",outcome="answered"} 1`,
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET %s = %d %q, want %q", path, resp.StatusCode, b, want)
		}
	}
	if logs := r.stderr.String(); strings.Contains(logs, secret) || strings.Contains(logs, "Bearer ") {
		t.Error("the logs contain the bot secret or a bearer token")
	}
	if !strings.Contains(r.stderr.String(), `"msg":"lookup"`) {
		t.Error("no audit line for the lookup")
	}
}

// TestServeRefusesContradictorySettings checks that bad configuration
// stops the server at start, naming the setting.
func TestServeRefusesContradictorySettings(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"serve"}, envOf(map[string]string{
		"PROVBOT_GRAPH_AUTH": "none", "PROVBOT_GRAPH_URL": "https://graph.microsoft.com/v1.0",
	}), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "PROVBOT_GRAPH_AUTH") || !strings.Contains(errOut.String(), "MicrosoftAppId") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

// TestServeRefusesToStartWithoutChoosingTenants: answering every tenant
// must be asked for (PROVBOT_TENANTS=*), never the default.
func TestServeRefusesToStartWithoutChoosingTenants(t *testing.T) {
	env := map[string]string{"MicrosoftAppId": serveAppID, "MicrosoftAppPassword": serveSecret,
		"PROVBOT_GRAPH_AUTH": "none", "PROVBOT_GRAPH_URL": "http://127.0.0.1:9/v1.0"}
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, envOf(env), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "PROVBOT_TENANTS: not set") || !strings.Contains(errOut.String(), "*") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
	b := startServe(t, map[string]string{"PROVBOT_TENANTS": "*"})
	if !strings.Contains(b.stderr.String(), `"tenants":"any tenant, on purpose"`) {
		t.Errorf("serve with PROVBOT_TENANTS=* does not say so:\n%s", b.stderr.String())
	}
}

// TestCheckNamesTheTenantsChoice runs check with tenants listed, with *
// and without the setting.
func TestCheckNamesTheTenantsChoice(t *testing.T) {
	tenant, _ := fakegraph.DemoTenant(time.Now())
	srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
	for _, tc := range []struct{ tenants, want string }{
		{"72f988bf-86f1-41af-91ab-2d7cd011db47", "✓ PROVBOT_TENANTS: answers tenant 72f988bf-86f1-41af-91ab-2d7cd011db47"},
		{"*", "– PROVBOT_TENANTS=*: answers any tenant, on purpose"},
		{"", "PROVBOT_TENANTS: not set"},
	} {
		var out, errOut bytes.Buffer
		run(context.Background(), []string{"check"}, envOf(map[string]string{
			"PROVBOT_GRAPH_URL": srv.URL() + "/v1.0", "PROVBOT_GRAPH_AUTH": "none", "PROVBOT_TENANTS": tc.tenants,
			"MicrosoftAppId": serveAppID, "MicrosoftAppPassword": serveSecret, "ToChannelFromBotLoginUrl": "http://127.0.0.1:9/token",
			"ToBotFromChannelOpenIdMetadataUrl": "http://127.0.0.1:9/metadata",
		}), &out, &errOut)
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("PROVBOT_TENANTS=%q: check output lacks %q:\n%s", tc.tenants, tc.want, out.String())
		}
	}
}

// cli runs a command to completion.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := run(ctx, args, envOf(map[string]string{"TERM": "dumb"}), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestCommandsOnTheDemoTenant runs each admin command against the demo
// tenant and checks what an admin would look for.
func TestCommandsOnTheDemoTenant(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"diagnose explains a conflict to the help desk", []string{"diagnose", "adele.vance@contoso.com", "--demo"},
			[]string{"[matching-conflict]", "ServiceNowEntryConflict", "For a support ticket", "Change ID:"}},
		{"diagnose answers an end user in plain words", []string{"diagnose", "adele.vance@contoso.com", "--demo", "--as", "adele.vance@contoso.com"},
			[]string{"could not tell whether that account is yours"}},
		{"diagnose as JSON carries the category contract", []string{"diagnose", "Grady Archie", "--demo", "--format", "json"},
			[]string{`"category": "provisioned"`, `"ruleId": "E16r"`, `"actions"`, `"estimate"`, `"status"`, `"evidence"`}},
		{"diagnose as Markdown makes a ticket", []string{"diagnose", "lynne.robbins@contoso.com", "--demo", "--app", "salesforce", "--format", "markdown"},
			[]string{"## ✗ Salesforce", "`job-quarantined-credentials`", "### What to do"}},
		{"status shows the Current Status panel of every app", []string{"status", "--demo"},
			[]string{"Zoom provisioning: initial cycle", "[██████", "Salesforce provisioning: quarantined", "Dropbox Business provisioning: paused"}},
		{"status of one app by a loose name", []string{"status", "service now", "--demo"},
			[]string{"ServiceNow provisioning: running", "Job ID:"}},
		{"logs lists a user's entries", []string{"logs", "Grady Archie", "--demo"},
			[]string{"MandatoryFieldsMissing", "4 entries."}},
		{"logs filters by status and exports JSON", []string{"logs", "grady.archie@contoso.com", "--demo", "--status", "failure", "--format", "json", "--out", filepath.Join(dir, "grady.json")},
			nil},
		{"logs exports the portal's three CSV files", []string{"logs", "grady.archie@contoso.com", "--demo", "--format", "csv", "--out", filepath.Join(dir, "csv")},
			nil},
		{"check on the demo tenant shows a working setup", []string{"check", "--demo"},
			[]string{"read provisioning logs", "Entra ID P1/P2 licence", "Everything provbot needs works."}},
		{"manifest builds the Teams package", []string{"manifest", "--bot-id", "9e7d8f2a-1c3b-4d5e-8f90-123456789abc", "--out", filepath.Join(dir, "provbot.zip")},
			[]string{"Wrote", "provbot.zip"}},
		{"help lists the commands", []string{"help"}, []string{"demo", "serve", "diagnose", "status", "logs", "manifest", "check"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cli(t, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}

	// The exports read back: JSON through --logs, CSV joined by change id.
	code, out, errOut := cli(t, "diagnose", "Grady", "--logs", filepath.Join(dir, "grady.json"))
	if code != 0 || !strings.Contains(out, "Grady Archie") {
		t.Errorf("diagnose --logs of the export: exit %d\n%s\n%s", code, out, errOut)
	}
	entries, _ := os.ReadFile(filepath.Join(dir, "csv", csvEntriesFile))
	steps, _ := os.ReadFile(filepath.Join(dir, "csv", csvStepsFile))
	props, _ := os.ReadFile(filepath.Join(dir, "csv", csvPropertiesFile))
	if bytes.Count(entries, []byte("\n")) != 5 || !bytes.Contains(steps, []byte("EntryExportAdd")) || !bytes.Contains(props, []byte(`"Change ID","Name","Old Value","New Value"`)) {
		t.Errorf("CSV files:\n%s\n%s\n%s", entries, steps, props)
	}
}

// TestCommandsWithSavedFiles diagnoses from the documentation's own
// examples, offline.
func TestCommandsWithSavedFiles(t *testing.T) {
	logs := filepath.Join("..", "..", "diagnose", "testdata", "graph", "provisioningObjectSummary-list-v1-example2-failure-entryconflict.json")
	job := filepath.Join("..", "..", "diagnose", "testdata", "graph", "synchronizationJob-get-v1-paused-quarantine-invalidcredentials.json")
	// The example is about a group (TestDiagnoseAGroupOffline reads it as
	// it is); here a user's copy of it is diagnosed as a user.
	data, err := os.ReadFile(logs)
	if err != nil {
		t.Fatal(err)
	}
	userLogs := filepath.Join(t.TempDir(), "logs.json")
	data = bytes.ReplaceAll(data, []byte(`"identityType": "Group"`), []byte(`"identityType": "User"`))
	if err := os.WriteFile(userLogs, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, "diagnose", "Self-service Pilot", "--logs", userLogs, "--job", job, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got diagnoseOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, out)
	}
	if len(got.Diagnoses) != 1 || got.Diagnoses[0].App.Name != "Contoso" {
		t.Fatalf("diagnoses %+v", got.Diagnoses)
	}
	if c := got.Diagnoses[0].Category; c != "job-disabled-after-quarantine" && c != "matching-conflict" {
		t.Errorf("category %s", c)
	}
	code, out, _ = cli(t, "logs", "--source-id", "5e6c9rae-ab4d-5239-8ad0-174391d110eb", "--logs", userLogs)
	if code != 0 || !strings.Contains(out, "ContosoEntryConflict") {
		t.Errorf("logs --source-id offline: exit %d\n%s", code, out)
	}
}

// TestBadInputGetsAClearMessageNotAStackTrace is the unhappy path of every
// command.
func TestBadInputGetsAClearMessageNotAStackTrace(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(bad, []byte(`{"value": [ {"id": `), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unknown flag", []string{"diagnose", "x", "--colour"}, 2, "flag provided but not defined"},
		{"no user", []string{"diagnose", "--demo"}, 2, "give one user"},
		{"bad format", []string{"diagnose", "x", "--format", "xml"}, 2, "--format must be"},
		{"missing file", []string{"diagnose", "x", "--logs", "/nonexistent/logs.json"}, 1, "no such file"},
		{"malformed file", []string{"diagnose", "x", "--logs", bad}, 1, "malformed JSON"},
		{"job without logs", []string{"diagnose", "x", "--job", bad}, 2, "--job needs --logs"},
		{"demo and files together", []string{"status", "--demo", "--logs", bad}, 2, "flag provided but not defined"},
		{"unknown user", []string{"diagnose", "nobody@contoso.com", "--demo"}, 1, "no one matches"},
		{"ambiguous name", []string{"diagnose", "Adele", "--demo"}, 1, "2 people match"},
		{"unknown app suggests names", []string{"status", "Servicenw", "--demo"}, 1, "did you mean ServiceNow"},
		{"end user asking about someone else", []string{"diagnose", "adele.vance@contoso.com", "--demo", "--as", "megan.bowen@contoso.com"}, 1, "may only look up their own account"},
		{"a deleted person asking", []string{"diagnose", "lee.gu@contoso.com", "--demo", "--as", "lee.gu@contoso.com"}, 1, "Lee Gu was deleted from the directory (it is in the recycle bin), so they cannot ask"},
		{"csv without a directory", []string{"logs", "x", "--format", "csv"}, 2, "--out"},
		{"bad since", []string{"logs", "x", "--since", "last tuesday"}, 2, "--since"},
		{"bad status", []string{"logs", "x", "--status", "great"}, 2, "--status"},
		{"manifest without bot id", []string{"manifest"}, 2, "--bot-id is required"},
		{"manifest with a bad bot id", []string{"manifest", "--bot-id", "not-a-guid", "--out", filepath.Join(t.TempDir(), "p.zip")}, 1, "BotID"},
		{"demo on a public address", []string{"demo", "--addr", "0.0.0.0:0"}, 2, "loopback"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cli(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:%s\nstderr:%s", code, tc.code, out, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, errOut)
			}
			for _, s := range []string{"goroutine ", "panic:", ".go:"} {
				if strings.Contains(errOut, s) {
					t.Errorf("stderr looks like a stack trace (%q):\n%s", s, errOut)
				}
			}
		})
	}
}

// TestCheckNamesTheMissingPermissionAndLicence runs `provbot check` against
// a Graph that refuses one permission, then against an unlicensed tenant.
func TestCheckNamesTheMissingPermissionAndLicence(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*fakegraph.Tenant)
		want  []string
	}{
		{"missing permission", func(tn *fakegraph.Tenant) { tn.Deny("Synchronization.Read.All") },
			[]string{"✗ read provisioning jobs", "Grant the application permission Synchronization.Read.All"}},
		{"no premium licence", func(tn *fakegraph.Tenant) { tn.Unlicensed = true },
			[]string{"✗ read provisioning logs", "Entra ID P1 or P2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tenant, err := fakegraph.DemoTenant(time.Now())
			if err != nil {
				t.Fatal(err)
			}
			tc.setup(tenant)
			srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"check", "--skip-bot"}, envOf(map[string]string{
				"PROVBOT_GRAPH_URL": srv.URL() + "/v1.0", "PROVBOT_GRAPH_AUTH": "none",
			}), &out, &errOut)
			if code != 1 {
				t.Errorf("exit %d, want 1\n%s\n%s", code, out.String(), errOut.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

// TestCheckReportsIncoherentBotSettings checks the bot section.
func TestCheckReportsIncoherentBotSettings(t *testing.T) {
	tenant, _ := fakegraph.DemoTenant(time.Now())
	srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"check"}, envOf(map[string]string{
		"PROVBOT_GRAPH_URL": srv.URL() + "/v1.0", "PROVBOT_GRAPH_AUTH": "none",
		"MicrosoftAppId": "9e7d8f2a-1c3b-4d5e-8f90-123456789abc", "MicrosoftAppType": "SingleTenant", "MicrosoftAppPassword": "x",
	}), &out, &errOut)
	if code != 1 || !strings.Contains(out.String(), "MicrosoftAppTenantId") {
		t.Errorf("exit %d:\n%s\n%s", code, out.String(), errOut.String())
	}
}

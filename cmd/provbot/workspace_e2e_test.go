package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework/bftest"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/workspace/lafake"
)

// demoCastMember finds a demo cast member by name.
func demoCastMember(t *testing.T, name string) fakegraph.CastMember {
	t.Helper()
	for _, c := range fakegraph.DemoCast() {
		if c.DisplayName == name {
			return c
		}
	}
	t.Fatalf("no %s in the demo cast", name)
	return fakegraph.CastMember{}
}

// createdLongAgo is the entry of a user's account being created in an
// app, ago before now, as the workspace holds it.
func createdLongAgo(c fakegraph.CastMember, now time.Time, ago time.Duration) diagnose.Entry {
	at := now.Add(-ago).UTC().Truncate(time.Second)
	return diagnose.Entry{
		ID: "la-" + c.ObjectID[:8], ActivityTime: at, ChangeID: "0c9a6a51-3f0d-4a43-9d3e-5b7c1e2f8a90", CycleID: "5e1f0c2d-8b7a-4c6d-9e0f-1a2b3c4d5e6f",
		JobID: "ServiceNowOutDelta.82e407ec31bc56ceaed5375dddebdfd3.0250aab7-45b1-582b-88fb-da510ada5557", TenantID: fakegraph.DemoTenantID,
		Action: diagnose.ActionCreate, RawAction: "create", Status: diagnose.ResultSuccess, RawStatus: "success",
		Source:           diagnose.Identity{ID: c.ObjectID, DisplayName: c.DisplayName, Type: "User", Details: map[string]string{"UserPrincipalName": c.UPN}},
		Target:           diagnose.Identity{ID: "sn-" + c.ObjectID[:8], DisplayName: c.DisplayName, Type: "User"},
		ServicePrincipal: diagnose.ServicePrincipal{ID: c.AppID, Name: c.App},
		TargetSystem:     diagnose.System{DisplayName: c.App, Details: map[string]string{"ServicePrincipalId": c.AppID}},
		Steps: []diagnose.Step{{Name: "EntryExportAdd", Type: diagnose.StepExport, RawType: "export", Status: diagnose.ResultSuccess, RawStatus: "success",
			Description: "User '" + c.UPN + "' was created in " + c.App}},
	}
}

// cardsOf returns the text of every card the connector received.
func cardsOf(calls []bftest.Call) string {
	var b strings.Builder
	for _, c := range calls {
		if atts, ok := c.Body["attachments"].([]any); ok {
			for _, a := range atts {
				raw, _ := json.Marshal(a)
				b.Write(raw)
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

// TestServeAnswersFromTheWorkspaceWhenGraphHasForgotten runs `provbot
// serve` as in production, with PROVBOT_LOG_ANALYTICS_WORKSPACE pointing at
// the fake Log Analytics API: a user whose only entry is 90 days old gets
// the right verdict in Teams, and the answer names the workspace and the
// entry's age.
func TestServeAnswersFromTheWorkspaceWhenGraphHasForgotten(t *testing.T) {
	const appID = "9e7d8f2a-1c3b-4d5e-8f90-123456789abc"
	const secret = "serve-test-secret-never-logged"
	now := time.Now()
	tenant, err := fakegraph.DemoTenant(now)
	if err != nil {
		t.Fatal(err)
	}
	graphSrv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
	hannah, henrietta := demoCastMember(t, "Hannah Fischer"), demoCastMember(t, "Henrietta Mueller")
	rows := []lafake.Row{lafake.RowFromEntry(createdLongAgo(hannah, now, 90*24*time.Hour), lafake.DemoWorkspaceID, lafake.Style{})}
	rows = append(rows, lafake.Background(now, fakegraph.DemoTenantID, lafake.DemoWorkspaceID, lafake.BackgroundPeople("contoso.com", 10),
		[]lafake.App{{ID: hannah.AppID, Name: hannah.App, JobID: "ServiceNowOutDelta.x"}}, 7)...)
	fake := lafake.New([]*lafake.Workspace{{ID: lafake.DemoWorkspaceID, Rows: rows}})
	if err := fake.StartLoopback(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	issuer := bftest.NewIssuer(t, bftest.IssuerOptions{AppID: appID})
	tokens := bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{ClientID: appID, ClientSecret: secret})
	connector := bftest.NewConnector(t)
	connector.RequireTokensFrom(tokens)

	r := start(t, []string{"serve", "--addr", "127.0.0.1:0"}, map[string]string{
		"MicrosoftAppId": appID, "MicrosoftAppPassword": secret,
		"ToBotFromChannelOpenIdMetadataUrl": issuer.MetadataURL, "ToChannelFromBotLoginUrl": tokens.URL,
		"PROVBOT_GRAPH_URL": graphSrv.URL() + "/v1.0", "PROVBOT_GRAPH_AUTH": "none",
		"PROVBOT_HELPDESK_GROUPS":         fakegraph.DemoHelpDeskGroupID,
		"PROVBOT_TENANTS":                 fakegraph.DemoTenantID,
		"PROVBOT_LOG_ANALYTICS_WORKSPACE": lafake.DemoWorkspaceID,
		"PROVBOT_LOG_ANALYTICS_URL":       fake.URL(), "PROVBOT_LOG_ANALYTICS_AUTH": "none",
	})
	addr := waitFor(t, "the listening address", r.stderr.String, regexp.MustCompile(`"msg":"listening".*?"addr":"([^"]+)"`))

	ask := func(who fakegraph.CastMember, text string) string {
		t.Helper()
		before := len(connector.Calls())
		body, _ := json.Marshal(map[string]any{
			"type": "message", "id": fmt.Sprint(time.Now().UnixNano()), "channelId": "msteams", "serviceUrl": connector.URL,
			"from":         map[string]any{"id": "29:" + who.ObjectID, "name": who.DisplayName, "aadObjectId": who.ObjectID},
			"conversation": map[string]any{"conversationType": "personal", "id": "a:" + who.ObjectID},
			"recipient":    map[string]any{"id": "28:" + appID, "name": "provbot"},
			"text":         text,
			"channelData":  map[string]any{"tenant": map[string]any{"id": fakegraph.DemoTenantID}},
		})
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/messages", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", issuer.Bearer(connector.URL))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("activity answered %d", resp.StatusCode)
		}
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if calls := connector.Calls(); len(calls) > before {
				if cards := cardsOf(calls[before:]); cards != "" {
					return cards
				}
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("no card for %q; stderr:\n%s", text, r.stderr.String())
		return ""
	}

	hd := ask(henrietta, "check hannah.fischer@contoso.com in ServiceNow")
	for _, want := range []string{"Hannah Fischer's ServiceNow account was created", "Evidence from the Log Analytics workspace", "3 months ago",
		"Microsoft Graph keeps provisioning logs for 30 days only"} {
		if !strings.Contains(hd, want) {
			t.Errorf("the help desk's card lacks %q:\n%s", want, hd)
		}
	}
	own := ask(hannah, "is my ServiceNow account set up?")
	if !strings.Contains(own, "This comes from older records your company keeps. The newest one about your account is from 3 months ago.") ||
		strings.Contains(own, "Log Analytics") {
		t.Errorf("Hannah's own card:\n%s", own)
	}
	reqs := fake.Requests()
	if len(reqs) == 0 {
		t.Fatal("the workspace was never asked")
	}
	for _, q := range reqs {
		if q.Status != 200 || strings.Contains(q.Query, hannah.ObjectID) || strings.Contains(q.Query, hannah.UPN) {
			t.Errorf("workspace request %d:\n%s", q.Status, q.Query)
		}
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(m), `provbot_lookups_total{category="provisioned",outcome="answered"} 2`) {
		t.Errorf("metrics:\n%s", m)
	}

	// A user Graph explains on its own costs the workspace nothing.
	n := len(fake.Requests())
	ask(demoCastMember(t, "Adele Vance"), "why can't I get into ServiceNow?")
	if got := len(fake.Requests()); got != n {
		t.Errorf("the workspace was asked %d more times for an answer Graph explains", got-n)
	}
}

// TestTheDemoAnswersFromItsWorkspace asks the running demo, through its
// real endpoint and local connector, as the two people the demo workspace
// holds older history for.
func TestTheDemoAnswersFromItsWorkspace(t *testing.T) {
	demo := start(t, []string{"demo", "--addr", "127.0.0.1:0"}, map[string]string{})
	base := strings.TrimSuffix(waitFor(t, "the demo URL", demo.stdout.String, regexp.MustCompile(`running at (http://127\.0\.0\.1:\d+/)`)), "/")

	resp, err := http.Get(base + "/demo/cast")
	if err != nil {
		t.Fatal(err)
	}
	var cast struct {
		Cast []struct {
			UPN, Question, Story string
			Expected             string `json:"expectedCategory"`
			App                  string
		} `json:"cast"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&cast)
	resp.Body.Close()
	stories := map[string]lafake.Story{}
	for _, s := range lafake.DemoStories() {
		stories[s.UPN] = s
	}
	found := 0
	for _, c := range cast.Cast {
		if s, ok := stories[c.UPN]; ok {
			found++
			if c.Expected != s.Category || c.Question != s.Question || !strings.Contains(c.Story, "Log Analytics workspace") {
				t.Errorf("the cast page shows %s as %+v", c.UPN, c)
			}
		}
	}
	if found != len(stories) {
		t.Fatalf("the cast page lists %d of the workspace's %d people", found, len(stories))
	}

	for _, s := range lafake.DemoStories() {
		t.Run(s.Name, func(t *testing.T) {
			conv := "demo-" + s.ObjectID
			body, _ := json.Marshal(map[string]any{
				"type": "message", "id": "1", "channelId": "msteams", "serviceUrl": base + "/connector/",
				"from":         map[string]any{"id": "29:" + s.ObjectID, "name": s.Name, "aadObjectId": s.ObjectID},
				"conversation": map[string]any{"conversationType": "personal", "id": conv},
				"recipient":    demoBot, "text": s.Question,
				"channelData": map[string]any{"tenant": map[string]any{"id": fakegraph.DemoTenantID}},
			})
			r, err := http.Post(base+"/api/messages", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			var cards string
			deadline := time.Now().Add(25 * time.Second)
			for cards == "" && time.Now().Before(deadline) {
				pr, err := http.Get(base + "/demo/conversations/" + conv + "/activities?after=0")
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(pr.Body)
				pr.Body.Close()
				if strings.Contains(string(raw), "AdaptiveCard") && strings.Contains(string(raw), "older records") {
					cards = string(raw)
				}
			}
			if !strings.Contains(cards, "This comes from older records your company keeps") {
				t.Errorf("no answer naming the older records for %s; got:\n%s", s.Name, cards)
			}
		})
	}
}

// TestCommandsReadTheWorkspace runs diagnose and logs on the demo, whose
// Log Analytics workspace holds a year of history.
func TestCommandsReadTheWorkspace(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{"diagnose reads the workspace when Graph has nothing", []string{"diagnose", "hannah.fischer@contoso.com", "--demo", "--app", "ServiceNow"},
			[]string{"[provisioned]", "Evidence from the Log Analytics workspace", "3 months ago"}, nil},
		{"--source graph answers from Graph's 30 days alone", []string{"diagnose", "hannah.fischer@contoso.com", "--demo", "--app", "ServiceNow", "--source", "graph"},
			[]string{"[no-logs]"}, []string{"Log Analytics"}},
		{"the JSON names the source", []string{"diagnose", "hannah.fischer@contoso.com", "--demo", "--app", "ServiceNow", "--format", "json"},
			[]string{`"source": {`, `"origin": "workspace"`, `"text": "from the Log Analytics workspace, 3 months ago"`}, nil},
		{"the workspace's history colours a job verdict", []string{"diagnose", "fatima.khan@contoso.com", "--demo", "--app", "Zendesk"},
			[]string{"[job-disabled-after-quarantine]", "Evidence from the Log Analytics workspace", "2 months ago", "ZendeskUnauthorized"}, nil},
		{"logs --since 200d reads past Graph's 30 days", []string{"logs", "fatima.khan@contoso.com", "--demo", "--since", "200d"},
			[]string{"ZendeskUnauthorized", "2 entries.", "2 of these entries are from the Log Analytics workspace; the oldest is from 6 months ago."}, nil},
		{"logs of someone Graph explains do not read the workspace", []string{"logs", "Grady Archie", "--demo"},
			[]string{"4 entries."}, []string{"Log Analytics"}},
		{"--source both finds nothing Graph lacks for recent history", []string{"logs", "grady.archie@contoso.com", "--demo", "--source", "both"},
			[]string{"4 entries.", "The Log Analytics workspace has no other entries"}, nil},
		{"--source workspace lists the workspace's copies", []string{"logs", "grady.archie@contoso.com", "--demo", "--source", "workspace"},
			[]string{"4 entries.", "4 of these entries are from the Log Analytics workspace"}, nil},
		{"logs exports workspace entries as Graph-shaped JSON", []string{"logs", "hannah.fischer@contoso.com", "--demo", "--since", "365d", "--format", "json", "--out", filepath.Join(dir, "hannah.json")},
			nil, nil},
		{"check shows the workspace", []string{"check", "--demo"},
			[]string{"✓ read workspace " + lafake.DemoWorkspaceID, "Log Analytics Reader", "provisioning logs: ", "Everything provbot needs works."}, nil},
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
			for _, w := range tc.not {
				if strings.Contains(out, w) {
					t.Errorf("output says %q:\n%s", w, out)
				}
			}
		})
	}
	// The export reads back, and the answer from the file is the same.
	data, err := os.ReadFile(filepath.Join(dir, "hannah.json"))
	if err != nil || !bytes.Contains(data, []byte(`"provisioningAction": "create"`)) {
		t.Fatalf("export: %v\n%s", err, data)
	}
	code, out, errOut := cli(t, "diagnose", "Hannah", "--logs", filepath.Join(dir, "hannah.json"))
	if code != 0 || !strings.Contains(out, "[provisioned]") {
		t.Errorf("diagnose --logs of the export: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestTheSourceFlagNeedsAWorkspace checks --source's mistakes.
func TestTheSourceFlagNeedsAWorkspace(t *testing.T) {
	tenant, _ := fakegraph.DemoTenant(time.Now())
	srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
	env := map[string]string{"PROVBOT_GRAPH_URL": srv.URL() + "/v1.0", "PROVBOT_GRAPH_AUTH": "none"}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"workspace without one configured", []string{"diagnose", "hannah.fischer@contoso.com", "--source", "workspace"}, 2, "PROVBOT_LOG_ANALYTICS_WORKSPACE"},
		{"an unknown source", []string{"logs", "hannah.fischer@contoso.com", "--source", "splunk"}, 2, "not one of graph, workspace, both"},
		{"a source for saved files", []string{"logs", "x", "--logs", "f.json", "--source", "both"}, 2, "--source does not apply to --logs files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.args, envOf(env), &out, &errOut)
			if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("exit %d, stderr %q", code, errOut.String())
			}
		})
	}
}

// TestCheckNamesWhatTheWorkspaceLacks runs `provbot check` against a
// workspace provbot has no role on, one without provisioning logs, and
// without one configured.
func TestCheckNamesWhatTheWorkspaceLacks(t *testing.T) {
	tenant, _ := fakegraph.DemoTenant(time.Now())
	srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
	const noTable = "11111111-2222-3333-4444-555555555555"
	for _, tc := range []struct {
		name      string
		workspace string
		deny      bool
		code      int
		want      []string
	}{
		{"no role on the workspace", lafake.DemoWorkspaceID, true, 1,
			[]string{"✗ read workspace " + lafake.DemoWorkspaceID, "Log Analytics Reader role on the workspace", "Access control (IAM)"}},
		{"no provisioning logs streamed to it", noTable, false, 1,
			[]string{"✗ read workspace " + noTable, "Diagnostic settings", "ProvisioningLogs"}},
		{"a working workspace", lafake.DemoWorkspaceID, false, 0, []string{"✓ read workspace", "provisioning logs: "}},
		{"none configured: said, not failed", "", false, 0, []string{"– PROVBOT_LOG_ANALYTICS_WORKSPACE", "Graph's provisioning logs only"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := lafake.New([]*lafake.Workspace{lafake.DemoWorkspace(time.Now()), {ID: noTable, NoTable: true}})
			if err := fake.StartLoopback(); err != nil {
				t.Fatal(err)
			}
			defer fake.Close()
			if tc.deny {
				fake.Deny(tc.workspace)
			}
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"check", "--skip-bot"}, envOf(map[string]string{
				"PROVBOT_GRAPH_URL": srv.URL() + "/v1.0", "PROVBOT_GRAPH_AUTH": "none",
				"PROVBOT_LOG_ANALYTICS_WORKSPACE": tc.workspace, "PROVBOT_LOG_ANALYTICS_URL": fake.URL(), "PROVBOT_LOG_ANALYTICS_AUTH": "none",
			}), &out, &errOut)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s\n%s", code, tc.code, out.String(), errOut.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
